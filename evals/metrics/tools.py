"""Tool-use metrics: did the agent call the right tools, with the right arguments, and no forbidden ones?

A call is a mapping with ``name`` and ``args``; expected calls come from the case.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

Call = Mapping[str, Any]
ANY_TOOL = "*"


def tool_f1(expected: Sequence[Call], actual: Sequence[Call]) -> float:
    """F1 of the *set* of tool names called against the set expected.

    precision = |E ∩ A| / |A|, recall = |E ∩ A| / |E|, F1 = 2PR / (P + R), over distinct names
    (a tool called twice counts once). Both sets empty gives 1.0; exactly one empty gives 0.0.
    """
    e = {c["name"] for c in expected}
    a = {c["name"] for c in actual}
    if not e and not a:
        return 1.0
    both = len(e & a)
    if not both:
        return 0.0
    precision, recall = both / len(a), both / len(e)
    return 2 * precision * recall / (precision + recall)


def tool_recall(expected: Sequence[Call], actual: Sequence[Call]) -> float:
    """Share of the distinct expected tool names that were called (1.0 when none is expected)."""
    e = {c["name"] for c in expected}
    return len(e & {c["name"] for c in actual}) / len(e) if e else 1.0


def forbidden_calls(forbidden: Sequence[str], actual: Sequence[Call]) -> list[str]:
    """Names of the calls made that the case forbids; ``"*"`` forbids every tool."""
    banned = set(forbidden)
    return [c["name"] for c in actual if ANY_TOOL in banned or c["name"] in banned]


def arg_matches(expected: Any, actual: Any) -> bool:
    """Strings match when either contains the other, case-insensitively ("Dana" and "Dana Whitfield");
    other values match when equal (numbers compared as numbers)."""
    if isinstance(expected, str) and isinstance(actual, str):
        e, a = expected.strip().lower(), actual.strip().lower()
        return bool(e) and bool(a) and (e in a or a in e)
    if isinstance(expected, (int, float)) and isinstance(actual, (int, float)) and not isinstance(expected, bool):
        return float(expected) == float(actual)
    return expected == actual


def argument_accuracy(expected: Sequence[Call], actual: Sequence[Call]) -> float:
    """Share of expected arguments matched (see :func:`arg_matches`) by the best call of the same name.

    For each expected call with arguments, take the actual call of that name matching the most of
    its arguments; sum the matches over all expected calls and divide by the number of expected
    arguments. A missing call matches none of its arguments. No expected arguments gives 1.0.
    """
    total = matched = 0
    for call in expected:
        args = dict(call.get("args") or {})
        if not args:
            continue
        total += len(args)
        candidates = [c for c in actual if c["name"] == call["name"]]
        matched += max((sum(k in (c.get("args") or {}) and arg_matches(v, c["args"][k]) for k, v in args.items())
                        for c in candidates), default=0)
    return matched / total if total else 1.0
