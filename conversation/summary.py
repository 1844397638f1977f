"""Answers read back in plain words: the nurse's summary and the hand-off record it comes from."""
from __future__ import annotations

import datetime as dt
import secrets
from typing import Any, Dict, List, Mapping, Optional, Tuple

from eligibility import Trial
from eligibility.explain import CAVEAT, headline, long_date, rule_text
from eligibility.trial import age_keys

from eligibility.engine import age_on

from .prompts import age_today, performance_levels

# No 0/O or 1/I: the code is read out over the phone.
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


REFERENCE_LENGTH = 8  # 32**8, about 10**12 codes; the trial is in the summary, not in the code


def new_reference() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def age_in_words(born: str, today: dt.date) -> str:
    """An age from a date of birth: whole years from 2, else months or days, with the days
    a baby's rule counts ("7 months (229 days)")."""
    day = dt.date.fromisoformat(born)
    years, days = age_on(day, today), (today - day).days
    if years >= 2:
        return str(years)
    months = (today.year - day.year) * 12 + today.month - day.month - (today.day < day.day)
    return f"{days} day{'s' * (days != 1)}" if months < 2 else f"{months} months ({days} days)"


def show_value(trial: Trial, key: str, value: Any, today: dt.date, answers: Optional[Mapping[str, Any]] = None) -> str:
    if value == "unknown":
        return "not known"
    if value == "never":
        return "never"
    spec = trial.answers[key]
    q = trial.question_on(key)
    if spec.kind == "yes_no":
        return "yes" if value else "no"
    if spec.kind == "choice":
        title = next((c.title for c in (q.choices if q else []) if c.value == value), value)
        return title[0].lower() + title[1:] if title[:2] != title[:2].upper() else title
    if spec.kind == "date":
        return long_date(value)
    if q is not None and q.kind == "scale":
        described = dict(performance_levels(trial, answers or {}, today)[1])
        return f"{value} ({described[value].lower()})" if value in described else str(value)
    return f"{value}{q.unit if q else ''}"


def answer_pairs(trial: Trial, answers: Mapping[str, Any], today: dt.date) -> List[Tuple[str, str]]:
    """(question's label, answer in words) per answered question, in the order they are asked."""
    pairs = []
    ages = age_keys(trial.answers)
    for q in trial.questions:
        if ages and q.key == ages[0]:
            age = age_today(trial, answers, today)
            born = answers.get(q.key)
            if born and born != "unknown":
                pairs.append((q.label, f"{age_in_words(born, today)} (born {long_date(born)})"))
            elif age is not None:
                pairs.append((q.label, str(age)))
            elif any(answers.get(k) == "unknown" for k in ages):
                pairs.append((q.label, "not known"))
        elif q.key in answers:
            pairs.append((q.label, show_value(trial, q.key, answers[q.key], today, answers)))
    return pairs


def handoff_record(trial: Trial, answers: Mapping[str, Any], result: Optional[Mapping[str, Any]], who: Optional[str],
                   reference: str, today: dt.date) -> Dict[str, Any]:
    """What the nurse line keeps of a hand-off: the outcome in the chat's own hedged words, its
    rules in their plain wording, and the answers in words, as the family saw them. Nothing
    else the family typed."""
    rules = lambda ids: [rule_text(trial, trial.criterion(cid), "professional", answers, today) for cid in ids]
    result = result or {}
    outcome = result.get("outcome")
    return {
        "reference": reference, "trial": trial.trial.id, "trial_name": trial.trial.short_name, "day": today.isoformat(),
        "who": who,
        "outcome": headline(outcome, "professional") if outcome else None,
        "caveat": CAVEAT[trial.trial.status].split(".")[0] + "." if outcome else None,  # only the trial team could confirm it
        "rules_not_met": rules(result.get("failed") or []), "final": outcome == "not_eligible",
        "eligible_from": result.get("eligible_from"),
        "rules_unknown": rules(result.get("unknown") or []) if outcome != "not_eligible" else [],
        "answers": [list(pair) for pair in answer_pairs(trial, answers, today)],
    }


def summary_text(record: Mapping[str, Any]) -> str:
    """The record as plain sentences the family can read out and a nurse can take down."""
    parts = [f"We went through the entry rules of {record['trial_name']} on {long_date(record['day'])}."]
    if record["outcome"]:
        parts += [record["outcome"], record["caveat"]]
    if record["rules_not_met"]:
        parts.append(("Rules not met: " if record["final"] else "Rules not met yet: ") + " ".join(record["rules_not_met"]))
    if record["eligible_from"]:
        parts.append(f"The earliest day these would all be met is {long_date(record['eligible_from'])}.")
    if record["rules_unknown"]:
        parts.append("We could not tell about these rules: " + " ".join(record["rules_unknown"]))
    if record["answers"]:
        parts.append("The answers given: " + "; ".join(f"{label}: {words}" for label, words in record["answers"]) + ".")
    return " ".join(parts)

