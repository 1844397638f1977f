"""Hearing families right (the parser's own cases; bench/answers holds the set kept apart).

A "no" is never read as yes, a waiting question wins over an FAQ word, a description
that fits no choice gets "Which is closest?", nothing changes silently, and what rules
a child out is said back first."""
import pytest

from conversation.parsing import NotUnderstood, parse_choice, parse_yes_no
from conversation.prompts import choice_words, yes_no_words
from conversation.reading import read
from conversation.turn import required_slots, take_turn
from eligibility import load_trial

from .conftest import ELIGIBLE, TODAY

TRIAL = load_trial()
STARTED = {"continue_closed": "yes", "chatting_as": "parent"}
GIRL_15 = {**ELIGIBLE, "date_of_birth": "2011-03-01", "sex": "female"}


def turn(requested, text, slots=None, intent=None, confidence=0.0):
    return take_turn(TRIAL, {**STARTED, **(slots or {})}, requested, text, intent, confidence, TODAY)


def said(t):
    return [s.response or s.text for s in t.said]


@pytest.mark.parametrize("text", [
    "definitely not", "Absolutely not!", "not at all", "no chance", "never", "no never", "no, never",
    "of course not", "god no", "certainly not", "not that we know of, no", "not that I know of",
    "not as far as I know", "I don't think so", "nope not that anyone's told us", "she is not", "she isn't",
    "no way", "NO", "nah", "n", "neither", "absolutely none",
])
def test_negation_wherever_it_stands_is_no(text):
    assert parse_yes_no(text) is False


@pytest.mark.parametrize("text", ["yes", "yes definitely", "absolutely", "y", "yeah she has", "of course", "I'm afraid so"])
def test_yes(text):
    assert parse_yes_no(text) is True


@pytest.mark.parametrize("text,hint", [
    ("I think so", "yes_no_hedge"), ("hmm, I reckon so", "yes_no_hedge"), ("probably", "yes_no_hedge"), ("probably not", "yes_no_hedge"),
    ("I'd hope not", "yes_no_hedge"), ("yes and no", "yes_no_both"), ("no wait, yes", "yes_no_both"),
    ("%n", "yes_no"), ("%s%s%n", "yes_no"), ("<b>y</b>", "yes_no"), ("purple", "yes_no"),
])
def test_hedges_both_and_junk_are_asked_again(text, hint):
    with pytest.raises(NotUnderstood) as err:
        parse_yes_no(text)
    assert err.value.hint == hint


@pytest.mark.parametrize("key,text,value", [
    ("blood_tests_ok", "his bloods were fine", True), ("blood_tests_ok", "no problems at all", True),
    ("blood_tests_ok", "his counts are low", False), ("pregnant_or_breastfeeding", "she's not pregnant", False),
    ("pregnant_or_breastfeeding", "she is pregnant", True), ("relapsed_or_refractory", "no never relapsed thank god", False),
    ("relapsed_or_refractory", "it didn't work the first time", True),
])
def test_a_questions_own_words_with_negation(key, text, value):
    assert parse_yes_no(text, words=yes_no_words(TRIAL, key)) is value


@pytest.mark.parametrize("key,text,value", [
    ("chemo_side_effects", "still has sores, not recovered", "ongoing"),
    ("chemo_side_effects", "he hasn't recovered yet", "ongoing"),
    ("chemo_side_effects", "back to normal now", "none"),
    ("chemo_side_effects", "just a bit tired", "mild"),
    ("chemo_side_effects", "bit of nausea still but nothing major", "mild"),
    ("cns_leukaemia", "it was cleared with treatment and never had any symptoms", "treated_no_symptoms"),
    ("cns_leukaemia", "no, never", "none"),
    ("gvhd", "not widespread, just his hands", "chronic_limited"),
    ("diagnosis", "it's not B-cell, it's T-cell", "other"),
])
def test_choices_from_plain_words(key, text, value):
    assert parse_choice(text, choices=choice_words(TRIAL, key)) == value


def test_a_message_is_read_once_into_what_answers_and_what_asks():
    r = read("No, he hasn't. How long is he in hospital?")
    assert (r.answer, r.question, r.asks) == ("no, he hasn't", "how long is he in hospital", True)
    assert not read("his last lumbar puncture was clear").asks
    assert read("sorry, I meant 11").correction and not read("it was 25 percent, exactly").correction


