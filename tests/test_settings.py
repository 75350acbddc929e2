"""Settings come from the environment (and ``.env``); an empty variable means "not set"."""
from pathlib import Path

import pytest
from pydantic import ValidationError

from assistant.settings import Settings


def test_environment_values_are_read_and_empty_ones_ignored(monkeypatch, tmp_path):
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("COACH_LOCAL_MODEL_PATH", "")
    monkeypatch.setenv("COACH_LLM_BASE_URL", "")
    monkeypatch.setenv("COACH_LLM_THREADS", "1")
    settings = Settings(_env_file=None)
    assert settings.data_dir == tmp_path and settings.llm_threads == 1
    assert settings.local_model_path is None and settings.llm_base_url is None
    assert settings.db_url == f"sqlite:///{(tmp_path / 'coach.db').resolve()}"


def test_a_dotenv_file_is_read(monkeypatch, tmp_path):
    env = tmp_path / ".env"
    env.write_text("COACH_LLM_PROVIDER=fake\nCOACH_LOCAL_MODEL_PATH=/models/my.gguf\n")
    settings = Settings(_env_file=env)
    assert settings.llm_provider == "fake" and settings.local_model_path == Path("/models/my.gguf")


def test_a_bad_value_names_the_setting(monkeypatch):
    monkeypatch.setenv("COACH_LLM_PROVIDER", "gpt5")
    with pytest.raises(ValidationError, match="llm_provider"):
        Settings(_env_file=None)


def test_the_cli_names_bad_settings_in_one_message_without_a_traceback(monkeypatch):
    from click.testing import CliRunner

    from assistant.cli import build_cli

    monkeypatch.setenv("COACH_LLM_PROVIDER", "gpt5")
    monkeypatch.setenv("COACH_LLM_THREADS", "abc")
    result = CliRunner().invoke(build_cli(), ["team", "--as", "ana"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "COACH_LLM_PROVIDER='gpt5': Input should be 'local'" in result.output
    assert "COACH_LLM_THREADS='abc': Input should be a valid integer" in result.output
