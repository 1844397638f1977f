"""`python -m eligibility check` as the contract describes it: JSON out, exit 0; invalid input exit 2."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import DATA, ELIGIBLE

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = json.loads((DATA / "engine-examples.json").read_text())


def cli(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "eligibility", "check", *args], input=stdin,
                          capture_output=True, text=True, cwd=ROOT, timeout=60)


@pytest.mark.parametrize("case", EXAMPLES, ids=lambda c: c["name"])
def test_examples_through_the_command_line(case, tmp_path):
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(case["answers"]))
    run = cli(str(path), "--today", case["today"])
    if "error_key" in case["expect"]:
        assert run.returncode == 2 and run.stdout == ""
        assert case["expect"]["error_key"] in run.stderr and run.stderr.count("\n") == 1
    else:
        assert run.returncode == 0, run.stderr
        assert json.loads(run.stdout) == case["expect"]


def test_standard_input_and_explain():
    answers = {**ELIGIBLE, "last_radiotherapy": "2026-09-01"}
    run = cli("-", "--today", "2026-09-07", "--explain", "--next", stdin=json.dumps(answers))
    out = json.loads(run.stdout)
    assert out["outcome"] == "not_yet" and out["next_question"] is None
    assert "15 September 2026" in out["explanation"]
    assert "Your child cannot have had radiotherapy in the 2 weeks before they start." in out["explanation"]


def test_explain_for_a_young_person():
    run = cli("-", "--today", "2026-09-07", "--explain", "--who", "young_person", stdin='{"diagnosis": "other"}')
    assert "You must have a type of acute lymphoblastic leukaemia" in json.loads(run.stdout)["explanation"]


@pytest.mark.parametrize("stdin,needle", [("not json", "answers"), ("[1, 2]", "answers"), ('{"sex": "boy"}', "sex")])
def test_unreadable_input_exits_2_with_one_line(stdin, needle):
    run = cli("-", "--today", "2026-09-07", stdin=stdin)
    assert run.returncode == 2 and needle in run.stderr and run.stderr.count("\n") == 1


def test_a_bad_today_is_refused():
    run = cli("-", "--today", "2026-13-01", stdin="{}")
    assert run.returncode == 2 and "--today" in run.stderr
