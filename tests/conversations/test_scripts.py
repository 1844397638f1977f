"""Every scripted conversation in scripts/*.yml, each with a new random sender."""
import pytest

from harness.servers import new_sender

from .script import load_conversations, run_conversation

CONVERSATIONS = load_conversations()


@pytest.mark.servers
@pytest.mark.parametrize("conv", CONVERSATIONS, ids=[c["name"] for c in CONVERSATIONS])
def test_conversation(assistant, conv):
    run_conversation(assistant, new_sender(), conv)


def test_there_are_at_least_30_conversations():
    assert len(CONVERSATIONS) >= 30
