"""Every scripted conversation in scripts/*.yml, of every trial, on one running assistant,
each with a new random sender."""
import pytest

from eligibility.served import served
from harness.servers import new_sender

from .script import load_conversations, run_conversation

CONVERSATIONS = load_conversations()


@pytest.mark.servers
@pytest.mark.parametrize("conv", CONVERSATIONS, ids=[c["name"] for c in CONVERSATIONS])
def test_conversation(assistant, conv):
    run_conversation(assistant, new_sender(), conv)


def test_there_are_at_least_30_conversations():
    assert len(CONVERSATIONS) >= 30


@pytest.mark.parametrize("trial", sorted({c["trial"] for c in CONVERSATIONS if c.get("trial") in served()}))
def test_each_other_trial_scripts_its_outcomes_a_correction_a_why_and_a_digression(trial):
    names = " ".join(c["name"] for c in CONVERSATIONS if c.get("trial") == trial)
    for needed in ("likely eligible", "unsure", "not eligible", "correction", "why", "digression"):
        assert needed in names, needed
