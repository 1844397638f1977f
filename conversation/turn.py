"""One user turn inside the conversation form, decided in plain Python.

Given the slots, the question pending and what the user typed, `take_turn`
returns what to say (domain response names or trial-file text), which slots to
change and whether the user asked to leave the form. The Rasa validation action
only translates this to events, so every path here is unit-tested without Rasa.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Dict, List, Mapping, Optional

from eligibility import InvalidAnswer, Trial, check_answer, evaluate, explain, next_question
from eligibility.engine import NOT_ELIGIBLE

from .facts import extract_facts, topic_keys
from .parsing import (UNKNOWN, NotUnderstood, clean, parse_age_or_birth, parse_choice,
                      parse_date, parse_number, parse_performance, parse_yes_no)
from .questions import DONT_KNOW, FLOW_CHOICES, answer_question, performance_levels
from .signals import faq_answer, faq_topic, keyword_intent, too_long, urgent
from .summary import show_value

FLOW_SLOTS = tuple(FLOW_CHOICES)
EXITS = {"handoff", "stop", "start_over", "forget_me"}
NLU_CONFIDENCE = 0.7
MAX_FAILURES = 3


@dataclass
class Say:
    response: Optional[str] = None
    text: Optional[str] = None
    custom: Optional[Dict[str, Any]] = None
    values: Dict[str, Any] = field(default_factory=dict)


@dataclass
class Turn:
    said: List[Say] = field(default_factory=list)
    updates: Dict[str, Any] = field(default_factory=dict)
    exit: Optional[str] = None

    def say(self, response: str, **values: Any) -> None:
        self.said.append(Say(response=response, values=values))


def answers_of(trial: Trial, slots: Mapping[str, Any], today: Optional[dt.date] = None) -> Dict[str, Any]:
    """The slots that hold answers the engine accepts. A slot can briefly hold the raw text
    Rasa extracted before validation; that is not an answer yet, so it is left out."""
    today = today or dt.date.today()
    out = {}
    for key in trial.answers:
        value = slots.get(key)
        if value is None:
            continue
        try:
            check_answer(trial, key, value, today)
        except InvalidAnswer:
            continue
        out[key] = value
    return out


def required_slots(trial: Trial, slots: Mapping[str, Any], today: dt.date) -> List[str]:
    """The form's slots, in order; the form asks the first one that is empty."""
    if slots.get("exit_request"):
        return []
    order = ["continue_closed"]
    if slots.get("continue_closed") != "yes":
        return order
    order.append("chatting_as")
    if not slots.get("chatting_as"):
        return order
    if slots.get("decision"):
        return order + ["offer_handoff"]
    key = next_question(answers_of(trial, slots, today), today, trial)
    return order + ([key] if key else ["review"])


def resolve_intent(text: str, intent: Optional[str], confidence: float) -> Optional[str]:
    """Plain keywords first ("nurse", "start over" mean what they say), then a confident NLU intent."""
    keyword = keyword_intent(text)
    if keyword:
        return keyword
    return intent if confidence >= NLU_CONFIDENCE else None


def take_turn(trial: Trial, slots: Mapping[str, Any], requested: str, text: Optional[str],
              intent: Optional[str], confidence: float, today: dt.date) -> Turn:
    turn = Turn()
    text = text or ""
    if too_long(text):
        turn.say("utter_too_long")
        return turn
    if urgent(text):
        turn.say("utter_urgent")
    intent = resolve_intent(text, intent, confidence)
    if requested in FLOW_SLOTS:
        _flow_turn(trial, slots, requested, text, intent, today, turn)
    else:
        _answer_turn(trial, slots, requested, text, intent, today, turn)
    _decide_if_settled(trial, {**slots, **turn.updates}, today, turn)
    return turn


# --- the four questions that fill no answer key ---------------------------------------

CHATTING_AS = {
    "professional": r"doctor|nurse|consultant|clinician|professional|gp\b|oncologist|haematologist|health ?care|medic|pharmacist|worker",
    "young_person": r"\bme\b|myself|patient|young person|teen|it'?s me|i am the|i'?m the one|i have|i'?ve got|i am \d|i'?m \d|for me",
    "parent": r"parent|mum|mom|mother|dad|father|carer|guardian|grand\w*|aunt|uncle|family|relative|step|foster|my (?:son|daughter|child|kid|boy|girl)",
}


