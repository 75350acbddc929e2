"""The embedded model: a LangChain chat model over ``llama_cpp.Llama``, run in this process.

One ``Llama`` is loaded per (file, context, threads) and shared by every chat model object in the
process, with one lock, so calls reuse the KV cache of their common prompt prefix: llama.cpp keeps
the previous prompt's cache and re-evaluates only what differs, and ``PrefixStates`` keeps the
states of earlier prompts too, so alternating between two system prompts (agent steps, then the
final answer) does not evaluate either from scratch each time. The prompt is
rendered with the chat template stored in the GGUF and tokenized here, so the prompt token count
is exact for streamed replies too.

Options (constructor fields, or per call through ``.bind(...)``): ``temperature`` (default 0:
greedy), ``max_tokens``, ``stop`` and ``response_format``. A response format of
``{"type": "json_object"}`` constrains the reply to JSON and ``{"type": "json_object", "schema": S}``
or OpenAI's ``{"type": "json_schema", "json_schema": {"schema": S}}`` to JSON valid under ``S``
(a llama.cpp grammar built from the schema). Native tool calling is not offered: the 1.5B model's
own tool calls are unreliable, so agents drive it with schema-constrained JSON steps instead.
"""
from __future__ import annotations

import atexit
import json
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.exceptions import ContextOverflowError
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    ChatMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)
from langchain_core.messages.ai import UsageMetadata
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

from assistant.providers.errors import ModelUnavailable
from assistant.providers.prefix_cache import PrefixStates

CALL_OPTIONS = frozenset({"temperature", "max_tokens", "stop", "response_format"})
PREFIX_STATES_BYTES = 256 << 20  # saved KV states; the 1.5B model's take about 29 KB per token


@dataclass
class LoadedModel:
    """A loaded ``Llama``, the chat formatter for its GGUF template, saved prompt states, and the lock
    that serialises the use of all three."""

    llama: Any
    formatter: Any
    states: PrefixStates
    lock: threading.Lock


_loaded: dict[tuple[str, int, int], LoadedModel] = {}
_loading = threading.Lock()


def load_model(path: Path, n_ctx: int, n_threads: int) -> LoadedModel:
    """The process-wide ``LoadedModel`` for this file and configuration, loaded on first request."""
    key = (str(Path(path).resolve()), n_ctx, n_threads)
    with _loading:
        if key not in _loaded:
            if not _loaded:
                atexit.register(_close_all)
            _loaded[key] = _open(Path(key[0]), n_ctx, n_threads)
        return _loaded[key]


def _close_all() -> None:
    """Free the models before interpreter shutdown tears down what llama_cpp's finalisers need."""
    with _loading:
        for loaded in _loaded.values():
            loaded.llama.close()
        _loaded.clear()


def _open(path: Path, n_ctx: int, n_threads: int) -> LoadedModel:
    try:
        import llama_cpp
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter
    except ImportError as exc:
        raise ModelUnavailable(
            "The embedded model needs llama-cpp-python, which is not installed (or failed to import: "
            f"{exc}). Install it with the CMAKE_ARGS given in the README, or set COACH_LLM_PROVIDER to "
            "openai or openai-compatible."
        ) from exc
    try:
        llama = llama_cpp.Llama(
            model_path=str(path), n_ctx=n_ctx, n_threads=n_threads, n_threads_batch=n_threads, verbose=False
        )
    except (ValueError, RuntimeError) as exc:
        raise ModelUnavailable(f"llama.cpp could not load {path}: {exc}. Is it a complete GGUF model?") from exc
    template = llama.metadata.get("tokenizer.chat_template")
    if not template:
        raise ModelUnavailable(f"{path} has no chat template in its metadata: use an instruct (chat) model.")

    def token_text(token: int) -> str:
        return llama.detokenize([token], special=True).decode("utf-8", errors="ignore") if token >= 0 else ""

    # End-of-generation tokens stop llama.cpp by themselves: no stop_token_ids criterion needed.
    formatter = Jinja2ChatFormatter(
        template=template, eos_token=token_text(llama.token_eos()), bos_token=token_text(llama.token_bos())
    )
    states = PrefixStates(PREFIX_STATES_BYTES)
    return LoadedModel(llama=llama, formatter=formatter, states=states, lock=threading.Lock())


def _text(message: BaseMessage) -> str:
    if isinstance(message.content, str):
        return message.content
    parts = []
    for part in message.content:
        kind = part.get("type") if isinstance(part, dict) else type(part).__name__
        if isinstance(part, str) or kind == "text":
            parts.append(part if isinstance(part, str) else part["text"])
        else:
            raise ValueError(f"The local model reads text only; got a {kind} part.")
    return "".join(parts)


def to_chat_messages(messages: Sequence[BaseMessage]) -> list[dict[str, Any]]:
    """LangChain messages as the OpenAI-style dicts that chat templates expect."""
    out: list[dict[str, Any]] = []
    for message in messages:
        if isinstance(message, SystemMessage):
            out.append({"role": "system", "content": _text(message)})
        elif isinstance(message, HumanMessage):
            out.append({"role": "user", "content": _text(message)})
        elif isinstance(message, AIMessage):
            item: dict[str, Any] = {"role": "assistant", "content": _text(message)}
            if message.tool_calls:
                item["tool_calls"] = [
                    {"id": call["id"], "type": "function",
                     "function": {"name": call["name"], "arguments": json.dumps(call["args"])}}
                    for call in message.tool_calls
                ]
            out.append(item)
        elif isinstance(message, ToolMessage):
            out.append({"role": "tool", "content": _text(message), "tool_call_id": message.tool_call_id})
        elif isinstance(message, ChatMessage):
            out.append({"role": message.role, "content": _text(message)})
        else:
            raise ValueError(f"The local model cannot take a {type(message).__name__}.")
    return out


