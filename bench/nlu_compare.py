"""NLU pipelines compared on bench/nlu_holdout.yml (395 utterances never used in training).

Each pipeline is trained on data/nlu only (`rasa train nlu`, from /work/main because
SpacyNLP loads build/spacy_model relative to the working directory). Evaluation
runs in a separate process (`python bench/nlu_compare.py eval MODEL HOLDOUT`): it
loads the model with rasa.core.agent, parses every held-out utterance, scores the
intents like `rasa test nlu` does (sklearn's classification report, with a
FallbackClassifier prediction undone; the scores as served, where nlu_fallback
counts as a wrong label, are reported beside them) and times
single parses on the loaded model.
"""
from __future__ import annotations

import copy
import json
import sys
import time
from pathlib import Path
from typing import Any, Dict, List

ROOT = Path(__file__).resolve().parent.parent

# Our turn logic trusts an NLU intent only at this confidence (conversation/turn.py).
CONFIDENT = 0.7


def pipelines(config_path: Path) -> Dict[str, Dict[str, Any]]:
    """name -> Rasa config. (a) ours as in config.yml; (b) DIET with its default two transformer
    layers; (c) DIET swapped for LogisticRegressionClassifier."""
    import yaml

    ours = yaml.safe_load(config_path.read_text())
    ours.pop("policies", None)

    def swapped(step_for_diet) -> Dict[str, Any]:
        other = copy.deepcopy(ours)
        other["pipeline"] = [step_for_diet(step) if step["name"] == "DIETClassifier" else step for step in other["pipeline"]]
        return other
    with_transformer = {k: v for k, v in next(s for s in ours["pipeline"] if s["name"] == "DIETClassifier").items()
                        if k != "number_of_transformer_layers"}
    return {
        "ours_diet": {"label": "ours: spaCy blank + CountVectors + DIET 60 epochs, no transformer layers", "config": ours},
        "diet_transformer": {"label": "the same with DIET's default two transformer layers",
                             "config": swapped(lambda step: with_transformer)},
        "light_logreg": {"label": "same tokenizer/featurizers + LogisticRegressionClassifier",
                         "config": swapped(lambda step: {"name": "LogisticRegressionClassifier", "random_state": 1})},
    }


def write_config(config: Dict[str, Any], path: Path) -> Path:
    import yaml

    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


# --- evaluation, in its own process ----------------------------------------------------------

def _holdout(path: Path) -> List[Dict[str, str]]:
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(path))
    return [{"text": ex.get("text"), "intent": ex.get("intent"), "entities": ex.get("entities") or []}
            for ex in data.intent_examples]


def evaluate(model: str, holdout: Path, parses: int) -> Dict[str, Any]:
    import asyncio

    import numpy as np
    from sklearn.metrics import classification_report

    t0 = time.perf_counter()
    from rasa.core.agent import Agent
    import_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    agent = Agent.load(model)
    load_s = time.perf_counter() - t0
    examples = _holdout(holdout)
    loop = asyncio.new_event_loop()

    def parse(text: str) -> Dict[str, Any]:
        return loop.run_until_complete(agent.parse_message(text))

    truth, predicted, top_non_fallback, confident_right, confident = [], [], [], 0, 0
    annotated_entities = sum(len(e["entities"]) for e in examples)
    extracted_entities = 0
    for ex in examples:
        result = parse(ex["text"])
        intent = (result.get("intent") or {}).get("name")
        truth.append(ex["intent"])
        predicted.append(intent)
        ranking = [r for r in result.get("intent_ranking") or [] if r.get("name") != "nlu_fallback"]
        top_non_fallback.append(ranking[0]["name"] if ranking else intent)
        conf = (result.get("intent") or {}).get("confidence") or 0.0
        if intent != "nlu_fallback" and conf >= CONFIDENT:
            confident += 1
            confident_right += intent == ex["intent"]
        extracted_entities += len(result.get("entities") or [])
    report = classification_report(truth, predicted, output_dict=True, zero_division=0)
    report_nf = classification_report(truth, top_non_fallback, output_dict=True, zero_division=0)

    texts = [e["text"] for e in examples]
    for text in texts[:10]:  # warm-up
        parse(text)
    times = []
    for i in range(parses):
        t = time.perf_counter()
        parse(texts[i % len(texts)])
        times.append(time.perf_counter() - t)
    ms = np.array(times) * 1000
    n = len(examples)
    return {
        "holdout_utterances": n,
        # Like `rasa test nlu`: a FallbackClassifier prediction is undone (top intent kept).
        "intent_f1_weighted": round(report_nf["weighted avg"]["f1-score"], 4),
        "intent_f1_macro": round(report_nf["macro avg"]["f1-score"], 4),
        "intent_accuracy": round(report_nf["accuracy"], 4),
        "fallback_share": round(predicted.count("nlu_fallback") / n, 4),
        "served_with_fallback": {"f1_weighted": round(report["weighted avg"]["f1-score"], 4),
                                 "f1_macro": round(report["macro avg"]["f1-score"], 4),
                                 "accuracy": round(report["accuracy"], 4)},
        f"confident_share_{CONFIDENT}": round(confident / n, 4),
        f"confident_accuracy_{CONFIDENT}": round(confident_right / confident, 4) if confident else None,
        "entity_f1": None,
        "entity_note": (f"the held-out set annotates {annotated_entities} entities, so entity F1 is not defined; "
                        f"the pipeline extracted {extracted_entities} entities from it") if not annotated_entities
        else "entity scoring not implemented",
        "per_intent_f1": {k: round(v["f1-score"], 3) for k, v in report_nf.items() if isinstance(v, dict)
                          and k not in ("macro avg", "weighted avg")},
        "parse": {"parses": parses, "p50_ms": round(float(np.percentile(ms, 50)), 2),
                  "p95_ms": round(float(np.percentile(ms, 95)), 2), "mean_ms": round(float(ms.mean()), 2)},
        "import_rasa_s": round(import_s, 2),
        "model_load_s": round(load_s, 2),
    }


def main(argv: List[str]) -> int:
    if len(argv) >= 3 and argv[0] == "eval":
        parses = int(argv[3]) if len(argv) > 3 else 300
        print("BENCH-JSON " + json.dumps(evaluate(argv[1], Path(argv[2]), parses)))
        return 0
    print(__doc__)
    print("usage: python bench/nlu_compare.py eval MODEL HOLDOUT [PARSES]")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
