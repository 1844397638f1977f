"""What every action needs: the trial, today's date, the answers so far, and a way to send."""
from __future__ import annotations

import datetime as dt
import logging
import functools
import os
from typing import Any, Dict, Iterable

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from conversation.turn import Say, answers_of
from eligibility import Trial, load_trial
from eligibility.explain import STATUS

log = logging.getLogger(__name__)


def trial() -> Trial:
    return load_trial()


def today() -> dt.date:
    """The server's date; ASSISTANT_TODAY=YYYY-MM-DD pins it so scripted conversations are reproducible."""
    pinned = os.environ.get("ASSISTANT_TODAY")
    return dt.date.fromisoformat(pinned) if pinned else dt.date.today()


def slots(tracker: Tracker) -> Dict[str, Any]:
    return dict(tracker.slots)


def answers(tracker: Tracker) -> Dict[str, Any]:
    return answers_of(trial(), tracker.slots, today())


def who(tracker: Tracker) -> str:
    return tracker.get_slot("chatting_as") or "parent"


def common_values() -> Dict[str, Any]:
    """Values every response may use."""
    t = trial()
    return {"phone": t.nurse_line.phone, "trial_name": t.trial.short_name, "trial_status": STATUS[t.trial.status]}


def send(dispatcher: CollectingDispatcher, said: Iterable[Say]) -> None:
    for item in said:
        if item.response:
            dispatcher.utter_message(response=item.response, **{**common_values(), **item.values})
        elif item.text:
            dispatcher.utter_message(text=item.text)
        if item.custom:
            dispatcher.utter_message(json_message=item.custom)


def guarded(run):
    """No exception reaches the family: log its type only (no answers), say sorry, keep the form."""
    @functools.wraps(run)
    async def wrapper(self, dispatcher, tracker, domain, *args, **kwargs):
        try:
            return await run(self, dispatcher, tracker, domain, *args, **kwargs)
        except Exception as err:  # noqa: BLE001 - the boundary between us and the family
            log.error("action %s failed: %s", self.name(), type(err).__name__)
            dispatcher.utter_message(response="utter_error", **common_values())
            requested = tracker.get_slot("requested_slot")
            return [SlotSet(requested, None)] if requested else []
    return wrapper
