"""Where a conversation's state lives, and the one flat view of it the turn logic reads.

Rasa keeps a conversation in slots that depend on no trial, so one model serves them all:
`trial` (the trial's id), `answers` (the trial's answer keys, one mapping), `chat` (where
the questions stand: the question pending, the chat's own questions' answers, say-backs,
counts), `chatting_as` (read by the domain's response conditions) and `forget` (read by
the tracker store). The turn logic reads one flat mapping of all of them and returns
changes to it; `slot_changes` turns those back into the slots that change, and no others.
"""
from __future__ import annotations

from typing import Any, Dict, Mapping

from eligibility import Trial

TRIAL, ANSWERS, CHAT = "trial", "answers", "chat"
OWN_SLOTS = ("chatting_as", "forget")
PENDING = "pending"  # the question waiting for the family's reply


def flat(slots: Mapping[str, Any]) -> Dict[str, Any]:
    """The conversation as the turn logic reads it: answers, chat state and own slots side by side."""
    view = {**(slots.get(CHAT) or {}), **(slots.get(ANSWERS) or {})}
    view.update({k: slots[k] for k in OWN_SLOTS if slots.get(k) is not None})
    return view


def slot_changes(trial: Trial, slots: Mapping[str, Any], updates: Mapping[str, Any]) -> Dict[str, Any]:
    """The slots to set for `updates` to the flat view (None removes a value); unchanged slots are left out."""
    answers, chat = dict(slots.get(ANSWERS) or {}), dict(slots.get(CHAT) or {})
    out: Dict[str, Any] = {}
    for key, value in updates.items():
        if key in OWN_SLOTS:
            if slots.get(key) != value:
                out[key] = value
            continue
        held = answers if key in trial.answers else chat
        if value is None:
            held.pop(key, None)
        else:
            held[key] = value
    if answers != (slots.get(ANSWERS) or {}):
        out[ANSWERS] = answers
    if chat != (slots.get(CHAT) or {}):
        out[CHAT] = chat
    return out
