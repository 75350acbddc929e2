"""Who a Slack user is in Coach: the person whose email is the Slack account's verified email.

The match is remembered (``slack_links``) and checked again after a day, so a changed Slack
email or a person who left stops acting as before. A user who matches no one is told how to link.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import anyio
from slack_sdk.errors import SlackApiError
from sqlalchemy import func, select

from tools.access import Viewer
from tools.store.integrations import find_link, save_link
from tools.store.models import Person

MISSING_SCOPE = ("I can't read your Slack email, so I can't tell who you are in Coach. Ask your Slack admin to "
                 "give the Coach app the users:read.email scope.")
UNVERIFIED = "Your Slack email is not confirmed yet: confirm it in Slack, then ask me again."


def unlinked(email: str, base_url: str) -> str:
    return (f"I can't find you in Coach: no one there has your Slack email ({email}). To link your account, "
            f"make the email on your Slack profile the one you sign in to Coach with"
            + (f" ({base_url}/signin)" if base_url else "")
            + ", or ask your Coach admin to add you with this email. Then ask me again.")


DEACTIVATED = "Your Coach account has been deactivated, so Coach cannot answer you. Ask your Coach admin if this is a mistake."


@dataclass
class Match:
    viewer: Viewer | None
    problem: str = ""  # what to tell the user when there is no viewer
    conversation_id: str | None = None


def _linked(sessions: Any, team_id: str, user_id: str) -> Match | None:
    with sessions() as session:
        link = find_link(session, team_id, user_id)
        person = session.get(Person, link.person_id) if link else None
        if person is None:
            return None
        if not person.active:
            return Match(None, DEACTIVATED)
        return Match(Viewer(person.id, person.role, person.name), conversation_id=link.conversation_id)


def _link(sessions: Any, team_id: str, user_id: str, email: str) -> Match | None:
    with sessions() as session:
        person = session.scalar(select(Person).where(func.lower(Person.email) == email.strip().lower()))
        if person is None:
            return None
        if not person.active:
            return Match(None, DEACTIVATED)
        save_link(session, team_id, user_id, person.id, person.email)
        session.commit()
        return Match(Viewer(person.id, person.role, person.name))


async def person_for(client: Any, sessions: Any, team_id: str, user_id: str, base_url: str = "") -> Match:
    """The Coach person acting as Slack user ``user_id`` of workspace ``team_id``, or why there is none."""
    known = await anyio.to_thread.run_sync(_linked, sessions, team_id, user_id)
    if known is not None:
        return known
    try:
        user = (await client.users_info(user=user_id))["user"]
    except SlackApiError as exc:
        if exc.response.get("error") in ("missing_scope", "no_permission"):
            return Match(None, MISSING_SCOPE)
        raise
    email = (user.get("profile") or {}).get("email")
    if user.get("deleted") or user.get("is_bot"):
        return Match(None, "Coach answers people, not bots or deactivated accounts.")
    if not email:
        return Match(None, MISSING_SCOPE)
    if user.get("is_email_confirmed") is False:
        return Match(None, UNVERIFIED)
    match = await anyio.to_thread.run_sync(_link, sessions, team_id, user_id, email)
    return match or Match(None, unlinked(email, base_url))
