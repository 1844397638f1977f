"""deploy/nginx.conf, run by Debian's nginx in front of two Rasa replicas, one action server and
the page, each started with its compose command, on PostgreSQL (a fresh database) with the Redis
lock store. Clients connect over verified TLS from different loopback addresses, as different
families would from different machines.

Which replica answered comes from nginx's access log: the proxy gives every answer an
X-Request-Id, and logs it with the upstream address.
"""
import json
import os
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import psycopg2
import pytest

from conversation.signals import MAX_LENGTH
from harness.postgres import PG, fresh_database
from harness.walks import ELIGIBLE_WALK, question, reply_to
from harness.servers import model_path, new_sender

from .conftest import FIGURES
from .stack import NGINX, Stack

pytestmark = pytest.mark.servers

FLOOD = 50          # requests one client sends at once
TURNS_AFTER_HI = 3  # answers each sticky conversation gives after "hi"


@pytest.fixture(scope="module")
def database():
    with fresh_database() as name:
        yield name


@pytest.fixture(scope="module")
def stack(tmp_path_factory, database):
    assert os.access(NGINX, os.X_OK), "nginx is not installed: run scripts/install_nginx.sh (make nginx)"
    running = Stack(tmp_path_factory.mktemp("deploy"), database, model_path())
    try:
        yield running.start()
    finally:
        running.stop()


@pytest.fixture(scope="module")
def report(stack):
    """Figures to quote: printed at the end of the run, and kept in figures.txt beside the logs."""
    lines = []
    yield lines
    FIGURES.extend(lines)
    (stack.workdir / "figures.txt").write_text("\n".join(lines) + "\n")


def user_texts(database, sender):
    with psycopg2.connect(**{**PG, "dbname": database}) as conn:
        cur = conn.cursor()
        cur.execute("SELECT data FROM events WHERE sender_id = %s ORDER BY id", (sender,))
        return [e["text"] for e in (json.loads(r[0]) for r in cur.fetchall()) if e["event"] == "user"]


def test_each_conversation_stays_on_one_replica(stack, database, report):
    replicas = {f"127.0.0.1:{port}": f"replica {i}" for i, port in enumerate(stack.replica_ports, start=1)}
    conversations = {}
    placed = Counter()
    # New conversations, each from an address of its own, until both replicas hold three.
    for n in range(1, 41):
        if min(placed[r] for r in replicas) >= 3:
            break
        sender, source = new_sender(), f"127.0.1.{n}"
        reply = stack.say(sender, "hi", source)
        assert reply.status == 200, reply
        rid = reply.headers["x-request-id"]
        upstream = stack.upstreams([rid])[rid][1]
        assert upstream in replicas, upstream
        placed[upstream] += 1
        conversations[sender] = {"source": source, "pending": question(reply.json()), "requests": [rid],
                                 "sent": ["hi"]}
    assert min(placed[r] for r in replicas) >= 3, f"the senders did not spread over both replicas: {placed}"

    # More turns, the conversations interleaved: consecutive requests belong to different families.
    for _ in range(TURNS_AFTER_HI):
        for sender, c in conversations.items():
            answer = reply_to(c["pending"], ELIGIBLE_WALK)
            reply = stack.say(sender, answer, c["source"])
            assert reply.status == 200, reply
            c["requests"].append(reply.headers["x-request-id"])
            c["sent"].append(answer)
            c["pending"] = question(reply.json())
            assert c["pending"], "the conversation stopped asking"

    for sender, c in conversations.items():
        answered_by = {upstream for _, upstream in stack.upstreams(c["requests"]).values()}
        assert len(answered_by) == 1, f"{sender}'s turns went to {answered_by}"
        c["replica"] = replicas[answered_by.pop()]
        assert user_texts(database, sender) == c["sent"]  # every turn stored once, in order
    turns = sum(len(c["requests"]) for c in conversations.values())
    report.append(f"  stickiness: {len(conversations)} conversations, {turns} turns through the proxy, "
                  f"each conversation on one replica; " + ", ".join(
                      f"{name}: {sum(c['replica'] == name for c in conversations.values())} conversations"
                      for name in replicas.values()))
    for sender, c in conversations.items():
        report.append(f"    {sender[:8]} from {c['source']}: {len(c['requests'])} turns, all on {c['replica']}")


