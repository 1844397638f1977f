"""The evaluator against contract sections 1-4: every criterion, every window, time and age."""
import datetime as dt
import json

import pytest

from eligibility import evaluate, load_trial
from eligibility.engine import age_on

from .conftest import DATA, ELIGIBLE, TODAY

EXAMPLES = json.loads((DATA / "engine-examples.json").read_text())
TEEN_GIRL = {"date_of_birth": "2012-01-15", "sex": "female", "sexually_active": False, "pregnant_or_breastfeeding": False}
AFTER_TRANSPLANT = {"last_stem_cell_transplant": "2025-01-01", "gvhd": "none", "last_gvhd_medication": "never"}


def run(changes=None, drop=(), today=TODAY):
    """The eligible child's answers with `changes`; a change to None drops that answer."""
    answers = {k: v for k, v in {**ELIGIBLE, **(changes or {})}.items() if k not in drop and v is not None}
    return evaluate(answers, today)


def state(result, cid):
    if cid in result.failed:
        return "failed"
    if cid in result.unknown:
        return "unknown"
    return result.status[cid]  # holds or not_applicable


@pytest.mark.parametrize("case", [c for c in EXAMPLES if "error_key" not in c["expect"]], ids=lambda c: c["name"])
def test_contract_examples(case):
    got = evaluate(case["answers"], dt.date.fromisoformat(case["today"])).as_json()
    assert got == case["expect"]


def test_the_eligible_child_is_likely_eligible():
    result = run()
    assert result.as_json() == {"trial": "MT103-205", "recruiting": False, "outcome": "likely_eligible",
                                "failed": [], "unknown": [], "eligible_from": None}


