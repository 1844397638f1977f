"""The compose deployment on this machine: its commands and environment for the action server,
two Rasa replicas and the page, and deploy/nginx.conf run by Debian's nginx in front of them,
on the machine's PostgreSQL (a fresh database) and Redis. Only addresses and ports change:
every service listens on loopback, and nginx's listen and upstream lines name loopback ports.
"""
from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import ssl
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Set, Tuple

from harness.servers import ROOT, TEST_TODAY, free_port, wait_for

from .layout import NGINX_CONF, compose, option

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def with_option(command: List[str], flag: str, value: str) -> List[str]:
    option(command, flag)  # present once
    out = list(command)
    out[out.index(flag) + 1] = value
    return out


def nginx_conf(listen: int, replicas: List[int], web: int, workdir: Path) -> str:
    """deploy/nginx.conf with loopback addresses for the listen socket and the upstreams."""
    conf = NGINX_CONF.read_text()
    for old, new in [("listen 443 ssl;", f"listen 127.0.0.1:{listen} ssl;"),
                     ("server rasa:5005;", " ".join(f"server 127.0.0.1:{p};" for p in replicas)),
                     ("server web:8080;", f"server 127.0.0.1:{web};")]:
        assert conf.count(old) == 1, f"deploy/nginx.conf no longer has `{old}` once"
        conf = conf.replace(old, new)
    if os.geteuid() != 0:  # Debian's nginx keeps buffers in /var/lib/nginx, root's
        temp = "\n".join(f"    {kind}_temp_path {workdir / kind};" for kind in
                         ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        conf = conf.replace("http {\n", "http {\n" + temp + "\n", 1)
    return conf


def self_signed(certs: Path) -> None:
    certs.mkdir(parents=True, exist_ok=True)
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-keyout", str(certs / "privkey.pem"), "-out", str(certs / "fullchain.pem"),
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
                   check=True, capture_output=True)


