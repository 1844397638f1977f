"""Servers and load for the benchmark: start a Rasa + action server pair, time it, load it.

Everything is on loopback and bounded: every wait has a deadline, every load a
number of turns and a time limit. Resident memory is read from /proc.
"""
from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional

import numpy as np

# Process groups this benchmark started, so an interrupted run leaves nothing behind.
STARTED: Dict[int, str] = {}


def kill_group(pid: int, timeout: float = 15) -> None:
    """SIGTERM the process group we started (start_new_session=True), then SIGKILL."""
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        STARTED.pop(pid, None)
        return
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            os.killpg(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.2)
    else:
        try:
            os.killpg(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    STARTED.pop(pid, None)


def kill_all_started() -> None:
    for pid in list(STARTED):
        kill_group(pid, timeout=10)


# --- memory --------------------------------------------------------------------------------

def _status(pid: int) -> Dict[str, str]:
    out = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            out[key] = value.strip()
    except OSError:
        pass
    return out


def _children(pid: int) -> List[int]:
    kids: List[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            text = (task / "children").read_text().split()
            kids += [int(k) for k in text]
    except OSError:
        pass
    return kids


def tree_rss_mb(pid: int) -> Dict[str, float]:
    """VmRSS and VmHWM (peak) in MB of a process and all its descendants."""
    rss = hwm = 0.0
    seen, todo = set(), [pid]
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        st = _status(p)
        rss += float(st.get("VmRSS", "0 kB").split()[0]) / 1024
        hwm += float(st.get("VmHWM", "0 kB").split()[0]) / 1024
        todo += _children(p)
    return {"rss_mb": round(rss, 1), "peak_rss_mb": round(hwm, 1), "processes": len(seen)}


# --- HTTP ----------------------------------------------------------------------------------

def http_ok(url: str, timeout: float = 1.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            resp.read()
            return resp.status == 200
    except (urllib.error.URLError, ConnectionError, OSError, ValueError):
        return False


def post_message(base: str, sender: str, text: str, timeout: float = 60) -> List[Dict[str, Any]]:
    body = json.dumps({"sender": sender, "message": text}).encode()
    req = urllib.request.Request(base + "/webhooks/rest/webhook", data=body,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        return json.load(resp)


# --- a pair of servers -----------------------------------------------------------------------

@dataclass
class Pair:
    """The action server + `rasa run`, launched together; ready when both answer."""

    name: str
    cwd: Path
    env: Dict[str, str]
    actions_cmd: List[str]
    rasa_cmd: List[str]
    rasa_url: str
    actions_url: str
    logdir: Path
    procs: Dict[str, subprocess.Popen] = field(default_factory=dict)

    def start(self, deadline_s: float = 300) -> Dict[str, Any]:
        """Launch both at once; seconds until each answers (GET / and /health)."""
        self.logdir.mkdir(parents=True, exist_ok=True)
        n = len(list(self.logdir.glob("rasa-*.log")))
        t0 = time.perf_counter()
        for key, cmd in (("actions", self.actions_cmd), ("rasa", self.rasa_cmd)):
            log = (self.logdir / f"{key}-{n}.log").open("w")
            proc = subprocess.Popen(cmd, cwd=self.cwd, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                    start_new_session=True)
            STARTED[proc.pid] = f"{self.name} {key}"
            self.procs[key] = proc
        ready: Dict[str, float] = {}
        urls = {"actions": self.actions_url + "/health", "rasa": self.rasa_url + "/"}
        while len(ready) < 2:
            now = time.perf_counter() - t0
            if now > deadline_s:
                self.stop()
                raise RuntimeError(f"{self.name}: not ready after {deadline_s}s (logs in {self.logdir})")
            for key, url in urls.items():
                if key in ready:
                    continue
                if self.procs[key].poll() is not None:
                    self.stop()
                    raise RuntimeError(f"{self.name} {key} exited early (logs in {self.logdir})")
                if http_ok(url, timeout=0.5):
                    ready[key] = time.perf_counter() - t0
            time.sleep(0.05)
        return {"ready_s": round(max(ready.values()), 2), "rasa_ready_s": round(ready["rasa"], 2),
                "actions_ready_s": round(ready["actions"], 2)}

    def memory(self) -> Dict[str, Any]:
        parts = {key: tree_rss_mb(p.pid) for key, p in self.procs.items()}
        return {"total_rss_mb": round(sum(v["rss_mb"] for v in parts.values()), 1),
                "total_peak_rss_mb": round(sum(v["peak_rss_mb"] for v in parts.values()), 1), **parts}

    def stop(self) -> None:
        for key in list(self.procs):
            proc = self.procs.pop(key)
            if proc.poll() is None:
                kill_group(proc.pid)
            else:
                STARTED.pop(proc.pid, None)
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass


# --- load ----------------------------------------------------------------------------------

class Budget(Exception):
    """The turn or time budget of a load run is used up."""


class Recorder:
    """Thread-safe record of each turn's latency and of errors."""

    def __init__(self, max_turns: Optional[int], deadline: float):
        self.lock = threading.Lock()
        self.latencies: List[float] = []
        self.positions: List[int] = []  # the turn's number within its conversation, from 1
        self.errors: List[str] = []
        self.flow_errors: List[str] = []
        self.max_turns = max_turns
        self.deadline = deadline
        self.started = 0

    def claim(self) -> None:
        with self.lock:
            if time.perf_counter() > self.deadline:
                raise Budget("time")
            if self.max_turns is not None and self.started >= self.max_turns:
                raise Budget("turns")
            self.started += 1


# A conversation is a function of `say(text) -> reply`; it may raise AssertionError for a
# reply that breaks the flow (counted as a flow error).
Conversation = Callable[[Callable[[str], List[Dict[str, Any]]]], Any]


def _run_one(base: str, conv: Conversation, rec: Recorder, turns_per_conv: Optional[int], timeout: float) -> None:
    sender = "bench-" + uuid.uuid4().hex
    count = [0]

    def say(text: str) -> List[Dict[str, Any]]:
        if turns_per_conv is not None and count[0] >= turns_per_conv:
            raise Budget("conversation")
        rec.claim()
        count[0] += 1
        t = time.perf_counter()
        try:
            reply = post_message(base, sender, text, timeout=timeout)
        except Exception as err:  # noqa: BLE001 - every transport failure is an error
            with rec.lock:
                rec.errors.append(f"{type(err).__name__}: {err}"[:200])
            raise Budget("error") from err
        elapsed = time.perf_counter() - t
        with rec.lock:
            rec.latencies.append(elapsed)
            rec.positions.append(count[0])
            if not reply:
                rec.errors.append("empty reply")
        return reply

    try:
        conv(say)
    except Budget:
        pass
    except (AssertionError, KeyError, TypeError) as err:  # a reply off the expected flow
        with rec.lock:
            rec.flow_errors.append(f"{type(err).__name__}: {err}"[:200])


BUCKETS = [(1, 5), (6, 15), (16, 25), (26, 40), (41, 10**6)]


def summarize(latencies: List[float], positions: Optional[List[int]] = None) -> Dict[str, Any]:
    if not latencies:
        return {"turns": 0}
    ms = np.array(latencies) * 1000
    out = {"turns": len(ms), "p50_ms": round(float(np.percentile(ms, 50)), 1),
           "p95_ms": round(float(np.percentile(ms, 95)), 1), "p99_ms": round(float(np.percentile(ms, 99)), 1),
           "mean_ms": round(float(ms.mean()), 1), "max_ms": round(float(ms.max()), 1)}
    if positions and len(positions) == len(latencies):
        pos = np.array(positions)
        out["mean_ms_by_turn_number"] = {
            f"{lo}-{hi}" if hi < 10**6 else f"{lo}+": round(float(ms[(pos >= lo) & (pos <= hi)].mean()), 1)
            for lo, hi in BUCKETS if ((pos >= lo) & (pos <= hi)).any()}
    return out


def sequential(base: str, conv: Conversation, turns: int, time_limit: float, timeout: float = 60,
               conversations: Optional[int] = None) -> Dict[str, Any]:
    """One client, conversations back to back, until `turns` turns, `conversations` or the time limit."""
    rec = Recorder(turns, time.perf_counter() + time_limit)
    t0 = time.perf_counter()
    for _ in range(min(turns, conversations or turns)):  # bounded: a conversation uses at least one turn
        if rec.started >= turns or time.perf_counter() > rec.deadline:
            break
        _run_one(base, conv, rec, None, timeout)
    wall = time.perf_counter() - t0
    return {**summarize(rec.latencies, rec.positions), "wall_s": round(wall, 2),
            "turns_per_s": round(len(rec.latencies) / wall, 2) if wall else None,
            "errors": len(rec.errors), "flow_errors": len(rec.flow_errors),
            "error_samples": rec.errors[:3] + rec.flow_errors[:3]}


def concurrent(base: str, conv: Conversation, clients: int, convs_per_client: int, time_limit: float,
               turns_per_conv: Optional[int] = None, timeout: float = 60) -> Dict[str, Any]:
    """`clients` threads, each running `convs_per_client` conversations one after another."""
    rec = Recorder(None, time.perf_counter() + time_limit)

    def client() -> None:
        for _ in range(convs_per_client):
            if time.perf_counter() > rec.deadline:
                return
            _run_one(base, conv, rec, turns_per_conv, timeout)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max(1.0, rec.deadline - time.perf_counter() + timeout + 5))
    wall = time.perf_counter() - t0
    return {"clients": clients, "conversations": clients * convs_per_client, **summarize(rec.latencies, rec.positions),
            "wall_s": round(wall, 2), "turns_per_s": round(len(rec.latencies) / wall, 2) if wall else None,
            "errors": len(rec.errors), "flow_errors": len(rec.flow_errors),
            "timed_out": time.perf_counter() > rec.deadline,
            "error_samples": rec.errors[:3] + rec.flow_errors[:3]}


# --- attribution: a timing proxy between Rasa and the action server ------------------------------

class TimingProxy:
    """Forwards loopback HTTP to the action server and records how long each call took there."""

    def __init__(self, target_port: int, port: int):
        self.calls: List[Dict[str, Any]] = []
        lock = threading.Lock()
        calls = self.calls

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _forward(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                t = time.perf_counter()
                conn = http.client.HTTPConnection("127.0.0.1", target_port, timeout=60)
                try:
                    conn.request(method, self.path, body=body,
                                 headers={"Content-Type": self.headers.get("Content-Type", "application/json")})
                    resp = conn.getresponse()
                    data = resp.read()
                    status = resp.status
                finally:
                    conn.close()
                elapsed = time.perf_counter() - t
                action = None
                if body:
                    try:
                        action = json.loads(body).get("next_action")
                    except ValueError:
                        pass
                with lock:
                    calls.append({"path": self.path, "action": action, "s": elapsed})
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:  # noqa: N802
                self._forward("POST")

            def do_GET(self) -> None:  # noqa: N802
                self._forward("GET")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def take(self) -> List[Dict[str, Any]]:
        out = list(self.calls)
        self.calls.clear()
        return out

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# --- other people's load on this machine ---------------------------------------------------------

def _jiffies(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime
    except (OSError, IndexError, ValueError):
        return 0


def _own_pids() -> set:
    own, todo = set(), [os.getpid()]
    while todo:
        p = todo.pop()
        if p not in own:
            own.add(p)
            todo += _children(p)
    return own


def _all_pids() -> List[int]:
    return [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()]


def _cmd(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return "?"
    return " ".join(part.rsplit("/", 1)[-1] if part.startswith("/") else part for part in raw.split()[:4])[:80]


def foreign_cpu(seconds: float = 3.0) -> Dict[str, Any]:
    """CPU used by processes that are not this benchmark's, over `seconds`, in % of all cores."""
    hz = os.sysconf("SC_CLK_TCK")
    cores = len(os.sched_getaffinity(0)) or 1
    before = {p: _jiffies(p) for p in _all_pids()}
    t0 = time.perf_counter()
    time.sleep(seconds)
    own = _own_pids()
    wall = time.perf_counter() - t0
    used = {}
    for p in _all_pids():
        if p in own:
            continue
        delta = _jiffies(p) - before.get(p, 0)
        if delta > 0:
            used[p] = delta
    total = sum(used.values()) / hz / wall / cores * 100
    top = sorted(used.items(), key=lambda kv: -kv[1])[:3]
    return {"foreign_cpu_pct": round(total, 1),
            "top_foreign": [f"{_cmd(p)} ({d / hz / wall * 100:.0f}% of a core)" for p, d in top if d / hz / wall > 0.05]}


def wait_quiet(max_wait_s: float, threshold_pct: float = 15.0) -> Dict[str, Any]:
    """Wait (bounded) until other processes use under `threshold_pct` of the machine's CPU."""
    t0 = time.perf_counter()
    while True:
        sample = foreign_cpu(3.0)
        waited = time.perf_counter() - t0
        if sample["foreign_cpu_pct"] < threshold_pct or waited >= max_wait_s:
            return {**sample, "quiet": sample["foreign_cpu_pct"] < threshold_pct, "waited_s": round(waited, 1)}
        time.sleep(min(10.0, max(0.0, max_wait_s - waited)))


class LoadMonitor:
    """Samples foreign CPU use in the background, attributed to the step that is running."""

    def __init__(self, every_s: float = 5.0):
        self.step = "start"
        self.samples: Dict[str, List[float]] = {}
        self.tops: Dict[str, List[str]] = {}
        self.stop_flag = threading.Event()
        self.every = every_s
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop_flag.is_set():
            step = self.step
            s = foreign_cpu(self.every)
            self.samples.setdefault(step, []).append(s["foreign_cpu_pct"])
            if s["top_foreign"] and s["foreign_cpu_pct"] >= 10:
                seen = self.tops.setdefault(step, [])
                for t in s["top_foreign"]:
                    name = t.rsplit(" (", 1)[0]
                    if name not in [x.rsplit(" (", 1)[0] for x in seen] and len(seen) < 4:
                        seen.append(t)

    def close(self) -> Dict[str, Any]:
        self.stop_flag.set()
        self.thread.join(timeout=self.every + 5)
        return {step: {"mean_foreign_cpu_pct": round(sum(v) / len(v), 1), "max_foreign_cpu_pct": max(v),
                       "samples": len(v), "busiest_foreign": self.tops.get(step, [])}
                for step, v in self.samples.items() if v}
