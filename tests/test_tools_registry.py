import inspect
import typing

import pytest

from tools.access import ToolError
from tools.context import ToolContext
from tools.registry import TOOLS, get_tool
from tools.results import ToolResult


def test_registry_names_every_tool_once():
    names = [t.__name__ for t in TOOLS]
    assert len(names) == len(set(names)) and {"resolve_person", "team_overview", "list_goals", "explain_goal",
                                               "check_goal", "search_checkins", "last_checkin", "kpi_trend",
                                               "feedback_for", "review_evidence", "search_guidance"} <= set(names)
    assert get_tool("kpi_trend") is TOOLS[names.index("kpi_trend")]
    with pytest.raises(ToolError, match=r"^No tool called 'explain'\. Tools: resolve_person, "):
        get_tool("explain")


@pytest.mark.parametrize("tool", TOOLS, ids=lambda t: t.__name__)
def test_tools_are_typed_plain_functions(tool):
    hints = typing.get_type_hints(tool)
    params = list(inspect.signature(tool).parameters)
    assert params[0] == "ctx" and hints["ctx"] is ToolContext and hints["return"] is ToolResult
    for name in params[1:]:
        assert hints[name] in (str, int, bool), f"{tool.__name__}.{name} should be a simple type for the model"
