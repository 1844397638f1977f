"""Measured speed-ups for Rasa 3.6's per-turn work, installed when Rasa loads this package.

Rasa rebuilds a conversation from all its stored events on every turn, so work per event
makes a turn cost more the longer the conversation runs. Each patch here keeps Rasa's
results the same (the tests compare them with Rasa's own) and removes work that grew:

- The action-response schema validator is built once: `jsonschema.validate(result, schema)`
  re-checked Rasa's own large schema on every action call (about 18 ms a call here).
- An event's class is found once per type name: `Event.resolve_by_type` walked every
  subclass of Event, recursively, for each stored event it deserialised (about 33 ms a
  turn at turn 35).
- A tracker's applied events are worked out once per state of its events: Rasa asks for
  them several times a turn on an unchanged tracker, and each time walks every event.
- The action server is sent the current turn's events only (from the latest user message),
  with the slots, the latest message and the active form as before: our actions read
  those, never older events, and the tracker's JSON no longer grows with the conversation.
- The heap left by loading the model is frozen once the server has started (`settle_heap`):
  the model is some 600,000 objects that live as long as the process, and every full
  garbage collection walked them all (about 300 ms here), pausing whichever turn it fell in.
Measured in bench/results (turn latency by turn number, before and after, in the issue note).
"""
from __future__ import annotations

import gc
import logging
from functools import lru_cache
from typing import Any, Dict, List, Optional, Text, Type

import rasa
from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.core.events import Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

log = logging.getLogger(__name__)

_ORIGINAL = RemoteAction._validate_action_result
_ORIGINAL_RESOLVE = Event.resolve_by_type
_ORIGINAL_APPLIED = DialogueStateTracker.applied_events
_ORIGINAL_CALL_FORMAT = RemoteAction._action_call_format


@lru_cache(maxsize=1)
def _validator():
    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
    try:
        _validator().validate(result)
        return True
    except ValidationError as e:
        e.message += (". Failed to validate Action server response from API, make sure your response "
                      "from the Action endpoint is valid.")
        raise e


@lru_cache(maxsize=None)
def _resolve_by_type(type_name: Text, default: Optional[Type[Event]] = None) -> Optional[Type[Event]]:
    """Rasa's own lookup, remembered: an unknown name still raises (exceptions are not cached)."""
    return _ORIGINAL_RESOLVE(type_name, default)


def _applied_events(self: DialogueStateTracker) -> List[Event]:
    """Rasa's own result, remembered until an event is added: events are only ever appended."""
    key = (id(self.events), len(self.events), id(self.events[-1]) if self.events else None)
    memo = self.__dict__.get("_applied_events_memo")
    if memo is None or memo[0] != key:
        memo = self.__dict__["_applied_events_memo"] = (key, _ORIGINAL_APPLIED(self))
    return list(memo[1])


def current_turn(tracker: DialogueStateTracker) -> List[Event]:
    """The events from the latest user message on (all of them if there is none yet)."""
    events = list(tracker.events)
    start = next((i for i in range(len(events) - 1, -1, -1) if isinstance(events[i], UserUttered)), 0)
    return events[start:]


def _action_call_format(self: RemoteAction, tracker: DialogueStateTracker, domain) -> Dict[Text, Any]:
    """Rasa's request to the action server, with the current turn's events only."""
    state = tracker.current_state(EventVerbosity.NONE)
    state["events"] = [event.as_dict() for event in current_turn(tracker)]
    result = {"next_action": self._name, "sender_id": tracker.sender_id, "tracker": state, "version": rasa.__version__}
    if not self._is_selective_domain_enabled() or domain.does_custom_action_explicitly_need_domain(self.name()):
        result["domain"] = domain.as_dict()
    return result


def settle_heap() -> None:
    """Collect what loading left behind, then move every surviving object out of the
    collector's reach: they are the model and Rasa's own, never garbage while the server runs."""
    gc.collect()
    gc.freeze()
    log.info("Heap settled: %d objects left out of garbage collection", gc.get_freeze_count())


def install() -> None:
    RemoteAction._validate_action_result = _validate_action_result
    Event.resolve_by_type = staticmethod(_resolve_by_type)
    DialogueStateTracker.applied_events = _applied_events
    RemoteAction._action_call_format = _action_call_format
