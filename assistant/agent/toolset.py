"""Agent tools: a JSON schema from each tool's signature (minus ``ctx``) and safe calls.

The viewer is bound in code through the :class:`~tools.context.ToolContext`: no schema has
a ``ctx`` or viewer parameter and unknown arguments are rejected, so the model cannot act
as someone else. Every failure becomes readable text for the model; the run goes on.
"""
from __future__ import annotations

import functools
import inspect
import logging
import re
import time
import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from tools.access import OutOfReach, ToolError
from tools.context import ToolContext
from tools.results import ToolResult

log = logging.getLogger(__name__)


@dataclass
class ToolCall:
    """One tool call of a turn, as reported to the user and stored."""

    name: str
    args: dict[str, Any]
    ok: bool = True
    error: str | None = None
    out_of_reach: bool = False
    seconds: float = 0.0
    refs: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "args": self.args, "ok": self.ok, "error": self.error}


def _strip_titles(schema: Any) -> Any:
    if isinstance(schema, dict):
        return {k: _strip_titles(v) for k, v in schema.items() if k != "title"}
    if isinstance(schema, list):
        return [_strip_titles(v) for v in schema]
    return schema


@dataclass
class AgentTool:
    name: str
    fn: Callable[..., ToolResult]
    description: str
    args_model: type[BaseModel]

    @property
    def summary(self) -> str:
        """The docstring's first line: what a short prompt shows."""
        return self.description.strip().splitlines()[0] if self.description.strip() else self.name

    def parameters(self) -> dict[str, Any]:
        """JSON schema of the arguments (no titles, no ``ctx``)."""
        schema = _strip_titles(self.args_model.model_json_schema())
        schema.setdefault("properties", {})
        schema["additionalProperties"] = False
        return schema

    def openai_spec(self) -> dict[str, Any]:
        return {
            "type": "function",
            "function": {"name": self.name, "description": self.description, "parameters": self.parameters()},
        }

    def signature_text(self) -> str:
        """``name(person: string, goal?: string)``: a compact line for JSON-step prompts."""
        props = self.parameters()["properties"]
        required = set(self.parameters().get("required", []))
        parts = []
        for arg, spec in props.items():
            kind = spec.get("type") or "/".join(s.get("type", "any") for s in spec.get("anyOf", [])) or "any"
            parts.append(f"{arg}{'' if arg in required else '?'}: {kind}")
        return f"{self.name}({', '.join(parts)})"

    def validate(self, args: Mapping[str, Any]) -> dict[str, Any]:
        """Checked and coerced arguments, or :class:`pydantic.ValidationError`."""
        return self.args_model.model_validate(dict(args)).model_dump(exclude_unset=True)

    def call(self, ctx: ToolContext, args: Mapping[str, Any]) -> tuple[ToolResult | None, ToolCall]:
        """Run the tool for ``ctx.viewer``; errors come back in the :class:`ToolCall`, never raised."""
        record = ToolCall(self.name, dict(args))
        started = time.perf_counter()
        try:
            result = self.fn(ctx, **self.validate(args))
        except ValidationError as exc:
            record.ok, record.error = False, describe_validation_error(self.name, exc)
            result = None
        except OutOfReach as exc:
            record.ok, record.error, record.out_of_reach = False, str(exc), True
            result = None
        except ToolError as exc:
            record.ok, record.error = False, str(exc)
            result = None
        except Exception as exc:  # a bug in a tool must not end the conversation
            log.exception("tool %s failed", self.name)
            record.ok, record.error = False, f"The tool {self.name} failed unexpectedly ({type(exc).__name__})."
            result = None
        record.seconds = time.perf_counter() - started
        if result is not None:
            record.refs = sorted(result.refs())
        return result, record


def describe_validation_error(name: str, exc: ValidationError) -> str:
    """``Bad arguments for explain_goal: goal: Field required; viewer: unexpected argument``."""
    problems = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "arguments"
        msg = "unexpected argument" if err["type"] == "extra_forbidden" else err["msg"]
        problems.append(f"{where}: {msg}")
    return f"Bad arguments for {name}: " + "; ".join(problems)


_ARGS_HEADER = re.compile(r"^\s*(Args|Arguments|Parameters):\s*$", re.M)
_ARG_LINE = re.compile(r"^\s{2,}(\w+)(?:\s*\([^)]*\))?:\s*(.*)$")


def split_docstring(doc: str) -> tuple[str, dict[str, str]]:
    """The description before an ``Args:`` section, and each argument's description from it."""
    match = _ARGS_HEADER.search(doc)
    if not match:
        return doc.strip(), {}
    described: dict[str, str] = {}
    current = None
    for line in doc[match.end():].splitlines():
        arg = _ARG_LINE.match(line)
        if arg and len(line) - len(line.lstrip()) <= 8:
            current = arg.group(1)
            described[current] = arg.group(2).strip()
        elif current and line.strip():
            described[current] += " " + line.strip()
        elif not line.strip() and current:
            current = None
    return doc[: match.start()].strip(), described


def bind_tool(fn: Callable[..., ToolResult], name: str | None = None) -> AgentTool:
    """Describe ``fn(ctx, ...)`` for a model: its name, docstring and argument schema."""
    description, arg_docs = split_docstring(inspect.getdoc(fn) or "")
    hints = typing.get_type_hints(fn)
    params = list(inspect.signature(fn).parameters.values())
    if not params or params[0].name != "ctx":
        raise TypeError(f"tool {fn.__name__} must take ctx: ToolContext as its first parameter")
    fields: dict[str, Any] = {}
    for p in params[1:]:
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            raise TypeError(f"tool {fn.__name__} may not take *{p.name}")
        default = ... if p.default is inspect.Parameter.empty else p.default
        fields[p.name] = (hints.get(p.name, Any), Field(default, description=arg_docs.get(p.name)))
    tool_name = name or fn.__name__
    model = create_model(f"{tool_name}_args", __config__=ConfigDict(extra="forbid"), **fields)
    return AgentTool(tool_name, fn, description, model)


def bind_tools(registry: Mapping[str, Callable[..., ToolResult]] | Iterable[Callable[..., ToolResult]]) -> dict[str, AgentTool]:
    """Bind a registry given as ``{name: fn}`` or as a list of functions."""
    items = registry.items() if isinstance(registry, Mapping) else ((f.__name__, f) for f in registry)
    return {name: bind_tool(fn, name) for name, fn in items}


def registry_tools() -> dict[str, AgentTool]:
    """The project's tools (``tools.registry.TOOLS``), bound (once per process: schemas cost ~10 ms)."""
    return dict(_registry_tools())


@functools.cache
def _registry_tools() -> dict[str, AgentTool]:
    from tools.registry import TOOLS

    return bind_tools(TOOLS)