# (criterion, changes, expected state): each criterion holding, failing, unknown, not applicable.
CRITERIA_TABLE = [
    ("b_precursor_all", {"diagnosis": "other"}, "failed"),
    ("b_precursor_all", {"diagnosis": "unknown"}, "unknown"),
    ("relapsed_or_refractory", {"relapsed_or_refractory": False}, "failed"),
    ("relapsed_or_refractory", {"relapsed_or_refractory": "unknown"}, "unknown"),
    ("marrow_blasts_over_25", {"marrow_blasts_percent": 25}, "failed"),
    ("marrow_blasts_over_25", {"marrow_blasts_percent": 25.5}, "holds"),
    ("marrow_blasts_over_25", {"marrow_blasts_percent": "unknown"}, "unknown"),
    ("under_18", {"date_of_birth": "2008-09-07"}, "failed"),
    ("under_18", {"date_of_birth": "2008-09-08"}, "holds"),
    ("under_18", {"date_of_birth": "unknown"}, "unknown"),
    ("performance_50", {"performance_score": 40}, "failed"),
    ("performance_50", {"performance_score": 50}, "holds"),
    ("performance_50", {"performance_score": "unknown"}, "unknown"),
    ("blood_tests_ok", {"blood_tests_ok": False}, "failed"),
    ("blood_tests_ok", {"blood_tests_ok": "unknown"}, "unknown"),
    ("contraception", {}, "not_applicable"),
    ("contraception", {**TEEN_GIRL, "sexually_active": True, "will_use_contraception": False}, "failed"),
    ("contraception", {**TEEN_GIRL, "sexually_active": True, "will_use_contraception": True}, "holds"),
    ("contraception", {**TEEN_GIRL, "sexually_active": True, "will_use_contraception": "unknown"}, "unknown"),
    ("contraception", {**TEEN_GIRL, "sexually_active": False, "will_use_contraception": False}, "holds"),
    ("contraception", {**TEEN_GIRL, "sexually_active": "unknown"}, "unknown"),
    ("contraception", {"date_of_birth": "unknown"}, "unknown"),
    ("gvhd", {**AFTER_TRANSPLANT, "gvhd": "acute"}, "failed"),
    ("gvhd", {**AFTER_TRANSPLANT, "gvhd": "chronic_extensive"}, "failed"),
    ("gvhd", {**AFTER_TRANSPLANT, "gvhd": "chronic_limited"}, "holds"),
    ("gvhd", {**AFTER_TRANSPLANT, "gvhd": "unknown"}, "unknown"),
    ("gvhd", {"gvhd": "acute"}, "not_applicable"),
    ("gvhd_medication_2w", {**AFTER_TRANSPLANT, "last_gvhd_medication": "2026-09-01"}, "failed"),
    ("gvhd_medication_2w", {**AFTER_TRANSPLANT, "last_gvhd_medication": "unknown"}, "unknown"),
    ("gvhd_medication_2w", {"last_gvhd_medication": "2026-09-01"}, "not_applicable"),
    ("testicular_leukaemia", {"testicular_leukaemia": True}, "failed"),
    ("testicular_leukaemia", {"testicular_leukaemia": "unknown"}, "unknown"),
    ("testicular_leukaemia", {"sex": "female", "testicular_leukaemia": True}, "not_applicable"),
    ("testicular_leukaemia", {"sex": "unknown", "testicular_leukaemia": True}, "failed"),
    ("cns_leukaemia", {"cns_leukaemia": "active"}, "failed"),
    ("cns_leukaemia", {"cns_leukaemia": "none"}, "holds"),
    ("cns_leukaemia", {"cns_leukaemia": "unknown"}, "unknown"),
    ("cns_autoimmune", {"cns_autoimmune_disease": True}, "failed"),
    ("cns_autoimmune", {"cns_autoimmune_disease": "unknown"}, "unknown"),
    ("transplant_3m", {**AFTER_TRANSPLANT, "last_stem_cell_transplant": "2026-07-01"}, "failed"),
    ("transplant_3m", {"last_stem_cell_transplant": "unknown"}, "unknown"),
    ("chemotherapy_2w", {"last_chemotherapy": "2026-09-01", "last_chemotherapy_low_dose": False}, "failed"),
    ("chemotherapy_2w", {"last_chemotherapy": "2026-09-01", "last_chemotherapy_low_dose": True}, "unknown"),
    ("chemotherapy_2w", {"last_chemotherapy": "2026-09-01", "last_chemotherapy_low_dose": "unknown"}, "unknown"),
    ("chemotherapy_2w", {"last_chemotherapy": "2026-09-01", "last_chemotherapy_low_dose": None}, "unknown"),
    ("chemotherapy_2w", {"last_chemotherapy": "2026-07-01", "last_chemotherapy_low_dose": "unknown"}, "holds"),
    ("chemotherapy_2w", {"last_chemotherapy": "unknown", "last_chemotherapy_low_dose": False}, "unknown"),
    ("chemotherapy_2w", {"last_chemotherapy": "never"}, "holds"),
    ("chemo_side_effects", {"chemo_side_effects": "ongoing"}, "failed"),
    ("chemo_side_effects", {"chemo_side_effects": "mild"}, "holds"),
    ("chemo_side_effects", {"chemo_side_effects": "unknown"}, "unknown"),
    ("chemo_side_effects", {"last_chemotherapy": "never", "chemo_side_effects": "ongoing"}, "not_applicable"),
    ("radiotherapy_2w", {"last_radiotherapy": "2026-09-01"}, "failed"),
    ("radiotherapy_2w", {"last_radiotherapy": "unknown"}, "unknown"),
    ("immunotherapy_6w", {"last_immunotherapy": "2026-08-01"}, "failed"),
    ("immunotherapy_6w", {"last_immunotherapy": "unknown"}, "unknown"),
    ("experimental_4w", {"last_experimental_treatment": "2026-08-20"}, "failed"),
    ("experimental_4w", {"last_experimental_treatment": "unknown"}, "unknown"),
    ("prior_blinatumomab", {"prior_blinatumomab": True}, "failed"),
    ("prior_blinatumomab", {"prior_blinatumomab": "unknown"}, "unknown"),
    ("hypersensitivity", {"hypersensitivity": True}, "failed"),
    ("hypersensitivity", {"hypersensitivity": "unknown"}, "unknown"),
    ("other_cancer", {"other_cancer": True}, "failed"),
    ("other_cancer", {"other_cancer": "unknown"}, "unknown"),
    ("serious_condition", {"serious_condition": True}, "failed"),
    ("serious_condition", {"serious_condition": "unknown"}, "unknown"),
    ("hiv_hepatitis", {"hiv_hepatitis": True}, "failed"),
    ("hiv_hepatitis", {"hiv_hepatitis": "unknown"}, "unknown"),
    ("pregnant_or_breastfeeding", {**TEEN_GIRL, "pregnant_or_breastfeeding": True}, "failed"),
    ("pregnant_or_breastfeeding", {**TEEN_GIRL}, "holds"),
    ("pregnant_or_breastfeeding", {**TEEN_GIRL, "pregnant_or_breastfeeding": "unknown"}, "unknown"),
    ("pregnant_or_breastfeeding", {"pregnant_or_breastfeeding": True}, "not_applicable"),
    ("pregnant_or_breastfeeding", {"sex": "female", "pregnant_or_breastfeeding": True}, "not_applicable"),
    ("pregnant_or_breastfeeding", {"date_of_birth": "unknown", "sex": "female"}, "unknown"),
]


