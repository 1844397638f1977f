"""Every text the assistant shows scores at least 60 on Flesch reading ease (plain English),
except the few listed here with a reason: each names a treatment, an infection or a rule
whose exact words a family needs to recognise from their child's care."""
from pathlib import Path

import pytest
import textstat
import yaml

from eligibility import load_trial
from eligibility.explain import CAVEAT, HEADLINES

ROOT = Path(__file__).resolve().parents[2]
MINIMUM = 60
MEDICAL_TERM = "names a treatment the family must recognise"
EXCEPTIONS = {
    "rule:immunotherapy_6w:parent": MEDICAL_TERM + " (immunotherapy, monoclonal antibody)",
    "rule:immunotherapy_6w:young_person": MEDICAL_TERM + " (immunotherapy, monoclonal antibody)",
    "ask:last_immunotherapy:parent": MEDICAL_TERM + " (immunotherapy, monoclonal antibody)",
    "ask:last_immunotherapy:young_person": MEDICAL_TERM + " (immunotherapy, monoclonal antibody)",
    "ask:sexually_active:young_person": "the standard words for the question; anything vaguer is misread",
    "rule:contraception:parent": "the trial's own condition on contraception, kept whole",
    "rule:contraception:young_person": "the trial's own condition on contraception, kept whole",
    "ask:will_use_contraception:parent": "the trial's own condition on contraception, kept whole",
    "ask:will_use_contraception:young_person": "the trial's own condition on contraception, kept whole",
    "rule:prior_blinatumomab:parent": MEDICAL_TERM + " (blinatumomab)",
    "rule:prior_blinatumomab:young_person": MEDICAL_TERM + " (blinatumomab)",
    "ask:prior_blinatumomab:parent": MEDICAL_TERM + " and its other names (Blincyto, MT103)",
    "ask:prior_blinatumomab:young_person": MEDICAL_TERM + " and its other names (Blincyto, MT103)",
    "rule:hiv_hepatitis:parent": "names the infections (HIV, hepatitis B and C)",
    "rule:hiv_hepatitis:young_person": "names the infections (HIV, hepatitis B and C)",
    "ask:hiv_hepatitis:parent": "names the infections (HIV, hepatitis B and C)",
    "ask:hiv_hepatitis:young_person": "names the infections (HIV, hepatitis B and C)",
    "rule:chemotherapy_2w:parent": "the exceptions (intrathecal, low dose) decide the answer",
    "rule:chemotherapy_2w:young_person": "the exceptions (intrathecal, low dose) decide the answer",
    "faq:results": "cites the published paper so a family can find it",
}


def texts():
    trial = load_trial()
    out = {}
    for name, variants in yaml.safe_load((ROOT / "domain.yml").read_text())["responses"].items():
        out[f"domain:{name}"] = variants[0]["text"]
    for q in trial.questions:
        out[f"ask:{q.key}:parent"], out[f"ask:{q.key}:young_person"] = q.ask.parent, q.ask.young_person
    for c in trial.criteria:
        out[f"rule:{c.id}:parent"], out[f"rule:{c.id}:young_person"] = c.rule.parent, c.rule.young_person
        out[f"why:{c.id}"] = c.why
    for entry in trial.faq:
        out[f"faq:{entry.id}"] = entry.answer
    for outcome, forms in HEADLINES.items():
        for who, text in forms.items():
            out[f"headline:{outcome}:{who}"] = text
    out["caveat"] = CAVEAT
    return out


TEXTS = texts()


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_plain_english(key):
    score = textstat.flesch_reading_ease(TEXTS[key])
    if key in EXCEPTIONS:
        return
    assert score >= MINIMUM, f"{key} scores {score:.0f}: {TEXTS[key]}"


def test_every_exception_is_still_needed():
    for key in EXCEPTIONS:
        assert key in TEXTS, f"{key} no longer exists"
        assert textstat.flesch_reading_ease(TEXTS[key]) < MINIMUM, f"{key} now passes; remove it from EXCEPTIONS"
