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
from typing import Any, Dict, List, Mapping, Optional, Set

from eligibility import InvalidAnswer, Trial, check_answer, evaluate, explain, next_question
from eligibility.engine import NOT_ELIGIBLE, window_end
from eligibility.trial import Spotting, age_keys

from .checklist import DONE, ONE_BY_ONE, answers_from, items_to_ask, read_checklist
from .facts import clauses, extract_facts, topic_keys
from .dates import SECOND_THOUGHT, ages_said, parse_age_or_birth, parse_date, says_never_had, times_in
from .parsing import UNKNOWN, NotUnderstood, clean, parse_choice, parse_number_within, parse_performance, parse_yes_no
from .prompts import DONT_KNOW, FLOW_CHOICES, answer_question, choice_words, flow_choices, performance_scale, yes_no_words
from .reading import Reading, read
from .signals import CORRECTION_OPENING, faq_answer, faq_topic, too_long, urgent
from .sayback import describe, how_said

FLOW_SLOTS = tuple(FLOW_CHOICES)
OPENING_SLOTS = ("chatting_as",)  # asked before the trial's questions
EXITS = {"handoff", "stop", "start_over", "forget_me"}
NLU_CONFIDENCE = 0.7
MAX_FAILURES = 3


@dataclass
class Say:
    response: Optional[str] = None
    text: Optional[str] = None
    custom: Optional[Dict[str, Any]] = None
    values: Dict[str, Any] = field(default_factory=dict)
    buttons: List[Dict[str, str]] = field(default_factory=list)


@dataclass
class Turn:
    said: List[Say] = field(default_factory=list)
    updates: Dict[str, Any] = field(default_factory=dict)
    exit: Optional[str] = None
    noted: Set[str] = field(default_factory=set)  # answer keys already said back in this turn's messages

    def say(self, response: str, **values: Any) -> None:
        self.said.append(Say(response=response, values=values))


def in_words(trial: Trial, slots: Mapping[str, Any], facts: Mapping[str, Any], today: dt.date) -> str:
    """Answers said back, each in the family's own terms (what `said_as` in `slots` kept)."""
    how, answers = slots.get("said_as") or {}, answers_of(trial, slots, today)
    return "; ".join(describe(trial, k, v, today, how, answers) for k, v in facts.items())


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
    """The form's slots, in order; the form asks the first one that is empty. `continue_closed`
    is "yes" from the opening on (it carries the first question), "no" once the family declines."""
    if slots.get("exit_request") or slots.get("continue_closed") == "no":
        return []
    order = ["chatting_as"]
    if not slots.get("chatting_as"):
        return order
    if slots.get("confirms"):
        return order + ["confirm"]
    if slots.get("decision"):
        return order + ["offer_handoff"]
    answers = answers_of(trial, slots, today)
    key = next_question(answers, today, trial)
    group = trial.checklist_of(key) if key else None
    if group and not slots.get(group.slot) and len(items_to_ask(trial, group, answers, today)) > 1:
        return order + [group.slot]
    return order + ([key] if key else [])


def resolve_intent(reading: Reading, intent: Optional[str], confidence: float) -> Optional[str]:
    """Plain keywords first ("nurse", "start over" mean what they say), then a confident NLU intent."""
    if reading.keyword:
        return reading.keyword
    return intent if confidence >= NLU_CONFIDENCE else None


def take_turn(trial: Trial, slots: Mapping[str, Any], requested: str, text: Optional[str],
              intent: Optional[str], confidence: float, today: dt.date) -> Turn:
    turn = Turn()
    if too_long(text):
        turn.say("utter_too_long")
        return turn
    reading = read(text)
    if urgent(reading.clean):
        turn.say("utter_urgent")
    intent = resolve_intent(reading, intent, confidence)
    if requested in FLOW_SLOTS:
        _flow_turn(trial, slots, requested, reading, intent, today, turn)
    elif trial.checklist(requested):
        _checklist_turn(trial, slots, requested, reading, intent, today, turn)
        _say_back_if_against(trial, slots, today, turn)
    else:
        _answer_turn(trial, slots, requested, reading, intent, today, turn)
        _say_back_if_against(trial, slots, today, turn)
    _decide_if_settled(trial, {**slots, **turn.updates}, today, turn)
    return turn


