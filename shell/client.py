"""The nurse shell's parts: a small REST client for Rasa, and the rendering of the
bot's replies and of the "Answers so far" / "Engine now" panel.

No Rasa import: the shell speaks HTTP (the REST channel and, for the panel, Rasa's
HTTP API started with --enable-api) and runs the pure `eligibility` engine itself, on the
conversation's answers as the pure `conversation` package reads them.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import textwrap
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Dict, List, Mapping, Optional, Tuple

import eligibility
from conversation.state import flat
from conversation.turn import answers_of
from eligibility.explain import WHO

WEBHOOK = "/webhooks/rest/webhook"
WIDTH = 88
UNKNOWN_REASONS_SHOWN = 3  # the panel's cap on "We could not tell about" bullets; /reasons shows all


class Unreachable(Exception):
    """The assistant did not answer (down, timed out, or an error page)."""


class NoTracker(Exception):
    """The conversation's tracker could not be read (Rasa without --enable-api, or a wrong token)."""


class Client:
    """One conversation (one sender) with a Rasa server."""

    def __init__(self, url: str, sender: str, token: Optional[str] = None, timeout: float = 60.0,
                 trial: Optional[str] = None):
        self.url = url.rstrip("/")
        self.sender = sender
        self.token = token
        self.timeout = timeout
        self.trial = trial  # the conversation's trial id, sent as the message's metadata

    def say(self, message: str) -> List[Dict[str, Any]]:
        body = json.dumps({"sender": self.sender, "message": message,
                           **({"metadata": {"trial": self.trial}} if self.trial else {})}).encode()
        req = urllib.request.Request(self.url + WEBHOOK, data=body, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                items = json.load(resp)
        except urllib.error.HTTPError as err:
            raise Unreachable(f"the assistant answered with an error (HTTP {err.code})") from None
        except (urllib.error.URLError, OSError) as err:  # refused, reset, timed out
            raise Unreachable(f"cannot reach the assistant at {self.url} ({_reason(err)})") from None
        except ValueError:
            raise Unreachable("the assistant's answer was not JSON") from None
        if not isinstance(items, list):
            raise Unreachable("the assistant's answer was not a list of messages")
        return [i for i in items if isinstance(i, dict)]

    def slots(self) -> Dict[str, Any]:
        """The conversation's slots, from GET /conversations/{sender}/tracker."""
        query = {"include_events": "NONE"}
        if self.token:
            query["token"] = self.token
        url = f"{self.url}/conversations/{urllib.parse.quote(self.sender, safe='')}/tracker?{urllib.parse.urlencode(query)}"
        try:
            with urllib.request.urlopen(url, timeout=self.timeout) as resp:
                tracker = json.load(resp)
        except urllib.error.HTTPError as err:
            hint = "is the token in RASA_TOKEN right?" if err.code in (401, 403) else "was Rasa started with --enable-api?"
            raise NoTracker(f"HTTP {err.code}; {hint}") from None
        except (urllib.error.URLError, OSError) as err:
            raise NoTracker(_reason(err)) from None
        except ValueError:
            raise NoTracker("the tracker was not JSON") from None
        slots = tracker.get("slots") if isinstance(tracker, dict) else None
        if not isinstance(slots, dict):
            raise NoTracker("the tracker has no slots")
        return slots

    def alive(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + "/", timeout=5):
                return True
        except (urllib.error.URLError, OSError, ValueError):
            return False


def _reason(err: Exception) -> str:
    reason = getattr(err, "reason", None) or err
    return str(reason) or type(err).__name__


def down_message(problem: str) -> str:
    return (f"Sorry, {problem}.\n"
            f"If a family needs help now, the Cancer Research UK nurses are on {eligibility.load_trial().nurse_line.phone} (freephone).\n"
            "Type your message again to retry, or /quit.")


# ---- the bot's reply -------------------------------------------------------------

def render_reply(items: List[Dict[str, Any]]) -> Tuple[List[str], List[Dict[str, Any]]]:
    """Lines to print for one reply, and its buttons in the order they are numbered."""
    lines: List[str] = []
    buttons: List[Dict[str, Any]] = []
    # A checklist numbers its items (type "1 3"), so its buttons are offered by name.
    listed = any(isinstance(i.get("custom"), dict) and (i["custom"].get("question") or {}).get("kind") == "checklist"
                 for i in items)
    for item in items:
        if item.get("text"):
            lines += _wrap(str(item["text"]), "bot> ", "     ")
        for button in item.get("buttons") or []:
            if listed:
                lines.append(f"  - {button.get('title') or button.get('payload')}")
                continue
            buttons.append(button)
            lines.append(f"  {len(buttons)}) {button.get('title') or button.get('payload')}")
        if item.get("image"):
            lines.append(f"  [image] {item['image']}")
        custom = item.get("custom")
        if isinstance(custom, dict):
            lines += render_custom(custom)
        elif custom is not None:
            lines.append(f"  [custom] {json.dumps(custom)}")
    return lines, buttons


def render_custom(custom: Mapping[str, Any]) -> List[str]:
    lines: List[str] = []
    question = custom.get("question")
    if isinstance(question, dict):  # the marker: one quiet line, not the raw JSON
        lines.append(f"  · asking {question.get('slot')} ({question.get('kind')})")
        for n, entry in enumerate(question.get("items") or [], 1):
            lines += _wrap(str(entry.get("label")), f"  [{n}] ", "      ")
        if question.get("items"):
            lines.append("  Type the numbers that apply (e.g. 1 3), or one of the choices above.")
    decision = custom.get("eligibility")
    if isinstance(decision, dict):
        lines.append(f"  == Decision: {decision.get('outcome')} ==")
        lines.append(f"     failed: {_ids(decision.get('failed'))}")
        lines += textwrap.wrap(f"unknown: {_ids(decision.get('unknown'))}", WIDTH, initial_indent="     ",
                               subsequent_indent="       ")
        if decision.get("eligible_from"):
            lines.append(f"     eligible from: {decision['eligible_from']}")
        lines.append(f"     trial {decision.get('trial')}, recruiting: {_yes_no(decision.get('recruiting'))}")
    handoff = custom.get("handoff")
    if isinstance(handoff, dict):
        lines.append(f"  == Hand-off: phone {handoff.get('phone')}, reference {handoff.get('reference')} ==")
        lines.append(f"     (the nurse line opens it, with these answers: /handoff {handoff.get('reference')})")
        lines += _wrap(str(handoff.get("summary") or ""), "     ", "     ")
    rest = {k: v for k, v in custom.items() if k not in ("question", "eligibility", "handoff")}
    if rest:
        lines.append(f"  [custom] {json.dumps(rest)}")
    return lines


def pick(line: str, buttons: List[Dict[str, Any]]) -> str:
    """A reply that is just the number of a button sends that button's payload."""
    text = line.strip()
    if text.isdigit() and 1 <= int(text) <= len(buttons):
        button = buttons[int(text) - 1]
        return str(button.get("payload") or button.get("title") or text)
    return line


# ---- the panel -------------------------------------------------------------------

def today_from_env() -> dt.date:
    """ASSISTANT_TODAY=YYYY-MM-DD pins the day, as on the servers; else the real date."""
    pinned = os.environ.get("ASSISTANT_TODAY")
    return dt.date.fromisoformat(pinned) if pinned else dt.date.today()


def answers_from(slots: Mapping[str, Any], trial: eligibility.Trial, today: dt.date) -> Dict[str, Any]:
    """The conversation's answers (its slot `answers`) that the engine accepts."""
    return answers_of(trial, flat(slots), today)


def who_of(slots: Mapping[str, Any]) -> str:
    who = slots.get("chatting_as")
    return who if who in WHO else "parent"


def panel(slots: Mapping[str, Any], today: dt.date, full: bool = False,
          trial: Optional[eligibility.Trial] = None) -> List[str]:
    """"Answers so far" and "Engine now" for the conversation's slots."""
    trial = trial or eligibility.load_trial()
    answers = answers_from(slots, trial, today)
    who = who_of(slots)
    lines = [_rule(f"Answers so far ({len(answers)})")]
    if answers:
        pairs = "   ".join(f"{key}: {_value(value)}" for key, value in answers.items())
        lines += textwrap.wrap(pairs, WIDTH, initial_indent="  ", subsequent_indent="  ", break_on_hyphens=False)
    else:
        lines.append("  (none yet)")
    result = eligibility.evaluate(answers, today, trial)
    lines.append(_rule(f"Engine now ({today.isoformat()}, as {who})"))
    lines.append(f"  outcome: {result.outcome}" + (f"   eligible from: {result.eligible_from}" if result.eligible_from else ""))
    lines += textwrap.wrap(f"failed: {_ids(result.failed)}", WIDTH, initial_indent="  ", subsequent_indent="    ")
    lines += textwrap.wrap(f"unknown ({len(result.unknown)}): {_ids(result.unknown)}", WIDTH, initial_indent="  ", subsequent_indent="    ")
    explanation = eligibility.explain(result, who, trial, answers, today, unknown_shown=None if full else UNKNOWN_REASONS_SHOWN,
                                      more="- ... and {n} more (type /reasons to see them all)")
    for line in explanation.splitlines():
        lines += _wrap(line, "  | ", "  | ")
    lines.append(_rule(""))
    return lines


# ---- small helpers ---------------------------------------------------------------

def _wrap(text: str, first: str, rest: str) -> List[str]:
    out: List[str] = []
    for n, para in enumerate(text.splitlines() or [""]):
        hang = "  " if para.startswith("- ") else ""  # a bullet's next lines line up under its text
        wrapped = textwrap.wrap(para, WIDTH, initial_indent=first if n == 0 else rest, subsequent_indent=rest + hang,
                                break_on_hyphens=False)
        out += wrapped or [(first if n == 0 else rest).rstrip()]
    return out


def _rule(title: str) -> str:
    return f"-- {title} ".ljust(WIDTH, "-") if title else "-" * WIDTH


def _ids(ids: Any) -> str:
    return ", ".join(str(i) for i in ids) if ids else "none"


def _yes_no(value: Any) -> str:
    return "yes" if value is True else "no" if value is False else str(value)


def _value(value: Any) -> str:
    return _yes_no(value) if isinstance(value, bool) else str(value)
