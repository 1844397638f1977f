"""Every trial file in the folder is served, each checked once: a content editor adds a trial
by adding its file, and a malformed one stops the start in one line naming the file and field."""
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from eligibility.served import catalogue, default_trial, served, serve_or_exit, trial_named
from eligibility.trial import CHAT_NAMES, TrialFileError

ROOT = Path(__file__).resolve().parents[2]
TRIAL_FILES = sorted((ROOT / "trials").glob("*.yml"))


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """A trials folder of copies of the project's trial files, served through TRIALS_DIR."""
    for path in TRIAL_FILES:
        shutil.copy(path, tmp_path / path.name)
    shutil.copy(ROOT / "trials" / "default", tmp_path / "default")
    monkeypatch.setenv("TRIALS_DIR", str(tmp_path))
    monkeypatch.delenv("TRIAL_FILE", raising=False)
    return tmp_path


def copy_as(folder: Path, source: Path, name: str, trial_id: str, change=None) -> Path:
    data = yaml.safe_load(source.read_text())
    data["trial"]["id"] = trial_id
    if change:
        change(data)
    path = folder / name
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def test_every_trial_file_is_served_by_its_id():
    ids = [yaml.safe_load(p.read_text())["trial"]["id"] for p in TRIAL_FILES]
    assert list(served()) == ids and len(set(ids)) == len(ids)
    assert default_trial().trial.id in served()
    assert catalogue() == [{"trial": t.trial.id, "title": t.trial.title, "recruiting": t.trial.status == "open"}
                           for t in served().values()]


def test_a_trial_is_found_by_its_id_only():
    some = next(iter(served()))
    assert trial_named(some).trial.id == some
    assert trial_named("no such trial") is None and trial_named(None) is None and trial_named(["x"]) is None


def test_adding_a_file_serves_it(folder):
    copy_as(folder, TRIAL_FILES[0], "zz_copy.yml", "COPY-1")
    assert "COPY-1" in served() and served()["COPY-1"].trial.title == yaml.safe_load(TRIAL_FILES[0].read_text())["trial"]["title"]


def test_a_default_outside_the_folder_is_served_too(folder, monkeypatch):
    outside = copy_as(folder.parent, TRIAL_FILES[0], "elsewhere.yml", "ELSEWHERE-1")
    monkeypatch.setenv("TRIAL_FILE", str(outside))
    assert default_trial().trial.id == "ELSEWHERE-1" and "ELSEWHERE-1" in served()


def test_a_malformed_file_stops_the_start_in_one_line_naming_file_and_field(folder):
    copy_as(folder, TRIAL_FILES[0], "broken.yml", "BROKEN-1", lambda d: d["nurse_line"].pop("phone"))
    with pytest.raises(SystemExit) as stop:
        serve_or_exit()
    message = str(stop.value)
    assert "broken.yml" in message and "nurse_line.phone" in message and "\n" not in message


def test_two_files_with_one_id_are_refused(folder):
    copy_as(folder, TRIAL_FILES[0], "twin.yml", yaml.safe_load(TRIAL_FILES[0].read_text())["trial"]["id"])
    with pytest.raises(TrialFileError, match="twin.yml: trial.id"):
        served()


def test_an_answer_key_cannot_take_a_name_the_chat_keeps(folder):
    def clash(data):
        data["answers"]["pending"] = {"kind": "yes_no"}
    copy_as(folder, TRIAL_FILES[0], "clash.yml", "CLASH-1", clash)
    with pytest.raises(TrialFileError, match="answers.pending"):
        served()
    assert "pending" in CHAT_NAMES


def test_the_command_line_lists_the_trials_and_refuses_a_malformed_one(folder):
    run = lambda: subprocess.run([sys.executable, "-m", "eligibility", "trials"], cwd=ROOT, capture_output=True, text=True)
    listed = run()
    assert listed.returncode == 0 and [t["trial"] for t in json.loads(listed.stdout)] == list(served())
    copy_as(folder, TRIAL_FILES[0], "broken.yml", "BROKEN-1", lambda d: d["criteria"][0].pop("why"))
    refused = run()
    assert refused.returncode == 2 and refused.stdout == ""
    assert "broken.yml" in refused.stderr and "criteria.0.why" in refused.stderr and refused.stderr.count("\n") == 1
