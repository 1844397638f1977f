"""Start the real action server and Rasa server for tests, on free loopback ports.

Each Assistant gets its own SQLite tracker store in a temporary folder and a
pinned date (ASSISTANT_TODAY) so conversations are reproducible.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TEST_TODAY = "2026-09-07"
# Our action server: rasa_sdk's own entry point serves the actions without importing Rasa
# (about 50 MB and half a second, where `rasa run actions` takes 128 MB and 1.7 s here).
ACTIONS = [sys.executable, "-m", "rasa_sdk", "--actions", "actions"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def model_path() -> str:
    """The model, which serves every trial; trained only if its inputs changed."""
    out = subprocess.run([sys.executable, "scripts/train.py"], cwd=ROOT, capture_output=True, text=True, check=True)
    return out.stdout.strip().splitlines()[-1]


def wait_for(url: str, seconds: float, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited early; see {log}:\n{log.read_text()[-3000:]}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except (urllib.error.URLError, ConnectionError, OSError):
            time.sleep(0.5)
    raise RuntimeError(f"{url} not ready after {seconds}s; see {log}")


@dataclass
class Assistant:
    """A running pair of servers; `say` sends one message over the REST channel."""

    workdir: Path
    today: str = TEST_TODAY
    endpoints_extra: str = ""
    rasa_port: int = field(default_factory=free_port)
    actions_port: int = field(default_factory=free_port)
    action_url: Optional[str] = None  # where Rasa calls the actions, if not the action server itself
    procs: Dict[str, subprocess.Popen] = field(default_factory=dict)
    extra_rasa_args: List[str] = field(default_factory=list)
    trial_file: Optional[str] = None  # another default trial, as TRIAL_FILE
    trials_dir: Optional[Path] = None  # another folder of trial files, as TRIALS_DIR

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def db(self) -> Path:
        return self.workdir / "tracker.db"

    def env(self) -> Dict[str, str]:
        env = dict(os.environ, ASSISTANT_TODAY=self.today, TF_CPP_MIN_LOG_LEVEL="3", PYTHONPATH=str(ROOT),
                   SANIC_HOST="127.0.0.1", RASA_TELEMETRY_ENABLED="false")
        env.pop("NURSE_LINE_HOURS", None)
        for name, value in (("TRIAL_FILE", self.trial_file), ("TRIALS_DIR", self.trials_dir)):
            env.pop(name, None)
            if value:
                env[name] = str(value)
        return env

    def endpoints(self) -> Path:
        path = self.workdir / "endpoints.yml"
        tracker = self.endpoints_extra or (f'tracker_store:\n  type: server.tracker_store.ForgetfulSQLTrackerStore\n'
                                           f'  dialect: "sqlite"\n  db: "{self.db}"\n')
        url = self.action_url or f"http://127.0.0.1:{self.actions_port}/webhook"
        path.write_text(f'action_endpoint:\n  url: "{url}"\n'
                        f'  enable_selective_domain: true\n{tracker}')
        return path

    def start_actions(self) -> None:
        log = self.workdir / "actions.log"
        self.procs["actions"] = subprocess.Popen(
            [*ACTIONS, "--port", str(self.actions_port)],
            cwd=ROOT, env=self.env(), stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
        wait_for(f"http://127.0.0.1:{self.actions_port}/health", 90, self.procs["actions"], log)

    def start_rasa(self, model: Optional[str] = None) -> None:
        log = self.workdir / "rasa.log"
        self.procs["rasa"] = subprocess.Popen(
            [str(BIN / "rasa"), "run", "--model", model or model_path(), "--endpoints", str(self.endpoints()),
             "--credentials", "credentials.yml", "--interface", "127.0.0.1", "--port", str(self.rasa_port),
             *self.extra_rasa_args],
            cwd=ROOT, env=self.env(), stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
        wait_for(self.url + "/", 180, self.procs["rasa"], log)

    def start(self) -> "Assistant":
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.start_actions()
        self.start_rasa()
        return self

    def stop(self, name: Optional[str] = None, sig: int = signal.SIGTERM) -> None:
        for key in [name] if name else list(self.procs):
            proc = self.procs.pop(key, None)
            if proc and proc.poll() is None:
                os.killpg(proc.pid, sig)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()

    def say(self, sender: str, message: str, timeout: float = 60,
            metadata: Optional[Dict[str, Any]] = None) -> List[Dict[str, Any]]:
        """One message over the REST channel; `metadata` ({"trial": ID}) beside it if given."""
        body = json.dumps({"sender": sender, "message": message, **({"metadata": metadata} if metadata else {})}).encode()
        req = urllib.request.Request(self.url + "/webhooks/rest/webhook", data=body,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return json.load(resp)


def new_sender() -> str:
    return str(uuid.uuid4())
