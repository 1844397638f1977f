"""The evaluator: answers and a day in, a result out. No I/O, no clock, no framework.

Conditions use three-valued logic (True, False, None = unknown), so a missing or
"unknown" answer makes a criterion unknown rather than a guess (unless the trial file
says the rule holds when its answer is not known). Windows are exclusions with a date:
they fail only until last + window, so they can be waited out; every other failure is
final. A rule the trial's own records disagree on is never failed: unknown when it
would apply, for the trial team to decide.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple

from dateutil.relativedelta import relativedelta

from .answers import NEVER, UNKNOWN, check_answers
from .trial import Criterion, Trial, Window, age_keys, load_trial

HOLDS, FAILED, UNKNOWN_STATUS, NOT_APPLICABLE = "holds", "failed", "unknown", "not_applicable"

LIKELY_ELIGIBLE, NOT_YET, UNSURE, NOT_ELIGIBLE = "likely_eligible", "not_yet", "unsure", "not_eligible"


@dataclass(frozen=True)
class Result:
    trial: str
    recruiting: bool
    outcome: str
    failed: List[str]
    unknown: List[str]
    eligible_from: Optional[str]
    # Internal detail for explanations and the next question; not part of the JSON.
    status: Dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    start: Optional[dt.date] = field(default=None, compare=False, repr=False)

    def as_json(self) -> Dict[str, Any]:
        return {
            "trial": self.trial,
            "recruiting": self.recruiting,
            "outcome": self.outcome,
            "failed": self.failed,
            "unknown": self.unknown,
            "eligible_from": self.eligible_from,
        }


def age_on(born: dt.date, day: dt.date) -> int:
    """Whole years; someone born on 29 February has a birthday on 1 March in other years."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def window_end(last: dt.date, window: Window) -> dt.date:
    if window.months is not None:
        return last + relativedelta(months=window.months)  # clamps 30 Nov + 3 to 28/29 Feb
    return last + dt.timedelta(days=window.days)


class _Context:
    """One evaluation: the checked answers, today and the day treatment could start."""

    def __init__(self, trial: Trial, answers: Mapping[str, Any], today: dt.date):
        self.answers = answers
        self.today = today
        self.start = today
        self.dob_key, self.age_key = (age_keys(trial.answers) + [None, None])[:2]

    def value(self, key: str) -> Any:
        v = self.answers.get(key, UNKNOWN)
        return None if v == UNKNOWN else v

    def age_below(self, limit: int, day: dt.date) -> Optional[bool]:
        born = self.value(self.dob_key) if self.dob_key else None
        if born is not None:
            return age_on(born, day) < limit
        years = self.value(self.age_key) if self.age_key else None
        if years is None:
            return None
        if years >= limit:
            return False
        # A birthday may fall between today and that day.
        return True if years < limit - 1 or day <= self.today else None

    def days_at_most(self, limit: int) -> Optional[bool]:
        """At most `limit` days old today. With only whole years, a year is 365 days: under one
        year holds a limit of a year, one year or more does not."""
        born = self.value(self.dob_key) if self.dob_key else None
        if born is not None:
            return (self.today - born).days <= limit
        years = self.value(self.age_key) if self.age_key else None
        if years is None:
            return None
        if 365 * years >= limit:
            return False
        return True if 365 * (years + 1) <= limit + 1 else None

    def test(self, cond: Mapping[str, Any]) -> Optional[bool]:
        return compiled(cond)(self)

    def within(self, window: Window) -> Tuple[Optional[bool], Optional[dt.date]]:
        last = self.value(window.key)
        if last is None:
            return None, None
        if last == NEVER:
            return False, None
        end = window_end(last, window)
        return self.today < end, end


_LEAF: Dict[str, Callable[[Any, Any], bool]] = {
    "equals": lambda v, t: v == t,
    "in": lambda v, t: v in t,
    "is": lambda v, t: v is t,
    "greater_than": lambda v, t: v > t,
    "at_least": lambda v, t: v >= t,
    "less_than": lambda v, t: v < t,
    "at_most": lambda v, t: v <= t,
}

Test = Callable[[_Context], Optional[bool]]
# Conditions are compiled to closures once: evaluation is the hot path (next_question runs
# it dozens of times a turn). Keyed by id, with the condition kept so the id stays its own.
_COMPILED: Dict[int, Tuple[Mapping[str, Any], Test]] = {}


def compiled(cond: Mapping[str, Any]) -> Test:
    hit = _COMPILED.get(id(cond))
    if hit is None or hit[0] is not cond:
        hit = _COMPILED[id(cond)] = (cond, _compile(cond))
    return hit[1]


