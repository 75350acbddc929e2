"""Helpers for the single sign-on and SCIM tests (no tests here): an app on a copy of the small
test org (tests/factories.py) that trusts a :class:`~oidc_provider.LoopbackProvider`, a
provisioning token, and sign-in through the provider without a browser.
"""
from __future__ import annotations

import shutil
from urllib.parse import parse_qs, urlsplit

import httpx
from fastapi import FastAPI
from fastapi.testclient import TestClient

from assistant.providers.fake import scripted_from_settings
from assistant.settings import Settings
from tools.store.identity import create_provisioning_token
from web.app import create_app

CLIENT_ID, CLIENT_SECRET = "coach", "coach-client-secret"
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"


def sso_app(folder, seeded_sqlite, issuer: str | None, **oidc) -> FastAPI:
    """The app on a copy of the seeded org; ``oidc`` are extra ``oidc_*`` settings."""
    shutil.copy(seeded_sqlite, folder / "coach.db")
    sso = {"oidc_issuer": issuer, "oidc_client_id": CLIENT_ID, "oidc_client_secret": CLIENT_SECRET} if issuer else {}
    settings = Settings(_env_file=None, data_dir=folder, database_url=f"sqlite:///{folder / 'coach.db'}",
                        llm_provider="fake", **sso, **oidc)
    return create_app(settings, upgrade=True, chat_model=scripted_from_settings())


def provisioning_token(app: FastAPI, name: str = "okta") -> str:
    with app.state.web.runtime.sessions() as session:
        secret, _ = create_provisioning_token(session, name)
        session.commit()
    return secret


def scim_client(app: FastAPI, token: str | None = None) -> TestClient:
    headers = {"Authorization": f"Bearer {token or provisioning_token(app)}"}
    return TestClient(app, base_url="http://testserver/scim/v2", headers=headers)


def user_body(user_name: str, *, email: str | None = None, name: str | None = None, manager: str | None = None,
              external_id: str | None = None, active: bool = True) -> dict:
    body = {"schemas": [USER_SCHEMA, ENTERPRISE], "userName": user_name, "active": active,
            "displayName": name or user_name.split("@")[0].replace(".", " ").title(),
            "emails": [{"value": email or user_name, "primary": True, "type": "work"}]}
    if external_id:
        body["externalId"] = external_id
    if manager:
        body[ENTERPRISE] = {"manager": {"value": manager}}
    return body


def patch_body(*operations: dict) -> dict:
    return {"schemas": [PATCH_OP], "Operations": list(operations)}


def sso_sign_in(client: TestClient, idp_sub: str, next_url: str = "/"):
    """Sign in through the provider as ``idp_sub`` (its authorization form posted directly);
    returns Coach's answer to the provider's redirect."""
    start = client.get("/signin/sso", params={"next": next_url}, follow_redirects=False)
    assert start.status_code == 303, start.text
    authorize = start.headers["location"]
    query = parse_qs(urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"] and query["nonce"]
    answer = httpx.post(authorize, data={"sub": idp_sub}, follow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    return client.get(answer.headers["location"], follow_redirects=False)
