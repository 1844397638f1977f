"""The assistant, the chat page and headless Chromium for the browser tests.

Needs Debian's Chromium and axe-core: run scripts/install_browser.sh once
(never `playwright install`).
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import expect, sync_playwright

from eligibility.served import default_trial
from harness.servers import ROOT, Assistant, free_port, wait_for

CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "build" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
SET_UP = "run scripts/install_browser.sh first"

expect.set_options(timeout=30_000)


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """URL of the page server (web/serve.py: the list of trials at /), talking to a live assistant."""
    workdir = tmp_path_factory.mktemp("web")
    web_port = free_port()
    assistant = Assistant(workdir, extra_rasa_args=["--cors", f"http://127.0.0.1:{web_port}"])
    web = None
    try:
        assistant.start()
        log = workdir / "web.log"
        env = dict(os.environ, RASA_URL=assistant.url, WEB_PORT=str(web_port))
        web = subprocess.Popen([sys.executable, str(ROOT / "web" / "serve.py")], cwd=ROOT, env=env,
                               stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
        url = f"http://127.0.0.1:{web_port}/"
        wait_for(url, 30, web, log)
        yield url
    finally:
        if web and web.poll() is None:
            os.killpg(web.pid, signal.SIGTERM)
            web.wait(timeout=10)
        assistant.stop()


@pytest.fixture(scope="session")
def chat(site):
    """URL of the default trial's chat page."""
    return f"{site}?trial={quote(default_trial().trial.id, safe='')}"


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: {SET_UP}", pytrace=False)
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def axe_path() -> str:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: {SET_UP}", pytrace=False)
    return str(AXE)


@pytest.fixture
def new_page(browser):
    """Open pages in fresh contexts (own sessionStorage, so a new sender each time).

    Fails the test on a script error or a Content-Security-Policy violation."""
    contexts, problems = [], []

    def open_page(width: int = 420, height: int = 900, **options):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="en-GB",
                                      timezone_id="Europe/London", **options)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda err: problems.append(f"page error: {err}"))
        page.on("console", lambda msg: problems.append(f"console: {msg.text}")
                if "Content Security Policy" in msg.text else None)
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not problems, "\n".join(problems)


@pytest.fixture
def page(new_page):
    return new_page()
