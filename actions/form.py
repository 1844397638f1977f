"""The conversation form's validation: Rasa hands over each turn, conversation.turn decides."""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from conversation.turn import last_answered, required_slots, take_turn

from .context import guarded, send, slots, today, trial

log = logging.getLogger(__name__)


class ValidateConversationForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_conversation_form"

    async def required_slots(self, domain_slots: List[Text], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> List[Text]:
        return required_slots(trial(), tracker.slots, today())

    @guarded
    async def get_validation_events(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> List[EventType]:
        requested = tracker.get_slot("requested_slot")
        if not requested:
            return []  # the form has just started: nothing typed for it yet
        message = tracker.latest_message or {}
        intent = message.get("intent") or {}
        current = slots(tracker)
        current[requested] = None  # from_text put the raw text there; the turn decides the value
        turn = take_turn(trial(), current, requested, message.get("text"), intent.get("name"),
                         float(intent.get("confidence") or 0.0), today())
        send(dispatcher, turn.said)
        updates: Dict[str, Any] = {requested: None, **turn.updates}
        if turn.exit:
            updates["exit_request"] = turn.exit
        answered = last_answered(trial(), turn, requested)
        if answered:
            updates["last_answered"] = answered
        filled = any(value is not None and key in trial().answers for key, value in turn.updates.items())
        if filled and not turn.said:
            updates["acknowledge"] = True
        log.info("form turn: slot=%s filled=%s exit=%s", requested, filled, turn.exit)
        return [SlotSet(key, value) for key, value in updates.items()]
