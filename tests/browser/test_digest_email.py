"""The digest's HTML as a mail client shows it: rendered by Chromium at desktop and phone widths
(screenshots in artifacts/screenshots/), readable, linked, and never wider than the screen."""
from __future__ import annotations

import pytest
from digest_org import TITLES, TODAY, TURNED, build_digest_org
from factories import context

from assistant.integrations.digest_render import render_html
from tools.digest import manager_week

from conftest import SCREENSHOTS, SIZES


@pytest.fixture
def digest_html(session):
    build_digest_org(session)
    return render_html(manager_week(context(session, "maya", today=TODAY)), "https://coach.example")


@pytest.mark.parametrize("size", sorted(SIZES))
def test_the_digest_renders_readably_at_every_width(browser, digest_html, size):
    page = browser.new_page(viewport=SIZES[size])
    page.route("**/*", lambda route: route.abort())  # a mail client loads nothing remote; nor do we
    page.set_content(digest_html)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"digest-{size}.png"), full_page=True)
    text = page.inner_text("body")
    assert {gid for gid, title in TITLES.items() if title in text} == set(TURNED["maya"])
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
    links = page.eval_on_selector_all("a", "els => els.map(e => e.href)")
    assert "https://coach.example/records/goal/g-churn" in links
    headings = page.eval_on_selector_all("h2", "els => els.map(e => e.textContent)")
    assert headings == ["Goals that turned at risk this week (3)", "1:1s", "Open action items",
                        "A question for each 1:1"]
    page.close()
