"""Invalid input (contract section 1) is refused with an error naming the key."""
import json

import pytest

from eligibility import InvalidAnswer, evaluate

from .conftest import DATA, ELIGIBLE, TODAY

EXAMPLES = json.loads((DATA / "engine-examples.json").read_text())

INVALID = [
    ("last_radiotherapy", "2026-10-01"),  # future
    ("last_radiotherapy", "2026-09-08"),  # tomorrow
    ("last_chemotherapy", "2026-02-30"),  # impossible
    ("last_chemotherapy", "2026-9-1"),
    ("last_chemotherapy", "yesterday"),
    ("last_chemotherapy", 20260901),
    ("date_of_birth", "never"),
    ("date_of_birth", "2030-01-01"),
    ("age_years", -3),
    ("age_years", 121),
    ("age_years", 12.5),
    ("age_years", "twelve"),
    ("marrow_blasts_percent", 250),
    ("marrow_blasts_percent", -1),
    ("marrow_blasts_percent", "45%"),
    ("marrow_blasts_percent", True),
    ("marrow_blasts_percent", float("nan")),
    ("performance_score", 75),
    ("performance_score", 110),
    ("relapsed_or_refractory", "yes"),
    ("relapsed_or_refractory", 1),
    ("relapsed_or_refractory", None),
    ("diagnosis", "aml"),
    ("sex", "boy"),
    ("gvhd", "chronic"),
    ("cns_leukaemia", "yes"),
    ("chemo_side_effects", "severe"),
    ("favourite_colour", "blue"),
]


@pytest.mark.parametrize("key,value", INVALID)
def test_invalid_answers_name_their_key(key, value):
    with pytest.raises(InvalidAnswer) as err:
        evaluate({**ELIGIBLE, key: value}, TODAY)
    assert err.value.key == key
    assert key in str(err.value)


@pytest.mark.parametrize("case", [c for c in EXAMPLES if "error_key" in c["expect"]], ids=lambda c: c["name"])
def test_contract_invalid_examples(case):
    with pytest.raises(InvalidAnswer) as err:
        evaluate(case["answers"], TODAY)
    assert err.value.key == case["expect"]["error_key"]


def test_answers_must_be_an_object():
    with pytest.raises(InvalidAnswer):
        evaluate(["not", "an", "object"], TODAY)


@pytest.mark.parametrize("key,value", [
    ("last_radiotherapy", TODAY.isoformat()),  # today is allowed
    ("performance_score", 80.0),  # a whole number written as a float
    ("marrow_blasts_percent", 25.5),
    ("age_years", 0),
    ("last_chemotherapy", "unknown"),
    ("diagnosis", "unknown"),
])
def test_valid_edges_are_accepted(key, value):
    evaluate({**ELIGIBLE, key: value}, TODAY)
