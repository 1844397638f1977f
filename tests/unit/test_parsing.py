"""One parser per kind of answer: what families type, and what each becomes."""
import datetime as dt

import pytest

from conversation.parsing import (NotUnderstood, parse_age_or_birth, parse_choice, parse_date, parse_number,
                                  parse_performance, parse_yes_no)
from conversation.prompts import choice_words
from eligibility import load_trial

TRIAL = load_trial()

TODAY = dt.date(2026, 11, 25)  # a Wednesday


@pytest.mark.parametrize("text,value", [
    ("yes", True), ("Yeah he has", True), ("yse", True), ("definately", True), ("y", True), ("she did", True),
    ("no", False), ("nope", False), ("no he hasn't", False), ("he didnt", False), ("N", False),
    ("not that I know of", False), ("never", False),
    ("not sure", "unknown"), ("I don't know", "unknown"), ("I'd have to ask the doctor", "unknown"),
    ("no idea", "unknown"), ("dunno", "unknown"),
])
def test_yes_no(text, value):
    assert parse_yes_no(text) == value


@pytest.mark.parametrize("text", ["", "purple", "how long is he in hospital?", "<script>alert(1)</script>"])
def test_yes_no_refuses(text):
    with pytest.raises(NotUnderstood):
        parse_yes_no(text)


@pytest.mark.parametrize("text,value", [
    ("3 weeks ago", "2026-11-04"), ("three weeks ago", "2026-11-04"), ("3 wks ago", "2026-11-04"),
    ("the 2nd of October", "2026-10-02"), ("10/10/2026", "2026-10-10"), ("2/10", "2026-10-02"),
    ("last Tuesday", "2026-11-24"), ("yesterday", "2026-11-24"), ("this morning", "2026-11-25"),
    ("a fortnight ago", "2026-11-11"), ("2 months ago", "2026-09-25"), ("1 year ago", "2025-11-25"),
    ("in March", "2026-03-31"), ("October", "2026-10-31"), ("in November", "2026-11-25"),
    ("2024", "2024-12-31"), ("2026-01-15", "2026-01-15"),
    ("never", "never"), ("no", "never"), ("he hasn't had one", "never"),
    ("I don't know", "unknown"),
])
def test_dates_are_read_day_first_and_in_the_past(text, value):
    assert parse_date(text, TODAY, never=True) == value


@pytest.mark.parametrize("text,hint", [
    ("next week", "date_future"), ("tomorrow", "date_future"), ("2026-02-30", "date_impossible"),
    ("a few weeks ago", "date_vague"), ("in 2026", "date_vague"), ("yes", "date_when"),
    ("9", "date"), ("purple", "date"),
])
def test_dates_refused_with_a_hint(text, hint):
    with pytest.raises(NotUnderstood) as err:
        parse_date(text, TODAY, never=True)
    assert err.value.hint == hint


def test_never_only_where_allowed():
    with pytest.raises(NotUnderstood):
        parse_date("never", TODAY, never=False)


@pytest.mark.parametrize("text,value", [
    ("45", 45), ("45%", 45), ("about forty percent", 40), ("forty-five", 45), ("fourty", 40),
("half", 50), ("ninety percent", 90), ("25.5", 25.5), ("I'm not sure", "unknown"),
])
def test_numbers_in_digits_or_words(text, value):
    assert parse_number(text, 0, 100) == value


@pytest.mark.parametrize("text,hint", [("250%", "number_range"), ("-3", "number_range"), ("lots", "number"),
                                       ("30 to 40%", "number_exact"), ("more than 25%", "number_exact"),
                                       ("under 5", "number_exact")])
def test_numbers_refused(text, hint):
    with pytest.raises(NotUnderstood) as err:
        parse_number(text, 0, 100)
    assert err.value.hint == hint


@pytest.mark.parametrize("text,value", [
    ("he's 12", ("years", 12)), ("9 years old", ("years", 9)), ("9", ("years", 9)),
    ("nine", ("years", 9)), ("she is eleven", ("years", 11)), ("18 months", ("years", 1)),
    ("20/04/2016", ("birth", "2016-04-20")), ("20 April 2016", ("birth", "2016-04-20")),
    ("he was born on 20/04/2016", ("birth", "2016-04-20")), ("2016-04-20", ("birth", "2016-04-20")),
    ("i don't know", ("birth", "unknown")),
])
def test_age_or_date_of_birth(text, value):
    assert parse_age_or_birth(text, TODAY) == value


@pytest.mark.parametrize("text,hint", [("250", "age_range"), ("-3", "age_range"), ("born in 2016", "date_vague"),
                                       ("old enough", "age")])
def test_age_refused(text, hint):
    with pytest.raises(NotUnderstood) as err:
        parse_age_or_birth(text, TODAY)
    assert err.value.hint == hint


@pytest.mark.parametrize("key,text,value", [
    ("sex", "boy", "male"), ("sex", "my daughter", "female"), ("sex", "male", "male"),
    ("diagnosis", "b cell all", "b_precursor_all"), ("diagnosis", "B-ALL", "b_precursor_all"),
    ("diagnosis", "pre-b", "b_precursor_all"), ("diagnosis", "T-cell ALL", "other"), ("diagnosis", "AML", "other"),
    ("diagnosis", "b_precursor_all", "b_precursor_all"),
    ("gvhd", "no", "none"), ("gvhd", "chronic but limited", "chronic_limited"), ("gvhd", "only on his hands", "chronic_limited"), ("gvhd", "widespread", "chronic_extensive"),
    ("cns_leukaemia", "yes but it was treated and caused no symptoms", "treated_no_symptoms"),
    ("cns_leukaemia", "no", "none"), ("cns_leukaemia", "it's there right now", "active"),
    ("chemo_side_effects", "only mild", "mild"), ("chemo_side_effects", "a bit tired", "mild"),
    ("chemo_side_effects", "none", "none"), ("chemo_side_effects", "yes, still struggling", "ongoing"),
])
def test_choices(key, text, value):
    assert parse_choice(text, choices=choice_words(TRIAL, key)) == value


@pytest.mark.parametrize("key,text", [
    ("gvhd", "chronic"), ("cns_leukaemia", "yes"), ("cns_leukaemia", "his last lumbar puncture was clear"),
    ("chemo_side_effects", "no he hasn't recovered"), ("chemo_side_effects", "purple"),
])
def test_choices_that_fit_none_or_several_ask_which_is_closest(key, text):
    with pytest.raises(NotUnderstood) as err:
        parse_choice(text, choices=choice_words(TRIAL, key))
    assert err.value.hint == "choice_closest"


LEVELS = [(80, "Active, but tires more quickly"), (50, "Lies around a lot, but gets dressed and joins quiet play"),
          (40, "Mostly in bed, joins some quiet activities")]


@pytest.mark.parametrize("text,value", [
    ("Active, but tires more quickly", 80), ("80", 80), ("lansky 50", 50),
    ("he lies around a lot but still gets dressed and joins quiet play", 50), ("not sure", "unknown"),
])
def test_performance_from_a_score_or_a_description(text, value):
    assert parse_performance(text, LEVELS) == value


@pytest.mark.parametrize("text,hint", [("75", "performance_range"), ("110", "performance_range"), ("fine", "performance")])
def test_performance_refused(text, hint):
    with pytest.raises(NotUnderstood) as err:
        parse_performance(text, LEVELS)
    assert err.value.hint == hint
