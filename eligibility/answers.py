"""Checking a set of answers against the trial's answer keys.

One validator per kind of answer, chosen from a table; each returns the
normalised value or raises InvalidAnswer naming the key. The chat's parsers turn
words into these values; this module decides whether a value is acceptable.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Callable, Dict, Mapping

from .trial import AnswerSpec, Trial

UNKNOWN = "unknown"
NEVER = "never"


class InvalidAnswer(ValueError):
    """An answer the engine cannot accept; `key` names the answer key."""

    def __init__(self, key: str, reason: str):
        super().__init__(f"{key}: {reason}")
        self.key = key
        self.reason = reason


def _yes_no(key: str, value: Any, spec: AnswerSpec, today: dt.date) -> Any:
    if isinstance(value, bool):
        return value
    raise InvalidAnswer(key, f"expected true, false or \"unknown\", got {value!r}")


def _date(key: str, value: Any, spec: AnswerSpec, today: dt.date) -> Any:
    if value == NEVER and spec.never:
        return value
    if not isinstance(value, str) or len(value) != 10:
        allowed = '"YYYY-MM-DD", "never" or "unknown"' if spec.never else '"YYYY-MM-DD" or "unknown"'
        raise InvalidAnswer(key, f"expected {allowed}, got {value!r}")
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise InvalidAnswer(key, f"{value!r} is not a real date") from None
    if day > today:
        raise InvalidAnswer(key, f"{value} is in the future (today is {today.isoformat()})")
    return day


def _number(key: str, value: Any, spec: AnswerSpec, today: dt.date) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        raise InvalidAnswer(key, f"expected a number or \"unknown\", got {value!r}")
    if spec.integer:
        if value != int(value):
            raise InvalidAnswer(key, f"expected a whole number, got {value!r}")
        value = int(value)
    if spec.min is not None and value < spec.min:
        raise InvalidAnswer(key, f"{value} is below the lowest possible, {spec.min:g}")
    if spec.max is not None and value > spec.max:
        raise InvalidAnswer(key, f"{value} is above the highest possible, {spec.max:g}")
    if spec.step and value % spec.step:
        raise InvalidAnswer(key, f"{value} is not a multiple of {spec.step}")
    return value


def _choice(key: str, value: Any, spec: AnswerSpec, today: dt.date) -> Any:
    if value in spec.choices:
        return value
    raise InvalidAnswer(key, f"expected one of {', '.join(spec.choices + [UNKNOWN])}, got {value!r}")


VALIDATORS: Dict[str, Callable[[str, Any, AnswerSpec, dt.date], Any]] = {
    "yes_no": _yes_no,
    "date": _date,
    "number": _number,
    "choice": _choice,
}


def check_answer(trial: Trial, key: str, value: Any, today: dt.date) -> Any:
    """The normalised value of one answer (dates become `date`), or InvalidAnswer."""
    spec = trial.answers.get(key)
    if spec is None:
        raise InvalidAnswer(key, "not an answer key of this trial")
    if isinstance(value, str) and value == UNKNOWN:
        return UNKNOWN
    return VALIDATORS[spec.kind](key, value, spec, today)


def check_answers(trial: Trial, answers: Mapping[str, Any], today: dt.date) -> Dict[str, Any]:
    if not isinstance(answers, Mapping):
        raise InvalidAnswer("answers", "expected a JSON object of answer keys")
    return {key: check_answer(trial, key, value, today) for key, value in answers.items()}
