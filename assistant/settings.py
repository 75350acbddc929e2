"""Settings, read from the environment and ``.env`` by entry points (never at import)."""
from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

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

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'coach.db').resolve()}"

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def model_cache(self) -> Path:
        return self.data_dir / "models"


def describe_settings_error(exc: ValidationError) -> str:
    """One line per bad setting, named as the user sets it: ``COACH_LLM_THREADS=abc: ...``."""
    lines = []
    for error in exc.errors():
        name = "COACH_" + "_".join(str(part) for part in error["loc"]).upper()
        value = "(hidden)" if "KEY" in name else repr(error.get("input"))
        lines.append(f"{name}={value}: {error['msg']}")
    return "Invalid settings (environment or .env):\n  " + "\n  ".join(lines)
