"""Rasa's side of a trial is generated from its file: a new question is YAML and tests alone."""
from pathlib import Path

import pytest
import yaml

from eligibility import load_trial
from scripts.trial_domain import AFTER, BEFORE, trial_domain, write

ROOT = Path(__file__).resolve().parents[2]
TRIALS = sorted((ROOT / "trials").glob("*.yml"))
CHAT = yaml.safe_load((ROOT / "domain" / "chat.yml").read_text())


@pytest.mark.parametrize("path", TRIALS, ids=lambda p: p.stem)
def test_slots_form_and_ask_actions_come_from_the_trial_file(path):
    trial = load_trial(path)
    domain = trial_domain(trial)
    groups = [c.slot for c in trial.checklists]
    required = domain["forms"]["conversation_form"]["required_slots"]
    asked = [slot for slot in required if slot in trial.answers or slot in groups]
    assert set(domain["slots"]) == set(trial.answers) | set(groups)
    assert [s for s in asked if s not in groups] == [q.key for q in trial.questions]
    assert required == BEFORE + asked + AFTER
    for group in trial.checklists:  # each checklist comes just before its first item
        assert asked[asked.index(group.slot) + 1] == next(k for k in asked if k in group.items)
    assert domain["actions"] == [f"action_ask_{key}" for key in asked]
    for key, slot in domain["slots"].items():
        mapping = slot["mappings"][0]
        assert mapping["type"] == ("from_text" if key in asked else "custom")


@pytest.mark.parametrize("path", TRIALS, ids=lambda p: p.stem)
def test_the_chats_own_domain_names_no_answer_key_of_any_trial(path):
    keys = set(load_trial(path).answers)
    assert not keys & set(CHAT["slots"])
    assert not {f"action_ask_{k}" for k in keys} & {a if isinstance(a, str) else next(iter(a)) for a in CHAT["actions"]}
    assert "forms" not in CHAT


def test_the_generated_folder_holds_the_chats_file_and_the_trials(tmp_path):
    folder = write(str(TRIALS[0]))
    assert (folder / "chat.yml").read_text() == (ROOT / "domain" / "chat.yml").read_text()
    assert yaml.safe_load((folder / "trial.yml").read_text()) == trial_domain(load_trial(TRIALS[0]))
