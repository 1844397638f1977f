"""Simulated families over REST: how often the chat reaches the engine's decision, and how fast.

Each family is a generated truth (every answer key of the trial, in the contract's
values) plus one or two phrasings per answer. The expected result is what the
engine decides when asked the questions in its own order (`next_question`) and
given the truth: that also gives the number of questions that applied. The
family is driven by the question markers: it answers the pending slot, first in
a phrasing variant and, if the same question comes back, in its plain form.
Half of the families accept the hand-off offer.
"""
from __future__ import annotations

import datetime as dt
import random
import re
import statistics
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Tuple

from conversation.checklist import items_to_ask
from eligibility import evaluate, load_trial, next_question
from eligibility.engine import age_on

TODAY = dt.date(2026, 9, 7)  # the servers' pinned day (ASSISTANT_TODAY in harness/servers.py)
MAX_TURNS = 60
UNKNOWN = "unknown"

SCENARIOS = [
    "eligible", "eligible", "eligible_transplant", "eligible_teen", "eligible",
    "not_yet_chemo", "not_yet_radiotherapy", "not_yet_immunotherapy",
    "unsure_blood", "unsure_low_dose", "unsure_blasts",
    "too_old", "other_leukaemia", "blasts_low", "had_blinatumomab", "cns_active", "acute_gvhd", "low_performance",
]


@dataclass
class Family:
    ident: int
    scenario: str
    who: str
    sex: str
    truth: Dict[str, Any]
    says: Dict[str, List[str]]      # slot -> phrasings, first tried first
    plain: Dict[str, str]           # slot -> the plain form used when a question comes back
    accept_handoff: bool
    expected: Dict[str, Any] = field(default_factory=dict)
    questions_applied: int = 0


def _fmt_date(day: dt.date, rng: random.Random) -> List[str]:
    ago = (TODAY - day).days
    out = [f"{day.day} {day:%B %Y}", f"{day:%d/%m/%Y}"]
    if 1 < ago <= 20:
        out.append(f"{ago} days ago")
    if ago % 7 == 0 and 0 < ago <= 56:
        out.append(f"{ago // 7} weeks ago")
    rng.shuffle(out)
    return out


def _days_ago(n: int) -> str:
    return (TODAY - dt.timedelta(days=n)).isoformat()


