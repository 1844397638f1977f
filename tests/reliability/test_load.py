"""A bounded loopback load: 20 concurrent families go through the whole flow to a decision."""
import threading

import pytest

from harness.servers import new_sender

from .helpers import finish, sqlite_events, walk

pytestmark = pytest.mark.servers
CONCURRENT = 20



def test_twenty_concurrent_full_flows(assistant):
    sent = {}
    outcomes, failures = {}, []

    def family():
        sender = new_sender()
        counted = []

        def say(s, m):
            counted.append(m)
            return assistant.say(s, m, timeout=120)
        try:
            pending = walk(say, sender, 0)
            outcomes[sender] = finish(say, sender, pending)["outcome"]
        except Exception as err:  # noqa: BLE001 - counted below
            failures.append(repr(err))
        sent[sender] = counted

    threads = [threading.Thread(target=family) for _ in range(CONCURRENT)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    assert failures == []
    assert len(outcomes) == CONCURRENT and set(outcomes.values()) == {"likely_eligible"}
    for sender, messages in sent.items():
        users = [e for e in sqlite_events(assistant.db, sender) if e["event"] == "user"]
        assert [e["text"] for e in users] == messages, "lost or duplicated user events"
        assert len({e["message_id"] for e in users}) == len(users)
