"""Chat models for eval runs: the chosen provider behind an on-disk response cache.

:class:`CachingChatModel` wraps any LangChain chat model. A call's key is the sha256 of the
model's identity, the messages (type, text and tool calls), the stop words and every call
option (bound tools, ``response_format``, ...); an unchanged call is answered from
``<cache>/<key[:2]>/<key>.json`` without running the model, so unchanged cases do not rerun.
Every call is recorded (``calls``) for the report's traces.

``--model fake`` is the project's :class:`~assistant.providers.fake.ScriptedChatModel` with an
extractive responder: it ends JSON tool steps at once and answers by restating the prompt's
numbered records, so the harness and the gate can be exercised in seconds.
"""
from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import ConfigDict, Field

MODELS = ("local", "local-small", "openai", "openai-compatible", "fake")
FACT_LINE = re.compile(r"^\[(\d+)\]\s+(.+)$", re.M)
FAKE_CHARS = 1500  # the fake restates records up to about this many characters
_PIECE = re.compile(r"\S+\s*|\s+")


def extractive_reply(messages: list[BaseMessage], options: dict[str, Any]) -> str:
    """The eval fake's reply: ``{"tool": "answer", "args": {}}`` for JSON steps; otherwise each numbered
    record of the last message restated as a sentence, in order, up to ``FAKE_CHARS``; with no
    records, a statement that it found none."""
    if options.get("response_format"):
        return json.dumps({"tool": "answer", "args": {}})
    facts = FACT_LINE.findall(str(messages[-1].content)) if messages else []
    out, used = [], 0
    for _, text in facts:
        sentence = text.strip().rstrip(".") + "."
        if used + len(sentence) > FAKE_CHARS and out:
            break
        out.append(sentence)
        used += len(sentence) + 1
    return " ".join(out) if out else "I found no records that answer this."


def build_model(name: str, settings: Any) -> BaseChatModel:
    """The chat model for provider ``name`` (one of :data:`MODELS`) with ``settings`` for the rest."""
    if name not in MODELS:
        raise ValueError(f"unknown model {name!r}: use one of {', '.join(MODELS)}")
    if name == "fake":
        from assistant.providers.fake import ScriptedChatModel

        return ScriptedChatModel(responder=extractive_reply)
    from assistant.providers import build_chat_model

    return build_chat_model(settings.model_copy(update={"llm_provider": name}))


def identity(name: str, model: BaseChatModel) -> str:
    """What makes two models answer alike: the provider and the model's identifying parameters."""
    params = {k: (str(v) if isinstance(v, Path) else v) for k, v in model._identifying_params.items()}
    params.pop("model_path", None)  # the same file may live in another cache folder
    return json.dumps({"provider": name, "model": getattr(model, "model_name", None), **params}, sort_keys=True, default=str)


class ResponseCache:
    """JSON files under ``directory``, one per key."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> dict[str, Any] | None:
        path = self._path(key)
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None

    def put(self, key: str, value: dict[str, Any]) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)


def _message_dict(m: BaseMessage) -> dict[str, Any]:
    calls = [{"name": c["name"], "args": c["args"]} for c in getattr(m, "tool_calls", None) or []]
    return {"type": m.type, "content": m.content, "tool_calls": calls}


def call_key(model_identity: str, messages: Sequence[BaseMessage], stop: list[str] | None, options: dict[str, Any]) -> str:
    payload = {"model": model_identity, "messages": [_message_dict(m) for m in messages], "stop": stop or [],
               "options": options}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


@dataclass
class CallRecord:
    messages: list[dict[str, Any]]
    options: dict[str, Any]
    content: str
    tool_calls: list[dict[str, Any]]
    cached: bool
    seconds: float


class CachingChatModel(BaseChatModel):
    """``inner`` behind a :class:`ResponseCache` (``responses=None`` records calls without caching).
    (Not named ``cache``: that field of ``BaseChatModel`` switches on LangChain's own cache.)"""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    inner: BaseChatModel
    model_identity: str
    responses: ResponseCache | None = None
    calls: list[CallRecord] = Field(default_factory=list)

    @property
    def _llm_type(self) -> str:
        return f"cached-{self.inner._llm_type}"

    @property
    def openai_api_base(self) -> Any:  # read by assistant.providers.json_format
        return getattr(self.inner, "openai_api_base", "missing")

    @property
    def hits(self) -> int:
        return sum(c.cached for c in self.calls)

    @property
    def misses(self) -> int:
        return sum(not c.cached for c in self.calls)

    @property
    def model_seconds(self) -> float:
        return sum(c.seconds for c in self.calls if not c.cached)

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any):
        self.inner.bind_tools(tools)  # raises when the inner model cannot call tools natively
        return self.bind(tools=[convert_to_openai_tool(t) for t in tools], **kwargs)

    def _lookup(self, messages, stop, kwargs) -> tuple[str, dict[str, Any] | None]:
        key = call_key(self.model_identity, messages, stop, kwargs)
        return key, self.responses.get(key) if self.responses else None

    def _store(self, key: str, messages, kwargs, entry: dict[str, Any], cached: bool, seconds: float) -> None:
        if self.responses and not cached:
            self.responses.put(key, entry)
        self.calls.append(CallRecord([_message_dict(m) for m in messages], json.loads(json.dumps(kwargs, default=str)),
                                     entry["content"], entry["tool_calls"], cached, seconds))

    @staticmethod
    def _message(entry: dict[str, Any]) -> AIMessage:
        calls = [{"name": c["name"], "args": c["args"], "id": c.get("id") or f"call_{i}", "type": "tool_call"}
                 for i, c in enumerate(entry["tool_calls"])]
        return AIMessage(content=entry["content"], tool_calls=calls, usage_metadata=entry.get("usage"))

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        key, entry = self._lookup(messages, stop, kwargs)
        started, cached = time.perf_counter(), entry is not None
        if entry is None:
            reply = self.inner.invoke(messages, stop=stop, **kwargs)
            entry = {"content": reply.content if isinstance(reply.content, str) else json.dumps(reply.content),
                     "tool_calls": [{"name": c["name"], "args": c["args"], "id": c.get("id")} for c in reply.tool_calls],
                     "usage": dict(reply.usage_metadata) if reply.usage_metadata else None}
        self._store(key, messages, kwargs, entry, cached, time.perf_counter() - started)
        return ChatResult(generations=[ChatGeneration(message=self._message(entry))])

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        key, entry = self._lookup(messages, stop, kwargs)
        started, cached = time.perf_counter(), entry is not None
        if entry is None:
            merged: AIMessageChunk | None = None
            for chunk in self.inner.stream(messages, stop=stop, **kwargs):
                merged = chunk if merged is None else merged + chunk
                yield ChatGenerationChunk(message=chunk)
            content = merged.content if merged is not None and isinstance(merged.content, str) else ""
            entry = {"content": content, "tool_calls": [{"name": c["name"], "args": c["args"], "id": c.get("id")}
                                                        for c in (merged.tool_calls if merged is not None else [])],
                     "usage": dict(merged.usage_metadata) if merged is not None and merged.usage_metadata else None}
        else:
            for piece in _PIECE.findall(entry["content"]):
                yield ChatGenerationChunk(message=AIMessageChunk(content=piece))
            calls = [{"name": c["name"], "args": json.dumps(c["args"]), "id": c.get("id"), "index": i}
                     for i, c in enumerate(entry["tool_calls"])]
            yield ChatGenerationChunk(message=AIMessageChunk(content="", tool_call_chunks=calls,
                                                             usage_metadata=entry.get("usage")))
        self._store(key, messages, kwargs, entry, cached, time.perf_counter() - started)
