"""Settings, read from the environment and ``.env`` by entry points (never at import)."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

Provider = Literal["local", "local-small", "openai", "openai-compatible", "fake"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="COACH_", env_file=".env", extra="ignore",
                                      env_ignore_empty=True)  # COACH_X= means "not set", never Path(".")

    data_dir: Path = Field(Path(".coach"), description="Where the SQLite file, Chroma index and model cache live.")
    database_url: str | None = Field(None, description="SQLAlchemy URL; default: SQLite under the data directory.")
    chroma_url: str | None = Field(None, description="A Chroma server (http://host:port); default: embedded.")

    llm_provider: Provider = Field("local", description="local, local-small, openai, openai-compatible or fake.")
    llm_model: str = Field("gpt-4o-mini", description="Model name for openai and openai-compatible.")
    llm_base_url: str | None = Field(None, description="Base URL of an OpenAI-compatible server.")
    openai_api_key: SecretStr | None = Field(
        None, validation_alias=AliasChoices("OPENAI_API_KEY", "COACH_OPENAI_API_KEY")
    )
    local_model_path: Path | None = Field(None, description="Any GGUF file to run in process instead of the packaged model.")
    llm_threads: int = Field(2, ge=1, description="CPU threads for the embedded model.")
    llm_context: int = Field(4096, ge=512, description="Context window of the embedded model, in tokens.")
    llm_timeout: float = Field(60.0, gt=0, description="Seconds before a remote model call times out.")
    llm_max_retries: int = Field(2, ge=0, description="Retries of a remote model call on timeouts and 5xx.")
    max_turns: int = Field(4, ge=1, description="Most tool-calling steps the agent may take for one message.")

    allowed_origins: list[str] = Field(default_factory=list, description="Origins allowed to embed the chat widget.")
    redis_url: str | None = Field(None, description="Redis for abuse-limit counters (redis://host:6379); default: the database.")
    chat_concurrent: int = Field(2, ge=1, le=20, description="Answers one person may have Coach write at once.")
    model_per_minute: int = Field(10, ge=1, le=1000, description="Answers and drafts one person may ask for per minute.")

    # integrations: each is off until its settings are given (assistant/integrations/config.py checks them)
    public_url: str | None = Field(None, description="The web app's address as people reach it; links in Slack and digests.")
    mcp_http: bool = Field(False, description="Serve MCP over streamable HTTP at /mcp under coach serve.")
    mcp_token: SecretStr | None = Field(None, description="The personal token 'coach mcp' acts with over stdio.")
    slack_bot_token: SecretStr | None = Field(None, description="The Slack app's bot token (xoxb-...).")
    slack_signing_secret: SecretStr | None = Field(None, description="Verifies Slack's HTTP requests.")
    slack_app_token: SecretStr | None = Field(None, description="App-level token for Socket Mode (xapp-...).")
    slack_api_url: str = Field("https://slack.com/api/", description="Slack Web API base URL.")
    smtp_host: str | None = Field(None, description="SMTP server for the weekly digest.")
    smtp_port: int = Field(587, ge=1, le=65535)
    smtp_security: Literal["starttls", "ssl", "none"] = Field("starttls", description="starttls, ssl or none.")
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str | None = Field(None, description="The digest's From address.")

    @field_validator("public_url", "slack_api_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"https?://[^/\s]+(/\S*)?", value):
            raise ValueError("must be an http:// or https:// address, like https://coach.example.com")
        return value.rstrip("/") if value is not None else None

    @field_validator("smtp_from")
    @classmethod
    def _address(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+", value.strip()):
            raise ValueError("must be an email address, like coach@example.com")
        return value.strip() if value is not None else None

    @field_validator("mcp_token", "slack_bot_token", "slack_app_token")
    @classmethod
    def _token_prefix(cls, value: SecretStr | None, info) -> SecretStr | None:
        prefix = {"mcp_token": "coach_", "slack_bot_token": "xoxb-", "slack_app_token": "xapp-"}[info.field_name]
        if value is not None and not value.get_secret_value().startswith(prefix):
            raise ValueError(f"must start with {prefix}")
        return value

    # Single sign-on (OIDC authorization code with PKCE); off while oidc_issuer is unset.
    oidc_issuer: str | None = Field(None, description="The identity provider's issuer URL.")
    oidc_client_id: str | None = Field(None, description="Coach's client id at the provider.")
    oidc_client_secret: SecretStr | None = Field(None, description="Coach's client secret at the provider.")
    oidc_scopes: str = Field("openid email profile", description="Scopes asked for; must include openid.")
    oidc_email_domains: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Email domains allowed to sign in (comma-separated); empty: any.")
    oidc_person_claim: str = Field("email", pattern=r"^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$",
                                   description="The claim naming a person: email, or a claim holding their externalId.")
    oidc_only: bool = Field(False, description="Single sign-on only: password sign-in is turned off.")
    oidc_create_people: bool = Field(False, description="Create a person for an unknown but allowed email.")
    oidc_session_hours: float = Field(12.0, gt=0, le=24 * 90, description="Maximum age of a single sign-on session.")

    @field_validator("oidc_email_domains", mode="before")
    @classmethod
    def _domains(cls, value: object) -> object:
        if isinstance(value, str):
            value = [part for part in value.replace(";", ",").split(",")]
        if isinstance(value, list):
            value = [str(part).strip().lower().lstrip("@") for part in value if str(part).strip()]
        return value

    @model_validator(mode="after")
    def _oidc_complete(self) -> Settings:
        """Single sign-on needs its issuer, client id and secret together; each gap is named."""
        if self.oidc_issuer is None:
            if self.oidc_only:
                raise ValueError("COACH_OIDC_ONLY=true needs COACH_OIDC_ISSUER (and its client id and secret): "
                                 "without single sign-on nobody could sign in")
            return self
        parts = urlsplit(self.oidc_issuer)
        loopback = parts.hostname in ("127.0.0.1", "localhost", "::1")
        if parts.scheme != "https" and not (parts.scheme == "http" and loopback) or not parts.hostname:
            raise ValueError(f"COACH_OIDC_ISSUER={self.oidc_issuer!r}: must be an https:// URL "
                             "(http:// only on loopback, for tests)")
        if not self.oidc_client_id:
            raise ValueError("COACH_OIDC_CLIENT_ID is missing: single sign-on (COACH_OIDC_ISSUER) needs it")
        if self.oidc_client_secret is None or not self.oidc_client_secret.get_secret_value():
            raise ValueError("COACH_OIDC_CLIENT_SECRET is missing: single sign-on (COACH_OIDC_ISSUER) needs it")
        if "openid" not in self.oidc_scopes.split():
            raise ValueError(f"COACH_OIDC_SCOPES={self.oidc_scopes!r}: must include 'openid'")
        return self

    @property
    def sso_enabled(self) -> bool:
        return self.oidc_issuer is not None

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'coach.db').resolve()}"

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def model_cache(self) -> Path:
        return self.data_dir / "models"


SECRET_WORDS = ("KEY", "TOKEN", "SECRET", "PASSWORD")


def describe_settings_error(exc: ValidationError) -> str:
    """One line per bad setting, named as the user sets it: ``COACH_LLM_THREADS=abc: ...``."""
    lines = []
    for error in exc.errors():
        if not error["loc"]:  # a check across settings: its message starts with the variable it names
            lines.append(str(error["msg"]).removeprefix("Value error, "))
            continue
        name = "COACH_" + "_".join(str(part) for part in error["loc"]).upper()
        value = "(hidden)" if any(w in name for w in SECRET_WORDS) else repr(error.get("input"))
        lines.append(f"{name}={value}: {error['msg']}")
    return "Invalid settings (environment or .env):\n  " + "\n  ".join(lines)
