"""Every page on the demo org, at desktop and phone widths, saved to artifacts/screenshots/.

Besides the images, it checks what a person must be able to read on a phone: nothing wider
than the screen, and the widget's panel fits it.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from conftest import SIZES, shoot, sign_in
from test_web_support import LiveServer, make_app

pytestmark = pytest.mark.browser
MANAGER = "marisol.ortega@demo.coach"


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory):
    from tools.store.accounts import DEMO_PASSWORD, seed_demo_users
    from tools.demo.seed import seed_database

    folder = tmp_path_factory.mktemp("demo-web")
    app = make_app(f"sqlite:///{folder / 'coach.db'}", folder, seed=False)
    with app.state.web.runtime.sessions() as session:
        result = seed_database(session)
        seed_demo_users(session, DEMO_PASSWORD)
        session.commit()
    with LiveServer(app) as server:
        yield server, result.manifest, DEMO_PASSWORD
    app.state.web.runtime.engine.dispose()


def no_sideways_scroll(page) -> None:
    page.set_viewport_size(SIZES["phone"])
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} is {overflow}px wider than a phone screen"
    page.set_viewport_size(SIZES["desktop"])


def test_screenshots_of_every_page(demo_site, page):
    server, manifest, password = demo_site
    blocked = manifest["situations"]["blocked_goal"]
    person, goal = blocked["person_id"], blocked["goal_ids"][0]
    page.goto(f"{server.url}/signin")
    shoot(page, "signin")
    sign_in(page, server.url, MANAGER, password)

    page.goto(server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My team")
    no_sideways_scroll(page)
    shoot(page, "dashboard")

    page.goto(f"{server.url}/people/{person}")
    expect(page.get_by_role("heading", level=1)).to_have_text(blocked["person"])
    no_sideways_scroll(page)
    shoot(page, "person")

    page.goto(f"{server.url}/goals/{goal}")
    expect(page.locator(".coach-answer a.coach-cite").first).to_be_visible(timeout=15000)
    no_sideways_scroll(page)
    shoot(page, "goal")

    page.goto(f"{server.url}/people/{person}/prep")
    page.get_by_role("button", name="Draft questions and agenda with Coach").click()
    expect(page.get_by_label("Coaching questions and agenda (edit freely)")).to_contain_text("Agenda:", timeout=15000)
    no_sideways_scroll(page)
    shoot(page, "prep")

    page.goto(f"{server.url}/people/{person}/review")
    page.get_by_label("Review text").fill(
        "Dana is abrasive with the IT team and bossy in stand-ups. Great job overall, a real team player.")
    page.get_by_role("button", name="Check for bias").click()
    expect(page.locator("#bias mark").first).to_be_visible(timeout=15000)
    no_sideways_scroll(page)
    shoot(page, "review")

    page.goto(server.url + "/")
    page.get_by_role("button", name="Ask Coach").click()
    page.get_by_label("Your question").fill(blocked["question"])
    page.get_by_label("Your question").press("Enter")
    expect(page.locator("#coach-widget a.coach-cite").first).to_be_visible(timeout=15000)
    shoot(page, "widget")
    page.set_viewport_size(SIZES["phone"])
    box = page.locator("#coach-widget .coach-panel").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= SIZES["phone"]["width"] + 1
    page.set_viewport_size(SIZES["desktop"])

    outsider = next(m for m in manifest["managers"] if m["id"] != blocked["manager_id"])
    response = page.goto(f"{server.url}/people/{outsider['report_ids'][0]}")
    assert response.status == 403
    shoot(page, "forbidden")
