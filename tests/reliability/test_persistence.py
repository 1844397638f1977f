"""Conversations survive a kill -9 of the Rasa server (SQLite tracker store)."""
import signal

import pytest

from harness.servers import model_path, new_sender

from .helpers import ELIGIBLE_WALK, reply_to, answers_in, question, slots_from, sqlite_events, walk

CONVERSATIONS = 50

pytestmark = pytest.mark.servers



def test_fifty_conversations_resume_after_kill_9(assistant):
    before = {}
    for n in range(CONVERSATIONS):
        sender = new_sender()
        pending = walk(assistant.say, sender, 2 + n % 12)
        before[sender] = (pending, answers_in(slots_from(sqlite_events(assistant.db, sender))))

    assistant.stop("rasa", signal.SIGKILL)
    assistant.start_rasa(model_path())

    resumed = 0
    for sender, (pending, answers) in before.items():
        assert answers_in(slots_from(sqlite_events(assistant.db, sender))) == answers
        assert question(assistant.say(sender, "why do you ask?")) == pending, "not the same question"
        nxt = question(assistant.say(sender, reply_to(pending, ELIGIBLE_WALK)))
        assert nxt and nxt != pending
        resumed += 1
    assert resumed == CONVERSATIONS
