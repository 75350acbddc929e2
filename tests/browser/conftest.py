"""Real headless Chromium (Debian's /usr/bin/chromium, never downloaded) driven by Playwright,
against the app under uvicorn on 127.0.0.1 with the scripted instant model, plus a second
server on another port that embeds the widget as a foreign site would."""
from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

pytest.importorskip("playwright", reason="playwright (the dev extra) is not installed")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for factories and test_web_support

from servers import free_port  # noqa: E402
from test_web_support import LiveServer, make_app, seeded_sqlite  # noqa: E402,F401

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
LONG_REQUEST = "Tell me everything"

pytestmark = pytest.mark.browser


def responder(messages, options):
    """Answers from the facts like the fake provider; a long slow answer when asked to tell everything."""
    from assistant.providers.fake import answer_from_facts

    if not options.get("response_format") and LONG_REQUEST in str(messages[-1].content):
        return " ".join(f"point{i}" for i in range(300))
    return answer_from_facts(messages, options)


@pytest.fixture(scope="module")
def browser():
    """Chromium under Playwright's sync API, per module: while it runs, the main thread has an
    event loop, so later tests calling ``asyncio.run`` would fail if it lived for the session."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Site:
    def __init__(self, app, coach: LiveServer, embed: LiveServer, token: str):
        self.app, self.coach, self.embed, self.token = app, coach, embed, token
        self.url = coach.url

    @property
    def stats(self):
        return self.app.state.web.streams


def embed_app(coach_url: str, token: str):
    """A foreign site: one static page carrying the widget's script tag."""
    from starlette.applications import Starlette
    from starlette.responses import HTMLResponse
    from starlette.routing import Route

    page = (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><meta name='viewport' "
            f"content='width=device-width, initial-scale=1'><title>Intranet</title></head><body style='font-family:"
            f"sans-serif;margin:2rem'><h1>Acme intranet</h1><p>Team news and links.</p>"
            f"<script src='{coach_url}/static/widget.js' data-token='{token}' defer></script></body></html>")
    return Starlette(routes=[Route("/embed.html", lambda request: HTMLResponse(page))])


@pytest.fixture(scope="module")
def site(tmp_path_factory, seeded_sqlite):
    from assistant.providers.fake import ScriptedChatModel
    from tools.store.accounts import create_api_token

    folder = tmp_path_factory.mktemp("browser")
    shutil.copy(seeded_sqlite, folder / "coach.db")
    embed_port = free_port()
    model = ScriptedChatModel(responder=responder, token_delay=0.03)
    app = make_app(f"sqlite:///{folder / 'coach.db'}", folder, seed=False, upgrade=False, model=model,
                   origins=[f"http://127.0.0.1:{embed_port}"])
    with app.state.web.runtime.sessions() as session:
        token, _ = create_api_token(session, "ana", "intranet")
        session.commit()
    with LiveServer(app) as coach:
        with LiveServer(embed_app(coach.url, token), port=embed_port) as embed:
            yield Site(app, coach, embed, token)
    app.state.web.runtime.engine.dispose()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=SIZES["desktop"])
    page = context.new_page()
    yield page
    context.close()


def sign_in(page, base_url: str, email: str, password: str, *, goto: bool = True) -> None:
    if goto:
        page.goto(f"{base_url}/signin")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/signin" not in url)


def shoot(page, name: str) -> None:
    """Screenshots of the current page at desktop and phone widths."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for label, size in SIZES.items():
        page.set_viewport_size(size)
        page.wait_for_timeout(100)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(SIZES["desktop"])
