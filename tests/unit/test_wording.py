"""Say only what the lay summary says, in plain words, to the person in front of you.

(That every rule, "why" and FAQ answer quotes the summary is test_trial_file's; plain
English scores are test_reading_ease's.)"""
import re
from pathlib import Path

import pytest
import yaml

from conversation.prompts import answer_question
from conversation.summary import answer_pairs, handoff_record, summary_text
from eligibility import evaluate, explain, load_trial
from eligibility.explain import WHO, headline, say

from .conftest import ELIGIBLE, TODAY

TRIAL = load_trial()
ROOT = Path(__file__).resolve().parents[2]
DOMAIN = yaml.safe_load((ROOT / "domain" / "chat.yml").read_text())["responses"]

# The qualifiers of contract section 1 that a question must keep, so that a "yes" which ends
# the chat is never broader than its rule.
QUALIFIERS = {
    "testicular_leukaemia": ["testicles now", "cleared"],
    "hypersensitivity": ["known to be very sensitive", "made in a similar way to blinatumomab", "anything in it"],
    "serious_condition": ["serious health problem", "could affect", "taking part"],
    "last_experimental_treatment": ["any other experimental treatment"],
    "will_use_contraception": ["any chance", "could become pregnant", "3 months"],
    "last_immunotherapy": ["monoclonal antibody"],
    "last_chemotherapy": ["spine"],
}


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("key,words", sorted(QUALIFIERS.items()))
def test_each_question_keeps_its_rules_qualifiers(key, words, who):
    text = say(TRIAL.question(key).ask, who).lower()
    for word in words:
        assert word in text, f"{key} ({who}) lacks {word!r}: {text}"


def test_the_brain_and_spinal_cord_choices_say_successfully_treated_and_no_symptoms():
    titles = {c.value: c.title for c in TRIAL.question("cns_leukaemia").choices}
    assert "successfully treated" in titles["treated_no_symptoms"] and "not caused symptoms" in titles["treated_no_symptoms"]
    assert "successfully treated" in say(TRIAL.criterion("cns_leukaemia").rule, "parent")


BORN_16 = {"date_of_birth": "2010-03-01"}  # 16 on the test day
BORN_14 = {"date_of_birth": "2012-03-01"}


@pytest.mark.parametrize("who,answers,scale,choice", [
    ("parent", BORN_16, "Karnofsky", "Needs a lot of help and frequent medical care"),
    ("young_person", BORN_16, "Karnofsky", "Needs a lot of help and frequent medical care"),
    ("parent", BORN_14, "Lansky", "Lies around a lot, but gets dressed and joins quiet play"),
    ("young_person", BORN_14, "Lansky", "Lies around a lot, but gets dressed and joins quiet play"),
])
def test_the_activity_question_follows_the_scale_the_age_selects(who, answers, scale, choice):
    q = answer_question(TRIAL, "performance_score", who, answers, TODAY)
    other = ({"Lansky", "Karnofsky"} - {scale}).pop()
    assert scale in q.text and other not in q.text and choice in q.choices


def test_with_the_age_unknown_the_activity_question_names_no_scale():
    q = answer_question(TRIAL, "performance_score", "parent", {"date_of_birth": "unknown"}, TODAY)
    assert "Lansky" not in q.text and "Karnofsky" not in q.text and len(q.choices) >= 4


def test_no_activity_choice_names_death_and_below_50_is_one_choice():
    for scale in TRIAL.performance_scales.values():
        texts = " ".join(level.text for level in scale.levels).lower()
        assert not re.search(r"death|dying|dead|respond", texts)
        assert len([level for level in scale.levels if level.score < 50]) == 1


@pytest.mark.parametrize("answers,meaning", [(BORN_14, "Lansky"), (BORN_16, "Karnofsky")])
def test_the_activity_rule_in_a_decision_follows_the_age(answers, meaning):
    child = {**ELIGIBLE, **answers, "performance_score": 40}
    child.pop("age_years", None)
    text = explain(evaluate(child, TODAY, TRIAL), "parent", TRIAL, child, TODAY)
    other = ({"Lansky", "Karnofsky"} - {meaning}).pop()
    assert meaning in text and other not in text


