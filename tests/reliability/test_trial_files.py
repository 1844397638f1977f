"""A content editor adds a trial by adding its file: after a restart it is served, with no
training; a malformed file stops each server's start with one line naming the file and field."""
import shutil
import subprocess
import sys

import pytest
import yaml

from harness.servers import ACTIONS, BIN, ROOT, Assistant, model_path, new_sender

from .helpers import UKALL_GIRL, finish, marker

pytestmark = pytest.mark.servers


@pytest.fixture
def folder(tmp_path):
    """A trials folder holding copies of the project's trial files."""
    trials = tmp_path / "trials"
    shutil.copytree(ROOT / "trials", trials)
    return trials


def add_copy(folder, source: str, trial_id: str, change=None):
    data = yaml.safe_load((ROOT / "trials" / source).read_text())
    data["trial"]["id"] = trial_id
    if change:
        change(data)
    (folder / f"{trial_id.lower()}.yml").write_text(yaml.safe_dump(data, sort_keys=False))


def training_run() -> str:
    """What scripts/train.py says on stderr (it names a training run when it starts one)."""
    return subprocess.run([sys.executable, "scripts/train.py"], cwd=ROOT, capture_output=True, text=True, check=True).stderr


def test_a_new_trial_file_is_served_after_a_restart_with_no_training(folder, tmp_path):
    model = model_path()
    assistant = Assistant(tmp_path / "run", trials_dir=folder).start()
    try:
        ongoing = new_sender()
        assert marker(assistant.say(ongoing, "hi", metadata={"trial": "UKALL 2011"}))["slot"] == "chatting_as"
        assert "COPY-2011" in assistant.say(new_sender(), "hi", metadata={"trial": "COPY-2011"})[0]["text"]  # not yet served

        add_copy(folder, "ukall_2011.yml", "COPY-2011")
        assert "training" not in training_run() and model_path() == model  # the model does not depend on trial files
        assistant.stop()
        assistant.start()

        sender = new_sender()
        pending = marker(assistant.say(sender, "hi", metadata={"trial": "COPY-2011"}))
        result = finish(assistant.say, sender, pending, UKALL_GIRL)
        assert (result["trial"], result["outcome"]) == ("COPY-2011", "likely_eligible")
        assert marker(assistant.say(ongoing, "parent"))["slot"] == "date_of_birth"  # a conversation from before goes on
    finally:
        assistant.stop()


@pytest.mark.parametrize("server", [
    [*ACTIONS, "--port", "0"],
    [str(BIN / "rasa"), "run", "--credentials", "credentials.yml", "--port", "0", "--interface", "127.0.0.1"],
], ids=["action server", "rasa"])
def test_a_malformed_trial_file_stops_the_start_in_one_line(folder, tmp_path, server):
    add_copy(folder, "mt103_205.yml", "BROKEN-1", lambda d: d["criteria"][3].update(type="sometimes"))
    env = Assistant(tmp_path, trials_dir=folder).env()
    model = ["--model", model_path()] if server[0].endswith("rasa") else []
    started = subprocess.run([*server, *model], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert started.returncode != 0
    said = [line for line in started.stderr.splitlines() if "broken-1.yml" in line]
    assert len(said) == 1 and "criteria.3.type" in said[0] and "Traceback" not in started.stderr, started.stderr[-2000:]
