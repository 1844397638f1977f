"""The Rasa SDK adapters, driven with a real CollectingDispatcher and Tracker."""
import asyncio
import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Dict, Optional

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.form import ValidateConversationForm
from actions.respond import ActionConclude, ActionRespond
from conversation.asking import ask
from conversation.state import slot_changes
from eligibility import load_trial
from eligibility.served import served

ROOT = Path(__file__).resolve().parents[2]
DOMAIN: Dict[str, Any] = yaml.safe_load((ROOT / "domain" / "chat.yml").read_text())
TRIAL = load_trial()
STARTED = {"continue_closed": "yes", "chatting_as": "parent", "opening_done": True}


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setenv("ASSISTANT_TODAY", "2026-09-07")


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    """A fresh dispatcher: what the action said is in .messages."""
    return CollectingDispatcher()


def make_tracker(flat: Optional[Dict[str, Any]] = None, text: str = "", intent: str = "inform",
                 confidence: float = 0.95, active_loop: Optional[str] = None, trial=TRIAL,
                 metadata: Optional[Dict[str, Any]] = None, requested: Optional[str] = None) -> Tracker:
    """A tracker whose slots hold the conversation `flat` (as the turn logic reads it), whose
    latest user message is `text`."""
    slots = {name: None for name in DOMAIN["slots"]}
    slots.update(slot_changes(trial, {}, flat or {}))
    if flat is not None:
        slots["trial"] = trial.trial.id
    slots["requested_slot"] = requested
    message = {"text": text, "intent": {"name": intent, "confidence": confidence}, "entities": [],
               "metadata": metadata or {}}
    return Tracker("test-sender", slots, message, [], False, None,
                   {"name": active_loop} if active_loop else {}, "action_listen")


def run(action, dispatcher, tracker):
    """Run the action in its own thread and loop: Playwright's sync API may own this thread's loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, action.run(dispatcher, tracker, DOMAIN)).result()


def markers(dispatcher):
    return [m["custom"]["question"] for m in dispatcher.messages if isinstance(m.get("custom"), dict) and "question" in m["custom"]]


def slots_set(events):
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def test_one_domain_serves_every_trial():
    """No slot, form slot or action is named after a trial's answer key, question or checklist."""
    assert DOMAIN["forms"]["conversation_form"]["required_slots"] == ["reply"]
    names = set(DOMAIN["slots"]) | {a if isinstance(a, str) else next(iter(a)) for a in DOMAIN["actions"]}
    for trial in served().values():
        keys = set(trial.answers) | {c.slot for c in trial.checklists}
        assert not names & keys
        assert not any(name.endswith(tuple(keys)) for name in names if name.startswith("action_ask_"))


def validate(dispatcher, flat, pending, text, intent="inform", confidence=0.95, trial=TRIAL):
    """One reply inside the form, to the question `pending`; the slots it sets."""
    tracker = make_tracker({**STARTED, **flat, "pending": pending}, text, intent, confidence,
                           active_loop="conversation_form", trial=trial, requested="reply")
    return slots_set(run(ValidateConversationForm(), dispatcher, tracker))


def test_the_first_message_opens_the_form_on_its_first_question(dispatcher):
    events = run(ActionRespond(), dispatcher, make_tracker(text="hi", intent="greet"))
    assert dispatcher.messages[0]["response"] == "utter_opening"  # the notice, which carries the first question
    assert markers(dispatcher) == [{"slot": "chatting_as", "kind": "choice", "choices": ["parent", "young_person", "professional"]}]
    assert {"event": "active_loop", "name": "conversation_form", "timestamp": None} in events
    slots = slots_set(events)
    assert slots["trial"] == TRIAL.trial.id and slots["chat"]["pending"] == "chatting_as"
    assert slots["chat"]["continue_closed"] == "yes"


@pytest.mark.parametrize("text,who,first", [("hi, my son is 9", "parent", "diagnosis"),  # his age and sex are noted too
                                             ("I'm a nurse, I have a question", "professional", "date_of_birth"),
                                             ("hello", None, "chatting_as")])
def test_who_is_chatting_is_heard_in_the_first_message(dispatcher, text, who, first):
    slots = slots_set(run(ActionRespond(), dispatcher, make_tracker(text=text)))
    assert slots.get("chatting_as") == who and markers(dispatcher)[0]["slot"] == first


def test_the_first_message_chooses_its_trial(dispatcher):
    other = next(t for t in served().values() if t.trial.id != TRIAL.trial.id)
    events = run(ActionRespond(), dispatcher, make_tracker(text="hello", metadata={"trial": other.trial.id}))
    assert slots_set(events)["trial"] == other.trial.id
    assert other.trial.short_name in dispatcher.messages[0]["trial_name"]


