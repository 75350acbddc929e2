"""Model errors, and one-line explanations of them for the agent's error events."""
from __future__ import annotations


class ModelUnavailable(Exception):
    """The configured model cannot be used; the message says what to do about it."""


def _url(exc: BaseException) -> str | None:
    """The URL of the request that failed, when the exception carries one."""
    try:
        request = getattr(exc, "request", None)
    except RuntimeError:  # httpx raises when an error was built without a request
        return None
    url = getattr(request, "url", None)
    return str(url) if url is not None else None


def _status(exc: BaseException) -> int | None:
    status = getattr(exc, "status_code", None)
    if status is None:
        status = getattr(getattr(exc, "response", None), "status_code", None)
    return status if isinstance(status, int) else None


def _server_message(exc: BaseException) -> str:
    """The error text the server sent, if any, else the exception's own text."""
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("message"):
            return str(inner["message"])
        if isinstance(inner, str):
            return inner
    return getattr(exc, "message", None) or str(exc)


def describe_model_error(exc: BaseException) -> str:
    """Explain a failed model call in one sentence that says what to do.

    Understands ``ModelUnavailable``, the ``openai`` SDK's errors, LangChain's provider-neutral
    ``ModelError`` family and bare ``httpx`` errors; anything else is named as it is.
    """
    import httpx
    import openai
    from langchain_core import exceptions as lc

    if isinstance(exc, ModelUnavailable):
        return str(exc)
    url = _url(exc)
    where = f" at {url}" if url else ""
    status = _status(exc)
    if isinstance(exc, openai.AuthenticationError | lc.ModelAuthenticationError) or status == 401:
        return (
            f"The model server{where} rejected the API key (HTTP 401). Set a valid key in OPENAI_API_KEY "
            "(or COACH_OPENAI_API_KEY)."
        )
    if isinstance(exc, openai.PermissionDeniedError | lc.ModelPermissionDeniedError) or status == 403:
        return f"The model server{where} refused access (HTTP 403): {_server_message(exc)}"
    if isinstance(exc, openai.NotFoundError | lc.ModelNotFoundError) or status == 404:
        return (
            f"The model server{where} answered 404 ({_server_message(exc)}). "
            "Check COACH_LLM_MODEL and COACH_LLM_BASE_URL (it usually ends in /v1)."
        )
    if isinstance(exc, openai.RateLimitError | lc.ModelRateLimitError) or status == 429:
        return f"The model server{where} is rate limiting requests (HTTP 429); try again in a minute."
    if isinstance(exc, lc.ContextOverflowError):
        return f"The conversation is too long for the model's context window: {exc}"
    if isinstance(exc, openai.APITimeoutError | lc.ModelTimeoutError | httpx.TimeoutException | TimeoutError):
        return (
            f"The model server{where} did not answer in time, retries included. "
            "Check that it is running and not overloaded, or raise COACH_LLM_TIMEOUT."
        )
    if isinstance(exc, openai.APIConnectionError | lc.ModelConnectionError | httpx.TransportError | ConnectionError):
        return (
            f"Could not connect to the model server{where} (connection refused or unreachable). "
            "Start the server or fix COACH_LLM_BASE_URL."
        )
    if isinstance(exc, openai.InternalServerError | lc.ModelAPIError) or (status is not None and status >= 500):
        code = f"HTTP {status}" if status else "a server error"
        return f"The model server{where} failed with {code}, retries included: {_server_message(exc)}"
    if isinstance(exc, openai.BadRequestError | lc.ModelInvalidRequestError) or status == 400:
        return f"The model server{where} rejected the request (HTTP 400): {_server_message(exc)}"
    if status is not None:
        return f"The model server{where} answered HTTP {status}: {_server_message(exc)}"
    return f"The model failed: {type(exc).__name__}: {exc}"