def _flow_value(slot: str, text: str) -> Optional[str]:
    t = clean(text)
    for value, _ in FLOW_CHOICES[slot]:
        if t == value.replace("_", " ") or t == value:
            return value
    if slot == "chatting_as":
        hits = [v for v, pattern in CHATTING_AS.items() if re.search(pattern, t)]
        return hits[0] if hits else None
    if slot == "review" and re.search(r"\b(change|wrong|mistake|not right|incorrect|edit|fix|update)\b", t):
        return "change"
    try:
        answer = parse_yes_no(text)
    except NotUnderstood:
        return None
    if slot == "review":
        return "yes" if answer is True else ("change" if answer is False else None)
    return {True: "yes", False: "no"}.get(answer)


def _flow_turn(trial, slots, requested, text, intent, today, turn: Turn) -> None:
    value = _flow_value(requested, text)
    if requested == "chatting_as" and value:
        turn.updates[requested] = value
        return
    if intent in EXITS and not (value and clean(text) in {v for v, _ in FLOW_CHOICES[requested]}):
        if not (requested == "offer_handoff" and intent == "handoff"):
            turn.exit = intent
            return
        value = "yes"
    if requested == "review":
        if value == "yes":
            turn.updates[requested] = value
            return
        if _apply_corrections(trial, slots, text, today, turn, any_key=True):
            return
        keys = topic_keys(text)
        if value != "yes" and keys:
            for key in keys:  # cleared answers are asked again, then the review comes back
                turn.updates[key] = None
                if key == "date_of_birth":
                    turn.updates["age_years"] = None
            turn.say("utter_will_ask_again")
            return
        if value == "change":
            turn.say("utter_which_change")
            return
    if value is not None:
        turn.updates[requested] = value
        return
    _digress_or_fail(trial, slots, requested, text, intent, today, turn)


# --- questions that fill an answer key -----------------------------------------------

def _parse(trial, slots, key, text, today):
    """(answer key, value) read from `text` for the question on `key`."""
    spec = trial.answers[key]
    answers = answers_of(trial, slots, today)
    if key == "performance_score":
        _, levels = performance_levels(trial, answers, today)
        return key, parse_performance(text, levels)
    if key == "date_of_birth":
        facts = extract_facts(text, today)
        if "age_years" in facts and not re.search(r"\d{4}|/", text):
            return "age_years", facts["age_years"]
        return parse_age_or_birth(text, today)
    facts = extract_facts(text, today)
    if key in facts:
        return key, facts[key]
    if spec.kind == "yes_no":
        return key, parse_yes_no(text)
    if spec.kind == "date":
        return key, parse_date(text, today, never=spec.never)
    if spec.kind == "number":
        return key, parse_number(text, spec.min if spec.min is not None else 0, spec.max if spec.max is not None else 100)
    return key, parse_choice(text, key, choices=trial.answers[key].choices)


def _set_answer(trial, key, value, today, turn: Turn) -> None:
    """Store an answer the engine accepts; dates of birth and ages replace each other."""
    value = check_answer(trial, key, value, today)
    if isinstance(value, dt.date):
        value = value.isoformat()
    turn.updates[key] = value
    other = {"date_of_birth": "age_years", "age_years": "date_of_birth"}.get(key)
    if other:
        turn.updates[other] = None


def _answer_turn(trial, slots, requested, text, intent, today, turn: Turn) -> None:
    question = answer_question(trial, requested, slots.get("chatting_as") or "parent", answers_of(trial, slots, today), today)
    verbatim = clean(text) in {clean(c) for c in question.choices}
    if not verbatim and intent in EXITS:
        turn.exit = intent
        return
    if not verbatim and intent == "ask_why" and not re.search(r"\d", text):
        turn.said.append(Say(text=trial.criterion(trial.question(requested).why).why))
        return
    if clean(text) == clean(DONT_KNOW):
        _set_answer(trial, "date_of_birth" if requested == "date_of_birth" else requested, UNKNOWN, today, turn)
        return
    if intent == "correct" and _apply_corrections(trial, slots, text, today, turn):
        return
    try:
        key, value = _parse(trial, slots, requested, text, today)
        _set_answer(trial, key, value, today, turn)
    except NotUnderstood as err:
        _digress_or_fail(trial, slots, requested, text, intent, today, turn, hint=err)
        return
    except InvalidAnswer:
        _fail(trial, slots, requested, turn, "date_future" if trial.answers[requested].kind == "date" else "number_range")
        return
    _take_other_facts(trial, slots, requested, text, today, turn)
    topic = faq_topic(trial, text)
    if topic and "?" in text:
        turn.said.append(Say(text=faq_answer(trial, topic)))


