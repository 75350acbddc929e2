"""The OpenAI and OpenAI-compatible providers against a scripted HTTP peer (respx), and error wording."""
from __future__ import annotations

import json
import socket

import httpx
import pytest
import respx
from langchain_core.messages import HumanMessage, ToolMessage
from langchain_core.tools import tool

from assistant.providers import ModelUnavailable, build_chat_model, describe_model_error, json_format
from assistant.settings import Settings

BASE = "http://llm.test/v1"
CHAT = f"{BASE}/chat/completions"
OPENAI_CHAT = "https://api.openai.com/v1/chat/completions"


@pytest.fixture(autouse=True)
def fast_retries(monkeypatch):
    """The SDK's back-off starts at 0.5 s; make it near zero so retry tests stay quick."""
    import openai._base_client

    monkeypatch.setattr(openai._base_client, "INITIAL_RETRY_DELAY", 0.001)


def settings(**overrides) -> Settings:
    values = {
        "llm_provider": "openai-compatible",
        "llm_base_url": BASE,
        "llm_model": "coach-test",
        "llm_max_retries": 2,
        "llm_timeout": 5.0,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


def completion(content: str | None = None, tool_calls: list | None = None, usage=(12, 3)) -> httpx.Response:
    message = {"role": "assistant", "content": content}
    if tool_calls:
        message["tool_calls"] = tool_calls
    return httpx.Response(
        200,
        json={
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "created": 1,
            "model": "coach-test",
            "choices": [{"index": 0, "message": message, "finish_reason": "tool_calls" if tool_calls else "stop"}],
            "usage": {"prompt_tokens": usage[0], "completion_tokens": usage[1], "total_tokens": sum(usage)},
        },
    )


def sse(pieces: list[str], usage=(9, 4)) -> httpx.Response:
    def chunk(delta: dict | None, finish=None, **extra) -> str:
        choices = [{"index": 0, "delta": delta, "finish_reason": finish}] if delta is not None else []
        body = {"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "coach-test", "choices": choices}
        return f"data: {json.dumps(body | extra)}\n\n"

    events = [chunk({"role": "assistant", "content": ""})]
    events += [chunk({"content": piece}) for piece in pieces]
    events.append(chunk({}, finish="stop"))
    events.append(chunk(None, usage={"prompt_tokens": usage[0], "completion_tokens": usage[1],
                                     "total_tokens": sum(usage)}))
    events.append("data: [DONE]\n\n")
    return httpx.Response(200, headers={"content-type": "text/event-stream"}, content="".join(events).encode())


@tool
def goal_status(goal_id: int) -> str:
    """Status of one goal."""
    return "off track"


def test_tool_call_round_trip():
    model = build_chat_model(settings())
    with respx.mock(assert_all_called=True) as mock:
        route = mock.post(CHAT)
        route.side_effect = [
            completion(tool_calls=[{"id": "call_1", "type": "function",
                                    "function": {"name": "goal_status", "arguments": '{"goal_id": 7}'}}]),
            completion("Goal 7 is off track.", usage=(40, 6)),
        ]
        bound = model.bind_tools([goal_status])
        first = bound.invoke([HumanMessage("How is goal 7?")])
        assert first.tool_calls == [
            {"name": "goal_status", "args": {"goal_id": 7}, "id": "call_1", "type": "tool_call"}
        ]
        assert first.usage_metadata["input_tokens"] == 12
        reply = bound.invoke([HumanMessage("How is goal 7?"), first, ToolMessage("off track", tool_call_id="call_1")])

    assert reply.content == "Goal 7 is off track."
    assert reply.usage_metadata["output_tokens"] == 6
    sent_first = json.loads(route.calls[0].request.content)
    assert sent_first["model"] == "coach-test"
    assert sent_first["tools"][0]["function"]["name"] == "goal_status"
    assert sent_first["tools"][0]["function"]["parameters"]["properties"] == {"goal_id": {"type": "integer"}}
    sent_second = json.loads(route.calls[1].request.content)
    assert [m["role"] for m in sent_second["messages"]] == ["user", "assistant", "tool"]
    assert sent_second["messages"][2] == {"role": "tool", "content": "off track", "tool_call_id": "call_1"}
    assert route.calls[0].request.headers["authorization"] == "Bearer not-needed"


def test_stream_collects_tokens_and_usage():
    model = build_chat_model(settings())
    with respx.mock() as mock:
        route = mock.post(CHAT).mock(return_value=sse(["Goal", " 7", " slipped", "."]))
        chunks = list(model.stream("How is goal 7?"))
    texts = [c.content for c in chunks if c.content]
    assert texts == ["Goal", " 7", " slipped", "."]
    total = chunks[0]
    for c in chunks[1:]:
        total += c
    assert total.content == "Goal 7 slipped."
    assert total.usage_metadata["input_tokens"] == 9 and total.usage_metadata["output_tokens"] == 4
    sent = json.loads(route.calls[0].request.content)
    assert sent["stream"] is True and sent["stream_options"] == {"include_usage": True}


async def test_async_stream_goes_through_the_async_client():
    model = build_chat_model(settings())
    with respx.mock() as mock:
        mock.post(CHAT).mock(return_value=sse(["Fine", "."]))
        texts = [c.content async for c in model.astream("Status?") if c.content]
    assert texts == ["Fine", "."]


def test_timeout_and_5xx_are_retried_then_succeed():
    model = build_chat_model(settings(llm_max_retries=2))
    with respx.mock() as mock:
        route = mock.post(CHAT)
        route.side_effect = [
            httpx.ReadTimeout("slow"),
            httpx.Response(503, json={"error": {"message": "loading model"}}),
            completion("Recovered."),
        ]
        reply = model.invoke("Hello")
    assert reply.content == "Recovered."
    assert route.call_count == 3


def test_5xx_with_retries_exhausted_is_described():
    model = build_chat_model(settings(llm_max_retries=1))
    with respx.mock() as mock:
        route = mock.post(CHAT).mock(return_value=httpx.Response(503, json={"error": {"message": "loading model"}}))
        with pytest.raises(Exception) as info:
            model.invoke("Hello")
    assert route.call_count == 2
    assert describe_model_error(info.value) == (
        f"The model server at {CHAT} failed with HTTP 503, retries included: loading model"
    )


def test_timeouts_exhausted_are_described():
    model = build_chat_model(settings(llm_max_retries=2))
    with respx.mock() as mock:
        route = mock.post(CHAT).mock(side_effect=httpx.ReadTimeout("slow"))
        with pytest.raises(Exception) as info:
            model.invoke("Hello")
    assert route.call_count == 3
    message = describe_model_error(info.value)
    assert message.startswith(f"The model server at {CHAT} did not answer in time, retries included.")
    assert "COACH_LLM_TIMEOUT" in message


def test_bad_key_is_described_and_not_retried():
    model = build_chat_model(settings(llm_provider="openai", llm_base_url=None, openai_api_key="sk-wrong"))
    with respx.mock() as mock:
        route = mock.post(OPENAI_CHAT).mock(
            return_value=httpx.Response(401, json={"error": {"message": "Incorrect API key provided: sk-wrong"}})
        )
        with pytest.raises(Exception) as info:
            model.invoke("Hello")
    assert route.call_count == 1
    assert route.calls[0].request.headers["authorization"] == "Bearer sk-wrong"
    assert describe_model_error(info.value).startswith(
        f"The model server at {OPENAI_CHAT} rejected the API key (HTTP 401)."
    )


def test_refused_connection_names_the_url():
    with socket.socket() as probe:  # a loopback port that nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    model = build_chat_model(settings(llm_base_url=f"http://127.0.0.1:{port}/v1", llm_max_retries=0))
    with pytest.raises(Exception) as info:
        model.invoke("Hello")
    assert describe_model_error(info.value).startswith(
        f"Could not connect to the model server at http://127.0.0.1:{port}/v1/chat/completions"
    )


def test_json_format_for_openai_sends_a_json_schema():
    schema = {"type": "object", "properties": {"tool": {"enum": ["answer"]}}, "required": ["tool"]}
    model = build_chat_model(settings(llm_provider="openai", llm_base_url=None, openai_api_key="sk-test"))
    with respx.mock() as mock:
        route = mock.post(OPENAI_CHAT).mock(return_value=completion('{"tool": "answer"}'))
        reply = model.bind(response_format=json_format(model, schema, name="step")).invoke("Next step?")
    assert json.loads(reply.content) == {"tool": "answer"}
    sent = json.loads(route.calls[0].request.content)
    assert sent["response_format"]["type"] == "json_schema"
    assert sent["response_format"]["json_schema"]["name"] == "step"
    assert sent["response_format"]["json_schema"]["schema"] == schema
    compatible = build_chat_model(settings())
    assert json_format(compatible, schema) == {"type": "json_object", "schema": schema}


def test_configuration_errors(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("COACH_OPENAI_API_KEY", raising=False)
    with pytest.raises(ModelUnavailable, match="needs an API key: set OPENAI_API_KEY"):
        build_chat_model(settings(llm_provider="openai"))
    with pytest.raises(ModelUnavailable, match="needs the server's address in COACH_LLM_BASE_URL"):
        build_chat_model(settings(llm_base_url=None))
    with pytest.raises(ModelUnavailable, match="must start with http:// or https://"):
        build_chat_model(settings(llm_base_url="llm.test:8080"))


def test_describe_falls_back_to_the_exception():
    assert describe_model_error(ModelUnavailable("Install the parts.")) == "Install the parts."
    assert describe_model_error(KeyError("x")) == "The model failed: KeyError: 'x'"


def test_reply_caps_use_the_field_each_server_reads():
    with respx.mock() as mock:
        compatible = mock.post(CHAT).mock(return_value=completion("ok"))
        official = mock.post(OPENAI_CHAT).mock(return_value=completion("ok"))
        build_chat_model(settings()).invoke("Hi", max_tokens=5)
        build_chat_model(settings(llm_provider="openai", llm_base_url=None, openai_api_key="sk-test")).invoke(
            "Hi", max_tokens=5
        )
    sent = json.loads(compatible.calls[0].request.content)
    assert sent["max_tokens"] == 5 and "max_completion_tokens" not in sent
    sent = json.loads(official.calls[0].request.content)
    assert sent["max_completion_tokens"] == 5 and "max_tokens" not in sent
