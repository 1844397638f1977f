"""Outside the form: starting it, the end of it (decision made, stop, restart, hand-off), and
questions after the decision."""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import AllSlotsReset, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from conversation.facts import extract_facts
from conversation.signals import faq_answer, faq_topic, too_long, urgent
from conversation.summary import handoff_summary, new_reference
from conversation.turn import resolve_intent
from eligibility import InvalidAnswer, check_answer

from .context import answers, common_values, guarded, today, trial

log = logging.getLogger(__name__)
FORM = "conversation_form"


def hand_off(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """The nurse line's number, a reference and a summary, as text and as the contract's payload."""
    t = trial()
    reference = tracker.get_slot("reference") or new_reference()
    summary = handoff_summary(t, answers(tracker), tracker.get_slot("decision"), today())
    dispatcher.utter_message(response="utter_handoff", reference=reference, summary=summary,
                             hours=t.nurse_hours(), **common_values())
    dispatcher.utter_message(json_message={"handoff": {"phone": t.nurse_line.phone, "reference": reference, "summary": summary}})
    log.info("hand-off made")
    return [SlotSet("reference", reference)]


def restart(dispatcher: CollectingDispatcher) -> List[EventType]:
    dispatcher.utter_message(response="utter_restarting")
    return [AllSlotsReset(), FollowupAction(FORM)]


def forget(dispatcher: CollectingDispatcher) -> List[EventType]:
    """Answers go at once; the tracker store deletes the stored conversation after this turn."""
    dispatcher.utter_message(response="utter_forgotten")
    return [AllSlotsReset(), SlotSet("forget", True)]


class ActionConclude(Action):
    """Runs when the form ends: after the hand-off question, or when the family asked to leave it."""

    def name(self) -> Text:
        return "action_conclude"

    @guarded
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        exit_request = tracker.get_slot("exit_request")
        events: List[EventType] = [SlotSet("exit_request", None)]
        if exit_request == "start_over":
            return restart(dispatcher)
        if exit_request == "forget_me":
            return forget(dispatcher)
        if exit_request == "handoff" or tracker.get_slot("offer_handoff") == "yes":
            return events + hand_off(dispatcher, tracker)
        if exit_request == "stop":
            dispatcher.utter_message(response="utter_stopped", **common_values())
        elif tracker.get_slot("continue_closed") == "no":
            dispatcher.utter_message(response="utter_goodbye_closed", **common_values())
        else:
            dispatcher.utter_message(response="utter_anything_else")
        return events


class ActionRespond(Action):
    """Every message while no form runs: start the questions, or answer what was asked."""

    def name(self) -> Text:
        return "action_respond"

    @guarded
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        message = tracker.latest_message or {}
        text = message.get("text") or ""
        intent_info = message.get("intent") or {}
        intent = resolve_intent(text, intent_info.get("name"), float(intent_info.get("confidence") or 0.0))
        if too_long(text):
            dispatcher.utter_message(response="utter_too_long")
            return []
        if urgent(text):
            dispatcher.utter_message(response="utter_urgent")
        started = tracker.get_slot("continue_closed") is not None
        if not started:
            return self._start(text)
        if intent == "start_over" or (tracker.get_slot("continue_closed") == "no" and intent == "affirm"):
            return restart(dispatcher)
        if intent == "forget_me":
            return forget(dispatcher)
        if intent == "handoff":
            return hand_off(dispatcher, tracker)
        topic = faq_topic(trial(), text)
        if topic:
            dispatcher.utter_message(text=faq_answer(trial(), topic))
            return []
        if intent in ("goodbye", "stop", "thank"):
            dispatcher.utter_message(response="utter_welcome" if intent == "thank" else "utter_goodbye", **common_values())
            return []
        dispatcher.utter_message(response="utter_after_help")  # a greeting too: no question is pending
        return []

    @staticmethod
    def _start(text: str) -> List[EventType]:
        """Open the form; facts in the first message ("my daughter is 9 and has B-ALL") are kept."""
        events: List[EventType] = []
        for key, value in extract_facts(text, today()).items():
            try:
                value = check_answer(trial(), key, value, today())
            except InvalidAnswer:
                continue
            events.append(SlotSet(key, value.isoformat() if hasattr(value, "isoformat") else value))
        return events + [FollowupAction(FORM)]

