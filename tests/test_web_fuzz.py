"""Fuzz every JSON API operation from its OpenAPI document: no input may cause a 5xx, and
successful answers match their documented schemas. Bounded to run in well under two minutes."""
from __future__ import annotations

import shutil

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis (the dev extra) is not installed")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis.errors import Unsatisfiable  # noqa: E402
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import not_a_server_error, response_schema_conformance  # noqa: E402

from test_web_support import make_app, seeded_sqlite  # noqa: E402,F401  (fixture)
from tools.store.accounts import create_api_token  # noqa: E402

MAX_EXAMPLES = 12
# Real records for path ids, so generated bodies reach the code behind the 404 checks.
KNOWN_IDS = {"person_id": "sam", "goal_id": "g-obj", "update_id": "u-b1", "checkin_id": "c-s7", "kpi_id": "k-frt",
             "feedback_id": "f6"}


@pytest.fixture(scope="module")
def fuzzed_app(tmp_path_factory, seeded_sqlite):
    folder = tmp_path_factory.mktemp("fuzz")
    shutil.copy(seeded_sqlite, folder / "coach.db")
    app = make_app(f"sqlite:///{folder / 'coach.db'}", folder, seed=False, upgrade=False)
    with app.state.web.runtime.sessions() as session:
        app.state.fuzz_token, _ = create_api_token(session, "olivia", "fuzz", scopes="chat read write")  # sees most of the org
        session.commit()
    yield app
    app.state.web.runtime.engine.dispose()


def test_no_input_makes_the_api_fail(fuzzed_app):
    """Valid inputs for every operation and invalid bodies for every write (a bounded number each);
    every failure is listed."""
    api = schemathesis.openapi.from_asgi("/api/openapi.json", fuzzed_app)
    headers = {"Authorization": f"Bearer {fuzzed_app.state.fuzz_token}"}
    failures, operations = [], 0
    for result in api.get_all_operations():
        operation = result.ok()
        operations += 1
        # Invalid bodies matter most; invalid path ids are slow to generate and covered by test_web_api.
        modes = [GenerationMode.POSITIVE] + ([GenerationMode.NEGATIVE] if operation.method != "get" else [])
        for mode in modes:
            known = {p.name: KNOWN_IDS[p.name] for p in operation.iter_parameters() if p.name in KNOWN_IDS}
            @given(operation.as_strategy(generation_mode=mode, path_parameters=known or None))
            @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
                      suppress_health_check=list(HealthCheck))
            def call(case):
                case.call_and_validate(headers=headers, checks=[not_a_server_error, response_schema_conformance])

            try:
                call()
            except Unsatisfiable:  # no invalid input exists (an operation without parameters)
                pass
            except Exception as exc:  # collect all, report together
                failures.append(f"{operation.label} ({mode.value}): {str(exc)[:600]}")
    spec = fuzzed_app.openapi()["paths"]
    assert operations == sum(len(methods) for methods in spec.values()) >= 25  # every operation was fuzzed
    assert not failures, "\n\n".join(failures)
