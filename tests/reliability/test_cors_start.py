"""Rasa started with a pattern-like CORS origin refuses to start, and says why."""
import subprocess

import pytest

from harness.servers import BIN, ROOT, Assistant, free_port, model_path


@pytest.mark.servers
def test_rasa_refuses_a_wildcard_origin_at_start_up(tmp_path):
    env = Assistant(tmp_path).env()
    run = subprocess.run([str(BIN / "rasa"), "run", "--model", model_path(), "--credentials", "credentials.yml",
                          "--interface", "127.0.0.1", "--port", str(free_port()), "--cors", "https://*.example.org"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
    assert run.returncode != 0
    assert "Refusing to start: the CORS origin 'https://*.example.org'" in run.stdout + run.stderr