def make_family(ident: int, seed: int = 205) -> Family:
    rng = random.Random(seed * 1000 + ident)
    scenario = SCENARIOS[ident % len(SCENARIOS)]
    sex = rng.choice(["male", "female"])
    if scenario == "too_old":
        age = rng.choice([18, 19])
    elif scenario == "eligible_teen":
        age = rng.randint(12, 17)
    else:
        age = rng.randint(2, 17)
    who = "young_person" if age >= 13 and rng.random() < 0.4 else "parent"
    use_dob = rng.random() < 0.4
    born = TODAY - dt.timedelta(days=int(age * 365.25) + rng.randint(10, 300))
    if age_on(born, TODAY) != age:
        born = TODAY.replace(year=TODAY.year - age) - dt.timedelta(days=30)
    teen = age >= 12

    truth: Dict[str, Any] = {
        "sex": sex, "diagnosis": "b_precursor_all", "relapsed_or_refractory": True, "prior_blinatumomab": False,
        "marrow_blasts_percent": rng.choice([30, 45, 60, 72, 85, 90]),
        "performance_score": rng.choice([60, 70, 80, 90, 100]), "blood_tests_ok": True,
        "testicular_leukaemia": False, "pregnant_or_breastfeeding": False,
        "sexually_active": rng.choice([True, False]) if teen else False, "will_use_contraception": True,
        "cns_leukaemia": rng.choice(["none", "none", "treated_no_symptoms"]), "cns_autoimmune_disease": False,
        "last_stem_cell_transplant": "never", "gvhd": "none", "last_gvhd_medication": "never",
        "last_chemotherapy": _days_ago(rng.randint(21, 120)), "last_chemotherapy_low_dose": False,
        "chemo_side_effects": rng.choice(["none", "mild"]),
        "last_radiotherapy": rng.choice(["never", "never", _days_ago(rng.randint(30, 200))]),
        "last_immunotherapy": rng.choice(["never", "never", _days_ago(rng.randint(50, 200))]),
        "last_experimental_treatment": "never", "hypersensitivity": False, "other_cancer": False,
        "serious_condition": False, "hiv_hepatitis": False,
    }
    if use_dob:
        truth["date_of_birth"] = born.isoformat()
    else:
        truth["age_years"] = age

    if scenario == "eligible_transplant" or (scenario == "acute_gvhd"):
        truth["last_stem_cell_transplant"] = _days_ago(rng.randint(120, 400))
        truth["gvhd"] = "acute" if scenario == "acute_gvhd" else rng.choice(["none", "chronic_limited"])
        truth["last_gvhd_medication"] = rng.choice(["never", _days_ago(rng.randint(20, 90))])
    elif scenario == "not_yet_chemo":
        truth["last_chemotherapy"] = _days_ago(rng.randint(3, 13))
    elif scenario == "unsure_low_dose":
        truth["last_chemotherapy"] = _days_ago(rng.randint(3, 13))
        truth["last_chemotherapy_low_dose"] = True
    elif scenario == "not_yet_radiotherapy":
        truth["last_radiotherapy"] = _days_ago(rng.randint(2, 13))
    elif scenario == "not_yet_immunotherapy":
        truth["last_immunotherapy"] = _days_ago(rng.randint(10, 40))
    elif scenario == "unsure_blood":
        truth["blood_tests_ok"] = UNKNOWN
    elif scenario == "unsure_blasts":
        truth["marrow_blasts_percent"] = UNKNOWN
    elif scenario == "other_leukaemia":
        truth["diagnosis"] = "other"
    elif scenario == "blasts_low":
        truth["marrow_blasts_percent"] = rng.choice([10, 20, 25])
    elif scenario == "had_blinatumomab":
        truth["prior_blinatumomab"] = True
    elif scenario == "cns_active":
        truth["cns_leukaemia"] = "active"
    elif scenario == "low_performance":
        truth["performance_score"] = rng.choice([30, 40])

    says, plain = phrasings(truth, sex, who, age, rng)
    fam = Family(ident, scenario, who, sex, truth, says, plain, accept_handoff=ident % 2 == 0)
    # "I'm her mum" says the child's sex too: the chat keeps it, so the engine starts from it.
    told = {"sex": sex} if re.search(r"\b(?:his|her)\b", says["chatting_as"][0]) else {}
    fam.expected, fam.questions_applied = expected_result(truth, told)
    return fam


def expected_result(truth: Dict[str, Any], told: Dict[str, Any]) -> Tuple[Dict[str, Any], int]:
    """The engine's decision when it asks its own questions in order, starting from what the
    family said in passing (`told`), and how many it asked."""
    trial = load_trial()
    answers: Dict[str, Any] = dict(told)
    groups: set = set()
    asked = 0
    for _ in range(60):
        key = next_question(answers, TODAY, trial)
        if key is None:
            break
        group = trial.checklist_of(key)
        if key == "date_of_birth":
            age_key = "date_of_birth" if "date_of_birth" in truth else "age_years"
            answers[age_key] = truth[age_key]
        elif group and group.slot not in groups and len(items_to_ask(trial, group, answers, TODAY)) > 1:
            # The chat asks the checklist's items that could matter together, in its place.
            answers.update({k: truth[k] for k in items_to_ask(trial, group, answers, TODAY)})
            groups.add(group.slot)
        else:
            answers[key] = truth[key]
        asked += 1
    return evaluate(answers, TODAY, trial).as_json(), asked