def test_an_answer_that_mentions_an_faq_word_is_an_answer_not_a_question():
    t = turn("cns_leukaemia", "his last lumbar puncture was clear", slots={k: v for k, v in ELIGIBLE.items() if k != "cns_leukaemia"})
    assert said(t) == ["utter_invalid_choice_closest"] and "cns_leukaemia" not in t.updates


def test_an_answer_and_a_question_together_store_the_answer_and_answer_the_question():
    t = turn("blood_tests_ok", "yes. how long is he in hospital?")
    assert t.updates["blood_tests_ok"] is True
    assert any("first week" in s for s in said(t))


def test_an_answer_and_why_together_store_the_answer_and_say_why():
    t = turn("blood_tests_ok", "yes, why do you ask?")
    assert t.updates["blood_tests_ok"] is True and said(t) == [TRIAL.criterion("blood_tests_ok").why]


def test_a_question_alone_goes_to_the_faq_and_stores_nothing():
    t = turn("blood_tests_ok", "is it safe?")
    assert "blood_tests_ok" not in t.updates and any("white blood cells" in s for s in said(t))


def test_an_emphatic_no_to_pregnancy_keeps_the_child_in():
    t = turn("pregnant_or_breastfeeding", "definitely not", slots={**GIRL_15, "pregnant_or_breastfeeding": None})
    assert t.updates == {"pregnant_or_breastfeeding": False} and "decision" not in t.updates


def test_a_yes_that_rules_the_child_out_is_said_back_and_decided_only_after_yes():
    slots = {**STARTED, **GIRL_15, "pregnant_or_breastfeeding": None}
    t = turn("pregnant_or_breastfeeding", "yes", slots=slots)
    assert t.updates["confirms"] == {"pregnant_or_breastfeeding": True} and "decision" not in t.updates
    slots.update(t.updates)
    assert required_slots(TRIAL, slots, TODAY)[-1] == "confirm"
    kept = turn("confirm", "yes", slots=slots)
    assert kept.updates["confirms"] is None and kept.updates["decision"]["failed"] == ["pregnant_or_breastfeeding"]


def test_no_to_a_say_back_asks_the_question_again():
    slots = {**GIRL_15, "pregnant_or_breastfeeding": True, "confirms": {"pregnant_or_breastfeeding": True}}
    t = turn("confirm", "no", slots=slots)
    assert t.updates["pregnant_or_breastfeeding"] is None and t.updates["confirms"] is None
    assert said(t) == ["utter_what_is_wrong"] and t.updates["disputed"] == {"pregnant_or_breastfeeding": True}
    assert required_slots(TRIAL, {**STARTED, **slots, **t.updates}, TODAY)[-1] == "pregnant_or_breastfeeding"


def test_a_correction_needs_words_that_say_so_and_is_said_back():
    t = turn("diagnosis", "sorry, I meant 11", slots={"age_years": 10, "sex": "female", "last_answered": "date_of_birth"})
    assert t.updates["confirms"] == {"age_years": 11}
    plain = turn("diagnosis", "11", slots={"age_years": 10, "sex": "female", "last_answered": "date_of_birth"})
    assert "age_years" not in plain.updates


def test_junk_does_not_answer_or_decline_the_openings_question():
    t = take_turn(TRIAL, {"continue_closed": "yes"}, "chatting_as", "%n", None, 0.0, TODAY)
    assert t.updates == {} and t.exit is None


def test_an_answer_with_a_request_keeps_the_answer():
    t = turn("blood_tests_ok", "yes, and can I talk to a nurse please")
    assert t.updates["blood_tests_ok"] is True and t.exit == "handoff"


def test_the_word_nurse_in_an_answer_is_not_a_request():
    t = turn("blood_tests_ok", "yeah all fine, the nurse rang this morning")
    assert t.updates["blood_tests_ok"] is True and t.exit is None


def test_thats_why_is_no_question_and_does_that_count_gets_the_rule():
    t = turn("relapsed_or_refractory", "yes it relapsed in june, that's why we're looking")
    assert t.updates["relapsed_or_refractory"] is True and said(t) == []
    asked = turn("hypersensitivity", "she's allergic to penicillin, does that count?")
    assert "hypersensitivity" not in asked.updates and said(asked) == [TRIAL.criterion("hypersensitivity").why]


