"""The integrations' settings: off until given, and a wrong one named in one message."""
from __future__ import annotations

import pytest
from pydantic import ValidationError

from assistant.integrations import config
from assistant.settings import Settings, describe_settings_error


def settings(**given) -> Settings:
    return Settings(_env_file=None, **given)


def test_every_integration_is_off_by_default():
    s = settings()
    assert not s.mcp_http and not config.slack_connected(s) and not config.email_configured(s)
    for check, variable in ((config.mcp_token, "COACH_MCP_TOKEN"), (config.slack_config, "COACH_SLACK_BOT_TOKEN"),
                            (config.smtp_config, "COACH_SMTP_HOST"), (config.public_url, "COACH_PUBLIC_URL")):
        with pytest.raises(config.NotConfigured, match=f"^{variable} is not set"):
            check(s)


@pytest.mark.parametrize("variable, value, message", [
    ("COACH_PUBLIC_URL", "coach.example.com", "must be an http:// or https:// address"),
    ("COACH_SLACK_API_URL", "ftp://slack", "must be an http:// or https:// address"),
    ("COACH_SMTP_PORT", "70000", "Input should be less than or equal to 65535"),
    ("COACH_SMTP_SECURITY", "tls", "Input should be 'starttls', 'ssl' or 'none'"),
    ("COACH_SLACK_BOT_TOKEN", "xoxp-user-token", "must start with xoxb-"),
    ("COACH_MCP_TOKEN", "abc", "must start with coach_"),
    ("COACH_MCP_HTTP", "perhaps", "Input should be a valid boolean"),
])
def test_a_wrong_setting_is_named_in_one_line_and_secrets_are_not_echoed(monkeypatch, variable, value, message):
    monkeypatch.setenv(variable, value)
    with pytest.raises(ValidationError) as caught:
        Settings(_env_file=None)
    [line] = describe_settings_error(caught.value).splitlines()[1:]
    assert line.strip().startswith(f"{variable}=") and message in line
    if "TOKEN" in variable:
        assert value not in line and "(hidden)" in line


def test_modes_need_their_own_settings():
    bot = dict(slack_bot_token="xoxb-1")
    assert config.slack_config(settings(**bot)).api_url == "https://slack.com/api/"
    with pytest.raises(config.NotConfigured, match="^COACH_SLACK_SIGNING_SECRET is not set"):
        config.slack_config(settings(**bot), "http")
    with pytest.raises(config.NotConfigured, match="^COACH_SLACK_APP_TOKEN is not set"):
        config.slack_config(settings(**bot), "socket")
    with pytest.raises(config.NotConfigured, match="^COACH_SMTP_PASSWORD is not set, but COACH_SMTP_USERNAME is"):
        config.smtp_config(settings(smtp_host="mail", smtp_from="c@x.example", smtp_username="coach"))
    assert settings(public_url="https://coach.example/").public_url == "https://coach.example"
