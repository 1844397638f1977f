"""`make bench`: our assistant beside Rasa's starter bot, on this machine, loopback only.

One run measures, in order: engine evaluations per second; training from scratch
(the starter made by `rasa init --no-prompt`, then `rasa train --force` in its
folder; ours with `rasa train --force` into a temporary folder, models/ untouched);
what start-up is made of (imports, model load); NLU quality of two pipelines on
bench/nlu_holdout.yml; cold start, memory and REST turn latency of both
assistants; and simulated families driving ours to a decision. Results go to
bench/results/bench.json, bench.md and bench.png.

    .venv/bin/python bench/run.py [--quick] [--keep]

--quick makes every loop smaller (one cold start each, short conversations,
12 families, no separate starter retrain) for a run of a few minutes.
"""
from __future__ import annotations

import argparse
import atexit
import datetime as dt
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from importlib import metadata
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

import families  # noqa: E402
import latency  # noqa: E402
import nlu_compare  # noqa: E402
import starter  # noqa: E402
from harness.walks import finish, walk  # noqa: E402
from harness.servers import Assistant, free_port  # noqa: E402

BIN = Path(sys.executable).parent
RASA = BIN / "rasa"
RESULTS = HERE / "results"
HOLDOUT = HERE / "nlu_holdout.yml"

GOALS = {"cold_start_ratio_max": 0.5, "p95_c20_ratio_max": 1.5, "memory_ratio_max": 0.8, "train_s_max": 120}

FULL = {"cold_starts": 3, "sequential_turns": 200, "levels": {1: 4, 5: 3, 20: 1}, "turns_per_conv": None,
        "level_time_limit_s": 300, "families": 40, "family_threads": 4, "families_time_limit_s": 600,
        "parses": 300, "engine_seconds": 2.0, "starter_retrain": True, "attribution_turns": 100, "train_timeout_s": 1200,
        "quiet_wait_s": 300}
QUICK = {"cold_starts": 1, "sequential_turns": 50, "levels": {1: 1, 5: 1, 20: 1}, "turns_per_conv": 10,
         "level_time_limit_s": 120, "families": 12, "family_threads": 4, "families_time_limit_s": 300,
         "parses": 100, "engine_seconds": 0.5, "starter_retrain": False, "attribution_turns": 30, "train_timeout_s": 1200,
         "quiet_wait_s": 30}


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def base_env() -> Dict[str, str]:
    # Loopback only: Rasa's telemetry would otherwise post to the internet.
    return dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", RASA_TELEMETRY_ENABLED="false", PYTHONDONTWRITEBYTECODE="1")


