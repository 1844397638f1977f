"""With the action server stopped the family still gets an answer; when it is back, the
conversation goes on where it was."""
import urllib.request

import pytest

from harness.servers import new_sender

from .helpers import question, walk

pytestmark = pytest.mark.servers



def test_action_server_down_then_back(assistant):
    sender = new_sender()
    pending = walk(assistant.say, sender, 4)
    assistant.stop("actions")
    reply = assistant.say(sender, "45")
    texts = " ".join(m.get("text", "") for m in reply)
    assert "0808 800 4040" in texts and "went wrong" in texts
    assert "Traceback" not in texts and "Exception" not in texts

    assistant.start_actions()
    assert question(assistant.say(sender, "why?")) == pending


def test_a_malformed_request_is_a_400_not_a_500(assistant):
    for body in (b"not json", b"[]", b'{"message": "hi"}', b'{"sender": 5, "message": "hi"}',
                 b'{"sender": "x", "message": {"a": 1}}'):
        req = urllib.request.Request(assistant.url + "/webhooks/rest/webhook", data=body,
                                     headers={"Content-Type": "application/json"})
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(req, timeout=30)
        assert err.value.code == 400
