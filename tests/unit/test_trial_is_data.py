"""A trial lives in its file: outside trials/ and tests/, no code names a trial id, an answer
key, a question or a criterion id of any trial file, so a new trial or question is YAML and tests.

bench/ is left out: it simulates families of the default trial and reads labelled answers,
as tests do. Documentation may name keys. A one-word name ("sex", "diagnosis") is also an
English word, so it counts only when quoted, as code would use it."""
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CODE_DIRS = ["eligibility", "conversation", "actions", "server", "shell", "web", "scripts", "spacy_pipeline", "domain"]
CODE_FILES = ["Makefile", "config.yml", "endpoints.yml", "credentials.yml", "endpoints/postgres.yml"]
SUFFIXES = {".py", ".js", ".html", ".css", ".sh", ".yml", ".yaml", ""}


def trial_names():
    names = set()
    for path in (ROOT / "trials").glob("*.yml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        names.add(data["trial"]["id"])
        names |= set(data["answers"])
        names |= {c["id"] for c in data["criteria"]}
        names |= {q["key"] for q in data["questions"]}
    return names


def code_files():
    for d in CODE_DIRS:
        yield from (p for p in (ROOT / d).rglob("*") if p.is_file() and p.suffix in SUFFIXES and "__pycache__" not in p.parts)
    yield from (ROOT / f for f in CODE_FILES if (ROOT / f).exists())


def named(text, name):
    if re.search(r"[_\d-]", name):
        return re.search(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])", text, re.IGNORECASE) is not None
    return re.search(r"""["']""" + re.escape(name) + r"""["']""", text) is not None


def test_the_trial_files_give_names_to_look_for():
    names = trial_names()
    assert {"MT103-205", "date_of_birth", "under_18", "sex"} <= names  # the check would see them


@pytest.mark.parametrize("path", sorted(code_files()), ids=lambda p: str(p.relative_to(ROOT)))
def test_code_names_no_trial(path):
    text = path.read_text(encoding="utf-8", errors="replace")
    assert [n for n in sorted(trial_names()) if named(text, n)] == []


def test_the_check_finds_a_name():
    assert named('if key == "performance_score":', "performance_score")
    assert named("x = answers.get('sex')", "sex")
    assert not named("what sex was recorded", "sex")
