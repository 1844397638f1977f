"""The trial's entry rules as a pure Python package: no Rasa, no I/O beyond the trial file."""
from .answers import InvalidAnswer, check_answer, check_answers
from .engine import Result, evaluate
from .explain import explain, reasons
from .questions import next_question
from .trial import Trial, TrialFileError, load_trial

__all__ = [
    "InvalidAnswer", "Result", "Trial", "TrialFileError", "check_answer", "check_answers",
    "evaluate", "explain", "load_trial", "next_question", "reasons",
]