@pytest.mark.parametrize("cid,changes,expected", CRITERIA_TABLE)
def test_each_criterion(cid, changes, expected):
    assert state(run(changes), cid) == expected


@pytest.mark.parametrize("cid", [c.id for c in load_trial().criteria])
def test_every_criterion_is_in_the_table_holding_failing_and_unknown(cid):
    states = {e for c, _, e in CRITERIA_TABLE if c == cid}
    assert {"failed", "unknown"} <= states
    assert run().status[cid] in ("holds", "not_applicable")


@pytest.mark.parametrize("key", [k for k in load_trial().answers if k != "age_years"])
def test_a_missing_answer_counts_like_unknown(key):
    with_unknown = run({key: "unknown"})
    missing = run(drop=[key])
    assert (missing.outcome, missing.failed, missing.unknown) == (with_unknown.outcome, with_unknown.failed, with_unknown.unknown)


WINDOWS = [("gvhd_medication_2w", "last_gvhd_medication", 14), ("chemotherapy_2w", "last_chemotherapy", 14),
           ("radiotherapy_2w", "last_radiotherapy", 14), ("immunotherapy_6w", "last_immunotherapy", 42),
           ("experimental_4w", "last_experimental_treatment", 28)]


@pytest.mark.parametrize("cid,key,days", WINDOWS)
def test_a_day_window_is_met_on_last_plus_window(cid, key, days):
    last = TODAY - dt.timedelta(days=days)
    changes = {**AFTER_TRANSPLANT, key: last.isoformat()}
    before = run(changes, today=TODAY - dt.timedelta(days=1))
    assert before.failed == [cid] and before.outcome == "not_yet" and before.eligible_from == TODAY.isoformat()
    met = run(changes, today=TODAY)
    assert met.failed == [] and met.outcome == "likely_eligible"


@pytest.mark.parametrize("last,day_before,met", [
    ("2026-06-07", "2026-09-06", "2026-09-07"),
    ("2025-11-30", "2026-02-27", "2026-02-28"),  # clamped to the end of February
    ("2027-11-30", "2028-02-28", "2028-02-29"),  # a leap year
    ("2026-05-31", "2026-08-30", "2026-08-31"),
])
def test_three_calendar_months_from_a_transplant(last, day_before, met):
    changes = {**AFTER_TRANSPLANT, "last_stem_cell_transplant": last, "date_of_birth": "2020-01-01",
               "last_chemotherapy": "never"}
    before = run(changes, today=dt.date.fromisoformat(day_before))
    assert before.failed == ["transplant_3m"] and before.eligible_from == met
    assert run(changes, today=dt.date.fromisoformat(met)).outcome == "likely_eligible"


def test_the_latest_window_decides_the_start_day():
    result = run({"last_radiotherapy": "2026-09-01", "last_immunotherapy": "2026-08-03"})
    assert result.failed == ["immunotherapy_6w", "radiotherapy_2w"]
    assert result.eligible_from == "2026-09-15"


def test_not_yet_keeps_its_unknowns():
    result = run({"last_radiotherapy": "2026-09-01", "blood_tests_ok": "unknown"})
    assert (result.outcome, result.unknown, result.eligible_from) == ("not_yet", ["blood_tests_ok"], "2026-09-15")


