"""ALL R3 from trials/all_r3.yml alone: a first relapse, where illness stands as one answer shared
with other trials, and a rule the trial's own records disagree on."""
import datetime as dt

import pytest

from conversation.parsing import NotUnderstood, parse_choice
from conversation.prompts import answer_question, choice_words
from eligibility import evaluate, explain, next_question
from eligibility.served import served

from .conftest import chat_walk

ALL_R3 = served()["ALL R3"]
DAY = dt.date(2026, 9, 7)
CHILD = {"date_of_birth": "2017-04-10", "diagnosis": "all", "disease_state": "first_relapse",
         "relapse_treatment_started": False, "mature_b_all": False, "had_stem_cell_transplant": False}


@pytest.mark.parametrize("transplant", [True, "unknown", None])
def test_a_rule_the_records_disagree_on_is_never_failed(transplant):
    child = {k: v for k, v in CHILD.items() if k != "had_stem_cell_transplant"}
    if transplant is not None:
        child["had_stem_cell_transplant"] = transplant
    result = evaluate(child, DAY, ALL_R3)
    assert (result.outcome, result.failed, result.unknown) == ("unsure", [], ["prior_transplant"])


def test_no_transplant_holds():
    assert evaluate(CHILD, DAY, ALL_R3).outcome == "likely_eligible"


def test_the_chat_says_plainly_that_the_records_disagree():
    result = evaluate({**CHILD, "had_stem_cell_transplant": True}, DAY, ALL_R3)
    text = explain(result, "parent", ALL_R3, CHILD, DAY)
    assert "records disagree" in text and "trial team would decide" in text
    assert "records disagree" in ALL_R3.criterion("prior_transplant").why


@pytest.mark.parametrize("state,failed", [("first_relapse", []), ("refractory", []), ("later_relapse", ["later_relapse"]),
                                          ("newly_diagnosed", ["relapsed_or_refractory"])])
def test_where_the_illness_stands(state, failed):
    child = {**CHILD, "disease_state": state}
    if state != "first_relapse":
        child.pop("relapse_treatment_started")  # asked only for a first relapse
    assert evaluate(child, DAY, ALL_R3).failed == failed


def test_treatment_for_this_relapse_is_asked_only_for_a_first_relapse():
    base = {k: v for k, v in CHILD.items() if k not in ("relapse_treatment_started", "mature_b_all", "had_stem_cell_transplant")}
    assert next_question(base, DAY, ALL_R3) == "relapse_treatment_started"
    assert next_question({**base, "disease_state": "refractory"}, DAY, ALL_R3) == "mature_b_all"


@pytest.mark.parametrize("years,holds", [(0, False), (1, True), (17, True), (18, False)])
def test_ages_1_to_17(years, holds):
    child = {k: v for k, v in CHILD.items() if k != "date_of_birth"}
    assert ("age_1_to_17" in evaluate({**child, "age_years": years}, DAY, ALL_R3).failed) is not holds


def test_the_transplant_question_offers_no_first():
    q = answer_question(ALL_R3, "had_stem_cell_transplant", "parent", CHILD, DAY)
    assert q.choices == ["no", "yes", "I don't know"]


@pytest.mark.parametrize("text,value", [
    ("it came back in march", "first_relapse"),
    ("she's relapsed for the first time", "first_relapse"),
    ("this is his second relapse", "later_relapse"),
    ("it's come back for the third time", "later_relapse"),
    ("they never got her into remission", "refractory"),
    ("it didn't go away with the first treatment", "refractory"),
    ("she was only diagnosed last week", "newly_diagnosed"),
    ("it hasn't come back, it's newly diagnosed", "newly_diagnosed"),
    # the transplant treated the first relapse, so coming back after it is a later one
    ("it came back after the transplant he had for his first relapse", "later_relapse"),
    ("she relapsed last spring and now it has come back again", "later_relapse"),
    ("first CNS relapse, two years after she was diagnosed", "first_relapse"),
])
def test_where_the_illness_stands_in_a_familys_words(text, value):
    assert parse_choice(text, choices=choice_words(ALL_R3, "disease_state")) == value


@pytest.mark.parametrize("text", ["relapsed or refractory, they've used both", "ALL, I think?"])
def test_words_that_point_two_ways_or_lean_are_asked_again(text):
    key = "diagnosis" if "ALL" in text else "disease_state"
    with pytest.raises(NotUnderstood):
        parse_choice(text, choices=choice_words(ALL_R3, key))


def test_the_chats_turn_logic_runs_all_r3_from_its_file():
    asked, decision = chat_walk(ALL_R3, {"date_of_birth": "he's 9", "diagnosis": "ALL", "disease_state": "it's come back once",
                                         "relapse_treatment_started": "no, not started yet", "mature_b_all": "no",
                                         "had_stem_cell_transplant": "no, just chemo"}, DAY)
    assert asked == ["date_of_birth", "diagnosis", "disease_state", "relapse_treatment_started", "mature_b_all",
                     "had_stem_cell_transplant"]
    assert (decision["trial"], decision["outcome"]) == ("ALL R3", "likely_eligible")


def test_a_later_relapse_is_said_back_then_rules_the_child_out():
    asked, decision = chat_walk(ALL_R3, {"date_of_birth": "12", "diagnosis": "ALL", "disease_state": "it's her third relapse",
                                         "confirm": "yes"}, DAY)
    assert asked[-1] == "confirm" and decision["outcome"] == "not_eligible" and decision["failed"] == ["later_relapse"]


@pytest.mark.parametrize("key,text,value", [
    ("diagnosis", "acute lymphocytic leukemia", "all"), ("diagnosis", "the lymphoblastic type", "all"),
    ("diagnosis", "mixed lineage leukaemia", None),
])
def test_the_illness_in_other_words(key, text, value):
    if value is None:
        with pytest.raises(NotUnderstood):
            parse_choice(text, choices=choice_words(ALL_R3, key))
    else:
        assert parse_choice(text, choices=choice_words(ALL_R3, key)) == value


@pytest.mark.parametrize("key,text,value", [
    ("had_stem_cell_transplant", "no, she was a donor for her brother's transplant", False),
    ("relapse_treatment_started", "the chemo started yesterday, no radiotherapy yet", True),
    ("mature_b_all", "she had Burkitt's", True),
])
def test_all_r3_yes_no_in_a_familys_words(key, text, value):
    from conversation.parsing import parse_yes_no
    from conversation.prompts import yes_no_words
    assert parse_yes_no(text, words=yes_no_words(ALL_R3, key)) is value