def _compile(cond: Mapping[str, Any]) -> Test:
    if "all" in cond:
        parts = [_compile(c) for c in cond["all"]]

        def all_of(ctx: _Context) -> Optional[bool]:
            results = [p(ctx) for p in parts]
            return False if False in results else (None if None in results else True)
        return all_of
    if "any" in cond:
        parts = [_compile(c) for c in cond["any"]]

        def any_of(ctx: _Context) -> Optional[bool]:
            results = [p(ctx) for p in parts]
            return True if True in results else (None if None in results else False)
        return any_of
    if "age_below" in cond:
        limit, on_start = cond["age_below"], cond.get("day") == "start"
        return lambda ctx: ctx.age_below(limit, ctx.start if on_start else ctx.today)
    if "age_at_least" in cond:  # a lower age bound: not below it, in three values
        limit, on_start = cond["age_at_least"], cond.get("day") == "start"

        def at_least(ctx: _Context) -> Optional[bool]:
            below = ctx.age_below(limit, ctx.start if on_start else ctx.today)
            return None if below is None else not below
        return at_least
    if "age_days_at_most" in cond:
        days = cond["age_days_at_most"]
        return lambda ctx: ctx.days_at_most(days)
    key = cond["key"]
    op = next(op for op in _LEAF if op in cond)
    check, target, unsure_otherwise = _LEAF[op], cond[op], cond.get("otherwise") == UNKNOWN

    def leaf(ctx: _Context) -> Optional[bool]:
        value = ctx.answers.get(key, UNKNOWN)
        if isinstance(value, str) and value == UNKNOWN:
            return None
        result = check(value, target)
        return None if (unsure_otherwise and not result) else result
    return leaf


def _status(ctx: _Context, c: Criterion) -> Tuple[str, Optional[dt.date]]:
    """A criterion's status and, for an open window, the day it is met."""
    if c.not_applicable_when is not None and ctx.test(c.not_applicable_when) is True:
        return NOT_APPLICABLE, None
    end = None
    if c.window is not None:
        inside, end = ctx.within(c.window)
        applies = inside if c.test is None else _and(inside, ctx.test(c.test))
    else:
        applies = ctx.test(c.test)
    if c.type == "inclusion":
        applies = None if applies is None else not applies
    if applies is None:
        return (HOLDS, None) if c.holds_when_unknown else (UNKNOWN_STATUS, None)
    if c.type == "sources_disagree":  # the trial team decides: never failed
        return (UNKNOWN_STATUS, None) if applies else (HOLDS, None)
    return (FAILED, end) if applies else (HOLDS, None)


def _and(a: Optional[bool], b: Optional[bool]) -> Optional[bool]:
    if a is False or b is False:
        return False
    return None if a is None or b is None else True


def statuses(trial: Trial, answers: Mapping[str, Any], today: dt.date) -> Tuple[Dict[str, str], dt.date, set]:
    """Every criterion's status for checked answers; the start day; the waitable failures.

    Windows go first: the latest open window moves the start day, and criteria
    judged "on: start" (age) are judged on that day."""
    ctx = _Context(trial, answers, today)
    status: Dict[str, str] = {}
    waitable = set()
    for c in trial.criteria:
        if c.window is not None:
            status[c.id], end = _status(ctx, c)
            if status[c.id] == FAILED and end is not None:
                waitable.add(c.id)
                ctx.start = max(ctx.start, end)
    for c in trial.criteria:
        if c.window is None:
            status[c.id], _ = _status(ctx, c)
    return status, ctx.start, waitable


def holds(trial: Trial, cond: Mapping[str, Any], answers: Mapping[str, Any], today: dt.date) -> Optional[bool]:
    """Whether a condition of the trial file holds for these answers today (None: unknown)."""
    return _Context(trial, check_answers(trial, answers, today), today).test(cond)


def evaluate(answers: Mapping[str, Any], today: dt.date, trial: Optional[Trial] = None) -> Result:
    """The contract's result for a set of answers on a given day.

    Raises InvalidAnswer (naming the key) for any answer the trial does not accept."""
    trial = trial or load_trial()
    checked = check_answers(trial, answers, today)
    status, start, waitable = statuses(trial, checked, today)
    failed = sorted(cid for cid, s in status.items() if s == FAILED)
    unknown = sorted(cid for cid, s in status.items() if s == UNKNOWN_STATUS)
    if any(cid not in waitable for cid in failed):
        outcome = NOT_ELIGIBLE
    elif failed:
        outcome = NOT_YET
    else:
        outcome = UNSURE if unknown else LIKELY_ELIGIBLE
    return Result(
        trial=trial.trial.id,
        recruiting=trial.trial.recruiting,
        outcome=outcome,
        failed=failed,
        unknown=unknown,
        eligible_from=start.isoformat() if outcome == NOT_YET else None,
        status=status,
        start=start,
    )