def test_a_low_dose_window_moves_nothing():
    result = run({"last_chemotherapy": "2026-09-01", "last_chemotherapy_low_dose": True, "last_radiotherapy": "2026-09-01"})
    assert result.failed == ["radiotherapy_2w"] and result.unknown == ["chemotherapy_2w"]
    assert result.eligible_from == "2026-09-15"


def test_a_failure_waiting_cannot_fix_wins_over_a_window():
    result = run({"diagnosis": "other", "last_radiotherapy": "2026-09-01"})
    assert result.outcome == "not_eligible" and result.eligible_from is None
    assert result.failed == ["b_precursor_all", "radiotherapy_2w"]


# The 18th birthday against the day the windows close (born 20 September 2008).
@pytest.mark.parametrize("last_experimental,outcome,failed,eligible_from", [
    ("2026-09-01", "not_eligible", ["experimental_4w", "under_18"], None),  # window ends 29 Sep, after the birthday
    ("2026-08-20", "not_yet", ["experimental_4w"], "2026-09-17"),  # ends 17 Sep, before the birthday
    ("2026-08-23", "not_eligible", ["experimental_4w", "under_18"], None),  # ends on the birthday itself
])
def test_the_18th_birthday_and_the_windows(last_experimental, outcome, failed, eligible_from):
    result = run({"date_of_birth": "2008-09-20", "sexually_active": False, "last_experimental_treatment": last_experimental})
    assert (result.outcome, result.failed, result.eligible_from) == (outcome, failed, eligible_from)


@pytest.mark.parametrize("age,window,outcome,under_18", [
    (17, True, "not_yet", "unknown"),  # the birthday may come first
    (17, False, "likely_eligible", "holds"),
    (16, True, "not_yet", "holds"),
    (18, False, "not_eligible", "failed"),
    (18, True, "not_eligible", "failed"),
    ("unknown", False, "unsure", "unknown"),
])
def test_age_in_years_only(age, window, outcome, under_18):
    changes = {"age_years": age, "sexually_active": False}
    if window:
        changes["last_radiotherapy"] = "2026-09-01"
    result = run(changes, drop=["date_of_birth"])
    assert result.outcome == outcome and state(result, "under_18") == under_18


def test_a_date_of_birth_wins_over_an_age():
    assert run({"age_years": 30}).outcome == "likely_eligible"
    assert run({"date_of_birth": "unknown", "age_years": 30}).failed == ["under_18"]


@pytest.mark.parametrize("born,day,age", [
    ("2008-02-29", "2026-02-28", 17), ("2008-02-29", "2026-03-01", 18),
    ("2012-02-29", "2028-02-28", 15), ("2012-02-29", "2028-02-29", 16),
    ("2016-04-20", "2026-04-19", 9), ("2016-04-20", "2026-04-20", 10),
])
def test_whole_years_and_leap_day_birthdays(born, day, age):
    assert age_on(dt.date.fromisoformat(born), dt.date.fromisoformat(day)) == age


def test_born_on_29_february_is_17_until_1_march():
    changes = {"date_of_birth": "2008-02-29", "sexually_active": False, "last_chemotherapy": "never"}
    assert run(changes, today=dt.date(2026, 2, 28)).outcome == "likely_eligible"
    assert run(changes, today=dt.date(2026, 3, 1)).failed == ["under_18"]


def test_under_12_is_judged_on_today():
    changes = {"date_of_birth": "2014-09-08", "sex": "female"}  # 12 on 8 September 2026
    assert state(run(changes, today=dt.date(2026, 9, 7)), "contraception") == "not_applicable"
    assert state(run(changes, today=dt.date(2026, 9, 8)), "contraception") == "unknown"


def test_the_result_uses_today_not_the_clock():
    a = run(today=dt.date(2026, 9, 7)).as_json()
    b = run(today=dt.date(2026, 9, 7)).as_json()
    assert a == b
    assert run({"last_radiotherapy": "2026-09-01"}, today=dt.date(2026, 9, 15)).outcome == "likely_eligible"
