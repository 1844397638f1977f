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
import itertools
import time
import traceback
from importlib import metadata
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

import families  # noqa: E402
from plot import plot  # noqa: E402
from report import dig, markdown, ratio, summary, verdict_nlu  # noqa: E402
import latency  # noqa: E402
import nlu_compare  # noqa: E402
import starter  # noqa: E402
from harness.walks import finish, walk  # noqa: E402
from harness.servers import ACTIONS, Assistant, free_port  # noqa: E402

BIN = Path(sys.executable).parent
RASA = BIN / "rasa"
RESULTS = HERE / "results"
HOLDOUT = HERE / "nlu_holdout.yml"


FULL = {"cold_starts": 3, "sequential_turns": 200, "levels": {1: 4, 5: 3, 20: 1}, "turns_per_conv": None,
        "level_time_limit_s": 300, "families": 40, "family_threads": 4, "families_time_limit_s": 600,
        "parses": 300, "engine_seconds": 2.0, "starter_retrain": True, "attribution_turns": 100, "train_timeout_s": 1200,
        "quiet_wait_s": 300, "trials_turns": 150}
QUICK = {"cold_starts": 1, "sequential_turns": 50, "levels": {1: 1, 5: 1, 20: 1}, "turns_per_conv": 10,
         "level_time_limit_s": 120, "families": 12, "family_threads": 4, "families_time_limit_s": 300,
         "parses": 100, "engine_seconds": 0.5, "starter_retrain": False, "attribution_turns": 30, "train_timeout_s": 1200,
         "quiet_wait_s": 30, "trials_turns": 50}
TRIALS_MANY = 20  # trial files served in the "many" run: every file, then copies under new ids
CONVERSATION_TURNS = 40  # a conversation's length for both assistants: its cost by turn number is reported to 40
# After the decision: the hand-off accepted, then questions about the trial and thanks.
AFTER_THE_DECISION = ["yes", "how long is he in hospital?", "what about the pump?", "what are the side effects?",
                      "thank you", "is it safe?", "how often are the visits?", "what happens after treatment?"]


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
        res = starter.run_timed([str(RASA), "train", "--force", "--domain", "domain", "--fixed-model-name", "bench",
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
        if {"ours_diet", "light_logreg"} <= set(scored):
            results["verdict"] = verdict_nlu(scored["ours_diet"], scored["light_logreg"], scored.get("diet_transformer"))
        return results

    # --- servers -----------------------------------------------------------------------------

    def ours_pair(self, n: Any, trials_dir: Optional[Path] = None) -> latency.Pair:
        work = self.tmp / f"ours-run-{n}"
        work.mkdir(parents=True, exist_ok=True)
        a = Assistant(work, trials_dir=trials_dir)  # the tests' servers: same env, endpoints (temp SQLite store) and arguments
        env = {**a.env(), "RASA_TELEMETRY_ENABLED": "false", "PYTHONDONTWRITEBYTECODE": "1"}
        return latency.Pair(
            name="ours", cwd=ROOT, env=env,
            actions_cmd=[*ACTIONS, "--port", str(a.actions_port)],
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

    def ours_conversation(self, turns: int = CONVERSATION_TURNS) -> Callable:
        """The real flow to the decision, then what a family asks after it, to `turns` turns."""
        def run(say) -> None:
            said = [0]

            def counted(_sender, text):
                said[0] += 1
                return say(text)
            finish(counted, None, walk(counted, None, 0))
            for text in itertools.cycle(AFTER_THE_DECISION):
                if said[0] >= turns:
                    break
                counted(None, text)
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

    def trials_folders(self) -> Dict[str, Path]:
        """Trial folders to serve: the default trial's file alone, every trial file (as trials/
        holds them), and every file plus copies under new ids up to TRIALS_MANY files."""
        files = sorted((ROOT / "trials").glob("*.yml"))
        default = (ROOT / "trials" / "default").read_text().strip()
        folders = {}
        for name, chosen in (("one", [ROOT / "trials" / default]), ("all", files), ("many", files)):
            folder = self.tmp / f"trials-{name}"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "default").write_text(default + "\n")
            for path in chosen:
                shutil.copy(path, folder / path.name)
            for n in range(TRIALS_MANY - len(chosen) if name == "many" else 0):
                source = files[n % len(files)]
                data = yaml.safe_load(source.read_text())
                data["trial"]["id"] = f"COPY-{n:02d}"
                (folder / f"copy_{n:02d}_{source.name}").write_text(yaml.safe_dump(data, sort_keys=False))
            folders[name] = folder
        return folders

    def trials_scale(self) -> Dict[str, Any]:
        """Serving every trial file against serving one (resident memory after a warm-up
        conversation, and the start, which is also what adding a trial file costs: a restart)
        and against many (turn latency): the model and the domain are the same."""
        out: Dict[str, Any] = {}
        conv = self.ours_conversation()
        for name, folder in self.trials_folders().items():
            pair = self.ours_pair(f"trials-{name}", trials_dir=folder)
            try:
                started = pair.start()
                latency.sequential(pair.rasa_url, conv, 60, 180, conversations=1)  # warm-up
                time.sleep(1)
                memory = pair.memory()
                seq = latency.sequential(pair.rasa_url, conv, self.cfg["trials_turns"], self.cfg["level_time_limit_s"])
            finally:
                pair.stop()
            out[name] = {"trial_files": len(list(folder.glob("*.yml"))), "memory": memory, "start": started,
                         "sequential": {k: v for k, v in seq.items() if k != "error_samples"}}
            time.sleep(2)
        out["memory_all_vs_one"] = ratio(dig(out, "all", "memory", "total_rss_mb"), dig(out, "one", "memory", "total_rss_mb"))
        for stat in ("mean_ms", "p95_ms"):
            out[f"{stat}_many_vs_all"] = ratio(dig(out, "many", "sequential", stat), dig(out, "all", "sequential", stat))
        return out

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
            actions_cmd=[*ACTIONS, "--port", str(real_actions)],
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
        o["trials"] = self.step("ours: every trial file served against one, and against many", self.trials_scale)
        o["attribution"] = self.step("ours: where a turn's time goes (diagnostic)", self.attribution)


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
