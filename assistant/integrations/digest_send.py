"""Sending the weekly digest: by email over SMTP and, when Slack is connected, as a Slack DM.

:func:`send_digests` is what ``coach digest`` runs (from cron, say every Monday). It is idempotent
per ISO week, person and channel: each send is claimed in the digest log first, so a second
run, or two at once, sends nothing twice; a failed send gives its claim back for the next run.
"""
from __future__ import annotations

import datetime as dt
import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from sqlalchemy import select

from assistant.integrations import config
from assistant.integrations.digest_render import render_html, render_slack, render_text, subject
from tools.access import Viewer
from tools.context import ToolContext, data_today
from tools.digest import Week, manager_week
from tools.store.integrations import claim_digest, finish_digest, opted_out, release_digest
from tools.store.models import Person

log = logging.getLogger(__name__)
SMTP_TIMEOUT = 30


@dataclass
class Outcome:
    email: str
    channel: str
    status: str  # sent, empty, already (sent before this week), failed, skipped (opted out, not in Slack)
    detail: str = ""


def channels(settings: Any) -> list[str]:
    """The configured channels: email when SMTP is set, Slack when its bot token is."""
    return [name for name, on in (("email", config.email_configured(settings)),
                                  ("slack", config.slack_connected(settings))) if on]


def managers(session: Any, only: str | None = None) -> list[Person]:
    """Everyone active who has direct reports (or the one person ``only`` names, by id or email);
    a manager deactivated in the directory gets no digest."""
    bosses = select(Person.manager_id).where(Person.manager_id.is_not(None))
    query = select(Person).where(Person.id.in_(bosses), Person.active.is_(True)).order_by(Person.name)
    if only:
        query = query.where((Person.id == only) | (Person.email.ilike(only.strip())))
    return list(session.scalars(query))


def email_message(cfg: config.SmtpConfig, to: str, week: Week, base_url: str) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"], msg["From"], msg["To"] = subject(week), cfg.sender, to
    msg["Date"], msg["Message-ID"] = formatdate(localtime=False), make_msgid(domain=cfg.sender.rsplit("@", 1)[-1])
    msg["List-Unsubscribe"] = f"<{base_url}/digest>"
    msg.set_content(render_text(week, base_url))
    msg.add_alternative(render_html(week, base_url), subtype="html")
    return msg


def send_email(cfg: config.SmtpConfig, msg: EmailMessage) -> None:
    if cfg.security == "ssl":
        server: smtplib.SMTP = smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=SMTP_TIMEOUT,
                                                context=ssl.create_default_context())
    else:
        server = smtplib.SMTP(cfg.host, cfg.port, timeout=SMTP_TIMEOUT)
    with server:
        if cfg.security == "starttls":
            server.starttls(context=ssl.create_default_context())
        if cfg.username:
            server.login(cfg.username, cfg.password or "")
        server.send_message(msg)


def slack_client(settings: Any):
    from slack_sdk import WebClient

    cfg = config.slack_config(settings, "web")
    return WebClient(token=cfg.bot_token, base_url=cfg.api_url)


def send_slack(client: Any, email: str, text: str) -> str:
    """DM ``text`` to the Slack user with ``email``; their Slack user id. Needs users:read.email."""
    from slack_sdk.errors import SlackApiError

    try:
        user = client.users_lookupByEmail(email=email)["user"]["id"]
    except SlackApiError as exc:
        if exc.response.get("error") == "users_not_found":
            raise LookupError(f"no Slack user has the email {email}") from None
        raise
    client.chat_postMessage(channel=user, text=text, unfurl_links=False, mrkdwn=True)
    return user


def _send(channel: str, person: Person, week: Week, settings: Any, base_url: str, slack: Any) -> str:
    if channel == "email":
        cfg = config.smtp_config(settings)
        send_email(cfg, email_message(cfg, person.email, week, base_url))
        return person.email
    return send_slack(slack, person.email, render_slack(week, base_url))


def send_digests(runtime: Any, *, today: dt.date | None = None, only: str | None = None,
                 slack: Any = None) -> list[Outcome]:
    """Send this week's digest to every manager who has not opted out, on every configured channel."""
    settings = runtime.settings
    wanted = channels(settings)
    if not wanted:
        raise config.NotConfigured("No digest channel is configured: set COACH_SMTP_HOST (email) or "
                                   "COACH_SLACK_BOT_TOKEN (Slack).")
    base_url = config.public_url(settings)
    if "email" in wanted:
        config.smtp_config(settings)  # a bad combination fails before anything is sent
    if "slack" in wanted and slack is None:
        slack = slack_client(settings)
    outcomes = []
    with runtime.sessions() as session:
        day = today or data_today(session)
        out = opted_out(session)
        for person in managers(session, only):
            if person.id in out:
                outcomes += [Outcome(person.email, ch, "skipped", "opted out") for ch in wanted]
                continue
            week = manager_week(ToolContext(session, Viewer(person.id, person.role, person.name), today=day))
            for channel in wanted:
                outcomes.append(_deliver(session, person, week, channel, settings, base_url, slack))
    return outcomes


def _deliver(session: Any, person: Person, week: Week, channel: str, settings: Any, base_url: str,
             slack: Any) -> Outcome:
    claim = claim_digest(session, person.id, week.week, channel)
    if claim is None:
        return Outcome(person.email, channel, "already", week.week)
    detail = {"turned": [t.goal_id for t in week.turned]}
    if week.empty:
        finish_digest(session, claim, "empty", detail)
        return Outcome(person.email, channel, "empty", week.week)
    try:
        to = _send(channel, person, week, settings, base_url, slack)
    except LookupError as exc:  # not in Slack: nothing to retry this week
        finish_digest(session, claim, "no_user", detail)
        return Outcome(person.email, channel, "skipped", str(exc))
    except Exception as exc:  # one failed send must not stop the others; the claim goes back
        log.warning("digest for %s on %s failed", person.email, channel, exc_info=exc)
        release_digest(session, claim)
        return Outcome(person.email, channel, "failed", f"{type(exc).__name__}: {exc}")
    finish_digest(session, claim, "sent", detail | {"to": to})
    return Outcome(person.email, channel, "sent", f"{week.week}, {len(week.turned)} turned at risk")