def phrasings(truth: Dict[str, Any], sex: str, who: str, age: int, rng: random.Random):
    """slot -> phrasings (one or two variants; the first is said), and slot -> the plain form."""
    he = ("he" if sex == "male" else "she") if who == "parent" else "i"
    has = "has" if he != "i" else "have"
    hasnt = "hasn't" if he != "i" else "haven't"
    says: Dict[str, List[str]] = {}
    plain: Dict[str, str] = {}

    def pick(options: List[str], n: int = 2) -> List[str]:
        opts = list(dict.fromkeys(options))
        rng.shuffle(opts)
        return opts[:n]

    # Who is chatting (the chat's own question).
    if who == "parent":
        says["chatting_as"] = pick(["parent", "I'm " + ("his" if sex == "male" else "her") + " mum",
                                    "I'm " + ("his" if sex == "male" else "her") + " dad", "a parent"], 1)
        plain["chatting_as"] = "parent"
    else:
        says["chatting_as"] = pick(["me", "the young person", "it's me, I'm the patient"], 1)
        plain["chatting_as"] = "young_person"

    # Age or date of birth.
    if "date_of_birth" in truth:
        born = dt.date.fromisoformat(truth["date_of_birth"])
        says["date_of_birth"] = pick([f"{born:%d/%m/%Y}", f"{born.day} {born:%B %Y}", f"born on {born.day} {born:%B %Y}"])
        plain["date_of_birth"] = born.isoformat()
    else:
        says["date_of_birth"] = pick(
            [str(age), f"{age} years old"] + ([f"{he}'s {age}"] if he != "i" else [f"I'm {age}"]))
        plain["date_of_birth"] = str(age)

    def yes_no(value: Any) -> Tuple[List[str], str]:
        if value == UNKNOWN:
            return pick(["I don't know", "not sure", "I'd have to ask the doctor"]), "I don't know"
        if value:
            return pick(["yes", "yep", "yeah", f"yes {he} {has}"]), "yes"
        return pick(["no", "nope", "nah", f"no {he} {hasnt}"]), "no"

    for key in ["relapsed_or_refractory", "prior_blinatumomab", "blood_tests_ok", "testicular_leukaemia",
                "pregnant_or_breastfeeding", "sexually_active", "will_use_contraception", "cns_autoimmune_disease",
                "last_chemotherapy_low_dose", "hypersensitivity", "other_cancer", "serious_condition", "hiv_hepatitis"]:
        says[key], plain[key] = yes_no(truth[key])

    says["sex"] = pick({"male": ["boy", "a boy", "male"] + (["he's a boy"] if who == "parent" else []),
                        "female": ["girl", "a girl", "female"] + (["she's a girl"] if who == "parent" else [])}[sex])
    plain["sex"] = sex
    says["diagnosis"] = pick({"b_precursor_all": ["b_precursor_all", "B-cell ALL", "pre-B ALL", "precursor B cell ALL"],
                              "other": ["T-cell ALL", "AML", "another type"]}[truth["diagnosis"]])
    plain["diagnosis"] = truth["diagnosis"]

    blasts = truth["marrow_blasts_percent"]
    if blasts == UNKNOWN:
        says["marrow_blasts_percent"], plain["marrow_blasts_percent"] = pick(["not sure", "I don't know"]), "I don't know"
    else:
        says["marrow_blasts_percent"] = pick([f"{blasts}", f"{blasts}%", f"about {blasts} percent"])
        plain["marrow_blasts_percent"] = str(blasts)

    score = truth["performance_score"]
    trial = load_trial()
    scale = trial.performance_scales["lansky" if age < 16 else "karnofsky"]
    # The scales offer one level below 50: a lower score is described by it.
    text = max((lv for lv in scale.levels if lv.score <= score), key=lambda lv: lv.score, default=scale.levels[-1]).text
    says["performance_score"] = pick([str(score), text, f"about {score}"])
    plain["performance_score"] = str(score)

    says["cns_leukaemia"] = pick({"none": ["no", "none", f"no {he} {hasnt}"],
                                  "treated_no_symptoms": ["yes but it was treated and caused no symptoms",
                                                          "it was treated and caused no symptoms"],
                                  "active": ["yes, it's there now", "active"]}[truth["cns_leukaemia"]])
    plain["cns_leukaemia"] = truth["cns_leukaemia"]
    says["gvhd"] = pick({"none": ["no", "none"], "acute": ["acute", "acute gvhd"],
                         "chronic_limited": ["chronic, limited", "limited"]}[truth["gvhd"]])
    plain["gvhd"] = truth["gvhd"]
    says["chemo_side_effects"] = pick({"none": ["none", "no"], "mild": ["only mild ones", "mild"]}[truth["chemo_side_effects"]])
    plain["chemo_side_effects"] = truth["chemo_side_effects"]

    for key in ["last_stem_cell_transplant", "last_gvhd_medication", "last_chemotherapy", "last_radiotherapy",
                "last_immunotherapy", "last_experimental_treatment"]:
        value = truth[key]
        if value == "never":
            says[key] = pick(["never", "no, never", f"no {he} {hasnt}"])
            plain[key] = "never"
        else:
            says[key] = _fmt_date(dt.date.fromisoformat(value), rng)[:2]
            plain[key] = value
    return says, plain