def test_an_oversized_request_is_refused_before_rasa(stack, database, report):
    source = "127.0.0.3"
    too_big, chunked_big, largest, escaped = new_sender(), new_sender(), new_sender(), new_sender()
    refused = stack.say(too_big, "x" * 9000, source)
    assert refused.status == 413
    conn = stack.connection(source)
    conn.request("POST", "/webhooks/rest/webhook", encode_chunked=True,
                 body=iter([json.dumps({"sender": chunked_big, "message": ""})[:-2].encode()] + [b"x" * 1000] * 9 + [b'"}']),
                 headers={"Content-Type": "application/json", "X-Sender-Id": chunked_big})
    chunked = conn.getresponse()
    assert chunked.status == 413
    conn.close()
    rid = refused.headers["x-request-id"]
    assert stack.upstreams([rid])[rid] == (413, "-"), "the oversized request reached a replica"
    assert user_texts(database, too_big) == [] and user_texts(database, chunked_big) == []

    # The longest message the conversation reads still goes through: in 4-byte characters, and
    # in characters JSON escapes to 6 bytes each (the largest body such a message makes).
    sizes = []
    for sender, longest in ((largest, "\N{GRINNING FACE}" * MAX_LENGTH), (escaped, "\x01" * MAX_LENGTH)):
        passed = stack.say(sender, longest, source)
        assert passed.status == 200 and any(m.get("text") for m in passed.json())
        assert user_texts(database, sender) == [longest]
        sizes.append(len(json.dumps({"sender": sender, "message": longest}, ensure_ascii=False).encode()))
    report.append(f"  request size: 4 requests; 2 refused with 413 (9,000 bytes with a length, 9,000+ bytes "
                  f"chunked), none stored; 2 passed ({MAX_LENGTH} characters: " + ", ".join(f"{n:,}" for n in sizes)
                  + " bytes)")


def test_a_flood_from_one_client_is_limited_while_another_family_chats(stack, database, report):
    flooder, family = new_sender(), new_sender()
    conns = [stack.connection("127.0.0.2") for _ in range(FLOOD)]
    for conn in conns:
        conn.connect()  # TLS first, so the requests themselves arrive together
    start = threading.Barrier(FLOOD + 1, timeout=120)

    def flood(conn):
        start.wait()
        return stack.say(flooder, "hi", conn=conn)

    family_statuses = []
    with ThreadPoolExecutor(FLOOD) as pool:
        futures = [pool.submit(flood, conn) for conn in conns]
        start.wait()
        reply = stack.say(family, "hi", "127.0.0.1")
        family_statuses.append(reply.status)
        sent = ["hi"]
        for _ in range(4):
            answer = reply_to(question(reply.json()), ELIGIBLE_WALK)
            reply = stack.say(family, answer, "127.0.0.1")
            family_statuses.append(reply.status)
            sent.append(answer)
            assert any(m.get("text") for m in reply.json())
        flooded = [f.result() for f in futures]

    statuses = Counter(r.status for r in flooded)
    assert set(statuses) <= {200, 429}, statuses
    assert statuses[429] >= 1, "the flood was not limited"
    assert statuses[200] >= 1
    limited = [r.headers["x-request-id"] for r in flooded if r.status == 429]
    assert set(stack.upstreams(limited).values()) == {(429, "-")}, "a limited request reached a replica"
    # Each stored turn is a passed one, once; passed turns of the same conversation queue on its
    # lock, and those still waiting at the turn limit got the apology unsaved (server/channel.py).
    stored = user_texts(database, flooder)
    assert stored == ["hi"] * len(stored) and 1 <= len(stored) <= statuses[200]
    assert family_statuses == [200] * len(family_statuses)
    assert user_texts(database, family) == sent
    report.append(f"  rate limit: {FLOOD} requests at once from 127.0.0.2: {statuses[200]} passed, "
                  f"{statuses[429]} limited with 429 (none reached Rasa), {len(stored)} of the passed stored; meanwhile 127.0.0.1 sent "
                  f"{len(family_statuses)} turns: {family_statuses.count(200)} passed")


def test_the_page_and_the_webhook_share_the_proxys_origin(stack):
    page = stack.request("GET", "/")
    assert page.status == 200 and page.headers["content-type"].startswith("text/html")
    assert f"connect-src {stack.origin};" in page.headers["content-security-policy"]
    assert page.headers["strict-transport-security"].startswith("max-age=")
    config = stack.request("GET", "/config.js")
    assert f'"restUrl": "{stack.origin}/webhooks/rest/webhook"' in config.body.decode()
    # Only /webhooks/ reaches Rasa: its other routes are the page server's 404.
    for path in ("/version", "/status", "/conversations/x/tracker"):
        other = stack.request("GET", path)
        assert other.status == 404 and other.body == b"Not found\n", path


@pytest.mark.parametrize("origin,allowed", [("page", True), ("https://chat.example.org.evil.test", False)])
def test_a_cross_origin_page_may_send_the_sender_header(stack, origin, allowed):
    origin = stack.origin if origin == "page" else origin
    reply = stack.request("OPTIONS", "/webhooks/rest/webhook", headers={
        "Origin": origin, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type,x-sender-id"})
    if allowed:
        assert reply.status in (200, 204)
        assert reply.headers["access-control-allow-origin"] == origin
        allowed_headers = {h.strip().lower() for h in reply.headers["access-control-allow-headers"].split(",")}
        assert {"content-type", "x-sender-id"} <= allowed_headers
    else:
        assert "access-control-allow-origin" not in reply.headers


def test_the_proxy_logs_hold_no_sender_id_or_message(stack):
    access = (stack.workdir / "nginx-access.log").read_text()
    errors = (stack.workdir / "nginx.log").read_text()
    assert access.count("request_id=") > FLOOD and stack.senders
    for log in (access, errors):
        assert not [s for s in stack.senders if s in log]
        assert "\N{GRINNING FACE}" not in log and "xxxxxxxx" not in log
