"""Coach in Slack (Bolt for Python): ask in a DM, by mentioning Coach, or with ``/coach``.

The answer is the widget's answer (the same :func:`~assistant.agent.service.stream_reply`), shown
as one message that says what Coach is doing while it works and is then replaced by the answer,
its citations linking to the web app. The Slack user acts as the Coach person with their
verified email (:mod:`assistant.integrations.slack_people`).

Nothing is posted to a channel unless the manager asking opted that channel in
(``/coach post here``); otherwise answers go to their DM with Coach. Each event is handled once:
Slack's retries of an event already handled are acknowledged and dropped. Over HTTP, Bolt
verifies every request's signature (and refuses stale timestamps); in Socket Mode Slack's own
connection is the proof.
"""
from __future__ import annotations

import datetime as dt
import logging
import time
from typing import Any

import anyio
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import exists, select

from assistant.agent.events import Done, Error, ToolStart
from assistant.agent.labels import tool_label
from assistant.integrations import slack_text
from assistant.integrations.agent_host import Backend, agent_events
from assistant.integrations.audit import audit_call
from assistant.integrations.config import SlackConfig
from assistant.integrations.slack_people import Match, person_for
from tools.access import Viewer
from tools.store.integrations import SlackLink, channel_opted_in, first_delivery, set_channel, set_digest_opt_out
from tools.store.models import Person, utcnow

log = logging.getLogger(__name__)
CHANNEL = "slack"
PROGRESS_SECONDS = 1.0  # at most one progress update a second (Slack limits chat.update)
FOLLOW_UP_MINUTES = 30  # a DM question within this long of the last continues its conversation
HELP = (
    "Ask me about your team in our DM, e.g. _why is Sam's backlog goal off track?_ or "
    "_coaching questions for my 1:1 with Dana_. Commands:\n"
    "• `/coach QUESTION`: ask (the answer comes to our DM)\n"
    "• `/coach post here` / `/coach post here off`: managers can have my answers to them posted in this channel\n"
    "• `/coach digest off` / `/coach digest on`: stop or restart your weekly digest"
)


