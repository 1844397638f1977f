"""UKALL 2011 over REST: every conversation in scripts_ukall/*.yml, run by the same chat from
trials/ukall_2011.yml (servers started with TRIAL_FILE; its own model, cached by fingerprint)."""
import pytest

from harness.servers import new_sender

from .script import load_conversations, run_conversation

CONVERSATIONS = load_conversations("scripts_ukall")


@pytest.mark.servers
@pytest.mark.parametrize("conv", CONVERSATIONS, ids=[c["name"] for c in CONVERSATIONS])
def test_ukall_conversation(ukall_assistant, conv):
    run_conversation(ukall_assistant, new_sender(), conv)


def test_each_outcome_a_correction_a_why_and_a_digression_are_scripted():
    names = " ".join(c["name"] for c in CONVERSATIONS)
    for needed in ("likely eligible", "unsure", "not eligible", "correction", "why", "digression"):
        assert needed in names, needed
