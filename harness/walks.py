"""Walks through a trial's questions over REST, answered as the family of an eligible child would."""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Union

from conversation.parsing import NotUnderstood, parse_yes_no
from eligibility import load_trial

# A fully eligible 10-year-old boy (the servers' day is 2026-09-07).
ELIGIBLE_WALK = {
    "chatting_as": "parent", "date_of_birth": "20/04/2016", "sex": "boy",
    "diagnosis": "b_precursor_all", "relapsed_or_refractory": "yes", "prior_blinatumomab": "no",
    "marrow_blasts_percent": "45", "performance_score": "80", "blood_tests_ok": "yes", "testicular_leukaemia": "no",
    "cns_leukaemia": "no", "cns_autoimmune_disease": "no", "last_stem_cell_transplant": "never",
    "last_chemotherapy": "1 July 2026", "chemo_side_effects": "none", "last_radiotherapy": "never",
    "last_immunotherapy": "never", "last_experimental_treatment": "never", "hypersensitivity": "no",
    "other_cancer": "no", "serious_condition": "no", "hiv_hepatitis": "no",
    "confirm": "yes",  # a say-back: the walk's answers are meant
}
# A girl of 3 with ALL and no treatment yet: likely eligible for UKALL 2011.
UKALL_GIRL = {
    "chatting_as": "parent", "date_of_birth": "9/2/2023", "diagnosis": "all",
    "mature_b_all": "no", "philadelphia_positive": "no", "previous_treatment": "none", "confirm": "yes",
}


def marker(reply: List[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    """The reply's question marker (contract section 5), if it waits for an answer."""
    marks = [m["custom"]["question"] for m in reply if isinstance(m.get("custom"), dict) and "question" in m["custom"]]
    assert len(marks) <= 1, reply
    return marks[0] if marks else None


def question(reply: List[Dict[str, Any]]) -> Optional[str]:
    found = marker(reply)
    return found["slot"] if found else None


def says_no(text: str) -> bool:
    try:
        return parse_yes_no(text) is False
    except NotUnderstood:
        return False


def reply_to(asked: Union[None, str, Dict[str, Any]], answers: Dict[str, str]) -> str:
    """What the family says to a question marker: its answer, or for a checklist the lines of
    the items whose answers are not a no (a date item ticked is then asked for its date)."""
    if isinstance(asked, str):  # a slot alone: the checklist as the trial file has it
        group = load_trial().checklist(asked)
        asked = {"slot": asked, "kind": "checklist", "choices": [group.none],
                 "items": [{"slot": k, "label": load_trial().question(k).item} for k in group.items]} if group else {"slot": asked}
    slot = asked["slot"] if asked else None
    if slot in answers or not asked or asked.get("kind") != "checklist":
        return answers[slot]
    ticked = [item["label"] for item in asked["items"] if item["slot"] in answers and not says_no(answers[item["slot"]])]
    return "; ".join(ticked) or asked["choices"][0]


def decision(reply: List[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    found = [m["custom"]["eligibility"] for m in reply if isinstance(m.get("custom"), dict) and "eligibility" in m["custom"]]
    return found[0] if found else None


def walk(say, sender: str, steps: int, answers: Dict[str, str] = ELIGIBLE_WALK, trial: Optional[str] = None) -> str:
    """Say hi (for `trial`, if given), then answer `steps` questions; the question pending at the end."""
    pending = marker(say(sender, "hi", **({"metadata": {"trial": trial}} if trial else {})))
    for _ in range(steps):
        pending = marker(say(sender, reply_to(pending, answers)))
    return pending["slot"] if pending else None


def finish(say, sender: str, pending: Union[None, str, Dict[str, Any]],
           answers: Dict[str, str] = ELIGIBLE_WALK) -> Dict[str, Any]:
    """Answer until the decision; the decision payload."""
    for _ in range(40):
        reply = say(sender, reply_to(pending, answers))
        found = decision(reply)
        if found:
            return found
        pending = marker(reply)
    raise AssertionError("no decision")


def hand_off(say, sender: str, answers: Dict[str, str] = ELIGIBLE_WALK) -> str:
    """A conversation over REST to its decision and a hand-off ("yes please" to the nurse): the reference."""
    pending = walk(say, sender, 0, answers)
    finish(say, sender, pending, answers)
    reply = say(sender, "yes please")
    handoff = next(m["custom"]["handoff"] for m in reply if isinstance(m.get("custom"), dict) and "handoff" in m["custom"])
    assert "the nurse can see the answers you gave" in " ".join(m.get("text") or "" for m in reply)
    return handoff["reference"]
