"""Shared by the reliability tests: a walk through the questions and reading the tracker store."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any, Dict, List

from eligibility import check_answers, load_trial
from harness.servers import TEST_TODAY
from harness.walks import ELIGIBLE_WALK, UKALL_GIRL, decision, finish, marker, question, reply_to, walk  # noqa: F401 - shared with the tests

import datetime as dt

def sqlite_events(db: Path, sender: str) -> List[Dict[str, Any]]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT data FROM events WHERE sender_id = ? ORDER BY id", (sender,)).fetchall()
    return [json.loads(r[0]) for r in rows]


def slots_from(events: List[Dict[str, Any]]) -> Dict[str, Any]:
    slots: Dict[str, Any] = {}
    for e in events:
        if e["event"] == "slot":
            slots[e["name"]] = e["value"]
        elif e["event"] in ("reset_slots", "restart"):
            slots = {}
    return slots


def answers_in(slots: Dict[str, Any]) -> Dict[str, Any]:
    """The conversation's answers, as its slot `answers` holds them."""
    return dict(slots.get("answers") or {})


def valid(answers: Dict[str, Any]) -> bool:
    check_answers(load_trial(), answers, dt.date.fromisoformat(TEST_TODAY))
    return True
