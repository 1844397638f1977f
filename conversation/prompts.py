"""What each question looks like on the wire: text, buttons and the contract's marker.

Answer-key questions read their wording from the trial file; the four questions
that fill no answer key (chatting_as, confirm, offer_handoff)
take their wording from the domain and their choices from here.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from eligibility import Trial
from eligibility.trial import Scale, age_keys
from eligibility.engine import age_on
from eligibility.explain import say

from .checklist import items_to_ask
from .parsing import UNKNOWN

DONT_KNOW = "I don't know"

# Slots that fill no answer key: the choices, first the one that carries on, with button titles.
FLOW_CHOICES: Dict[str, List[Tuple[str, str]]] = {
    "chatting_as": [("parent", "A parent or carer"), ("young_person", "The young person"), ("professional", "A health professional")],
    "offer_handoff": [("yes", "Yes, please"), ("no", "No, thank you")],
    "confirm": [("yes", "Yes"), ("no", "No")],
}
FLOW_KINDS = {"confirm": "yes_no"}

# Once the questions have ended or were declined: a way on from any message (not a form slot).
NURSE_CHOICE = ("talk to a nurse", "Talk to a nurse")
NEXT_STEP: List[Tuple[str, str]] = [("start again", "Start again"), ("ask about the trial", "Ask about the trial"), NURSE_CHOICE]
WAY_OUT_AFTER = 2  # asks in a row; the third comes with "I don't know" and the nurse


@dataclass
class Prompt:
    slot: str
    kind: str
    text: str
    choices: List[str] = field(default_factory=list)
    titles: List[str] = field(default_factory=list)
    confirms: Optional[Dict[str, Any]] = None
    items: Optional[List[Tuple[str, str]]] = None  # a checklist's (answer key, line)

    def buttons(self) -> List[Dict[str, str]]:
        return [{"title": t, "payload": c} for c, t in zip(self.choices, self.titles)]

    def marker(self) -> Dict[str, Any]:
        marker = {"slot": self.slot, "kind": self.kind, "choices": list(self.choices)}
        if self.confirms is not None:
            marker["confirms"] = dict(self.confirms)
        if self.items is not None:
            marker["items"] = [{"slot": key, "label": label} for key, label in self.items]
        return {"question": marker}

    def with_first(self, pairs: Sequence[Tuple[str, str]]) -> "Prompt":
        """The same question with these (value, title) choices before its own."""
        return Prompt(self.slot, self.kind, self.text, [v for v, _ in pairs] + list(self.choices),
                      [t for _, t in pairs] + list(self.titles), self.confirms, self.items)

    def with_way_out(self) -> "Prompt":
        """The same question with "I don't know" and the nurse among its buttons."""
        pairs = list(zip(self.choices, self.titles))
        for pair in ((DONT_KNOW, DONT_KNOW), NURSE_CHOICE):
            if pair[0] not in self.choices:
                pairs.append(pair)
        return Prompt(self.slot, self.kind, self.text, [c for c, _ in pairs], [t for _, t in pairs], self.confirms, self.items)


def age_today(trial: Trial, answers: Mapping[str, Any], today: dt.date) -> Optional[int]:
    """The age in years, from the date of birth when known, else from the age given."""
    for key in age_keys(trial.answers):
        value = answers.get(key)
        if trial.answers[key].kind == "date" and value and value != "unknown":
            return age_on(dt.date.fromisoformat(value), today)
        if isinstance(value, int):
            return value
    return None


def performance_scale(trial: Trial, answers: Mapping[str, Any], today: dt.date) -> Scale:
    """The scale the child's age selects (Lansky under 16, Karnofsky from 16), or the plain
    words that fit both when the age is not known."""
    age = age_today(trial, answers, today)
    scales = list(trial.performance_scales.values())
    if age is None:
        return next(s for s in scales if s.age_unknown)
    below = sorted((s for s in scales if s.below_age and age < s.below_age), key=lambda s: s.below_age)
    return below[0] if below else next(s for s in scales if not s.below_age and not s.age_unknown)


def performance_levels(trial: Trial, answers: Mapping[str, Any], today: dt.date) -> Tuple[Optional[str], List[Tuple[int, str]]]:
    scale = performance_scale(trial, answers, today)
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


def answer_question(trial: Trial, key: str, who: str, answers: Mapping[str, Any], today: dt.date) -> Prompt:
    group = trial.checklist(key)
    if group:
        items = [(k, trial.question(k).item) for k in items_to_ask(trial, group, answers, today)]
        text = say(group.ask, who) + "".join(f"\n- {line}" for _, line in items)
        return Prompt(key, "checklist", text, [group.none, DONT_KNOW], [group.none, DONT_KNOW], items=items)
    q = trial.question(key)
    text = say(q.ask, who)
    spec = trial.answers[key]
    if q.kind == "scale":
        scale = performance_scale(trial, answers, today)
        choices = [level.text for level in scale.levels] + [DONT_KNOW]
        return Prompt(key, "choice", say(scale.ask, who), choices, choices)
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
    return Prompt(key, q.kind, text, [c for c, _ in pairs], [t for _, t in pairs])


def flow_choices(trial: Trial, slot: str) -> List[Tuple[str, str]]:
    """The choices of a question that fills no answer key; who is chatting offers the trial's audiences."""
    return [(v, t) for v, t in FLOW_CHOICES[slot] if slot != "chatting_as" or v in trial.audiences]


def flow_question(trial: Trial, slot: str, text: str, confirms: Optional[Mapping[str, Any]] = None) -> Prompt:
    pairs = flow_choices(trial, slot)
    return Prompt(slot, FLOW_KINDS.get(slot, "choice"), text, [c for c, _ in pairs], [t for _, t in pairs],
                    dict(confirms) if confirms is not None else None)


def next_step_question(text: str) -> Prompt:
    return Prompt("next_step", "choice", text, [c for c, _ in NEXT_STEP], [t for _, t in NEXT_STEP])


def choice_words(trial: Trial, key: str) -> List[Tuple[str, List[str]]]:
    """Each choice of a choice question with the words that pick it: its value, its button
    title and the phrases the trial file gives."""
    return [(c.value, [re.escape(c.value.replace("_", " ")), re.escape(c.title.lower()), *c.words])
            for c in trial.question(key).choices]


def yes_no_words(trial: Trial, key: str) -> Dict[bool, List[str]]:
    """The phrases a yes/no question takes beyond every question's yes and no."""
    words = trial.question(key).words
    return {True: list(words.yes), False: list(words.no), UNKNOWN: list(words.unknown)} if words else {}
