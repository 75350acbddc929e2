"""Single sign-on end to end in Chromium: Coach and a real OpenID provider (oidc-provider-mock,
tests/oidc_provider.py) both on loopback; people provisioned through SCIM first."""
from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import expect

from conftest import shoot
from oidc_provider import LoopbackProvider
from sso_support import CLIENT_ID, patch_body, provisioning_token, sso_app, user_body
from test_web_support import EMAILS, LiveServer

pytestmark = pytest.mark.browser
NOT_LOOPBACK = re.compile(r"^https?://(?!127\.0\.0\.1[:/])")  # the provider's page links a CDN stylesheet


class SsoSite:
    def __init__(self, app, coach: LiveServer, idp: LoopbackProvider, token: str):
        self.app, self.coach, self.idp, self.url = app, coach, idp, coach.url
        self.scim = httpx.Client(base_url=f"{coach.url}/scim/v2", headers={"Authorization": f"Bearer {token}"},
                                 timeout=10)


@pytest.fixture(scope="module")
def sso_site(tmp_path_factory, seeded_sqlite):
    with LoopbackProvider() as idp:
        idp.user("ana-at-idp", email=EMAILS["ana"], name="Ana Ruiz")
        idp.user("sam-at-idp", email=EMAILS["sam"], name="Sam Lee")
        idp.user("stranger", email="stranger@example.com", name="A Stranger")
        app = sso_app(tmp_path_factory.mktemp("sso-browser"), seeded_sqlite, idp.url)
        with LiveServer(app) as coach:
            site = SsoSite(app, coach, idp, provisioning_token(app))
            yield site
            site.scim.close()
        app.state.web.runtime.engine.dispose()


@pytest.fixture
def sso_page(page):
    page.route(NOT_LOOPBACK, lambda route: route.abort())
    return page


def through_provider(page, site: SsoSite, sub: str, start: str = "/signin") -> None:
    """From Coach's sign-in page, through the provider's form as ``sub``, back to Coach."""
    page.goto(site.url + start)
    page.get_by_role("link", name="Sign in with single sign-on").click()
    page.wait_for_url(lambda url: url.startswith(site.idp.url))
    page.get_by_placeholder("sub").fill(sub)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(lambda url: url.startswith(site.url))


def signed_out(page, site: SsoSite) -> None:
    page.goto(site.url + "/")
    expect(page).to_have_url(re.compile(r"/signin\?next=%2F$"))


def test_sign_in_and_out_through_the_provider(sso_site, sso_page):
    page = sso_page
    page.goto(sso_site.url + "/signin")
    shoot(page, "signin-sso")
    through_provider(page, sso_site, "ana-at-idp", start="/signin?next=%2Fpeople%2Fsam")
    expect(page).to_have_url(f"{sso_site.url}/people/sam")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sam Lee")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("status")).to_contain_text("You are signed out of Coach")
    page.get_by_role("link", name="sign out of it as well").click()
    page.wait_for_url(lambda url: url.startswith(f"{sso_site.idp.url}/oauth2/end_session"))
    signed_out(page, sso_site)


@pytest.mark.parametrize(("fault", "reason"), [
    ("audience", "not this client"),
    ("expired", "The token expired"),
    ("tampered", "signature does not verify"),
    ("nonce", "nonce does not match"),
])
def test_a_bad_id_token_is_refused(sso_site, sso_page, fault, reason):
    sso_site.idp.fault = fault
    try:
        through_provider(sso_page, sso_site, "ana-at-idp")
    finally:
        sso_site.idp.fault = None
    expect(sso_page.get_by_role("heading", level=1)).to_have_text("Sign-in refused")
    expect(sso_page.get_by_role("alert")).to_contain_text(reason)
    if fault == "tampered":
        shoot(sso_page, "signin-refused")
    signed_out(sso_page, sso_site)


def test_a_callback_with_a_forged_state_is_refused(sso_site, sso_page):
    page = sso_page
    page.goto(sso_site.url + "/signin")
    page.get_by_role("link", name="Sign in with single sign-on").click()
    page.wait_for_url(lambda url: url.startswith(sso_site.idp.url))
    page.goto(f"{sso_site.url}/signin/sso/callback?code=stolen&state=forged")  # an attacker's link
    expect(page.get_by_role("alert")).to_contain_text("state mismatch")
    signed_out(page, sso_site)


def test_an_unknown_email_gets_a_clear_page(sso_site, sso_page):
    through_provider(sso_page, sso_site, "stranger")
    expect(sso_page.get_by_role("heading", level=1)).to_have_text("No Coach account")
    expect(sso_page.get_by_role("alert")).to_contain_text("stranger@example.com is not a person in this Coach")
    signed_out(sso_page, sso_site)


def test_a_person_deactivated_in_the_directory_cannot_sign_in(sso_site, sso_page):
    off = sso_site.scim.patch("/Users/sam", json=patch_body({"op": "replace", "path": "active", "value": False}))
    assert off.status_code in (200, 204), off.text
    try:
        through_provider(sso_page, sso_site, "sam-at-idp")
        expect(sso_page.get_by_role("heading", level=1)).to_have_text("Account deactivated")
        signed_out(sso_page, sso_site)
    finally:
        sso_site.scim.patch("/Users/sam", json=patch_body({"op": "replace", "path": "active", "value": True}))


def test_a_session_in_the_browser_ends_on_back_channel_logout(sso_site, sso_page):
    through_provider(sso_page, sso_site, "ana-at-idp")
    expect(sso_page.get_by_role("heading", level=1)).to_have_text("My team")
    token = sso_site.idp.logout_token(CLIENT_ID, sub="ana-at-idp")
    assert httpx.post(f"{sso_site.url}/signin/sso/backchannel-logout", data={"logout_token": token}).status_code == 200
    signed_out(sso_page, sso_site)


def test_fifty_provisioned_people_then_one_signs_in_and_sees_their_team(sso_site, sso_page):
    ids: list[str] = []
    for i in range(50):
        manager = None if i == 0 else ids[0] if i <= 5 else ids[1 + (i % 5)]
        answer = sso_site.scim.post("/Users", json=user_body(f"user{i:02d}@corp.example", name=f"Person {i:02d}",
                                                              manager=manager, external_id=f"00u{i:03d}"))
        assert answer.status_code == 201, answer.text
        ids.append(answer.json()["id"])
    sso_site.idp.user("user01-at-idp", email="user01@corp.example", name="Person 01")
    through_provider(sso_page, sso_site, "user01-at-idp")
    expect(sso_page.get_by_role("heading", level=1)).to_have_text("My team")
    reports = sso_page.locator("ul.reports > li")
    expect(reports).to_have_count(8)  # people 10, 15, ... 45 report to Person 01
    mover = ids[10]
    sso_site.scim.patch(f"/Users/{mover}", json=patch_body(
        {"op": "replace", "path": "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager",
         "value": {"value": ids[2]}}))
    sso_page.reload()
    expect(reports).to_have_count(7)
    expect(sso_page.locator(f"#report-{mover}")).to_have_count(0)
    sso_site.scim.patch(f"/Users/{ids[15]}", json=patch_body({"op": "replace", "path": "active", "value": False}))
    sso_page.reload()
    expect(reports).to_have_count(6)
    expect(sso_page.locator(f"#left-{ids[15]}")).to_contain_text("Person 15")
    shoot(sso_page, "team-with-leaver")
    assert sso_page.goto(f"{sso_site.url}/people/{mover}").status == 403
