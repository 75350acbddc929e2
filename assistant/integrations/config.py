"""Each integration is off until configured; these checks say, in one line naming the variable,
what is missing when someone starts one without its settings. Secrets come only from settings
(the environment or ``.env``), never from command-line flags."""
from __future__ import annotations

from dataclasses import dataclass

from assistant.settings import Settings
from tools.errors import ToolError


class NotConfigured(ToolError):
    """An integration was started without a setting it needs."""


def mcp_token(settings: Settings) -> str:
    if settings.mcp_token is None:
        raise NotConfigured("COACH_MCP_TOKEN is not set: 'coach mcp' acts as the person whose token it holds. "
                            "Make one with 'coach user token --email YOU' and put it in your MCP client's config.")
    return settings.mcp_token.get_secret_value()


@dataclass(frozen=True)
class SlackConfig:
    bot_token: str
    signing_secret: str | None
    app_token: str | None
    api_url: str


def slack_connected(settings: Settings) -> bool:
    return settings.slack_bot_token is not None


def slack_config(settings: Settings, mode: str = "web") -> SlackConfig:
    """Slack's settings for ``mode``: ``web`` (posting only, e.g. the digest), ``http`` (events
    over HTTP under coach serve) or ``socket`` (Socket Mode)."""
    if settings.slack_bot_token is None:
        raise NotConfigured("COACH_SLACK_BOT_TOKEN is not set: give the Slack app's bot token (xoxb-...).")
    if mode == "http" and settings.slack_signing_secret is None:
        raise NotConfigured("COACH_SLACK_SIGNING_SECRET is not set: Slack's HTTP events are verified with the "
                            "app's signing secret (Basic Information > App Credentials).")
    if mode == "socket" and settings.slack_app_token is None:
        raise NotConfigured("COACH_SLACK_APP_TOKEN is not set: Socket Mode needs an app-level token (xapp-...) "
                            "with the connections:write scope.")
    secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None
    app = settings.slack_app_token.get_secret_value() if settings.slack_app_token else None
    return SlackConfig(settings.slack_bot_token.get_secret_value(), secret, app, settings.slack_api_url + "/")


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    security: str
    username: str | None
    password: str | None
    sender: str


def email_configured(settings: Settings) -> bool:
    return settings.smtp_host is not None


def smtp_config(settings: Settings) -> SmtpConfig:
    if settings.smtp_host is None:
        raise NotConfigured("COACH_SMTP_HOST is not set: the digest is sent by email through an SMTP server.")
    if settings.smtp_from is None:
        raise NotConfigured("COACH_SMTP_FROM is not set: give the address digests are sent from.")
    if settings.smtp_username and settings.smtp_password is None:
        raise NotConfigured("COACH_SMTP_PASSWORD is not set, but COACH_SMTP_USERNAME is: give both or neither.")
    password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
    return SmtpConfig(settings.smtp_host, settings.smtp_port, settings.smtp_security, settings.smtp_username,
                      password, settings.smtp_from)


def public_url(settings: Settings) -> str:
    """Where links in Slack answers and digests point."""
    if settings.public_url is None:
        raise NotConfigured("COACH_PUBLIC_URL is not set: Slack answers and digests link to the web app, "
                            "e.g. COACH_PUBLIC_URL=https://coach.example.com.")
    return settings.public_url
