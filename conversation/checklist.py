"""Several yes/no or "ever had" questions asked as one, and the reply read into their answers.

"None of these" answers every item no (a date item "never"). A reply that names items, by
their lines, their numbers (the shell shows them numbered) or the family's own words for
them (each question's topic in the trial file), answers those yes and the rest no; a date
item answered yes stays empty, so its date is asked next. "Not sure" asks them one by one.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Any, Dict, List, Mapping

from eligibility import Trial
from eligibility.answers import check_answers
from eligibility.questions import answered, could_matter
from eligibility.trial import Checklist

from .parsing import NEVER, UNKNOWN, NotUnderstood, YES_NO_WORDS, clean, masked, parse_yes_no, phrase_matches

DONE, ONE_BY_ONE = "done", "one_by_one"
NONE_WORDS = [r"none(?: of (?:these|them|those|the above))?", r"nothing(?: like that)?", r"neither", r"no(?:ne)? to all",
              r"not any(?: of (?:these|them))?", r"all no", r"n/?a", r"not applicable"]
ALL_WORDS = [r"all(?: of (?:these|them|those|the above))?", r"every ?one(?: of them)?", r"yes to all"]
SOME_WORDS = [r"(?:just |only )?(?:the )?one(?: of (?:these|them|those))?", r"(?:some|a few|two|a couple) of (?:these|them|those)",
              r"some"]


def items_to_ask(trial: Trial, checklist: Checklist, answers: Mapping[str, Any], today: dt.date) -> List[str]:
    """The items not answered yet whose answer could still change the decision."""
    checked = check_answers(trial, answers, today)
    return [k for k in checklist.items if not answered(trial, checked, k) and could_matter(trial, checked, k, today)]


def _words(trial: Trial, key: str) -> List[str]:
    """An item's line, and the words that state it: the question's own phrases for a yes where
    it has them ("had blinatumomab"; its topic alone would tick it for "allergic to
    blinatumomab"), else its topic."""
    q = trial.question(key)
    if q.facts and q.facts.yes:
        return [re.escape(clean(q.item)), *q.facts.yes]
    # A topic is a pattern found anywhere in a word ("allerg" in "allergic"): widen it to whole words.
    return [re.escape(clean(q.item))] + ([rf"\w*(?:{q.topic})\w*"] if q.topic else [])


def read_checklist(trial: Trial, checklist: Checklist, items: List[str], text: str) -> Any:
    """{key: answer} for every item, or ONE_BY_ONE. Raises NotUnderstood("checklist")."""
    t = clean(text)
    none = {k: (NEVER if trial.answers[k].kind == "date" else False) for k in items}
    if t in (clean(checklist.none), "none"):
        return none
    numbers = re.fullmatch(r"\d+(?:\s*(?:,|and|&|\s)\s*\d+)*", t)
    if numbers:
        picked = {int(n) for n in re.findall(r"\d+", t)}
        if not picked <= set(range(1, len(items) + 1)):
            raise NotUnderstood("checklist")
        return {**none, **{items[i - 1]: _yes(trial, items[i - 1]) for i in picked}}
    matches = phrase_matches(t, {k: _words(trial, k) for k in items})
    named = {k for _, _, k, negative in matches if not negative}
    if named:
        return {**none, **{k: _yes(trial, k) for k in named}}
    rest = masked(t, matches)
    if phrase_matches(rest, {True: NONE_WORDS}):
        return none
    if phrase_matches(rest, {True: SOME_WORDS}):
        return ONE_BY_ONE  # "one of them": which, asked one by one
    if re.fullmatch(r"(?:yes,? )?" + "|".join(ALL_WORDS), rest.strip()):
        return {k: _yes(trial, k) for k in items}
    if re.search(r"\b(?:just|only)\b", rest):
        return none  # "just chemo": only something the checklist does not list
    try:
        plain = parse_yes_no(rest)
    except NotUnderstood:
        plain = None
    if plain is False or (matches and plain != UNKNOWN):
        return none  # "no", or only items each said not to apply ("no transplant, he has no allergies")
    if plain in (True, UNKNOWN) or phrase_matches(rest, {UNKNOWN: YES_NO_WORDS[UNKNOWN]}):
        return ONE_BY_ONE  # "yes, one of them", "not sure": each item on its own
    raise NotUnderstood("checklist")


def _yes(trial: Trial, key: str) -> Any:
    """Yes to an item: True, or for an "ever had" date nothing yet (its date is asked next)."""
    return None if trial.answers[key].kind == "date" else True


def answers_from(choice: Mapping[str, Any]) -> Dict[str, Any]:
    """The answers to store: a ticked date item is left to be asked."""
    return {k: v for k, v in choice.items() if v is not None}
