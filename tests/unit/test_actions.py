"""The Rasa SDK adapters, driven with a real CollectingDispatcher and Tracker."""
import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Dict, Optional

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.ask import ASK_ACTIONS
from actions.form import ValidateConversationForm
from actions.respond import ActionConclude, ActionRespond
from eligibility import load_trial
from scripts.trial_domain import trial_domain

ROOT = Path(__file__).resolve().parents[2]
DOMAIN: Dict[str, Any] = yaml.safe_load((ROOT / "domain" / "chat.yml").read_text())
GENERATED = trial_domain(load_trial())  # the trial's part, as Rasa merges it with the chat's own
DOMAIN["slots"].update(GENERATED["slots"])
DOMAIN["forms"] = GENERATED["forms"]
DOMAIN["actions"] += GENERATED["actions"]
STARTED = {"continue_closed": "yes", "chatting_as": "parent", "opening_done": True}


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setenv("ASSISTANT_TODAY", "2026-09-07")


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    """A fresh dispatcher: what the action said is in .messages."""
    return CollectingDispatcher()


def make_tracker(slots: Optional[Dict[str, Any]] = None, text: str = "", intent: str = "inform",
                 confidence: float = 0.95, active_loop: Optional[str] = None) -> Tracker:
    """A tracker holding `slots`, whose latest user message is `text`."""
    all_slots = {name: None for name in DOMAIN["slots"]}
    all_slots.update(slots or {})
    message = {"text": text, "intent": {"name": intent, "confidence": confidence}, "entities": []}
    return Tracker("test-sender", all_slots, message, [], False, None,
                   {"name": active_loop} if active_loop else {}, "action_listen")


