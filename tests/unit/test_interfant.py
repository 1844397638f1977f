"""Interfant-06 from trials/interfant_06.yml alone: babies, an age counted in days, a rule that
holds when its answer is not known, and a chat for parents and professionals only."""
import datetime as dt

import pytest

from conversation.asking import ask
from conversation.parsing import parse_age_or_birth
from conversation.prompts import flow_question
from conversation.reading import read
from conversation.turn import _flow_value, take_turn
from eligibility import evaluate, explain, next_question
from eligibility.explain import say
from eligibility.served import served

from .conftest import chat_walk

INFANT = served()["Interfant-06"]
DAY = dt.date(2026, 9, 7)
BABY = {"date_of_birth": "2026-03-01", "diagnosis": "all", "disease_state": "newly_diagnosed", "mature_b_all": False,
        "philadelphia_positive": False, "steroids_before_diagnosis": False}


@pytest.mark.parametrize("born,days,holds", [("2025-09-08", 364, True), ("2025-09-07", 365, True), ("2025-09-06", 366, False),
                                             ("2024-02-29", 921, False), ("2026-09-07", 0, True)])
def test_the_age_is_counted_in_days_on_today(born, days, holds):
    assert (DAY - dt.date.fromisoformat(born)).days == days
    result = evaluate({**BABY, "date_of_birth": born}, DAY, INFANT)
    assert ("age_up_to_365_days" in result.failed) is not holds


@pytest.mark.parametrize("years,status", [(0, "holds"), (1, "failed"), (3, "failed"), ("unknown", "unknown")])
def test_an_age_in_years_alone(years, status):
    baby = {k: v for k, v in BABY.items() if k != "date_of_birth"}
    assert evaluate({**baby, "age_years": years}, DAY, INFANT).status["age_up_to_365_days"] == status


@pytest.mark.parametrize("value", ["unknown", None])
def test_a_philadelphia_result_not_known_still_holds(value):
    baby = {k: v for k, v in BABY.items() if k != "philadelphia_positive"}
    if value:
        baby["philadelphia_positive"] = value
    result = evaluate(baby, DAY, INFANT)
    assert (result.outcome, result.unknown) == ("likely_eligible", [])


def test_the_philadelphia_question_is_still_asked_since_a_yes_rules_out():
    baby = {k: v for k, v in BABY.items() if k not in ("philadelphia_positive", "steroids_before_diagnosis")}
    assert next_question(baby, DAY, INFANT) == "philadelphia_positive"
    assert evaluate({**BABY, "philadelphia_positive": True}, DAY, INFANT).failed == ["philadelphia_positive"]
    assert "don't know" in say(INFANT.question("philadelphia_positive").ask, "parent")


def test_only_a_parent_or_a_professional_is_offered():
    assert flow_question(INFANT, "chatting_as", "").choices == ["parent", "professional"]
    assert _flow_value(INFANT, "chatting_as", read("it's me, I'm the patient")) is None
    assert _flow_value(INFANT, "chatting_as", read("I'm her mum")) == "parent"


def test_the_opening_names_the_baby():
    said = ask(INFANT, {}, "chatting_as", DAY).said
    assert said[0].response == "utter_opening" and INFANT.trial.who_joins == "the baby"


def test_a_professional_reads_about_the_baby():
    result = evaluate({**BABY, "steroids_before_diagnosis": True}, DAY, INFANT)
    assert "The baby cannot have had steroids" in explain(result, "professional", INFANT, BABY, DAY)
    assert "Your baby cannot have had steroids" in explain(result, "parent", INFANT, BABY, DAY)


@pytest.mark.parametrize("text,reading", [
    ("3 weeks old", ("birth", "2026-08-17")),
    ("she was born 10 days ago", ("birth", "2026-08-28")),
    ("four months", ("years", 0)),
    ("three and a half months", ("years", 0)),
    ("she'll be 9 months on saturday", ("years", 0)),
    ("a year and 2 months", ("years", 1)),
    ("1/3/2026", ("birth", "2026-03-01")),
])
def test_a_babys_age_in_a_familys_words(text, reading):
    assert parse_age_or_birth(text, DAY) == reading


def test_a_birthday_with_no_year_is_asked_again():
    turn = take_turn(INFANT, {"continue_closed": "yes", "chatting_as": "parent"}, "date_of_birth", "born in march", None, 0.0, DAY)
    assert "date_of_birth" not in turn.updates and turn.said[0].response == "utter_invalid_date_vague"


def test_a_baby_of_366_days_is_said_back_in_days_then_ruled_out():
    asked, decision = chat_walk(INFANT, {"date_of_birth": "6/9/2025", "confirm": "yes"}, DAY)
    assert asked == ["date_of_birth", "confirm"] and decision["failed"] == ["age_up_to_365_days"]


def test_the_say_back_gives_the_age_in_days():
    turn = take_turn(INFANT, {"continue_closed": "yes", "chatting_as": "parent"}, "date_of_birth", "6/9/2025", None, 0.0, DAY)
    assert turn.updates["confirms"] == {"date_of_birth": "2025-09-06"}
    from conversation.sayback import describe
    assert describe(INFANT, "date_of_birth", "2025-09-06", DAY) == "age: 12 months (366 days) (born 6 September 2025)"


def test_the_chats_turn_logic_runs_interfant_from_its_file():
    asked, decision = chat_walk(INFANT, {"date_of_birth": "she is 4 months old", "diagnosis": "mixed-type",
                                         "disease_state": "only just diagnosed", "mature_b_all": "no",
                                         "philadelphia_positive": "I don't know", "steroids_before_diagnosis": "no"}, DAY)
    assert asked == ["date_of_birth", "diagnosis", "disease_state", "mature_b_all", "philadelphia_positive",
                     "steroids_before_diagnosis"]
    assert (decision["trial"], decision["outcome"], decision["unknown"]) == ("Interfant-06", "likely_eligible", [])


@pytest.mark.parametrize("text,value", [
    ("born on boxing day last year", ("birth", "2025-12-26")),
    ("her 3rd birthday was in the summer holidays", ("years", 3)), ("planning his 2nd birthday party", None), ("he had his 2nd birthday on Saturday", ("years", 2)),
    ("his first birthday is next month", ("years", 0)),
    ("born 1/7/2026, she's 2 months old", ("birth", "2026-07-01")), ("born 1/3/2026, she's 9 months old", None),
    ("no idea of the exact date, he's at nursery", None),
])
def test_a_babys_age_by_birthday_holiday_or_with_a_date_that_must_agree(text, value):
    if value is None:
        with pytest.raises(Exception):
            parse_age_or_birth(text, DAY)
    else:
        assert parse_age_or_birth(text, DAY) == value


@pytest.mark.parametrize("key,text,value", [
    ("diagnosis", "MLL, mixed lineage leukaemia they called it", None),
    ("diagnosis", "it looked like AML at first, but it turned out to be ALL", "all"),
    ("steroids_before_diagnosis", "yes but only the inhaler", False),
    ("steroids_before_diagnosis", "yes, but that was a couple of months before", False),
    ("steroids_before_diagnosis", "they gave her dex the morning after diagnosis", False),
    ("mature_b_all", "no one has ever said anything about burkitt's", False),
])
def test_infant_words(key, text, value):
    t = take_turn(INFANT, {"continue_closed": "yes", "chatting_as": "parent", **{k: v for k, v in BABY.items() if k != key}},
                  key, text, None, 0.0, DAY)
    assert t.updates.get(key) == value
