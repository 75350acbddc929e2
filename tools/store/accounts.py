"""Signing in: passwords, web sessions and API tokens.

Everything lives in the database so any number of web workers serve the same users.
Passwords are stored as argon2id hashes; session ids and API tokens are random strings
of which only a SHA-256 digest is stored, so a copy of the database signs no one in.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, delete, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from tools.errors import ToolError
from tools.store.models import Base, Person, utcnow

SESSION_DAYS = 14
MIN_PASSWORD = 8
MAX_PASSWORD = 256
TOKEN_PREFIX = "coach_"
DEMO_PASSWORD = "coach-demo"



def digest(secret: str) -> str:
    """The stored form of a session id or API token."""
    return hashlib.sha256(secret.encode()).hexdigest()


class Credential(Base):
    """A person's password (argon2 hash). People without one cannot sign in to the web app."""

    __tablename__ = "credentials"

    person_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class WebSession(Base):
    """A signed-in browser: the cookie holds the secret, the row holds its digest and CSRF token."""

    __tablename__ = "web_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    # Set for a single sign-on session: the provider's session id and subject, which its
    # back-channel logout names (tools/store/identity.py).
    sso_sid: Mapped[str | None] = mapped_column(String(255), index=True)
    sso_sub: Mapped[str | None] = mapped_column(String(255), index=True)


class ApiToken(Base):
    """A bearer token acting as one person (for the chat widget and scripts)."""

    __tablename__ = "api_tokens"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    scopes: Mapped[str] = mapped_column(String(64), default="chat")  # space-separated: chat, read, write, mcp
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    origin: Mapped[str | None] = mapped_column(String(300))  # the one browser origin it may be used from


# -- passwords ---------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    return PasswordHasher()


def hash_password(password: str) -> str:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise ToolError(f"A password needs {MIN_PASSWORD} to {MAX_PASSWORD} characters (got {len(password)}).")
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher().hash(secrets.token_hex(16))


def set_password(session: Session, email: str, password: str, *, password_hash: str | None = None) -> Person:
    """Give the person with ``email`` a password (the person must exist: import people first)."""
    person = session.scalar(select(Person).where(func.lower(Person.email) == email.strip().lower()))
    if person is None:
        raise ToolError(f"No person with email {email!r}: import or seed people first (coach import, coach demo).")
    hashed = password_hash or hash_password(password)
    cred = session.get(Credential, person.id)
    if cred is None:
        session.add(Credential(person_id=person.id, password_hash=hashed))
    else:
        cred.password_hash, cred.updated_at = hashed, utcnow()
    session.flush()
    return person


def authenticate(session: Session, email: str, password: str) -> Person | None:
    """The person if ``email`` and ``password`` match an active person; the same work is done when they do not."""
    row = session.execute(
        select(Person, Credential.password_hash)
        .join(Credential, Credential.person_id == Person.id)
        .where(func.lower(Person.email) == email.strip().lower(), Person.active.is_(True))
    ).first()
    if row is None:
        verify_password(_dummy_hash(), password)
        return None
    person, hashed = row
    return person if verify_password(hashed, password) else None


def seed_demo_users(session: Session, password: str = DEMO_PASSWORD) -> int:
    """Give every person without a password ``password`` (one hash shared: demo data only).

    Returns how many people got one. ``coach demo`` calls this after seeding.
    """
    hashed = hash_password(password)
    have = set(session.scalars(select(Credential.person_id)))
    missing = [pid for pid in session.scalars(select(Person.id).order_by(Person.id)) if pid not in have]
    session.add_all(Credential(person_id=pid, password_hash=hashed) for pid in missing)
    session.flush()
    return len(missing)


# -- web sessions ------------------------------------------------------------------------

def create_session(session: Session, person_id: str, *, days: float = SESSION_DAYS, sso_sid: str | None = None,
                   sso_sub: str | None = None) -> tuple[str, WebSession]:
    """A new web session; returns the cookie secret (shown once) and the row."""
    secret = secrets.token_urlsafe(32)
    row = WebSession(id_hash=digest(secret), person_id=person_id, csrf_token=secrets.token_urlsafe(32),
                     expires_at=utcnow() + dt.timedelta(days=days), sso_sid=sso_sid, sso_sub=sso_sub)
    session.add(row)
    session.flush()
    return secret, row