def test_an_unknown_trial_gets_the_trials_served_and_no_question(dispatcher):
    events = run(ActionRespond(), dispatcher, make_tracker(text="hi", metadata={"trial": "NOT-A-TRIAL"}))
    assert events == [] and markers(dispatcher) == []
    said = dispatcher.messages[0]
    assert said["response"] == "utter_unknown_trial" and said["asked"] == "NOT-A-TRIAL"
    assert all(tid in said["trials"] for tid in served())


def test_a_typed_answer_is_said_back_as_it_is_taken(dispatcher):
    slots = validate(dispatcher, {}, "date_of_birth", "9 years old")
    assert slots["answers"] == {"age_years": 9} and slots["chat"]["pending"] == "diagnosis"
    assert dispatcher.messages[0]["text"].startswith("Thanks, I have: age 9. What type of acute lymphoblastic leukaemia")
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == ["b_precursor_all", "other", "I don't know"]
    assert markers(dispatcher) == [{"slot": "diagnosis", "kind": "choice", "choices": ["b_precursor_all", "other", "I don't know"]}]


def test_young_person_wording(dispatcher):
    validate(dispatcher, {"chatting_as": "young_person"}, "chatting_as", "the young person")
    assert dispatcher.messages[0]["text"].startswith("What is your date of birth?")


def test_the_form_reasks_after_a_bad_answer(dispatcher):
    slots = validate(dispatcher, {"age_years": 9}, "diagnosis", "purple")
    assert "answers" not in slots and slots["chat"]["pending"] == "diagnosis"
    assert dispatcher.messages[0]["response"] == "utter_invalid_choice_closest"
    assert [q["slot"] for q in markers(dispatcher)] == ["diagnosis"]


def test_a_request_to_stop_ends_the_form(dispatcher):
    slots = validate(dispatcher, {"age_years": 9}, "sex", "stop", intent="stop")
    assert slots["chat"]["exit_request"] == "stop" and "pending" not in slots["chat"]
    assert slots["requested_slot"] is None and markers(dispatcher) == []


def test_a_button_chosen_gets_a_plain_thank_you(dispatcher):
    validate(dispatcher, {"age_years": 9}, "sex", "male")
    assert dispatcher.messages[0]["text"].startswith("Thank you. What type of acute lymphoblastic leukaemia")


def test_the_opening_comes_before_the_first_question_whichever_it_is():
    turn = ask(TRIAL, {"continue_closed": "yes", "chatting_as": "parent"}, "date_of_birth", dt.date(2026, 9, 7))
    assert [s.response for s in turn.said][0] == "utter_opening" and turn.updates["opening_done"] is True


def test_conclude_hands_off_with_a_reference(dispatcher):
    events = run(ActionConclude(), dispatcher, make_tracker({**STARTED, "offer_handoff": "yes", "age_years": 9}))
    handoff = next(m["custom"]["handoff"] for m in dispatcher.messages if m.get("custom") and "handoff" in m["custom"])
    assert handoff["phone"] == "0808 800 4040" and handoff["reference"].isalnum() and "Age: 9" in handoff["summary"]
    assert slots_set(events)["chat"]["reference"] == handoff["reference"]


def test_conclude_after_stop_gives_the_number_without_a_handoff(dispatcher):
    run(ActionConclude(), dispatcher, make_tracker({**STARTED, "exit_request": "stop"}))
    assert [m["response"] for m in dispatcher.messages if m["response"]] == ["utter_stopped", "utter_ask_next_step"]
    assert [q["slot"] for q in markers(dispatcher)] == ["next_step"]


def test_respond_starts_the_form_keeping_facts_of_the_first_message(dispatcher):
    events = run(ActionRespond(), dispatcher, make_tracker(text="my daughter is 9 and has B-ALL"))
    assert slots_set(events)["answers"] == {"sex": "female", "age_years": 9, "diagnosis": "b_precursor_all"}
    noted = next(m for m in dispatcher.messages if m["response"] == "utter_noted")
    assert "sex recorded at birth: girl" in noted["facts"]


def test_start_over_keeps_the_trial_and_nothing_else(dispatcher):
    other = next(t for t in served().values() if t.trial.id != TRIAL.trial.id)
    tracker = make_tracker({**STARTED, "decision": {"outcome": "unsure"}, "age_years": 9}, "start over",
                           "start_over", trial=other)
    events = run(ActionRespond(), dispatcher, tracker)
    assert events[0] == {"event": "reset_slots", "timestamp": None}
    slots = slots_set(events)
    assert slots["trial"] == other.trial.id and "answers" not in slots
    assert [q["slot"] for q in markers(dispatcher)] == ["chatting_as"]


