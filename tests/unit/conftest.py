"""Shared by the unit tests: a fully eligible 10-year-old boy's answers, and a walk through a
trial's questions with the chat's own turn logic."""
import datetime as dt
import json
from pathlib import Path
from typing import Any, Dict

import pytest

DATA = Path(__file__).resolve().parent.parent / "data"
TODAY = dt.date(2026, 9, 7)

ELIGIBLE: Dict[str, Any] = json.loads((DATA / "engine-examples.json").read_text())[0]["answers"]


@pytest.fixture
def eligible() -> Dict[str, Any]:
    """A fresh copy of the fully eligible child's answers, safe to change."""
    return dict(ELIGIBLE)


def chat_walk(trial, replies: Dict[str, str], today: dt.date, who: str = "parent"):
    """The chat's turn logic (no Rasa) answering each question the form asks with `replies`
    (a question not in them gets "yes"): the questions asked in order, and the decision."""
    from conversation.asking import next_to_ask
    from conversation.turn import take_turn

    slots: Dict[str, Any] = {"continue_closed": "yes", "chatting_as": who}
    asked = []
    for _ in range(30):
        slot = next_to_ask(trial, slots, today)
        if slot == "offer_handoff":
            return asked, slots["decision"]
        asked.append(slot)
        slots.update(take_turn(trial, slots, slot, replies.get(slot, "yes"), None, 0.0, today).updates)
    raise AssertionError(f"no decision after {asked}")