def run(action, dispatcher, tracker):
    """Run the action in its own thread and loop: Playwright's sync API may own this thread's loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, action.run(dispatcher, tracker, DOMAIN)).result()


def markers(dispatcher):
    return [m["custom"]["question"] for m in dispatcher.messages if isinstance(m.get("custom"), dict) and "question" in m["custom"]]


def test_every_form_slot_has_an_ask_action_in_the_domain():
    names = {cls().name() for cls in ASK_ACTIONS}
    assert names == {f"action_ask_{slot}" for slot in DOMAIN["forms"]["conversation_form"]["required_slots"]}
    declared = {a if isinstance(a, str) else next(iter(a)) for a in DOMAIN["actions"]}
    assert names <= declared


def test_every_answer_key_has_a_slot():
    from eligibility import load_trial
    assert set(load_trial().answers) <= set(DOMAIN["slots"])


def ask(slot):
    return next(cls for cls in ASK_ACTIONS if cls.slot == slot)()


def test_the_first_question_comes_with_the_opening(dispatcher):
    events = run(ask("continue_closed"), dispatcher, make_tracker())
    assert dispatcher.messages[0]["response"] == "utter_opening"
    assert markers(dispatcher) == [{"slot": "continue_closed", "kind": "choice", "choices": ["yes", "no"]}]
    assert SlotSet("opening_done", True) in events


def test_a_question_thanks_after_an_answer(dispatcher):
    run(ask("sex"), dispatcher, make_tracker({**STARTED, "age_years": 9, "acknowledge": True}))
    assert dispatcher.messages[0]["text"] == "Thank you. Is your child a boy or a girl?"
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == ["male", "female", "I don't know"]
    assert markers(dispatcher) == [{"slot": "sex", "kind": "choice", "choices": ["male", "female", "I don't know"]}]


def test_young_person_wording(dispatcher):
    run(ask("date_of_birth"), dispatcher, make_tracker({**STARTED, "chatting_as": "young_person"}))
    assert dispatcher.messages[0]["text"].startswith("What is your date of birth?")


def test_the_review_lists_the_answers(dispatcher):
    run(ask("review"), dispatcher, make_tracker({**STARTED, "age_years": 9, "diagnosis": "b_precursor_all"}))
    assert dispatcher.messages[0]["response"] == "utter_ask_review"
    assert "- Age: 9" in dispatcher.messages[0]["summary"]


def validate(dispatcher, slots, requested, text, intent="inform", confidence=0.95):
    tracker = make_tracker({**STARTED, **slots, requested: text, "requested_slot": requested}, text, intent,
                           confidence, active_loop="conversation_form")
    events = run(ValidateConversationForm(), dispatcher, tracker)
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def test_the_form_stores_a_parsed_answer_and_requests_the_next(dispatcher):
    slots = validate(dispatcher, {}, "date_of_birth", "9 years old")
    assert slots["age_years"] == 9 and slots["date_of_birth"] is None
    assert slots["requested_slot"] == "sex" and slots["acknowledge"] is True


def test_the_form_reasks_after_a_bad_answer(dispatcher):
    slots = validate(dispatcher, {"age_years": 9}, "sex", "purple")
    assert slots["sex"] is None and slots["requested_slot"] == "sex"
    assert dispatcher.messages[0]["response"] == "utter_invalid_choice_closest"


def test_a_request_to_stop_ends_the_form(dispatcher):
    slots = validate(dispatcher, {"age_years": 9}, "sex", "stop", intent="stop")
    assert slots["exit_request"] == "stop" and slots["requested_slot"] is None


def test_conclude_hands_off_with_a_reference(dispatcher):
    events = run(ActionConclude(), dispatcher, make_tracker({**STARTED, "offer_handoff": "yes", "age_years": 9}))
    handoff = next(m["custom"]["handoff"] for m in dispatcher.messages if m.get("custom"))
    assert handoff["phone"] == "0808 800 4040" and handoff["reference"].isalnum() and "Age: 9" in handoff["summary"]
    assert SlotSet("reference", handoff["reference"]) in events


def test_conclude_after_stop_gives_the_number_without_a_handoff(dispatcher):
    run(ActionConclude(), dispatcher, make_tracker({**STARTED, "exit_request": "stop"}))
    assert [m["response"] for m in dispatcher.messages if m["response"]] == ["utter_stopped", "utter_ask_next_step"]
    assert [q["slot"] for q in markers(dispatcher)] == ["next_step"]


def test_respond_starts_the_form_keeping_facts_of_the_first_message(dispatcher):
    events = run(ActionRespond(), dispatcher, make_tracker({}, "my daughter is 9 and has B-ALL", "inform"))
    assert {"event": "followup", "name": "conversation_form", "timestamp": None} in events
    assert SlotSet("sex", "female") in events and SlotSet("age_years", 9) in events


def test_respond_answers_a_question_after_the_decision(dispatcher):
    run(ActionRespond(), dispatcher, make_tracker({**STARTED, "decision": {"outcome": "unsure"}}, "is it safe?", "ask_faq"))
    assert "white blood cells" in dispatcher.messages[0]["text"]
    assert [q["slot"] for q in markers(dispatcher)] == ["next_step"]


def test_an_action_that_fails_says_sorry_and_keeps_the_question(dispatcher, monkeypatch):
    import actions.form as form
    monkeypatch.setattr(form, "take_turn", lambda *a, **k: 1 / 0)
    tracker = make_tracker({**STARTED, "requested_slot": "sex", "sex": "boy"}, "boy", active_loop="conversation_form")
    events = run(ValidateConversationForm(), dispatcher, tracker)
    assert dispatcher.messages[-1]["response"] == "utter_error"
    assert SlotSet("sex", None) in events


def ask_slot(dispatcher, slot, slots):
    action = next(cls() for cls in ASK_ACTIONS if cls().name() == f"action_ask_{slot}")
    return run(action, dispatcher, make_tracker({**STARTED, **slots}))


def test_the_third_ask_in_a_row_comes_with_i_dont_know_and_the_nurse():
    replies = []
    slots: Dict[str, Any] = {"age_years": 9}
    for _ in range(5):
        d = CollectingDispatcher()
        events = ask_slot(d, "sex", slots)
        slots["asked"] = next(e["value"] for e in events if e.get("name") == "asked")
        replies.append(([m.get("response") or m.get("text") for m in d.messages], markers(d)[0]["choices"]))
    assert "talk to a nurse" not in replies[1][1] and replies[2][1][-2:] == ["I don't know", "talk to a nurse"]
    assert all(replies[n] != replies[n + 1] for n in range(1, 4))  # the first ask is no reply to a repeat


def test_a_different_question_starts_the_count_again(dispatcher):
    ask_slot(dispatcher, "diagnosis", {"age_years": 9, "sex": "male", "asked": {"slot": "sex", "times": 4}})
    assert "talk to a nurse" not in markers(dispatcher)[0]["choices"]


def test_the_say_back_carries_the_contract_marker(dispatcher):
    ask_slot(dispatcher, "confirm", {"pregnant_or_breastfeeding": True, "confirms": {"pregnant_or_breastfeeding": True}})
    assert markers(dispatcher) == [{"slot": "confirm", "kind": "yes_no", "choices": ["yes", "no"],
                                    "confirms": {"pregnant_or_breastfeeding": True}}]
    assert "pregnant or breastfeeding: yes" in dispatcher.messages[0]["facts"]


def test_after_the_questions_every_message_gets_a_way_on_and_never_the_same_reply_twice():
    slots = {**STARTED, "decision": {"outcome": "unsure"}}
    replies = []
    for _ in range(3):
        d = CollectingDispatcher()
        events = run(ActionRespond(), d, make_tracker(slots, "hmm", "out_of_scope", 0.2))
        slots["next_step_asked"] = next(e["value"] for e in events if e.get("name") == "next_step_asked")
        assert [q["slot"] for q in markers(d)] == ["next_step"]
        assert markers(d)[0]["choices"] == ["start again", "ask about the trial", "talk to a nurse"]
        replies.append([m.get("response") or m.get("text") for m in d.messages])
    assert replies[0] != replies[1] != replies[2]
