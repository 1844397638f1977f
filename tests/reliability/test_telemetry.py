"""Rasa's usage telemetry (reports to an outside service and starts Sentry) is off however the
project starts Rasa: `make run`'s script is started here exactly as `make run` starts it, with a
user config that turns telemetry on, and the Rasa it starts must hold it off."""
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from harness.servers import ROOT, free_port

DEPLOY = ROOT / "deploy"


def children(pid: int):
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return [int(p) for p in out]


def environ(pid: int) -> dict:
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(item.decode(errors="replace").split("=", 1) for item in raw if b"=" in item)


@pytest.mark.servers
def test_make_runs_script_starts_rasa_with_telemetry_off(tmp_path):
    home = tmp_path / "home"
    (home / ".config" / "rasa").mkdir(parents=True)
    (home / ".config" / "rasa" / "global.yml").write_text(yaml.safe_dump({"metrics": {"enabled": True}}))
    endpoints = tmp_path / "endpoints.yml"
    actions = free_port()
    endpoints.write_text(f'action_endpoint:\n  url: "http://127.0.0.1:{actions}/webhook"\n'
                         f'tracker_store:\n  type: server.tracker_store.ForgetfulSQLTrackerStore\n'
                         f'  dialect: "sqlite"\n  db: "{tmp_path / "t.db"}"\n')
    env = {k: v for k, v in os.environ.items() if k != "RASA_TELEMETRY_ENABLED"}
    env.update(HOME=str(home), MODEL_CACHE=str(Path.home() / ".cache" / "trial-assistant" / "models"),
               RASA_PORT=str(free_port()), ACTIONS_PORT=str(actions), WEB_PORT=str(free_port()), ENDPOINTS=str(endpoints))
    serve = subprocess.Popen(["bash", "scripts/serve.sh"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.time() + 240
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{env['RASA_PORT']}/", timeout=2)
                break
            except OSError:
                assert serve.poll() is None, serve.stdout.read().decode()[-2000:]
                time.sleep(1)
        rasa = [pid for pid in children(serve.pid)
                if any(name in Path(f"/proc/{pid}/cmdline").read_bytes() for name in (b"rasa\0run", b"-m\0rasa_sdk"))]
        assert len(rasa) == 2  # the action server (python -m rasa_sdk) and Rasa
        started = [environ(pid) for pid in rasa]
        assert all(e.get("RASA_TELEMETRY_ENABLED") == "false" for e in started)
        check = subprocess.run([sys.executable, "-c", "import rasa.telemetry as t; print(t.is_telemetry_enabled())"],
                               env={**env, "RASA_TELEMETRY_ENABLED": started[0]["RASA_TELEMETRY_ENABLED"]},
                               capture_output=True, text=True, timeout=120)
        assert check.stdout.strip() == "False"
    finally:
        os.killpg(serve.pid, signal.SIGTERM)
        serve.wait(timeout=60)


def test_every_other_way_of_starting_rasa_turns_telemetry_off():
    make = (ROOT / "Makefile").read_text()
    assert "export RASA_TELEMETRY_ENABLED := false" in make  # make run, shell, test, train, bench
    for script in ("scripts/serve.sh", "scripts/shell.sh"):
        assert "export RASA_TELEMETRY_ENABLED=false" in (ROOT / script).read_text(), script
    compose = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())["services"]
    for name in ("rasa", "actions"):
        assert compose[name]["environment"]["RASA_TELEMETRY_ENABLED"] == "false", name
    helm = yaml.safe_load((DEPLOY / "helm-values.yaml").read_text())
    for extra in (helm["extraEnv"], helm["rasa-action-server"]["extraEnv"]):
        assert {"name": "RASA_TELEMETRY_ENABLED", "value": "false"} in extra