# --- the questions that fill no answer key ---------------------------------------------

CHATTING_AS = {
    "professional": r"doctor|nurse|consultant|clinician|professional|gp\b|oncologist|haematologist|health ?care|medic|pharmacist|worker",
    "young_person": r"\bme\b|myself|patient|young person|teen|it'?s me|i am the|i'?m the one|i have|i'?ve got|i am \d|i'?m \d|for me",
    "parent": r"parent|mum|mom|mother|dad|father|carer|guardian|grand\w*|aunt|uncle|family|relative|step|foster|my (?:son|daughter|child|kid|boy|girl)",
}


def _flow_value(trial: Trial, slot: str, reading: Reading) -> Optional[str]:
    t = reading.clean
    offered = [value for value, _ in flow_choices(trial, slot)]
    for value in offered:
        if t == value.replace("_", " ") or t == value:
            return value
    if slot == "chatting_as":
        hits = [v for v, pattern in CHATTING_AS.items() if v in offered and re.search(pattern, t)]
        return hits[0] if hits else None
    try:
        answer = parse_yes_no(reading.answer, flow=True)
    except NotUnderstood:
        return None
    return {True: "yes", False: "no", UNKNOWN: UNKNOWN if slot == "confirm" else None}.get(answer)


def _flow_turn(trial, slots, requested, reading: Reading, intent, today, turn: Turn) -> None:
    value = _flow_value(trial, requested, reading)
    if requested == "chatting_as" and value is None and _declines(reading):  # "no thanks" to the opening's question
        turn.updates["continue_closed"] = "no"
        return
    if requested in OPENING_SLOTS and _take_other_facts(trial, slots, requested, reading, today, turn):
        _opening_facts(trial, slots, requested, reading, value, turn)
        if intent in EXITS:  # "my son is 9, can I talk to a nurse": the facts are kept for the summary
            turn.exit = intent
        return
    if requested == "chatting_as" and value:
        turn.updates[requested] = value
        return
    if intent in EXITS and not (value and reading.clean in {v for v, _ in flow_choices(trial, requested)}):
        if not (requested == "offer_handoff" and intent == "handoff"):
            turn.exit = intent
            return
        value = "yes"
    if requested == "confirm":
        _confirm_turn(trial, slots, reading, value, today, turn)
        return
    if value is not None:
        turn.updates[requested] = value
        return
    _digress_or_fail(trial, slots, requested, reading, intent, today, turn)


def _declines(reading: Reading) -> bool:
    try:
        return parse_yes_no(reading.answer, flow=True) is False
    except NotUnderstood:
        return False


# Who is chatting, as a first message says it plainly ("my son is 9": a parent); each reading
# must be the only one the message gives, and one of the trial's audiences.
FIRST_MESSAGE_WHO = {
    "professional": r"\bi(?:'?m| am) (?:an? |the )?(?:doctor|nurse|consultant|clinician|oncologist|haematologist|gp|pharmacist|"
                    r"social worker|health ?care professional|medical professional|specialist nurse)\b|\bmy patient\b",
    "parent": r"\b(?:my|our) (?:[\w-]+ ){0,2}(?:son|daughter|child|kid|boy|girl|baby|little one|grandson|granddaughter|"
              r"stepson|stepdaughter|twins?|toddler|teenager|lad|lass|wee one|youngest|eldest)\b|\bmy \d{1,2}[- ]?(?:yo|year[- ]old)\b|"
              r"\bi(?:'?m| am) (?:his|her|their) (?:mum|mom|mother|dad|father|parent|carer|guardian|gran|grandma|grandad)\b",
    "young_person": r"\bi(?:'?m| am) (?:\d{1,2}|a teenager)\b|\bi was diagnosed\b|\bi(?:'ve| have)? relapsed\b|"
                    r"\bi (?:have|'ve got|got) (?:relapsed |refractory )?(?:b[- ]?cell |pre[- ]?b |precursor b[- ]?cell )?"
                    r"(?:all|leuka?emia)\b(?! (?:the|his|her|of|my|their|our)\b)|\bmy (?:leuka?emia|all|cancer)\b",
}