# --- driving one family over REST ---------------------------------------------------------------

def _question(reply: List[Dict[str, Any]]) -> Optional[str]:
    marks = [m["custom"]["question"]["slot"] for m in reply
             if isinstance(m.get("custom"), dict) and "question" in m["custom"]]
    return marks[0] if marks else None


def _marker(reply: List[Dict[str, Any]]) -> Dict[str, Any]:
    return next(m["custom"]["question"] for m in reply if isinstance(m.get("custom"), dict) and "question" in m["custom"])


def _checklist_reply(fam: "Family", marker: Dict[str, Any]) -> str:
    """A family's reply to a checklist: "not sure" if any item is unknown to them, else the
    lines of the items that apply (a date item: ever had), else the first choice (none)."""
    said = [fam.truth.get(item["slot"], UNKNOWN) for item in marker["items"]]
    if UNKNOWN in said:
        return "not sure"
    ticked = [item["label"] for item, value in zip(marker["items"], said) if value not in (False, "never")]
    return "; ".join(ticked) or marker["choices"][0]


def _custom(reply: List[Dict[str, Any]], key: str) -> Optional[Any]:
    found = [m["custom"][key] for m in reply if isinstance(m.get("custom"), dict) and key in m["custom"]]
    return found[0] if found else None


def run_family(say: Callable[[str, str], List[Dict[str, Any]]], fam: Family) -> Dict[str, Any]:
    """Drive one family to a decision and through the hand-off offer; what happened."""
    sender = f"family-{fam.ident}-{uuid.uuid4().hex[:8]}"
    out: Dict[str, Any] = {"id": fam.ident, "scenario": fam.scenario, "who": fam.who,
                           "expected": fam.expected["outcome"], "questions_applied": fam.questions_applied,
                           "accept_handoff": fam.accept_handoff, "decision": None, "turns_to_decision": None,
                           "handoff_offered": False, "handoff_given": False, "reasks": 0, "plain_fallbacks": 0,
                           "unexpected_questions": [], "error": None}
    turns = 0
    tries: Dict[str, int] = {}
    try:
        turns += 1
        reply = say(sender, "hi")
        decision = None
        while turns < MAX_TURNS:
            found = _custom(reply, "eligibility")
            if found and decision is None:
                decision = found
                out["decision"] = {k: found.get(k) for k in ("outcome", "failed", "unknown", "eligible_from")}
                out["turns_to_decision"] = turns
            if _custom(reply, "handoff"):
                out["handoff_given"] = True
            pending = _question(reply)
            if pending is None:
                break
            if pending == "offer_handoff":
                out["handoff_offered"] = True
                turns += 1
                reply = say(sender, ("yes please" if fam.ident % 4 == 0 else "yes") if fam.accept_handoff
                            else ("no thanks" if fam.ident % 4 == 1 else "no thank you"))
                if _custom(reply, "handoff"):
                    out["handoff_given"] = True
                break
            n = tries.get(pending, 0)
            tries[pending] = n + 1
            if n:
                out["reasks"] += 1
            marker = _marker(reply)
            if pending == "confirm" and n < 3:
                text = "yes"  # a say-back: the family's answers are meant
            elif marker.get("kind") == "checklist" and n < 3:
                text = _checklist_reply(fam, marker)
            elif pending not in fam.plain:
                out["unexpected_questions"].append(pending)
                text = "I don't know"
            elif n == 0:
                text = fam.says[pending][0]
            elif n < 3:
                text = fam.plain[pending]
                out["plain_fallbacks"] += 1
            else:
                out["error"] = f"stuck on {pending}"
                break
            turns += 1
            reply = say(sender, text)
    except Exception as err:  # noqa: BLE001 - recorded per family
        out["error"] = f"{type(err).__name__}: {err}"[:200]
    out["turns"] = turns
    exp = fam.expected
    out["expected_payload"] = {k: exp.get(k) for k in ("outcome", "failed", "unknown", "eligible_from")}
    out["outcome_correct"] = bool(out["decision"]) and out["decision"]["outcome"] == exp["outcome"]
    out["payload_correct"] = bool(out["decision"]) and out["decision"] == out["expected_payload"]
    return out


