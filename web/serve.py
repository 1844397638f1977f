"""Serve the chat page on 127.0.0.1 with the Python standard library.

    RASA_URL=http://127.0.0.1:5005 WEB_PORT=8080 .venv/bin/python web/serve.py

WEB_HOST (default 127.0.0.1) is the address it listens on: a container behind the proxy
sets 0.0.0.0 (deploy/docker-compose.yml).

Serves every trial served (eligibility.served): `/` lists them (title, status, a link each),
`/?trial=ID` is that trial's chat, and `/trials.json` the list as JSON. A chat page is
index.html with the trial's name, status, caveat and nurse line filled in from its file,
so the page names no trial of its own; app.js sends the trial's id with each message.
/config.js tells the page where Rasa's REST channel is. Every answer carries a strict
Content-Security-Policy: scripts, styles and images from this server only, and
network requests only to the Rasa origin. Rasa must allow this page's origin
(`rasa run --cors http://127.0.0.1:8080`).
"""
from __future__ import annotations

import html
import json
import os
import sys
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from eligibility import Trial  # noqa: E402
from eligibility.explain import CAVEAT, STATUS  # noqa: E402
from eligibility.served import catalogue, serve_or_exit  # noqa: E402
from conversation.signals import MAX_LENGTH  # noqa: E402

HTML = "text/html; charset=utf-8"
FILES = {
    "/app.js": ("app.js", "text/javascript; charset=utf-8"),
    "/style.css": ("style.css", "text/css; charset=utf-8"),
}


def rasa_origin(rasa_url: str) -> str:
    parts = urlsplit(rasa_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SystemExit(f"RASA_URL must be an http(s) URL, not {rasa_url!r}")
    return f"{parts.scheme}://{parts.netloc}"


def fill(template: str, values: dict, raw: tuple = ()) -> bytes:
    """The template with each {{name}} replaced by its value, escaped unless it is in `raw`."""
    for name, value in values.items():
        template = template.replace("{{" + name + "}}", value if name in raw else html.escape(value))
    return template.encode()


def chat_page(trial: Trial) -> bytes:
    phone = trial.nurse_line.phone
    return fill((HERE / "index.html").read_text(encoding="utf-8"), {
        "heading": f"{trial.trial.short_name[0].upper()}{trial.trial.short_name[1:]}: check the entry rules",
        "notice": STATUS[trial.trial.status] + " This is not medical advice.", "phone": phone,
        "tel": "".join(ch for ch in phone if ch.isdigit()), "max_length": str(MAX_LENGTH),
        "trial": trial.trial.id, "caveat": CAVEAT[trial.trial.status], "nurses": trial.nurse_line.name})


def list_page(trials: dict, asked: str = None) -> bytes:
    """The trials served, a link to each; with `asked`, says first that no trial has that id."""
    items = "\n".join(
        f'      <li><a href="/?trial={html.escape(quote(tid, safe=""))}">{html.escape(t.trial.title)}</a>'
        f'<span class="status">{html.escape(STATUS[t.trial.status])}</span></li>' for tid, t in trials.items())
    problem = (f'<p class="problem" role="alert">There is no trial called "{html.escape(asked)}" here. '
               'Please choose one of these.</p>') if asked is not None else ""
    return fill((HERE / "trials.html").read_text(encoding="utf-8"), {"items": items, "problem": problem},
                raw=("items", "problem"))


def make_handler(rasa_url: str) -> type:
    origin = rasa_origin(rasa_url)
    trials = serve_or_exit()
    pages = {tid: chat_page(t) for tid, t in trials.items()}
    listing = list_page(trials)
    trials_json = json.dumps(catalogue(), ensure_ascii=False).encode()
    config_js = f"window.ASSISTANT_CONFIG = {json.dumps({'restUrl': rasa_url.rstrip('/') + '/webhooks/rest/webhook'})};\n".encode()
    csp = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
           f"connect-src {origin}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def version_string(self) -> str:
            return "chat-page"

        def do_GET(self) -> None:
            self.respond(body=True)

        def do_HEAD(self) -> None:
            self.respond(body=False)

        def respond(self, body: bool) -> None:
            parts = urlsplit(self.path)
            path, asked = parts.path, parse_qs(parts.query).get("trial", [None])[0]
            status = HTTPStatus.OK
            if path == "/config.js":
                data, ctype = config_js, "text/javascript; charset=utf-8"
            elif path == "/trials.json":
                data, ctype = trials_json, "application/json; charset=utf-8"
            elif path in ("/", "/index.html") and asked in pages:
                data, ctype = pages[asked], HTML
            elif path in ("/", "/index.html"):
                data, ctype = (listing, HTML) if asked is None else (list_page(trials, asked[:60]), HTML)
                status = HTTPStatus.OK if asked is None else HTTPStatus.NOT_FOUND
            elif path in FILES:
                name, ctype = FILES[path]
                data = (HERE / name).read_bytes()
            elif path == "/favicon.ico":
                self.send_response(HTTPStatus.NO_CONTENT)
                self.end_headers()
                return
            else:
                data, ctype = b"Not found\n", "text/plain; charset=utf-8"
                self.send_response(HTTPStatus.NOT_FOUND)
                self.send_body_headers(data, ctype)
                if body:
                    self.wfile.write(data)
                return
            self.send_response(status)
            self.send_body_headers(data, ctype)
            if body:
                self.wfile.write(data)

        def send_body_headers(self, data: bytes, ctype: str) -> None:
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()

        def end_headers(self) -> None:
            self.send_header("Content-Security-Policy", csp)
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Referrer-Policy", "no-referrer")
            self.send_header("X-Frame-Options", "DENY")
            super().end_headers()

        def log_message(self, format: str, *args) -> None:  # noqa: A002 (stdlib signature)
            sys.stderr.write(f"{self.address_string()} {format % args}\n")

    return Handler


def main() -> None:
    rasa_url = os.environ.get("RASA_URL", "http://127.0.0.1:5005")
    host = os.environ.get("WEB_HOST", "127.0.0.1")
    port = int(os.environ.get("WEB_PORT", "8080"))
    server = ThreadingHTTPServer((host, port), make_handler(rasa_url))
    print(f"Chat page on http://{host}:{port}/ talking to {rasa_url}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
