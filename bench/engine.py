"""Engine throughput and question counts; writes bench/results/engine.json.

Evaluations per second on one core (a single process), over a mix of eligible,
not-yet and unsure answers, and the number of questions next_question asks a
fully eligible child and a 19-year-old.
"""
import datetime as dt
import json
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from eligibility import evaluate, load_trial, next_question  # noqa: E402

TODAY = dt.date(2026, 9, 7)
EXAMPLES = json.loads((ROOT / "tests" / "data" / "engine-examples.json").read_text())
CASES = [c["answers"] for c in EXAMPLES if "error_key" not in c["expect"]]


def per_second(fn, seconds=2.0):
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        for answers in CASES:
            fn(answers)
        n += len(CASES)
    return n / (time.perf_counter() - start)


def questions_for(truth):
    answers, asked = {}, 0
    while (key := next_question(answers, TODAY)) is not None:
        answers[key] = truth.get(key, "unknown")
        asked += 1
    return asked, evaluate(answers, TODAY).outcome


def main():
    trial = load_trial()
    eligible = CASES[0]
    result = {
        "when": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "evaluations_per_second": round(per_second(lambda a: evaluate(a, TODAY, trial))),
        "next_question_per_second": round(per_second(lambda a: next_question(a, TODAY, trial))),
        "questions_eligible_child": questions_for(eligible),
        "questions_19_year_old": questions_for({**eligible, "date_of_birth": "2007-01-01"}),
    }
    out = ROOT / "bench" / "results" / "engine.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
