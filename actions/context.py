"""What every action needs: the conversation's trial and state, today's date, and a way to send."""
from __future__ import annotations

import datetime as dt
import functools
import logging
import os
from typing import Any, Dict, Iterable, List, Mapping

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from conversation.state import TRIAL, slot_changes
from conversation.turn import Say
from eligibility import Trial
from eligibility.explain import STATUS, in_words
from eligibility.served import default_trial, serve_or_exit, trial_named

log = logging.getLogger(__name__)
serve_or_exit()  # every trial file is checked when the action server starts: a malformed one stops it


def trial_of(tracker: Tracker) -> Trial:
    """The conversation's trial, stored with it when it started; the default before that."""
    return trial_named(tracker.get_slot(TRIAL)) or default_trial()


def today() -> dt.date:
    """The server's date; ASSISTANT_TODAY=YYYY-MM-DD pins it so scripted conversations are reproducible."""
    pinned = os.environ.get("ASSISTANT_TODAY")
    return dt.date.fromisoformat(pinned) if pinned else dt.date.today()


def slot_events(trial: Trial, slots: Mapping[str, Any], updates: Mapping[str, Any]) -> List[Dict[str, Any]]:
    """SlotSet events for the slots that `updates` (to the turn logic's flat view) change."""
    return [SlotSet(name, value) for name, value in slot_changes(trial, slots, updates).items()]


def common_values(trial: Trial) -> Dict[str, Any]:
    """Values every response may use."""
    return {"phone": trial.nurse_line.phone, "trial_name": trial.trial.short_name,
            "trial_status": STATUS[trial.trial.status], "who_joins": trial.trial.who_joins, "topics": in_words([entry.topic for entry in trial.faq[:3]])}


def send(dispatcher: CollectingDispatcher, said: Iterable[Say], trial: Trial) -> None:
    """One message for each thing said: its words, buttons and marker travel together."""
    for item in said:
        words = ({"response": item.response, **common_values(trial), **item.values} if item.response else
                 {"text": item.text} if item.text else {})
        dispatcher.utter_message(buttons=item.buttons or None, json_message=item.custom, **words)


def guarded(run):
    """No exception reaches the family: log its type only (no answers), say sorry with the nurse
    line, and let the action's `recover` keep the conversation where it was."""
    @functools.wraps(run)
    async def wrapper(self, dispatcher, tracker, domain, *args, **kwargs):
        try:
            return await run(self, dispatcher, tracker, domain, *args, **kwargs)
        except Exception as err:  # noqa: BLE001 - the boundary between us and the family
            log.error("action %s failed: %s", self.name(), type(err).__name__)
            dispatcher.utter_message(response="utter_error", **common_values(trial_of(tracker)))
            recover = getattr(self, "recover", None)
            return recover(dispatcher, tracker) if recover else []
    return wrapper
