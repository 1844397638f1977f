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