@pytest.mark.parametrize("age,text,score", [
    (9, "plays normally", 100), (9, "normal but tires quickly", 80), (9, "in bed all day", 40),
    (None, "running around like any other child", 100), (9, "not playing normally", None),
    (9, "plays but gets tired fast", 80), (9, "he's absolutely fine, runs around all day", 100),
])
def test_activity_in_a_familys_words_from_the_scales_words(age, text, score):
    slots = {"age_years": age} if age is not None else {"date_of_birth": "unknown"}
    t = turn("performance_score", text, slots)
    assert t.updates.get("performance_score") == score


# --- answers the way families write them in blogs and forums (issue 22) ------------------

from conversation.parsing import parse_date, parse_number  # noqa: E402


@pytest.mark.parametrize("text", ["the hospital said it was 'b precursor', whatever they mean by that",
                                  "the letter says 'pre-B' on it"])
def test_a_quoted_term_is_read_like_the_bare_one(text):
    assert parse_choice(text, choices=choice_words(TRIAL, "diagnosis")) == "b_precursor_all"


@pytest.mark.parametrize("key,text", [
    ("serious_condition", "he has asthma but no idea if you'd count that"),
    ("cns_autoimmune_disease", "she had a funny turn with her nerves once, unsure whether it qualifies"),
    ("serious_condition", "they weren't sure if it was the drug or a virus"),
])
def test_doubt_whether_something_counts_is_asked_again_never_taken_as_i_dont_know(key, text):
    with pytest.raises(NotUnderstood):
        parse_yes_no(text, words=yes_no_words(TRIAL, key))


def test_not_knowing_in_a_questions_own_terms_is_i_dont_know():
    assert parse_yes_no("no idea what they call a low dose", words=yes_no_words(TRIAL, "last_chemotherapy_low_dose")) == "unknown"


@pytest.mark.parametrize("text,value", [
    ("70% when she relapsed in the spring, 35 this time", 35),
    ("at diagnosis it was 90, the most recent marrow 40", 40),
    ("it was 12 last week; back in March 60", 12),
    ("roughly a quarter of them", 25),
    ("three quarters of the marrow", 75),
])
def test_the_figure_marked_as_the_latest_wins(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["90 at relapse and 40 after the first block",
                                  "the number 8 sticks in my head but I'm not sure if that was the blasts"])
def test_several_unmarked_figures_or_a_doubted_one_are_asked_again(text):
    with pytest.raises(NotUnderstood):
        parse_number(text)


@pytest.mark.parametrize("text,day", [
    ("boxing day last year", "2025-12-26"), ("on new year's eve 2024", "2024-12-31"), ("halloween", "2025-10-31"),
    ("she's been on it all along, the last dose was Thursday", "2026-09-03"),
    ("the 2nd, a Wednesday", "2026-09-02"), ("on the 5th, a Monday", "2026-01-05"), ("on the 4th", "2026-09-04"),
    ("last month", "2026-08-31"), ("this would be his first one", "never"),
])
def test_days_named_by_holiday_weekday_or_day_of_the_month(text, day):
    assert parse_date(text, TODAY, never=True) == day


@pytest.mark.parametrize("text", ["can't be sure, some time in the summer holidays", "no idea, early June maybe",
                                  "when he was four, he's nine now", "not sure whether what she had counts"])
def test_a_guess_at_a_time_or_a_time_by_age_is_asked_again(text):
    with pytest.raises(NotUnderstood):
        parse_date(text, TODAY, never=True)


def test_a_spinal_dose_is_no_second_time_for_the_chemo_question():
    t = turn("last_chemotherapy", "the intrathecal went in on Wednesday, his last IV chemo was 4 weeks ago",
             slots={**GIRL_15, "last_chemotherapy": None})
    assert t.updates["last_chemotherapy"] == "2026-08-10"