class Bench:
    def __init__(self, quick: bool, tmp: Path):
        self.quick = quick
        self.cfg = QUICK if quick else FULL
        self.tmp = tmp
        self.env = base_env()
        self.out: Dict[str, Any] = {"errors": []}
        self.starter_path: Optional[Path] = None
        self.starter_model: Optional[str] = None
        self.ours_model: Optional[str] = None
        self.conv_turns = 25
        self.monitor: Optional[latency.LoadMonitor] = None
        self.gates: Dict[str, Any] = {}

    def gate(self, before: str) -> None:
        """Wait, bounded, for other people's processes to leave the CPU alone; record what was seen."""
        if self.monitor:
            self.monitor.step = f"waiting for a quiet machine before {before}"
        result = latency.wait_quiet(self.cfg["quiet_wait_s"])
        self.gates[before] = result
        note = "quiet" if result["quiet"] else f"NOT quiet: {', '.join(result['top_foreign'])}"
        log(f"machine before {before}: other processes use {result['foreign_cpu_pct']}% CPU ({note}; "
            f"waited {result['waited_s']:.0f}s)")

    def step(self, name: str, fn: Callable[[], Any]) -> Any:
        log(f"{name} ...")
        if self.monitor:
            self.monitor.step = name
        t0 = time.perf_counter()
        try:
            value = fn()
            log(f"{name} done in {time.perf_counter() - t0:.0f}s")
            return value
        except Exception as err:  # noqa: BLE001 - one failed part must not lose the others
            log(f"{name} FAILED: {err}")
            self.out["errors"].append({"step": name, "error": f"{type(err).__name__}: {err}"[:3000],
                                       "trace": traceback.format_exc()[-3000:]})
            return None

    # --- machine -----------------------------------------------------------------------------

    def machine(self) -> Dict[str, Any]:
        cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                    if line.startswith("model name")), platform.processor())
        mem = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                    if line.startswith("MemTotal")), 0)
        versions = {}
        for pkg in ["rasa", "rasa-sdk", "tensorflow", "spacy", "scikit-learn", "sanic", "numpy", "SQLAlchemy"]:
            try:
                versions[pkg] = metadata.version(pkg)
            except metadata.PackageNotFoundError:
                versions[pkg] = None

        def git(*args: str) -> str:
            try:
                return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10).stdout.strip()
            except (OSError, subprocess.SubprocessError):
                return ""
        return {
            "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "host_cpu": cpu, "cpus": os.cpu_count(), "cpus_usable": len(os.sched_getaffinity(0)),
            "memory_gb": round(mem / 1024 / 1024, 1), "kernel": platform.release(), "os": platform.platform(),
            "python": platform.python_version(), "versions": versions,
            "git_commit": git("rev-parse", "--short", "HEAD"),
            "git_uncommitted_files": len([x for x in git("status", "--porcelain").splitlines() if x.strip()]),
            "mode": "quick" if self.quick else "full", "settings": self.cfg,
        }

    # --- engine ------------------------------------------------------------------------------

    def engine(self) -> Dict[str, Any]:
        import engine as engine_bench  # bench/engine.py
        from eligibility import evaluate, load_trial, next_question

        trial = load_trial()
        secs = self.cfg["engine_seconds"]
        return {
            "evaluations_per_second": round(engine_bench.per_second(lambda a: evaluate(a, engine_bench.TODAY, trial), secs)),
            "next_question_per_second": round(engine_bench.per_second(
                lambda a: next_question(a, engine_bench.TODAY, trial), secs)),
            "cases": len(engine_bench.CASES), "single_process": True,
        }

    # --- training ----------------------------------------------------------------------------

    def starter_create(self) -> Dict[str, Any]:
        made = starter.create(RASA, self.tmp, self.env, self.cfg["train_timeout_s"])
        self.starter_path = Path(made["path"])
        self.starter_model = starter.latest_model(self.starter_path)
        made["components_s"] = starter.component_seconds(self.tmp / "starter-init.log")
        return made

    def starter_train(self) -> Dict[str, Any]:
        trained = starter.train(RASA, self.starter_path, self.tmp, self.env, self.cfg["train_timeout_s"])
        self.starter_model = trained["model"]
        return trained

    def ours_train(self) -> Dict[str, Any]:
        out_dir = self.tmp / "ours-model"
        logf = self.tmp / "ours-train.log"
        domain = subprocess.run([sys.executable, "scripts/trial_domain.py"], cwd=ROOT, capture_output=True,
                                text=True, check=True).stdout.strip()
        res = starter.run_timed([str(RASA), "train", "--force", "--domain", domain, "--fixed-model-name", "bench",
                                 "--out", str(out_dir)],
                                ROOT, {**self.env, "RASA_CACHE_DIRECTORY": str(self.tmp / "cache-ours")}, logf,
                                self.cfg["train_timeout_s"])
        self.ours_model = str(out_dir / "bench.tar.gz")
        comps = starter.component_seconds(logf)
        return {"train_s": res["wall_s"], "components_s": comps,
                "outside_components_s": round(res["wall_s"] - sum(comps.values()), 1)}

    # --- start-up anatomy -------------------------------------------------------------------------

    def _timed_python(self, code: str, cwd: Path, env: Dict[str, str]) -> float:
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, check=True, timeout=300,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return round(time.perf_counter() - t0, 2)

    def anatomy(self) -> Dict[str, Any]:
        """Wall seconds of fresh processes: what a cold start is made of."""
        env = {**self.env, "PYTHONPATH": str(ROOT)}
        out = {
            "python_bare_s": self._timed_python("pass", ROOT, env),
            "import_tensorflow_s": self._timed_python("import tensorflow", ROOT, env),
            "import_rasa_core_agent_s": self._timed_python("import rasa.core.agent", ROOT, env),
            "import_ours_action_server_s": self._timed_python(
                "import rasa_sdk.endpoint\nfrom rasa_sdk.executor import ActionExecutor\n"
                "ActionExecutor().register_package('actions')", ROOT, env),
        }
        load = ("import time, sys\nfrom rasa.core.agent import Agent\nt = time.perf_counter()\n"
                "Agent.load(sys.argv[1])\nprint(round(time.perf_counter() - t, 2))")
        for name, model, cwd in (("ours", self.ours_model, ROOT), ("starter", self.starter_model, self.starter_path)):
            if model and cwd:
                proc = subprocess.run([sys.executable, "-c", load, model], cwd=cwd, env=env, capture_output=True,
                                      text=True, timeout=300, check=True)
                out[f"model_load_{name}_s"] = float(proc.stdout.strip().splitlines()[-1])
        return out

    # --- NLU ---------------------------------------------------------------------------------

    def nlu(self) -> Dict[str, Any]:
        results = {}
        for name, spec in nlu_compare.pipelines(ROOT / "config.yml").items():
            cfg = nlu_compare.write_config(spec["config"], self.tmp / f"nlu-{name}.yml")
            logf = self.tmp / f"nlu-train-{name}.log"
            entry: Dict[str, Any] = {"label": spec["label"],
                                     "pipeline": [s["name"] for s in spec["config"]["pipeline"]]}
            try:
                res = starter.run_timed([str(RASA), "train", "nlu", "--nlu", "data/nlu", "-c", str(cfg), "--out",
                                         str(self.tmp / "nlu"), "--fixed-model-name", f"nlu-{name}"], ROOT,
                                        {**self.env, "RASA_CACHE_DIRECTORY": str(self.tmp / f"cache-nlu-{name}")},
                                        logf, self.cfg["train_timeout_s"])
                entry["train_s"] = res["wall_s"]
                entry["components_s"] = starter.component_seconds(logf)
                model = str(self.tmp / "nlu" / f"nlu-{name}.tar.gz")
                proc = subprocess.run([sys.executable, str(HERE / "nlu_compare.py"), "eval", model, str(HOLDOUT),
                                       str(self.cfg["parses"])], cwd=ROOT, env=self.env, capture_output=True,
                                      text=True, timeout=900)
                line = next((x for x in proc.stdout.splitlines() if x.startswith("BENCH-JSON ")), None)
                if line is None:
                    raise RuntimeError(f"evaluation failed: {proc.stderr[-2000:]}")
                entry.update(json.loads(line[len("BENCH-JSON "):]))
            except Exception as err:  # noqa: BLE001
                entry["error"] = f"{type(err).__name__}: {err}"[:2000]
                self.out["errors"].append({"step": f"nlu {name}", "error": entry["error"]})
            results[name] = entry
        scored = {k: v for k, v in results.items() if "intent_f1_weighted" in v}
        if len(scored) == 2:
            a, b = scored["ours_diet"], scored["light_logreg"]
            results["verdict"] = verdict_nlu(a, b)
        return results

    # --- servers -----------------------------------------------------------------------------

    def ours_pair(self, n: int) -> latency.Pair:
        work = self.tmp / f"ours-run-{n}"
        work.mkdir(parents=True, exist_ok=True)
        a = Assistant(work)  # the tests' servers: same env, endpoints (temp SQLite store) and arguments
        env = {**a.env(), "RASA_TELEMETRY_ENABLED": "false", "PYTHONDONTWRITEBYTECODE": "1"}
        return latency.Pair(
            name="ours", cwd=ROOT, env=env,
            actions_cmd=[str(RASA), "run", "actions", "--actions", "actions", "--port", str(a.actions_port)],
            rasa_cmd=[str(RASA), "run", "--model", self.ours_model, "--endpoints", str(a.endpoints()),
                      "--credentials", "credentials.yml", "--interface", "127.0.0.1", "--port", str(a.rasa_port),
                      *a.extra_rasa_args],
            rasa_url=a.url, actions_url=f"http://127.0.0.1:{a.actions_port}", logdir=work)

    def starter_pair(self, n: int) -> latency.Pair:
        rasa_port, actions_port = free_port(), free_port()
        while actions_port == rasa_port:
            actions_port = free_port()
        env = {**self.env, "PYTHONPATH": str(self.starter_path)}
        return latency.Pair(
            name="starter", cwd=self.starter_path, env=env,
            actions_cmd=[str(RASA), "run", "actions", "--actions", "actions", "--port", str(actions_port)],
            rasa_cmd=[str(RASA), "run", "--model", self.starter_model, "--endpoints", "endpoints.yml",
                      "--credentials", "credentials-rest.yml", "--interface", "127.0.0.1", "--port", str(rasa_port)],
            rasa_url=f"http://127.0.0.1:{rasa_port}", actions_url=f"http://127.0.0.1:{actions_port}",
            logdir=self.tmp / f"starter-run-{n}")

    def cold(self, pair: latency.Pair) -> Dict[str, Any]:
        sample = pair.start()
        t = time.perf_counter()
        latency.post_message(pair.rasa_url, "bench-first", "hi", timeout=120)
        sample["first_reply_s"] = round(time.perf_counter() - t, 3)
        return sample

    def ours_conversation(self) -> Callable:
        def run(say) -> None:
            s = lambda _sender, text: say(text)  # noqa: E731 - helpers take (sender, text)
            finish(s, None, walk(s, None, 0))
        return run

    def servers(self) -> Dict[str, Any]:
        out: Dict[str, Any] = {"ours": {"cold_start": []}, "starter": {"cold_start": []}}
        makers = {"ours": self.ours_pair, "starter": self.starter_pair}
        if not self.ours_model or not self.starter_model:
            raise RuntimeError("a model is missing; see the training steps")
        for n in range(self.cfg["cold_starts"] - 1):
            for name, make in makers.items():
                pair = make(n)
                try:
                    out[name]["cold_start"].append(self.cold(pair))
                finally:
                    pair.stop()
                time.sleep(2)
        last = self.cfg["cold_starts"] - 1
        for name, make in makers.items():
            self.step(f"servers: {name} cold start, memory and load", lambda: self._loaded(name, make(last), out[name]))
            time.sleep(2)
        for name in makers:
            samples = out[name]["cold_start"]
            if samples:
                out[name]["cold_start_median_s"] = statistics.median(s["ready_s"] for s in samples)
                out[name]["first_reply_median_s"] = statistics.median(s["first_reply_s"] for s in samples)
        return out

    def _loaded(self, name: str, pair: latency.Pair, out: Dict[str, Any]) -> None:
        cfg = self.cfg
        try:
            out["cold_start"].append(self.cold(pair))
            base = pair.rasa_url
            # Warm-up: one whole conversation; ours tells the starter how long a conversation is.
            if name == "ours":
                counted: List[str] = []
                conv = self.ours_conversation()

                def counting(say):
                    def wrapped(text):
                        counted.append(text)
                        return say(text)
                    conv(wrapped)
                warm = latency.sequential(base, counting, 60, 180, conversations=1)
                self.conv_turns = len(counted) or self.conv_turns
                out["turns_per_conversation"] = self.conv_turns
            else:
                conv = starter.conversation(self.conv_turns)
                warm = latency.sequential(base, conv, self.conv_turns, 180, conversations=1)
                out["turns_per_conversation"] = self.conv_turns
            out["warm_up"] = {k: warm[k] for k in ("turns", "errors", "flow_errors") if k in warm}
            time.sleep(1)
            out["memory_after_warm_up"] = pair.memory()
            out["sequential"] = latency.sequential(base, conv, cfg["sequential_turns"], cfg["level_time_limit_s"])
            out["concurrent"] = {}
            for clients, per_client in cfg["levels"].items():
                log(f"  {name}: {clients} concurrent conversations")
                out["concurrent"][str(clients)] = latency.concurrent(
                    base, conv, clients, per_client, cfg["level_time_limit_s"], cfg["turns_per_conv"])
            out["memory_after_load"] = pair.memory()
            if name == "ours":
                log(f"  ours: {cfg['families']} simulated families")
                say = lambda sender, text: latency.post_message(base, sender, text, timeout=60)  # noqa: E731
                self.out["families"] = families.run_all(say, cfg["families"], cfg["family_threads"],
                                                        cfg["families_time_limit_s"])
        finally:
            pair.stop()

    def attribution(self) -> Dict[str, Any]:
        """Where our turn time goes: Rasa's default in-memory tracker store, and the action
        server behind a timing proxy (each webhook call timed). A diagnostic, not a headline."""
        work = self.tmp / "ours-attribution"
        work.mkdir(parents=True, exist_ok=True)
        real_actions, proxy_port = free_port(), free_port()
        while proxy_port == real_actions:
            proxy_port = free_port()
        a = Assistant(work, endpoints_extra="# no tracker_store: Rasa's in-memory default\n", actions_port=proxy_port)
        env = {**a.env(), "RASA_TELEMETRY_ENABLED": "false", "PYTHONDONTWRITEBYTECODE": "1"}
        pair = latency.Pair(
            name="ours-attribution", cwd=ROOT, env=env,
            actions_cmd=[str(RASA), "run", "actions", "--actions", "actions", "--port", str(real_actions)],
            rasa_cmd=[str(RASA), "run", "--model", self.ours_model, "--endpoints", str(a.endpoints()),
                      "--credentials", "credentials.yml", "--interface", "127.0.0.1", "--port", str(a.rasa_port)],
            rasa_url=a.url, actions_url=f"http://127.0.0.1:{real_actions}", logdir=work)
        proxy = latency.TimingProxy(real_actions, proxy_port)
        conv = self.ours_conversation()
        try:
            pair.start()
            latency.sequential(a.url, conv, 60, 180, conversations=1)  # warm-up
            proxy.take()
            seq = latency.sequential(a.url, conv, self.cfg["attribution_turns"], self.cfg["level_time_limit_s"])
            calls = [c for c in proxy.take() if c["path"].startswith("/webhook")]
        finally:
            pair.stop()
            proxy.close()
        turns = seq.get("turns") or 1
        by_action: Dict[str, Dict[str, float]] = {}
        for c in calls:
            e = by_action.setdefault(c["action"] or "?", {"calls": 0, "total_ms": 0.0})
            e["calls"] += 1
            e["total_ms"] += c["s"] * 1000
        for e in by_action.values():
            e["mean_ms"] = round(e["total_ms"] / e["calls"], 1)
            e["total_ms"] = round(e["total_ms"], 1)
        action_ms = sum(c["s"] for c in calls) * 1000 / turns
        schema = self.schema_check_cost()
        return {"tracker_store": "in-memory (Rasa default)", "sequential": seq,
                "rasa_response_schema_check": schema,
                "rasa_response_schema_check_ms_per_turn": round(schema["as_rasa_calls_ms"] * len(calls) / turns, 1)
                if schema else None,
                "action_calls_per_turn": round(len(calls) / turns, 2),
                "action_server_ms_per_turn": round(action_ms, 1),
                "rasa_and_http_ms_per_turn": round((seq.get("mean_ms") or 0) - action_ms, 1),
                "by_action": dict(sorted(by_action.items(), key=lambda kv: -kv[1]["total_ms"])),
                "note": "each action call goes through a loopback timing proxy (about 1 ms extra per call)"}

    def schema_check_cost(self) -> Optional[Dict[str, Any]]:
        """Rasa validates every action-server response with jsonschema.validate(), which re-checks
        Rasa's own schema against the meta-schema each call; time that against a prebuilt validator."""
        code = (
            "import json, time, jsonschema\n"
            "from rasa.core.actions.action import RemoteAction\n"
            "schema = RemoteAction.action_response_format_spec()\n"
            "result = {'events': [{'event': 'slot', 'name': 'sex', 'value': 'male', 'timestamp': None}] * 4,\n"
            "          'responses': [{'text': 'Is your child a boy or a girl?', 'buttons': [{'title': 'Boy', 'payload': 'male'}]},\n"
            "                        {'custom': {'question': {'slot': 'sex', 'kind': 'choice', 'choices': ['male', 'female']}}}]}\n"
            "def per_call(fn, n=40):\n"
            "    fn()\n"
            "    t = time.perf_counter()\n"
            "    for _ in range(n): fn()\n"
            "    return (time.perf_counter() - t) / n * 1000\n"
            "cls = jsonschema.validators.validator_for(schema)\n"
            "v = cls(schema)\n"
            "print(json.dumps({'as_rasa_calls_ms': round(per_call(lambda: jsonschema.validate(result, schema)), 2),\n"
            "                  'prebuilt_validator_ms': round(per_call(lambda: v.validate(result)), 2),\n"
            "                  'validator': cls.__name__, 'jsonschema': jsonschema.__version__ if hasattr(jsonschema, '__version__') else None}))\n")
        proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=self.env, capture_output=True, text=True,
                              timeout=120)
        lines = [x for x in proc.stdout.splitlines() if x.startswith("{")]
        return json.loads(lines[-1]) if lines else None

    # --- the whole run -----------------------------------------------------------------------

    def run(self) -> Dict[str, Any]:
        o = self.out
        o["machine"] = self.machine()
        self.monitor = latency.LoadMonitor()
        try:
            self._steps(o)
        finally:
            o["background_load"] = {"gates": self.gates, "during_steps": self.monitor.close()}
        o["summary"] = summary(o)
        return o

    def _steps(self, o: Dict[str, Any]) -> None:
        self.gate("engine and training")
        o["engine"] = self.step("engine evaluations per second", self.engine)
        o["train"] = {"starter": self.step("starter: rasa init --no-prompt (trains)", self.starter_create) or {}}
        if self.starter_path and self.cfg["starter_retrain"]:
            o["train"]["starter"].update(self.step("starter: rasa train --force", self.starter_train) or {})
        elif self.starter_path:
            o["train"]["starter"]["train_s"] = None
            o["train"]["starter"]["note"] = "quick run: no separate retrain; init_incl_train_s includes training"
        self.gate("our training")
        o["train"]["ours"] = self.step("ours: rasa train --force (temp --out)", self.ours_train) or {}
        if not self.ours_model:
            self.ours_model = subprocess.run([sys.executable, "scripts/train.py"], cwd=ROOT, capture_output=True,
                                             text=True, check=True).stdout.strip().splitlines()[-1]
            o["train"]["ours"]["served_model"] = self.ours_model
        o["startup_anatomy"] = self.step("start-up anatomy (imports, model load)", self.anatomy)
        o["nlu"] = self.step("NLU pipelines on the held-out set", self.nlu)
        self.gate("servers")
        o["servers"] = self.step("servers: cold start, memory, latency", self.servers)
        o["attribution"] = self.step("ours: where a turn's time goes (diagnostic)", self.attribution)


