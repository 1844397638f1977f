"""conversation.turn: one user turn inside the form, decided without Rasa."""
import pytest

from conversation.facts import extract_facts, topic_keys
from conversation.prompts import answer_question, flow_question
from conversation.signals import faq_topic, keyword_intent, too_long, urgent
from conversation.turn import answers_of, last_answered, required_slots, take_turn
from eligibility import load_trial

from .conftest import ELIGIBLE, TODAY

TRIAL = load_trial()
STARTED = {"continue_closed": "yes", "chatting_as": "parent"}


def turn(requested, text, slots=None, intent=None, confidence=0.0):
    return take_turn(TRIAL, {**STARTED, **(slots or {})}, requested, text, intent, confidence, TODAY)


def responses(t):
    return [s.response or s.text for s in t.said]


@pytest.mark.parametrize("text,facts", [
    ("she's 9, it's B-cell ALL and it came back in March",
     {"age_years": 9, "sex": "female", "diagnosis": "b_precursor_all", "relapsed_or_refractory": True}),
    ("my son is 12 and has T-cell ALL", {"age_years": 12, "sex": "male", "diagnosis": "other"}),
    ("He had a transplant 2 months ago and his last chemo was 3 weeks ago",
     {"sex": "male", "last_stem_cell_transplant": "2026-07-07", "last_chemotherapy": "2026-08-17"}),
    ("no transplant, chemo finished in august", {"last_stem_cell_transplant": "never", "last_chemotherapy": "2026-08-31"}),
    ("the marrow showed 45% blasts", {"marrow_blasts_percent": 45}),
    ("he has never had blinatumomab", {"sex": "male", "prior_blinatumomab": False}),
    ("he's had intrathecal chemo last week", {"sex": "male"}),
    ("45", {}),
    ("the leukaemia is back for the third time", {"relapsed_or_refractory": True}),
    ("he is back at school", {"sex": "male"}),
])
def test_facts_stated_plainly(text, facts):
    assert extract_facts(text, TODAY, TRIAL) == facts


def test_topic_keys_name_questions():
    assert topic_keys(TRIAL, "change the chemo date") == ["last_chemotherapy"]
    assert "date_of_birth" in topic_keys(TRIAL, "his age is wrong")


@pytest.mark.parametrize("text,expected", [
    ("he has a fever", True), ("she can't breathe properly", True), ("his nose is bleeding", True),
    ("no fever", False), ("she has no temperature", False), ("3 weeks ago", False),
])
def test_urgent_symptoms(text, expected):
    assert urgent(text) is expected


@pytest.mark.parametrize("text,intent", [
    ("can I talk to a nurse", "handoff"), ("start over", "start_over"), ("stop", "stop"), ("forget me", "forget_me"),
    ("why do you need that?", "ask_why"), ("I don't understand", "ask_why"), ("sorry, I meant 11", "correct"),
    ("this is stupid", "complain"), ("45", None),
])
def test_keyword_intents(text, intent):
    assert keyword_intent(text) == intent


@pytest.mark.parametrize("text,topic", [
    ("how long is he in hospital?", "hospital_stays"), ("can she swim with the pump", "pump"),
    ("what are the side effects", "side_effects"), ("did it work?", "results"), ("45", None),
])
def test_faq_topics_from_the_trial_file(text, topic):
    assert faq_topic(TRIAL, text) == topic


def test_too_long():
    assert too_long("a" * 1001) and not too_long("a" * 1000)


def test_required_slots_follow_the_engine():
    assert required_slots(TRIAL, {}, TODAY) == ["chatting_as"]
    assert required_slots(TRIAL, {"continue_closed": "no"}, TODAY) == []
    assert required_slots(TRIAL, STARTED, TODAY) == ["chatting_as", "date_of_birth"]
    assert required_slots(TRIAL, {**STARTED, **ELIGIBLE}, TODAY) == ["chatting_as"]  # nothing left to ask: the decision"
    assert required_slots(TRIAL, {**STARTED, "decision": {"outcome": "not_eligible"}}, TODAY)[-1] == "offer_handoff"
    assert required_slots(TRIAL, {**STARTED, "exit_request": "stop"}, TODAY) == []


def test_raw_text_in_a_slot_is_not_an_answer():
    assert answers_of(TRIAL, {"date_of_birth": "why do you need that?", "sex": "male"}, TODAY) == {"sex": "male"}


def test_an_answer_is_stored_as_the_engine_wants_it():
    t = turn("last_radiotherapy", "3 months ago")
    assert t.updates == {"last_radiotherapy": "2026-06-07", "said_as": {"last_radiotherapy": "relative"}} and t.said == []
    assert turn("last_radiotherapy", "7 June 2026").updates == {"last_radiotherapy": "2026-06-07"}


def test_an_answer_that_makes_a_rule_fail_is_said_back_before_it_counts():
    t = turn("last_radiotherapy", "6 days ago")
    assert t.updates["last_radiotherapy"] == "2026-09-01" and t.updates["confirms"] == {"last_radiotherapy": "2026-09-01"}
    assert required_slots(TRIAL, {**STARTED, **t.updates}, TODAY)[-1] == "confirm"


def test_an_age_replaces_a_date_of_birth():
    t = turn("date_of_birth", "he's 9")
    assert t.updates["age_years"] == 9 and t.updates["date_of_birth"] is None
    assert t.updates["sex"] == "male"
    assert last_answered(TRIAL, t, "date_of_birth") == "date_of_birth"


def test_why_repeats_the_question_with_the_trial_file_reason():
    t = turn("blood_tests_ok", "why do you ask?", intent="ask_why", confidence=0.99)
    assert t.updates == {} and responses(t) == [TRIAL.criterion("blood_tests_ok").why]


