"""The rules package never imports Rasa: every channel can use it, and it tests in a second."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_eligibility_imports_no_rasa():
    code = ("import sys, eligibility, eligibility.cli; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('rasa', 'rasa_sdk', 'tensorflow', 'spacy')]; "
            "print(bad); sys.exit(1 if bad else 0)")
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stdout + run.stderr


def test_no_source_file_mentions_rasa():
    for path in (ROOT / "eligibility").glob("*.py"):
        text = path.read_text()
        assert "import rasa" not in text and "from rasa" not in text, path