# --- verdicts and the summary ------------------------------------------------------------------

def verdict_nlu(a: Dict[str, Any], b: Dict[str, Any]) -> str:
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
    return f"The numbers support {best}: " + "; ".join(parts) + "."


def _ratio(a: Optional[float], b: Optional[float]) -> Optional[float]:
    return round(a / b, 3) if a is not None and b else None


def _get(d: Any, *path: Any) -> Any:
    for p in path:
        if not isinstance(d, dict) or p not in d:
            return None
        d = d[p]
    return d


def summary(o: Dict[str, Any]) -> Dict[str, Any]:
    s = o.get("servers") or {}
    ours, ref = s.get("ours") or {}, s.get("starter") or {}
    train_ours = _get(o, "train", "ours", "train_s")
    train_ref = _get(o, "train", "starter", "train_s") or _get(o, "train", "starter", "init_incl_train_s")
    cold_o, cold_r = ours.get("cold_start_median_s"), ref.get("cold_start_median_s")
    mem_o, mem_r = _get(ours, "memory_after_warm_up", "total_rss_mb"), _get(ref, "memory_after_warm_up", "total_rss_mb")
    p95_o, p95_r = _get(ours, "concurrent", "20", "p95_ms"), _get(ref, "concurrent", "20", "p95_ms")
    err_o = (_get(ours, "concurrent", "20", "errors") or 0) + (_get(ours, "concurrent", "20", "flow_errors") or 0)
    goals = {
        "cold_start": {"goal": f"ours/ref <= {GOALS['cold_start_ratio_max']}", "ratio": _ratio(cold_o, cold_r)},
        "p95_at_20_concurrent": {"goal": f"ours/ref <= {GOALS['p95_c20_ratio_max']} with 0 errors",
                                 "ratio": _ratio(p95_o, p95_r), "errors": err_o if p95_o is not None else None},
        "memory": {"goal": f"ours/ref <= {GOALS['memory_ratio_max']}", "ratio": _ratio(mem_o, mem_r)},
        "train": {"goal": f"ours < {GOALS['train_s_max']} s", "value": train_ours},
    }
    goals["cold_start"]["met"] = None if goals["cold_start"]["ratio"] is None else goals["cold_start"]["ratio"] <= GOALS["cold_start_ratio_max"]
    g = goals["p95_at_20_concurrent"]
    g["met"] = None if g["ratio"] is None else (g["ratio"] <= GOALS["p95_c20_ratio_max"] and g["errors"] == 0)
    goals["memory"]["met"] = None if goals["memory"]["ratio"] is None else goals["memory"]["ratio"] <= GOALS["memory_ratio_max"]
    goals["train"]["met"] = None if train_ours is None else train_ours < GOALS["train_s_max"]
    return {"train_s": {"ours": train_ours, "starter": train_ref, "ratio": _ratio(train_ours, train_ref)},
            "cold_start_s": {"ours": cold_o, "starter": cold_r, "ratio": _ratio(cold_o, cold_r)},
            "memory_mb": {"ours": mem_o, "starter": mem_r, "ratio": _ratio(mem_o, mem_r)},
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
             f"{_fmt(tr.get('ratio'), '×', 2)} | < 120 s | {_status((goals.get('train') or {}).get('met'))} |")
    cs = sm.get("cold_start_s") or {}
    n_o, n_r = len(ours.get("cold_start") or []), len(ref.get("cold_start") or [])
    L.append(f"| cold start to ready (both servers answer; median of {n_o}/{n_r}), s | {_fmt(cs.get('ours'))} | "
             f"{_fmt(cs.get('starter'))} | {_fmt(cs.get('ratio'), '×', 2)} | ≤ 0.5× | "
             f"{_status((goals.get('cold_start') or {}).get('met'))} |")
    L.append(f"| first reply after ready, s | {_fmt(ours.get('first_reply_median_s'), '', 2)} | "
             f"{_fmt(ref.get('first_reply_median_s'), '', 2)} | "
             f"{_fmt(_ratio(ours.get('first_reply_median_s'), ref.get('first_reply_median_s')), '×', 2)} | | |")
    mem = sm.get("memory_mb") or {}
    L.append(f"| resident memory after warm-up (rasa + actions), MB | {_fmt(mem.get('ours'), '', 0)} | "
             f"{_fmt(mem.get('starter'), '', 0)} | {_fmt(mem.get('ratio'), '×', 2)} | ≤ 0.8× | "
             f"{_status((goals.get('memory') or {}).get('met'))} |")
    for part in ("rasa", "actions"):
        a, b = _get(ours, "memory_after_warm_up", part, "rss_mb"), _get(ref, "memory_after_warm_up", part, "rss_mb")
        L.append(f"| · of which `{'rasa run' if part == 'rasa' else 'rasa run actions'}`, MB | {_fmt(a, '', 0)} | "
                 f"{_fmt(b, '', 0)} | {_fmt(_ratio(a, b), '×', 2)} | | |")
    a, b = _get(ours, "memory_after_load", "total_rss_mb"), _get(ref, "memory_after_load", "total_rss_mb")
    L.append(f"| resident memory after the load runs, MB | {_fmt(a, '', 0)} | {_fmt(b, '', 0)} | "
             f"{_fmt(_ratio(a, b), '×', 2)} | | |")
    a, b = ours.get("sequential"), ref.get("sequential")
    L.append(f"| sequential turn latency p50 / p95 / p99, ms ({_get(a, 'turns')} / {_get(b, 'turns')} turns) | "
             f"{_lat(a)} | {_lat(b)} | {_fmt(_ratio(_get(a, 'p95_ms'), _get(b, 'p95_ms')), '×', 2)} (p95) | | |")
    by_o, by_r = _get(a, "mean_ms_by_turn_number") or {}, _get(b, "mean_ms_by_turn_number") or {}
    if by_o or by_r:
        keys = list(dict.fromkeys(list(by_o) + list(by_r)))
        L.append(f"| · sequential mean ms by turn number in the conversation ({' / '.join(keys)}) | "
                 f"{' / '.join(_fmt(by_o.get(k), '', 0) for k in keys)} | {' / '.join(_fmt(by_r.get(k), '', 0) for k in keys)} | | | |")
    for c in ("1", "5", "20"):
        a, b = _get(ours, "concurrent", c), _get(ref, "concurrent", c)
        goal, status = ("≤ 1.5× p95, 0 errors", _status((goals.get("p95_at_20_concurrent") or {}).get("met"))) \
            if c == "20" else ("", "")
        L.append(f"| {c} concurrent: p50 / p95 / p99, ms ({_get(a, 'turns')} / {_get(b, 'turns')} turns) | {_lat(a)} | "
                 f"{_lat(b)} | {_fmt(_ratio(_get(a, 'p95_ms'), _get(b, 'p95_ms')), '×', 2)} (p95) | {goal} | {status} |")
        L.append(f"| {c} concurrent: throughput, turns/s · errors (transport + flow) | "
                 f"{_fmt(_get(a, 'turns_per_s'))} · {_get(a, 'errors')} + {_get(a, 'flow_errors')} | "
                 f"{_fmt(_get(b, 'turns_per_s'))} · {_get(b, 'errors')} + {_get(b, 'flow_errors')} | "
                 f"{_fmt(_ratio(_get(a, 'turns_per_s'), _get(b, 'turns_per_s')), '×', 2)} | | |")
    L.append(f"\nA conversation is {ours.get('turns_per_conversation')} turns for both: ours walks the real flow "
             "(tests/reliability/helpers.py ELIGIBLE_WALK: hi, yes, parent, answers, review) to the decision; the "
             "reference loops over its own intents (hi, I am sad, yes, bye). Concurrent levels run "
             + ", ".join(f"{c} client{'s' if str(c) != '1' else ''} × {n} conversation{'s' if str(n) != '1' else ''}" for c, n in (m.get("settings") or {}).get("levels", {}).items())
             + ".\n")

    an = o.get("startup_anatomy") or {}
    to, trr = _get(o, "train", "ours") or {}, _get(o, "train", "starter") or {}
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
        seq_main = _get(ours, "sequential", "mean_ms")
        L.append("\n## Where a turn of ours goes (diagnostic run)\n")
        L.append(f"A separate launch of ours with Rasa's in-memory tracker store and a timing proxy in front of the action "
                 f"server, {at['sequential'].get('turns')} sequential turns: mean {at['sequential'].get('mean_ms')} ms per "
                 f"turn (with the SQLite store in the main run: {seq_main} ms). Per turn, "
                 f"{at.get('action_calls_per_turn')} action-server calls take {at.get('action_server_ms_per_turn')} ms; "
                 f"Rasa itself (NLU, policies, tracker, HTTP) takes the other {at.get('rasa_and_http_ms_per_turn')} ms. "
                 f"{(at.get('note') or '')[:1].upper()}{(at.get('note') or '')[1:]}.\n")
        sc = at.get("rasa_response_schema_check")
        if sc:
            L.append(f"Of Rasa's share, about {at.get('rasa_response_schema_check_ms_per_turn')} ms per turn is Rasa "
                     f"validating each action-server response with `jsonschema.validate()`, which re-checks Rasa's own "
                     f"response schema against the {sc.get('validator')} meta-schema on every call: "
                     f"{sc.get('as_rasa_calls_ms')} ms per call as Rasa calls it, {sc.get('prebuilt_validator_ms')} ms "
                     f"with a validator built once. The starter makes no action-server calls.\n")
        L.append("| action | calls | mean ms | total ms |")
        L.append("|---|---|---|---|")
        for name, e in list((at.get("by_action") or {}).items())[:8]:
            L.append(f"| {name} | {e['calls']} | {e['mean_ms']} | {e['total_ms']} |")

    nlu = o.get("nlu") or {}
    L.append("\n## NLU on bench/nlu_holdout.yml (395 held-out utterances; trained on data/nlu only)\n")
    L.append("| pipeline | train, s | intent F1 weighted | intent F1 macro | accuracy | served with fallback: F1 w. / fallback share | "
             "confidence ≥ 0.7: share / accuracy | parse p50 / p95, ms | entity F1 |")
    L.append("|---|---|---|---|---|---|---|---|---|")
    for name, e in nlu.items():
        if not isinstance(e, dict):
            continue
        if "intent_f1_weighted" not in e:
            L.append(f"| {name} | {_fmt(e.get('train_s'))} | error: {e.get('error', '')[:80]} | | | | | | |")
            continue
        L.append(f"| {name}: {e['label']} | {_fmt(e.get('train_s'))} | {e['intent_f1_weighted']:.3f} | "
                 f"{e['intent_f1_macro']:.3f} | {e['intent_accuracy']:.3f} | "
                 f"{e['served_with_fallback']['f1_weighted']:.3f} / {e['fallback_share'] * 100:.1f}% | "
                 f"{_fmt(e.get('confident_share_0.7'), '', 3)} / {_fmt(e.get('confident_accuracy_0.7'), '', 3)} | "
                 f"{e['parse']['p50_ms']:.1f} / {e['parse']['p95_ms']:.1f} | n/a¹ |")
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
        if f.get("wrong"):
            L.append("\nNot matching the engine:\n")
            L += [f"- {w}" for w in f["wrong"][:15]]
        if f.get("errors"):
            L.append("\nErrors:\n")
            L += [f"- {w}" for w in f["errors"][:15]]
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
    ax.text(0, GOALS["train_s_max"], "goal < 120 s", color="red", fontsize=8, ha="center", va="bottom")
    if vr[1]:
        ax.hlines(GOALS["cold_start_ratio_max"] * vr[1], 0.55, 1.45, color="red", lw=1, ls=":")
        ax.text(1.42, GOALS["cold_start_ratio_max"] * vr[1] + 1, "goal 0.5× starter", color="red", fontsize=8,
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
    rasa_mb = [_get(d, "memory_after_warm_up", "rasa", "rss_mb") or 0 for d in (ours, ref)]
    act_mb = [_get(d, "memory_after_warm_up", "actions", "rss_mb") or 0 for d in (ours, ref)]
    ax.bar(names, rasa_mb, color=[c_o, c_r], label="rasa run")
    ax.bar(names, act_mb, bottom=rasa_mb, color=[c_o, c_r], alpha=0.5, hatch="//", label="rasa run actions")
    for i, (a, b) in enumerate(zip(rasa_mb, act_mb)):
        ax.text(i, a + b, f"{a + b:.0f} MB", ha="center", va="bottom")
    if rasa_mb[1] + act_mb[1]:
        ax.axhline(0.8 * (rasa_mb[1] + act_mb[1]), color="red", lw=0.8, ls=":")
        ax.text(1.4, 0.8 * (rasa_mb[1] + act_mb[1]), "goal 0.8× starter", color="red", fontsize=8, va="bottom",
                ha="right")
    ax.set_ylabel("resident memory, MB")
    ax.set_title("Memory after warm-up (solid: rasa, hatched: actions)")

    ax = axes[0, 2]
    levels = ["seq", "1", "5", "20"]
    for d, name, col in ((ours, "ours", c_o), (ref, "starter", "#777777")):
        rows = [d.get("sequential")] + [_get(d, "concurrent", c) for c in levels[1:]]
        for key, ls in (("p50_ms", "--"), ("p95_ms", "-"), ("p99_ms", ":")):
            ax.plot(levels, [(_get(r, key) or np.nan) for r in rows], ls, marker="o", color=col, label=f"{name} {key[:3]}")
    ax.set_yscale("log")
    ax.set_xlabel("concurrent conversations")
    ax.set_ylabel("turn latency, ms (log)")
    ax.set_title("REST turn latency: p50 dashed, p95 solid, p99 dotted")
    ax.legend(fontsize=8, ncol=2)

    ax = axes[1, 0]
    x = np.arange(len(levels))
    tp_o = [_get(ours, "sequential", "turns_per_s")] + [_get(ours, "concurrent", c, "turns_per_s") for c in levels[1:]]
    tp_r = [_get(ref, "sequential", "turns_per_s")] + [_get(ref, "concurrent", c, "turns_per_s") for c in levels[1:]]
    bo = ax.bar(x - 0.2, [v or 0 for v in tp_o], 0.4, color=c_o, label="ours")
    br = ax.bar(x + 0.2, [v or 0 for v in tp_r], 0.4, color=c_r, label="starter")
    ax.bar_label(bo, labels=[_fmt(v) for v in tp_o], fontsize=9)
    ax.bar_label(br, labels=[_fmt(v) for v in tp_r], fontsize=9)
    errs = [(_get(ours, "concurrent", c, "errors") or 0) + (_get(ours, "concurrent", c, "flow_errors") or 0) for c in levels[1:]]
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


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller loops, a few minutes")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (models, logs)")
    parser.add_argument("--out", default=str(RESULTS), help="results folder (default bench/results)")
    args = parser.parse_args(argv)

    tmp = Path(tempfile.mkdtemp(prefix="bench-"))
    atexit.register(latency.kill_all_started)

    def on_signal(signum, _frame):
        latency.kill_all_started()
        sys.exit(128 + signum)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    log(f"{'quick' if args.quick else 'full'} run; temporary folder {tmp}")
    t0 = time.perf_counter()
    bench = Bench(args.quick, tmp)
    try:
        result = bench.run()
    finally:
        latency.kill_all_started()
    result["machine"]["bench_wall_s"] = round(time.perf_counter() - t0, 1)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench.json").write_text(json.dumps(result, indent=2, default=str) + "\n")
    (out / "bench.md").write_text(markdown(result))
    try:
        plot(result, out / "bench.png")
    except Exception as err:  # noqa: BLE001
        log(f"plot FAILED: {err}")
        result["errors"].append({"step": "plot", "error": str(err)})
        (out / "bench.json").write_text(json.dumps(result, indent=2, default=str) + "\n")
    print((out / "bench.md").read_text())
    if result["errors"] or args.keep:
        log(f"temporary folder kept: {tmp}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    log(f"results in {out}; {len(result['errors'])} step(s) failed")
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
