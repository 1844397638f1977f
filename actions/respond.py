"""Outside the form: starting it (with the conversation's trial), the end of it (decision made,
stop, restart, hand-off), and questions after the decision."""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Mapping, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, ActiveLoop, AllSlotsReset, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from conversation.asking import opening_turn
from conversation.facts import extract_facts
from conversation.prompts import next_step_question
from conversation.reading import Reading, read
from conversation.signals import faq_answer, faq_topic, too_long, urgent
from conversation.state import TRIAL, flat
from conversation.summary import handoff_record, new_reference, summary_text
from conversation.turn import answers_of, resolve_intent, who_in_first_message
from eligibility import InvalidAnswer, Trial, check_answer
from eligibility.served import default_trial, served, trial_named

from .context import common_values, guarded, send, slot_events, today, trial_of
from .form import asking_again

log = logging.getLogger(__name__)
FORM = "conversation_form"
SHOWN_ID = 60  # characters of an unknown trial id said back


def chosen_trial(metadata: Any) -> Tuple[Optional[Trial], Optional[str]]:
    """The trial a conversation's first message names in its metadata ({"trial": ID}), the
    default when it names none; (None, the id asked) for an id no trial file has."""
    asked = metadata.get("trial") if isinstance(metadata, Mapping) else None
    if asked is None:
        return default_trial(), None
    return trial_named(asked), str(asked)[:SHOWN_ID]


def start(dispatcher: CollectingDispatcher, trial: Trial, reading: Reading) -> List[EventType]:
    """Open the form on its first question, keeping facts the message states ("my daughter is 9
    and has B-ALL") and who is chatting, if it says so plainly. The trial is stored with the
    conversation from here on."""
    state: Dict[str, Any] = {"continue_closed": "yes"}  # the opening carries the first question
    for key, value in extract_facts(reading.answer, today(), trial).items():
        try:
            value = check_answer(trial, key, value, today())
        except InvalidAnswer:
            continue
        state[key] = value.isoformat() if hasattr(value, "isoformat") else value
    who = who_in_first_message(trial, reading)
    if who:
        state["chatting_as"] = who
    turn = opening_turn(trial, state, today())
    send(dispatcher, turn.said, trial)
    # The form is active and its first question asked: recorded as the form's own run (it requests
    # the reply), so Rasa listens next instead of running the form with nothing typed.
    return [SlotSet(TRIAL, trial.trial.id), *slot_events(trial, {}, {**state, **turn.updates}), ActiveLoop(FORM),
            *asking_again(True), ActionExecuted(FORM)]


def hand_off(dispatcher: CollectingDispatcher, trial: Trial, slots: Mapping[str, Any]) -> Dict[str, Any]:
    """The nurse line's number, a reference and a summary, as text and as the contract's payload.
    The record behind the summary is kept in the chat state, where the tracker store finds it
    and keeps it for the nurse line (store/handoffs.py)."""
    reference = slots.get("reference") or new_reference()
    record = handoff_record(trial, answers_of(trial, slots, today()), slots.get("decision"), slots.get("chatting_as"),
                            reference, today())
    summary = summary_text(record)
    dispatcher.utter_message(response="utter_handoff", reference=reference, summary=summary, hours=trial.nurse_hours(),
                             json_message={"handoff": {"phone": trial.nurse_line.phone, "reference": reference, "summary": summary}},
                             **common_values(trial))
    log.info("hand-off made")
    return {"reference": reference, "handoff": record}


def offer_next_step(dispatcher: CollectingDispatcher, slots: Mapping[str, Any]) -> Dict[str, Any]:
    """A way on after the questions: start again, ask about the trial, or talk to a nurse.

    The wording alternates, so the same message sent twice never gets the same reply twice."""
    times = (slots.get("next_step_asked") or 0) + 1
    question = next_step_question("")
    dispatcher.utter_message(response="utter_ask_next_step" if times % 2 else "utter_ask_next_step_again",
                             buttons=question.buttons(), json_message=question.marker())
    return {"next_step_asked": times}


def restart(dispatcher: CollectingDispatcher, trial: Trial) -> List[EventType]:
    """Every answer goes; the trial stays the conversation's."""
    dispatcher.utter_message(response="utter_restarting")
    return [AllSlotsReset(), *start(dispatcher, trial, read(""))]


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
        trial, slots = trial_of(tracker), flat(tracker.slots)
        exit_request = slots.get("exit_request")
        if exit_request == "start_over":
            return restart(dispatcher, trial)
        if exit_request == "forget_me":
            return forget(dispatcher)
        updates: Dict[str, Any] = {"exit_request": None}
        if exit_request == "handoff" or slots.get("offer_handoff") == "yes":
            updates.update(hand_off(dispatcher, trial, slots))
        elif exit_request == "stop":
            dispatcher.utter_message(response="utter_stopped", **common_values(trial))
        elif slots.get("continue_closed") == "no":
            dispatcher.utter_message(response="utter_goodbye_closed", **common_values(trial))
        else:
            dispatcher.utter_message(response="utter_anything_else")
        updates.update(offer_next_step(dispatcher, slots))
        return slot_events(trial, tracker.slots, updates)


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
        trial = trial_named(tracker.get_slot(TRIAL))
        if trial is None:
            trial, asked = chosen_trial(message.get("metadata"))
            if trial is None:
                dispatcher.utter_message(response="utter_unknown_trial", asked=asked, trials="\n".join(
                    f"- {t.trial.id}: {t.trial.title}" for t in served().values()))
                return []
        reading = read(text)
        intent_info = message.get("intent") or {}
        intent = resolve_intent(reading, intent_info.get("name"), float(intent_info.get("confidence") or 0.0))
        if urgent(reading.clean):
            dispatcher.utter_message(response="utter_urgent")
        slots = flat(tracker.slots)
        if slots.get("continue_closed") is None:
            return start(dispatcher, trial, reading)
        if intent == "start_over" or (slots.get("continue_closed") == "no" and intent == "affirm"):
            return restart(dispatcher, trial)
        if intent == "forget_me":
            return forget(dispatcher)
        if intent == "handoff":
            updates = hand_off(dispatcher, trial, slots)
            return slot_events(trial, tracker.slots, {**updates, **offer_next_step(dispatcher, slots)})
        topic = faq_topic(trial, reading.clean)
        if topic:
            dispatcher.utter_message(text=faq_answer(trial, topic, slots.get("chatting_as") or "parent"))
        elif intent in ("goodbye", "stop", "thank"):
            dispatcher.utter_message(response="utter_welcome" if intent == "thank" else "utter_goodbye", **common_values(trial))
        elif reading.clean == "ask about the trial" or intent == "ask_faq":
            dispatcher.utter_message(response="utter_faq_topics", **common_values(trial))
        else:
            dispatcher.utter_message(response="utter_after_help")  # a greeting too: no question is pending
        return slot_events(trial, tracker.slots, offer_next_step(dispatcher, slots))
