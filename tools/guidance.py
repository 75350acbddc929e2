"""Guidance tool: passages from the coaching and performance-management guidance."""
from __future__ import annotations

from tools.access import ToolError
from tools.context import ToolContext
from tools.results import Fact, ToolResult
from tools.wording import clip

MAX_K = 8
PASSAGE_CHARS = 600


def search_guidance(ctx: ToolContext, query: str, k: int = 4) -> ToolResult:
    """Search the coaching guidance (SMART goals, OKRs, 1:1s, feedback, reviews, bias, difficult conversations) for passages on a topic. Use it for "how should I...?" questions and to ground advice.

    Args:
        query: what to look for, in a few words, e.g. "recency bias in reviews".
        k: how many passages to return, 1 to 8 (default 4).
    """
    if ctx.guidance is None:
        raise ToolError("Guidance search is not available here; answer from the team's data instead.")
    if not query.strip():
        raise ToolError("Say what to look for in the guidance, in a few words.")
    if not 1 <= k <= MAX_K:
        raise ToolError(f"k must be between 1 and {MAX_K}, not {k}.")
    try:
        passages = ctx.guidance.search(query.strip(), k)
    except Exception as exc:  # the index is another subsystem: turn its failure into a readable line
        raise ToolError(f"Guidance search failed: {exc}") from exc
    facts = [Fact(f"guide:{p.id}", f"{p.title} - {p.section}: {clip(p.text, PASSAGE_CHARS)}") for p in passages[:k]]
    if not facts:
        return ToolResult(f"No guidance passage matches {query.strip()!r}.")
    return ToolResult(f"{len(facts)} guidance passages for {query.strip()!r}: "
                      + "; ".join(f"{p.title} - {p.section}" for p in passages[:k]) + ".", facts,
                      {"ids": [p.id for p in passages[:k]]})
