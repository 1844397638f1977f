"""Checklists: several questions asked as one (contract section 5), read and decided without Rasa."""
import pytest

from conversation.checklist import ONE_BY_ONE, items_to_ask, read_checklist
from conversation.prompts import answer_question
from conversation.turn import required_slots, take_turn
from eligibility import load_trial

from .conftest import ELIGIBLE, TODAY
from .test_wording import QUALIFIERS

TRIAL = load_trial()
EXCLUSIONS, HAD = TRIAL.checklist("exclusions"), TRIAL.checklist("treatments_had")
GROUPED = EXCLUSIONS.items + HAD.items + ["gvhd", "last_gvhd_medication"]
STARTED = {"continue_closed": "yes", "chatting_as": "parent"}
ANSWERS = {k: v for k, v in ELIGIBLE.items() if k not in GROUPED}
BEFORE = {**STARTED, **ANSWERS}


def read(group, text):
    return read_checklist(TRIAL, group, group.items, text)


@pytest.mark.parametrize("text", ["None of these", "none", "no", "nope, none of them", "not any of them",
                                  "no transplant, no radiotherapy", "he has no allergies and no other cancer"])
def test_none_answers_every_item_no(text):
    assert read(HAD, text) == {k: "never" for k in HAD.items}
    assert read(EXCLUSIONS, text) == {k: False for k in EXCLUSIONS.items}


@pytest.mark.parametrize("text,ticked", [
    ("allergic to blinatumomab and has hepatitis b", {"hypersensitivity", "hiv_hepatitis"}),
    ("2, 5", {"testicular_leukaemia", "hypersensitivity"}),
    ("he had blina on another trial", {"prior_blinatumomab"}),
    ("Any other type of cancer", {"other_cancer"}),
    ("she has epilepsy, it's serious", {"serious_condition"}),
])
def test_named_items_are_yes_and_the_rest_no(text, ticked):
    said = read(EXCLUSIONS, text)
    assert {k for k, v in said.items() if v is True} == ticked
    assert all(v is False for k, v in said.items() if k not in ticked)


def test_a_ticked_date_item_is_left_for_its_date():
    said = read(HAD, "he had radiotherapy but no transplant")
    assert said == {"last_stem_cell_transplant": "never", "last_radiotherapy": None,
                    "last_immunotherapy": "never", "last_experimental_treatment": "never"}


@pytest.mark.parametrize("text", ["not sure", "I don't know", "yes, one of them", "only one of them", "some of them",
                                  "just the one"])
def test_not_sure_asks_them_one_by_one(text):
    assert read(EXCLUSIONS, text) == ONE_BY_ONE


def test_all_of_them_ticks_every_item():
    assert read(EXCLUSIONS, "all of them") == {k: True for k in EXCLUSIONS.items}


@pytest.mark.parametrize("text", ["n/a", "just chemo", "no to all", "not that I know of", "None of the above"])
def test_more_ways_to_say_none(text):
    assert read(HAD, text) == {k: "never" for k in HAD.items}


@pytest.mark.parametrize("text", ["banana", "9", "4, 12"])
def test_a_reply_that_names_nothing_is_asked_again(text):
    with pytest.raises(Exception) as err:
        read(HAD, text)
    assert getattr(err.value, "hint", None) == "checklist"


def test_the_checklist_is_asked_in_place_of_its_first_item_with_the_items_that_matter():
    assert required_slots(TRIAL, BEFORE, TODAY)[-1] == "exclusions"
    boy = answer_question(TRIAL, "exclusions", "parent", ANSWERS, TODAY)
    girl = answer_question(TRIAL, "exclusions", "parent", {**ANSWERS, "sex": "female"}, TODAY)
    marker = boy.marker()["question"]
    assert marker["kind"] == "checklist" and marker["choices"][0] == "None of these"
    assert [i["slot"] for i in marker["items"]] == [k for k in EXCLUSIONS.items if k != "pregnant_or_breastfeeding"]  # a boy
    assert "testicular_leukaemia" not in [i["slot"] for i in girl.marker()["question"]["items"]]
    teen = answer_question(TRIAL, "exclusions", "parent", {**ANSWERS, "sex": "female", "date_of_birth": "2013-01-01"}, TODAY)
    assert "pregnant_or_breastfeeding" in [i["slot"] for i in teen.marker()["question"]["items"]]
    assert all(f"- {i['label']}" in boy.text for i in marker["items"])


def test_one_item_left_is_asked_on_its_own():
    nearly = {**ANSWERS, **{k: False for k in EXCLUSIONS.items[1:]}}
    assert items_to_ask(TRIAL, EXCLUSIONS, nearly, TODAY) == [EXCLUSIONS.items[0]]
    assert required_slots(TRIAL, {**STARTED, **nearly}, TODAY)[-1] == EXCLUSIONS.items[0]


def test_none_of_these_fills_every_item_and_the_questions_go_on():
    shown = items_to_ask(TRIAL, EXCLUSIONS, ANSWERS, TODAY)  # a boy of 10: not the pregnancy item
    t = take_turn(TRIAL, BEFORE, "exclusions", "None of these", None, 0.0, TODAY)
    assert {k: t.updates.get(k) for k in EXCLUSIONS.items} == {k: False if k in shown else None for k in EXCLUSIONS.items}
    after = {**BEFORE, **t.updates}
    assert required_slots(TRIAL, after, TODAY)[-1] == "treatments_had"
    t = take_turn(TRIAL, after, "treatments_had", "a transplant in May 2024 and radiotherapy", None, 0.0, TODAY)
    assert t.updates["last_stem_cell_transplant"] == "2024-05-31" and "last_radiotherapy" not in t.updates
    assert required_slots(TRIAL, {**after, **t.updates}, TODAY)[-1] == "gvhd"  # then the radiotherapy date


def test_a_ticked_exclusion_is_said_back_before_it_counts():
    t = take_turn(TRIAL, BEFORE, "exclusions", "he's allergic to blinatumomab", None, 0.0, TODAY)
    assert t.updates["confirms"] == {"hypersensitivity": True} and "decision" not in t.updates


def test_one_by_one_then_each_item_is_asked():
    t = take_turn(TRIAL, BEFORE, "exclusions", "not sure", None, 0.0, TODAY)
    assert t.updates["exclusions"] == ONE_BY_ONE and [s.response for s in t.said] == ["utter_one_by_one"]
    assert required_slots(TRIAL, {**BEFORE, **t.updates}, TODAY)[-1] == EXCLUSIONS.items[0]


def test_why_at_a_checklist_says_its_own_why():
    t = take_turn(TRIAL, BEFORE, "exclusions", "why do you need to know?", "ask_why", 0.95, TODAY)
    assert [s.text for s in t.said] == [EXCLUSIONS.why] and "exclusions" not in t.updates


@pytest.mark.parametrize("key", sorted(k for k in QUALIFIERS if TRIAL.checklist_of(k)))
def test_each_item_keeps_its_rules_qualifiers(key):
    line = TRIAL.question(key).item.lower()
    for word in QUALIFIERS[key]:
        assert word in line, f"{key} item lacks {word!r}: {line}"


@pytest.mark.parametrize("group", [EXCLUSIONS, HAD], ids=lambda g: g.slot)
def test_the_pages_reply_ticks_exactly_the_boxes_ticked(group):
    lines = [TRIAL.question(k).item for k in group.items]
    for key, line in zip(group.items, lines):  # the page sends the ticked lines joined by "; "
        said = read(group, line)
        assert [k for k, v in said.items() if v is not False and v != "never"] == [key]
    assert all(v is True or v is None for v in read(group, "; ".join(lines)).values())
