"""The reference: Rasa's own starter assistant (`rasa init --no-prompt`), made at bench time."""
from __future__ import annotations

import itertools
import re
import subprocess
import time
from pathlib import Path
from typing import Any, Callable, Dict, List

# The starter's own intents, in a loop: greet, mood_unhappy, affirm, goodbye.
STARTER_LOOP = ["hi", "I am sad", "yes", "bye"]

TRAIN_LOG = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) .*?(Starting to train|Finished training) component '(\w+)'")


def run_timed(cmd: List[str], cwd: Path, env: Dict[str, str], log: Path, timeout: float) -> Dict[str, Any]:
    """Run a command to completion (bounded), its output to `log`; wall seconds and return code."""
    t0 = time.perf_counter()
    with log.open("w") as out:
        try:
            proc = subprocess.run(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, timeout=timeout,
                                  start_new_session=True)
            rc = proc.returncode
        except subprocess.TimeoutExpired:
            rc = "timeout"
    wall = time.perf_counter() - t0
    if rc != 0:
        tail = log.read_text(errors="replace")[-2000:]
        raise RuntimeError(f"{' '.join(cmd[:4])}... failed ({rc}) after {wall:.0f}s; log {log}:\n{tail}")
    return {"wall_s": round(wall, 1), "log": str(log)}


def component_seconds(log: Path) -> Dict[str, float]:
    """Seconds per trained component, from the training log's timestamps (1 s resolution)."""
    import datetime as dt

    starts: Dict[str, dt.datetime] = {}
    out: Dict[str, float] = {}
    counts: Dict[str, int] = {}
    for line in log.read_text(errors="replace").splitlines():
        m = TRAIN_LOG.match(line)
        if not m:
            continue
        when = dt.datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S")
        name = m.group(3)
        if m.group(2).startswith("Starting"):
            starts[name] = when
        elif name in starts:
            counts[name] = counts.get(name, 0) + 1
            key = name if counts[name] == 1 else f"{name}#{counts[name]}"
            out[key] = (when - starts.pop(name)).total_seconds()
    return out


def create(rasa: Path, parent: Path, env: Dict[str, str], timeout: float) -> Dict[str, Any]:
    """`rasa init --no-prompt` into parent/starter (it trains there); time it."""
    path = parent / "starter"
    path.mkdir(parents=True, exist_ok=True)
    result = run_timed([str(rasa), "init", "--no-prompt", "--init-dir", str(path)], parent,
                       {**env, "RASA_CACHE_DIRECTORY": str(parent / "cache-starter-init")},
                       parent / "starter-init.log", timeout)
    # REST only: the template's credentials also name a Rasa X channel on localhost:5002.
    (path / "credentials-rest.yml").write_text("rest:\n")
    return {"path": str(path), "init_incl_train_s": result["wall_s"]}


def train(rasa: Path, path: Path, parent: Path, env: Dict[str, str], timeout: float) -> Dict[str, Any]:
    """`rasa train --force` in the starter's directory, from scratch (an empty cache)."""
    log = parent / "starter-train.log"
    result = run_timed([str(rasa), "train", "--force", "--fixed-model-name", "starter-bench", "--out",
                        str(parent / "starter-model")], path,
                       {**env, "RASA_CACHE_DIRECTORY": str(parent / "cache-starter-train")}, log, timeout)
    return {"train_s": result["wall_s"], "model": str(parent / "starter-model" / "starter-bench.tar.gz"),
            "components_s": component_seconds(log)}


def latest_model(path: Path) -> str:
    models = sorted((path / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        raise RuntimeError(f"no model in {path / 'models'}")
    return str(models[-1])


def conversation(turns: int) -> Callable:
    """A conversation of `turns` turns looping over the starter's intents."""
    def run(say) -> None:
        for text in itertools.islice(itertools.cycle(STARTER_LOOP), turns):
            reply = say(text)
            assert any(m.get("text") for m in reply), f"no text for {text!r}: {reply}"
    return run
