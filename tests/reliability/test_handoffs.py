"""The nurse's side of the hand-off, on real stores (SQLite, PostgreSQL): a hand-off keeps its
record, the nurse opens it by the reference however it was typed, and a missing, forgotten or
expired one gives the same one line; openings are logged without content."""
import asyncio
import datetime as dt
import json
import os
import sqlite3
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from conversation.summary import handoff_record, new_reference
from eligibility import load_trial
from harness.postgres import fresh_database
from harness.servers import ROOT
from server.tracker_store import ForgetfulSQLTrackerStore
from store.handoffs import NOT_FOUND, normalise, open_reference

DAY = 86400
TRIAL = load_trial()
TODAY = dt.date(2026, 9, 7)
ELIGIBLE = json.loads((Path(__file__).resolve().parents[1] / "data" / "engine-examples.json").read_text())[0]["answers"]


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path, monkeypatch):
    """(the tracker store, an endpoints file naming the same database, as the nurse's machine has it)."""
    monkeypatch.setenv("RETENTION_DAYS", "30")
    monkeypatch.setenv("HANDOFF_LOG", str(tmp_path / "openings.log"))
    endpoints = tmp_path / "endpoints.yml"
    if request.param == "sqlite":
        db = tmp_path / "tracker.db"
        endpoints.write_text(f'tracker_store:\n  type: server.tracker_store.ForgetfulSQLTrackerStore\n  dialect: "sqlite"\n'
                             f'  db: "{db}"\n')
        yield ForgetfulSQLTrackerStore(dialect="sqlite", db=str(db)), str(endpoints)
        return
    with fresh_database("handoffs_") as name:
        monkeypatch.setenv("NURSE_DB_NAME", name)  # the nurse's file names its database by a variable, as deployments do
        endpoints.write_text('tracker_store:\n  type: server.tracker_store.ForgetfulSQLTrackerStore\n  dialect: "postgresql"\n'
                             '  url: 127.0.0.1\n  port: 5432\n  db: ${NURSE_DB_NAME}\n  username: postgres\n')
        yield (ForgetfulSQLTrackerStore(dialect="postgresql", host="127.0.0.1", port=5432, db=name, username="postgres"),
               str(endpoints))


def run(coroutine):
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def handed_off(sender, days_ago=0.0, reference=None):
    """A conversation whose last turn made a hand-off, as the actions leave it."""
    at = time.time() - days_ago * DAY
    reference = reference or new_reference()
    result = {"outcome": "likely_eligible", "failed": [], "unknown": [], "eligible_from": None}
    record = handoff_record(TRIAL, ELIGIBLE, result, "parent", reference, TODAY)
    return reference, DialogueStateTracker.from_events(sender, [
        ActionExecuted("action_listen", timestamp=at), UserUttered("yes please", timestamp=at + 1),
        BotUttered("You can call ...", {"custom": {"handoff": {"phone": "0808 800 4040", "reference": reference,
                                                               "summary": "..."}}}, timestamp=at + 2),
        SlotSet("chat", {"reference": reference, "handoff": record}, timestamp=at + 2)])


def rows(store):
    with store.records.engine.connect() as db:
        return db.exec_driver_sql("SELECT reference, sender_id FROM handoffs").fetchall()


def test_a_hand_off_keeps_its_record_and_the_nurse_opens_it(store):
    tracker_store, endpoints = store
    reference, tracker = handed_off("family-1")
    run(tracker_store.save(tracker))
    assert [tuple(r) for r in rows(tracker_store)] == [(reference, "family-1")]
    shown = open_reference(reference, [endpoints])
    assert shown.startswith(f"Hand-off {reference}\nMade: ")
    assert "Trial: the blinatumomab trial MT103-205 (MT103-205)" in shown
    assert "Who was chatting: A parent or carer" in shown
    assert "the child seems to meet the entry rules we checked" in shown and "Only the trial team could confirm" in shown
    assert "Age: 10 (born 20 April 2016)" in shown and "Blasts in the bone marrow: 45%" in shown


def test_a_turn_without_a_hand_off_keeps_no_record(store):
    tracker_store, _ = store
    _, tracker = handed_off("family-2")
    tracker.update(UserUttered("thanks"))
    run(tracker_store.save(tracker))
    assert rows(tracker_store) == []


