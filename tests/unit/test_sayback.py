"""Saying answers back: in the family's own terms, one at a time, never in a loop; two times
in one answer asked about, never picked; who is chatting heard in a first message."""
import pytest

from conversation.parsing import parse_date, times_in
from conversation.reading import read
from conversation.sayback import describe, when_in_words
from conversation.summary import handoff_record, summary_text
from conversation.turn import who_in_first_message
from eligibility import load_trial

from .conftest import ELIGIBLE, TODAY, Chat

TRIAL = load_trial()
DESCRIBED_40 = "she can't get out of bed and needs help even to do quiet things"
TREATMENTS = ("last_chemotherapy", "last_chemotherapy_low_dose", "chemo_side_effects", "last_radiotherapy",
              "last_immunotherapy", "last_experimental_treatment")


def without(*keys):
    return {k: v for k, v in ELIGIBLE.items() if k not in keys}


# --- in the family's terms --------------------------------------------------------------

def test_a_described_level_is_said_back_as_its_description_never_as_a_score():
    chat = Chat(TRIAL, without("performance_score"))
    chat.send(DESCRIBED_40)
    assert chat.asking == "confirm" and chat.slots["confirms"] == {"performance_score": 40}
    assert "mostly in bed or sleeping" in chat.text() and "40" not in chat.text()


def test_resting_in_bed_with_some_quiet_play_is_the_level_below_50_and_said_back():
    chat = Chat(TRIAL, without("performance_score"))
    chat.send("she is mostly resting in bed but she does sit up to do colouring for a bit")
    assert chat.asking == "confirm" and chat.slots["confirms"] == {"performance_score": 40}


def test_an_answer_is_said_back_even_when_the_same_message_gave_another_fact():
    chat = Chat(TRIAL, without("performance_score", "sex", "blood_tests_ok"))
    chat.send("she does colouring and jigsaws")
    assert chat.slots["performance_score"] == 60 and chat.slots["sex"] == "female" and chat.asking == "blood_tests_ok"
    text = chat.text()
    assert "I've also noted: sex recorded at birth: girl" in text
    assert "Thanks, I have: how active day to day: up and about, but only quiet play" in text
    assert text.count("girl") == 1


def test_a_score_the_family_gave_is_said_back_as_that_score():
    chat = Chat(TRIAL, without("performance_score"))
    chat.send("the doctor said 30")
    assert chat.slots["confirms"] == {"performance_score": 30} and "30" in chat.text()


@pytest.mark.parametrize("said,words", [
    ("5 months ago", "about 5 months ago, around April 2026"),
    ("10 days ago", "10 days ago (28 August 2026)"),
    ("28 August 2026", "28 August 2026"),
])
def test_a_time_is_said_back_as_the_family_gave_it(said, words):
    chat = Chat(TRIAL, without(*TREATMENTS))
    assert chat.asking == "last_chemotherapy"
    chat.send(said)
    assert f"last chemotherapy: {words}" in chat.text()


def test_when_in_words_gives_the_day_where_days_count():
    assert when_in_words("2026-09-06", TODAY) == "yesterday (6 September 2026)"
    assert when_in_words("2026-08-10", TODAY) == "about 4 weeks ago (10 August 2026)"
    assert when_in_words("2024-03-01", TODAY) == "about 2 years ago, around March 2024"


def test_a_window_not_yet_met_is_said_back_with_the_day_it_gives():
    chat = Chat(TRIAL, without(*TREATMENTS))
    chat.send("10 days ago")
    assert "met from 11 September 2026" in chat.text()
    chat.send("no")  # not a low dose: the window counts, and fails
    assert chat.asking == "confirm"
    assert chat.slots["confirms"] == {"last_chemotherapy": "2026-08-28", "last_chemotherapy_low_dose": False}
    assert "10 days ago (28 August 2026), so the rule about it is met from 11 September 2026" in chat.text()


# --- never a loop -----------------------------------------------------------------------

def test_no_to_a_say_back_asks_what_is_wrong_once_with_i_dont_know_and_the_nurse():
    chat = Chat(TRIAL, without("performance_score"))
    chat.send(DESCRIBED_40)
    chat.send("no, that's wrong")
    assert chat.asking == "performance_score" and "the doctor said 30" in chat.text()
    assert {"I don't know", "Talk to a nurse"} <= set(chat.buttons())


def test_the_same_say_back_is_never_shown_twice_in_a_row():
    chat = Chat(TRIAL, without("performance_score"))
    chat.send(DESCRIBED_40)
    first = chat.text()
    chat.send("no")
    chat.send(DESCRIBED_40)  # the same description again: taken as given, not said back again
    assert chat.asking != "confirm" and chat.slots["performance_score"] == 40
    assert first not in chat.text() and chat.slots["decision"]["failed"] == ["performance_50"]


def test_a_second_no_leaves_the_answer_unknown_and_offers_the_nurse():
    chat = Chat(TRIAL, without("performance_score"))
    chat.send(DESCRIBED_40)
    chat.send("no")
    chat.send("the doctor said 30")
    assert chat.slots["confirms"] == {"performance_score": 30}
    chat.send("no")
    assert chat.slots["performance_score"] == "unknown" and "not known" in chat.text()
    assert chat.slots["decision"]["outcome"] == "unsure" and chat.asking == "offer_handoff"


