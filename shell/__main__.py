"""`python -m shell [--url http://127.0.0.1:5005] [--trial ID] [--sender ID]`: the nurse shell.

Chat with the assistant over its REST channel, about the trial --trial names (the
default trial otherwise); after each turn the shell reads the
conversation's slots (Rasa's HTTP API: start Rasa with --enable-api; a token, if
set, comes from RASA_TOKEN) and shows the answers so far and what the engine makes
of them today (ASSISTANT_TODAY=YYYY-MM-DD pins the day).
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys
import uuid
from typing import Any, Dict, List, Optional

import eligibility
from eligibility.served import default_trial, served, trial_named

from store.handoffs import default_endpoints, open_reference

from .client import Client, NoTracker, Unreachable, down_message, panel, pick, render_reply, today_from_env

HELP = """Commands:
  /help            this help
  /reasons         the engine's full explanation for the answers so far
  /handoff REF     a family's hand-off, by the reference they read out (from the
                   deployment's store: --endpoints, default $ENDPOINTS or endpoints.yml)
  /quit            leave (Ctrl-D works too)
Anything else is sent to the assistant. When the assistant offers numbered
buttons, a reply that is just a number sends that button's answer.
After each turn the panel shows the answers the assistant holds and the
engine's result for them today, with its reasons ("unchanged" when nothing moved)."""


class Shell:
    def __init__(self, client: Client, trial: Optional[eligibility.Trial], today, endpoints: Optional[List[str]] = None):
        self.client = client
        self.endpoints = endpoints or []
        self.trial = trial
        self.today = today
        self.buttons: List[Dict[str, Any]] = []
        self.tracker_warned = False
        self.last_panel: List[str] = []

    def run(self) -> int:
        print(f"Nurse shell for trial {self.trial.trial.id if self.trial else '?'} - "
              f"assistant {self.client.url}, conversation {self.client.sender}")
        print("Type /help for commands, /quit to leave.")
        if not self.client.alive():
            print(down_message(f"the assistant at {self.client.url} is not answering yet"))
        try:
            while self.turn():
                pass
        except KeyboardInterrupt:
            print()
        print("Bye.")
        return 0

    def turn(self) -> bool:
        """One line from the user; False when the shell should stop."""
        try:
            line = input("you> ")
        except EOFError:
            print()
            return False
        command = line.strip()
        if not command:
            return True
        if command in ("/quit", "/exit"):
            return False
        if command == "/help":
            print(HELP)
            return True
        if command == "/reasons":
            self.show_panel(full=True)
            return True
        if command.split()[0] == "/handoff":
            self.open_handoff(command[len("/handoff"):].strip())
            return True
        if command.startswith("/"):
            print(f"Unknown command {command.split()[0]}; type /help.")
            return True
        message = pick(line, self.buttons)
        if message != line:
            print(f"  (sent: {message})")
        try:
            items = self.client.say(message)
        except Unreachable as err:
            print(down_message(str(err)))
            return True
        lines, self.buttons = render_reply(items)
        print("\n".join(lines) if lines else "bot> (no answer)")
        self.show_panel()
        return True

    def open_handoff(self, reference: str) -> None:
        if not reference:
            print("Type /handoff and the reference, e.g. /handoff K7MP2QXR.")
            return
        try:
            print(open_reference(reference, self.endpoints))
        except Exception as err:  # noqa: BLE001 - a store that cannot be reached must not end the shell
            print(f"(The hand-off records cannot be read: {type(err).__name__}. Check the endpoints file and its variables.)")

    def show_panel(self, full: bool = False) -> None:
        if self.trial is None:
            return
        try:
            slots = self.client.slots()
        except NoTracker as err:
            if not self.tracker_warned or full:
                print(f"(Cannot read the answers so far: {err}. The chat carries on without the panel.)")
                self.tracker_warned = True
            return
        try:
            lines = panel(slots, self.today, full=full, trial=self.trial)
        except Exception as err:  # noqa: BLE001 - the panel must never end the chat
            print(f"(The engine could not evaluate these answers: {type(err).__name__}: {err})")
            return
        if lines == self.last_panel and not full:
            outcome = next((line.split()[1] for line in lines if line.startswith("  outcome:")), "?")
            print(f"-- Answers so far / Engine now: unchanged (outcome {outcome}) --")
            return
        print("\n".join(lines))
        if not full:
            self.last_panel = lines


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m shell", description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:5005", help="the Rasa server (default %(default)s)")
    parser.add_argument("--sender", default=None, help="conversation id (default: a new random one)")
    parser.add_argument("--trial", default=None, help="the id of the trial to chat about (default: the default trial)")
    parser.add_argument("--endpoints", action="append", default=None,
                        help="an endpoints file whose store /handoff reads (default: $ENDPOINTS or endpoints.yml); may be repeated")
    args = parser.parse_args(argv)
    try:
        today = today_from_env()
    except ValueError:
        print(f"ASSISTANT_TODAY must be a date YYYY-MM-DD, not {os.environ.get('ASSISTANT_TODAY')!r}.", file=sys.stderr)
        return 2
    try:
        trial = trial_named(args.trial) if args.trial else default_trial()
    except eligibility.TrialFileError as err:
        print(f"(The trial file cannot be read, so there is no panel: {err})")
        trial = None
    else:
        if trial is None:
            print(f"No trial {args.trial!r} is served. The trials served: "
                  + ", ".join(repr(tid) for tid in served()), file=sys.stderr)
            return 2
    try:
        importlib.import_module("readline")  # line editing and history for input(), where available
    except ImportError:  # pragma: no cover
        pass
    client = Client(args.url, args.sender or str(uuid.uuid4()), token=os.environ.get("RASA_TOKEN") or None,
                    trial=trial.trial.id if trial else args.trial)
    return Shell(client, trial, today, args.endpoints or default_endpoints()).run()


if __name__ == "__main__":
    sys.exit(main())
