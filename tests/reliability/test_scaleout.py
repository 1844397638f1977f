"""Two Rasa replicas on PostgreSQL with a Redis lock store and one action server: turns of
the same conversation alternate between replicas; nothing is lost or duplicated, the
conversation's trial (named by its first message only) is the one the other replica sees,
and the decision is the one a single replica gives."""
import json

import psycopg2
import pytest

from harness.postgres import PG, fresh_database
from harness.servers import Assistant, model_path, new_sender

from harness.terminal import Session
from harness.walks import hand_off

from .helpers import ELIGIBLE_WALK, UKALL_GIRL, reply_to, decision, question

pytestmark = pytest.mark.servers



@pytest.fixture(scope="module")
def database():
    with fresh_database() as name:
        yield name


@pytest.fixture(scope="module")
def replicas(tmp_path_factory, database):
    store = (f'tracker_store:\n  type: server.tracker_store.ForgetfulSQLTrackerStore\n  dialect: "postgresql"\n'
             f'  url: "127.0.0.1"\n  port: 5432\n  db: "{database}"\n  username: "postgres"\n'
             f'lock_store:\n  type: "redis"\n  url: "127.0.0.1"\n  port: 6379\n  db: 1\n')
    first = Assistant(tmp_path_factory.mktemp("replica1"), endpoints_extra=store)
    first.workdir.mkdir(parents=True, exist_ok=True)
    first.start_actions()
    model = model_path()
    first.start_rasa(model)
    second = Assistant(tmp_path_factory.mktemp("replica2"), endpoints_extra=store, actions_port=first.actions_port)
    second.workdir.mkdir(parents=True, exist_ok=True)
    second.start_rasa(model)
    yield first, second
    second.stop()
    first.stop()


def pg_events(database, sender):
    with psycopg2.connect(**{**PG, "dbname": database}) as conn:
        cur = conn.cursor()
        cur.execute("SELECT data FROM events WHERE sender_id = %s ORDER BY id", (sender,))
        return [json.loads(r[0]) for r in cur.fetchall()]


@pytest.mark.parametrize("trial,walk,changes,outcome", [
    ("MT103-205", ELIGIBLE_WALK, {}, "likely_eligible"),
    ("MT103-205", ELIGIBLE_WALK, {"last_radiotherapy": "6 days ago"}, "not_yet"),
    ("MT103-205", ELIGIBLE_WALK, {"blood_tests_ok": "not sure"}, "unsure"),
    ("UKALL 2011", UKALL_GIRL, {"previous_treatment": "chemotherapy"}, "not_eligible")])
def test_turns_alternate_between_replicas(replicas, database, trial, walk, changes, outcome):
    answers = {**walk, **changes}
    sender, sent = new_sender(), ["hi"]
    pending = question(replicas[0].say(sender, "hi", metadata={"trial": trial}))
    result = None
    for turn in range(1, 60):
        reply = replicas[turn % 2].say(sender, reply_to(pending, answers))
        sent.append(reply_to(pending, answers))
        result = decision(reply)
        if result:
            break
        pending = question(reply)
    assert result and (result["trial"], result["outcome"]) == (trial, outcome)
    users = [e for e in pg_events(database, sender) if e["event"] == "user"]
    assert [e["text"] for e in users] == sent
    assert len({e["message_id"] for e in users}) == len(users)


def test_a_hand_off_made_on_one_replica_opens_in_the_shell_beside_the_other(replicas, database, tmp_path, monkeypatch):
    monkeypatch.setenv("HANDOFF_LOG", str(tmp_path / "openings.log"))
    reference = hand_off(replicas[0].say, new_sender())
    with psycopg2.connect(**{**PG, "dbname": database}) as conn:
        cur = conn.cursor()
        cur.execute("SELECT count(*) FROM handoffs WHERE reference = %s", (reference,))
        assert cur.fetchone()[0] == 1
    shell = Session(replicas[1].url, "--endpoints", str(replicas[1].endpoints()))
    shown = shell.say(f"/handoff {reference.lower()}")
    assert f"Hand-off {reference}" in shown and "Age: 10 (born 20 April 2016)" in shown
    shell.quit()
