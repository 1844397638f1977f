"""How an answer is said back: in the family's own terms, never a figure they did not give,
and, for a time that a rule's window counts from, the day that window gives.

A described level is said back as its description (the score only if the family gave a
number); a date given as a time ago is said back that way ("about 5 months ago, around
April 2026") and a date given as a date as that date.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Mapping, Optional

from eligibility import Trial
from eligibility.engine import window_end
from eligibility.explain import long_date

from .parsing import UNKNOWN
from .prompts import performance_levels
from .summary import age_in_words, show_value

RELATIVE = re.compile(r"\bago\b|\blast (?:week|month|year|night|\w+day)\b|\byesterday\b|"
                      r"\b(?:a|an|one|a couple of|a few|\d+|\w+) (?:days?|weeks?|fortnights?|months?|years?)\b")
RELATIVE_TIME, NUMBER_GIVEN = "relative", "number"


def how_said(trial: Trial, key: str, text: str) -> Optional[str]:
    """What the family's words were for an answer, where it changes how it is said back."""
    question = trial.question_on(key)
    if trial.answers[key].kind == "date" and RELATIVE.search(text or ""):
        return RELATIVE_TIME
    if question is not None and question.kind == "scale" and re.search(r"\d", text or ""):
        return NUMBER_GIVEN
    return None


def when_in_words(iso: str, today: dt.date) -> str:
    """A past day as a time ago, with the day itself where a few days make a difference."""
    day = dt.date.fromisoformat(iso)
    days = (today - day).days
    if days <= 1:
        return "today" if days == 0 else f"yesterday ({long_date(iso)})"
    if days < 14:
        return f"{days} days ago ({long_date(iso)})"
    if days < 60:
        return f"about {round(days / 7)} weeks ago ({long_date(iso)})"
    months = (today.year - day.year) * 12 + today.month - day.month
    ago = f"about {months} months ago" if months < 24 else f"about {months // 12} years ago"
    return f"{ago}, around {day:%B %Y}"


def window_note(trial: Trial, key: str, value: Any, today: dt.date) -> str:
    """For a date inside a rule's window: the day the rule is met, which decides 'not yet'."""
    if not isinstance(value, str) or len(value) != 10:
        return ""
    ends = [window_end(dt.date.fromisoformat(value), c.window) for c in trial.criteria
            if c.window is not None and c.window.key == key]
    later = [end for end in ends if end > today]
    return f", so the rule about it is met from {long_date(max(later).isoformat())}" if later else ""


def describe(trial: Trial, key: str, value: Any, today: dt.date, how: Optional[Mapping[str, str]] = None,
             answers: Optional[Mapping[str, Any]] = None) -> str:
    """An answer in a few words, as the family gave it: `how` holds what their words were."""
    said = (how or {}).get(key)
    asked_as = trial.answers[key].asked_as
    if asked_as:  # the age in years, asked with the date of birth
        label = trial.question(asked_as).label.lower()
        return f"{label} {value}" if value != UNKNOWN else f"{label} not known"
    question = trial.question_on(key)
    label = (question.label if question else key).lower()
    if value in (UNKNOWN, None, "never"):
        return f"{label}: {show_value(trial, key, value, today)}"
    if any(spec.asked_as == key for spec in trial.answers.values()):
        return f"{label}: {age_in_words(value, today)} (born {long_date(value)})"  # the date of birth
    if question is not None and question.kind == "scale":
        described = dict(performance_levels(trial, answers or {}, today)[1]).get(value)
        if described and said != NUMBER_GIVEN:
            return f"{label}: {described[0].lower()}{described[1:]}"  # the words chosen, never a score not given
    if trial.answers[key].kind == "date":
        when = when_in_words(value, today) if said == RELATIVE_TIME else long_date(value)
        return f"{label}: {when}{window_note(trial, key, value, today)}"
    return f"{label}: {show_value(trial, key, value, today, answers)}"
