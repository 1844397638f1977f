"""How well the chat reads families' answers, on a labelled set kept apart from its tests.

Three sets in `bench/answers/`, each written as families talk by hands that had not seen the
parser, each answer with its correct reading ("ask" where a careful person would ask again):
`labelled.yml` and `heldout.yml` were used to find what the reading missed; `final.yml` was
measured untouched first (its first figures are kept in `results/answers.md`). Each is sent through the real turn (`conversation.turn.take_turn`) as the answer
to its waiting question, for the child in `bench/answers/baseline.yml`. Reported: accuracy
per kind of question, and the misreadings that would change the outcome, split by whether
the chat says the answer back before deciding on it.

    .venv/bin/python bench/answer_reading.py    (make bench-answers; writes bench/results/answers.{json,md})
"""
from __future__ import annotations

import datetime as dt
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any, Dict

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from conversation.turn import take_turn  # noqa: E402
from eligibility import evaluate, load_trial  # noqa: E402
from eligibility.served import served  # noqa: E402

HERE = ROOT / "bench" / "answers"
RESULTS = ROOT / "bench" / "results"
ASK = "ask"
GOAL = 0.98
ASKED_AGAIN_MAX = 0.2  # of the answers that have a plain reading, at most one in five asked again


def kind_of(trial, key: str) -> str:
    spec = trial.answers[key]
    if any(s.asked_as == key for s in trial.answers.values()):
        return "age"
    if trial.question(key).kind != spec.kind:
        return "scale"  # a number asked as descriptions (the activity score)
    return spec.kind


def reading(trial, turn, key: str) -> Any:
    """What the turn stored for the question on `key`, or "ask" when it stored nothing."""
    age_keys = [k for k, s in trial.answers.items() if s.asked_as == key]
    stored = {k: v for k, v in turn.updates.items() if k in [key, *age_keys] and v is not None}
    if not stored:
        return ASK
    if age_keys:
        return stored if stored != {key: "unknown"} else "unknown"
    return stored[key]


def same_below(trial, key: str, got: Any, means: Any) -> bool:
    """The activity scales offer one choice below their threshold (no answer below it can change
    the rule), so on a scored answer any score at or below that choice is the same answer."""
    floor = min((lv.score for s in trial.performance_scales.values() for lv in s.levels), default=None)
    scored = trial.answers[key].step is not None
    return scored and floor is not None and all(isinstance(v, int) and v <= floor for v in (got, means))


def plain(data: Any) -> Any:
    """YAML's dates as the ISO strings answers hold."""
    return json.loads(json.dumps(data, default=str))


def outcome(trial, answers: Dict[str, Any], today: dt.date) -> str:
    return evaluate(answers, today, trial).outcome


SETS = {"labelled": "written apart, then used to improve the reading",
        "heldout": "written apart, measured untuned (85.8%), then used to improve the reading",
        "final": "written apart, measured untuned (88.4%, 6 outcome-changing misreadings not said back), then its "
                 "harmful classes mended",
        "all_r3": "ALL R3's questions, written apart; measured untuned first (see its note in results)",
        "interfant_06": "Interfant-06's questions, written apart; measured untuned first (see its note in results)",
        "narrative": "written apart the way families write in blogs and forums (narrative, third person, names, "
                     "two times in one answer); measured untuned (67.3%, 34 of 144 plain answers asked again, 3 outcome-changing "
                     "misreadings not said back), then used to improve the reading",
        "forum": "written blind after the reading was tuned (forum and story style); measured untuned (85.0%, 8 of 98 plain "
                 "answers asked again, 2 outcome-changing misreadings not said back), then its classes mended"}


def load_set(name: str):
    """(trial, the child it is read for, today, labelled answers). A set of the default trial is a
    list, read for baseline.yml's child; another trial's set names it, and baseline.yml's
    `by_trial` gives its child."""
    setup = plain(yaml.safe_load((HERE / "baseline.yml").read_text()))
    data = plain(yaml.safe_load((HERE / f"{name}.yml").read_text()))
    if isinstance(data, dict):
        setup = {**setup, **setup["by_trial"][data["trial"]]}
        return served()[data["trial"]], setup, dt.date.fromisoformat(setup["today"]), data["answers"]
    return load_trial(), setup, dt.date.fromisoformat(setup["today"]), data


