"""Plain-English reasons for a result, from the trial file's wording of each rule.

The chat, the nurse shell and the CLI's --explain all call this, so a family
reads the same reasons wherever they ask.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Dict, List, Mapping, Optional

from .engine import LIKELY_ELIGIBLE, NOT_ELIGIBLE, NOT_YET, Result, holds
from .trial import Audience, Criterion, Trial, load_trial

WHO = ("parent", "young_person", "professional")

HEADLINES = {
    LIKELY_ELIGIBLE: {
        "parent": "From your answers, your child seems to meet the entry rules we checked.",
        "young_person": "From your answers, you seem to meet the entry rules we checked.",
    },
    NOT_YET: {
        "parent": "From your answers, your child does not meet some rules yet, but time could change that.",
        "young_person": "From your answers, you do not meet some rules yet, but time could change that.",
    },
    "unsure": {
        "parent": "From your answers, we cannot tell yet whether your child would meet the entry rules.",
        "young_person": "From your answers, we cannot tell yet whether you would meet the entry rules.",
    },
    NOT_ELIGIBLE: {
        "parent": "From your answers, this trial would not have been open to your child.",
        "young_person": "From your answers, this trial would not have been open to you.",
    },
}

STATUS = {"closed": "This trial is no longer recruiting.", "open": "This trial is recruiting."}
CAVEAT = {"closed": "Only the trial team could confirm this, and this trial is no longer recruiting. This is not medical advice.",
          "open": "Only the trial team could confirm this. This is not medical advice."}


def say(text: Audience, who: str) -> str:
    """The wording for who is chatting; a professional reads the parent's, about "the child"
    (or "the baby"). A trial that no young person reads has only the parent's."""
    if who == "young_person" and text.young_person is not None:
        return text.young_person
    if who == "professional":
        return re.sub(r"\b([Yy])our (child|baby)\b", lambda m: ("The " if m.group(1) == "Y" else "the ") + m.group(2), text.parent)
    return text.parent


def headline(outcome: str, who: str) -> str:
    forms = HEADLINES[outcome]
    return say(Audience(parent=forms["parent"], young_person=forms["young_person"]), who)


def in_words(items: List[str]) -> str:
    """"a, b and c"."""
    return " and ".join(filter(None, [", ".join(items[:-1]), *items[-1:]]))


def long_date(iso: str) -> str:
    day = dt.date.fromisoformat(iso)
    return f"{day.day} {day:%B %Y}"


def rule_text(trial: Trial, c: Criterion, who: str, answers: Optional[Mapping[str, Any]] = None,
              today: Optional[dt.date] = None) -> str:
    """A criterion's rule for who is chatting, in the words its `rule_when` picks for these answers."""
    if c.rule_when and answers is not None and today is not None:
        held = holds(trial, c.rule_when.when, answers, today)
        if held is not None:
            return say(c.rule_when.then if held else c.rule_when.otherwise, who)
    return say(c.rule, who)


def reasons(result: Result, who: str = "parent", trial: Optional[Trial] = None,
            answers: Optional[Mapping[str, Any]] = None, today: Optional[dt.date] = None) -> Dict[str, List[str]]:
    """The rule behind each failed and each unknown criterion, in the trial's order."""
    trial = trial or load_trial()
    order = [c.id for c in trial.criteria]
    pick = lambda ids: [rule_text(trial, trial.criterion(cid), who, answers, today) for cid in sorted(ids, key=order.index)]
    return {"failed": pick(result.failed), "unknown": pick(result.unknown)}


def explain(result: Result, who: str = "parent", trial: Optional[Trial] = None,
            answers: Optional[Mapping[str, Any]] = None, today: Optional[dt.date] = None,
            unknown_shown: Optional[int] = None, more: str = "- ... and {n} more") -> str:
    """A short paragraph: the outcome, the rules that decided it, the date, the caveat.

    `unknown_shown` caps the rules it could not tell about (early on, that is every rule)."""
    trial = trial or load_trial()
    why = reasons(result, who, trial, answers, today)
    lines = [headline(result.outcome, who)]
    if why["failed"]:
        lines.append("Rules not met:" if result.outcome == NOT_ELIGIBLE else "Rules not met yet:")
        lines += [f"- {r}" for r in why["failed"]]
    if result.eligible_from:
        lines.append(f"The earliest day these would all be met is {long_date(result.eligible_from)}.")
    if why["unknown"] and result.outcome != NOT_ELIGIBLE:  # what was not asked no longer matters
        lines.append("We could not tell about:")
        shown = why["unknown"][:unknown_shown] if unknown_shown is not None else why["unknown"]
        lines += [f"- {r}" for r in shown]
        if len(shown) < len(why["unknown"]):
            lines.append(more.format(n=len(why["unknown"]) - len(shown)))
    lines.append(CAVEAT[trial.trial.status])
    return "\n".join(lines)
