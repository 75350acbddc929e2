"""The scripted chat model every test, the web app and the evals share."""
import json

import pytest
from langchain_core.messages import AIMessage, HumanMessage

from assistant.providers.fake import SCOPE_REPLY, ScriptedChatModel, ScriptExhausted, scripted_from_settings
from assistant.settings import Settings

TOOL = {"type": "function", "function": {"name": "lookup", "description": "Look up.",
                                         "parameters": {"type": "object", "properties": {"q": {"type": "string"}}}}}


def test_replays_tool_calls_then_text_and_records_what_was_bound():
    model = ScriptedChatModel(script=[{"tool_calls": [{"name": "lookup", "args": {"q": "backlog"}}]}, "Done."])
    bound = model.bind_tools([TOOL])
    first = bound.invoke([HumanMessage("why?")])
    assert first.tool_calls == [{"name": "lookup", "args": {"q": "backlog"}, "id": "call_0", "type": "tool_call"}]
    assert bound.invoke("again").content == "Done."
    assert [c.options["tools"][0]["function"]["name"] for c in model.calls] == ["lookup", "lookup"]
    assert model.calls[0].text == "why?"
    assert model.remaining == 0


def test_running_out_of_script_is_a_clear_error():
    model = ScriptedChatModel(script=["only one"])
    model.invoke("a")
    with pytest.raises(ScriptExhausted, match=r"called 2 times but its script has 1 steps; last message: 'b'"):
        model.invoke("b")


def test_callable_steps_see_messages_and_bound_options():
    seen = {}

    def step(messages, options):
        seen["format"] = options.get("response_format")
        return json.dumps({"tool": "answer", "args": {}, "n": len(messages)})

    model = ScriptedChatModel(script=[step])
    reply = model.bind(response_format={"type": "json_object", "schema": {"type": "object"}}).invoke("x")
    assert json.loads(reply.content)["n"] == 1
    assert seen["format"] == {"type": "json_object", "schema": {"type": "object"}}


async def test_streams_small_chunks_with_usage():
    model = ScriptedChatModel(script=[AIMessage(content="Backlog fell from 240 to 190 tickets.")])
    chunks = [c async for c in model.astream("q")]
    texts = [c.content for c in chunks if c.content]
    assert texts == ["Backlog ", "fell ", "from ", "240 ", "to ", "190 ", "tickets."]
    merged = chunks[0]
    for c in chunks[1:]:
        merged = merged + c
    assert merged.usage_metadata["output_tokens"] == len("Backlog fell from 240 to 190 tickets.") // 4
    assert merged.usage_metadata["input_tokens"] == 1  # "q": at least one token


def test_default_model_answers_from_labelled_facts_and_stops_json_steps():
    model = scripted_from_settings(Settings(llm_provider="fake"))
    prompt = "Records:\n[1] Backlog is 190 tickets, target 80.\n[2] Blocker: scanner fix.\n[3] Unused."
    assert model.invoke([HumanMessage(prompt)]).content == "Backlog is 190 tickets, target 80. Blocker: scanner fix."
    assert model.invoke([HumanMessage("no facts here")]).content == SCOPE_REPLY
    step = model.bind(response_format={"type": "json_object"}).invoke("next step?")
    assert json.loads(step.content) == {"tool": "answer", "args": {}}
    assert len(model.calls) == 3
