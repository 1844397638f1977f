"""One ask action per form slot: the question's text, its buttons and the contract's marker.

Rasa's form calls `action_ask_<slot>`; the classes are made from the trial's
questions so a new question in the trial file needs no new code. The slot `asked`
counts the asks in a row of one question: the third comes with "I don't know" and
the nurse, and the wording alternates after that so no two replies in a row are the same.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from conversation.prompts import FLOW_CHOICES, WAY_OUT_AFTER, answer_question, flow_question
from conversation.summary import answer_lines
from conversation.turn import describe
from conversation.wording import domain_text

from .context import answers, common_values, guarded, today, trial, who


def asks_in_a_row(tracker: Tracker, slot: str) -> int:
    """How many times `slot` will have been asked in a row, this one included."""
    asked = tracker.get_slot("asked") or {}
    return asked.get("times", 0) + 1 if asked.get("slot") == slot else 1


class AskQuestion(Action, ABC):
    """Asks `slot`. The base class is abstract, so the action server does not register it."""

    slot: str = ""

    @abstractmethod
    def name(self) -> Text:
        """action_ask_<slot>"""

    @guarded
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        times = asks_in_a_row(tracker, self.slot)
        events: List[Dict[Text, Any]] = [SlotSet("asked", {"slot": self.slot, "times": times})]
        if times > WAY_OUT_AFTER:
            dispatcher.utter_message(response="utter_way_out" if times % 2 else "utter_way_out_again")
        flow = self.slot in FLOW_CHOICES
        confirms = tracker.get_slot("confirms") if self.slot == "confirm" else None
        question = (flow_question(self.slot, "", confirms) if flow else
                    answer_question(trial(), self.slot, who(tracker), answers(tracker), today()))
        if times > WAY_OUT_AFTER:
            question = question.with_way_out()
        if flow:
            values = common_values()
            if self.slot == "continue_closed" and not tracker.get_slot("opening_done"):
                dispatcher.utter_message(response="utter_opening", **values)
                events.append(SlotSet("opening_done", True))
                given = answers(tracker)  # facts in the first message, kept: said back once
                if given:
                    dispatcher.utter_message(response="utter_noted", facts="; ".join(
                        describe(trial(), k, v, today()) for k, v in given.items()))
            if self.slot == "review":
                values["summary"] = "\n".join("- " + line for line in answer_lines(trial(), answers(tracker), today()))
            if confirms:
                values["facts"] = "; ".join(describe(trial(), k, v, today()) for k, v in confirms.items())
            dispatcher.utter_message(response=f"utter_ask_{self.slot}", buttons=question.buttons(), **values)
        else:
            text = question.text
            if tracker.get_slot("acknowledge"):
                text = domain_text("utter_thanks_prefix") + " " + text
            dispatcher.utter_message(text=text, buttons=question.buttons())
        if tracker.get_slot("acknowledge"):
            events.append(SlotSet("acknowledge", None))
        dispatcher.utter_message(json_message=question.marker())
        return events


def _ask_class(slot: str) -> type:
    return type(f"Ask_{slot}", (AskQuestion,), {"slot": slot, "__module__": __name__,
                                                "name": lambda self: f"action_ask_{self.slot}"})


ASK_ACTIONS = [_ask_class(slot) for slot in
               list(FLOW_CHOICES) + [q.key for q in trial().questions] + [c.slot for c in trial().checklists]]
globals().update({cls.__name__: cls for cls in ASK_ACTIONS})
