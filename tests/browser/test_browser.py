"""The web app and the chat widget in real headless Chromium."""
from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from conftest import LONG_REQUEST, shoot, sign_in
from test_web_support import EMAILS, PASSWORD

pytestmark = pytest.mark.browser


def widget(page):
    """The widget lives in an open shadow root; Playwright's CSS locators pierce it."""
    return page.locator("#coach-widget")


def open_widget(page):
    page.get_by_role("button", name="Ask Coach").click()
    expect(page.get_by_role("dialog", name="Coach chat")).to_be_visible()


def ask(page, question: str) -> None:
    page.get_by_label("Your question").fill(question)
    page.get_by_label("Your question").press("Enter")


def test_sign_in_and_open_the_dashboard(site, page):
    page.goto(f"{site.url}/people/sam")
    expect(page).to_have_url(re.compile(r"/signin\?next=%2Fpeople%2Fsam$"))
    sign_in(page, site.url, EMAILS["ana"], PASSWORD, goto=False)
    expect(page).to_have_url(f"{site.url}/people/sam")
    page.goto(site.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My team")
    attention = page.locator("ol.attention > li")
    expect(attention).to_have_count(2)
    expect(attention.first).to_contain_text("Lee Park")
    expect(page.locator("#report-lee svg.spark")).to_have_count(1)


def test_the_widget_streams_an_answer_and_its_citation_opens_the_record(site, page):
    sign_in(page, site.url, EMAILS["ana"], PASSWORD)
    open_widget(page)
    focused = page.evaluate("document.querySelector('#coach-widget').shadowRoot.activeElement.id")
    assert focused == "coach-input"
    ask(page, "Why is Sam Lee's ticket backlog goal off track?")
    answer = widget(page).locator(".coach-coach .coach-text").last
    expect(answer).to_contain_text("Key result", timeout=5000)  # tokens arriving...
    assert answer.locator("a.coach-cite").count() == 0  # ...before the citations are attached
    cite = answer.locator("a.coach-cite").first
    expect(cite).to_have_text("[1]", timeout=10000)
    expect(answer).to_contain_text("behind pace")
    expect(answer.locator("ol.coach-sources li")).not_to_have_count(0)
    cite.click()
    expect(page).to_have_url(f"{site.url}/goals/g-backlog")
    expect(page.get_by_role("heading", level=1)).to_have_text("Cut the ticket backlog")


def test_follow_ups_keep_the_session_across_pages(site, page):
    sign_in(page, site.url, EMAILS["ana"], PASSWORD)
    open_widget(page)
    ask(page, "Why is Sam Lee's ticket backlog goal off track?")
    expect(widget(page).locator("a.coach-cite").first).to_be_visible(timeout=10000)
    page.goto(f"{site.url}/people/sam")
    open_widget(page)
    expect(widget(page).locator(".coach-msg")).to_have_count(2)  # restored from the conversation
    ask(page, "What did we agree in his last 1:1?")
    last = widget(page).locator(".coach-coach").last
    expect(last.locator("a.coach-cite").first).to_have_attribute("href", re.compile(r"/records/checkin/c-s7$"),
                                                                 timeout=10000)
    expect(widget(page).locator(".coach-msg")).to_have_count(4)


def test_stop_cancels_generation_on_the_server(site, page):
    sign_in(page, site.url, EMAILS["ana"], PASSWORD)
    before = site.stats.cancelled
    open_widget(page)
    ask(page, f"{LONG_REQUEST} about how my team is doing")
    answer = widget(page).locator(".coach-coach .coach-text").last
    expect(answer).to_contain_text("point3", timeout=5000)
    stop = page.get_by_role("button", name="Stop")
    expect(stop).to_be_visible()
    stop.click()
    expect(answer).to_contain_text("(stopped)")
    expect(page.get_by_role("button", name="Send")).to_be_enabled()
    deadline = time.monotonic() + 3
    while site.stats.cancelled == before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert site.stats.cancelled == before + 1
    assert "point299" not in answer.inner_text()


def test_keyboard_escape_closes_and_returns_focus(site, page):
    sign_in(page, site.url, EMAILS["ana"], PASSWORD)
    launcher = page.get_by_role("button", name="Ask Coach")
    launcher.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("dialog", name="Coach chat")).to_be_visible()
    expect(launcher).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog", name="Coach chat")).to_be_hidden()
    assert page.evaluate("document.querySelector('#coach-widget').shadowRoot.activeElement.className") == "coach-launcher"
    assert widget(page).locator("[role=log][aria-live=polite]").count() == 1


def test_markup_in_notes_and_model_output_stays_inert(site, page):
    from tools.store.models import CheckIn

    with site.app.state.web.runtime.sessions() as session:
        session.get(CheckIn, "c-s7").notes = ('Scanner <script>window.__xss = 1</script> '
                                              '<img src=x onerror="window.__xss = 2"> still broken.')
        session.commit()
    sign_in(page, site.url, EMAILS["ana"], PASSWORD)
    page.goto(f"{site.url}/people/sam")
    expect(page.locator("#checkin-c-s7 .note")).to_contain_text("<script>window.__xss = 1</script>")
    assert page.locator("#checkin-c-s7 img").count() == 0
    open_widget(page)
    ask(page, "What did we agree in Sam Lee's last 1:1?")  # the answer quotes the note back
    answer = widget(page).locator(".coach-coach .coach-text").last
    expect(answer.locator("a.coach-cite").first).to_be_visible(timeout=10000)
    expect(answer).to_contain_text("<img src=x onerror='window.__xss = 2'>")
    assert widget(page).locator("img, script").count() == 0
    assert page.evaluate("window.__xss") is None


def test_another_teams_person_page_is_403(site, page):
    sign_in(page, site.url, EMAILS["raj"], PASSWORD)
    response = page.goto(f"{site.url}/people/sam")
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Not available")
    assert "Sam Lee" not in page.content() and "backlog" not in page.content()


def test_the_widget_works_embedded_in_another_origin(site, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})  # no cookies: the token is the key
    page = context.new_page()
    page.goto(f"{site.embed.url}/embed.html")
    open_widget(page)
    ask(page, "Why is Sam Lee's ticket backlog goal off track?")
    cite = widget(page).locator("a.coach-cite").first
    expect(cite).to_have_attribute("href", f"{site.url}/records/goal/g-backlog", timeout=10000)
    expect(cite).to_have_attribute("target", "_blank")
    shoot(page, "embedded-widget")
    context.close()


def test_a_site_not_allowed_cannot_use_the_token(site, browser):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"http://localhost:{site.embed.port}/embed.html")  # same server, origin not allowed
    open_widget(page)
    ask(page, "How is my team doing?")
    answer = widget(page).locator(".coach-coach .coach-text").last
    expect(answer).to_have_class(re.compile("coach-error"), timeout=10000)
    assert "Lee Park" not in answer.inner_text()
    context.close()