def test_a_family_that_always_says_no_reaches_a_decision_and_no_reply_repeats():
    chat = Chat(TRIAL, without("performance_score"))
    replies = []
    for _ in range(60):
        if chat.asking in (None, "offer_handoff"):
            break
        chat.send("no" if chat.asking == "confirm" else DESCRIBED_40)
        replies.append(chat.text())
    assert chat.asking == "offer_handoff" and len(replies) <= 4
    assert all(a != b for a, b in zip(replies, replies[1:]))


def test_i_dont_know_to_a_say_back_sets_the_answer_aside():
    chat = Chat(TRIAL, without("prior_blinatumomab"))
    chat.send("yes")
    assert chat.slots["confirms"] == {"prior_blinatumomab": True}
    chat.send("not sure actually")
    assert chat.slots["prior_blinatumomab"] == "unknown" and "confirms" not in chat.slots


# --- one at a time ----------------------------------------------------------------------

def test_a_fact_said_during_a_say_back_is_noted_and_the_say_back_stays():
    chat = Chat(TRIAL, without("prior_blinatumomab", "marrow_blasts_percent"))
    chat.send("yes")
    chat.send("he had 80% blasts")
    assert chat.slots["marrow_blasts_percent"] == 80 and "80%" in chat.text()
    assert chat.slots["confirms"] == {"prior_blinatumomab": True} and "blinatumomab" in chat.text()


def test_a_say_back_said_during_another_waits_its_turn():
    chat = Chat(TRIAL, without("prior_blinatumomab", "marrow_blasts_percent"))
    chat.send("yes")
    chat.send("his blasts were 3%")
    assert chat.slots["confirms"] == {"prior_blinatumomab": True} and chat.slots["queued"] == {"marrow_blasts_percent": 3}
    chat.send("yes")
    assert chat.slots["confirms"] == {"marrow_blasts_percent": 3} and "decision" not in chat.slots
    chat.send("yes")
    assert chat.slots["decision"]["failed"] == ["marrow_blasts_over_25", "prior_blinatumomab"]


def test_a_long_message_during_a_say_back_is_no_answer_to_it():
    chat = Chat(TRIAL, without("prior_blinatumomab"))
    chat.send("yes")
    chat.send("oh and her bloods are awful, the doctors said her liver is not ok")
    assert chat.slots["confirms"] == {"prior_blinatumomab": True} and "disputed" not in chat.slots


# --- two times in one answer ------------------------------------------------------------

def test_a_time_counted_from_another_event_is_not_a_time_ago():
    text = "she had five months without chemotherapy and the party was seven days before she relapsed"
    assert times_in(text, TODAY) == ["2026-04-07"]
    assert parse_date(text, TODAY) == "2026-04-07"
    assert parse_date("about a week before", TODAY) == "2026-08-31"


def test_two_times_that_would_decide_differently_are_asked_about():
    chat = Chat(TRIAL, without(*TREATMENTS))
    chat.send("five months without chemo, and her end of chemo party was a week ago")
    assert chat.asking == "last_chemotherapy" and "last_chemotherapy" not in chat.slots
    assert chat.buttons()[:2] == ["about 5 months ago, around April 2026", "7 days ago (31 August 2026)"]
    chat.send("the first one")
    assert chat.slots["last_chemotherapy"] == "2026-04-07" and "which" not in chat.slots


def test_a_time_chosen_by_its_button_is_taken():
    chat = Chat(TRIAL, without(*TREATMENTS))
    chat.send("finished chemo 2 months ago, then a top-up dose 5 days ago")
    chat.send("2026-09-02")
    assert chat.slots["last_chemotherapy"] == "2026-09-02"


def test_two_times_that_decide_alike_are_not_asked_about():
    chat = Chat(TRIAL, without(*TREATMENTS))
    chat.send("chemo finished 3 months ago, and the transplant talk was 2 months ago")
    assert chat.slots["last_chemotherapy"] == "2026-06-07" and "which" not in chat.slots


# --- who is chatting, and the hand-off ------------------------------------------------------

@pytest.mark.parametrize("text,who", [
    ("Hello, my son Jack is 11 and his leukaemia has come back", "parent"),
    ("my little boy Sam relapsed in March", "parent"),
    ("our eldest daughter has ALL again", "parent"),
    ("my 8 year old has relapsed", "parent"),
    ("hiya, my lad Tom is 12 and his leukaemia came back in june", "parent"),
    ("our youngest has relapsed", "parent"),
    ("I was diagnosed with ALL when I was 14", "young_person"),
    ("I have relapsed ALL", "young_person"),
    ("I'm a nurse asking for a patient", "professional"),
    ("i have all the results here", None),
    ("hello", None),
])
def test_who_is_chatting_is_heard_in_a_first_message(text, who):
    assert who_in_first_message(TRIAL, read(text)) == who


def test_who_is_chatting_never_offers_i_dont_know():
    chat = Chat(TRIAL, {}, who=None)
    del chat.slots["chatting_as"]
    for _ in range(4):
        chat.send("purple")
        assert chat.asking == "chatting_as" and "I don't know" not in chat.buttons()


def test_the_handoff_summary_says_only_the_trial_team_could_confirm():
    result = {"outcome": "likely_eligible", "failed": [], "unknown": []}
    record = handoff_record(TRIAL, ELIGIBLE, result, "parent", "K7MP2QXR", TODAY)
    assert "Only the trial team could confirm this" in summary_text(record)


def test_describe_keeps_a_date_of_birth_as_an_age():
    assert describe(TRIAL, "date_of_birth", "2016-04-20", TODAY) == "age: 10 (born 20 April 2016)"