def measure(name: str) -> Dict[str, Any]:
    trial, setup, today, items = load_set(name)
    conventions = {(c["q"], c["say"]): c for c in plain(yaml.safe_load((HERE / "conventions.yml").read_text()))}
    as_written = plain_answers = asked_again = 0
    right, total = Counter(), Counter()
    harmful, harmful_said_back, wrong = [], [], []
    for item in items:
        key, text, written = item["q"], str(item["say"]), item["means"]
        means = conventions.get((key, text), item)["means"]
        child = {**setup["baseline"], **(setup.get("overrides") or {}).get(key, {})}
        for k in [key] + [k for k, s in trial.answers.items() if s.asked_as == key]:
            child.pop(k, None)
        slots = {"continue_closed": "yes", "chatting_as": "parent", **child}
        turn = take_turn(trial, slots, key, text, None, 0.0, today)
        got = reading(trial, turn, key)
        as_written += got == written
        kind = kind_of(trial, key)
        total[kind] += 1
        if means != ASK:
            plain_answers += 1
            asked_again += got == ASK
        if got == means or same_below(trial, key, got, means):
            right[kind] += 1
            continue
        wrong.append({"q": key, "say": text, "means": means, "read": got})
        if got == ASK:
            continue  # asked again: a message more, never a wrong decision
        meant = means if isinstance(means, dict) else ({} if means == ASK else {key: means})
        read_as = got if isinstance(got, dict) else {key: got}
        if outcome(trial, {**child, **meant}, today) != outcome(trial, {**child, **read_as}, today):
            said_back = bool(turn.updates.get("confirms"))
            (harmful_said_back if said_back else harmful).append(wrong[-1])
    n, ok = sum(total.values()), sum(right.values())
    return {
        "set": name, "trial": trial.trial.id, "how": SETS.get(name, ""), "answers": n, "read_right": ok, "accuracy": round(ok / n, 4),
        "accuracy_on_labels_as_written": round(as_written / n, 4),
        "plain_answers": plain_answers, "asked_again": asked_again, "asked_again_rate": round(asked_again / max(plain_answers, 1), 4),
        "by_kind": {k: {"answers": total[k], "accuracy": round(right[k] / total[k], 4)} for k in sorted(total)},
        "outcome_changing_not_said_back": harmful, "outcome_changing_said_back": harmful_said_back, "misread": wrong,
    }


def main(*names: str) -> int:
    reports = [measure(name) for name in (names or SETS)]
    n = sum(r["answers"] for r in reports)
    ok = sum(r["read_right"] for r in reports)
    summary = {"date": dt.date.today().isoformat(), "goal": GOAL, "answers": n, "accuracy": round(ok / n, 4),
               "outcome_changing_not_said_back": sum(len(r["outcome_changing_not_said_back"]) for r in reports),
               "asked_again_goal": ASKED_AGAIN_MAX,
               "asked_again_rate": round(sum(r["asked_again"] for r in reports) / max(sum(r["plain_answers"] for r in reports), 1), 4),
               "sets": reports}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "answers.json").write_text(json.dumps(summary, indent=1, default=str) + "\n")
    kinds = sorted({k for r in reports for k in r["by_kind"]})
    lines = ["# Reading families' answers", "",
             f"{n} labelled answers in {len(reports)} sets (`bench/answers/`), each read by the real turn logic "
             "(`conversation.turn.take_turn`) as the answer to its waiting question. A label `ask` is right when "
             "the chat stores nothing and asks again. `bench/answers/conventions.yml` replaces "
             f"{sum(1 for _ in yaml.safe_load((HERE / 'conventions.yml').read_text()))} labels of the first set "
             "where the product reads by a rule the writer did not know (ranges, a month or year alone). The activity "
             "scales offer one choice below 50, so any score at or below it counts as that one answer.", "",
             "| set | trial | how it was used | answers | " + " | ".join(kinds) + " | all | plain answers asked again | "
             "outcome-changing, not said back | said back first |",
             "|---|---|---|---|" + "---|" * len(kinds) + "---|---|---|---|"]
    for r in reports:
        cells = [f"{r['by_kind'][k]['accuracy']:.1%}" if k in r["by_kind"] else "" for k in kinds]
        lines.append(f"| {r['set']} | {r['trial']} | {r['how']} | {r['answers']} | " + " | ".join(cells) +
                     f" | **{r['accuracy']:.1%}** | {r['asked_again']}/{r['plain_answers']} ({r['asked_again_rate']:.0%}) | "
                     f"{len(r['outcome_changing_not_said_back'])} | {len(r['outcome_changing_said_back'])} |")
    lines += ["", f"All sets: **{ok / n:.1%}** (goal {GOAL:.0%}: {'met' if ok / n >= GOAL else 'not met'}); "
              f"outcome-changing misreadings not said back first: **{summary['outcome_changing_not_said_back']}** (goal 0); "
              f"answers with a plain reading asked again: **{summary['asked_again_rate']:.1%}** (goal at most "
              f"{ASKED_AGAIN_MAX:.0%}: {'met' if summary['asked_again_rate'] <= ASKED_AGAIN_MAX else 'not met'}).", ""]
    for r in reports:
        lines += [f"## {r['set']}: read otherwise than labelled", "", "| question | family said | labelled | read | changes the outcome |",
                  "|---|---|---|---|---|"]
        harmful = {(w["q"], w["say"]) for w in r["outcome_changing_not_said_back"]}
        said_back = {(w["q"], w["say"]) for w in r["outcome_changing_said_back"]}
        for w in r["misread"]:
            mark = "**yes, not said back**" if (w["q"], w["say"]) in harmful else ("yes, said back first" if (w["q"], w["say"]) in said_back else "")
            lines.append(f"| {w['q']} | {w['say']} | {w['means']} | {w['read']} | {mark} |")
        lines.append("")
    (RESULTS / "answers.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines[:len(reports) + 8]))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
