"""UKALL 2011, the second real trial, run by the same engine from trials/ukall_2011.yml alone."""
import datetime as dt
from pathlib import Path

import pytest

from conversation.facts import extract_facts, topic_keys
from eligibility import InvalidAnswer, evaluate, load_trial, next_question

from .conftest import chat_walk


ROOT = Path(__file__).resolve().parents[2]
TRIAL_FILE = ROOT / "trials" / "ukall_2011.yml"
UKALL = load_trial(TRIAL_FILE)
DAY = dt.date(2026, 5, 20)
CHILD = {"diagnosis": "all", "mature_b_all": False, "philadelphia_positive": False, "previous_treatment": "none",
         "date_of_birth": "2018-02-09"}


@pytest.mark.parametrize("years,holds", [(0, False), (1, True), (24, True), (25, False), (120, False)])
def test_age_in_years_from_1_to_24_holds(years, holds):
    child = {k: v for k, v in CHILD.items() if k != "date_of_birth"}
    result = evaluate({**child, "age_years": years, "sexually_active": False}, DAY, UKALL)
    assert ("age_1_to_24" in result.failed) is not holds


@pytest.mark.parametrize("born,holds", [
    ("2025-05-21", False), ("2025-05-20", True),  # the first birthday: the day before, and on the day
    ("2001-05-21", True), ("2001-05-20", False),  # the 25th birthday: the day before, and on the day
])
def test_age_from_a_date_of_birth_is_judged_on_the_day(born, holds):
    result = evaluate({**CHILD, "date_of_birth": born, "sexually_active": False}, DAY, UKALL)
    assert ("age_1_to_24" in result.failed) is not holds


@pytest.mark.parametrize("days,outcome", [(0, "likely_eligible"), (3, "likely_eligible"), (4, "not_eligible"),
                                          ("unknown", "unsure")])
def test_steroids_alone_for_up_to_3_days_are_allowed(days, outcome):
    child = {**CHILD, "previous_treatment": "steroids_only", "steroid_days": days}
    assert evaluate(child, DAY, UKALL).outcome == outcome


def test_the_steroid_days_are_asked_only_after_steroids():
    asked = next_question({**CHILD, "previous_treatment": "none"}, DAY, UKALL)
    assert asked is None
    assert next_question({**CHILD, "previous_treatment": "steroids_only"}, DAY, UKALL) == "steroid_days"


def test_lymphoma_needs_no_questions_about_leukaemia_types():
    child = {"diagnosis": "lbl", "previous_treatment": "none", "date_of_birth": "2018-02-09"}
    assert next_question(child, DAY, UKALL) is None
    assert evaluate(child, DAY, UKALL).outcome == "likely_eligible"


def test_invalid_answers_name_the_key():
    with pytest.raises(InvalidAnswer) as err:
        evaluate({**CHILD, "steroid_days": 400}, DAY, UKALL)
    assert err.value.key == "steroid_days"


def test_the_result_names_the_trial_and_its_status():
    result = evaluate(CHILD, DAY, UKALL).as_json()
    assert result["trial"] == "UKALL 2011" and result["recruiting"] is False and result["eligible_from"] is None


def test_the_chats_turn_logic_runs_ukall_from_its_file():
    asked, decision = chat_walk(UKALL, {"date_of_birth": "she's 3", "diagnosis": "acute lymphoblastic leukaemia",
                            "mature_b_all": "no", "philadelphia_positive": "no, negative",
                            "previous_treatment": "just dexamethasone", "steroid_days": "2 days"}, DAY)
    assert asked == ["date_of_birth", "diagnosis", "mature_b_all", "philadelphia_positive", "previous_treatment",
                     "steroid_days"]
    assert decision["outcome"] == "likely_eligible" and decision["trial"] == "UKALL 2011"


def test_a_week_of_steroids_is_said_back_then_rules_the_child_out():
    asked, decision = chat_walk(UKALL, {"date_of_birth": "9", "diagnosis": "ALL", "mature_b_all": "no",
                            "philadelphia_positive": "no", "previous_treatment": "prednisolone only",
                            "steroid_days": "a week, 7 days", "confirm": "yes"}, DAY)
    assert asked[-1] == "confirm" and decision["outcome"] == "not_eligible" and decision["failed"] == ["previous_treatment"]


@pytest.mark.parametrize("text,facts", [
    ("she is 7 and has ALL", {"age_years": 7, "diagnosis": "all"}),
    ("my son is 12 and has lymphoblastic lymphoma", {"age_years": 12, "diagnosis": "lbl"}),
    ("he is 15, he had dexamethasone for 5 days", {"age_years": 15, "steroid_days": 5}),
    ("the steroids were last week", {}),
])
def test_facts_in_a_longer_message_come_from_its_file(text, facts):
    assert extract_facts(text, DAY, UKALL) == facts


def test_a_question_is_named_by_its_topic():
    assert topic_keys(UKALL, "change the steroid days") == ["steroid_days"]
