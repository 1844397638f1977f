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


class Chat:
    """A conversation with the chat's own turn logic (no Rasa): each message is one reply
    turn, its updates applied as the action server applies them (None removes a value)."""

    def __init__(self, trial, slots: Dict[str, Any], today: dt.date = TODAY, who: str = "parent"):
        from conversation.asking import opening_turn

        self.trial, self.today = trial, today
        self.slots: Dict[str, Any] = {"continue_closed": "yes", "chatting_as": who, "opening_done": True, **slots}
        self.last = self._apply(opening_turn(trial, self.slots, today))

    def _apply(self, turn):
        for key, value in turn.updates.items():
            if value is None:
                self.slots.pop(key, None)
            else:
                self.slots[key] = value
        return turn

    def send(self, text: str):
        from conversation.asking import reply_turn

        self.last = self._apply(reply_turn(self.trial, self.slots, text, None, 0.0, self.today))
        return self.last

    @property
    def asking(self):
        return self.slots.get("pending")

    def text(self, turn=None) -> str:
        """Everything a reply says, as the family reads it."""
        from conversation.wording import domain_text

        out = []
        for say in (turn or self.last).said:
            out.append(say.text if say.text is not None else domain_text(say.response).format_map(_Blank(say.values)))
        return "\n".join(out)

    def buttons(self, turn=None):
        return [b["title"] for say in (turn or self.last).said for b in say.buttons]


class _Blank(dict):
    def __missing__(self, key):
        return ""
