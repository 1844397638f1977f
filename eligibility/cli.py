"""`python -m eligibility check FILE|- [--today YYYY-MM-DD] [--explain] [--next]`."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import List, Optional

from .answers import InvalidAnswer
from .engine import evaluate
from .explain import WHO, explain
from .questions import next_question
from .trial import TrialFileError, load_trial


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--today: {text!r} is not a date YYYY-MM-DD") from None


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eligibility", description="Check answers against the trial's entry rules.")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="print the result for a JSON object of answers")
    check.add_argument("file", help="a JSON file of answers, or - for standard input")
    check.add_argument("--today", type=_day, default=dt.date.today(), help="the day to judge on (default: today)")
    check.add_argument("--trial", default=None, help="a trial file (default: $TRIAL_FILE, else the one trials/default names)")
    check.add_argument("--explain", action="store_true", help="add the reasons in plain English")
    check.add_argument("--who", choices=WHO, default="parent", help="wording for --explain")
    check.add_argument("--next", action="store_true", help="add the next answer key to ask")
    args = parser.parse_args(argv)

    try:
        text = sys.stdin.read() if args.file == "-" else open(args.file, encoding="utf-8").read()
        answers = json.loads(text)
    except (OSError, ValueError) as err:
        print(f"answers: cannot read {args.file}: {err}", file=sys.stderr)
        return 2
    try:
        trial = load_trial(args.trial)
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
