"""How long conversations and their hand-off records are kept: RETENTION_DAYS (default 30)."""
from __future__ import annotations

import os
import time
from typing import Optional

DEFAULT_RETENTION_DAYS = 30


def retention_days(value: Optional[str] = None) -> int:
    """RETENTION_DAYS as a whole number of days, at least 1; anything else stops start-up with a clear message."""
    raw = os.environ.get("RETENTION_DAYS", "") if value is None else value
    if raw.strip() == "":
        return DEFAULT_RETENTION_DAYS
    try:
        days = int(raw)
    except ValueError:
        days = 0
    if days < 1:
        raise SystemExit(f"RETENTION_DAYS must be a whole number of days, 1 or more (it is {raw!r}).")
    return days


def cutoff(days: int, now: Optional[float] = None) -> float:
    """The moment before which anything kept is past its time (seconds since the epoch)."""
    return (now if now is not None else time.time()) - days * 86400
