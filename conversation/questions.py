"""What each question looks like on the wire: text, buttons and the contract's marker.

Answer-key questions read their wording from the trial file; the four questions
that fill no answer key (continue_closed, chatting_as, review, offer_handoff)
take their wording from the domain and their choices from here.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Tuple

from eligibility import Trial
from eligibility.engine import age_on
from eligibility.explain import say

DONT_KNOW = "I don't know"

# Slots that fill no answer key: the choices, first the one that carries on, with button titles.
FLOW_CHOICES: Dict[str, List[Tuple[str, str]]] = {
    "continue_closed": [("yes", "Yes, carry on"), ("no", "No")],
    "chatting_as": [("parent", "A parent or carer"), ("young_person", "The young person"), ("professional", "A health professional")],
    "review": [("yes", "Yes, that's right"), ("change", "Change an answer")],
    "offer_handoff": [("yes", "Yes, please"), ("no", "No, thank you")],
}


@dataclass
class Question:
    slot: str
    kind: str
    text: str
    choices: List[str] = field(default_factory=list)
    titles: List[str] = field(default_factory=list)

    def buttons(self) -> List[Dict[str, str]]:
        return [{"title": t, "payload": c} for c, t in zip(self.choices, self.titles)]

    def marker(self) -> Dict[str, Any]:
        return {"question": {"slot": self.slot, "kind": self.kind, "choices": list(self.choices)}}


def age_today(answers: Mapping[str, Any], today: dt.date) -> Optional[int]:
    born = answers.get("date_of_birth")
    if born and born != "unknown":
        return age_on(dt.date.fromisoformat(born), today)
    years = answers.get("age_years")
    return years if isinstance(years, int) else None


def performance_levels(trial: Trial, answers: Mapping[str, Any], today: dt.date) -> Tuple[str, List[Tuple[int, str]]]:
    """Lansky under 16, Karnofsky from 16 (and when age is unknown, Lansky's wording for a child)."""
    age = age_today(answers, today)
    scales = trial.performance_scales
    child = next((s for s in scales.values() if s.below_age), None)
    adult = next((s for s in scales.values() if not s.below_age), None)
    scale = child if (age is None or child and age < child.below_age) else adult
    return scale.name, [(level.score, level.text) for level in scale.levels]


def carry_on_first(trial: Trial, key: str) -> List[Tuple[str, str]]:
    """Yes/no choices with the answer that keeps the child in the trial first."""
    crit = trial.criterion(trial.question(key).why)
    leaf_true_is_good = crit.type == "inclusion"
    leaf = _leaf_for(crit.test, key) if crit.test else None
    yes_is_good = leaf_true_is_good == (leaf is None or leaf.get("is", True) is True)
    order = [("yes", "Yes"), ("no", "No")] if yes_is_good else [("no", "No"), ("yes", "Yes")]
    return order + [(DONT_KNOW, DONT_KNOW)]


def _leaf_for(cond: Mapping[str, Any], key: str) -> Optional[Mapping[str, Any]]:
    if cond.get("key") == key:
        return cond
    for sub in cond.get("all") or cond.get("any") or []:
        found = _leaf_for(sub, key)
        if found:
            return found
    return None


def answer_question(trial: Trial, key: str, who: str, answers: Mapping[str, Any], today: dt.date) -> Question:
    q = trial.question(key)
    text = say(q.ask, who)
    spec = trial.answers[key]
    if key == "performance_score":
        _, levels = performance_levels(trial, answers, today)
        choices = [d for _, d in levels] + [DONT_KNOW]
        return Question(key, "choice", text, choices, choices)
    if q.kind == "yes_no":
        pairs = carry_on_first(trial, key)
    elif q.kind == "choice":
        pairs = [(c.value, c.title) for c in q.choices] + [(DONT_KNOW, DONT_KNOW)]
    elif q.kind == "date" and spec.never:
        pairs = [("never", "Never"), (DONT_KNOW, DONT_KNOW)]
    elif q.kind == "number":
        pairs = [(DONT_KNOW, DONT_KNOW)]
    else:
        pairs = []
    return Question(key, q.kind, text, [c for c, _ in pairs], [t for _, t in pairs])


def flow_question(slot: str, text: str) -> Question:
    pairs = FLOW_CHOICES[slot]
    return Question(slot, "choice", text, [c for c, _ in pairs], [t for _, t in pairs])