def grammar_for(response_format: dict[str, Any] | None) -> Any:
    """The llama.cpp grammar that enforces ``response_format`` (None for free text)."""
    if not response_format or response_format.get("type") == "text":
        return None
    from llama_cpp.llama_grammar import JSON_GBNF, LlamaGrammar

    kind = response_format.get("type")
    if kind == "json_object":
        schema = response_format.get("schema")
    elif kind == "json_schema":
        schema = (response_format.get("json_schema") or {}).get("schema")
        if schema is None:
            raise ValueError("response_format of type json_schema needs json_schema.schema.")
    else:
        raise ValueError(f"Unknown response_format type {kind!r}: use text, json_object or json_schema.")
    if schema is None:
        return LlamaGrammar.from_string(JSON_GBNF, verbose=False)
    return LlamaGrammar.from_json_schema(json.dumps(schema), verbose=False)


class LlamaCppChatModel(BaseChatModel):
    """A chat model over a GGUF file run in process by llama.cpp (see the module docstring)."""

    model_path: Path
    n_ctx: int = 4096
    n_threads: int = 2
    temperature: float = 0.0
    max_tokens: int | None = 512
    stop: list[str] | None = None

    @property
    def _llm_type(self) -> str:
        return "llama-cpp"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_path": str(self.model_path), "n_ctx": self.n_ctx, "temperature": self.temperature}

    @property
    def model_name(self) -> str:
        return self.model_path.stem

    def load(self) -> LoadedModel:
        """Load (or fetch the already loaded) model now rather than on the first call."""
        return load_model(self.model_path, self.n_ctx, self.n_threads)

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any):
        raise NotImplementedError(
            "The local model does not do native tool calling (the 1.5B model's tool calls are unreliable). "
            "Ask for each step as JSON instead: model.bind(response_format={'type': 'json_object', "
            "'schema': STEP_SCHEMA})."
        )

    def _prepare(
        self, loaded: LoadedModel, messages: list[BaseMessage], stop: list[str] | None, options: dict[str, Any]
    ) -> tuple[dict[str, Any], int]:
        """llama.cpp's completion arguments for this call, and the prompt's length in tokens."""
        unknown = sorted(k for k in options if k not in CALL_OPTIONS and not k.startswith("ls_"))
        if unknown:
            raise TypeError(f"LlamaCppChatModel got unknown option(s) {unknown}; it takes {sorted(CALL_OPTIONS)}.")
        rendered = loaded.formatter(messages=to_chat_messages(messages))
        prompt = loaded.llama.tokenize(
            rendered.prompt.encode("utf-8"), add_bos=not rendered.added_special, special=True
        )
        room = self.n_ctx - len(prompt)
        if room <= 0:
            raise ContextOverflowError(
                f"the prompt is {len(prompt)} tokens and the local model's context holds {self.n_ctx} "
                "(COACH_LLM_CONTEXT); shorten the conversation or raise the context."
            )
        max_tokens = options.get("max_tokens", self.max_tokens)
        stops = [*(self.stop or []), *(stop or []), *(options.get("stop") or []), *rendered.stop]
        params = {
            "prompt": prompt,
            "temperature": options.get("temperature", self.temperature),
            "max_tokens": min(max_tokens, room) if max_tokens else room,
            "stop": [s for s in stops if s],
            "grammar": grammar_for(options.get("response_format")),
        }
        return params, len(prompt)

    def _usage(self, prompt_tokens: int, completion_tokens: int) -> UsageMetadata:
        return UsageMetadata(
            input_tokens=prompt_tokens,
            output_tokens=completion_tokens,
            total_tokens=prompt_tokens + completion_tokens,
        )

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        loaded = self.load()
        with loaded.lock:
            params, prompt_tokens = self._prepare(loaded, messages, stop, kwargs)
            loaded.states.restore(loaded.llama, params["prompt"])
            result = loaded.llama.create_completion(**params)
            loaded.states.save(loaded.llama)
        choice = result["choices"][0]
        message = AIMessage(
            content=choice["text"],
            usage_metadata=self._usage(prompt_tokens, result["usage"]["completion_tokens"]),
            response_metadata={"finish_reason": choice["finish_reason"], "model_name": self.model_name},
        )
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        loaded = self.load()
        with loaded.lock:
            params, prompt_tokens = self._prepare(loaded, messages, stop, kwargs)
            loaded.states.restore(loaded.llama, params["prompt"])
            pieces: list[str] = []
            finish_reason = None
            for part in loaded.llama.create_completion(**params, stream=True):
                choice = part["choices"][0]
                finish_reason = choice["finish_reason"] or finish_reason
                if choice["text"]:
                    pieces.append(choice["text"])
                    chunk = ChatGenerationChunk(message=AIMessageChunk(content=choice["text"]))
                    if run_manager:
                        run_manager.on_llm_new_token(choice["text"], chunk=chunk)
                    yield chunk
            loaded.states.save(loaded.llama)
            # llama.cpp reports no usage when streaming: count the reply's tokens by re-tokenizing it.
            completion_tokens = len(loaded.llama.tokenize("".join(pieces).encode("utf-8"), add_bos=False, special=True))
        yield ChatGenerationChunk(
            message=AIMessageChunk(
                content="",
                usage_metadata=self._usage(prompt_tokens, completion_tokens),
                response_metadata={"finish_reason": finish_reason, "model_name": self.model_name},
                chunk_position="last",
            )
        )