def _take_other_facts(trial, slots, requested, text, today, turn: Turn) -> bool:
    """Facts for questions not asked yet; each checked as if asked. True if any were taken."""
    fresh = {}
    for key, value in extract_facts(text, today).items():
        if key in (requested, "age_years" if requested == "date_of_birth" else None) or key in turn.updates:
            continue
        if slots.get(key) is not None or (key == "age_years" and slots.get("date_of_birth") is not None):
            continue
        fresh[key] = value
    return _store(trial, fresh, today, turn, "utter_noted")


def _store(trial, answers: Mapping[str, Any], today, turn: Turn, response: str) -> bool:
    """Store each answer the engine accepts and say which, with `response`. True if any."""
    stored = []
    for key, value in answers.items():
        try:
            _set_answer(trial, key, value, today, turn)
        except InvalidAnswer:
            continue
        stored.append(_describe(trial, key, turn.updates[key], today))
    if stored:
        turn.say(response, facts="; ".join(stored))
    return bool(stored)


def _apply_corrections(trial, slots, text, today, turn: Turn, any_key: bool = False) -> bool:
    """'Sorry, I meant 11': change answers already given. True if something changed.

    With `any_key` (the review) only facts the message names plainly count; otherwise a
    bare value corrects the question answered last."""
    facts = extract_facts(text, today)
    changed = {k: v for k, v in facts.items() if slots.get(k) is not None or
               (k == "age_years" and slots.get("date_of_birth") is not None) or any_key}
    if not changed and not any_key and slots.get("last_answered"):
        try:
            key, value = _parse(trial, slots, slots["last_answered"], re.sub(r"^(sorry|oops|actually|wait|no wait|i meant)\W*", "", clean(text)), today)
            changed = {key: value}
        except NotUnderstood:
            changed = {}
    return _store(trial, {k: v for k, v in changed.items() if slots.get(k) != v}, today, turn, "utter_changed")


def _describe(trial, key, value, today) -> str:
    if key == "age_years":
        return f"age {value}" if value != UNKNOWN else "age not known"
    label = next((q.label for q in trial.questions if q.key == key), key)
    return f"{label.lower()}: {show_value(trial, key, value, today)}"


def _digress_or_fail(trial, slots, requested, text, intent, today, turn: Turn, hint: Optional[NotUnderstood] = None) -> None:
    if intent == "ask_why" and requested not in FLOW_SLOTS:
        turn.said.append(Say(text=trial.criterion(trial.question(requested).why).why))
        return
    if _apply_corrections(trial, slots, text, today, turn) if intent == "correct" else False:
        return
    if requested not in FLOW_SLOTS and _take_other_facts(trial, slots, requested, text, today, turn):
        return
    topic = faq_topic(trial, text)
    if topic:
        turn.said.append(Say(text=faq_answer(trial, topic)))
        return
    if intent == "ask_why":
        turn.say("utter_why_flow")
        return
    simple = {"complain": "utter_frustrated", "greet": "utter_greet_again", "thank": "utter_welcome",
              "ask_faq": "utter_faq_topics"}
    if intent in simple:
        turn.say(simple[intent])
        return
    if urgent(text):
        return  # the urgent message was the answer; the question follows
    _fail(trial, slots, requested, turn, hint.hint if hint else ("chatting_as" if requested == "chatting_as" else "choice"))


def _fail(trial, slots, requested, turn: Turn, hint: str) -> None:
    failures = dict(slots.get("failures") or {})
    failures[requested] = failures.get(requested, 0) + 1
    turn.updates["failures"] = failures
    turn.say(f"utter_invalid_{hint}")
    if failures[requested] >= MAX_FAILURES:
        turn.say("utter_offer_skip")


# --- the decision ----------------------------------------------------------------------

def _decide_if_settled(trial, slots, today, turn: Turn) -> None:
    """Give the decision once: after the review, or as soon as the child cannot be eligible."""
    if slots.get("decision") or slots.get("continue_closed") != "yes" or not slots.get("chatting_as") or turn.exit:
        return
    answers = answers_of(trial, slots, today)
    result = evaluate(answers, today, trial)
    if slots.get("review") == "yes" or result.outcome == NOT_ELIGIBLE:
        who = slots.get("chatting_as") or "parent"
        payload = result.as_json()
        turn.said.append(Say(text=explain(result, who, trial), custom={"eligibility": payload}))
        turn.updates["decision"] = payload


def last_answered(turn: Turn, requested: str) -> Optional[str]:
    """The question just answered, for a later "sorry, I meant ..."."""
    if requested in FLOW_SLOTS:
        return None
    for key in (requested, "age_years", "date_of_birth"):
        if turn.updates.get(key) is not None:
            return "date_of_birth" if key == "age_years" else key
    return None
