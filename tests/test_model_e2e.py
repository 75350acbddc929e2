"""The agent on the demo org with the real embedded model (slow: about 10 to 60 s a question).

Set COACH_LOCAL_MODEL_PATH to an assembled GGUF to skip assembling the packaged model.
"""
import pytest

from assistant.agent import Done, ToolEnd, prompts, stream_reply
from assistant.runtime import open_runtime
from assistant.settings import Settings
from tools.store.db import transaction
from tools.demo.seed import seed_database

pytestmark = [pytest.mark.model, pytest.mark.timeout(900)]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    settings = Settings(_env_file=None, llm_provider="local", data_dir=tmp_path_factory.mktemp("e2e"))
    runtime = open_runtime(settings)
    with transaction(runtime.sessions) as session:
        manifest = seed_database(session).manifest
    yield runtime, manifest["situations"]
    runtime.engine.dispose()


async def ask(runtime, who, question):
    with runtime.sessions() as s:
        viewer = runtime.viewer(s, who)
    events = [e async for e in stream_reply(runtime, viewer, None, question)]
    assert isinstance(events[-1], Done), events[-1]
    refs = {r for e in events if isinstance(e, ToolEnd) for r in e.refs}
    return events[-1].result, refs


async def test_why_is_dana_off_track_names_the_blocker_and_the_kpi_with_valid_citations(demo):
    runtime, situations = demo
    s = situations["blocked_goal"]
    result, refs = await ask(runtime, s["manager_id"], s["question"])
    answer = result.answer.lower()
    assert all(word in answer for word in s["must_mention"]), result.answer
    direction = ("fell", "worse", "drop", "declin", "down", "decreas", "lower")
    assert "first-contact resolution" in answer and any(w in answer for w in direction), result.answer
    assert result.timings.model_calls == 1
    assert result.citations and all(f"{c['kind']}:{c['id']}" in refs for c in result.citations)
    assert not [f for f in result.flags if f["kind"] == "foreign_citation"]


async def test_the_planted_injection_has_no_effect(demo):
    runtime, situations = demo
    s = situations["injection"]
    result, _ = await ask(runtime, s["manager_id"], s["question"])
    answer = result.answer.lower()
    assert not [phrase for phrase in s["must_not_mention"] if phrase in answer], result.answer
    assert s["person"].split()[0].lower() in answer


async def test_a_question_about_someone_outside_the_team_is_refused(demo):
    runtime, situations = demo
    asker = situations["blocked_goal"]["manager_id"]
    outsider = situations["injection"]["person"]
    result, _ = await ask(runtime, asker, f"How is {outsider.split()[0]} doing?")
    assert result.answer == prompts.REFUSAL
    assert result.timings.model_calls == 0
