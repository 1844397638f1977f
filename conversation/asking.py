"""Asking: which question comes next, and saying it, in plain Python.

Rasa's form has one requested slot, the family's reply; which question that reply
answers is data (the trial file's questions and the chat's own), held in the chat state
as `pending`. So each turn is one call: read the reply (conversation.turn), then ask the
next question here, or end the form when none is left.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Mapping, Optional

from eligibility import Trial

from .prompts import FLOW_CHOICES, WAY_OUT_AFTER, answer_question, flow_question
from .state import PENDING
from .parsing import clean
from .sayback import when_in_words
from .turn import Say, Turn, answers_of, in_words, last_answered, required_slots, take_turn
from .wording import domain_text


def next_to_ask(trial: Trial, slots: Mapping[str, Any], today: dt.date) -> Optional[str]:
    """The first of the form's slots still empty, or None when the form is done."""
    return next((slot for slot in required_slots(trial, slots, today) if slots.get(slot) is None), None)


def ask(trial: Trial, slots: Mapping[str, Any], slot: str, today: dt.date, taken: Optional[str] = None) -> Turn:
    """The question on `slot`: its text, buttons and marker, after `taken` (the answer just
    stored, said back). The opening comes before the first question, and carries it; the third
    ask in a row comes with a way out, and the wording alternates after that, so no two replies
    in a row are the same."""
    turn = Turn()
    if not slots.get("opening_done"):
        turn.say("utter_opening")
        turn.updates["opening_done"] = True
        given = answers_of(trial, slots, today)
        if given:  # facts in the first message, kept: said back once
            turn.say("utter_noted", facts=in_words(trial, slots, given, today))
    asked = slots.get("asked") or {}
    times = asked.get("times", 0) + 1 if asked.get("slot") == slot else 1
    turn.updates.update({PENDING: slot, "asked": {"slot": slot, "times": times}})
    # A question that fills no answer key (who is chatting, a say-back) keeps its own choices and
    # has no "I don't know": its way out is the nurse, in words. A question asked again because its
    # say-back was wrong offers "I don't know" and the nurse at once (its message says so).
    flow = slot in FLOW_CHOICES
    way_out = not flow and (times > WAY_OUT_AFTER or slot in (slots.get("disputed") or {}))
    if times > WAY_OUT_AFTER:
        turn.say(("utter_way_out_nurse" if flow else "utter_way_out") + ("" if times % 2 else "_again"))
    answers = answers_of(trial, slots, today)
    confirms = slots.get("confirms") if slot == "confirm" else None
    question = (flow_question(trial, slot, "", confirms) if flow else
                answer_question(trial, slot, slots.get("chatting_as") or "parent", answers, today))
    which = slots.get("which") or {}
    if which.get("key") == slot:  # an answer with two times: each is a choice
        question = question.with_first([(day, when_in_words(day, today)) for day in which["options"]])
    elif which:
        turn.updates["which"] = None
    if way_out:
        question = question.with_way_out()
    if not flow:
        thanks = domain_text("utter_taken").format(facts=taken) if taken else domain_text("utter_thanks_prefix")
        text = f"{thanks} {question.text}" if taken is not None else question.text
        turn.said.append(Say(text=text, buttons=question.buttons(), custom=question.marker()))
    else:
        values = {}
        if confirms:
            values["facts"] = in_words(trial, slots, confirms, today)
        turn.said.append(Say(response=f"utter_ask_{slot}", values=values, buttons=question.buttons(), custom=question.marker()))
    return turn


def reply_turn(trial: Trial, slots: Mapping[str, Any], text: Optional[str], intent: Optional[str],
               confidence: float, today: dt.date) -> Turn:
    """One message inside the form: the answer to the question pending, then the next question.
    With no question left (or a request to leave), `pending` is cleared and the form ends."""
    pending = slots.get(PENDING)
    turn = take_turn(trial, slots, pending, text, intent, confidence, today) if pending else Turn()
    if turn.exit:
        turn.updates["exit_request"] = turn.exit
    answered = last_answered(trial, turn, pending)
    if answered:
        turn.updates["last_answered"] = answered
    after = {**slots, **turn.updates}
    slot = next_to_ask(trial, after, today)
    if slot is None:
        turn.updates[PENDING] = None
        return turn
    # Said back with the next question, unless the turn already said something else first (a
    # say-back, "sorry", a way out); facts noted from the same message do not stop it.
    quiet = any(said.response != "utter_noted" for said in turn.said)
    asked = ask(trial, after, slot, today, taken=None if quiet else taken_in_words(trial, slots, pending, text, turn, today))
    turn.said += asked.said
    turn.updates.update(asked.updates)
    return turn


def taken_in_words(trial: Trial, slots: Mapping[str, Any], pending: Optional[str], text: Optional[str], turn: Turn,
                   today: dt.date) -> Optional[str]:
    """The answers a reply gave, said back as they were taken: "" for a button chosen (a plain
    thank you), None when it gave none. Every answer is said back when it is taken, so no review
    of them all is needed before the decision."""
    taken = {k: v for k, v in turn.updates.items() if k in trial.answers and v is not None and k not in turn.noted}
    if not taken:
        return None
    offered = answer_question(trial, pending, slots.get("chatting_as") or "parent", answers_of(trial, slots, today), today) \
        if pending and (pending in trial.answers or trial.checklist(pending)) else None
    if offered and clean(text) in {clean(c) for c in [*offered.choices, *offered.titles]}:
        return ""
    return in_words(trial, {**slots, **turn.updates}, taken, today)


def opening_turn(trial: Trial, slots: Mapping[str, Any], today: dt.date) -> Turn:
    """The first question of the form (with the opening), for answers already given."""
    return ask(trial, slots, next_to_ask(trial, slots, today) or "chatting_as", today)
