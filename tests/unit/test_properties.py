"""Properties of the evaluator over generated answers (hypothesis)."""
import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from eligibility import evaluate, load_trial
from eligibility.engine import statuses
from eligibility.answers import check_answers

TRIAL = load_trial()
TODAY = dt.date(2026, 9, 7)
RANK = {"likely_eligible": 0, "not_yet": 1, "unsure": 1, "not_eligible": 2}
DATES = st.dates(min_value=dt.date(2000, 1, 1), max_value=TODAY).map(dt.date.isoformat)


def value_for(spec):
    unknown = st.just("unknown")
    if spec.kind == "yes_no":
        return st.one_of(st.booleans(), unknown)
    if spec.kind == "choice":
        return st.one_of(st.sampled_from(spec.choices), unknown)
    if spec.kind == "date":
        return st.one_of(DATES, unknown, *( [st.just("never")] if spec.never else []))
    if spec.step:
        return st.one_of(st.integers(0, 10).map(lambda n: n * spec.step), unknown)
    return st.one_of(st.integers(int(spec.min), int(spec.max)), unknown)


ANSWERS = st.fixed_dictionaries({}, optional={k: value_for(s) for k, s in TRIAL.answers.items()})


@settings(max_examples=300, deadline=None)
@given(ANSWERS)
def test_result_shape(answers):
    result = evaluate(answers, TODAY).as_json()
    assert result["failed"] == sorted(result["failed"]) and result["unknown"] == sorted(result["unknown"])
    assert not set(result["failed"]) & set(result["unknown"])
    assert (result["eligible_from"] is not None) == (result["outcome"] == "not_yet")
    if result["outcome"] == "not_yet":
        assert result["eligible_from"] > TODAY.isoformat()


@settings(max_examples=300, deadline=None)
@given(ANSWERS)
def test_an_unknown_answer_that_matters_is_never_likely_eligible(answers):
    """If any applicable criterion reads an unknown answer, the outcome is never likely_eligible."""
    result = evaluate(answers, TODAY)
    if result.outcome == "likely_eligible":
        checked = check_answers(TRIAL, answers, TODAY)
        status, _, _ = statuses(TRIAL, checked, TODAY)
        for c in TRIAL.criteria:
            if status[c.id] == "holds" and c.test and "any" not in c.test:
                assert all(checked.get(k, "unknown") != "unknown" for k in TRIAL.reads(c)
                           if k not in ("age_years", "date_of_birth")), c.id


@settings(max_examples=300, deadline=None)
@given(ANSWERS, st.sampled_from([k for k, s in TRIAL.answers.items() if s.never]))
def test_a_date_changed_to_never_never_makes_it_worse(answers, key):
    before = evaluate(answers, TODAY)
    after = evaluate({**answers, key: "never"}, TODAY)
    assert RANK[after.outcome] <= RANK[before.outcome]
    assert set(after.failed) <= set(before.failed)


@settings(max_examples=200, deadline=None)
@given(ANSWERS, st.sampled_from(list(TRIAL.answers)))
def test_answering_unknown_never_beats_a_fully_eligible_answer(answers, key):
    """Replacing any answer by "unknown" can never turn a non-eligible result into likely_eligible."""
    before = evaluate(answers, TODAY)
    after = evaluate({**answers, key: "unknown"}, TODAY)
    if before.outcome != "likely_eligible":
        assert after.outcome != "likely_eligible"