def who_in_first_message(trial: Trial, reading: Reading) -> Optional[str]:
    said = [who for who, pattern in FIRST_MESSAGE_WHO.items() if who in trial.audiences and re.search(pattern, reading.clean)]
    return said[0] if len(said) == 1 else None


def _opening_facts(trial, slots, requested, reading: Reading, value, turn: Turn) -> None:
    """Facts stated before the questions ("hi, my daughter is 7 and has relapsed pre-B ALL") were
    taken; a family that gives them is going on, and may have said who they are."""
    turn.updates["continue_closed"] = "yes"
    who = value if requested == "chatting_as" else _flow_value(trial, "chatting_as", reading)
    if who and not slots.get("chatting_as"):
        turn.updates["chatting_as"] = who


def _ask_again(trial, keys, turn: Turn, response: str = "utter_will_ask_again") -> None:
    """Clear answers so the form asks them again (the keys that give age go together)."""
    ages = age_keys(trial.answers)
    for key in keys:
        for cleared in (ages if key in ages else [key]):
            turn.updates[cleared] = None
    turn.say(response)


def _confirm_turn(trial, slots, reading: Reading, value, today, turn: Turn) -> None:
    """The say-back. "yes" keeps the answers (and the next say-back waiting, if any, comes).
    "no" asks once what is wrong: the question again, where the exact value can be typed or
    "I don't know" chosen; a second "no" to the same answer leaves it unknown, for the trial
    team or a nurse, and the chat goes on: a say-back never loops. Other facts said meanwhile
    are kept; one that needs a say-back of its own waits for this one to be answered."""
    confirms = slots.get("confirms") or {}
    if value is not None and not PLAIN_REPLY.match(reading.clean) and len(reading.clean.split()) > PLAIN_REPLY_WORDS:
        value = None  # "her bloods are awful, her liver is not ok": its "not" is no answer to this question
    if value in ("yes", UNKNOWN):
        turn.updates.update({"confirms": slots.get("queued") or None, "queued": None})
        if value == UNKNOWN:  # set aside: not known, and the chat goes on
            _store(trial, {trial.answers[k].asked_as or k: UNKNOWN for k in confirms}, today, turn, None)
            turn.say("utter_set_aside")
        return
    if value == "no":
        disputed = dict(slots.get("disputed") or {})
        again = [k for k in confirms if k not in disputed]
        left = [k for k in confirms if k in disputed]
        turn.updates.update({"confirms": None, "disputed": {**disputed, **{k: confirms[k] for k in again}}})
        if left:
            _store(trial, {trial.answers[k].asked_as or k: UNKNOWN for k in left}, today, turn, None)
            turn.say("utter_left_unknown")
        if again:
            _ask_again(trial, again, turn, response="utter_what_is_wrong")
        return
    before = dict(turn.updates)
    if _apply_corrections(trial, slots, reading, today, turn, any_key=True):
        new = turn.updates.pop("confirms")
        if set(new) & set(confirms):
            turn.updates["confirms"] = new  # a correction of what is being said back: said back instead
            return
        turn.updates["confirms"] = confirms  # one say-back at a time: the new one waits
        needs = {k: v for k, v in new.items() if _needs_say_back(trial, {**slots, **before}, k, v, today)}
        if needs:
            turn.updates["queued"] = {**(slots.get("queued") or {}), **needs}
        turn.say("utter_noted", facts=in_words(trial, {**slots, "said_as": _how(slots, turn)}, new, today))
        turn.noted.update(new)
        return
    _digress_or_fail(trial, slots, "confirm", reading, None, today, turn)


# A reply to a say-back is a yes or a no when it starts with one or is short ("she has, yes");
# a longer message tells something else.
PLAIN_REPLY = re.compile(r"(?:yes|yeah|yep|yup|no|nope|nah|correct|right|wrong|that'?s (?:right|wrong|correct|not right))\b")
PLAIN_REPLY_WORDS = 5


def _needs_say_back(trial, slots, key, value, today) -> bool:
    """An answer is said back when it changes one already given or makes a rule fail."""
    if slots.get(key) not in (None, value):
        return True
    before = set(evaluate(answers_of(trial, slots, today), today, trial).failed)
    return bool(set(evaluate(answers_of(trial, {**slots, key: value}, today), today, trial).failed) - before)