@pytest.mark.parametrize("typed", ["{ref}", "{lower}", "{spaced}", "{dashed}", " {lower} "])
def test_a_reference_typed_as_people_type_it_still_opens(store, typed):
    tracker_store, endpoints = store
    reference, tracker = handed_off("family-3")
    run(tracker_store.save(tracker))
    text = typed.format(ref=reference, lower=reference.lower(), spaced=f"{reference[:4]} {reference[4:]}",
                        dashed=f"{reference[:4]}-{reference[4:]}")
    assert normalise(text) == reference
    assert open_reference(text, [endpoints]).startswith(f"Hand-off {reference}")


def test_missing_forgotten_and_expired_give_the_same_one_line(store):
    tracker_store, endpoints = store
    forgotten, tracker = handed_off("forgets")
    run(tracker_store.save(tracker))
    tracker.update(SlotSet("forget", True))
    run(tracker_store.save(tracker))  # "forget me": the conversation and its record go at once
    expired, old = handed_off("old", days_ago=31)
    run(tracker_store.save(old))
    assert {r[0] for r in rows(tracker_store)} == {expired}  # not purged yet: the reading still refuses it
    kept, recent = handed_off("recent", days_ago=2)
    run(tracker_store.save(recent))
    lines = {open_reference(ref, [endpoints]) for ref in (forgotten, expired, new_reference(), "nonsense!")}
    assert lines == {NOT_FOUND}
    assert tracker_store.purge_stale() == (1, 4)  # the old conversation and its record
    assert [r[0] for r in rows(tracker_store)] == [kept]


def test_a_record_outlives_no_conversation(store):
    """A record made 29 days ago of a conversation still in use goes when its own time is up."""
    tracker_store, endpoints = store
    reference, tracker = handed_off("long", days_ago=29)
    run(tracker_store.save(tracker))
    tracker.update(UserUttered("still here"))
    run(tracker_store.save(tracker))
    assert open_reference(reference, [endpoints]).startswith("Hand-off")
    tracker_store.purge_stale(now=time.time() + 2 * DAY)
    assert rows(tracker_store) == []


def test_openings_are_logged_with_the_reference_and_time_never_the_content(store, tmp_path):
    tracker_store, endpoints = store
    reference, tracker = handed_off("logged")
    run(tracker_store.save(tracker))
    open_reference(reference.lower(), [endpoints])
    open_reference("<script>alert(1)</script>", [endpoints])
    lines = (tmp_path / "openings.log").read_text().splitlines()
    assert len(lines) == 2
    assert lines[0].endswith(f"hand-off {reference} opened: found") and lines[0][:4].isdigit()
    assert lines[1].endswith("hand-off (not a reference) opened: none")
    assert not any(word in "\n".join(lines) for word in ("Age", "2016", "blinatumomab", "parent", "script"))


def test_the_reader_never_creates_or_needs_the_table(tmp_path):
    endpoints = tmp_path / "endpoints.yml"
    endpoints.write_text(f'tracker_store:\n  dialect: "sqlite"\n  db: "{tmp_path / "empty.db"}"\n')
    assert open_reference(new_reference(), [str(endpoints)]) == NOT_FOUND
    with sqlite3.connect(tmp_path / "empty.db") as db:
        assert db.execute("SELECT name FROM sqlite_master").fetchall() == []


def test_make_handoff_opens_a_reference_on_the_nurse_lines_machine(store, tmp_path):
    """`make handoff REF=...` with the deployment's endpoints file, as the nurse line runs it."""
    tracker_store, endpoints = store
    reference, tracker = handed_off("by-make")
    run(tracker_store.save(tracker))

    def make(ref):
        return subprocess.run(["make", "-s", "handoff", f"REF={ref}", f"ENDPOINTS={endpoints}"], cwd=ROOT,
                              capture_output=True, text=True, timeout=120, env={**os.environ})
    found = make(f"{reference[:4].lower()} {reference[4:].lower()}")
    assert found.returncode == 0 and found.stdout.startswith(f"Hand-off {reference}\n"), found.stderr
    assert "Age: 10 (born 20 April 2016)" in found.stdout
    missing = make(new_reference())
    assert missing.returncode != 0 and missing.stdout == NOT_FOUND + "\n"