def test_respond_answers_a_question_after_the_decision(dispatcher):
    run(ActionRespond(), dispatcher, make_tracker({**STARTED, "decision": {"outcome": "unsure"}}, "is it safe?", "ask_faq"))
    assert "white blood cells" in dispatcher.messages[0]["text"]
    assert [q["slot"] for q in markers(dispatcher)] == ["next_step"]


def test_the_faq_topics_are_the_trials_own(dispatcher):
    run(ActionRespond(), dispatcher, make_tracker({**STARTED, "decision": {"outcome": "unsure"}}, "ask about the trial", "ask_faq"))
    said = dispatcher.messages[0]
    assert said["response"] == "utter_faq_topics" and said["topics"].startswith(TRIAL.faq[0].topic)


def test_an_action_that_fails_says_sorry_and_asks_again(dispatcher, monkeypatch):
    import actions.form as form
    monkeypatch.setattr(form, "reply_turn", lambda *a, **k: 1 / 0)
    tracker = make_tracker({**STARTED, "pending": "sex", "age_years": 9}, "boy", active_loop="conversation_form",
                           requested="reply")
    events = run(ValidateConversationForm(), dispatcher, tracker)
    assert dispatcher.messages[0]["response"] == "utter_error"
    assert [q["slot"] for q in markers(dispatcher)] == ["sex"]
    assert SlotSet("requested_slot", "reply") in events


def test_the_third_ask_in_a_row_comes_with_i_dont_know_and_the_nurse():
    replies = []  # the second ask of the diagnosis in a row, then the third...
    flat: Dict[str, Any] = {"age_years": 9, "asked": {"slot": "diagnosis", "times": 1}}
    for _ in range(5):
        d = CollectingDispatcher()
        slots = validate(d, flat, "diagnosis", "purple")
        flat["asked"] = slots["chat"]["asked"]
        replies.append(([m.get("response") or m.get("text") for m in d.messages], markers(d)[0]["choices"]))
    assert "talk to a nurse" not in replies[0][1] and replies[1][1][-2:] == ["I don't know", "talk to a nurse"]
    assert all(replies[n] != replies[n + 1] for n in range(4))


def test_a_different_question_starts_the_count_again(dispatcher):
    validate(dispatcher, {"age_years": 9, "asked": {"slot": "sex", "times": 4}}, "sex", "boy")
    assert markers(dispatcher)[0]["slot"] == "diagnosis" and "talk to a nurse" not in markers(dispatcher)[0]["choices"]


def test_the_say_back_carries_the_contract_marker(dispatcher):
    validate(dispatcher, {"age_years": 13, "sex": "female"}, "pregnant_or_breastfeeding", "yes")
    assert markers(dispatcher) == [{"slot": "confirm", "kind": "yes_no", "choices": ["yes", "no"],
                                    "confirms": {"pregnant_or_breastfeeding": True}}]
    assert "pregnant or breastfeeding: yes" in next(m for m in dispatcher.messages if m["response"] == "utter_ask_confirm")["facts"]


def test_after_the_questions_every_message_gets_a_way_on_and_never_the_same_reply_twice():
    flat = {**STARTED, "decision": {"outcome": "unsure"}}
    replies = []
    for _ in range(3):
        d = CollectingDispatcher()
        events = run(ActionRespond(), d, make_tracker(flat, "hmm", "out_of_scope", 0.2))
        flat["next_step_asked"] = slots_set(events)["chat"]["next_step_asked"]
        assert [q["slot"] for q in markers(d)] == ["next_step"]
        assert markers(d)[0]["choices"] == ["start again", "ask about the trial", "talk to a nurse"]
        replies.append([m.get("response") or m.get("text") for m in d.messages])
    assert replies[0] != replies[1] != replies[2]


def test_a_turn_sets_only_the_slots_it_changes(dispatcher):
    slots = validate(dispatcher, {"age_years": 9}, "sex", "purple")
    assert set(slots) == {"chat", "requested_slot"}  # the reply stays: the next message fills it again


def test_a_question_and_its_marker_are_one_message(dispatcher):
    validate(dispatcher, {}, "date_of_birth", "9 years old")
    asked = [m for m in dispatcher.messages if m.get("custom")]
    assert len(asked) == 1 and asked[0]["text"].endswith("does your child have?") and asked[0]["buttons"]


def test_the_start_records_the_forms_run_so_rasa_listens_next(dispatcher):
    events = run(ActionRespond(), dispatcher, make_tracker(text="hi", intent="greet"))
    assert events[-3:] == [{"event": "active_loop", "name": "conversation_form", "timestamp": None},
                           SlotSet("requested_slot", "reply"),
                           {"event": "action", "name": "conversation_form", "policy": None, "confidence": None,
                            "timestamp": None}]
