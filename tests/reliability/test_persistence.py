"""Conversations survive a kill -9 of the Rasa server (SQLite tracker store), each with its trial."""
import signal

import pytest

from harness.servers import model_path, new_sender

from .helpers import ELIGIBLE_WALK, UKALL_GIRL, reply_to, answers_in, question, slots_from, sqlite_events, walk

CONVERSATIONS = 50

pytestmark = pytest.mark.servers



# Every third conversation is about UKALL 2011, chosen by its first message's metadata only.
WALKS = [("MT103-205", ELIGIBLE_WALK, 10), ("MT103-205", ELIGIBLE_WALK, 10), ("UKALL 2011", UKALL_GIRL, 4)]  # never past the last question


def test_fifty_conversations_resume_after_kill_9_each_in_its_own_trial(assistant):
    before = {}
    for n in range(CONVERSATIONS):
        sender = new_sender()
        trial, answers, longest = WALKS[n % len(WALKS)]
        pending = walk(assistant.say, sender, 2 + n % longest, answers, trial=trial)
        before[sender] = (trial, answers, pending, answers_in(slots_from(sqlite_events(assistant.db, sender))))

    assistant.stop("rasa", signal.SIGKILL)
    assistant.start_rasa(model_path())

    resumed = 0
    for sender, (trial, answers, pending, given) in before.items():
        stored = slots_from(sqlite_events(assistant.db, sender))
        assert stored["trial"] == trial and answers_in(stored) == given
        assert question(assistant.say(sender, "why do you ask?")) == pending, "not the same question"
        nxt = question(assistant.say(sender, reply_to(pending, answers)))  # no metadata: the trial is stored
        assert nxt and nxt != pending and (nxt in answers or nxt in ("exclusions", "treatments_had", "offer_handoff"))
        resumed += 1
    assert resumed == CONVERSATIONS
