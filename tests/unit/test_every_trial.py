"""What holds for every trial file served: its worked examples through the command line, its
words only from its sources, and an answer key two trials share meaning the same in both."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from eligibility.served import served

from .conftest import DATA

ROOT = Path(__file__).resolve().parents[2]
# Each trial but the default: its file, its worked examples and the facts its words come from.
TRIALS = {"UKALL 2011": ("ukall_2011.yml", "ukall-examples.json", "ukall-facts.md"),
          "ALL R3": ("all_r3.yml", "all_r3-examples.json", "all_r3-facts.md"),
          "Interfant-06": ("interfant_06.yml", "interfant_06-examples.json", "interfant_06-facts.md")}
CASES = [(tid, case) for tid, (_, examples, _) in TRIALS.items() for case in json.loads((DATA / examples).read_text())]


@pytest.mark.parametrize("tid,case", CASES, ids=[f"{tid}: {case['name']}" for tid, case in CASES])
def test_the_contracts_examples_through_the_command_line(tid, case, tmp_path):
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(case["answers"]))
    run = subprocess.run([sys.executable, "-m", "eligibility", "check", "--trial", str(ROOT / "trials" / TRIALS[tid][0]),
                          str(path), "--today", case["today"]], capture_output=True, text=True, cwd=ROOT, timeout=60)
    if "error_key" in case["expect"]:
        assert run.returncode == 2 and case["expect"]["error_key"] in run.stderr
    else:
        assert run.returncode == 0, run.stderr
        assert json.loads(run.stdout) == case["expect"]


@pytest.mark.parametrize("tid", TRIALS)
def test_every_rule_why_and_answer_says_only_the_facts_given(tid):
    def plain(text):
        return " ".join(text.replace("*", "").split())

    facts = plain((DATA / TRIALS[tid][2]).read_text())
    trial = served()[tid]
    for owner, sources in [(c.id, c.source) for c in trial.criteria] + [(f.id, f.source) for f in trial.faq]:
        assert sources, owner
        for sentence in sources:
            assert plain(sentence) in facts, (owner, sentence)


def test_every_trial_served_is_covered_here():
    assert set(served()) - set(TRIALS) == {next(t.trial.id for t in served().values() if t.trial.id not in TRIALS)}


def test_an_answer_key_two_trials_share_means_the_same_in_both():
    """Except the diagnosis, whose values are each trial's own (the contracts say so)."""
    for key in {k for t in served().values() for k in t.answers} - {"diagnosis"}:
        having = [t for t in served().values() if key in t.answers]
        assert len({t.answers[key].json() for t in having}) == 1, key
        asked = [t for t in having if any(q.key == key for q in t.questions)]
        assert len({tuple((c.value, tuple(c.words)) for c in t.question(key).choices) for t in asked}) <= 1, key
