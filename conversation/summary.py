"""Answers read back in plain words: the review before the decision and the nurse's summary."""
from __future__ import annotations

import datetime as dt
import secrets
from typing import Any, List, Mapping, Optional

from eligibility import Trial
from eligibility.explain import long_date

from .questions import age_today, performance_levels

# No 0/O or 1/I: the code is read out over the phone.
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_reference() -> str:
    return "MT" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))


def show_value(trial: Trial, key: str, value: Any, today: dt.date, answers: Optional[Mapping[str, Any]] = None) -> str:
    if value == "unknown":
        return "not known"
    if value == "never":
        return "never"
    spec = trial.answers[key]
    if spec.kind == "yes_no":
        return "yes" if value else "no"
    if spec.kind == "choice":
        q = next((q for q in trial.questions if q.key == key), None)
        title = next((c.title for c in (q.choices if q else []) if c.value == value), value)
        return title[0].lower() + title[1:] if title[:2] != title[:2].upper() else title
    if spec.kind == "date":
        return long_date(value)
    if key == "marrow_blasts_percent":
        return f"{value}%"
    if key == "performance_score":
        described = dict(performance_levels(trial, answers or {}, today)[1])
        return f"{value} ({described[value].lower()})" if value in described else str(value)
    return str(value)


def answer_lines(trial: Trial, answers: Mapping[str, Any], today: dt.date) -> List[str]:
    """One line per answered question, in the order they are asked."""
    lines = []
    for q in trial.questions:
        if q.key == "date_of_birth":
            age = age_today(answers, today)
            born = answers.get("date_of_birth")
            if born and born != "unknown":
                lines.append(f"{q.label}: {age} (born {long_date(born)})")
            elif age is not None:
                lines.append(f"{q.label}: {age}")
            elif born == "unknown" or answers.get("age_years") == "unknown":
                lines.append(f"{q.label}: not known")
        elif q.key in answers:
            lines.append(f"{q.label}: {show_value(trial, q.key, answers[q.key], today, answers)}")
    return lines


def handoff_summary(trial: Trial, answers: Mapping[str, Any], result: Optional[Mapping[str, Any]], today: dt.date) -> str:
    """A short text the family can read out to the nurse."""
    head = f"Checked the entry rules of trial {trial.trial.id} on {long_date(today.isoformat())}."
    if result:
        outcome = result["outcome"].replace("_", " ")
        head += f" Result: {outcome}"
        if result.get("eligible_from"):
            head += f" from {long_date(result['eligible_from'])}"
        head += "."
        if result.get("failed"):
            head += " Not met: " + ", ".join(c.replace("_", " ") for c in result["failed"]) + "."
        if result.get("unknown"):
            head += " Not known: " + ", ".join(c.replace("_", " ") for c in result["unknown"]) + "."
    lines = answer_lines(trial, answers, today)
    return head + (" Answers: " + "; ".join(lines) + "." if lines else "")