def _how(slots, turn: Turn) -> Dict[str, str]:
    return {**(slots.get("said_as") or {}), **(turn.updates.get("said_as") or {})}


def _note_how(trial, slots, key, text, turn: Turn) -> None:
    """Keep what the family's words were for an answer, so it is said back in their terms."""
    known = _how(slots, turn)
    how = how_said(trial, key, text)
    if known.get(key) != how:
        known.pop(key, None)
        turn.updates["said_as"] = {**known, **({key: how} if how else {})}


# --- questions that fill an answer key -----------------------------------------------

def _parse(trial, slots, key, text, today):
    """(answer key, value) read from `text` for the question on `key`."""
    spec = trial.answers[key]
    answers = answers_of(trial, slots, today)
    if trial.question(key).kind == "scale":
        scale = performance_scale(trial, answers, today)
        return key, parse_performance(text, [(lv.score, lv.text) for lv in scale.levels],
                                      words={lv.score: lv.words for lv in scale.levels})
    ages = age_keys(trial.answers)
    if ages and key == ages[0]:
        if len(ages_said(text)) > 1:
            raise NotUnderstood("age")  # "Ellie's 8 and her brother is 11": whose is asked
        facts = extract_facts(text, today, trial)
        if ages[-1] in facts and not re.search(r"\d{4}|/", text):
            return ages[-1], facts[ages[-1]]
        said, value = parse_age_or_birth(text, today, oldest=int(trial.answers[ages[-1]].max or 120))
        return (ages[0] if said == "birth" else ages[-1]), value
    try:
        if spec.kind == "yes_no":
            return key, parse_yes_no(text, words=yes_no_words(trial, key))
        if spec.kind == "date":
            topic = trial.question(key).topic
            if spec.never and topic and says_never_had(text, topic):
                return key, "never"
            return key, parse_date(text, today, never=spec.never)
        if spec.kind == "number":
            return key, parse_number_within(text, spec)
        return key, parse_choice(text, choices=choice_words(trial, key))
    except NotUnderstood as err:
        if err.detail.get("two_ways") or err.hint.endswith("hedge"):
            raise  # two choices, or a hedge ("kind of?"): never a narrower reading in their place
        facts = extract_facts(text, today, trial)  # "he had his transplant 2 months ago": the topic's own reading
        if key in facts:
            return key, facts[key]
        raise


def _set_answer(trial, key, value, today, turn: Turn) -> None:
    """Store an answer the engine accepts; dates of birth and ages replace each other."""
    value = check_answer(trial, key, value, today)
    if isinstance(value, dt.date):
        value = value.isoformat()
    turn.updates[key] = value
    ages = age_keys(trial.answers)
    if key in ages:
        for other in ages:
            if other != key:
                turn.updates[other] = None


def _answer_turn(trial, slots, requested, reading: Reading, intent, today, turn: Turn) -> None:
    """A waiting question wins: a message that answers it is an answer, whatever else it mentions.
    What it also asks is answered after the answer is stored."""
    question = answer_question(trial, requested, slots.get("chatting_as") or "parent", answers_of(trial, slots, today), today)
    verbatim = reading.clean in {clean(c) for c in question.choices}
    leaving = intent in EXITS and not verbatim
    if reading.clean == clean(DONT_KNOW):
        _set_answer(trial, requested, UNKNOWN, today, turn)
        return
    if reading.correction and _apply_corrections(trial, slots, reading, today, turn):
        return
    changing = [k for k in topic_keys(trial, reading.clean) if _answered(trial, slots, k)] if reading.correction else []
    if changing:  # "can I change the chemo date?": asked again
        _ask_again(trial, changing, turn)
        return
    try:
        if _asks_what_it_means(question.text, reading):
            raise NotUnderstood(UNSURE.get(trial.question(requested).kind, "choice_closest"))
        # "12/07/2018... or was it 2017??": the second thought reads as a question; the answer doubts itself
        said = reading.clean if SECOND_THOUGHT.search(reading.question) else reading.answer
        key, value = _parse(trial, slots, requested, _chosen_time(slots, requested, reading) or said, today)
        value = _one_time(trial, slots, key, value, reading, today, turn)
        if value is None:
            return  # two times that decide differently: asked which
        _set_answer(trial, key, value, today, turn)
        _note_how(trial, slots, key, reading.answer, turn)
    except (NotUnderstood, InvalidAnswer) as err:
        if leaving:
            turn.exit = intent
        elif isinstance(err, NotUnderstood):
            _digress_or_fail(trial, slots, requested, reading, intent, today, turn, hint=err)
        else:
            _fail(trial, slots, requested, turn, "date_future" if trial.answers[requested].kind == "date" else "number_range")
        return
    if leaving:  # "no, and I'd like to talk to a nurse": the answer is kept, then the request
        turn.exit = intent
        return
    _take_other_facts(trial, slots, requested, reading, today, turn)
    if reading.asks:
        _answer_asked(trial, slots, requested, reading, intent, turn)


