"""The nurse shell (`python -m shell`) driven in a terminal with pexpect.

The `servers` tests talk to the real assistant, started with --enable-api so the
shell can read the tracker; the others use no servers (a dead port, or a tiny fake
REST server) and check the errors, the buttons and the rendering.

Set SHELL_TRANSCRIPT=docs/shell-transcript.txt to write the 19-year-old session there.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Dict, Iterator, List

import pexpect
import pytest

from shell.client import answers_from, panel
from harness.servers import TEST_TODAY, Assistant, free_port
from harness.terminal import Session
from harness.servers import new_sender
from harness.walks import ELIGIBLE_WALK, hand_off
from eligibility import load_trial

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def assistant(tmp_path_factory) -> Iterator[Assistant]:
    running = Assistant(tmp_path_factory.mktemp("shell"), extra_rasa_args=["--enable-api"]).start()
    yield running
    running.stop()




def split(turn: str) -> List[str]:
    """(what the bot said, the panel) of one turn, each on one line: the shell wraps long text."""
    bot, _, rest = turn.partition("-- Answers so far")
    return [flat(bot), flat("-- Answers so far" + rest)]


def flat(text: str) -> str:
    return " ".join(text.replace("  | ", " ").split())


def button(turn: str, title: str) -> str:
    found = re.search(rf"^  (\d+)\) {re.escape(title)}", turn, re.M)
    assert found, f"no button {title!r} in\n{turn}"
    return found.group(1)


def asking(turn: str) -> str:
    found = re.search(r"· asking (\w+)", turn)
    assert found, f"no question marker in\n{turn}"
    return found.group(1)


@pytest.mark.servers
def test_a_nineteen_year_old_is_told_and_the_panel_agrees(assistant):
    shell = Session(assistant.url)
    assert "conversation" in shell.banner and "not answering" not in shell.banner

    who = shell.say("hi")
    bot, board = split(who)
    assert "no longer recruiting" in bot and "Who is chatting" in bot  # the notice carries the first question
    assert button(who, "A parent or carer") == "1"
    assert '"question"' not in who and "· asking chatting_as" in bot  # the marker, not raw JSON
    assert "Engine now" in board and "(none yet)" in board

    again = shell.say("hmm")
    assert "Engine now: unchanged (outcome unsure)" in again  # the same panel is not printed twice

    age = shell.say(button(who, "A parent or carer"))
    assert "(sent: parent)" in age and asking(age) == "date_of_birth"

    said_back = shell.say("he's 19")
    bot, board = split(said_back)
    assert "Just to check" in bot and asking(said_back) == "confirm" and "== Decision" not in bot  # said back first
    assert "Engine now" in board and "outcome: not_eligible" in board
    assert "age_years: 19" in board and "failed: under_18" in board
    assert "this trial would not have been open to your child" in board  # explain(), parent wording
    bot, _ = split(shell.say(button(said_back, "Yes")))
    assert "== Decision: not_eligible ==" in bot and "failed: under_18" in bot
    assert "18th birthday" in bot

    shell.quit("/quit")
    if os.environ.get("SHELL_TRANSCRIPT"):
        Path(os.environ["SHELL_TRANSCRIPT"]).write_text(
            "# A real session of the nurse shell (`python -m shell`), recorded by tests/shell/test_shell.py\n"
            "# with SHELL_TRANSCRIPT set; servers started with --enable-api, ASSISTANT_TODAY=2026-09-07.\n\n"
            + shell.transcript)


@pytest.mark.servers
def test_the_shell_chats_about_the_trial_it_is_given(assistant):
    shell = Session(assistant.url, "--trial", "UKALL 2011")
    assert "trial UKALL 2011" in shell.banner
    bot, _ = split(shell.say("hi"))
    assert "UKALL 2011" in bot and "blinatumomab" not in bot
    shell.say("1")  # a parent
    turn = shell.say("she is 6")
    bot, board = split(turn)
    assert asking(turn) == "diagnosis" and "Lymphoblastic lymphoma" in bot
    assert "age_years: 6" in board and "age_1_to_24" not in board.split("unknown")[1]  # the trial's own rules
    shell.quit()


def test_an_unknown_trial_is_refused_with_the_trials_served():
    child = pexpect.spawn(sys.executable, ["-m", "shell", "--url", f"http://127.0.0.1:{free_port()}", "--trial", "NOPE-3"],
                          cwd=str(ROOT), env=dict(os.environ, PYTHONPATH=str(ROOT), TERM="dumb"), encoding="utf-8", timeout=60)
    child.expect(pexpect.EOF)
    out = child.before.replace("\r", "")
    child.close()
    assert child.exitstatus == 2 and "NOPE-3" in out and "'MT103-205'" in out and "'UKALL 2011'" in out


@pytest.mark.servers
def test_a_checklist_shows_numbered_items_and_takes_their_numbers(assistant):
    shell = Session(assistant.url)
    shell.say("hi")
    turn = shell.say("1")  # a parent
    for _ in range(12):
        if asking(turn) == "exclusions":
            break
        turn = shell.say(ELIGIBLE_WALK[asking(turn)])
    bot, _ = split(turn)
    assert "(checklist)" in bot and "[5] Any other type of cancer" in bot and "- None of these" in bot
    turn = shell.say("5")
    bot, _ = split(turn)
    assert asking(turn) == "confirm" and "another cancer: yes" in flat(bot).lower()


@pytest.mark.servers
def test_answers_of_an_eligible_child_show_in_the_panel(assistant):
    shell = Session(assistant.url)
    shell.say("hi")
    turn = shell.say("parent")
    replies = {"date_of_birth": "20/04/2016", "diagnosis": "Precursor B cell ALL", "relapsed_or_refractory": "Yes",
               "exclusions": "None of these"}
    answered = []
    for _ in range(4):
        slot = asking(turn)
        assert slot in replies, turn
        reply = replies[slot]
        if f") {reply}" in turn:  # pick the button by its number where there is one
            reply = button(turn, reply)
        turn = shell.say(reply)
        answered.append(slot)
    bot, board = split(turn)
    assert "== Decision" not in bot
    assert "diagnosis: b_precursor_all" in board and "date_of_birth: 2016-04-20" in board
    assert "relapsed_or_refractory: yes" in board
    assert "outcome: unsure" in board and "failed: none" in board
    assert "We could not tell about" in board and "/reasons" in board

    full = flat(shell.say("/reasons"))
    assert "outcome: unsure" in full and "... and" not in full
    shell.quit("")  # Ctrl-D


def test_a_dead_server_gets_a_friendly_message_and_the_nurse_line():
    shell = Session(f"http://127.0.0.1:{free_port()}")
    assert "0808 800 4040" in shell.banner
    turn = shell.say("hello")
    assert "cannot reach the assistant" in turn and "0808 800 4040" in turn
    assert "Bye." in shell.quit("/quit")


class FakeRasa(BaseHTTPRequestHandler):
    """Echoes each message back with two buttons and, on "decide", a decision and a hand-off;
    has no HTTP API, like Rasa started without --enable-api."""

    def do_GET(self):  # noqa: N802
        self._send(200 if self.path == "/" else 404, {"version": "fake"})

    def do_POST(self):  # noqa: N802
        message = json.loads(self.rfile.read(int(self.headers["Content-Length"])))["message"]
        items = [{"text": f"You said: {message}", "buttons": [{"title": "Yes please", "payload": "yes"},
                                                              {"title": "Not now", "payload": "no"}]},
                 {"custom": {"question": {"slot": "offer_handoff", "kind": "choice", "choices": ["yes", "no"]}}}]
        if message == "decide":
            items = [{"text": "Done.", "custom": {
                "eligibility": {"trial": "MT103-205", "recruiting": False, "outcome": "not_yet", "failed": ["radiotherapy_2w"],
                                "unknown": [], "eligible_from": "2026-09-15"},
                "handoff": {"phone": "0808 800 4040", "reference": "AB12CD", "summary": "Radiotherapy 6 days ago."}}}]
        self._send(200, items)

    def _send(self, status: int, body) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_rasa() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeRasa)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_buttons_by_number_rendering_and_no_api(fake_rasa):
    shell = Session(fake_rasa)
    first = shell.say("hello")
    assert "bot> You said: hello" in first and "\n  1) Yes please" in first and "  2) Not now" in first
    assert "· asking offer_handoff (choice)" in first and "{" not in first
    assert "Cannot read the answers so far" in first and "--enable-api" in first

    second = shell.say("2")
    assert "(sent: no)" in second and "You said: no" in second
    assert "Cannot read the answers so far" not in second  # said once only

    third = shell.say("7")  # not a button: sent as typed
    assert "(sent:" not in third and "You said: 7" in third

    decided = shell.say("decide")
    assert "== Decision: not_yet ==" in decided and "failed: radiotherapy_2w" in decided
    assert "eligible from: 2026-09-15" in decided
    assert "== Hand-off: phone 0808 800 4040, reference AB12CD ==" in decided and "Radiotherapy 6 days ago." in decided
    after = shell.say("1")  # the decision reply had no buttons
    assert "(sent:" not in after and "You said: 1" in after

    assert "Unknown command /nope" in shell.say("/nope")
    assert "/reasons" in shell.say("/help")
    shell.quit("")


def test_the_panel_skips_slots_the_engine_does_not_accept():
    today = dt.date.fromisoformat(TEST_TODAY)
    slots: Dict[str, object] = {"chatting_as": "young_person", "requested_slot": "reply", "chat": {"pending": "sex"},
                                "answers": {"date_of_birth": "he's 9", "age_years": 9, "diagnosis": "other",  # not a date
                                            "last_radiotherapy": "2027-01-01"}}  # in the future
    assert answers_from(slots, load_trial(), today) == {"age_years": 9, "diagnosis": "other"}
    board = flat("\n".join(panel(slots, today)))
    assert "outcome: not_eligible" in board and "failed: b_precursor_all" in board
    assert "You must have a type of acute lymphoblastic leukaemia" in board  # young person's wording


@pytest.mark.servers
def test_a_hand_off_made_over_rest_opens_in_the_shell_by_its_reference(assistant, tmp_path, monkeypatch):
    monkeypatch.setenv("HANDOFF_LOG", str(tmp_path / "openings.log"))
    reference = hand_off(assistant.say, new_sender())
    shell = Session(assistant.url, "--endpoints", str(assistant.endpoints()))
    shown = shell.say(f"/handoff {reference[:4].lower()}-{reference[4:].lower()}")
    assert f"Hand-off {reference}" in shown and "Trial: the blinatumomab trial MT103-205 (MT103-205)" in shown
    assert "Who was chatting: A parent or carer" in shown and "Age: 10 (born 20 April 2016)" in shown
    assert "seems to meet the entry rules we checked" in shown and "Only the trial team could confirm" in shown
    missing = shell.say("/handoff ZZZZ2222")
    assert "No hand-off with that reference." in missing and "Hand-off ZZZZ" not in missing
    shell.quit()
    log = (tmp_path / "openings.log").read_text()
    assert f"hand-off {reference} opened: found" in log and "hand-off ZZZZ2222 opened: none" in log
    assert "2016" not in log and "blinatumomab" not in log
