"""Conversations untouched for RETENTION_DAYS are deleted from the tracker store, SQLite and
PostgreSQL alike, at start-up and by the daily purge; a recent one is kept, and "forget me"
stays immediate. Real rows in real stores."""
import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from harness.postgres import fresh_database
from server.tracker_store import ForgetfulSQLTrackerStore
from store.retention import retention_days


DAY = 86400


@pytest.fixture(params=["sqlite", "postgresql"])
def store_args(request, tmp_path):
    if request.param == "sqlite":
        yield {"dialect": "sqlite", "db": str(tmp_path / "tracker.db")}
        return
    with fresh_database("retention_") as name:
        yield {"dialect": "postgresql", "host": "127.0.0.1", "port": 5432, "db": name, "username": "postgres"}


def run(coroutine):
    """Run in a thread of its own: Playwright's sync API may own this thread's loop in a full run."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def conversation(sender, days_ago):
    at = time.time() - days_ago * DAY
    return DialogueStateTracker.from_events(sender, [
        ActionExecuted("action_listen", timestamp=at), UserUttered("hi", timestamp=at + 1),
        SlotSet("continue_closed", "yes", timestamp=at + 2)])


def senders(store):
    with store.session_scope() as session:
        return {row[0] for row in session.query(store.SQLEvent.sender_id).distinct()}


def test_stale_conversations_go_at_start_up_and_daily_and_a_recent_one_stays(store_args, monkeypatch):
    monkeypatch.setenv("RETENTION_DAYS", "30")
    store = ForgetfulSQLTrackerStore(**store_args)
    for sender, days in [("old-1", 45), ("old-2", 31), ("recent", 2)]:
        run(store.save(conversation(sender, days)))
    assert senders(store) == {"old-1", "old-2", "recent"}

    restarted = ForgetfulSQLTrackerStore(**store_args)  # start-up purge
    assert senders(restarted) == {"recent"}

    run(restarted.save(conversation("fading", 29)))
    assert restarted.purge_stale() == (0, 0)  # 29 days untouched: kept
    assert restarted.purge_stale(now=time.time() + 2 * DAY) == (1, 3)  # the daily purge, two days later
    assert senders(restarted) == {"recent"}


def test_forget_me_is_immediate(store_args):
    store = ForgetfulSQLTrackerStore(**store_args)
    run(store.save(conversation("me", 0)))
    forgetting = conversation("me", 0)
    forgetting.update(SlotSet("forget", True))
    run(store.save(forgetting))
    assert "me" not in senders(store)


@pytest.mark.parametrize("value,days", [("", 30), ("7", 7), ("365", 365)])
def test_retention_days_default_and_setting(value, days):
    assert retention_days(value) == days


@pytest.mark.parametrize("value", ["0", "-3", "thirty", "1.5"])
def test_a_bad_retention_setting_stops_start_up_with_a_clear_message(value):
    with pytest.raises(SystemExit) as err:
        retention_days(value)
    assert "RETENTION_DAYS must be a whole number of days" in str(err.value)
