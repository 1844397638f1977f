"""One ask action per form slot: the question's text, its buttons and the contract's marker.

Rasa's form calls `action_ask_<slot>`; the classes are made from the trial's
questions so a new question in the trial file needs no new code.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from conversation.questions import FLOW_CHOICES, answer_question, flow_question
from conversation.summary import answer_lines
from conversation.wording import domain_text

from .context import answers, common_values, guarded, today, trial, who


class AskQuestion(Action, ABC):
    """Asks `slot`. The base class is abstract, so the action server does not register it."""

    slot: str = ""

    @abstractmethod
    def name(self) -> Text:
        """action_ask_<slot>"""

    @guarded
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        events: List[Dict[Text, Any]] = []
        if self.slot in FLOW_CHOICES:
            question = flow_question(self.slot, "")
            values = common_values()
            if self.slot == "continue_closed" and not tracker.get_slot("opening_done"):
                dispatcher.utter_message(response="utter_opening", **values)
                events.append(SlotSet("opening_done", True))
            if self.slot == "review":
                values["summary"] = "\n".join("- " + line for line in answer_lines(trial(), answers(tracker), today()))
            dispatcher.utter_message(response=f"utter_ask_{self.slot}", buttons=question.buttons(), **values)
        else:
            question = answer_question(trial(), self.slot, who(tracker), answers(tracker), today())
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


ASK_ACTIONS = [_ask_class(slot) for slot in list(FLOW_CHOICES) + [q.key for q in trial().questions]]
globals().update({cls.__name__: cls for cls in ASK_ACTIONS})