UNSURE = {"yes_no": "yes_no_hedge", "date": "date", "number": "number", "scale": "performance"}


def _asks_what_it_means(question: str, reading: Reading) -> bool:
    """"Never heard of Burkitt, what is it?", "mature? no, immature cells": the family asks what
    the question means, so what else they said cannot answer it yet."""
    for asked in reading.question.split(", "):
        if re.fullmatch(r"what(?:'s| is| are)(?: (?:it|that|this|they))?|what does (?:it|that|this) mean", asked):
            return True
        if re.fullmatch(r"[a-z'-]{3,}", asked) and re.search(rf"\b{re.escape(asked)}\b", question.lower()):
            return True
    return False


def _checklist_turn(trial, slots, requested, reading: Reading, intent, today, turn: Turn) -> None:
    """A checklist's reply answers all its items at once, or asks for them one by one."""
    group = trial.checklist(requested)
    leaving = intent in EXITS and reading.clean not in (clean(group.none), clean(DONT_KNOW))
    items = items_to_ask(trial, group, answers_of(trial, slots, today), today)
    try:
        said = read_checklist(trial, group, items, reading.answer)
    except NotUnderstood as err:
        if leaving:
            turn.exit = intent
        else:
            _digress_or_fail(trial, slots, requested, reading, intent, today, turn, hint=err)
        return
    if said == ONE_BY_ONE:
        turn.updates[requested] = ONE_BY_ONE
        turn.say("utter_one_by_one")
    else:
        turn.updates[requested] = DONE
        _store(trial, answers_from(said), today, turn, None)
        _take_other_facts(trial, slots, requested, reading, today, turn)  # "a transplant in May 2024"
    if leaving:
        turn.exit = intent
    elif reading.asks:
        _answer_asked(trial, slots, requested, reading, intent, turn)


def _answer_asked(trial, slots, requested, reading: Reading, intent, turn: Turn) -> bool:
    """Answer what the message asks: why this question, or a topic of the trial. True if answered."""
    if intent == "ask_why" and requested in trial.answers:
        turn.said.append(Say(text=trial.criterion(trial.question(requested).why).why))
        return True
    if intent == "ask_why" and trial.checklist(requested):
        turn.said.append(Say(text=trial.checklist(requested).why))
        return True
    topic = faq_topic(trial, reading.question or reading.clean)
    if topic:
        turn.said.append(Say(text=faq_answer(trial, topic, slots.get("chatting_as") or "parent")))
        return True
    if intent == "ask_why":
        turn.say("utter_why_flow")
        return True
    if intent == "ask_faq":
        turn.say("utter_faq_topics")
        return True
    return False


def _take_other_facts(trial, slots, requested, reading: Reading, today, turn: Turn) -> bool:
    """Facts for questions not asked yet; each checked as if asked. True if any were taken."""
    fresh = {}
    for key, value in extract_facts(reading.answer, today, trial).items():
        if _same_question(trial, key, requested) or key in turn.updates or _answered(trial, slots, key):
            continue
        fresh[key] = value
    return _store(trial, fresh, today, turn, "utter_noted", slots, reading.answer)


