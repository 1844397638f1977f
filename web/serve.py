"""Serve the chat page on 127.0.0.1 with the Python standard library.

    RASA_URL=http://127.0.0.1:5005 WEB_PORT=8080 .venv/bin/python web/serve.py

WEB_HOST (default 127.0.0.1) is the address it listens on: a container behind the proxy
sets 0.0.0.0 (deploy/docker-compose.yml).

Serves index.html, app.js and style.css from this folder, plus /config.js, which
tells the page where Rasa's REST channel is and the trial's nurse line. The trial's
name, status and nurse line come from its file (TRIAL_FILE, or the default trial) and
are filled into index.html here, so the page names no trial of its own. Every answer carries a strict
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
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from eligibility import load_trial  # noqa: E402
from eligibility.explain import CAVEAT, STATUS  # noqa: E402
from conversation.signals import MAX_LENGTH  # noqa: E402
FILES = {
    "/": ("index.html", "text/html; charset=utf-8"),
    "/index.html": ("index.html", "text/html; charset=utf-8"),
    "/app.js": ("app.js", "text/javascript; charset=utf-8"),
    "/style.css": ("style.css", "text/css; charset=utf-8"),
}


def rasa_origin(rasa_url: str) -> str:
    parts = urlsplit(rasa_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SystemExit(f"RASA_URL must be an http(s) URL, not {rasa_url!r}")
    return f"{parts.scheme}://{parts.netloc}"


def make_handler(rasa_url: str) -> type:
    origin = rasa_origin(rasa_url)
    trial = load_trial()
    phone = trial.nurse_line.phone
    config = {"restUrl": rasa_url.rstrip("/") + "/webhooks/rest/webhook", "phone": phone,
              "caveat": CAVEAT[trial.trial.status]}
    page = {"heading": f"{trial.trial.short_name[0].upper()}{trial.trial.short_name[1:]}: check the entry rules",
            "notice": STATUS[trial.trial.status] + " This is not medical advice.", "phone": phone,
            "tel": "".join(ch for ch in phone if ch.isdigit()), "max_length": str(MAX_LENGTH)}
    index = (HERE / "index.html").read_text(encoding="utf-8")
    for name, value in page.items():
        index = index.replace("{{" + name + "}}", html.escape(value))
    index_bytes = index.encode()
    config_js = f"window.ASSISTANT_CONFIG = {json.dumps(config)};\n".encode()
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
            path = urlsplit(self.path).path
            if path == "/config.js":
                data, ctype = config_js, "text/javascript; charset=utf-8"
            elif path in ("/", "/index.html"):
                data, ctype = index_bytes, "text/html; charset=utf-8"
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
            self.send_response(HTTPStatus.OK)
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
