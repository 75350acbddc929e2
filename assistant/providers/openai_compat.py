"""Remote models: OpenAI itself, or any server that speaks its chat-completions API.

Imported only when a remote provider is chosen (``build_chat_model`` imports it lazily).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx
from langchain_openai import ChatOpenAI

from assistant.providers.errors import ModelUnavailable

if TYPE_CHECKING:
    from assistant.settings import Settings

NO_KEY = "not-needed"  # local servers ignore the key, but the SDK insists on one


class CompatibleChatOpenAI(ChatOpenAI):
    """``ChatOpenAI`` that caps replies with ``max_tokens``, as llama.cpp's and most other servers expect.

    ``ChatOpenAI`` renames it to OpenAI's newer ``max_completion_tokens``, which such servers ignore.
    """

    def _get_request_payload(self, input_: Any, *, stop: list[str] | None = None, **kwargs: Any) -> dict:
        payload = super()._get_request_payload(input_, stop=stop, **kwargs)
        if "max_completion_tokens" in payload:
            payload["max_tokens"] = payload.pop("max_completion_tokens")
        return payload


def build_openai(settings: Settings, *, compatible: bool) -> ChatOpenAI:
    """``ChatOpenAI`` for OpenAI (``compatible=False``) or the server at ``settings.llm_base_url``.

    The explicit httpx clients make the SDK send through ``httpx`` (which respx can intercept in
    tests) rather than its own bundled transport; retries cover timeouts, 429 and 5xx answers.
    """
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
    base_url = None
    if compatible:
        base_url = settings.llm_base_url
        if not base_url:
            raise ModelUnavailable(
                "COACH_LLM_PROVIDER=openai-compatible needs the server's address in COACH_LLM_BASE_URL, "
                "e.g. http://127.0.0.1:8080/v1."
            )
        if not base_url.startswith(("http://", "https://")):
            raise ModelUnavailable(f"COACH_LLM_BASE_URL must start with http:// or https://, not {base_url!r}.")
        key = key or NO_KEY
    elif not key:
        raise ModelUnavailable(
            "COACH_LLM_PROVIDER=openai needs an API key: set OPENAI_API_KEY (or COACH_OPENAI_API_KEY), "
            "or choose another provider."
        )
    model_class = CompatibleChatOpenAI if compatible else ChatOpenAI
    return model_class(
        model=settings.llm_model,
        api_key=key,
        base_url=base_url,
        use_responses_api=False,
        timeout=settings.llm_timeout,
        max_retries=settings.llm_max_retries,
        stream_usage=True,
        http_client=httpx.Client(timeout=settings.llm_timeout),
        http_async_client=httpx.AsyncClient(timeout=settings.llm_timeout),
    )
