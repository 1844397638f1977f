"""An action server that is slow, not down: the family hears back before a phone browser would
give up (an apology with the nurse line), and once it is quick again the conversation goes on
at the question it was at. A proxy between Rasa and the real action server holds each call."""
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from eligibility import load_trial
from harness.servers import Assistant, free_port, new_sender
from server.channel import TURN_LIMIT

from .helpers import ELIGIBLE_WALK, reply_to, question, walk

pytestmark = pytest.mark.servers
STALL = 60  # seconds a slow call is held: far beyond the turn limit


class SlowProxy(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, target: str):
        self.target, self.stall, self.held = target, 0.0, 0
        super().__init__(("127.0.0.1", free_port()), _Forward)


class _Forward(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.server.stall:
            self.server.held += 1
            time.sleep(self.server.stall)
        req = urllib.request.Request(self.server.target, data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=120) as resp:
            data = resp.read()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def slow(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("slow_actions")
    running = Assistant(workdir)
    proxy = SlowProxy(f"http://127.0.0.1:{running.actions_port}/webhook")
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    running.action_url = f"http://127.0.0.1:{proxy.server_address[1]}/webhook"
    running.start()
    yield running, proxy
    running.stop()
    proxy.shutdown()


def test_a_slow_action_server_gets_an_apology_then_the_same_question(slow):
    assistant, proxy = slow
    sender, control = new_sender(), new_sender()
    pending = walk(assistant.say, sender, 4)
    expected_next = walk(assistant.say, control, 5)

    proxy.stall = STALL
    # The family's browser waits no longer than the limit and a little slack: no reply by then fails.
    reply = assistant.say(sender, reply_to(pending, ELIGIBLE_WALK), timeout=TURN_LIMIT + 3)
    texts = " ".join(m.get("text", "") for m in reply)
    assert proxy.held >= 1
    assert "went wrong" in texts and load_trial().nurse_line.phone in texts
    assert question(reply) is None  # nothing half-done is shown

    proxy.stall = 0
    assert question(assistant.say(sender, reply_to(pending, ELIGIBLE_WALK))) == expected_next
