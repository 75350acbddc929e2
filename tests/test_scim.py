"""SCIM 2.0 provisioning at /scim/v2: the directory creates people with managers, moves them,
deactivates them; reach, sign-in and the team pages follow at once; bad requests write nothing."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from sso_support import ENTERPRISE, ERROR_SCHEMA, patch_body, provisioning_token, scim_client, sso_app, user_body
from test_web_support import EMAILS, PASSWORD, seeded_sqlite, signed_in, signin_token  # noqa: F401
from tools.access import Reach, Viewer, load_viewer
from tools.context import ToolContext
from tools.errors import ToolError
from tools.people import team_overview
from tools.store.accounts import ApiToken, WebSession, create_api_token
from tools.store.models import CheckIn, Goal, Person


@pytest.fixture
def app(tmp_path, seeded_sqlite):
    app = sso_app(tmp_path, seeded_sqlite, None)
    yield app
    app.state.web.runtime.engine.dispose()


@pytest.fixture
def scim(app) -> TestClient:
    return scim_client(app)


def people_count(app) -> int:
    with app.state.web.runtime.sessions() as session:
        return session.scalar(select(func.count()).select_from(Person))


def reach_of(app, person_id: str) -> frozenset[str] | None:
    with app.state.web.runtime.sessions() as session:
        person = session.get(Person, person_id)
        return Reach(session, Viewer(person.id, person.role, person.name)).ids()


def provision_org(scim: TestClient, size: int = 50) -> list[str]:
    """``size`` people: one head, five managers under them, the rest spread over the managers."""
    ids: list[str] = []
    for i in range(size):
        manager = None if i == 0 else ids[0] if i <= 5 else ids[1 + (i % 5)]
        body = user_body(f"user{i:02d}@corp.example", name=f"User {i:02d}", manager=manager, external_id=f"00u{i:03d}")
        created = scim.post("/Users", json=body)
        assert created.status_code == 201, created.text
        ids.append(created.json()["id"])
    return ids


# -- the protocol --------------------------------------------------------------------------

def test_discovery_describes_users_with_the_enterprise_manager(scim):
    config = TestClient(scim.app).get("/scim/v2/ServiceProviderConfig")  # no token needed (RFC 7643 section 5)
    assert config.status_code == 200
    assert config.json()["patch"]["supported"] and config.json()["filter"]["supported"]
    assert not config.json()["bulk"]["supported"]
    (user_type,) = scim.get("/ResourceTypes").json()["Resources"]
    assert user_type["endpoint"] == "/Users"
    assert user_type["schemaExtensions"][0]["schema"] == ENTERPRISE
    schemas = {s["id"]: s for s in scim.get("/Schemas").json()["Resources"]}
    assert [a["name"] for a in schemas[ENTERPRISE]["attributes"]] == ["department", "manager"]


def test_a_provisioning_token_is_required_and_a_persons_api_token_is_not_one(app):
    anonymous = TestClient(app).get("/scim/v2/Users")
    assert anonymous.status_code == 401 and anonymous.json()["schemas"] == [ERROR_SCHEMA]
    with app.state.web.runtime.sessions() as session:
        person_token, _ = create_api_token(session, "hana", "admin script")  # even an hr_admin's token
        session.commit()
    assert TestClient(app).get("/scim/v2/Users", headers={"Authorization": f"Bearer {person_token}"}).status_code == 401
    signed = signed_in(app, "hana")
    assert signed.client.get("/scim/v2/Users").status_code == 401  # nor a session cookie
    token = provisioning_token(app)
    assert TestClient(app).get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_filters_by_user_name_and_external_id_and_pages(scim):
    ids = provision_org(scim, 12)
    found = scim.get("/Users", params={"filter": 'userName eq "USER03@corp.example"'}).json()
    assert found["totalResults"] == 1 and found["Resources"][0]["id"] == ids[3]
    found = scim.get("/Users", params={"filter": 'externalId eq "00u007"'}).json()
    assert [r["id"] for r in found["Resources"]] == [ids[7]]
    assert scim.get("/Users", params={"filter": 'externalId eq "nobody"'}).json()["totalResults"] == 0
    imported = scim.get("/Users", params={"filter": 'userName eq "ana.ruiz@example.com"'}).json()
    assert [r["id"] for r in imported["Resources"]] == ["ana"]  # imported people answer to their email
    pages = [scim.get("/Users", params={"startIndex": start, "count": 5}).json() for start in (1, 6, 11, 16, 21, 26)]
    assert all(p["totalResults"] == 22 for p in pages)  # 10 people of the test org + 12
    seen = [r["id"] for p in pages for r in p["Resources"]]
    assert len(seen) == 22 == len(set(seen)) and [p["itemsPerPage"] for p in pages] == [5, 5, 5, 5, 2, 0]
    other = scim.get("/Users", params={"filter": 'title pr and displayName sw "Ana"'}).json()
    assert [r["id"] for r in other["Resources"]] == ["ana"]


def test_patch_replaces_fields_and_the_manager(app, scim):
    ids = provision_org(scim, 3)
    changed = scim.patch(f"/Users/{ids[2]}", json=patch_body(
        {"op": "replace", "path": "title", "value": "Staff engineer"},
        {"op": "replace", "path": f"{ENTERPRISE}:manager", "value": {"value": ids[1]}}))
    assert changed.status_code in (200, 204), changed.text
    user = scim.get(f"/Users/{ids[2]}").json()
    assert user["title"] == "Staff engineer" and user[ENTERPRISE]["manager"]["value"] == ids[1]
    entra = scim.patch(f"/Users/{ids[2]}", json=patch_body(  # Entra ID sends a bare id and a capital R
        {"op": "Replace", "path": f"{ENTERPRISE}:manager", "value": ids[0]}))
    assert entra.status_code in (200, 204), entra.text
    with app.state.web.runtime.sessions() as session:
        assert session.get(Person, ids[2]).manager_id == ids[0]
    okta = scim.patch(f"/Users/{ids[2]}", json=patch_body(  # Okta maps the manager's login or directory id
        {"op": "replace", "path": f"{ENTERPRISE}:manager", "value": {"value": "user01@corp.example"}}))
    assert okta.status_code in (200, 204), okta.text
    assert scim.get(f"/Users/{ids[2]}").json()[ENTERPRISE]["manager"]["value"] == ids[1]
    scim.patch(f"/Users/{ids[2]}", json=patch_body(
        {"op": "replace", "path": f"{ENTERPRISE}:manager", "value": {"value": "00u000"}}))
    assert scim.get(f"/Users/{ids[2]}").json()[ENTERPRISE]["manager"]["value"] == ids[0]


# -- reach follows the directory ------------------------------------------------------------

def test_a_manager_change_moves_reach_at_once_on_the_tools_and_the_pages(app, scim):
    move = scim.patch("/Users/zoe", json=patch_body({"op": "replace", "path": f"{ENTERPRISE}:manager",
                                                      "value": {"value": "raj"}}))
    assert move.status_code in (200, 204), move.text
    assert "zoe" in reach_of(app, "raj") and "zoe" not in reach_of(app, "ana") and "zoe" not in reach_of(app, "tom")
    with app.state.web.runtime.sessions() as session:  # the agent's tools
        raj = team_overview(ToolContext(session, load_viewer(session, "raj")))
        assert "zoe" in [r["id"] for r in raj.data["reports"]]
        ana_ctx = ToolContext(session, load_viewer(session, "ana"))
        assert not ana_ctx.can_see("zoe")
    raj_pages, ana_pages = signed_in(app, "raj").client, signed_in(app, "ana").client
    assert raj_pages.get("/people/zoe").status_code == 200
    assert "report-zoe" in raj_pages.get("/").text
    assert ana_pages.get("/people/zoe").status_code == 403
    assert ana_pages.get("/api/people/zoe").status_code == 404


def test_someone_given_reports_becomes_a_manager_with_reach(app, scim):
    scim.patch("/Users/mia", json=patch_body({"op": "replace", "path": f"{ENTERPRISE}:manager",
                                               "value": {"value": "sam"}}))
    assert reach_of(app, "sam") == {"sam", "mia"}
    assert "mia" in signed_in(app, "sam").client.get("/").text


# -- deactivation --------------------------------------------------------------------------

def test_deactivation_locks_every_sign_in_path_and_keeps_the_records(app, scim):
    with app.state.web.runtime.sessions() as session:
        token, _ = create_api_token(session, "ana", "widget")
        session.commit()
        goals_before = session.scalar(select(func.count()).select_from(Goal).where(Goal.owner_id == "ana"))
        checkins_before = session.scalar(select(func.count()).select_from(CheckIn).where(CheckIn.manager_id == "ana"))
    browser = signed_in(app, "ana")
    assert browser.client.get("/").status_code == 200
    off = scim.patch("/Users/ana", json=patch_body({"op": "replace", "path": "active", "value": False}))
    assert off.status_code in (200, 204), off.text
    assert browser.client.get("/", follow_redirects=False).headers["location"].startswith("/signin")  # session
    api = TestClient(app).get("/api/me", headers={"Authorization": f"Bearer {token}"})  # API token
    assert api.status_code == 401
    page = TestClient(app).get("/signin")  # password
    refused = TestClient(app).post("/signin", data={"email": EMAILS["ana"], "password": PASSWORD,
                                                    "csrf_token": signin_token(page.text)},
                                   cookies={"coach_signin": page.cookies.get("coach_signin")})
    assert refused.status_code == 401
    with pytest.raises(ToolError, match="deactivated"):  # the command line
        with app.state.web.runtime.sessions() as session:
            load_viewer(session, "ana")
    assert reach_of(app, "ana") == frozenset()  # reach, even for a viewer built before
    with app.state.web.runtime.sessions() as session:
        assert session.scalar(select(func.count()).select_from(WebSession).where(WebSession.person_id == "ana")) == 0
        assert session.scalar(select(ApiToken.revoked_at).where(ApiToken.person_id == "ana")) is not None
        assert session.scalar(select(func.count()).select_from(Goal).where(Goal.owner_id == "ana")) == goals_before
        assert session.scalar(select(func.count()).select_from(CheckIn)
                              .where(CheckIn.manager_id == "ana")) == checkins_before > 0
    assert scim.get("/Users/ana").json()["active"] is False
    olivia = signed_in(app, "olivia").client
    team = olivia.get("/").text  # their manager sees them as having left
    assert 'id="left-ana"' in team and "report-ana" not in team
    history = olivia.get("/people/ana")  # history kept
    assert history.status_code == 200 and "Has left (" in history.text
    assert "sam" in reach_of(app, "olivia")  # Ana's reports stay in reach of the chain above


def test_reactivation_lets_them_back_in(app, scim):
    scim.patch("/Users/sam", json=patch_body({"op": "replace", "path": "active", "value": False}))
    assert reach_of(app, "sam") == frozenset()
    scim.patch("/Users/sam", json=patch_body({"op": "replace", "path": "active", "value": True}))
    assert reach_of(app, "sam") == {"sam"}


def test_delete_deactivates_and_hides_but_keeps_history(app, scim):
    assert scim.delete("/Users/lee").status_code == 204
    assert scim.get("/Users/lee").status_code == 404
    with app.state.web.runtime.sessions() as session:
        lee = session.get(Person, "lee")
        assert lee is not None and not lee.active
        assert session.scalar(select(func.count()).select_from(Goal).where(Goal.owner_id == "lee")) > 0
    again = scim.post("/Users", json=user_body("lee.park@example.com", name="Lee Park", manager="ana"))
    assert again.status_code == 201 and again.json()["id"] == "lee"  # rehired: the same record


# -- one record per person -----------------------------------------------------------------

def test_an_imported_person_is_linked_not_copied(app, scim):
    linked = scim.post("/Users", json=user_body("sam.lee@example.com", name="Sam Lee", manager="ana",
                                                external_id="00uSAM"))
    assert linked.status_code == 201 and linked.json()["id"] == "sam"
    with app.state.web.runtime.sessions() as session:
        assert session.get(Person, "sam").external_id == "00uSAM"
    twice = scim.post("/Users", json=user_body("sam.lee@example.com"))
    assert twice.status_code == 409 and twice.json()["scimType"] == "uniqueness"


def test_keys_naming_two_people_are_a_conflict_naming_both_and_nothing_is_written(app, scim):
    scim.post("/Users", json=user_body("sam.lee@example.com", external_id="00uSAM"))
    before = people_count(app)
    clash = scim.post("/Users", json=user_body("new@example.com", email="lee.park@example.com", external_id="00uSAM"))
    assert clash.status_code == 409
    detail = clash.json()["detail"]
    assert "person 'sam' (Sam Lee" in detail and "person 'lee' (Lee Park" in detail
    steal = scim.patch("/Users/lee", json=patch_body({"op": "replace", "path": "externalId", "value": "00uSAM"}))
    assert steal.status_code == 409 and "person 'sam'" in steal.json()["detail"]
    assert people_count(app) == before
    assert scim.get("/Users/lee").json().get("externalId") is None


# -- malformed requests --------------------------------------------------------------------

MALFORMED = [
    ("not json", b"{not json", "invalidSyntax"),
    ("no userName", {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "emails": [{"value": "a@b.c"}]}, None),
    ("userName a number", {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": 5,
                           "emails": [{"value": "a@b.c"}]}, "invalidValue"),
    ("no email", {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "nomail"}, None),
    ("bad email", {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "x",
                   "emails": [{"value": "not-an-email"}]}, "invalidValue"),
    ("unknown manager", user_body("m@corp.example", manager="ghost"), "invalidValue"),
    ("schemas of another resource", {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
                                     "userName": "g@corp.example", "emails": [{"value": "g@corp.example"}]}, None),
    ("a list", [user_body("l@corp.example")], None),
]


@pytest.mark.parametrize(("label", "body", "scim_type"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_a_malformed_user_gets_a_scim_error_and_nothing_is_written(app, scim, label, body, scim_type):
    before = people_count(app)
    if isinstance(body, bytes):
        answer = scim.post("/Users", content=body, headers={"Content-Type": "application/scim+json"})
    else:
        answer = scim.post("/Users", json=body)
    assert answer.status_code == 400, answer.text
    error = answer.json()
    assert error["schemas"] == [ERROR_SCHEMA] and error["status"] == "400" and error["detail"]
    if scim_type:
        assert error["scimType"] == scim_type
    assert answer.headers["content-type"].startswith("application/scim+json")
    assert people_count(app) == before


@pytest.mark.parametrize("operations", [
    [{"op": "replace", "path": f"{ENTERPRISE}:manager", "value": {"value": "zoe"}}],  # a management loop
    [{"op": "replace", "path": "title", "value": "New"}, {"op": "replace", "path": "userName", "value": 7}],
    [{"op": "explode", "path": "title", "value": "x"}],
    [{"op": "replace", "path": "emails", "value": [{"value": "raj.patel@example.com", "primary": True}]}],
])
def test_a_bad_patch_changes_nothing(app, scim, operations):
    before = scim.get("/Users/tom").json()
    answer = scim.patch("/Users/tom", json=patch_body(*operations))
    assert 400 <= answer.status_code < 500 and answer.json()["schemas"] == [ERROR_SCHEMA]
    after = scim.get("/Users/tom").json()
    assert {k: v for k, v in after.items() if k != "meta"} == {k: v for k, v in before.items() if k != "meta"}


# -- the way it will be checked ------------------------------------------------------------

def test_fifty_people_with_managers_then_a_move_and_a_leaver(app, scim):
    ids = provision_org(scim, 50)
    head, first_manager, second_manager = ids[0], ids[1], ids[2]
    assert len(reach_of(app, head)) == 50  # everyone under the head
    mover = next(i for n, i in enumerate(ids) if n > 5 and 1 + (n % 5) == 1)  # one of first_manager's reports
    before_first, before_second = reach_of(app, first_manager), reach_of(app, second_manager)
    assert mover in before_first and mover not in before_second
    scim.patch(f"/Users/{mover}", json=patch_body({"op": "replace", "path": f"{ENTERPRISE}:manager",
                                                   "value": {"value": second_manager}}))
    assert reach_of(app, first_manager) == before_first - {mover}
    assert reach_of(app, second_manager) == before_second | {mover}
    scim.patch(f"/Users/{mover}", json=patch_body({"op": "replace", "path": "active", "value": False}))
    assert reach_of(app, mover) == frozenset()
    assert f'id="left-{mover}"' in signed_in(app, second_manager).client.get("/").text


def test_provisioning_works_on_both_databases(tmp_path, any_db_url):
    """The same requests on SQLite and PostgreSQL (case-insensitive userName, JSON columns, booleans)."""
    from assistant.providers.fake import scripted_from_settings
    from assistant.settings import Settings
    from factories import build_small_org
    from web.app import create_app

    app = create_app(Settings(_env_file=None, data_dir=tmp_path, database_url=any_db_url, llm_provider="fake"),
                     chat_model=scripted_from_settings())
    with app.state.web.runtime.sessions() as session:
        build_small_org(session)
        session.commit()
    scim = scim_client(app)
    created = scim.post("/Users", json=user_body("Kim.Ng@Corp.example", name="Kim Ng", manager="ana",
                                                 external_id="00uKIM"))
    assert created.status_code == 201, created.text
    kim = created.json()["id"]
    assert scim.get("/Users", params={"filter": 'userName eq "kim.ng@corp.example"'}).json()["totalResults"] == 1
    assert scim.post("/Users", json=user_body("KIM.NG@corp.example")).status_code == 409
    scim.patch(f"/Users/{kim}", json=patch_body({"op": "replace", "path": f"{ENTERPRISE}:manager",
                                                  "value": {"value": "raj"}},
                                                 {"op": "replace", "path": "active", "value": False}))
    user = scim.get(f"/Users/{kim}").json()
    assert user["active"] is False and user[ENTERPRISE]["manager"]["value"] == "raj"
    assert reach_of(app, kim) == frozenset() and kim in reach_of(app, "raj")
    app.state.web.runtime.engine.dispose()


def test_provisioning_is_written_to_the_audit_trail(app, scim):
    from tools.store.audit import AuditEvent

    created = scim.post("/Users", json=user_body("kim@corp.example", name="Kim Ng", manager="ana"))
    kim = created.json()["id"]
    scim.patch(f"/Users/{kim}", json=patch_body({"op": "replace", "path": f"{ENTERPRISE}:manager",
                                                  "value": {"value": "raj"}}))
    scim.patch(f"/Users/{kim}", json=patch_body({"op": "replace", "path": "active", "value": False}))
    scim.post("/Users", json=user_body("bad@corp.example", manager="ghost"))  # refused: no event
    with app.state.web.runtime.sessions() as session:
        events = list(session.scalars(select(AuditEvent).where(AuditEvent.kind == "person").order_by(AuditEvent.id)))
    assert [(e.action, e.channel, e.actor_id, e.record_id) for e in events] == [
        ("create", "scim", "scim:okta", kim), ("update", "scim", "scim:okta", kim), ("update", "scim", "scim:okta", kim)]
    assert events[0].before is None and events[0].after["manager_id"] == "ana"
    assert (events[1].before["manager_id"], events[1].after["manager_id"]) == ("ana", "raj")
    assert (events[2].before["active"], events[2].after["active"]) == (True, False)


def test_coach_scim_token_creates_lists_and_revokes(engine, db_url):
    from click.testing import CliRunner

    from assistant.cli import build_cli
    from assistant.settings import Settings
    from tools.store.db import session_factory
    from tools.store.identity import find_provisioning_token

    def run(*args: str):
        settings = lambda: Settings(_env_file=None, database_url=db_url, llm_provider="fake")  # noqa: E731
        return CliRunner().invoke(build_cli(), ["scim", "token", *args], obj={"settings_factory": settings})

    created = run("create", "--name", "entra")
    assert created.exit_code == 0, created.output
    secret = created.stdout.strip()
    assert secret.startswith("coachscim_") and "/scim/v2" in created.stderr
    with session_factory(engine)() as session:
        row = find_provisioning_token(session, secret)
        assert (row.name, row.scope) == ("entra", "scim")
    listed = run("list")
    assert listed.stdout.startswith(f"{row.id}  entra  created ")
    assert run("revoke", row.id).exit_code == 0
    with session_factory(engine)() as session:
        assert find_provisioning_token(session, secret) is None
    again = run("revoke", row.id)
    assert again.exit_code == 1 and f"No live provisioning token '{row.id}'" in again.output
    assert run("create", "--name", " ").exit_code == 1
