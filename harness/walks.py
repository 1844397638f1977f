"""A walk through the default trial's questions over REST, answered as a family of an eligible child would."""
from __future__ import annotations

from typing import Any, Dict, List, Optional

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