def find_session(session: Session, secret: str) -> WebSession | None:
    """The live session for a cookie secret, or ``None`` (unknown or expired)."""
    if not secret:
        return None
    row = session.get(WebSession, digest(secret))
    if row is None or row.expires_at <= utcnow():
        return None
    return row


def end_session(session: Session, secret: str) -> None:
    session.execute(delete(WebSession).where(WebSession.id_hash == digest(secret)))


def purge_expired_sessions(session: Session) -> int:
    return session.execute(delete(WebSession).where(WebSession.expires_at <= utcnow())).rowcount or 0


# -- API tokens --------------------------------------------------------------------------

SCOPES = ("chat", "read", "write", "mcp")  # mcp: a manager's own AI client (assistant/integrations)
TOKEN_DAYS = 90       # default lifetime of a new token
MAX_TOKEN_DAYS = 366


def parse_scopes(scopes: str | list[str] | tuple[str, ...]) -> str:
    """Scopes as stored (space-separated, in a fixed order); a :class:`ToolError` for unknown or none."""
    given = scopes.replace(",", " ").split() if isinstance(scopes, str) else list(scopes)
    unknown = sorted(set(given) - set(SCOPES))
    if unknown or not given:
        raise ToolError(f"Token scopes are {', '.join(SCOPES)}; got {', '.join(unknown) or 'none'}.")
    return " ".join(s for s in SCOPES if s in given)


def parse_origin(origin: str | None) -> str | None:
    """An origin a token is bound to: ``scheme://host[:port]``, nothing more."""
    from urllib.parse import urlsplit

    if not origin or not origin.strip():
        return None
    parts = urlsplit(origin.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/") or parts.query:
        raise ToolError(f"An origin is scheme://host[:port], like https://intranet.example; got {origin!r}.")
    return f"{parts.scheme}://{parts.netloc}"


def create_api_token(session: Session, person_id: str, name: str = "", *, scopes: str | list[str] = "chat",
                     days: int | None = TOKEN_DAYS, origin: str | None = None) -> tuple[str, ApiToken]:
    """A new token acting as ``person_id`` with ``scopes``, expiring after ``days`` (``None``: never) and,
    with ``origin``, usable from that browser origin only. The secret is returned once and stored
    only as a digest."""
    if session.get(Person, person_id) is None:
        raise ToolError(f"No person with id {person_id!r}.")
    if days is not None and not 1 <= days <= MAX_TOKEN_DAYS:
        raise ToolError(f"A token lasts 1 to {MAX_TOKEN_DAYS} days; got {days}.")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(id=secrets.token_hex(8), token_hash=digest(secret), person_id=person_id, name=name.strip()[:100],
                   scopes=parse_scopes(scopes), origin=parse_origin(origin),
                   expires_at=None if days is None else utcnow() + dt.timedelta(days=days))
    session.add(row)
    session.flush()
    return secret, row


def token_scopes(row: ApiToken) -> frozenset[str]:
    return frozenset((row.scopes or "").split())


def find_api_token(session: Session, secret: str) -> ApiToken | None:
    """The live token for ``secret`` (known, not revoked, not expired), or ``None``."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(secret)))
    if row is None or row.revoked_at is not None or (row.expires_at is not None and row.expires_at <= utcnow()):
        return None
    return row


def touch_api_token(session: Session, row: ApiToken, *, every: dt.timedelta = dt.timedelta(hours=1)) -> bool:
    """Record that the token was used (at most once per ``every``, so reads stay reads); ``True`` if written."""
    now = utcnow()
    if row.last_used_at is not None and now - row.last_used_at < every:
        return False
    row.last_used_at = now
    session.flush()
    return True


def list_api_tokens(session: Session, person_id: str) -> list[ApiToken]:
    return list(session.scalars(
        select(ApiToken).where(ApiToken.person_id == person_id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.created_at.desc(), ApiToken.id)
    ))


def revoke_api_token(session: Session, token_id: str, person_id: str) -> bool:
    """Revoke one of ``person_id``'s tokens; ``False`` if they have no live token with that id."""
    row = session.get(ApiToken, token_id)
    if row is None or row.person_id != person_id or row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    session.flush()
    return True
