"""Build the spaCy pipeline the NLU uses: blank English, for its tokenizer.

Nothing is downloaded. Output: build/spacy_model (a folder SpacyNLP loads with
`model: build/spacy_model`).
"""
import sys
from pathlib import Path

import spacy


def build(out: Path) -> None:
    nlp = spacy.blank("en")
    nlp.meta["name"] = "trial_assistant_tokens"
    out.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out)


if __name__ == "__main__":
    build(Path(sys.argv[1] if len(sys.argv) > 1 else "build/spacy_model"))
