"""One live assistant (action server + Rasa, SQLite store) for all scripted conversations."""
import pytest

from harness.servers import Assistant


@pytest.fixture(scope="session")
def assistant(tmp_path_factory):
    """The running servers; stopped when the session ends."""
    running = Assistant(tmp_path_factory.mktemp("assistant")).start()
    yield running
    running.stop()


@pytest.fixture(scope="session")
def ukall_assistant(tmp_path_factory):
    """The same servers running the second trial from its file alone (TRIAL_FILE)."""
    running = Assistant(tmp_path_factory.mktemp("ukall"), today="2026-05-20",
                        trial_file="trials/ukall_2011.yml").start()
    yield running
    running.stop()