@pytest.mark.parametrize("age,text,score", [
    (9, "totally herself again, bouncing off the walls", 100),
    (9, "he goes to nursery again, just a touch slower than the others", 90),
    (9, "racing about in the morning but runs out of steam after lunch", 80),
    (9, "she joins in, though only in little bursts", 70),
    (9, "pottering about, happy with lego and puzzles", 60),
    (9, "lying about most of the day, she does get dressed", 50),
    (9, "asleep most of the time and on morphine", 40),
    (9, "plays normally at home but can't keep up with his friends at the park", 90),
    (None, "full of beans, non-stop from morning to night", 100),
    (None, "mainly in bed now", 40),
])
def test_activity_described_in_everyday_terms_names_its_level_the_lowest_said_counts(age, text, score):
    slots = {"age_years": age} if age is not None else {"date_of_birth": "unknown"}
    assert turn("performance_score", text, slots).updates.get("performance_score") == score


@pytest.mark.parametrize("key,text,value", [
    ("diagnosis", "initially they told us T-cell, but then the lab said it was really pre-B", "b_precursor_all"),
    ("diagnosis", "we were told B-ALL, it turned out to be AML", "other"),
    ("gvhd", "there was some acute GVHD in the spring but now there's none", "none"),
    ("diagnosis", "the team still aren't sure whether it's T or B", "unknown"),
    ("chemo_side_effects", "won't know if his hearing's recovered until the test next month", "unknown"),
])
def test_a_later_word_revises_an_earlier_and_leading_with_not_knowing_is_unknown(key, text, value):
    assert parse_choice(text, choices=choice_words(TRIAL, key)) == value


def test_a_revised_yes_no_is_the_later_answer():
    assert parse_yes_no("they wondered about Burkitt's early on, but then the tests showed it wasn't") is False


@pytest.mark.parametrize("text,value", [
    ("it gave him awful headaches but it's cleared now", "active"),
    ("her eyesight went blurry from it, though the LPs are clear now", "active"),
    ("it cleared after the spinal chemo", None),
    ("it was found at relapse and cleared, he's never had a single symptom", "treated_no_symptoms"),
    ("CNS2 at relapse, no symptoms, clear since the second LP", "treated_no_symptoms"),
    ("only ever been in his marrow", "none"),
    ("his most recent LP found some blasts", "active"),
])
def test_spinal_leukaemia_that_caused_symptoms_is_active_and_cleared_alone_is_asked(text, value):
    if value is None:
        with pytest.raises(NotUnderstood):
            parse_choice(text, choices=choice_words(TRIAL, "cns_leukaemia"))
    else:
        assert parse_choice(text, choices=choice_words(TRIAL, "cns_leukaemia")) == value


@pytest.mark.parametrize("text", ["nobody tells us anything", "they've never given us an exact percentage",
                                  "it's still being worked out", "I don't have her notes with me",
                                  "we haven't had Monday's results back yet"])
def test_not_knowing_in_a_familys_words(text):
    assert parse_yes_no(text) == "unknown"


@pytest.mark.parametrize("key,text,value", [
    ("diagnosis", "b-cell type ALL", "b_precursor_all"), ("diagnosis", "bits of both, myeloid and lymphoid", "other"),
    ("chemo_side_effects", "mainly tired, nothing else", "mild"), ("chemo_side_effects", "he's on crutches with the avn", "ongoing"),
    ("chemo_side_effects", "she's fine apart from a little nausea", "mild"), ("chemo_side_effects", "his hair's still thin", "mild"),
    ("chemo_side_effects", "the numbness doesn't bother her much", "mild"), ("sex", "people mistake him for a girl with his long hair", "male"),
])
def test_choices_in_everyday_terms(key, text, value):
    assert parse_choice(text, choices=choice_words(TRIAL, key)) == value


def test_b_cell_alone_could_be_the_mature_kind_and_is_asked():
    with pytest.raises(NotUnderstood):
        parse_choice("they said b cell", choices=choice_words(TRIAL, "diagnosis"))


