"""One live assistant (action server + Rasa, SQLite store) for all scripted conversations, of every trial."""
import pytest

from harness.servers import Assistant


@pytest.fixture(scope="session")
def assistant(tmp_path_factory):
    """The running servers; stopped when the session ends."""
    running = Assistant(tmp_path_factory.mktemp("assistant")).start()
    yield running
    running.stop()

