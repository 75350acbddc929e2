"""Conversations with the assistant: one per chat session, owned by the person who started it.

A conversation keeps its *focus* (the person and goal last discussed) so follow-ups such as
"and her KPI?" can be resolved in code. Another viewer cannot read or extend it.
"""
from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import DateTime, ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from tools.errors import ToolError
from tools.store.models import Base, utcnow

MESSAGE_ROLES = ("user", "assistant")



class ConversationNotFound(ToolError):
    """No conversation with that id belongs to this viewer (we never say which)."""


class Conversation(Base):
    __tablename__ = "conversations"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    viewer_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    focus: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    messages: Mapped[list[Message]] = relationship(
        back_populates="conversation", order_by="Message.id", cascade="all, delete-orphan"
    )


class Message(Base):
    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(16))
    content: Mapped[str] = mapped_column(Text)
    citations: Mapped[list[Any]] = mapped_column(default=list)
    tool_calls: Mapped[list[Any]] = mapped_column(default=list)
    viewer_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    conversation: Mapped[Conversation] = relationship(back_populates="messages")


def start_conversation(session: Session, viewer_id: str, title: str = "") -> Conversation:
    """A new, empty conversation for ``viewer_id`` (flushed, so its id is usable at once)."""
    conv = Conversation(id=uuid.uuid4().hex, viewer_id=viewer_id, title=title[:200], focus={})
    session.add(conv)
    session.flush()
    return conv


def get_conversation(session: Session, conversation_id: str, viewer_id: str) -> Conversation:
    """The viewer's conversation, or :class:`ConversationNotFound` (also for someone else's)."""
    conv = session.get(Conversation, conversation_id)
    if conv is None or conv.viewer_id != viewer_id:
        raise ConversationNotFound(f"No conversation {conversation_id!r} for you.")
    return conv


def add_message(
    session: Session,
    conv: Conversation,
    role: str,
    content: str,
    *,
    citations: list[dict[str, Any]] | None = None,
    tool_calls: list[dict[str, Any]] | None = None,
) -> Message:
    """Append a message; the viewer is the conversation's owner."""
    if role not in MESSAGE_ROLES:
        raise ValueError(f"message role must be one of {MESSAGE_ROLES}, got {role!r}")
    msg = Message(
        conversation_id=conv.id,
        role=role,
        content=content,
        citations=list(citations or []),
        tool_calls=list(tool_calls or []),
        viewer_id=conv.viewer_id,
    )
    session.add(msg)
    if not conv.title and role == "user":
        conv.title = content.strip().splitlines()[0][:200] if content.strip() else ""
    conv.updated_at = utcnow()
    session.flush()
    return msg


def recent_messages(session: Session, conv: Conversation, limit: int = 6) -> list[Message]:
    """The last ``limit`` messages, oldest first."""
    rows = session.scalars(
        select(Message).where(Message.conversation_id == conv.id).order_by(Message.id.desc()).limit(limit)
    )
    return list(reversed(list(rows)))


def set_focus(conv: Conversation, **focus: Any) -> None:
    """Merge ``focus`` keys (``person_id``, ``person_name``, ``goal_id``, ``goal_title``...).

    A new person drops the old goal unless a goal is given too.
    """
    current = dict(conv.focus or {})
    if "person_id" in focus and focus["person_id"] != current.get("person_id") and "goal_id" not in focus:
        current.pop("goal_id", None)
        current.pop("goal_title", None)
    current.update({k: v for k, v in focus.items() if v is not None})
    conv.focus = current


def list_conversations(session: Session, viewer_id: str, limit: int = 20) -> list[Conversation]:
    """The viewer's conversations, most recently active first."""
    return list(
        session.scalars(
            select(Conversation)
            .where(Conversation.viewer_id == viewer_id)
            .order_by(Conversation.updated_at.desc())
            .limit(limit)
        )
    )
