"""Answers shared by the engine's tests: a fully eligible 10-year-old boy."""
import datetime as dt
import json
from pathlib import Path
from typing import Any, Dict

import pytest

DATA = Path(__file__).resolve().parent.parent / "data"
TODAY = dt.date(2026, 9, 7)

ELIGIBLE: Dict[str, Any] = json.loads((DATA / "engine-examples.json").read_text())[0]["answers"]


@pytest.fixture
def eligible() -> Dict[str, Any]:
    """A fresh copy of the fully eligible child's answers, safe to change."""
    return dict(ELIGIBLE)
