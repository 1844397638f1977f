"""Build the spaCy pipeline the NLU uses: blank English plus an entity ruler.

Nothing is downloaded. Output: build/spacy_model (a folder SpacyNLP loads with
`model: build/spacy_model`). Patterns are case-insensitive (matched on LOWER).
"""
import sys
from pathlib import Path

import spacy
import yaml

HERE = Path(__file__).resolve().parent


def build(out: Path) -> None:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
    lexicon = yaml.safe_load((HERE / "patterns.yml").read_text())
    ruler.add_patterns([{"label": label, "pattern": phrase} for label, phrases in lexicon.items() for phrase in phrases])
    nlp.meta["name"] = "trial_assistant_lexicon"
    out.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out)


if __name__ == "__main__":
    build(Path(sys.argv[1] if len(sys.argv) > 1 else "build/spacy_model"))
