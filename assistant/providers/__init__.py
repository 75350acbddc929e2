"""Model providers as LangChain chat models, chosen by ``settings.llm_provider``.

``build_chat_model(settings)`` returns a ``BaseChatModel``; callers use only LangChain's interface
(``invoke``, ``stream``/``astream``, ``bind``, ``usage_metadata``) plus ``json_format`` to ask for
schema-constrained JSON in the shape each provider understands. Nothing is loaded or connected
at import time.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from assistant.providers.errors import ModelUnavailable, describe_model_error

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from assistant.settings import Settings

__all__ = ["ModelUnavailable", "build_chat_model", "describe_model_error", "json_format"]

OPENAI_URL = "https://api.openai.com"


def _build_local(settings: Settings) -> BaseChatModel:
    import importlib.util

    from assistant.providers.llamacpp import LlamaCppChatModel
    from assistant.providers.model_files import PACKAGED_MODELS, check_gguf, ensure_packaged_model

    if importlib.util.find_spec("llama_cpp") is None:
        raise ModelUnavailable(
            "The embedded model needs llama-cpp-python, which is not installed. Install it with the CMAKE_ARGS "
            "given in the README, or set COACH_LLM_PROVIDER to openai or openai-compatible."
        )
    if settings.local_model_path is not None:
        path = check_gguf(settings.local_model_path)
    else:
        path = ensure_packaged_model(PACKAGED_MODELS[settings.llm_provider], settings.model_cache)
    return LlamaCppChatModel(model_path=path, n_ctx=settings.llm_context, n_threads=settings.llm_threads)


def build_chat_model(settings: Settings) -> BaseChatModel:
    """The chat model ``settings`` ask for; ``ModelUnavailable`` says what is missing if it cannot be built.

    ``local``/``local-small`` assemble the packaged GGUF into ``settings.model_cache`` on first use
    (or take ``settings.local_model_path``) and load it lazily on the first call; ``openai`` and
    ``openai-compatible`` build a ``ChatOpenAI``; ``fake`` is the scripted test model.
    """
    provider = settings.llm_provider
    if provider in ("local", "local-small"):
        return _build_local(settings)
    if provider in ("openai", "openai-compatible"):
        from assistant.providers.openai_compat import build_openai

        return build_openai(settings, compatible=provider == "openai-compatible")
    if provider == "fake":
        from assistant.providers.fake import scripted_from_settings

        return scripted_from_settings(settings)
    raise ModelUnavailable(
        f"Unknown COACH_LLM_PROVIDER {provider!r}: use local, local-small, openai, openai-compatible or fake."
    )


def json_format(model: Any, schema: dict[str, Any], name: str = "reply") -> dict[str, Any]:
    """The ``response_format`` that makes ``model`` answer with JSON valid under ``schema``.

    Use as ``model.bind(response_format=json_format(model, schema))``. OpenAI itself takes a
    ``json_schema`` format; llama.cpp (in process or behind its server) and most compatible servers
    take ``json_object`` with a ``schema``, which the in-process model turns into a grammar.
    """
    if hasattr(model, "openai_api_base") and (model.openai_api_base or OPENAI_URL).startswith(OPENAI_URL):
        return {"type": "json_schema", "json_schema": {"name": name, "schema": schema}}
    return {"type": "json_object", "schema": schema}
