"""At least 500 generated hostile inputs at every kind of question: no 5xx, no crash,
every turn answered, and the stored answers still valid afterwards."""
import random
import threading
import urllib.error

import pytest

from harness.servers import new_sender

from .helpers import ELIGIBLE_WALK, reply_to, answers_in, question, slots_from, sqlite_events, valid, walk

pytestmark = pytest.mark.servers
SEED = 20261125

# Steps into the eligible walk at which each kind of question is pending.
AT = {"chatting_as": 0, "date_of_birth": 1, "diagnosis": 2, "relapsed_or_refractory": 3, "exclusions": 4,
      "marrow_blasts_percent": 5, "performance_score": 6, "cns_leukaemia": 8, "treatments_had": 9,
      "last_chemotherapy": 10, "offer_handoff": 12}


def hostile_inputs(rng: random.Random, n: int):
    fixed = ["", " ", "\t\n", "a" * 10_000, "😀🔥💉🩸" * 20, "مرحبا كيف حالك", "שלום עולם", "\u202eevil\u202c",
             "\x00\x01\x02\x1b[31m", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>",
             "'; DROP TABLE events; --", "1 OR 1=1", '{"sender": "other", "message": "hi"}', '{"__proto__": {}}',
             "31/02/2026", "2099-01-01", "next year", "30 February", "-3", "250", "250%", "age -3", "he is 250",
             "/restart", "/session_start", "${jndi:ldap://x}", "%s%s%s%n", "../../etc/passwd", "null", "NaN", "1e309"]
    out = list(fixed)
    while len(out) < n:
        kind = rng.randrange(5)
        if kind == 0:
            out.append("".join(chr(rng.randrange(1, 0x2FFF)) for _ in range(rng.randrange(1, 60))))
        elif kind == 1:
            out.append(bytes(rng.randrange(256) for _ in range(rng.randrange(1, 80))).decode("latin-1"))
        elif kind == 2:
            out.append(str(rng.choice([-1, 0, 101, 250, 999999, -0.5, 3.14159, 10**20])))
        elif kind == 3:
            out.append(rng.choice(fixed) * rng.randrange(1, 4))
        else:
            out.append(" ".join(rng.choice(["<b>", "DROP", "💥", "null", "{}", "\\", "'", '"', "%", "\u0000"])
                                for _ in range(rng.randrange(1, 20))))
    return out[:n]



def test_hostile_inputs_at_every_kind_of_question(assistant):
    rng = random.Random(SEED)
    inputs = hostile_inputs(rng, 550)
    per_question = len(inputs) // len(AT)
    sent = errors = silent = 0
    for i, (slot, steps) in enumerate(AT.items()):
        sender = new_sender()
        assert walk(assistant.say, sender, steps) == slot
        for text in inputs[i * per_question:(i + 1) * per_question]:
            try:
                reply = assistant.say(sender, text)
            except urllib.error.HTTPError as err:
                errors += err.code >= 500
                continue
            sent += 1
            silent += not any(m.get("text") for m in reply)
            question(reply)  # at most one marker
        assert all(p.poll() is None for p in assistant.procs.values()), "a server died"
        stored = answers_in(slots_from(sqlite_events(assistant.db, sender)))
        assert valid(stored)
        # The conversation still works: a valid answer to whatever is pending is taken.
        pending = question(assistant.say(sender, "why?"))
        if pending in ELIGIBLE_WALK:
            assert question(assistant.say(sender, reply_to(pending, ELIGIBLE_WALK))) != pending
    assert sent >= 500 and errors == 0 and silent == 0


def test_very_fast_repeats_of_one_sender(assistant):
    sender = new_sender()
    walk(assistant.say, sender, 2)
    results, failures = [], []

    def send():
        try:
            results.append(assistant.say(sender, "9"))
        except Exception as err:  # noqa: BLE001 - counted below
            failures.append(err)

    threads = [threading.Thread(target=send) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures and len(results) == 10
    assert all(any(m.get("text") for m in r) for r in results)
    assert valid(answers_in(slots_from(sqlite_events(assistant.db, sender))))