@pytest.mark.parametrize("key,text,value", [
    ("relapsed_or_refractory", "the chemo never touched it", True), ("relapsed_or_refractory", "it popped back up at his 6 month check", True),
    ("prior_blinatumomab", "he had a month on a pump he carried in a backpack", True),
    ("prior_blinatumomab", "it was discussed but we chose CAR-T instead", False),
    ("blood_tests_ok", "the team said his numbers are where they need them", True), ("blood_tests_ok", "her platelets are on the floor", False),
    ("blood_tests_ok", "the doctor says she's fine to start", True), ("serious_condition", "she has epilepsy", True),
    ("serious_condition", "he's under a nephrologist for his kidneys", True), ("hypersensitivity", "she had anaphylaxis to asparaginase", True),
    ("cns_autoimmune_disease", "she was diagnosed with MS last year", True),
])
def test_yes_no_in_everyday_terms(key, text, value):
    assert parse_yes_no(text, words=yes_no_words(TRIAL, key)) is value


@pytest.mark.parametrize("text", ["a drip for 4 weeks from a little backpack, was that it?", "kind of?",
                                  "blinatumomab? no", "no, what is it?"])
def test_an_answer_that_doubts_itself_or_asks_what_the_question_means_is_asked_again(text):
    t = turn("prior_blinatumomab", text, slots={**GIRL_15, "prior_blinatumomab": None})
    assert "prior_blinatumomab" not in t.updates


@pytest.mark.parametrize("key,text,value", [
    ("last_stem_cell_transplant", "he had radiotherapy in May but has never had a transplant", "never"),
    ("last_stem_cell_transplant", "not yet, they're looking for one once he's in remission", "never"),
    ("last_stem_cell_transplant", "her day +30 was 1 September", "2026-08-02"),
    ("relapsed_or_refractory", "they're repeating the bone marrow next week to see", "unknown"),
    ("prior_blinatumomab", "don't recognise that one, I'd need to check with the nurse", "unknown"),
    ("blood_tests_ok", "fine in July, but we've not had anything back this week yet", "unknown"),
    ("other_cancer", "the doctors are investigating a swelling on her arm", "unknown"),
    ("chemo_side_effects", "she's lost feeling in both feet and has a splint", "ongoing"),
    ("other_cancer", "is one cancer not plenty", None),
])
def test_more_of_a_familys_words(key, text, value):
    t = turn(key, text, slots={**GIRL_15, key: None})
    assert t.updates.get(key) == value


@pytest.mark.parametrize("key,text,value", [
    ("blood_tests_ok", "her platelets still aren't high enough and she's needing transfusions", False),
    ("blood_tests_ok", "his white cells are practically nil", False),
    ("cns_leukaemia", "they found some in his spine at relapse and gave him intrathecal chemo; it never gave him any symptoms",
     "treated_no_symptoms"),
    ("performance_score", "he can't do the rougher games with his cousins but otherwise he's just himself", 90),
    ("relapsed_or_refractory", "two blocks of chemo and still nothing, the marrow looks the same", True),
    ("diagnosis", "juvenile myelomonocytic, the consultant called it", "other"),
])
def test_words_found_by_a_set_written_blind(key, text, value):
    t = turn(key, text, slots={**GIRL_15, key: None})
    assert t.updates.get(key) == value


@pytest.mark.parametrize("text", [
    "Tom is 6 and his sister is 9, it's Tom who has it",  # two ages: whose?
    "03/05/2015, or was it 2016? I'm all over the place",  # a date doubted at once
])
def test_an_age_said_two_ways_is_asked_again(text):
    t = turn("date_of_birth", text)
    assert "age_years" not in t.updates and "date_of_birth" not in t.updates


@pytest.mark.parametrize("text,age", [("he turns 9 in March", 8), ("i'm 14 (15 in january)", 14), ("she's 7, 8 next month", 7)])
def test_an_age_with_the_next_birthday_is_the_age_now(text, age):
    assert turn("date_of_birth", text).updates.get("age_years") == age


def test_a_hedge_in_a_long_answer_is_not_replaced_by_a_fact_it_mentions():
    t = turn("relapsed_or_refractory", "sort of? his counts dipped again but no one has used the word relapse yet",
             slots={**GIRL_15, "relapsed_or_refractory": None})
    assert "relapsed_or_refractory" not in t.updates


def test_a_time_the_question_does_not_count_is_left_out():
    text = "his intrathecal dose was on Thursday but the last IV chemo was 19/08"
    t = turn("last_chemotherapy", text, slots={**ELIGIBLE, "last_chemotherapy": None})
    assert t.updates["last_chemotherapy"] == "2026-08-19"
