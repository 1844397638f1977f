"""The cached validator checks action-server responses exactly as Rasa's own check does."""
import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from server import speedups  # importing the package installs the speed-up, as loading the channel does

GOOD = {"events": [{"event": "slot", "name": "sex", "value": "male"}], "responses": [{"text": "Hi"}]}
BAD = [{"events": [{"event": "slot"}]}, {"events": "not a list"}, {"responses": [1]}]


def test_the_cached_validator_is_installed():
    assert RemoteAction._validate_action_result is speedups._validate_action_result


@pytest.mark.parametrize("result", [GOOD, {"events": []}])
def test_valid_responses_pass_both_ways(result):
    action = RemoteAction("action_x", None)
    assert action._validate_action_result(result) is True
    assert speedups._ORIGINAL(action, result) is True


@pytest.mark.parametrize("result", BAD)
def test_invalid_responses_fail_both_ways(result):
    action = RemoteAction("action_x", None)
    with pytest.raises(ValidationError):
        action._validate_action_result(result)
    with pytest.raises(ValidationError):
        speedups._ORIGINAL(action, result)


# The other speed-ups: the same results as Rasa's own, with less work per stored event.
from rasa.shared.core.domain import Domain  # noqa: E402
from rasa.shared.core.events import (ActionExecuted, ActiveLoop, BotUttered, Restarted, SlotSet,  # noqa: E402
                                     UserUttered)
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity  # noqa: E402
from rasa.shared.utils.common import all_subclasses  # noqa: E402
from rasa.shared.core.events import Event  # noqa: E402

DOMAIN = Domain.from_dict({"slots": {"chat": {"type": "any", "mappings": [{"type": "custom"}]}},
                           "forms": {"conversation_form": {"required_slots": []}},
                           "actions": ["validate_conversation_form"]})


def conversation(turns: int):
    events = [ActionExecuted("action_listen")]
    for n in range(turns):
        events += [UserUttered(f"reply {n}", {"name": "inform"}), ActionExecuted("conversation_form"),
                   SlotSet("chat", {"pending": f"q{n}"}), BotUttered(f"question {n}"), ActionExecuted("action_listen")]
        if n == 1:
            events[-4:-4] = [ActiveLoop("conversation_form")]
        if n == 3:
            events += [Restarted(), ActionExecuted("action_listen")]
    return events


def test_every_event_type_resolves_to_rasas_own_class():
    for cls in all_subclasses(Event):
        assert Event.resolve_by_type(cls.type_name) is speedups._ORIGINAL_RESOLVE(cls.type_name)
    with pytest.raises(ValueError):
        Event.resolve_by_type("no_such_event")


def test_applied_events_are_rasas_own_and_follow_new_events():
    tracker = DialogueStateTracker.from_events("t", conversation(6), slots=DOMAIN.slots)
    assert tracker.applied_events() == speedups._ORIGINAL_APPLIED(tracker)
    tracker.update(UserUttered("one more", {"name": "inform"}))
    assert tracker.applied_events() == speedups._ORIGINAL_APPLIED(tracker) and tracker.applied_events()[-1].text == "one more"


def test_the_action_server_gets_the_current_turn_and_the_same_state():
    tracker = DialogueStateTracker.from_events("t", conversation(5) + [UserUttered("last", {"name": "inform"}),
                                                                      SlotSet("chat", {"pending": "x"})], slots=DOMAIN.slots)
    action = RemoteAction("validate_conversation_form", None)
    sent = action._action_call_format(tracker, DOMAIN)["tracker"]
    full = speedups._ORIGINAL_CALL_FORMAT(action, tracker, DOMAIN)["tracker"]
    assert [e["event"] for e in sent["events"]] == ["user", "slot"] and sent["events"][0]["text"] == "last"
    assert {k: v for k, v in sent.items() if k != "events"} == {k: v for k, v in full.items() if k != "events"}
    assert len(full["events"]) > len(sent["events"])
    assert tracker.current_state(EventVerbosity.NONE)["slots"]["chat"] == {"pending": "x"}


def test_once_the_server_starts_the_heap_loading_left_is_out_of_the_collectors_reach():
    """The channel settles the heap after Rasa has loaded the model (before_server_start):
    a full collection then skips the model's objects instead of pausing a turn to walk them."""
    import asyncio
    import gc
    from concurrent.futures import ThreadPoolExecutor

    from server.channel import SafeRestInput

    async def on_new_message(_message):
        return None

    blueprint = SafeRestInput().blueprint(on_new_message)
    settles = [f.listener for f in blueprint._future_listeners if f.event == "after_server_start"]
    assert len(settles) == 1
    gc.unfreeze()
    try:
        assert gc.get_freeze_count() == 0
        with ThreadPoolExecutor(max_workers=1) as pool:  # a loop of its own: a full run's main thread has one
            pool.submit(asyncio.run, settles[0](None, None)).result()
        assert gc.get_freeze_count() > 0
        garbage = [[]]
        garbage[0].append(garbage)  # made after the freeze: still collected
        del garbage
        assert gc.collect() > 0
    finally:
        gc.unfreeze()
