"""Shared by the reliability tests: a walk through the questions and reading the tracker store."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any, Dict, List, Optional

from eligibility import check_answers, load_trial
from tests.servers import TEST_TODAY

import datetime as dt

# A fully eligible 10-year-old boy (the servers' day is 2026-09-07).
ELIGIBLE_WALK = {
    "continue_closed": "yes", "chatting_as": "parent", "date_of_birth": "20/04/2016", "sex": "boy",
    "diagnosis": "b_precursor_all", "relapsed_or_refractory": "yes", "prior_blinatumomab": "no",
    "marrow_blasts_percent": "45", "performance_score": "80", "blood_tests_ok": "yes", "testicular_leukaemia": "no",
    "cns_leukaemia": "no", "cns_autoimmune_disease": "no", "last_stem_cell_transplant": "never",
    "last_chemotherapy": "1 July 2026", "chemo_side_effects": "none", "last_radiotherapy": "never",
    "last_immunotherapy": "never", "last_experimental_treatment": "never", "hypersensitivity": "no",
    "other_cancer": "no", "serious_condition": "no", "hiv_hepatitis": "no", "review": "yes",
    "confirm": "yes",  # a say-back: the walk's answers are meant
}


def question(reply: List[Dict[str, Any]]) -> Optional[str]:
    marks = [m["custom"]["question"]["slot"] for m in reply if isinstance(m.get("custom"), dict) and "question" in m["custom"]]
    assert len(marks) <= 1, reply
    return marks[0] if marks else None


def decision(reply: List[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    found = [m["custom"]["eligibility"] for m in reply if isinstance(m.get("custom"), dict) and "eligibility" in m["custom"]]
    return found[0] if found else None


def walk(say, sender: str, steps: int, answers: Dict[str, str] = ELIGIBLE_WALK) -> str:
    """Say hi, then answer `steps` questions; the question pending at the end."""
    pending = question(say(sender, "hi"))
    for _ in range(steps):
        pending = question(say(sender, answers[pending]))
    return pending


def finish(say, sender: str, pending: Optional[str], answers: Dict[str, str] = ELIGIBLE_WALK) -> Dict[str, Any]:
    """Answer until the decision; the decision payload."""
    for _ in range(40):
        reply = say(sender, answers[pending])
        found = decision(reply)
        if found:
            return found
        pending = question(reply)
    raise AssertionError("no decision")


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
    trial = load_trial()
    return {k: v for k, v in slots.items() if k in trial.answers and v is not None}


def valid(answers: Dict[str, Any]) -> bool:
    check_answers(load_trial(), answers, dt.date.fromisoformat(TEST_TODAY))
    return True