ORDINALS = {0: r"\b(?:first|earlier|1st|former)\b", -1: r"\b(?:second|later|latter|2nd|last one|most recent)\b"}


def _chosen_time(slots, key, reading: Reading) -> Optional[str]:
    """"The first one" to a question that offered two times: that time."""
    which = slots.get("which") or {}
    if which.get("key") != key:
        return None
    return next((which["options"][i] for i, pattern in ORDINALS.items() if re.search(pattern, reading.clean)), None)


def _one_time(trial, slots, key, value, reading: Reading, today, turn: Turn) -> Any:
    """The time an answer gives for a date question. Times the question does not count ("the
    intrathecal one on Tuesday") are left out, and the one left is taken; two or more that would
    decide differently ("5 months without chemo; the party was a week ago") are never picked
    from: the chat asks which, each a choice (None)."""
    if trial.answers[key].kind != "date" or _chosen_time(slots, key, reading):
        return value
    unless = (trial.question(key).facts or Spotting()).unless
    kept = [c for c in clauses(reading.answer) if not (unless and re.search(unless, c))]
    options = times_in(" ; ".join(kept), today)
    answers = answers_of(trial, slots, today)
    if len({_decides(trial, answers, key, day, today) for day in options}) < 2:
        left_out = len(kept) < len(clauses(reading.answer)) and times_in(reading.answer, today) != options
        return options[0] if left_out and len(options) == 1 and value not in (UNKNOWN, "never") else value
    turn.updates["which"] = {"key": key, "options": options}
    turn.say("utter_invalid_date_two_times")
    return None


def _decides(trial, answers, key, day: str, today) -> tuple:
    """What a day would decide: the outcome now, and the day each of its windows is met (a
    window can matter before the answers it depends on are in)."""
    r = evaluate({**answers, key: day}, today, trial)
    waits = tuple(max(window_end(dt.date.fromisoformat(day), c.window), today)
                  for c in trial.criteria if c.window is not None and c.window.key == key)
    return r.outcome, r.eligible_from, tuple(r.failed), waits


def _same_question(trial, key, requested) -> bool:
    return requested in (key, trial.answers[key].asked_as)


def _answered(trial, slots, key) -> bool:
    """Answered already, directly or through the key it is asked as (an age by the date of birth)."""
    asked_as = trial.answers[key].asked_as
    return slots.get(key) is not None or (asked_as is not None and slots.get(asked_as) is not None)


def _store(trial, answers: Mapping[str, Any], today, turn: Turn, response: Optional[str], slots: Mapping[str, Any] = None,
           text: str = "") -> bool:
    """Store each answer the engine accepts and, with `response`, say which (in the family's
    terms: `text` is what they wrote). True if any."""
    stored = []
    slots = slots or {}
    before = dict(turn.updates)
    for key, value in answers.items():
        try:
            _set_answer(trial, key, value, today, turn)
        except InvalidAnswer:
            continue
        _note_how(trial, slots, key, text, turn)
        stored.append(in_words(trial, {**slots, "said_as": _how(slots, turn)}, {key: turn.updates[key]}, today))
    if stored and response:
        turn.say(response, facts="; ".join(stored))
        turn.noted.update(k for k, v in turn.updates.items() if k not in before or before[k] != v)
    return bool(stored)


CORRECTION_START = re.compile(CORRECTION_OPENING + r"\W*")


def _apply_corrections(trial, slots, reading: Reading, today, turn: Turn, any_key: bool = False) -> bool:
    """'Sorry, I meant 11': change answers already given, and say them back before they count.

    Only what the message names is changed: a fact that names its question ("she is 11",
    "the chemo was 3 weeks ago"), or, after words that say it corrects, a value for the
    question answered last. True if something changed."""
    facts = extract_facts(reading.answer, today, trial)
    changed = {k: v for k, v in facts.items() if _answered(trial, slots, k) or any_key}
    if not changed and reading.correction and slots.get("last_answered"):
        bare = CORRECTION_START.sub("", reading.answer)
        bare = re.sub(r"^(?:i meant|i mean|it'?s|it is|it was)\W*", "", bare)
        try:
            key, value = _parse(trial, slots, slots["last_answered"], bare, today)
            changed = {key: value}
        except NotUnderstood:
            changed = {}
    changed = {k: v for k, v in changed.items() if slots.get(k) != v}
    if not _store(trial, changed, today, turn, None, slots, reading.answer):
        return False
    turn.updates["confirms"] = {k: turn.updates[k] for k in changed if k in turn.updates}
    return True