class SlackCoach:
    """The handlers, with what they need: the agent host, the database and the web app's address."""

    def __init__(self, backend: Backend):
        self.backend = backend
        self.sessions = backend.runtime.sessions

    # -- who and where ---------------------------------------------------------------------

    async def who(self, client: Any, team_id: str, user_id: str) -> Match:
        return await person_for(client, self.sessions, team_id, user_id, self.backend.base_url)

    def _is_manager(self, viewer: Viewer) -> bool:
        with self.sessions() as session:
            return viewer.role in ("manager", "hr_admin") or bool(session.scalar(
                select(exists().where(Person.manager_id == viewer.person_id))))

    async def where(self, client: Any, viewer: Viewer, user_id: str, channel: str) -> tuple[str, bool]:
        """Where to answer: ``channel`` if this person opted it in, else their DM with Coach."""
        if channel and not channel.startswith("D"):
            opted = await anyio.to_thread.run_sync(self._opted, viewer.person_id, channel)
            if opted:
                return channel, False
        dm = await client.conversations_open(users=user_id)
        return dm["channel"]["id"], True

    def _opted(self, person_id: str, channel: str) -> bool:
        with self.sessions() as session:
            return channel_opted_in(session, person_id, channel)

    # -- answering -------------------------------------------------------------------------

    async def answer(self, client: Any, team_id: str, user_id: str, text: str, channel: str) -> None:
        """Answer ``text`` from Slack user ``user_id``, in ``channel`` (or their DM)."""
        question = slack_text.typed(text)
        match = await self.who(client, team_id, user_id)
        if match.viewer is None:
            dm = await client.conversations_open(users=user_id)
            await client.chat_postMessage(channel=dm["channel"]["id"], text=match.problem)
            return
        if not question:
            await client.chat_postMessage(channel=channel, text=HELP)
            return
        where, in_dm = await self.where(client, match.viewer, user_id, channel)
        conversation = match.conversation_id if in_dm and await anyio.to_thread.run_sync(
            self._recent, team_id, user_id) else None
        posted = await client.chat_postMessage(channel=where, text=slack_text.working(), unfurl_links=False)
        ts, shown = posted["ts"], 0.0
        error: str | None = "Coach ended without an answer."
        async for event in agent_events(self.backend, match.viewer, question, conversation):
            if isinstance(event, ToolStart) and time.monotonic() - shown >= PROGRESS_SECONDS:
                shown = time.monotonic()
                await client.chat_update(channel=where, ts=ts, text=slack_text.working(tool_label(event.name, event.args)))
            elif isinstance(event, Done):
                error = None
                await client.chat_update(channel=where, ts=ts, unfurl_links=False, text=slack_text.answer(
                    event.result.answer, event.result.citations, self.backend.base_url))
                if in_dm:
                    await anyio.to_thread.run_sync(self._remember, team_id, user_id, event.result.session_id)
            elif isinstance(event, Error):
                error = event.message
                await client.chat_update(channel=where, ts=ts, text=f"Sorry, I could not answer that: "
                                                                   f"{slack_text.escape(event.message)}")
        await anyio.to_thread.run_sync(self._audit, match.viewer, question, error)

    def _recent(self, team_id: str, user_id: str) -> bool:
        with self.sessions() as session:
            link = session.get(SlackLink, (team_id, user_id))
            return bool(link and link.conversation_at
                        and utcnow() - link.conversation_at < dt.timedelta(minutes=FOLLOW_UP_MINUTES))

    def _remember(self, team_id: str, user_id: str, conversation_id: str | None) -> None:
        with self.sessions() as session:
            link = session.get(SlackLink, (team_id, user_id))
            if link is not None:
                link.conversation_id, link.conversation_at = conversation_id, utcnow()
                session.commit()

    def _audit(self, viewer: Viewer, question: str, error: str | None) -> None:
        with self.sessions() as session:
            audit_call(session, viewer, channel=CHANNEL, name="ask", args={"question": question}, ok=error is None,
                       error=error)
            session.commit()

    def first(self, event_id: str) -> bool:
        with self.sessions() as session:
            return first_delivery(session, event_id)

    # -- settings by command ---------------------------------------------------------------

    async def setting(self, client: Any, team_id: str, user_id: str, channel: str, words: list[str]) -> str | None:
        """The reply to ``/coach digest on|off`` or ``/coach post here [off]``; ``None`` for a question."""
        if words[:1] == ["digest"] and words[1:] in (["on"], ["off"]):
            change = lambda v: self._digest(v, words[1] == "off")  # noqa: E731
            done = "You will no longer get the weekly digest." if words[1] == "off" else "Your weekly digest is on."
        elif words[:2] == ["post", "here"] and words[2:] in ([], ["on"], ["off"]):
            on = words[2:] != ["off"]
            change = lambda v: self._channel(v, channel, on)  # noqa: E731
            done = ("From now on my answers to you are posted in this channel for everyone in it." if on
                    else "My answers to you go to our DM again.")
        else:
            return None
        match = await self.who(client, team_id, user_id)
        if match.viewer is None:
            return match.problem
        return await anyio.to_thread.run_sync(change, match.viewer) or done

    def _digest(self, viewer: Viewer, out: bool) -> None:
        with self.sessions() as session:
            set_digest_opt_out(session, viewer.person_id, out)
            session.commit()

    def _channel(self, viewer: Viewer, channel: str, on: bool) -> str | None:
        if channel.startswith("D"):
            return "Use this in a channel: answers in our DM are already just for you."
        if on and not self._is_manager(viewer):
            return "Only managers can have my answers posted in a channel."
        with self.sessions() as session:
            set_channel(session, viewer.person_id, channel, on)
            session.commit()
        return None


def build_app(backend: Backend, config: SlackConfig, *, mode: str = "http",
              client: AsyncWebClient | None = None) -> AsyncApp:
    """The Bolt app: ``mode`` is ``http`` (signed requests, verified) or ``socket`` (Socket Mode)."""
    client = client or AsyncWebClient(token=config.bot_token, base_url=config.api_url)
    app = AsyncApp(client=client, signing_secret=config.signing_secret if mode == "http" else None,
                   request_verification_enabled=mode == "http", process_before_response=False,
                   name="coach", logger=log)
    coach = SlackCoach(backend)

    async def once(body: dict[str, Any]) -> bool:
        event_id = body.get("event_id") or ""
        return not event_id or await anyio.to_thread.run_sync(coach.first, event_id)

    @app.event("message")
    async def direct_message(event: dict, body: dict, client: AsyncWebClient) -> None:
        if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id") or not await once(body):
            return
        await coach.answer(client, body.get("team_id", ""), event["user"], event.get("text", ""), event["channel"])

    @app.event("app_mention")
    async def mention(event: dict, body: dict, client: AsyncWebClient) -> None:
        if event.get("bot_id") or not await once(body):
            return
        await coach.answer(client, body.get("team_id", ""), event["user"], event.get("text", ""), event["channel"])

    @app.command("/coach")
    async def command(ack: Any, command: dict, client: AsyncWebClient) -> None:
        words = command.get("text", "").lower().split()
        team, user, channel = command.get("team_id", ""), command["user_id"], command.get("channel_id", "")
        if not words or words == ["help"]:
            await ack(HELP)
            return
        await ack()  # within Slack's three seconds; everything else comes after
        reply = await coach.setting(client, team, user, channel, words)
        if reply is not None:
            dm = await client.conversations_open(users=user)
            await client.chat_postMessage(channel=dm["channel"]["id"], text=reply)
            return
        await coach.answer(client, team, user, command.get("text", ""), channel)

    return app
