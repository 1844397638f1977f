"""Train the Rasa model only when its inputs change.

One model serves every trial: it is keyed by a fingerprint of what training reads (config,
the chat's domain, the NLU data and rules, the spaCy lexicon's builder, pinned package
versions) and of no trial file, so adding, changing or removing a trial never retrains.
A model with that fingerprint is reused from models/ or from the user's cache
(~/.cache/trial-assistant/models, or $MODEL_CACHE); otherwise Rasa trains one and it is
cached. Prints the model's path.
"""
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = ROOT / "domain"
INPUTS = ["config.yml", "constraints.txt", "spacy_pipeline/build.py"]
NAME = "chat"


def fingerprint() -> str:
    digest = hashlib.sha256()
    files = [ROOT / f for f in INPUTS] + sorted(DOMAIN.rglob("*.yml")) + sorted((ROOT / "data").rglob("*.yml"))
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def main() -> int:
    fp = f"{NAME}-{fingerprint()}"
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
            subprocess.run([str(rasa), "train", "--domain", str(DOMAIN), "--fixed-model-name", fp, "--out", str(model.parent)],
                           cwd=ROOT, check=True, stdout=sys.stderr, env=dict(os.environ, RASA_TELEMETRY_ENABLED="false"))
            cache.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(model, cache)
    for old in model.parent.glob("*.tar.gz"):  # older models, and the per-trial models of earlier versions
        if old != model:
            old.unlink()
    print(model.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
