"""The list of trials at / and each trial's chat at /?trial=ID, in real headless Chromium."""
from __future__ import annotations

import json
import urllib.error
import urllib.request
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from eligibility.explain import STATUS
from eligibility.served import served

from .test_page import axe_problems, choice, open_chat, settled, slot

pytestmark = pytest.mark.browser


def test_the_list_names_every_trial_with_its_status_and_opens_none(site, new_page, axe_path):
    page = new_page(bypass_csp=True)  # axe is injected as an inline script
    page.goto(site)
    links = page.get_by_role("list", name="Choose a trial").get_by_role("link")
    expect(links).to_have_count(len(served()))
    for n, (tid, trial) in enumerate(served().items()):
        expect(links.nth(n)).to_have_text(trial.trial.title)
        assert links.nth(n).get_attribute("href") == f"/?trial={quote(tid, safe='')}"
        expect(page.get_by_role("listitem").nth(n)).to_contain_text(STATUS[trial.trial.status])
    expect(page.locator("#log")).to_have_count(0)  # no chat, no message sent
    assert axe_problems(page, axe_path) == []


def test_the_list_by_keyboard_opens_a_trials_chat(site, page):
    page.goto(site)
    other = next(t for t in served().values() if t.trial.id != next(iter(served())))
    for _ in range(len(served()) + 3):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == other.trial.title:
            break
    page.keyboard.press("Enter")
    settled(page)
    assert slot(page) == "chatting_as"
    expect(page.get_by_role("heading", level=1)).to_contain_text(other.trial.short_name[1:])
    expect(page.locator("#notice")).to_have_text(f"{STATUS[other.trial.status]} This is not medical advice.")
    expect(page.locator("#log")).to_contain_text(other.trial.short_name)


def test_a_trials_chat_asks_its_own_questions(site, page):
    ukall = served()["UKALL 2011"]
    open_chat(page, f"{site}?trial={quote(ukall.trial.id)}")
    expect(page.locator("#log")).not_to_contain_text("blinatumomab")
    choice(page, "parent").click()
    settled(page)
    page.locator("#text").fill("she is 6")
    page.locator("#text").press("Enter")
    settled(page)
    assert slot(page) == "diagnosis"
    expect(choice(page, "lbl")).to_have_text("Lymphoblastic lymphoma (LBL)")
    expect(page.get_by_role("link", name="All trials")).to_have_attribute("href", "/")


def test_the_list_fits_320_pixels(site, new_page):
    page = new_page(width=320, height=640)
    page.goto(site)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 320
    expect(page.get_by_role("link").first).to_be_visible()


def test_an_unknown_trial_shows_the_list_with_a_clear_message(site, page):
    response = page.goto(f"{site}?trial=NOT-A-TRIAL")
    assert response.status == 404
    expect(page.get_by_role("alert")).to_contain_text('There is no trial called "NOT-A-TRIAL"')
    expect(page.get_by_role("list", name="Choose a trial").get_by_role("link")).to_have_count(len(served()))


def test_trials_json_lists_the_trials_served(site):
    with urllib.request.urlopen(site + "trials.json", timeout=10) as resp:
        assert resp.headers["Content-Type"].startswith("application/json")
        listed = json.load(resp)
    assert listed == [{"trial": tid, "title": t.trial.title, "recruiting": t.trial.status == "open"}
                      for tid, t in served().items()]
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(site + "trials.yml", timeout=10)


def test_a_babys_trial_offers_a_parent_or_a_professional_only(site, page):
    open_chat(page, f"{site}?trial={quote('Interfant-06')}")
    expect(page.locator("#log")).to_contain_text("the baby's own doctor")
    assert slot(page) == "chatting_as"
    expect(page.locator("#choices button")).to_have_count(2)
    expect(choice(page, "young_person")).to_have_count(0)
