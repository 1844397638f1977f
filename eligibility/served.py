"""The trials one deployment serves: every trial file in the trials folder, checked once.

A content editor adds a trial by adding its file to `trials/` (or the folder TRIALS_DIR
names); nothing is generated or trained from it. A conversation chooses its trial by the
trial's id (the `trial` of its results); one that names none gets the default
trial (TRIAL_FILE, else the file `default` in the folder names), which is served too.
A malformed file, or two files with one id, is one error naming the file and the field.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from .trial import Trial, TrialFileError, default_path, load_trial, trials_dir


def served() -> Dict[str, Trial]:
    """Every trial served, by id, in the folder's file order (the default's file too)."""
    return dict(_served(str(trials_dir()), os.environ.get("TRIAL_FILE") or ""))


@lru_cache(maxsize=None)
def _served(folder: str, trial_file: str) -> Tuple[Tuple[str, Trial], ...]:
    paths = sorted(Path(folder).glob("*.yml"))
    default = default_path()
    if not any(p.resolve() == default.resolve() for p in paths):
        paths.append(default)
    by_id: Dict[str, Tuple[Path, Trial]] = {}
    for path in paths:
        trial = load_trial(path)
        if trial.trial.id in by_id:
            raise TrialFileError(f"{path}: trial.id: {trial.trial.id!r} is already the id of {by_id[trial.trial.id][0]}")
        by_id[trial.trial.id] = (path, trial)
    return tuple((tid, trial) for tid, (_, trial) in by_id.items())


def serve_or_exit() -> Dict[str, Trial]:
    """The trials served, for a server starting: a malformed file stops it with one line
    naming the file and the field, not a traceback."""
    try:
        return served()
    except TrialFileError as err:
        raise SystemExit(f"Cannot start: {str(err).splitlines()[0]}") from None


def default_trial() -> Trial:
    return load_trial(default_path())


def trial_named(trial_id: Any) -> Optional[Trial]:
    """The served trial with this id, or None (an id no file has, or not a string)."""
    return served().get(trial_id) if isinstance(trial_id, str) else None


def catalogue() -> List[Dict[str, Any]]:
    """What the page lists and GET /trials.json returns: each trial's id, title and status."""
    return [{"trial": tid, "title": t.trial.title, "recruiting": t.trial.recruiting} for tid, t in served().items()]
