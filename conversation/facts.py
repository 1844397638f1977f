"""Several facts in one message: "she's 9, it's B-cell ALL and it came back in March".

The message is split into clauses; a clause that names a topic (transplant,
chemo, blasts...) is read with that topic's parser. Conservative on purpose: a
fact is only taken when the clause says it plainly, and each one is checked by
the engine as if it had been asked.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Dict, List, Optional, Tuple

from eligibility import Trial, load_trial

from .parsing import NotUnderstood, negated, clean, parse_choice, parse_date, words_to_digits
from .questions import choice_words

DATE_TOPICS: List[Tuple[str, str]] = [
    ("last_stem_cell_transplant", r"transplant|bmt|\bsct\b|stem cells?"),
    ("last_chemotherapy", r"chemo\w*"),
    ("last_radiotherapy", r"radiotherapy|radiation|radio\b|irradiation|tbi\b"),
    ("last_immunotherapy", r"immunotherapy|monoclonal|antibody|rituximab|inotuzumab|car[\s-]?t\b"),
    ("last_experimental_treatment", r"experimental|trial drug|another trial|other trial|clinical trial"),
    ("last_gvhd_medication", r"gvhd (?:medicine|medication|drugs?|tablets?)|immunosuppress\w*|ciclosporin|tacrolimus|steroids? for gvhd"),
]

AGE_FACT = re.compile(r"\b(?:(?:he|she|they)(?:'s| is| are)|(?:is|aged?|turned|just turned))\s+(\d{1,3})\b(?!\s*(?:%|percent|per cent|days?|weeks?|months?))"
                      r"|\b(\d{1,3})\s*(?:years?|yrs?)(?:\s*old)?\b|\b(\d{1,3})\s*(?:yo|y/o)\b")
RELAPSE = re.compile(r"\b(came back|come back|coming back|relaps\w*|returned|back again|didn'?t respond|did not respond|"
                     r"not respond\w*|stopped working|refractory|isn'?t working|not working|resistant)\b")
NO_RELAPSE = re.compile(r"\b(hasn'?t (?:come back|relapsed)|has not (?:come back|relapsed)|not relapsed|first diagnosis|newly diagnosed)\b")
BLASTS = re.compile(r"(\d+(?:\.\d+)?)\s*(?:%|percent|per cent)\s*(?:of\s+)?(?:blasts?|immature)|blasts?\D{0,20}?(\d+(?:\.\d+)?)\s*(?:%|percent|per cent)")
BLINA = re.compile(r"blinatumomab|blinat\w*|blincyto|mt103|blina\b")
RELATION = {"male": re.compile(r"\b(my son|my boy|our son|our boy|my lad|he|he's|his|him)\b"),
            "female": re.compile(r"\b(my daughter|my girl|our daughter|our girl|she|she's|her)\b")}


def clauses(text: str) -> List[str]:
    return [c.strip() for c in re.split(r"[,;.!?]|\band\b|\bbut\b|\balso\b|\bthen\b", text) if c.strip()]


def extract_facts(text: str, today: dt.date, trial: Optional[Trial] = None) -> Dict[str, Any]:
    """Answer keys stated plainly in free text, with values the engine accepts."""
    t = clean(text)
    digits = words_to_digits(t)
    facts: Dict[str, Any] = {}

    age = AGE_FACT.search(digits)
    if age:
        years = int(next(g for g in age.groups() if g))
        if years <= 120:
            facts["age_years"] = years

    sexes = [sex for sex, pattern in RELATION.items() if pattern.search(t)]
    if len(sexes) == 1:
        facts["sex"] = sexes[0]

    try:
        facts["diagnosis"] = parse_choice(t, choices=choice_words(trial or load_trial(), "diagnosis")) if re.search(r"\ball\b|leuka?emia|lymphoblastic|aml|t[\s-]?cell|b[\s-]?cell", t) else None
    except NotUnderstood:
        pass
    if facts.get("diagnosis") in (None, "unknown"):
        facts.pop("diagnosis", None)

    relapse = RELAPSE.search(t)
    if NO_RELAPSE.search(t) or (relapse and negated(t, relapse.start())):
        facts["relapsed_or_refractory"] = False
    elif relapse:
        facts["relapsed_or_refractory"] = True

    blasts = BLASTS.search(digits)
    if blasts:
        value = float(next(g for g in blasts.groups() if g))
        if 0 <= value <= 100:
            facts["marrow_blasts_percent"] = int(value) if value == int(value) else value

    if BLINA.search(t):
        if re.search(r"\b(never|not|no|hasn'?t|haven'?t|didn'?t)\b", t):
            facts["prior_blinatumomab"] = False
        elif re.search(r"\b(had|has had|was given|got|received|on)\b", t):
            facts["prior_blinatumomab"] = True

    for clause in clauses(t):
        for key, topic in DATE_TOPICS:
            if key in facts or not re.search(topic, clause):
                continue
            if key == "last_chemotherapy" and re.search(r"intrathecal|into (?:the|his|her) spine|lumbar", clause):
                continue  # intrathecal chemotherapy does not count
            if not re.search(r"\d|ago|never|no |not |hasn'?t|haven'?t|yesterday|today|last|week|month|"
                             r"january|february|march|april|may|june|july|august|september|october|november|december", clause):
                continue
            try:
                facts[key] = parse_date(re.sub(topic, " ", clause), today, never=True)
            except NotUnderstood:
                pass
            if facts.get(key) == "unknown":
                facts.pop(key)
    return facts


# Words that name a question, for "change the chemo date" at the review.
TOPICS: Dict[str, str] = {
    "date_of_birth": r"\bage\b|birth|born|how old",
    "sex": r"\bsex\b|gender|boy or girl",
    "diagnosis": r"type of leuka?emia|diagnosis|\btype\b",
    "relapsed_or_refractory": r"relapse|came back|respond",
    "prior_blinatumomab": r"blina|blincyto|mt103",
    "marrow_blasts_percent": r"blast|marrow",
    "performance_score": r"active|activity|lansky|karnofsky|performance",
    "blood_tests_ok": r"blood test",
    "testicular_leukaemia": r"testic",
    "pregnant_or_breastfeeding": r"pregnan|breastfeed",
    "sexually_active": r"sexually",
    "will_use_contraception": r"contracep",
    "cns_leukaemia": r"brain|spinal|\bcns\b",
    "cns_autoimmune_disease": r"autoimmune",
    "gvhd": r"\bgvhd\b|graft",
    "last_gvhd_medication": r"gvhd med|immunosuppress",
    **{key: pattern for key, pattern in DATE_TOPICS if key != "last_gvhd_medication"},
    "last_chemotherapy_low_dose": r"low dose|maintenance",
    "chemo_side_effects": r"side effect",
    "hypersensitivity": r"react|allerg|sensitiv",
    "other_cancer": r"other cancer|another cancer",
    "serious_condition": r"serious|condition",
    "hiv_hepatitis": r"\bhiv\b|hepatitis",
}


def topic_keys(text: str) -> List[str]:
    """The questions a message names, e.g. ["last_chemotherapy"] for "change the chemo date"."""
    t = clean(text)
    return [key for key, pattern in TOPICS.items() if re.search(pattern, t)]
