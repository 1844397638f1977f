"""Every text the assistant shows scores at least 60 on Flesch reading ease (plain English),
except the few listed here with a reason: each names a treatment, an infection or a rule
whose exact words a family needs to recognise from their child's care."""
from pathlib import Path

import pytest
import textstat
import yaml

from eligibility import load_trial
from eligibility.explain import CAVEAT, HEADLINES, WHO, headline, say

ROOT = Path(__file__).resolve().parents[2]
MINIMUM = 60
MEDICAL_TERM = "names a treatment the family must recognise"
WHOLE_RULE = "the rule's own qualifiers, kept whole: plainer words would make the question broader than the rule"
EXCEPTIONS = {
    # Keys end in the audience; the same reason holds for each.
    **{f"{kind}:{key}:{who}": reason for who in WHO for kind, key, reason in [
        ("ask", "prior_blinatumomab", MEDICAL_TERM + " and its other names (Blincyto, MT103)"),
        ("rule", "prior_blinatumomab", MEDICAL_TERM + " (blinatumomab)"),
        ("rule", "immunotherapy_6w", MEDICAL_TERM + " (immunotherapy, monoclonal antibody)"),
        ("rule", "contraception", WHOLE_RULE),
        ("ask", "will_use_contraception", WHOLE_RULE),
        ("rule", "hiv_hepatitis", "names the infections (HIV, hepatitis B and C)"),
        ("ask", "hiv_hepatitis", "names the infections (HIV, hepatitis B and C)"),
    ]},
    "ask:sexually_active:young_person": "the standard words for the question; anything vaguer is misread",
}


def texts():
    """Every text the chat can show, for every audience that reads it."""
    trial = load_trial()
    out = {}
    for name, variants in yaml.safe_load((ROOT / "domain" / "chat.yml").read_text())["responses"].items():
        for n, variant in enumerate(variants):
            out[f"domain:{name}" + (f":{n}" if n else "")] = variant["text"]
    for who in WHO:
        for q in trial.questions:
            out[f"ask:{q.key}:{who}"] = say(q.ask, who)
        for name, scale in trial.performance_scales.items():
            out[f"ask:performance_score:{name}:{who}"] = say(scale.ask, who)
        for c in trial.criteria:
            out[f"rule:{c.id}:{who}"] = say(c.rule, who)
            if c.rule_when:
                out[f"rule:{c.id}:when:{who}"] = say(c.rule_when.then, who)
                out[f"rule:{c.id}:otherwise:{who}"] = say(c.rule_when.otherwise, who)
        for entry in trial.faq:
            out[f"faq:{entry.id}:{who}"] = say(entry.answer, who)
        for outcome in HEADLINES:
            out[f"headline:{outcome}:{who}"] = headline(outcome, who)
    for c in trial.criteria:
        out[f"why:{c.id}"] = c.why
    out.update({f"caveat {status}": text for status, text in CAVEAT.items()})
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
