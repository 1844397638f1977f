"""The bench's report: the summary against the goals, and bench.md, from bench.json's results.

    .venv/bin/python bench/report.py [bench/results]    (writes bench.md again from bench.json)
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional

from goals import GOALS

# --- verdicts and the summary ------------------------------------------------------------------

def verdict_nlu(a: Dict[str, Any], b: Dict[str, Any], t: Optional[Dict[str, Any]] = None) -> str:
    """Ours (a) against LogisticRegression (b), and against DIET with its transformer (t)."""
    da = a["intent_f1_weighted"] - b["intent_f1_weighted"]
    conf_a, conf_b = a.get("confident_share_0.7"), b.get("confident_share_0.7")
    parts = [f"DIET {'beats' if da > 0 else 'trails'} LogisticRegression by {abs(da) * 100:.1f} points of weighted "
             f"intent F1 ({a['intent_f1_weighted']:.3f} vs {b['intent_f1_weighted']:.3f}; macro "
             f"{a['intent_f1_macro']:.3f} vs {b['intent_f1_macro']:.3f})",
             f"trains in {a['train_s']:.0f}s vs {b['train_s']:.0f}s and parses in {a['parse']['p50_ms']:.1f} vs "
             f"{b['parse']['p50_ms']:.1f} ms (p50)"]
    if conf_a is not None and conf_b is not None:
        parts.append(f"the chat trusts an intent only at confidence >= 0.7: that holds for {conf_a * 100:.0f}% of "
                     f"held-out utterances with DIET vs {conf_b * 100:.0f}% with LogisticRegression")
    best = "ours_diet (DIET)" if da > 0.01 else ("light_logreg (LogisticRegression)" if da < -0.01 else "neither clearly")
    verdict = f"The numbers support {best}: " + "; ".join(parts) + "."
    if t:
        verdict += (f" DIET without its transformer layers against with them: intent F1 {a['intent_f1_weighted']:.3f} vs "
                    f"{t['intent_f1_weighted']:.3f}, trusted intents right {_fmt(a.get('confident_accuracy_0.7'), '', 3)} vs "
                    f"{_fmt(t.get('confident_accuracy_0.7'), '', 3)}, model load {_fmt(a.get('model_load_s'))} vs "
                    f"{_fmt(t.get('model_load_s'))} s.")
    return verdict


def ratio(a: Optional[float], b: Optional[float]) -> Optional[float]:
    return round(a / b, 3) if a is not None and b else None


def dig(d: Any, *path: Any) -> Any:
    for p in path:
        if not isinstance(d, dict) or p not in d:
            return None
        d = d[p]
    return d


LEVELS = ("sequential", "1", "5", "20")


def _p95(side: Dict[str, Any], level: str) -> Any:
    return dig(side, "sequential") if level == "sequential" else dig(side, "concurrent", level)


def summary(o: Dict[str, Any]) -> Dict[str, Any]:
    """Each measure beside the starter's, and each goal of bench/goals.py met or not."""
    s = o.get("servers") or {}
    ours, ref = s.get("ours") or {}, s.get("starter") or {}
    train_ours = dig(o, "train", "ours", "train_s")
    train_ref = dig(o, "train", "starter", "train_s") or dig(o, "train", "starter", "init_incl_train_s")
    cold_o, cold_r = ours.get("cold_start_median_s"), ref.get("cold_start_median_s")
    mem_o, mem_r = dig(ours, "memory_after_warm_up", "total_rss_mb"), dig(ref, "memory_after_warm_up", "total_rss_mb")
    at_most = lambda value, limit: None if value is None else value <= limit
    goals: Dict[str, Dict[str, Any]] = {
        "cold_start": {"goal": f"ours/ref <= {GOALS['cold_start_ratio_max']}", "ratio": ratio(cold_o, cold_r)},
        "memory": {"goal": f"ours/ref <= {GOALS['memory_ratio_max']}", "ratio": ratio(mem_o, mem_r)},
        "train": {"goal": f"ours < {GOALS['train_s_max']} s", "value": train_ours,
                  "met": None if train_ours is None else train_ours < GOALS["train_s_max"]},
    }
    goals["cold_start"]["met"] = at_most(goals["cold_start"]["ratio"], GOALS["cold_start_ratio_max"])
    goals["memory"]["met"] = at_most(goals["memory"]["ratio"], GOALS["memory_ratio_max"])
    for level in LEVELS:
        a, b = _p95(ours, level), _p95(ref, level)
        p95 = ratio(dig(a, "p95_ms"), dig(b, "p95_ms"))
        errors = (dig(a, "errors") or 0) + (dig(a, "flow_errors") or 0) if a else None
        met = at_most(p95, GOALS["p95_ratio_max"])
        goals[f"p95_{level}"] = {"goal": f"ours/ref <= {GOALS['p95_ratio_max']} with 0 errors", "ratio": p95,
                                 "errors": errors, "met": None if met is None else met and not errors}
    by_turn = dig(ours, "sequential", "mean_ms_by_turn_number") or {}
    growth = ratio(by_turn.get("16-25"), by_turn.get("1-5"))
    goals["turn_growth"] = {"goal": f"turns 16-25 / turns 1-5 <= {GOALS['turn_growth_max']}", "ratio": growth,
                            "met": at_most(growth, GOALS["turn_growth_max"])}
    turns = dig(o, "families", "eligible", "median_turns")
    goals["eligible_messages"] = {"goal": f"median <= {GOALS['eligible_messages_max']}", "value": turns,
                                  "met": None if turns is None else turns <= GOALS["eligible_messages_max"]}
    trials = o.get("trials") or {}
    goals["trials_memory"] = {"goal": f"every trial / one <= {GOALS['trials_memory_ratio_max']}",
                              "ratio": trials.get("memory_all_vs_one"),
                              "met": at_most(trials.get("memory_all_vs_one"), GOALS["trials_memory_ratio_max"])}
    goals["trials_latency"] = {"goal": f"mean turn, {dig(trials, 'many', 'trial_files')} trials / every trial "
                                       f"<= {GOALS['trials_latency_ratio_max']}",
                               "ratio": trials.get("mean_ms_many_vs_all"),
                               "met": at_most(trials.get("mean_ms_many_vs_all"), GOALS["trials_latency_ratio_max"])}
    return {"train_s": {"ours": train_ours, "starter": train_ref, "ratio": ratio(train_ours, train_ref)},
            "cold_start_s": {"ours": cold_o, "starter": cold_r, "ratio": ratio(cold_o, cold_r)},
            "memory_mb": {"ours": mem_o, "starter": mem_r, "ratio": ratio(mem_o, mem_r)},
            "goals": goals}