def test_i_dont_know_becomes_unknown():
    assert turn("blood_tests_ok", "I don't know").updates == {"blood_tests_ok": "unknown"}
    assert turn("date_of_birth", "I don't know").updates["date_of_birth"] == "unknown"


def test_a_correction_changes_the_last_answer_and_is_said_back():
    t = turn("sex", "sorry, I meant 11", slots={"age_years": 10, "last_answered": "date_of_birth"})
    assert t.updates["age_years"] == 11 and t.updates["confirms"] == {"age_years": 11} and responses(t) == []


def test_an_answer_to_the_waiting_question_is_never_a_correction_of_another():
    t = turn("marrow_blasts_percent", "it was 25 percent, exactly",
             slots={"prior_blinatumomab": False, "last_answered": "prior_blinatumomab"}, intent="correct", confidence=0.95)
    assert t.updates["marrow_blasts_percent"] == 25 and "prior_blinatumomab" not in t.updates


def test_an_answer_not_understood_changes_nothing():
    t = turn("blood_tests_ok", "purple")
    assert t.updates == {} and responses(t) == ["utter_invalid_yes_no"]


def test_a_future_date_is_refused():
    t = turn("last_chemotherapy", "next week")
    assert t.updates == {} and responses(t) == ["utter_invalid_date_future"]


def test_urgent_first_then_the_answer_still_counts():
    t = turn("blood_tests_ok", "yes but he has a fever now")
    assert responses(t)[0] == "utter_urgent" and t.updates["blood_tests_ok"] is True


@pytest.mark.parametrize("text,exit", [("I want to talk to a nurse", "handoff"), ("stop", "stop"),
                                       ("start over", "start_over"), ("delete my data", "forget_me")])
def test_requests_leave_the_form(text, exit):
    assert turn("blood_tests_ok", text).exit == exit


def test_a_nurse_is_a_professional_at_who_is_chatting():
    t = take_turn(TRIAL, {"continue_closed": "yes"}, "chatting_as", "I'm a nurse", None, 0, TODAY)
    assert t.updates == {"chatting_as": "professional"} and t.exit is None


def test_the_decision_comes_once_when_settled():
    said_back = turn("date_of_birth", "I'm 19")
    assert said_back.updates["confirms"] == {"age_years": 19} and "decision" not in said_back.updates
    t = turn("confirm", "yes", slots=said_back.updates)
    assert t.updates["decision"]["outcome"] == "not_eligible"
    assert [s.custom for s in t.said if s.custom] == [{"eligibility": t.updates["decision"]}]
    again = turn("offer_handoff", "no", slots={**said_back.updates, **t.updates})
    assert "decision" not in again.updates


ALL_BUT_THE_LAST = {k: v for k, v in ELIGIBLE.items() if k != "chemo_side_effects"}


def test_the_last_answer_gives_the_decision_with_no_review():
    t = turn("chemo_side_effects", "no", slots=ALL_BUT_THE_LAST)
    assert t.updates["chemo_side_effects"] == "none" and t.updates["decision"]["outcome"] == "likely_eligible"


def test_a_correction_that_names_a_question_asks_it_again():
    t = turn("chemo_side_effects", "sorry, the chemo date is wrong", slots=ALL_BUT_THE_LAST)
    assert t.updates == {"last_chemotherapy": None} and responses(t) == ["utter_will_ask_again"]


def test_questions_carry_the_contract_marker():
    q = answer_question(TRIAL, "prior_blinatumomab", "parent", {}, TODAY)
    assert q.marker() == {"question": {"slot": "prior_blinatumomab", "kind": "yes_no", "choices": ["no", "yes", "I don't know"]}}
    assert answer_question(TRIAL, "relapsed_or_refractory", "parent", {}, TODAY).choices[0] == "yes"
    assert answer_question(TRIAL, "date_of_birth", "parent", {}, TODAY).marker()["question"]["choices"] == []
    assert flow_question(TRIAL, "chatting_as", "").choices == ["parent", "young_person", "professional"]


def test_the_performance_question_follows_age():
    child = answer_question(TRIAL, "performance_score", "parent", {"age_years": 9}, TODAY)
    teen = answer_question(TRIAL, "performance_score", "young_person", {"age_years": 16}, TODAY)
    assert child.kind == "choice" and "Lies around a lot, but gets dressed and joins quiet play" in child.choices
    assert "Normal, no complaints" in teen.choices and "Karnofsky" in teen.text


def test_facts_before_the_questions_are_kept_and_said_back():
    before = {"continue_closed": "yes", "chatting_as": None}
    t = turn("chatting_as", "hi, my daughter is 7 and has relapsed pre-B ALL", slots=before, intent="greet", confidence=0.9)
    assert {k: t.updates.get(k) for k in ("age_years", "sex", "diagnosis", "relapsed_or_refractory")} == {
        "age_years": 7, "sex": "female", "diagnosis": "b_precursor_all", "relapsed_or_refractory": True}
    assert t.updates["continue_closed"] == "yes" and t.updates["chatting_as"] == "parent"
    assert responses(t) == ["utter_noted"] and "age 7" in t.said[0].values["facts"]


def test_no_to_the_openings_question_declines_and_is_not_overruled_by_facts():
    t = turn("chatting_as", "no thanks, she is 7", slots={"continue_closed": "yes", "chatting_as": None})
    assert t.updates.get("continue_closed") == "no" and "age_years" not in t.updates


def test_facts_before_the_questions_keep_a_request_to_leave():
    t = turn("chatting_as", "my son is 9, can I talk to a nurse", slots={"continue_closed": "yes", "chatting_as": None})
    assert t.updates.get("age_years") == 9 and t.exit == "handoff"
