"""The bench's plot, bench.png, from bench.json's results."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Dict

from goals import GOALS
from report import _fmt, dig

def plot(o: Dict[str, Any], path: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    s = o.get("servers") or {}
    ours, ref = s.get("ours") or {}, s.get("starter") or {}
    sm = o.get("summary") or {}
    c_o, c_r = "#1f6f8b", "#b8b8b8"
    fig, axes = plt.subplots(2, 3, figsize=(17, 10))
    fig.suptitle(f"Ours vs Rasa starter bot · {(o.get('machine') or {}).get('date', '')[:10]} · "
                 f"{(o.get('machine') or {}).get('cpus_usable')} cores · loopback", fontsize=14)

    ax = axes[0, 0]
    labels = ["train from scratch", "cold start to ready"]
    vo = [sm.get("train_s", {}).get("ours"), sm.get("cold_start_s", {}).get("ours")]
    vr = [sm.get("train_s", {}).get("starter"), sm.get("cold_start_s", {}).get("starter")]
    x = np.arange(len(labels))
    bo = ax.bar(x - 0.2, [v or 0 for v in vo], 0.4, label="ours", color=c_o)
    br = ax.bar(x + 0.2, [v or 0 for v in vr], 0.4, label="starter", color=c_r)
    ax.bar_label(bo, labels=[_fmt(v, " s") for v in vo], fontsize=9)
    ax.bar_label(br, labels=[_fmt(v, " s") for v in vr], fontsize=9)
    ax.hlines(GOALS["train_s_max"], -0.45, 0.45, color="red", lw=1, ls=":")
    ax.text(0, GOALS["train_s_max"], f"goal < {GOALS['train_s_max']} s", color="red", fontsize=8, ha="center", va="bottom")
    if vr[1]:
        ax.hlines(GOALS["cold_start_ratio_max"] * vr[1], 0.55, 1.45, color="red", lw=1, ls=":")
        ax.text(1.42, GOALS["cold_start_ratio_max"] * vr[1] + 1, f"goal {GOALS['cold_start_ratio_max']}× starter", color="red", fontsize=8,
                ha="right", va="bottom")
    fr_o, fr_r = ours.get("first_reply_median_s"), ref.get("first_reply_median_s")
    ax.text(0.98, 0.85, f"first reply after ready: ours {_fmt(fr_o, ' s', 2)}, starter {_fmt(fr_r, ' s', 2)}",
            transform=ax.transAxes, ha="right", va="top", fontsize=8)
    ax.set_xticks(x, labels)
    ax.set_ylabel("seconds")
    ax.set_title("Training and cold start (lower is better)")
    ax.legend(loc="center right")

    ax = axes[0, 1]
    names = ["ours", "starter"]
    rasa_mb = [dig(d, "memory_after_warm_up", "rasa", "rss_mb") or 0 for d in (ours, ref)]
    act_mb = [dig(d, "memory_after_warm_up", "actions", "rss_mb") or 0 for d in (ours, ref)]
    ax.bar(names, rasa_mb, color=[c_o, c_r], label="rasa run")
    ax.bar(names, act_mb, bottom=rasa_mb, color=[c_o, c_r], alpha=0.5, hatch="//", label="action server")
    for i, (a, b) in enumerate(zip(rasa_mb, act_mb)):
        ax.text(i, a + b, f"{a + b:.0f} MB", ha="center", va="bottom")
    if rasa_mb[1] + act_mb[1]:
        ax.axhline(GOALS["memory_ratio_max"] * (rasa_mb[1] + act_mb[1]), color="red", lw=0.8, ls=":")
        ax.text(1.4, GOALS["memory_ratio_max"] * (rasa_mb[1] + act_mb[1]), f"goal {GOALS['memory_ratio_max']}× starter", color="red", fontsize=8, va="bottom",
                ha="right")
    ax.set_ylabel("resident memory, MB")
    ax.set_title("Memory after warm-up (solid: rasa, hatched: actions)")

    ax = axes[0, 2]
    levels = ["seq", "1", "5", "20"]
    for d, name, col in ((ours, "ours", c_o), (ref, "starter", "#777777")):
        rows = [d.get("sequential")] + [dig(d, "concurrent", c) for c in levels[1:]]
        for key, ls in (("p50_ms", "--"), ("p95_ms", "-"), ("p99_ms", ":")):
            ax.plot(levels, [(dig(r, key) or np.nan) for r in rows], ls, marker="o", color=col, label=f"{name} {key[:3]}")
    ax.set_yscale("log")
    ax.set_xlabel("concurrent conversations")
    ax.set_ylabel("turn latency, ms (log)")
    ax.set_title("REST turn latency: p50 dashed, p95 solid, p99 dotted")
    ax.legend(fontsize=8, ncol=2)

    ax = axes[1, 0]
    x = np.arange(len(levels))
    tp_o = [dig(ours, "sequential", "turns_per_s")] + [dig(ours, "concurrent", c, "turns_per_s") for c in levels[1:]]
    tp_r = [dig(ref, "sequential", "turns_per_s")] + [dig(ref, "concurrent", c, "turns_per_s") for c in levels[1:]]
    bo = ax.bar(x - 0.2, [v or 0 for v in tp_o], 0.4, color=c_o, label="ours")
    br = ax.bar(x + 0.2, [v or 0 for v in tp_r], 0.4, color=c_r, label="starter")
    ax.bar_label(bo, labels=[_fmt(v) for v in tp_o], fontsize=9)
    ax.bar_label(br, labels=[_fmt(v) for v in tp_r], fontsize=9)
    errs = [(dig(ours, "concurrent", c, "errors") or 0) + (dig(ours, "concurrent", c, "flow_errors") or 0) for c in levels[1:]]
    ax.set_xticks(x, levels)
    ax.set_xlabel("concurrent conversations")
    ax.set_ylabel("turns per second")
    ax.set_title(f"Throughput (ours errors at 1/5/20: {'/'.join(map(str, errs))})")
    ax.set_ylim(0, max([v or 0 for v in tp_o + tp_r] + [1]) * 1.3)
    ax.legend(loc="upper center", ncol=2)

    ax = axes[1, 1]
    nlu = {k: v for k, v in (o.get("nlu") or {}).items() if isinstance(v, dict) and "intent_f1_weighted" in v}
    if nlu:
        metrics = [("intent_f1_weighted", "F1 weighted"), ("intent_f1_macro", "F1 macro"), ("intent_accuracy", "accuracy"),
                   ("confident_share_0.7", "share conf ≥ 0.7")]
        x = np.arange(len(metrics))
        width = 0.8 / len(nlu)
        for i, (name, e) in enumerate(nlu.items()):
            vals = [e.get(k) or 0 for k, _ in metrics]
            bars = ax.bar(x + (i - (len(nlu) - 1) / 2) * width, vals, width, color=[c_o, "#e39b3b"][i % 2],
                          label=f"{name}: train {e.get('train_s', 0):.0f} s, parse {e['parse']['p50_ms']:.1f} ms")
            ax.bar_label(bars, labels=[f"{v:.2f}" for v in vals], fontsize=8)
        ax.set_xticks(x, [m for _, m in metrics])
        ax.set_ylim(0, 1.1)
        ax.legend(fontsize=8, loc="lower left")
    ax.set_title("NLU on 395 held-out utterances")

    ax = axes[1, 2]
    f = o.get("families") or {}
    runs = f.get("runs") or []
    colours = {"likely_eligible": "#2a9d4b", "not_yet": "#e39b3b", "unsure": "#7b5ea7", "not_eligible": "#c0392b"}
    for outcome, col in colours.items():
        pts = [(r["questions_applied"], r["turns_to_decision"]) for r in runs if r["expected"] == outcome and r["turns_to_decision"]]
        if pts:
            jitter = np.random.default_rng(1).uniform(-0.15, 0.15, len(pts))
            ax.scatter([p[0] + j for p, j in zip(pts, jitter)], [p[1] for p in pts], color=col, alpha=0.75, label=outcome)
    wrong = [(r["questions_applied"], r["turns_to_decision"]) for r in runs if r["turns_to_decision"] and not r["outcome_correct"]]
    if wrong:
        ax.scatter(*zip(*wrong), facecolors="none", edgecolors="black", s=120, label="wrong outcome")
    if runs:
        q = [r["questions_applied"] for r in runs]
        xs = np.array([min(q), max(q)])
        ax.plot(xs, xs + 3, "k:", lw=1, label="questions + 3")
        ax.plot(xs, xs + 4, color="grey", ls="--", lw=0.8, label="questions + 4 (hi, carry on, who, review)")
    ax.set_xlabel("questions that applied (engine)")
    ax.set_ylabel("user turns to the decision")
    ax.set_title(f"{len(runs)} families: complete {f.get('completion_rate', 0) * 100:.0f}%, "
                 f"correct {f.get('correct_outcome_rate', 0) * 100:.0f}%, hand-off {f.get('handoff_rate', 0) * 100:.0f}%")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