def all_texts(who):
    """Every text of the trial file as `who` reads it."""
    yield from (say(q.ask, who) for q in TRIAL.questions)
    yield from (say(s.ask, who) for s in TRIAL.performance_scales.values())
    yield from (say(c.rule, who) for c in TRIAL.criteria)
    yield from (say(f.answer, who) for f in TRIAL.faq)
    yield from (headline(o, who) for o in ("likely_eligible", "not_yet", "unsure", "not_eligible"))


def domain_texts(who):
    """Each response as Rasa would pick it for `who`: the variation whose condition holds, else the plain one."""
    for name, variants in DOMAIN.items():
        fits = [v for v in variants if any(c.get("value") == who for c in v.get("condition") or [])]
        yield name, (fits or [v for v in variants if not v.get("condition")])[0]["text"]


def test_a_young_person_is_spoken_to_as_you_everywhere():
    for text in all_texts("young_person"):
        assert not re.search(r"\b(your|the) child\b", text, re.I), text
    for name, text in domain_texts("young_person"):
        assert not re.search(r"\byour child\b", text, re.I), (name, text)


def test_a_professional_reads_the_child_and_never_your_child():
    for text in all_texts("professional"):
        assert not re.search(r"\byour child\b", text, re.I), text
    for name, text in domain_texts("professional"):
        assert not re.search(r"\byour child\b", text, re.I), (name, text)


def test_a_parent_is_asked_about_their_child_never_as_the_patient():
    for text in all_texts("parent"):
        assert not re.search(r"\b(?:do|have|are|were|did|would) you (?:have|had|ever|know|be|sexually|pregnant|still)\b", text, re.I), text


def test_the_opening_fits_every_reader_and_why_texts_address_no_one():
    assert not re.search(r"\byour child\b", DOMAIN["utter_opening"][0]["text"])
    for c in TRIAL.criteria:
        assert not re.search(r"\byour?\b", c.why, re.I), (c.id, c.why)


def test_facts_the_summary_does_not_hold_are_gone():
    results = say(next(f.answer for f in TRIAL.faq if f.id == "results"), "parent")
    assert not re.search(r"\d+ in 100|%|remission|2016|journal", results, re.I) and "nurses" in results
    pump = say(next(f.answer for f in TRIAL.faq if f.id == "pump"), "parent")
    assert "swimming" in pump and not re.search(r"\bbath|shower", pump)


def test_the_handoff_summary_reads_as_plain_sentences():
    child = {**ELIGIBLE, "last_chemotherapy": "2026-09-01", "last_chemotherapy_low_dose": False}
    result = evaluate(child, TODAY, TRIAL).as_json()
    text = summary_text(handoff_record(TRIAL, child, result, "parent", "K7MP2QXR", TODAY))
    assert "not_yet" not in text and "_" not in text and not re.search(r"\b\d+w\b|\d{4}-\d{2}-\d{2}", text)
    assert "15 September 2026" in text and "chemotherapy in the 2 weeks before starting" in text
    assert "does not meet some rules yet" in text
    for label, words in answer_pairs(TRIAL, child, TODAY):
        assert not re.search(r"\bGVHD\b|_", f"{label}: {words}"), (label, words)


# The first question that uses a medical term says what it is; an FAQ answer that uses one does too.
GLOSSARY = {
    "ALL": "cancer of the white blood cells",
    "GVHD": "donor's cells attack the body",
    "autoimmune": "immune system attacks the body",
    "monoclonal antibody": "seeks out cells",
    "Lansky": "doctors use for how active",
    "Karnofsky": "doctors use for how well",
}


@pytest.mark.parametrize("term,meaning", sorted(GLOSSARY.items()))
def test_the_first_use_of_a_medical_term_says_what_it_is(term, meaning):
    asks = [say(q.ask, "parent") for q in TRIAL.questions] + [say(s.ask, "parent") for s in TRIAL.performance_scales.values()]
    first = next(t for t in asks if re.search(rf"\b{term}\b", t))
    assert meaning in first, first


def test_faq_answers_explain_the_terms_they_use():
    for f in TRIAL.faq:
        text = say(f.answer, "parent")
        if "monoclonal antibody" in text:
            assert "find leukaemia cells" in text
        if "lumbar puncture" in text:
            assert "needle into the lower back" in text
