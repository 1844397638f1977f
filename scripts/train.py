"""Train the Rasa model for the trial in TRIAL_FILE only when its inputs change.

The trial's domain is generated first (scripts/trial_domain.py). The model is keyed by
the trial and a fingerprint of everything training reads (config, that domain, data,
the spaCy lexicon, pinned package versions), so switching trials back and forth reuses
each trial's model. A model with that
fingerprint is reused from models/ or from the user's cache
(~/.cache/trial-assistant/models, or $MODEL_CACHE); otherwise Rasa trains one
and it is cached. Prints the model's path.
"""
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

import trial_domain  # noqa: E402
INPUTS = ["config.yml", "constraints.txt", "spacy_pipeline/build.py"]


def fingerprint(domain: Path) -> str:
    digest = hashlib.sha256()
    files = [ROOT / f for f in INPUTS] + sorted(domain.glob("*.yml")) + sorted((ROOT / "data").rglob("*.yml"))
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def main() -> int:
    domain = trial_domain.write(os.environ.get("TRIAL_FILE"))
    fp = f"{domain.name}-{fingerprint(domain)}"
    model = ROOT / "models" / f"{fp}.tar.gz"
    cache = Path(os.environ.get("MODEL_CACHE") or Path.home() / ".cache" / "trial-assistant" / "models") / model.name
    if not model.exists():
        model.parent.mkdir(exist_ok=True)
        if cache.exists():
            shutil.copy(cache, model)
            print(f"model {fp}: from the cache", file=sys.stderr)
        else:
            print(f"model {fp}: training (inputs changed)", file=sys.stderr)
            rasa = Path(sys.executable).parent / "rasa"
            subprocess.run([str(rasa), "train", "--domain", str(domain), "--fixed-model-name", fp, "--out", str(model.parent)],
                           cwd=ROOT, check=True, stdout=sys.stderr, env=dict(os.environ, RASA_TELEMETRY_ENABLED="false"))
            cache.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(model, cache)
    for old in model.parent.glob(f"{domain.name}-*.tar.gz"):  # this trial's older models; other trials keep theirs
        if old != model:
            old.unlink()
    print(model.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
