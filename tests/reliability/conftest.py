"""Each reliability module gets its own running assistant (it may kill or stop it)."""
import pytest

from harness.servers import Assistant


@pytest.fixture(scope="module")
def assistant(request, tmp_path_factory):
    """Action server + Rasa on a fresh SQLite store, for this module only."""
    running = Assistant(tmp_path_factory.mktemp(request.module.__name__.rsplit(".", 1)[-1])).start()
    yield running
    running.stop()
