"""next_question: skip what does not apply, stop when the decision is settled."""
import datetime as dt

import pytest

from eligibility import evaluate, next_question

from .conftest import ELIGIBLE, TODAY


def ask_all(truth, today=TODAY):
    """Answer each question from `truth` ("unknown" where it has none); the keys asked, in order."""
    answers, asked = {}, []
    while (key := next_question(answers, today)) is not None:
        assert key not in asked, f"{key} asked twice"
        asked.append(key)
        answers[key] = truth.get(key, "unknown")
    return asked, answers


def test_an_eligible_boy_without_transplant_answers_21_questions():
    asked, answers = ask_all(ELIGIBLE)
    assert len(asked) == 21
    assert evaluate(answers, TODAY).outcome == "likely_eligible"
    for skipped in ("gvhd", "last_gvhd_medication", "sexually_active", "will_use_contraception",
                    "pregnant_or_breastfeeding", "last_chemotherapy_low_dose"):
        assert skipped not in asked


def test_a_19_year_old_is_stopped_after_one_question():
    asked, answers = ask_all({**ELIGIBLE, "date_of_birth": "2007-01-01"})
    assert asked == ["date_of_birth"]
    assert evaluate(answers, TODAY).outcome == "not_eligible"


def test_questions_start_with_age_then_the_illness():
    assert next_question({}, TODAY) == "date_of_birth"
    assert next_question({"age_years": 9}, TODAY) == "diagnosis"


def test_sex_is_asked_only_while_it_could_change_a_rule():
    child = {"age_years": 9, "diagnosis": "b_precursor_all", "relapsed_or_refractory": True, "prior_blinatumomab": False}
    assert next_question(child, TODAY) == "sex"  # the testicles rule is not answered yet
    assert next_question({**child, "testicular_leukaemia": False}, TODAY) == "marrow_blasts_percent"
    teen = {**child, "age_years": 13, "testicular_leukaemia": False, "pregnant_or_breastfeeding": False}
    assert next_question(teen, TODAY) == "marrow_blasts_percent"


def test_stops_as_soon_as_a_final_failure_is_known():
    assert next_question({"date_of_birth": "2016-04-20", "diagnosis": "other"}, TODAY) is None


def test_a_window_failure_does_not_stop_the_questions():
    asked, answers = ask_all({**ELIGIBLE, "last_chemotherapy": "2026-09-01"})
    assert "last_chemotherapy_low_dose" in asked
    assert asked[-1] == "hiv_hepatitis"
    assert evaluate(answers, TODAY).outcome == "not_yet"


def test_a_teenage_girl_is_asked_about_pregnancy_and_contraception_not_testicles():
    girl = {**ELIGIBLE, "date_of_birth": "2011-03-02", "sex": "female", "sexually_active": True,
            "will_use_contraception": True, "pregnant_or_breastfeeding": False}
    asked, _ = ask_all(girl)
    assert {"pregnant_or_breastfeeding", "will_use_contraception"} <= set(asked)
    assert "testicular_leukaemia" not in asked
    assert "sexually_active" not in asked  # willing to use contraception: the rule holds either way


def test_sexually_active_is_asked_only_when_contraception_is_not_agreed():
    teen = {**ELIGIBLE, "date_of_birth": "2011-03-02", "will_use_contraception": False, "sexually_active": False}
    asked, answers = ask_all(teen)
    assert asked.index("will_use_contraception") < asked.index("sexually_active")
    result = evaluate(answers, TODAY)
    assert "contraception" not in result.failed + result.unknown


def test_gvhd_is_asked_after_a_transplant():
    asked, _ = ask_all({**ELIGIBLE, "last_stem_cell_transplant": "2025-01-01", "gvhd": "none", "last_gvhd_medication": "never"})
    assert asked.index("last_stem_cell_transplant") < asked.index("gvhd") < asked.index("last_gvhd_medication")


def test_side_effects_are_not_asked_without_chemotherapy():
    asked, _ = ask_all({**ELIGIBLE, "last_chemotherapy": "never"})
    assert "chemo_side_effects" not in asked and "last_chemotherapy_low_dose" not in asked


def test_unknown_age_keeps_the_age_gated_questions():
    asked, _ = ask_all({**ELIGIBLE, "date_of_birth": "unknown", "sex": "female"})
    assert {"pregnant_or_breastfeeding", "sexually_active"} <= set(asked)


def test_invalid_answers_are_refused_by_next_question_too():
    with pytest.raises(Exception) as err:
        next_question({"age_years": -3}, dt.date(2026, 1, 1))
    assert "age_years" in str(err.value)
