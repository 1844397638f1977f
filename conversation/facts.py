"""Several facts in one message: "she's 9, it's B-cell ALL and it came back in March".

What spots each fact is data: a question's `topic` and `facts` in the trial file. An age
is read for the trial's age keys. Conservative on purpose: a fact is only taken when
the text says it plainly, and each one is checked by the engine as if it had been asked.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Dict, List, Optional

from eligibility import Trial
from eligibility.trial import Question, age_keys

from .dates import parse_date
from .parsing import (UNKNOWN, NotUnderstood, clean, parse_choice, parse_number_within, phrase_hits, phrase_matches,
                      words_to_digits)
from .prompts import choice_words

AGE_FACT = re.compile(r"\b(?:(?:he|she|they)(?:'s| is| are)|(?:is|aged?|turned|just turned))\s+(\d{1,3})\b(?!\s*(?:%|percent|per cent|days?|weeks?|months?))"
                      r"|\b(\d{1,3})\s*(?:years?|yrs?)(?:\s*old)?\b|\b(\d{1,3})\s*(?:yo|y/o)\b")
# A clause that could date something: a number, a month or words like "ago" and "never".
DATE_WORDS = re.compile(r"\d|ago|never|no |not |hasn'?t|haven'?t|yesterday|today|last|week|month|"
                        r"january|february|march|april|may|june|july|august|september|october|november|december")


def clauses(text: str) -> List[str]:
    return [c.strip() for c in re.split(r"[,;.!?]|\band\b|\bbut\b|\balso\b|\bthen\b", text) if c.strip()]


def _names(q: Question, text: str) -> bool:
    """The text names the question as its `facts` say (by default, its topic) and says no `unless`."""
    needs = q.facts.needs or ([q.topic] if q.topic else [])
    return (bool(needs) and all(re.search(p, text) for p in needs)
            and not (q.facts.unless and re.search(q.facts.unless, text)))


def _names_any(trial: Trial, text: str) -> bool:
    return any(q.topic and re.search(q.topic, text) for q in trial.questions)


def _yes_no(q: Question, t: str) -> Optional[bool]:
    said = {value != negative for _, _, value, negative in phrase_matches(t, {True: q.facts.yes, False: q.facts.no})}
    return said.pop() if len(said) == 1 else None


def _choice(trial: Trial, q: Question, t: str) -> Optional[str]:
    if q.facts.choices:
        named = [value for value, hits in phrase_hits(t, q.facts.choices).items() if hits]
        return named[0] if len(named) == 1 else None
    if not _names(q, t):
        return None
    try:
        return parse_choice(t, choices=choice_words(trial, q.key))
    except NotUnderstood:
        return None


def _from_clause(trial: Trial, q: Question, t: str, today: dt.date) -> Any:
    """A date or a number from the first clause that names the question."""
    spec = trial.answers[q.key]
    parts = clauses(t)
    for n, clause in enumerate(parts):
        if not _names(q, clause):
            continue
        after = parts[n + 1] if n + 1 < len(parts) else ""
        if spec.kind == "date" and not DATE_WORDS.search(clause) and after and not _names_any(trial, after):
            clause = f"{clause} {after}"  # "he did have radiotherapy, 10 days ago"
        bare = re.sub(q.topic, " ", clause) if q.topic else clause
        try:
            if spec.kind == "date":
                if DATE_WORDS.search(clause):
                    return parse_date(bare, today, never=spec.never)
            else:
                return parse_number_within(bare, spec)
        except NotUnderstood:
            continue
    return None


def _age(t: str) -> Optional[int]:
    age = AGE_FACT.search(t)
    return int(next(g for g in age.groups() if g)) if age else None


def extract_facts(text: str, today: dt.date, trial: Trial) -> Dict[str, Any]:
    """Answer keys stated plainly in free text, with values the engine accepts."""
    t = clean(text)
    digits = words_to_digits(t)
    facts: Dict[str, Any] = {}
    ages = age_keys(trial.answers)
    years = _age(digits) if ages else None
    if years is not None and years <= (trial.answers[ages[-1]].max or years):
        facts[ages[-1]] = years
    for q in trial.questions:
        if q.facts is None:
            continue
        if q.kind == "yes_no":
            value = _yes_no(q, t)
        elif q.kind == "choice":
            value = _choice(trial, q, t)
        else:
            value = _from_clause(trial, q, digits if q.kind == "number" else t, today)
        if value is not None and value != UNKNOWN:
            facts[q.key] = value
    return facts


def topic_keys(trial: Trial, text: str) -> List[str]:
    """The questions a message names: the chemotherapy date's for "change the chemo date"."""
    t = clean(text)
    return [q.key for q in trial.questions if q.topic and re.search(q.topic, t)]
