"""Every text the assistant shows, for every trial served and every reader it has, scores at
least 60 on Flesch reading ease (plain English), except the few listed here with a reason:
each names a treatment, an infection or a rule whose exact words a family needs to recognise
from their child's care. The chat's own responses are scored as each trial fills them in."""
from pathlib import Path

import pytest
import textstat
import yaml

from actions.context import common_values
from eligibility.explain import CAVEAT, HEADLINES, WHO, headline, say
from eligibility.served import served

ROOT = Path(__file__).resolve().parents[2]
MINIMUM = 60
MEDICAL_TERM = "names a treatment the family must recognise"
WHOLE_RULE = "the rule's own qualifiers, kept whole: plainer words would make the question broader than the rule"
ILLNESS = "names the illnesses the rule is about, as the family's doctors name them"
SPONSOR = "names the sponsor as the trial's records give it"


def each_reader(pairs):
    """Exception keys end in the reader; the same reason holds for each."""
    return {f"{tid}:{kind}:{key}:{who}": reason for who in WHO for tid, kind, key, reason in pairs}


EXCEPTIONS = {
    **each_reader([
        ("MT103-205", "ask", "prior_blinatumomab", MEDICAL_TERM + " and its other names (Blincyto, MT103)"),
        ("MT103-205", "rule", "prior_blinatumomab", MEDICAL_TERM + " (blinatumomab)"),
        ("MT103-205", "rule", "immunotherapy_6w", MEDICAL_TERM + " (immunotherapy, monoclonal antibody)"),
        ("MT103-205", "rule", "contraception", WHOLE_RULE),
        ("MT103-205", "ask", "will_use_contraception", WHOLE_RULE),
        ("MT103-205", "rule", "hiv_hepatitis", "names the infections (HIV, hepatitis B and C)"),
        ("MT103-205", "ask", "hiv_hepatitis", "names the infections (HIV, hepatitis B and C)"),
        ("UKALL 2011", "rule", "contraception", WHOLE_RULE),
        ("UKALL 2011", "ask", "will_use_contraception", WHOLE_RULE),
        ("UKALL 2011", "rule", "all_or_lbl", ILLNESS),
        ("UKALL 2011", "rule", "philadelphia_positive", MEDICAL_TERM + " (the Philadelphia chromosome, BCR-ABL)"),
        ("UKALL 2011", "ask", "philadelphia_positive", MEDICAL_TERM + " (the Philadelphia chromosome, BCR-ABL)"),
        ("UKALL 2011", "rule", "previous_treatment", MEDICAL_TERM + " (dexamethasone, prednisolone), and the rule's 3 days kept whole"),
        ("ALL R3", "rule", "relapse_treatment_started", MEDICAL_TERM + " (chemotherapy, radiotherapy)"),
        ("ALL R3", "faq", "sponsor", SPONSOR),
        ("Interfant-06", "rule", "all_or_mixed", ILLNESS),
        ("Interfant-06", "faq", "sponsor", SPONSOR),
    ]),
    "MT103-205:ask:sexually_active:young_person": "the standard words for the question; anything vaguer is misread",
    "UKALL 2011:ask:sexually_active:young_person": "the standard words for the question; anything vaguer is misread",
    "UKALL 2011:why:all_or_lbl": ILLNESS,
}


class Kept(dict):
    """Placeholders a response fills only in the middle of a conversation stay as they are."""

    def __missing__(self, key):
        return "{" + key + "}"


def texts():
    """Every text the chat can show, for every trial and every audience that reads it."""
    out = {}
    responses = yaml.safe_load((ROOT / "domain" / "chat.yml").read_text())["responses"]
    for tid, trial in served().items():
        for name, variants in responses.items():
            for n, variant in enumerate(variants):
                out[f"{tid}:domain:{name}" + (f":{n}" if n else "")] = variant["text"].format_map(Kept(common_values(trial)))
        for who in [w for w in WHO if w in trial.audiences]:
            for q in trial.questions:
                out[f"{tid}:ask:{q.key}:{who}"] = say(q.ask, who)
            for name, scale in trial.performance_scales.items():
                out[f"{tid}:ask:performance_score:{name}:{who}"] = say(scale.ask, who)
            for c in trial.criteria:
                out[f"{tid}:rule:{c.id}:{who}"] = say(c.rule, who)
                if c.rule_when:
                    out[f"{tid}:rule:{c.id}:when:{who}"] = say(c.rule_when.then, who)
                    out[f"{tid}:rule:{c.id}:otherwise:{who}"] = say(c.rule_when.otherwise, who)
            for entry in trial.faq:
                out[f"{tid}:faq:{entry.id}:{who}"] = say(entry.answer, who)
        for c in trial.criteria:
            out[f"{tid}:why:{c.id}"] = c.why
    for who in WHO:
        for outcome in HEADLINES:
            out[f"headline:{outcome}:{who}"] = headline(outcome, who)
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
        if key.split(":")[-1] in WHO and key not in TEXTS:
            continue  # a reader this trial does not have (a baby's trial has no young person)
        assert key in TEXTS, f"{key} no longer exists"
        assert textstat.flesch_reading_ease(TEXTS[key]) < MINIMUM, f"{key} now passes; remove it from EXCEPTIONS"
