"""Outside the form: starting it, the end of it (decision made, stop, restart, hand-off), and
questions after the decision."""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import AllSlotsReset, EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from conversation.facts import extract_facts
from conversation.prompts import next_step_question
from conversation.reading import read
from conversation.signals import faq_answer, faq_topic, too_long, urgent
from conversation.summary import handoff_summary, new_reference
from conversation.turn import resolve_intent
from eligibility import InvalidAnswer, check_answer

from .context import answers, common_values, guarded, today, trial, who

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


def offer_next_step(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """A way on after the questions: start again, ask about the trial, or talk to a nurse.

    The wording alternates, so the same message sent twice never gets the same reply twice."""
    times = (tracker.get_slot("next_step_asked") or 0) + 1
    question = next_step_question("")
    dispatcher.utter_message(response="utter_ask_next_step" if times % 2 else "utter_ask_next_step_again",
                             buttons=question.buttons())
    dispatcher.utter_message(json_message=question.marker())
    return [SlotSet("next_step_asked", times)]


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
            return events + hand_off(dispatcher, tracker) + offer_next_step(dispatcher, tracker)
        if exit_request == "stop":
            dispatcher.utter_message(response="utter_stopped", **common_values())
        elif tracker.get_slot("continue_closed") == "no":
            dispatcher.utter_message(response="utter_goodbye_closed", **common_values())
        else:
            dispatcher.utter_message(response="utter_anything_else")
        return events + offer_next_step(dispatcher, tracker)


class ActionRespond(Action):
    """Every message while no form runs: start the questions, or answer what was asked."""

    def name(self) -> Text:
        return "action_respond"

    @guarded
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[EventType]:
        message = tracker.latest_message or {}
        text = message.get("text") or ""
        if too_long(text):
            dispatcher.utter_message(response="utter_too_long")
            return []
        reading = read(text)
        intent_info = message.get("intent") or {}
        intent = resolve_intent(reading, intent_info.get("name"), float(intent_info.get("confidence") or 0.0))
        if urgent(reading.clean):
            dispatcher.utter_message(response="utter_urgent")
        if tracker.get_slot("continue_closed") is None:
            return self._start(reading.answer)
        if intent == "start_over" or (tracker.get_slot("continue_closed") == "no" and intent == "affirm"):
            return restart(dispatcher)
        if intent == "forget_me":
            return forget(dispatcher)
        if intent == "handoff":
            return hand_off(dispatcher, tracker) + offer_next_step(dispatcher, tracker)
        topic = faq_topic(trial(), reading.clean)
        if topic:
            dispatcher.utter_message(text=faq_answer(trial(), topic, who(tracker)))
        elif intent in ("goodbye", "stop", "thank"):
            dispatcher.utter_message(response="utter_welcome" if intent == "thank" else "utter_goodbye", **common_values())
        elif reading.clean == "ask about the trial" or intent == "ask_faq":
            dispatcher.utter_message(response="utter_faq_topics")
        else:
            dispatcher.utter_message(response="utter_after_help")  # a greeting too: no question is pending
        return offer_next_step(dispatcher, tracker)

    @staticmethod
    def _start(text: str) -> List[EventType]:
        """Open the form; facts in the first message ("my daughter is 9 and has B-ALL") are kept."""
        events: List[EventType] = []
        for key, value in extract_facts(text, today(), trial()).items():
            try:
                value = check_answer(trial(), key, value, today())
            except InvalidAnswer:
                continue
            events.append(SlotSet(key, value.isoformat() if hasattr(value, "isoformat") else value))
        return events + [FollowupAction(FORM)]

