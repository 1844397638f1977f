"""The trial file's schema, and a second trial evaluated by the same code."""
import datetime as dt
import copy

import pytest
import yaml

from eligibility import TrialFileError, evaluate, load_trial, next_question
from eligibility.trial import default_path, parse_trial, with_shared

from .conftest import DATA

OTHER = load_trial(DATA / "other_trial.yml")
ADULT = {"date_of_birth": "1990-01-01", "smoker": False, "weight_kg": 70, "blood_group": "o",
         "last_surgery": "never", "last_vaccine": "never"}
DAY = dt.date(2026, 3, 10)


def raw():
    return yaml.safe_load(default_path().read_text())


def test_the_trial_file_covers_every_contract_criterion_and_key():
    trial = load_trial()
    assert [c.id for c in trial.criteria] == [
        "b_precursor_all", "relapsed_or_refractory", "marrow_blasts_over_25", "under_18", "performance_50",
        "blood_tests_ok", "contraception", "gvhd", "gvhd_medication_2w", "testicular_leukaemia", "cns_leukaemia",
        "cns_autoimmune", "transplant_3m", "chemotherapy_2w", "chemo_side_effects", "radiotherapy_2w",
        "immunotherapy_6w", "experimental_4w", "prior_blinatumomab", "hypersensitivity", "other_cancer",
        "serious_condition", "hiv_hepatitis", "pregnant_or_breastfeeding"]
    assert len(trial.answers) == 28
    assert trial.trial.status == "closed" and trial.nurse_line.phone == "0808 800 4040"
    assert {"NCT01471782", "2010-024264-18"} <= set(trial.trial.identifiers.values())


def test_every_rule_why_and_faq_answer_quotes_the_lay_summary():
    def plain(text):
        return " ".join(text.replace("’", "'").replace(" Open a glossary item", "").split())

    summary = plain((DATA / "trial-summary.txt").read_text())
    trial = load_trial()
    for owner, sources in [(c.id, c.source) for c in trial.criteria] + [(f.id, f.source) for f in trial.faq]:
        assert sources, owner
        for sentence in sources:
            assert plain(sentence) in summary, (owner, sentence)


@pytest.mark.parametrize("mutate,field", [
    (lambda d: d["criteria"][0].pop("why"), "criteria.0.why"),
    (lambda d: d["criteria"][0].update(type="sometimes"), "criteria.0.type"),
    (lambda d: d["criteria"][0].update(test={"key": "diagnosis", "resembles": "x"}), "criteria"),
    (lambda d: d["criteria"][0].update(test={"key": "shoe_size", "equals": 3}), "shoe_size"),
    (lambda d: d["criteria"][12]["window"].update(days=5), "criteria.12.window"),
    (lambda d: d["answers"]["sex"].update(kind="colour"), "answers.sex.kind"),
    (lambda d: d["questions"][0].update(why="nothing"), "questions.date_of_birth.why"),
    (lambda d: d["nurse_line"].pop("phone"), "nurse_line.phone"),
    (lambda d: d["criteria"][0].update(colour="blue"), "criteria.0.colour"),
])
def test_a_malformed_trial_file_names_the_field(mutate, field):
    data = copy.deepcopy(raw())
    mutate(data)
    with pytest.raises(TrialFileError) as err:
        parse_trial(data)
    assert field in str(err.value)


def test_a_missing_trial_file_is_a_clear_error(tmp_path):
    with pytest.raises(TrialFileError, match="nothing.yml"):
        load_trial(tmp_path / "nothing.yml")


@pytest.mark.parametrize("changes,outcome,failed,unknown,eligible_from", [
    ({}, "likely_eligible", [], [], None),
    ({"date_of_birth": "2010-01-01"}, "not_eligible", ["adult"], [], None),
    ({"weight_kg": 39.9}, "not_eligible", ["weight_40"], [], None),
    ({"blood_group": "b"}, "not_eligible", ["blood_group_o_or_a"], [], None),
    ({"blood_group": "unknown"}, "unsure", [], ["blood_group_o_or_a"], None),
    ({"last_surgery": "2026-01-31"}, "not_yet", ["surgery_2m"], [], "2026-03-31"),
    ({"last_surgery": "2026-01-31", "last_vaccine": "2026-03-09"}, "not_yet", ["surgery_2m", "vaccine_10d"], [], "2026-03-31"),
    ({"last_vaccine": "2026-03-05", "smoker": "unknown"}, "not_yet", ["vaccine_10d"], ["not_smoking"], "2026-03-15"),
])
def test_a_second_trial_runs_on_the_same_engine(changes, outcome, failed, unknown, eligible_from):
    result = evaluate({**ADULT, **changes}, DAY, OTHER)
    assert result.as_json() == {"trial": "TEST-ADULT-1", "recruiting": True, "outcome": outcome,
                                "failed": failed, "unknown": unknown, "eligible_from": eligible_from}


def test_the_second_trial_refuses_the_first_trials_keys():
    with pytest.raises(Exception, match="diagnosis"):
        evaluate({"diagnosis": "other"}, DAY, OTHER)


def test_next_question_on_the_second_trial():
    assert next_question({}, DAY, OTHER) == "date_of_birth"
    assert next_question({"date_of_birth": "2015-01-01"}, DAY, OTHER) is None
    assert next_question({"date_of_birth": "1990-01-01", "smoker": False}, DAY, OTHER) == "weight_kg"


def raw_trial(name):
    path = default_path().parent / name
    return with_shared(yaml.safe_load(path.read_text()), path)


@pytest.mark.parametrize("name,mutate,field", [
    ("all_r3.yml", lambda d: d["criteria"][6].pop("test"), "criteria.6"),
    ("all_r3.yml", lambda d: d["criteria"][6].update(holds_when_unknown=True), "criteria.6"),
    ("all_r3.yml", lambda d: d["criteria"][6].update(type="maybe"), "criteria.6.type"),
    ("interfant_06.yml", lambda d: d["criteria"][1].update(test={"age_days_at_most": 365, "day": "start"}), "criteria.1: test"),
    ("interfant_06.yml", lambda d: d.update(audiences=["parent", "baby"]), "audiences"),
    ("interfant_06.yml", lambda d: d.update(audiences=["parent", "young_person", "professional"]),
     "criteria.all_or_mixed.rule.young_person"),
])
def test_the_new_vocabulary_refuses_a_malformed_file_naming_the_field(name, mutate, field):
    data = copy.deepcopy(raw_trial(name))
    mutate(data)
    with pytest.raises(TrialFileError) as err:
        parse_trial(data)
    assert field in str(err.value)


def test_a_shared_answer_that_does_not_exist_names_the_key(tmp_path):
    data = yaml.safe_load((default_path().parent / "all_r3.yml").read_text())
    data["answers"]["where_it_is"] = "shared"
    path = tmp_path / "trial.yml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(TrialFileError, match="answers.where_it_is"):
        load_trial(path)


def test_a_shared_answer_is_written_once_and_means_the_same_in_each_trial():
    shared = yaml.safe_load((default_path().parent / "shared" / "answers.yml").read_text())
    for key in shared:
        using = [p.name for p in default_path().parent.glob("*.yml") if f"{key}: shared" in p.read_text()]
        assert len(using) >= 2, (key, using)
        for name in using:
            trial = load_trial(default_path().parent / name)
            assert trial.answers[key].dict() == parse_trial_answer(shared[key]["answer"])
            assert trial.question(key).label == shared[key]["question"]["label"]


def parse_trial_answer(spec):
    from eligibility.trial import AnswerSpec
    return AnswerSpec.parse_obj(spec).dict()
