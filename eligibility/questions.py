"""Which question to ask next.

A question is worth asking only if some answer to it could change a criterion's
status given what is already known: that one rule skips GVHD questions after
"never had a transplant", pregnancy for a boy, contraception under 12 and the
low-dose question when the last chemotherapy is outside its window. The trial
file's order puts cheap, decisive questions first.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Dict, Iterable, Mapping, Optional

from .answers import NEVER, check_answers
from .engine import HOLDS, NOT_APPLICABLE, NOT_ELIGIBLE, evaluate, statuses
from .trial import Trial, load_trial


def _candidates(trial: Trial, key: str, today: dt.date) -> Iterable[Any]:
    """A few answers that between them reach both sides of any test the trial makes."""
    spec = trial.answers[key]
    if spec.kind == "yes_no":
        return (True, False)
    if spec.kind == "choice":
        return spec.choices
    if spec.kind == "number":
        return (spec.min if spec.min is not None else 0, spec.max if spec.max is not None else 10**6)
    far = today.replace(year=today.year - 100) if not (today.month == 2 and today.day == 29) else today - dt.timedelta(days=36525)
    return (today, far) + ((NEVER,) if spec.never else ())


def answered(trial: Trial, answers: Mapping[str, Any], key: str) -> bool:
    """A question is answered when its key, or a key asked as it, has a value."""
    return key in answers or any(
        spec.asked_as == key and other in answers for other, spec in trial.answers.items()
    )


def _settled(trial: Trial, answers: Dict[str, Any], today: dt.date) -> Dict[str, str]:
    """Each criterion's status as the decision sees it: a rule that does not apply is as good as
    one that holds, so a question that could only move a rule between the two is not asked."""
    return {cid: HOLDS if s == NOT_APPLICABLE else s for cid, s in statuses(trial, answers, today)[0].items()}


def could_matter(trial: Trial, checked: Dict[str, Any], key: str, today: dt.date) -> bool:
    base = _settled(trial, checked, today)
    for value in _candidates(trial, key, today):
        if _settled(trial, {**checked, key: value}, today) != base:
            return True
    return False


def next_question(answers: Mapping[str, Any], today: dt.date, trial: Optional[Trial] = None) -> Optional[str]:
    """The next answer key to ask, or None when the decision is settled.

    Settled means: every question that could still change it is answered, or a
    criterion has failed for good (not eligible), which no later answer undoes
    because questions that decide applicability come first."""
    trial = trial or load_trial()
    if evaluate(answers, today, trial).outcome == NOT_ELIGIBLE:
        return None
    checked = check_answers(trial, answers, today)
    for q in trial.questions:
        if not answered(trial, checked, q.key) and could_matter(trial, checked, q.key, today):
            return q.key
    return None
