"""The conversation form's validation: one call a turn reads the reply and asks the next question.

The form's one requested slot, `reply`, takes the family's text; the question it answers is
the chat state's `pending` (conversation.asking), so one domain serves every trial.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import REQUESTED_SLOT, FormValidationAction
from rasa_sdk.types import DomainDict

from conversation.asking import ask, reply_turn
from conversation.state import CHAT, PENDING, flat

from .context import guarded, send, slot_events, today, trial_of

log = logging.getLogger(__name__)
REPLY = "reply"


def asking_again(pending: Any) -> List[Dict[str, Any]]:
    """While a question is pending the form asks for the next reply: said here, the reply slot
    need not be emptied (the next message fills it again) and Rasa adds no request of its own."""
    return [SlotSet(REQUESTED_SLOT, REPLY)] if pending else []

class ValidateConversationForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_conversation_form"

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> List[Text]:
        """The reply while a question is pending; nothing once the form is done."""
        return domain_slots if (tracker.get_slot(CHAT) or {}).get(PENDING) else []

    @guarded
    async def get_validation_events(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> List[EventType]:
        if not tracker.get_slot("requested_slot"):
            return []  # the form has just started and asked its first question: nothing typed for it yet
        trial = trial_of(tracker)
        message = tracker.latest_message or {}
        intent = message.get("intent") or {}
        turn = reply_turn(trial, flat(tracker.slots), message.get("text"), intent.get("name"),
                          float(intent.get("confidence") or 0.0), today())
        send(dispatcher, turn.said, trial)
        log.info("form turn: pending=%s next=%s", (tracker.get_slot(CHAT) or {}).get(PENDING), turn.updates.get(PENDING))
        return slot_events(trial, tracker.slots, turn.updates) + asking_again(turn.updates[PENDING])

    def recover(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[str, Any]]:
        """After a failure the question pending is asked again, as if the reply had not come."""
        events: List[Dict[str, Any]] = asking_again(True)
        pending = (tracker.get_slot(CHAT) or {}).get(PENDING)
        if pending:
            try:
                trial = trial_of(tracker)
                asked = ask(trial, flat(tracker.slots), pending, today())
                send(dispatcher, asked.said, trial)
                events += slot_events(trial, tracker.slots, asked.updates)
            except Exception as err:  # noqa: BLE001 - the apology has been said; the reply can be sent again
                log.error("asking again failed: %s", type(err).__name__)
        return events
