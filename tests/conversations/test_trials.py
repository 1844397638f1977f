"""Two trials on one server: conversations of each, their turns interleaved, each reach their
own trial's decision with their own trial's questions (contract section 6)."""
import pytest

from eligibility.served import served
from harness.servers import new_sender
from harness.walks import ELIGIBLE_WALK, UKALL_GIRL, decision, marker, reply_to

pytestmark = pytest.mark.servers


def test_two_trials_interleaved_on_one_server_each_reach_their_own_decision(assistant):
    chats = {"MT103-205": (new_sender(), ELIGIBLE_WALK), "UKALL 2011": (new_sender(), UKALL_GIRL)}
    pending = {tid: marker(assistant.say(sender, "hi", metadata={"trial": tid})) for tid, (sender, _) in chats.items()}
    decided = {}
    for _ in range(40):
        for tid, (sender, walk) in chats.items():
            if tid in decided:
                continue
            assert pending[tid]["slot"] in walk or pending[tid]["kind"] == "checklist", (tid, pending[tid])
            assert pending[tid]["slot"] in {"continue_closed", "chatting_as", "review", "confirm"} | set(served()[tid].answers) \
                | {c.slot for c in served()[tid].checklists}, (tid, pending[tid])
            reply = assistant.say(sender, reply_to(pending[tid], walk))
            decided[tid] = decision(reply)
            if not decided[tid]:
                del decided[tid]
                pending[tid] = marker(reply)
        if len(decided) == len(chats):
            break
    assert {tid: (d["trial"], d["outcome"]) for tid, d in decided.items()} == {
        "MT103-205": ("MT103-205", "likely_eligible"), "UKALL 2011": ("UKALL 2011", "likely_eligible")}
