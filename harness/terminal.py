"""The nurse shell (`python -m shell`) in a pseudo-terminal, for the tests that drive it."""
from __future__ import annotations

import os
import sys
from io import StringIO
from pathlib import Path

import pexpect

from harness.servers import TEST_TODAY

ROOT = Path(__file__).resolve().parent.parent
PROMPT = "you> "


class Session:
    """`python -m shell` in a pseudo-terminal; `say` returns what one turn printed."""

    def __init__(self, url: str, *args: str):
        env = dict(os.environ, ASSISTANT_TODAY=TEST_TODAY, PYTHONPATH=str(ROOT), TERM="dumb")
        env.pop("RASA_TOKEN", None)
        self.log = StringIO()
        self.child = pexpect.spawn(sys.executable, ["-m", "shell", "--url", url, *args], cwd=str(ROOT), env=env,
                                   encoding="utf-8", timeout=90, dimensions=(60, 200))
        self.child.logfile_read = self.log
        self.banner = self._until_prompt()

    def _until_prompt(self) -> str:
        self.child.expect_exact(PROMPT)
        return self.child.before.replace("\r", "")

    def say(self, line: str) -> str:
        self.child.sendline(line)
        return self._until_prompt()

    def quit(self, line: str = "/quit") -> str:
        if line:
            self.child.sendline(line)
        else:
            self.child.sendeof()
        self.child.expect(pexpect.EOF)
        tail = self.child.before.replace("\r", "")
        self.child.close()
        assert self.child.exitstatus == 0, self.transcript
        assert "Traceback" not in self.transcript, self.transcript
        return tail

    @property
    def transcript(self) -> str:
        return self.log.getvalue().replace("\r", "")
