"""What the deployment files say: the compose file, the Helm values, the Dockerfile, .dockerignore."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Dict, List, Tuple

import yaml

ROOT = Path(__file__).resolve().parent.parent.parent
DEPLOY = ROOT / "deploy"
COMPOSE_FILE = DEPLOY / "docker-compose.yml"
HELM_FILE = DEPLOY / "helm-values.yaml"
DOCKERFILE = DEPLOY / "Dockerfile"
NGINX_CONF = DEPLOY / "nginx.conf"
IMAGE = "trial-assistant"


def compose() -> Dict[str, Any]:
    return yaml.safe_load(COMPOSE_FILE.read_text())


def helm() -> Dict[str, Any]:
    return yaml.safe_load(HELM_FILE.read_text())


def app_services(spec: Dict[str, Any]) -> Dict[str, Dict[str, Any]]:
    """The services that run the project's image."""
    return {name: s for name, s in spec["services"].items() if str(s.get("image", "")).split(":")[0] == IMAGE}


def option(command: List[str], flag: str) -> str:
    """The value after `flag` in a command."""
    assert command.count(flag) == 1, f"{flag} once in {command}"
    return command[command.index(flag) + 1]


def dockerfile() -> List[Tuple[str, str]]:
    """(INSTRUCTION, arguments) in order, continuation lines joined, comments dropped."""
    steps: List[Tuple[str, str]] = []
    pending = ""
    for line in DOCKERFILE.read_text().splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        whole = (pending + line).strip()
        pending = ""
        word, _, rest = whole.partition(" ")
        steps.append((word.upper(), rest.strip()))
    assert not pending, "the Dockerfile ends inside a continued line"
    return steps


def workdir() -> str:
    dirs = [args for word, args in dockerfile() if word == "WORKDIR"]
    assert len(dirs) == 1, dirs
    return dirs[0]


def docker_env() -> Dict[str, str]:
    env: Dict[str, str] = {}
    for word, args in dockerfile():
        if word == "ENV":
            for key, value in re.findall(r'([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S*)', args):
                env[key] = value.strip('"')
    return env


def dockerignore() -> List[str]:
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    return [ln.strip().rstrip("/") for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]


def _regex(pattern: str) -> "re.Pattern[str]":
    out, i = "", 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out, i = out + "(?:.*/)?", i + 3
        elif pattern.startswith("**", i):
            out, i = out + ".*", i + 2
        elif pattern[i] == "*":
            out, i = out + "[^/]*", i + 1
        elif pattern[i] == "?":
            out, i = out + "[^/]", i + 1
        else:
            out, i = out + re.escape(pattern[i]), i + 1
    return re.compile(out + r"\Z")


def ignored(path: str, patterns: List[str]) -> bool:
    """Whether Docker leaves `path` (relative to the build context) out: patterns are anchored
    at the context's root, `**/` matches any depth, and a matched folder takes all it holds;
    the last matching pattern decides (`!` keeps)."""
    parts = Path(path).parts
    prefixes = ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
    out = False
    for pattern in patterns:
        keep = pattern.startswith("!")
        regex = _regex(pattern[1:] if keep else pattern)
        if any(regex.match(prefix) for prefix in prefixes):
            out = not keep
    return out
