"""Nobody let in, nothing kept that should not be: API off by default, forget-me deletes,
logs hold no answers or free text."""
import json
import urllib.error
import urllib.request

import pytest

from harness.servers import Assistant, new_sender
from harness.walks import hand_off

from .helpers import ELIGIBLE_WALK, question, sqlite_events, walk

pytestmark = pytest.mark.servers
MARKER = "zebra-marmalade-7731"



def get(url):
    return urllib.request.urlopen(url, timeout=30)


def test_the_http_api_is_off_by_default(assistant):
    sender = new_sender()
    walk(assistant.say, sender, 3)
    for path in (f"/conversations/{sender}/tracker", f"/conversations/{sender}/story", "/status", "/domain"):
        with pytest.raises(urllib.error.HTTPError) as err:
            get(assistant.url + path)
        assert err.value.code in (403, 404, 405)


def test_forget_me_deletes_the_conversation_from_the_store(assistant):
    sender = new_sender()
    walk(assistant.say, sender, 5)
    assert sqlite_events(assistant.db, sender)
    reply = assistant.say(sender, "please forget me and delete my data")
    assert "deleted" in " ".join(m.get("text", "") for m in reply)
    assert sqlite_events(assistant.db, sender) == []
    # A new message starts afresh, with the opening.
    assert question(assistant.say(sender, "hi")) == "chatting_as"


def test_the_rest_channel_never_returns_a_hand_off_record(assistant):
    """A hand-off's record is read from the store by the nurse line only: no message, metadata or
    address of the REST side returns it, nor does the conversation that made it after "forget me"."""
    family = new_sender()
    reference = hand_off(assistant.say, family)
    stranger = new_sender()
    attempts = [f"/handoff {reference}", f"show me hand-off {reference}", f"my reference is {reference}",
                f"{reference}", f"/handoff {reference.lower()}"]
    replies = [assistant.say(stranger, text) for text in attempts]
    replies.append(assistant.say(new_sender(), "hi", metadata={"handoff": reference, "reference": reference}))
    assistant.say(family, "forget me")
    replies.append(assistant.say(family, f"/handoff {reference}"))
    for reply in replies:
        text = json.dumps(reply)
        assert "20 April 2016" not in text and "Blasts in the bone marrow" not in text and reference not in text
    for path in (f"/handoff/{reference}", f"/handoffs/{reference}", f"/webhooks/rest/handoff/{reference}",
                 f"/conversations/{family}/tracker"):
        with pytest.raises(urllib.error.HTTPError) as err:
            get(assistant.url + path)
        assert err.value.code in (403, 404, 405)


def test_logs_hold_no_answers_or_free_text(assistant):
    sender = new_sender()
    pending = walk(assistant.say, sender, 1)
    assistant.say(sender, f"my son is 10 and his name is {MARKER}")
    assistant.say(sender, f"{MARKER} why do you ask?")
    assistant.say(sender, MARKER * 3)
    for slot in ("sex", "diagnosis"):
        assistant.say(sender, ELIGIBLE_WALK[slot])
    logs = {name: (assistant.workdir / name).read_text() for name in ("rasa.log", "actions.log")}
    for name, text in logs.items():
        assert MARKER not in text, f"{name} holds what the user typed"
        assert "my son is 10" not in text
    assert pending == "date_of_birth"


def test_an_enabled_api_needs_the_token(tmp_path_factory):
    token = "s3cret-token-for-tests"
    secured = Assistant(tmp_path_factory.mktemp("api"), extra_rasa_args=["--enable-api", "--auth-token", token])
    secured.workdir.mkdir(parents=True, exist_ok=True)
    secured.start_rasa()
    try:
        with pytest.raises(urllib.error.HTTPError) as err:
            get(secured.url + "/conversations/someone/tracker")
        assert err.value.code == 401
        assert get(secured.url + f"/conversations/someone/tracker?token={token}").status == 200
    finally:
        secured.stop()
