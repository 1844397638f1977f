"""`python -m eligibility check FILE|- [--trial FILE|ID] [--today YYYY-MM-DD] [--explain] [--next]`
and `python -m eligibility trials` (check every trial file served; list them as JSON)."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from typing import List, Optional

from .answers import InvalidAnswer
from .engine import evaluate
from .explain import WHO, explain
from .questions import next_question
from .served import catalogue, trial_named
from .trial import Trial, TrialFileError, load_trial


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--today: {text!r} is not a date YYYY-MM-DD") from None


def _trial(given: Optional[str]) -> Trial:
    """A file if one has that name, else the id of a served trial."""
    if given and not os.path.exists(given):
        named = trial_named(given)
        if named is None:
            raise TrialFileError(f"--trial: {given!r} is neither a file nor the id of a trial served")
        return named
    return load_trial(given)


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eligibility", description="Check answers against the trial's entry rules.")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="print the result for a JSON object of answers")
    check.add_argument("file", help="a JSON file of answers, or - for standard input")
    check.add_argument("--today", type=_day, default=dt.date.today(), help="the day to judge on (default: today)")
    check.add_argument("--trial", default=None,
                       help="a trial file, or the id of a trial served (default: $TRIAL_FILE, else the one trials/default names)")
    check.add_argument("--explain", action="store_true", help="add the reasons in plain English")
    check.add_argument("--who", choices=WHO, default="parent", help="wording for --explain")
    check.add_argument("--next", action="store_true", help="add the next answer key to ask")
    sub.add_parser("trials", help="check every trial file served and list them (id, title, recruiting) as JSON")
    args = parser.parse_args(argv)
    if args.command == "trials":
        try:
            print(json.dumps(catalogue(), ensure_ascii=False))
        except TrialFileError as err:
            print(str(err).replace("\n", " "), file=sys.stderr)
            return 2
        return 0

    try:
        text = sys.stdin.read() if args.file == "-" else open(args.file, encoding="utf-8").read()
        answers = json.loads(text)
    except (OSError, ValueError) as err:
        print(f"answers: cannot read {args.file}: {err}", file=sys.stderr)
        return 2
    try:
        trial = _trial(args.trial)
        result = evaluate(answers, args.today, trial)
        out = result.as_json()
        if args.next:
            out["next_question"] = next_question(answers, args.today, trial)
        if args.explain:
            out["explanation"] = explain(result, args.who, trial, answers, args.today)
    except (InvalidAnswer, TrialFileError) as err:
        print(str(err).replace("\n", " "), file=sys.stderr)
        return 2
    print(json.dumps(out, ensure_ascii=False))
    return 0
