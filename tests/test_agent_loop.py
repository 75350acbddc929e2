"""The tool loops with tiny tools and the scripted model: calls, errors fed back, step cap, viewer binding."""
import json

import pytest

from assistant.agent.core import run_turn
from assistant.agent.events import Done, ToolEnd, ToolStart
from assistant.agent.loop import MaxTurnsExceeded, parse_step, step_schema
from assistant.agent.toolset import bind_tool, bind_tools
from assistant.agent.turn import Turn
from assistant.providers.fake import ScriptedChatModel
from tools.access import ToolError, load_viewer
from tools.context import ToolContext
from tools.store.models import Person
from tools.results import Fact, ToolResult


def lookup_goal(ctx: ToolContext, goal: str, weeks: int = 4) -> ToolResult:
    """Look up a goal's progress.

    Args:
        goal: words from the goal's title.
        weeks: how far back to look.
    """
    if goal != "backlog":
        raise ToolError(f"No goal matching {goal!r}.")
    return ToolResult("Backlog goal is off track.", [
        Fact("goal:g1", "Goal 'Cut the backlog' is off track: 190 open tickets against a target of 80."),
        Fact("checkin:c7", "1:1 on 2026-08-25: blocker 'waiting on the scanner fix'."),
    ])


def whoami(ctx: ToolContext) -> ToolResult:
    """Say who is asking."""
    return ToolResult(f"You are {ctx.viewer.person_id}.", [Fact(f"person:{ctx.viewer.person_id}",
                                                                 f"The viewer is {ctx.viewer.name}.")])


def broken(ctx: ToolContext, x: int) -> ToolResult:
    """A tool with a bug."""
    raise KeyError("oops")


TOOLS = bind_tools([lookup_goal, whoami, broken])


@pytest.fixture
def ctx(session):
    session.add_all([Person(id="boss", name="Olga Boss", email="o@x.io", role="hr_admin"),
                     Person(id="ana", name="Ana Ruiz", email="a@x.io", role="manager")])
    session.commit()
    return ToolContext(session, load_viewer(session, "ana"))


def turn_for(ctx, script, question="Tell me about the backlog goal."):
    return Turn(ctx=ctx, tools=TOOLS, model=ScriptedChatModel(script=script), question=question)


async def collect(turn, **kw):
    events = [e async for e in run_turn(turn, **kw)]
    return events, events[-1].result


def test_schema_comes_from_the_signature_without_ctx():
    tool = bind_tool(lookup_goal)
    params = tool.parameters()
    assert params["properties"] == {
        "goal": {"type": "string", "description": "words from the goal's title."},
        "weeks": {"type": "integer", "default": 4, "description": "how far back to look."},
    }
    assert params["required"] == ["goal"] and params["additionalProperties"] is False
    assert tool.description == "Look up a goal's progress."
    assert tool.signature_text() == "lookup_goal(goal: string, weeks?: integer)"
    with pytest.raises(TypeError, match="must take ctx"):
        bind_tool(lambda goal: None)


def test_step_schema_offers_each_tool_with_its_own_args_and_answer():
    schema = step_schema(TOOLS)
    names = [o["properties"]["tool"]["const"] for o in schema["anyOf"]]
    assert names == ["broken", "lookup_goal", "whoami", "answer"]
    assert schema["anyOf"][1]["properties"]["args"]["required"] == ["goal"]
    assert parse_step('{"tool": "whoami", "args": {}}') == ("whoami", {})
    with pytest.raises(ValueError, match="not valid JSON"):
        parse_step("{tool: whoami")
    with pytest.raises(ValueError, match='"args" must be an object'):
        parse_step('{"tool": "whoami", "args": [1]}')


async def test_native_loop_calls_a_tool_then_answers_from_its_facts(ctx):
    turn = turn_for(ctx, [
        {"tool_calls": [{"name": "lookup_goal", "args": {"goal": "backlog"}}]},
        "DONE",
        "The backlog goal is off track at 190 tickets against 80. The blocker is the scanner fix.",
    ])
    events, result = await collect(turn, mode="native")
    assert [type(e).__name__ for e in events[:2]] == ["ToolStart", "ToolEnd"]
    assert events[1].refs == ["checkin:c7", "goal:g1"]
    assert result.answer == ("The backlog goal is off track at 190 tickets against 80 [1]. "
                             "The blocker is the scanner fix [2].")
    assert [c["id"] for c in result.citations] == ["g1", "c7"]
    assert result.tool_calls == [{"name": "lookup_goal", "args": {"goal": "backlog"}, "ok": True, "error": None}]
    assert result.timings.model_calls == 3 and result.flags == []
    final_prompt = turn.model.calls[-1].text
    assert "[1] Goal 'Cut the backlog' is off track" in final_prompt and "<<<DATA" in final_prompt