def run_all(say: Callable[[str, str], List[Dict[str, Any]]], count: int, threads: int, time_limit: float) -> Dict[str, Any]:
    families = [make_family(i) for i in range(count)]
    results: List[Dict[str, Any]] = []
    lock = threading.Lock()
    queue = list(families)
    deadline = time.perf_counter() + time_limit

    def worker() -> None:
        while True:
            with lock:
                if not queue or time.perf_counter() > deadline:
                    return
                fam = queue.pop(0)
            res = run_family(say, fam)
            with lock:
                results.append(res)

    pool = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
    t0 = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join(timeout=time_limit + 120)
    results.sort(key=lambda r: r["id"])
    return {"families": count, "wall_s": round(time.perf_counter() - t0, 1), **metrics(results), "runs": results}


def metrics(results: List[Dict[str, Any]]) -> Dict[str, Any]:
    n = len(results) or 1
    done = [r for r in results if r["decision"]]
    eligible = [r for r in done if r["expected"] == "likely_eligible" and r["decision"]["outcome"] == "likely_eligible"]
    accepted = [r for r in results if r["accept_handoff"]]
    declined = [r for r in results if not r["accept_handoff"]]
    by_outcome: Dict[str, int] = {}
    for r in results:
        by_outcome[r["expected"]] = by_outcome.get(r["expected"], 0) + 1
    return {
        "run": len(results),
        "expected_outcomes": by_outcome,
        "completion_rate": round(len(done) / n, 3),
        "correct_outcome_rate": round(sum(r["outcome_correct"] for r in results) / n, 3),
        "exact_payload_rate": round(sum(r["payload_correct"] for r in results) / n, 3),
        "median_user_turns_to_decision": statistics.median([r["turns_to_decision"] for r in done]) if done else None,
        "handoff_offer_rate": round(sum(r["handoff_offered"] for r in results) / n, 3),
        "handoff_rate": round(sum(r["handoff_given"] for r in results) / n, 3),
        "handoff_given_when_accepted": round(sum(r["handoff_given"] for r in accepted) / len(accepted), 3) if accepted else None,
        "handoff_given_when_declined": sum(r["handoff_given"] for r in declined),
        "reasks": sum(r["reasks"] for r in results),
        "families_with_reasks": sum(1 for r in results if r["reasks"]),
        "errors": [f"{r['id']}: {r['error']}" for r in results if r["error"]],
        "wrong": [f"{r['id']} {r['scenario']}: expected {r['expected_payload']}, got {r['decision']}"
                  for r in results if not r["payload_correct"]],
        "eligible": {
            "families": len(eligible),
            "median_turns": statistics.median([r["turns_to_decision"] for r in eligible]) if eligible else None,
            "median_questions_applied": statistics.median([r["questions_applied"] for r in eligible]) if eligible else None,
            "median_excess_over_questions_plus_3": statistics.median(
                [r["turns_to_decision"] - (r["questions_applied"] + 3) for r in eligible]) if eligible else None,
            "within_questions_plus_3": sum(r["turns_to_decision"] <= r["questions_applied"] + 3 for r in eligible),
            "pairs": [[r["questions_applied"], r["turns_to_decision"]] for r in eligible],
        },
    }