@dataclass
class Reply:
    status: int
    headers: Dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Stack:
    workdir: Path
    database: str
    model: str
    proxy_port: int = field(default_factory=free_port)
    actions_port: int = field(default_factory=free_port)
    web_port: int = field(default_factory=free_port)
    replica_ports: List[int] = field(default_factory=lambda: [free_port(), free_port()])
    procs: Dict[str, subprocess.Popen] = field(default_factory=dict)
    senders: Set[str] = field(default_factory=set)  # every sender id sent through the proxy

    @property
    def origin(self) -> str:
        return f"https://127.0.0.1:{self.proxy_port}"

    def base_env(self) -> Dict[str, str]:
        """This machine's environment with what the image's ENV sets (PYTHONPATH is the project)."""
        env = dict(os.environ, PYTHONPATH=str(ROOT), RASA_TELEMETRY_ENABLED="false", ASSISTANT_TODAY=TEST_TODAY,
                   TF_CPP_MIN_LOG_LEVEL="3")
        for key in ("TRIAL_FILE", "NURSE_LINE_HOURS"):
            env.pop(key, None)
        return env

    def service_env(self, name: str, **changes: str) -> Dict[str, str]:
        """The compose service's environment, with the values in `changes` (each one compose sets)."""
        given = {k: str(v) for k, v in (compose()["services"][name].get("environment") or {}).items()}
        missing = set(changes) - set(given)
        assert not missing, f"compose's {name} service no longer sets {missing}"
        given.pop("NURSE_LINE_HOURS", None)  # the trial's own hours, as in the other tests
        return {**self.base_env(), **given, **changes}

    def spawn(self, name: str, command: List[str], env: Dict[str, str]) -> Path:
        """Start a service, its output in NAME.log (nginx: its error log; the access log, its
        standard output, goes to nginx-access.log)."""
        log = self.workdir / f"{name}.log"
        out = (self.workdir / "nginx-access.log").open("a") if name == "nginx" else log.open("w")
        self.procs[name] = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out,
                                            stderr=log.open("w") if name == "nginx" else subprocess.STDOUT,
                                            start_new_session=True)
        return log

    def start(self) -> "Stack":
        services = compose()["services"]
        waits = []
        actions = with_option(services["actions"]["command"], "--port", str(self.actions_port))
        log = self.spawn("actions", actions, self.service_env("actions", SANIC_HOST="127.0.0.1"))
        waits.append((f"http://127.0.0.1:{self.actions_port}/health", "actions", log))

        given = services["rasa"]["environment"]
        rasa_env = self.service_env(
            "rasa", PYTHONPATH=str(ROOT), POSTGRES_HOST="127.0.0.1", POSTGRES_DB=self.database, POSTGRES_PASSWORD="",
            REDIS_HOST="127.0.0.1",
            ACTION_SERVER_URL=given["ACTION_SERVER_URL"].replace("actions:5055", f"127.0.0.1:{self.actions_port}"))
        for i, port in enumerate(self.replica_ports, start=1):
            command = services["rasa"]["command"]
            for flag, value in (("--model", self.model), ("--port", str(port)), ("--cors", self.origin)):
                command = with_option(command, flag, value)
            log = self.spawn(f"rasa{i}", command + ["--interface", "127.0.0.1"], rasa_env)
            waits.append((f"http://127.0.0.1:{port}/", f"rasa{i}", log))

        log = self.spawn("web", services["web"]["command"],
                         self.service_env("web", RASA_URL=self.origin, WEB_HOST="127.0.0.1", WEB_PORT=str(self.web_port)))
        waits.append((f"http://127.0.0.1:{self.web_port}/", "web", log))

        self_signed(self.workdir / "certs")
        conf = self.workdir / "nginx.conf"
        conf.write_text(nginx_conf(self.proxy_port, self.replica_ports, self.web_port, self.workdir))
        log = self.spawn("nginx", [NGINX, "-p", str(self.workdir), "-c", str(conf), "-e", "stderr",
                                   "-g", f"daemon off; pid {self.workdir / 'nginx.pid'};"], self.base_env())
        for url, name, service_log in waits:
            wait_for(url, 240, self.procs[name], service_log)
        deadline = time.time() + 30
        while True:
            assert self.procs["nginx"].poll() is None, f"nginx exited:\n{log.read_text()}"
            try:
                if self.request("GET", "/").status == 200:
                    return self
            except OSError:
                pass
            assert time.time() < deadline, f"nginx did not answer:\n{log.read_text()}"
            time.sleep(0.2)

    def stop(self) -> None:
        for name in reversed(list(self.procs)):
            proc = self.procs.pop(name)
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()

    def tls(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.workdir / "certs" / "fullchain.pem"))

    def connection(self, source: str = "127.0.0.1", timeout: float = 90) -> http.client.HTTPSConnection:
        """A verified TLS connection to the proxy from `source` (any 127/8 address is this machine)."""
        return http.client.HTTPSConnection("127.0.0.1", self.proxy_port, source_address=(source, 0),
                                           context=self.tls(), timeout=timeout)

    def request(self, method: str, path: str, body: Optional[bytes] = None, headers: Optional[Dict[str, str]] = None,
                source: str = "127.0.0.1", conn: Optional[http.client.HTTPSConnection] = None) -> Reply:
        conn = conn or self.connection(source)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            resp = conn.getresponse()
            return Reply(resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read())
        finally:
            conn.close()

    def say(self, sender: str, message: str, source: str = "127.0.0.1",
            conn: Optional[http.client.HTTPSConnection] = None) -> Reply:
        """One turn as the page sends it: the sender id in the body and in X-Sender-Id."""
        self.senders.add(sender)
        body = json.dumps({"sender": sender, "message": message}, ensure_ascii=False).encode()
        return self.request("POST", "/webhooks/rest/webhook", body, {"Content-Type": "application/json",
                                                                      "X-Sender-Id": sender}, source, conn)

    def access_log(self) -> Dict[str, Tuple[int, str]]:
        """request id -> (status, upstream address or "-"), from nginx's access log."""
        out = {}
        for line in (self.workdir / "nginx-access.log").read_text().splitlines():
            found = re.search(r'" (\d{3}) \d+ request_id=(\w+) upstream=(\S+)', line)
            if found:
                out[found.group(2)] = (int(found.group(1)), found.group(3))
        return out

    def upstreams(self, request_ids: List[str]) -> Dict[str, Tuple[int, str]]:
        """The access log's entries for these requests (nginx writes a line after answering)."""
        deadline = time.time() + 10
        while True:
            log = self.access_log()
            if all(r in log for r in request_ids) or time.time() > deadline:
                return {r: log.get(r, (0, "missing")) for r in request_ids}
            time.sleep(0.1)
