"""Every tool the agent may call. A tool is ``fn(ctx: ToolContext, **typed args) -> ToolResult``
whose docstring is its description; add new tools here and the access tests cover them."""
from __future__ import annotations

from typing import Callable

from tools.access import ToolError
from tools.checkins import last_checkin, search_checkins
from tools.feedback import feedback_for
from tools.goals import check_goal, explain_goal, list_goals
from tools.guidance import search_guidance
from tools.kpis import kpi_trend
from tools.people import resolve_person, team_overview
from tools.results import ToolResult
from tools.reviews import review_evidence

Tool = Callable[..., ToolResult]

TOOLS: list[Tool] = [
    resolve_person,
    team_overview,
    list_goals,
    explain_goal,
    check_goal,
    search_checkins,
    last_checkin,
    kpi_trend,
    feedback_for,
    review_evidence,
    search_guidance,
]

_BY_NAME = {t.__name__: t for t in TOOLS}


def get_tool(name: str) -> Tool:
    """The tool called ``name``; a :class:`ToolError` naming the real tools otherwise."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise ToolError(f"No tool called {name!r}. Tools: {', '.join(_BY_NAME)}.") from None