def _say_back_if_against(trial, slots, today, turn: Turn) -> None:
    """An answer that makes a rule fail (a window too: its day decides "not yet") is said back
    before anything is decided on it, unless it is the very answer the family said was wrong and
    gave again: a say-back is never shown twice in a row. A say-back that waited comes next."""
    if turn.exit or turn.updates.get("confirms"):
        return
    given = {k: v for k, v in turn.updates.items() if k in trial.answers and v is not None}
    before = evaluate(answers_of(trial, slots, today), today, trial).failed
    after = evaluate(answers_of(trial, {**slots, **turn.updates}, today), today, trial).failed
    failing = [trial.criterion(cid) for cid in after if cid not in before]
    keys = [k for c in failing for k in trial.reads(c) if k in given]
    new = {k: given[k] for k in dict.fromkeys(keys)}
    if new:  # a window's day is said back with what made it count ("not a low dose")
        held = {**slots, **given}
        new = {**{c.window.key: held[c.window.key] for c in failing if c.window is not None and held.get(c.window.key)}, **new}
    if new and any((slots.get("disputed") or {}).get(k) != v for k, v in new.items()):
        turn.updates["confirms"] = new
    elif slots.get("queued") and not slots.get("confirms"):
        turn.updates.update({"confirms": slots["queued"], "queued": None})


def _digress_or_fail(trial, slots, requested, reading: Reading, intent, today, turn: Turn,
                     hint: Optional[NotUnderstood] = None) -> None:
    """No answer in the message: answer what it asks, take facts it states, or ask again."""
    # Only a message that asks (a question's shape or words like "why") is answered as a
    # question: the classifier alone would take "his last lumbar puncture was clear" for one.
    if reading.asks and _answer_asked(trial, slots, requested, reading, intent, turn):
        return
    if requested not in FLOW_SLOTS and _take_other_facts(trial, slots, requested, reading, today, turn) and hint is None:
        return  # facts for other questions carry the chat on; an answer to this one that could not be read still says so
    simple = {"complain": "utter_frustrated", "greet": "utter_greet_again", "thank": "utter_welcome"}
    if intent in simple:
        turn.say(simple[intent])
        return
    if urgent(reading.clean):
        return  # the urgent message was the answer; the question follows
    if hint is None:
        hint_name = "chatting_as" if requested == "chatting_as" else ("yes_no" if requested == "confirm" else "choice")
    else:
        hint_name = hint.hint
    _fail(trial, slots, requested, turn, hint_name)


def _fail(trial, slots, requested, turn: Turn, hint: str) -> None:
    turn.say(f"utter_invalid_{hint}")


# --- the decision ----------------------------------------------------------------------

def _decide_if_settled(trial, slots, today, turn: Turn) -> None:
    """Give the decision once: when no question is left that could change it (every answer was
    said back as it was taken), or as soon as the child cannot be eligible; never while an answer
    waits to be said back."""
    if (slots.get("decision") or slots.get("confirms") or slots.get("continue_closed") != "yes"
            or not slots.get("chatting_as") or turn.exit):
        return
    answers = answers_of(trial, slots, today)
    result = evaluate(answers, today, trial)
    if result.outcome == NOT_ELIGIBLE or next_question(answers, today, trial) is None:
        who = slots.get("chatting_as") or "parent"
        payload = result.as_json()
        turn.said.append(Say(text=explain(result, who, trial, answers, today), custom={"eligibility": payload}))
        turn.updates["decision"] = payload


def last_answered(trial: Trial, turn: Turn, requested: str) -> Optional[str]:
    """The question just answered, for a later "sorry, I meant ..."."""
    if requested in FLOW_SLOTS:
        return None
    for key in (requested, *age_keys(trial.answers)):
        if key in trial.answers and turn.updates.get(key) is not None:
            return trial.answers[key].asked_as or key
    return None