async def test_json_loop_feeds_bad_arguments_back_and_the_model_retries(ctx):
    turn = turn_for(ctx, [
        json.dumps({"tool": "lookup_goal", "args": {"title": "backlog"}}),
        json.dumps({"tool": "lookup_goal", "args": {"goal": "backlog"}}),
        json.dumps({"tool": "answer", "args": {}}),
        "Off track: 190 tickets against a target of 80.",
    ])
    _, result = await collect(turn, mode="json")
    retry_prompt = turn.model.calls[1].text
    assert "Bad arguments for lookup_goal: goal: Field required; title: unexpected argument" in retry_prompt
    assert [c["ok"] for c in result.tool_calls] == [False, True]
    assert turn.model.calls[0].options["response_format"]["schema"] == step_schema(TOOLS)
    assert result.answer == "Off track: 190 tickets against a target of 80 [1]."


async def test_tool_errors_and_bugs_become_text_and_the_run_goes_on(ctx):
    turn = turn_for(ctx, [
        {"tool_calls": [{"name": "broken", "args": {"x": 1}}, {"name": "lookup_goal", "args": {"goal": "nope"}}]},
        {"tool_calls": [{"name": "nosuch", "args": {}}]},
        {"tool_calls": [{"name": "lookup_goal", "args": {"goal": "backlog"}}]},
        "DONE",
        "It is off track.",
    ])
    _, result = await collect(turn, mode="native")
    errors = [c["error"] for c in result.tool_calls]
    assert errors[:3] == ["The tool broken failed unexpectedly (KeyError).", "No goal matching 'nope'.",
                          "There is no tool 'nosuch'. Tools: broken, lookup_goal, whoami."]
    second_prompt = [m.content for m in turn.model.calls[1].messages if m.type == "tool"]
    assert second_prompt == ["Error: The tool broken failed unexpectedly (KeyError).", "Error: No goal matching 'nope'."]
    assert result.answer.startswith("It is off track")


async def test_the_model_cannot_act_as_another_viewer(ctx):
    turn = turn_for(ctx, [
        {"tool_calls": [{"name": "whoami", "args": {"viewer_id": "boss", "ctx": "boss"}}]},
        {"tool_calls": [{"name": "whoami", "args": {}}]},
        "DONE",
        "You are Ana Ruiz.",
    ])
    _, result = await collect(turn, mode="native")
    assert result.tool_calls[0]["error"] == "Bad arguments for whoami: viewer_id: unexpected argument; ctx: unexpected argument"
    assert turn.results[0].facts[0].ref == "person:ana"
    assert result.citations == [{"kind": "person", "id": "ana", "label": "The viewer is Ana Ruiz."}]


async def test_step_cap_without_facts_raises_max_turns(ctx):
    turn = turn_for(ctx, [json.dumps({"tool": "lookup_goal", "args": {"goal": f"g{i}"}}) for i in range(3)])
    with pytest.raises(MaxTurnsExceeded, match="stopped after 3 tool steps"):
        await collect(turn, mode="json", max_turns=3)


async def test_step_cap_with_facts_answers_and_flags_it(ctx):
    turn = turn_for(ctx, [
        {"tool_calls": [{"name": "lookup_goal", "args": {"goal": "backlog"}}]},
        {"tool_calls": [{"name": "whoami", "args": {}}]},
        "The backlog is off track.",
    ])
    _, result = await collect(turn, mode="native", max_turns=2)
    assert [f["kind"] for f in result.flags] == ["max_turns"]
    assert result.answer == "The backlog is off track [1]."


async def test_json_loop_stops_when_the_model_repeats_a_call(ctx):
    step = json.dumps({"tool": "lookup_goal", "args": {"goal": "backlog"}})
    turn = turn_for(ctx, [step, step, "Off track."])
    events, result = await collect(turn, mode="json", max_turns=4)
    assert sum(isinstance(e, ToolStart) for e in events) == 1
    assert sum(isinstance(e, ToolEnd) for e in events) == 1
    assert isinstance(events[-1], Done) and result.timings.model_calls == 3
