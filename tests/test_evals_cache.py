"""The response cache: an unchanged call is answered from disk; any change in messages, options or model reruns."""
import pytest
from langchain_core.messages import HumanMessage, SystemMessage

from assistant.providers.fake import ScriptedChatModel, ScriptExhausted
from evals.models import CachingChatModel, ResponseCache, extractive_reply, identity

MESSAGES = [SystemMessage("Answer from the records."), HumanMessage("Records:\n[1] Backlog is 380 tickets.\n[2] IT delayed routing.")]


def cached(tmp_path, script, name="fake"):
    inner = ScriptedChatModel(script=script)
    return inner, CachingChatModel(inner=inner, model_identity=name, responses=ResponseCache(tmp_path))


def test_second_identical_call_is_a_cache_hit(tmp_path):
    inner, model = cached(tmp_path, ["The backlog is 380 tickets."])
    assert model.invoke(MESSAGES).content == "The backlog is 380 tickets."
    again = model.invoke(MESSAGES)  # the script has one step: a second model call would raise
    assert again.content == "The backlog is 380 tickets."
    assert [c.cached for c in model.calls] == [False, True] and (model.hits, model.misses) == (1, 1)
    assert len(inner.calls) == 1
    assert len(list(tmp_path.rglob("*.json"))) == 1


def test_cache_survives_a_new_model_object(tmp_path):
    cached(tmp_path, ["first"])[1].invoke(MESSAGES)
    inner, model = cached(tmp_path, [])
    assert model.invoke(MESSAGES).content == "first" and inner.calls == []


def test_changed_messages_options_or_model_miss(tmp_path):
    inner, model = cached(tmp_path, ["a", "b", "c"])
    model.invoke(MESSAGES)
    model.invoke(MESSAGES[:1] + [HumanMessage("Records:\n[1] Backlog is 381 tickets.")])
    model.bind(response_format={"type": "json_object"}).invoke(MESSAGES)
    assert [c.content for c in model.calls] == ["a", "b", "c"] and len(inner.calls) == 3
    other = CachingChatModel(inner=ScriptedChatModel(script=[]), model_identity="local", responses=ResponseCache(tmp_path))
    with pytest.raises(ScriptExhausted):
        other.invoke(MESSAGES)


def test_streaming_is_cached_with_usage(tmp_path):
    _, model = cached(tmp_path, ["The routing migration is late."])
    first = list(model.stream(MESSAGES))
    second = list(model.stream(MESSAGES))
    assert "".join(c.content for c in first) == "".join(c.content for c in second) == "The routing migration is late."
    def usage(chunks):
        return [c.usage_metadata for c in chunks if c.usage_metadata]

    assert usage(second) == usage(first) and usage(first)[0]["output_tokens"] > 0
    assert model.hits == 1


def test_tool_calls_are_replayed(tmp_path):
    step = {"content": "", "tool_calls": [{"name": "explain_goal", "args": {"goal": "backlog"}}]}
    _, model = cached(tmp_path, [step])
    bound = model.bind_tools([{"type": "function", "function": {"name": "explain_goal", "parameters": {}}}])
    assert bound.invoke(MESSAGES).tool_calls[0]["args"] == {"goal": "backlog"}
    replay = bound.invoke(MESSAGES)
    assert [c["name"] for c in replay.tool_calls] == ["explain_goal"] and model.hits == 1


def test_without_a_store_calls_are_recorded_only(tmp_path):
    inner = ScriptedChatModel(script=["x", "y"])
    model = CachingChatModel(inner=inner, model_identity="fake")
    assert [model.invoke(MESSAGES).content for _ in range(2)] == ["x", "y"]
    assert model.hits == 0 and list(tmp_path.iterdir()) == []


def test_extractive_fake_restates_records_and_ends_json_steps():
    assert extractive_reply(MESSAGES, {}) == "Backlog is 380 tickets. IT delayed routing."
    assert extractive_reply(MESSAGES, {"response_format": {"type": "json_object"}}) == '{"tool": "answer", "args": {}}'
    assert extractive_reply([HumanMessage("No records.")], {}) == "I found no records that answer this."
    assert identity("fake", ScriptedChatModel()) == '{"model": null, "provider": "fake"}'
