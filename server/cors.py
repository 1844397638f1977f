"""Refuse to start Rasa with a CORS origin that sanic-cors would read as a pattern.

Rasa turns on credentialed CORS for the origins given with `--cors`. sanic-cors 2.0.1 (held by
Rasa 3.6) treats an origin holding `*`, `?`, `\\` or `]` as an unanchored regular expression
(CVE-2026-37737, no fix released): "https://chat.example.org*" would also let
"https://chat.example.org.evil.test" read replies with the family's cookies. Only exact
origins are allowed; the check runs when Rasa loads this project's REST channel, so it holds
however Rasa is started (make run, the shell, compose, Helm).
"""
from __future__ import annotations

import sys
from typing import Iterable, List, Optional, Sequence
from urllib.parse import urlsplit

PATTERN_CHARACTERS = "*?\\]"


class UnsafeOrigin(SystemExit):
    """Raised at start-up; its message says which origin and why."""


def cors_origins(argv: Sequence[str]) -> List[str]:
    """The origins given to `rasa run --cors` (as `--cors A B` or `--cors=A`)."""
    out: List[str] = []
    taking = False
    for arg in argv:
        if arg.startswith("--cors="):
            out.append(arg.split("=", 1)[1])
            taking = False
        elif arg == "--cors":
            taking = True
        elif taking and not arg.startswith("-"):
            out.append(arg)
        else:
            taking = False
    return out


def problem(origin: str) -> Optional[str]:
    """Why an origin is refused, or None for an exact scheme://host[:port] origin."""
    if any(ch in origin for ch in PATTERN_CHARACTERS):
        return "holds a pattern character (* ? \\ ]), which sanic-cors would match as an unanchored pattern"
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/") or parts.query:
        return "is not an exact origin like https://chat.example.org"
    return None


def check(origins: Iterable[str]) -> None:
    for origin in origins:
        why = problem(origin)
        if why:
            raise UnsafeOrigin(f"Refusing to start: the CORS origin '{origin}' {why}. "
                               "Give the page's exact origin, e.g. --cors https://chat.example.org")


def check_command_line(argv: Optional[Sequence[str]] = None) -> None:
    argv = sys.argv if argv is None else argv
    if len(argv) > 1 and "run" in argv[1:3]:
        check(cors_origins(argv))
