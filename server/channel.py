"""Rasa's REST channel, made safe for families (credentials.yml loads it as the `rest` channel).

Same URL and format as Rasa's own (`POST /webhooks/rest/webhook`), plus:
- every message gets at least one text item: if the assistant produced none (the
  action server is down, say), the apology with the nurse number from the domain;
- a malformed request is a 400 with a reason, never a 500;
- what users type never goes into the logs, not even when something fails;
- a message starting with "/" is read as text: Rasa would otherwise take "/restart"
  or "/inform{...}" as a command that sets intents and slots directly;
- `metadata` (`{"trial": ID}` chooses a new conversation's trial) must be a JSON object.
"""
from __future__ import annotations

import asyncio
import logging
import os
from typing import Any, Awaitable, Callable, Dict, List

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from conversation.signals import MAX_LENGTH
from conversation.wording import domain_text
from eligibility.served import default_trial, serve_or_exit, trial_named

from .cors import check_command_line
from .speedups import settle_heap

log = logging.getLogger(__name__)
check_command_line()  # Rasa imports this channel at start-up: refuse a pattern-like CORS origin before it serves
serve_or_exit()  # and check every trial file: a malformed one stops the start in one line

MAX_CHARS = 10 * MAX_LENGTH  # beyond this nothing is read; the conversation refuses above MAX_LENGTH
MAX_SENDER = 128
# Seconds a turn may take before the family hears an apology with the nurse line, instead of
# Rasa's five-minute wait on a slow action server.
TURN_LIMIT = float(os.environ.get("TURN_LIMIT_SECONDS", "9"))


def nurse_phone(metadata: Any) -> str:
    """The nurse line of the trial the request names, else the default trial's (every trial
    file served names one: the apology never waits on the conversation's own state)."""
    named = trial_named(metadata.get("trial")) if isinstance(metadata, dict) else None
    return (named or default_trial()).nurse_line.phone


class SafeRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("safe_rest_webhook", __name__)
        sorry = domain_text("utter_error")

        @webhook.listener("after_server_start")  # Rasa loads the model before the server starts
        async def settle(_app: Any, _loop: Any) -> None:
            settle_heap()

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                body = request.json
            except Exception:  # noqa: BLE001 - sanic raises several kinds for bad JSON
                body = None
            if not isinstance(body, dict):
                return response.json({"error": "expected a JSON object with sender and message"}, status=400)
            sender, text = body.get("sender"), body.get("message")
            if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER:
                return response.json({"error": f"sender must be a non-empty string of at most {MAX_SENDER} characters"}, status=400)
            if text is None:
                text = ""
            if not isinstance(text, str):
                return response.json({"error": "message must be a string"}, status=400)
            if text.lstrip().startswith("/"):
                text = " " + text  # Rasa reads a leading "/" as an intent command
            metadata = self.get_metadata(request)
            if metadata is not None and not isinstance(metadata, dict):
                return response.json({"error": "metadata must be a JSON object, like {\"trial\": ID}"}, status=400)
            collector = CollectingOutputChannel()
            try:
                await asyncio.wait_for(on_new_message(UserMessage(text[:MAX_CHARS], collector, sender, input_channel=self.name(),
                                                                  metadata=metadata)), TURN_LIMIT)
            except asyncio.TimeoutError:
                # A slow action server: the turn is dropped unsaved (its lock released), so the
                # same message works again once it recovers; nothing half-done is shown.
                log.error("turn took longer than %s s; apologised", TURN_LIMIT)
                collector.messages = []
            except Exception as err:  # noqa: BLE001 - the family gets an answer whatever happened
                log.error("message could not be handled: %s", type(err).__name__)
            messages: List[Dict[str, Any]] = collector.messages
            if not any(m.get("text") for m in messages):
                messages.append({"recipient_id": sender, "text": sorry.format(phone=nurse_phone(metadata))})
            return response.json(messages)

        return webhook
