"""CORS origins that sanic-cors 2.0.1 would read as unanchored patterns are refused at start-up."""
import pytest

from server.cors import UnsafeOrigin, check, check_command_line, cors_origins


@pytest.mark.parametrize("origin", [
    "https://chat.example.org*", "*", "https://*.example.org", "https://chat.example.org?", "https://chat\\.example.org",
    "https://[a-z]+.example.org]", "chat.example.org", "https://chat.example.org/path",
])
def test_pattern_like_or_inexact_origins_are_refused_with_a_clear_message(origin):
    with pytest.raises(UnsafeOrigin) as err:
        check([origin])
    assert "Refusing to start" in str(err.value) and origin in str(err.value)


@pytest.mark.parametrize("origin", ["https://chat.example.org", "http://127.0.0.1:8080", "https://chat.example.org/"])
def test_exact_origins_are_accepted(origin):
    check([origin])


def test_the_origins_are_read_from_rasas_command_line():
    argv = ["rasa", "run", "--model", "m", "--cors", "http://127.0.0.1:8080", "https://a.test", "--port", "5005"]
    assert cors_origins(argv) == ["http://127.0.0.1:8080", "https://a.test"]
    assert cors_origins(["rasa", "run", "--cors=https://x.test"]) == ["https://x.test"]
    with pytest.raises(UnsafeOrigin):
        check_command_line(["rasa", "run", "--cors", "*"])
    check_command_line(["rasa", "train"])  # other commands are not servers