# --- the report: markdown table and plot ---------------------------------------------------------

def _fmt(v: Any, unit: str = "", nd: int = 1) -> str:
    if v is None:
        return "n/a"
    if isinstance(v, float):
        return f"{v:.{nd}f}{unit}"
    return f"{v}{unit}"


def _status(met: Optional[bool]) -> str:
    return "n/a" if met is None else ("**met**" if met else "**not met**")


def _lat(d: Any) -> str:
    if not isinstance(d, dict) or not d.get("turns"):
        return "n/a"
    return f"{d['p50_ms']:.0f} / {d['p95_ms']:.0f} / {d['p99_ms']:.0f}"


def markdown(o: Dict[str, Any]) -> str:
    m, sm = o.get("machine") or {}, o.get("summary") or {}
    goals = sm.get("goals") or {}
    s = o.get("servers") or {}
    ours, ref = s.get("ours") or {}, s.get("starter") or {}
    v = m.get("versions") or {}
    L: List[str] = []
    L.append("# Benchmark: our assistant beside Rasa's starter bot\n")
    L.append(f"{m.get('date')} · {m.get('mode')} run ({m.get('bench_wall_s')} s) · {m.get('host_cpu')}, "
             f"{m.get('cpus_usable')} cores, {m.get('memory_gb')} GB · Python {m.get('python')}, Rasa {v.get('rasa')}, "
             f"rasa-sdk {v.get('rasa-sdk')}, TensorFlow {v.get('tensorflow')}, spaCy {v.get('spacy')} · "
             f"commit {m.get('git_commit')} (+{m.get('git_uncommitted_files')} uncommitted files) · loopback only\n")
    L.append("Reference = `rasa init --no-prompt` made at bench time (default pipeline and policies, in-memory "
             "tracker store, its empty action server started too). Ours = the servers as harness/servers.py starts "
             "them (SQLite tracker store in a temp folder, ASSISTANT_TODAY=2026-09-07).\n")
    bg = o.get("background_load") or {}
    during = bg.get("during_steps") or {}
    busy = {k: v for k, v in during.items() if not k.startswith("waiting")
            and (v.get("mean_foreign_cpu_pct", 0) >= 5 or v.get("max_foreign_cpu_pct", 0) >= 20)}
    if busy:
        L.append("**Other processes were using the CPU during the run** (mean % of the machine's cores used by "
                 "processes that are not this benchmark's): " + "; ".join(
                     f"{k}: {v['mean_foreign_cpu_pct']}% (max {v['max_foreign_cpu_pct']}%"
                     + (f", e.g. {', '.join(v['busiest_foreign'][:2])}" if v.get('busiest_foreign') else "") + ")"
                     for k, v in busy.items()) + ". Numbers from those steps may be pessimistic.\n")
    elif during:
        L.append("Other processes used under 5% of the CPU (never over 20%) in every measured step.\n")
    waits = {k: v for k, v in (bg.get("gates") or {}).items() if v.get("waited_s", 0) > 5 or not v.get("quiet")}
    if waits:
        L.append("Before measuring, the bench waited for other processes to leave the CPU: " + "; ".join(
            f"before {k} {v['waited_s']:.0f} s ({'then quiet' if v.get('quiet') else 'still busy: ' + ', '.join(v.get('top_foreign') or [])})"
            for k, v in waits.items()) + ".\n")
    L.append("## Head to head\n")
    L.append("| measure | ours | reference | ours / ref | goal | status |")
    L.append("|---|---|---|---|---|---|")
    tr = sm.get("train_s") or {}
    L.append(f"| train from scratch (`rasa train --force`), s | {_fmt(tr.get('ours'))} | {_fmt(tr.get('starter'))} | "
             f"{_fmt(tr.get('ratio'), '×', 2)} | < {GOALS['train_s_max']} s | {_status((goals.get('train') or {}).get('met'))} |")
    cs = sm.get("cold_start_s") or {}
    n_o, n_r = len(ours.get("cold_start") or []), len(ref.get("cold_start") or [])
    L.append(f"| cold start to ready (both servers answer; median of {n_o}/{n_r}), s | {_fmt(cs.get('ours'))} | "
             f"{_fmt(cs.get('starter'))} | {_fmt(cs.get('ratio'), '×', 2)} | ≤ {GOALS['cold_start_ratio_max']}× | "
             f"{_status((goals.get('cold_start') or {}).get('met'))} |")
    L.append(f"| first reply after ready, s | {_fmt(ours.get('first_reply_median_s'), '', 2)} | "
             f"{_fmt(ref.get('first_reply_median_s'), '', 2)} | "
             f"{_fmt(ratio(ours.get('first_reply_median_s'), ref.get('first_reply_median_s')), '×', 2)} | | |")
    mem = sm.get("memory_mb") or {}
    L.append(f"| resident memory after warm-up (rasa + actions), MB | {_fmt(mem.get('ours'), '', 0)} | "
             f"{_fmt(mem.get('starter'), '', 0)} | {_fmt(mem.get('ratio'), '×', 2)} | ≤ {GOALS['memory_ratio_max']}× | "
             f"{_status((goals.get('memory') or {}).get('met'))} |")
    for part in ("rasa", "actions"):
        a, b = dig(ours, "memory_after_warm_up", part, "rss_mb"), dig(ref, "memory_after_warm_up", part, "rss_mb")
        L.append(f"| · of which {'`rasa run`' if part == 'rasa' else 'the action server'}, MB | {_fmt(a, '', 0)} | "
                 f"{_fmt(b, '', 0)} | {_fmt(ratio(a, b), '×', 2)} | | |")
    a, b = dig(ours, "memory_after_load", "total_rss_mb"), dig(ref, "memory_after_load", "total_rss_mb")
    L.append(f"| resident memory after the load runs, MB | {_fmt(a, '', 0)} | {_fmt(b, '', 0)} | "
             f"{_fmt(ratio(a, b), '×', 2)} | | |")
    p95_goal = f"≤ {GOALS['p95_ratio_max']}× p95, 0 errors"
    a, b = ours.get("sequential"), ref.get("sequential")
    L.append(f"| sequential turn latency p50 / p95 / p99, ms ({dig(a, 'turns')} / {dig(b, 'turns')} turns) | "
             f"{_lat(a)} | {_lat(b)} | {_fmt(ratio(dig(a, 'p95_ms'), dig(b, 'p95_ms')), '×', 2)} (p95) | {p95_goal} | "
             f"{_status((goals.get('p95_sequential') or {}).get('met'))} |")
    by_o, by_r = dig(a, "mean_ms_by_turn_number") or {}, dig(b, "mean_ms_by_turn_number") or {}
    if by_o or by_r:
        keys = list(dict.fromkeys(list(by_o) + list(by_r)))
        growth = goals.get("turn_growth") or {}
        L.append(f"| · sequential mean ms by turn number in the conversation ({' / '.join(keys)}) | "
                 f"{' / '.join(_fmt(by_o.get(k), '', 0) for k in keys)} | {' / '.join(_fmt(by_r.get(k), '', 0) for k in keys)} | "
                 f"{_fmt(growth.get('ratio'), '×', 2)} (16-25 / 1-5, ours) | ≤ {GOALS['turn_growth_max']}× | {_status(growth.get('met'))} |")
    for c in ("1", "5", "20"):
        a, b = dig(ours, "concurrent", c), dig(ref, "concurrent", c)
        goal, status = p95_goal, _status((goals.get(f"p95_{c}") or {}).get("met"))
        L.append(f"| {c} concurrent: p50 / p95 / p99, ms ({dig(a, 'turns')} / {dig(b, 'turns')} turns) | {_lat(a)} | "
                 f"{_lat(b)} | {_fmt(ratio(dig(a, 'p95_ms'), dig(b, 'p95_ms')), '×', 2)} (p95) | {goal} | {status} |")
        L.append(f"| {c} concurrent: throughput, turns/s · errors (transport + flow) | "
                 f"{_fmt(dig(a, 'turns_per_s'))} · {dig(a, 'errors')} + {dig(a, 'flow_errors')} | "
                 f"{_fmt(dig(b, 'turns_per_s'))} · {dig(b, 'errors')} + {dig(b, 'flow_errors')} | "
                 f"{_fmt(ratio(dig(a, 'turns_per_s'), dig(b, 'turns_per_s')), '×', 2)} | | |")
    L.append(f"\nA conversation is {ours.get('turns_per_conversation')} turns for both: ours walks the real flow "
             "(harness/walks.py ELIGIBLE_WALK: hi, who is chatting, answers, checklists) to the decision, then accepts "
             "the hand-off and asks about the trial; the reference loops over its own intents (hi, I am sad, yes, bye). "
             "Concurrent levels run "
             + ", ".join(f"{c} client{'s' if str(c) != '1' else ''} × {n} conversation{'s' if str(n) != '1' else ''}" for c, n in (m.get("settings") or {}).get("levels", {}).items())
             + ".\n")

    an = o.get("startup_anatomy") or {}
    to, trr = dig(o, "train", "ours") or {}, dig(o, "train", "starter") or {}
    L.append("## What start-up and training are made of\n")
    L.append("| part | seconds |")
    L.append("|---|---|")
    for key, label in (("python_bare_s", "bare Python process"), ("import_tensorflow_s", "`import tensorflow`"),
                       ("import_rasa_core_agent_s", "`import rasa.core.agent` (imports TensorFlow)"),
                       ("import_ours_action_server_s", "our action server's imports (rasa_sdk + actions)"),
                       ("model_load_ours_s", "`Agent.load` of our model (after imports)"),
                       ("model_load_starter_s", "`Agent.load` of the starter's model (after imports)")):
        L.append(f"| {label} | {_fmt(an.get(key), '', 2)} |")
    for who, t in (("ours", to), ("starter", trr)):
        comps = t.get("components_s") or {}
        if comps:
            top = sorted(comps.items(), key=lambda kv: -kv[1])[:4]
            L.append(f"| training, {who}: " + ", ".join(f"{k} {vv:.0f}" for k, vv in top) + " | "
                     f"{_fmt(t.get('train_s'))} total |")
    if trr.get("init_incl_train_s") is not None:
        L.append(f"| `rasa init --no-prompt` of the starter (includes its first training) | {_fmt(trr['init_incl_train_s'])} |")

    at = o.get("attribution") or {}
    if at.get("sequential"):
        seq_main = dig(ours, "sequential", "mean_ms")
        L.append("\n## Where a turn of ours goes (diagnostic run)\n")
        L.append(f"A separate launch of ours with Rasa's in-memory tracker store and a timing proxy in front of the action "
                 f"server, {at['sequential'].get('turns')} sequential turns: mean {at['sequential'].get('mean_ms')} ms per "
                 f"turn (with the SQLite store in the main run: {seq_main} ms). Per turn, "
                 f"{at.get('action_calls_per_turn')} action-server calls take {at.get('action_server_ms_per_turn')} ms; "
                 f"Rasa itself (NLU, policies, tracker, HTTP) takes the other {at.get('rasa_and_http_ms_per_turn')} ms. "
                 f"{(at.get('note') or '')[:1].upper()}{(at.get('note') or '')[1:]}.\n")
        sc = at.get("rasa_response_schema_check")
        if sc:
            L.append(f"Left as Rasa ships it, validating each action-server response with `jsonschema.validate()` "
                     f"would cost about {at.get('rasa_response_schema_check_ms_per_turn')} ms per turn: it re-checks "
                     f"Rasa's own response schema against the {sc.get('validator')} meta-schema on every call, "
                     f"{sc.get('as_rasa_calls_ms')} ms per call, against {sc.get('prebuilt_validator_ms')} ms with the "
                     f"validator built once, as server/speedups.py does in the servers measured here. The starter "
                     f"makes no action-server calls.\n")
        L.append("| action | calls | mean ms | total ms |")
        L.append("|---|---|---|---|")
        for name, e in list((at.get("by_action") or {}).items())[:8]:
            L.append(f"| {name} | {e['calls']} | {e['mean_ms']} | {e['total_ms']} |")

    nlu = o.get("nlu") or {}
    L.append("\n## NLU on bench/nlu_holdout.yml (395 held-out utterances; trained on data/nlu only)\n")
    L.append("| pipeline | train, s | intent F1 weighted | intent F1 macro | accuracy | served with fallback: F1 w. / fallback share | "
             "confidence ≥ 0.7: share / accuracy | model load, s | parse p50 / p95, ms | entity F1 |")
    L.append("|---|---|---|---|---|---|---|---|---|---|")
    for name, e in nlu.items():
        if not isinstance(e, dict):
            continue
        if "intent_f1_weighted" not in e:
            L.append(f"| {name} | {_fmt(e.get('train_s'))} | error: {e.get('error', '')[:80]} | | | | | | | |")
            continue
        L.append(f"| {name}: {e['label']} | {_fmt(e.get('train_s'))} | {e['intent_f1_weighted']:.3f} | "
                 f"{e['intent_f1_macro']:.3f} | {e['intent_accuracy']:.3f} | "
                 f"{e['served_with_fallback']['f1_weighted']:.3f} / {e['fallback_share'] * 100:.1f}% | "
                 f"{_fmt(e.get('confident_share_0.7'), '', 3)} / {_fmt(e.get('confident_accuracy_0.7'), '', 3)} | "
                 f"{_fmt(e.get('model_load_s'))} | {e['parse']['p50_ms']:.1f} / {e['parse']['p95_ms']:.1f} | n/a¹ |")
    if nlu.get("verdict"):
        L.append(f"\n{nlu['verdict']}\n")
    note = next((e.get("entity_note") for e in nlu.values() if isinstance(e, dict) and e.get("entity_note")), None)
    if note:
        L.append(f"¹ Entity F1: {note}.\n")

    f = o.get("families") or {}
    if f:
        el = f.get("eligible") or {}
        L.append(f"## Simulated families ({f.get('run')} of {f.get('families')}, over REST against ours)\n")
        L.append("| measure | value |")
        L.append("|---|---|")
        L.append(f"| expected outcomes (engine) | {', '.join(f'{k} {v}' for k, v in sorted((f.get('expected_outcomes') or {}).items()))} |")
        L.append(f"| completion rate (reached a decision) | {f.get('completion_rate', 0) * 100:.0f}% |")
        L.append(f"| correct outcome vs the engine | {f.get('correct_outcome_rate', 0) * 100:.0f}% |")
        L.append(f"| exact decision payload (outcome, failed, unknown, eligible_from) | {f.get('exact_payload_rate', 0) * 100:.0f}% |")
        L.append(f"| median user turns to the decision | {f.get('median_user_turns_to_decision')} |")
        L.append(f"| hand-off offered / given (half accept) | {f.get('handoff_offer_rate', 0) * 100:.0f}% / "
                 f"{f.get('handoff_rate', 0) * 100:.0f}% (given to {_fmt((f.get('handoff_given_when_accepted') or 0) * 100, '%', 0)} "
                 f"of those who accepted, {f.get('handoff_given_when_declined')} who declined) |")
        L.append(f"| questions asked again (a phrasing not understood) | {f.get('reasks')} in {f.get('families_with_reasks')} families |")
        L.append(f"| eligible children: median user turns vs median questions that applied | {el.get('median_turns')} vs "
                 f"{el.get('median_questions_applied')} (+3 = {(el.get('median_questions_applied') or 0) + 3}); "
                 f"median excess over questions + 3: {el.get('median_excess_over_questions_plus_3')}; "
                 f"within questions + 3: {el.get('within_questions_plus_3')} of {el.get('families')} |")
        L.append(f"| goal: eligible children decided in at most {GOALS['eligible_messages_max']} user messages (median) | "
                 f"{_status((goals.get('eligible_messages') or {}).get('met'))} |")
        if f.get("wrong"):
            L.append("\nNot matching the engine:\n")
            L += [f"- {w}" for w in f["wrong"][:15]]
        if f.get("errors"):
            L.append("\nErrors:\n")
            L += [f"- {w}" for w in f["errors"][:15]]
        L.append("")

    t = o.get("trials") or {}
    if t:
        L.append("## Every trial from one deployment\n")
        L.append("The same model and servers with three trial folders (TRIALS_DIR): the default trial's file alone, "
                 "every trial file in trials/, and every file plus copies under new ids. Memory after one warm-up "
                 "conversation; then sequential turns of the default trial's conversation. A start is "
                 "also what adding a trial file costs: a restart, with no training.\n")
        L.append("| trial files | start to ready (one start), s | resident memory, MB | mean / p95 turn, ms (turns) |")
        L.append("|---|---|---|---|")
        for name in ("one", "all", "many"):
            row = t.get(name) or {}
            seq = row.get("sequential") or {}
            L.append(f"| {row.get('trial_files')} ({name}) | {_fmt(dig(row, 'start', 'ready_s'), '', 1)} | "
                     f"{_fmt(dig(row, 'memory', 'total_rss_mb'), '', 0)} | "
                     f"{_fmt(seq.get('mean_ms'), '', 0)} / {_fmt(seq.get('p95_ms'), '', 0)} ({seq.get('turns')}) |")
        for key, label in (("trials_memory", "memory, every trial file against one"),
                           ("trials_latency", "mean turn latency, many trial files against every file")):
            g = goals.get(key) or {}
            L.append(f"\n{label}: {_fmt(g.get('ratio'), '×', 3)} (goal: {g.get('goal')}) {_status(g.get('met'))}")
        L.append("")

    e = o.get("engine") or {}
    if e:
        L.append(f"## Engine\n\n{e.get('evaluations_per_second')} evaluations/s and {e.get('next_question_per_second')} "
                 f"next-question choices/s in one process (bench/engine.py's mix of {e.get('cases')} cases).\n")
    if o.get("errors"):
        L.append("## Steps that failed\n")
        L += [f"- {x['step']}: {x['error'][:300]}" for x in o["errors"]]
        L.append("")
    return "\n".join(L) + "\n"


def main(argv: List[str]) -> int:
    out = Path(argv[0] if argv else Path(__file__).resolve().parent / "results")
    result = json.loads((out / "bench.json").read_text())
    result["summary"] = summary(result)
    (out / "bench.json").write_text(json.dumps(result, indent=2, default=str) + "\n")
    (out / "bench.md").write_text(markdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
