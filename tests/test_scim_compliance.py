"""scim2-tester, an independent checker of RFC 7643/7644, against the app on loopback: every
check of what our ServiceProviderConfig, Schemas and ResourceTypes claim passes."""
from __future__ import annotations

from collections import Counter

import pytest

from sso_support import provisioning_token, sso_app
from test_web_support import LiveServer, seeded_sqlite  # noqa: F401

httpx2 = pytest.importorskip("httpx2")
scim2_tester = pytest.importorskip("scim2_tester", reason="scim2-tester (the dev extra) is not installed")


def test_scim2_tester_finds_no_failure(tmp_path, seeded_sqlite):
    from scim2_client.engines.httpx2 import SyncSCIMClient

    app = sso_app(tmp_path, seeded_sqlite, None)
    token = provisioning_token(app)
    with LiveServer(app) as server, httpx2.Client(base_url=f"{server.url}/scim/v2", timeout=30,
                                                  headers={"Authorization": f"Bearer {token}"}) as http:
        results = scim2_tester.check_server(SyncSCIMClient(http))
    app.state.web.runtime.engine.dispose()
    statuses = Counter(r.status.name for r in results)
    failures = [f"{r.title} ({r.resource_type}): {r.reason}" for r in results
                if r.status.name not in ("SUCCESS", "SKIPPED")]
    assert failures == [], "\n".join(failures)
    assert statuses["SUCCESS"] >= 50  # discovery, CRUD, queries with attributes, PATCH add/replace/remove
    titles = {r.title for r in results if r.status.name == "SUCCESS"}
    assert {"object_creation", "object_replacement", "object_deletion", "check_replace_attribute"} <= titles
