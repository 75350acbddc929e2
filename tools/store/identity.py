"""One person, one record: identity from the company's directory.

SCIM provisioning, OIDC sign-in and ``coach import`` all find people here, by ``externalId``
(the directory's id), ``userName`` and email. When those keys name two different people the
caller gets an :class:`IdentityConflict` naming both records, and nothing is written.

Deactivating a person (SCIM ``active=false``) keeps every record they own, ends their web
sessions and revokes their API tokens; sign-in and reach refuse inactive people as well, so a
leaver loses access at once. The provisioning client authenticates with its own bearer token
(:class:`ProvisioningToken`), separate from people's API tokens, with the single scope ``scim``.
"""
from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from sqlalchemy import DateTime, String, delete, func, or_, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from tools.errors import ToolError
from tools.store.accounts import ApiToken, WebSession, digest
from tools.store.audit import record
from tools.store.models import Base, Person, utcnow

SCIM_PREFIX = "coachscim_"
SCIM_SCOPE = "scim"
AUDITED = ("name", "email", "user_name", "external_id", "manager_id", "role", "title", "department", "active")


class ProvisioningToken(Base):
    """A bearer token of a provisioning client (an identity provider's SCIM connector).

    It acts as no person and reaches nothing but ``/scim/v2/``; only its digest is stored."""

    __tablename__ = "provisioning_tokens"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    scope: Mapped[str] = mapped_column(String(32), default=SCIM_SCOPE)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class IdentityConflict(ToolError):
    """Two keys of one identity (externalId, userName, email) belong to two different people."""


def describe(person: Person) -> str:
    """A person as an error message names them: id, name, email and external id."""
    extra = f", externalId {person.external_id!r}" if person.external_id else ""
    return f"person {person.id!r} ({person.name} <{person.email}>{extra})"


# -- provisioning tokens -----------------------------------------------------------------

def create_provisioning_token(session: Session, name: str) -> tuple[str, ProvisioningToken]:
    """A new token for a provisioning client; the secret is returned once."""
    name = name.strip()[:100]
    if not name:
        raise ToolError("A provisioning token needs a name, e.g. the identity provider's ('okta').")
    secret = SCIM_PREFIX + secrets.token_urlsafe(32)
    row = ProvisioningToken(id=secrets.token_hex(8), token_hash=digest(secret), name=name, scope=SCIM_SCOPE)
    session.add(row)
    session.flush()
    return secret, row


def find_provisioning_token(session: Session, secret: str, scope: str = SCIM_SCOPE) -> ProvisioningToken | None:
    """The live token for ``secret`` with ``scope``, or ``None`` (people's API tokens never match)."""
    if not secret.startswith(SCIM_PREFIX):
        return None
    row = session.scalar(select(ProvisioningToken).where(ProvisioningToken.token_hash == digest(secret)))
    if row is None or row.revoked_at is not None or row.scope != scope:
        return None
    return row


def list_provisioning_tokens(session: Session) -> list[ProvisioningToken]:
    return list(session.scalars(select(ProvisioningToken).where(ProvisioningToken.revoked_at.is_(None))
                                .order_by(ProvisioningToken.created_at, ProvisioningToken.id)))


def revoke_provisioning_token(session: Session, token_id: str) -> bool:
    row = session.get(ProvisioningToken, token_id)
    if row is None or row.revoked_at is not None:
        return False
    row.revoked_at = utcnow()
    session.flush()
    return True


# -- finding people ----------------------------------------------------------------------

def by_email(session: Session, email: str | None) -> Person | None:
    if not email:
        return None
    return session.scalar(select(Person).where(func.lower(Person.email) == email.strip().lower()))


def by_user_name(session: Session, user_name: str | None) -> Person | None:
    if not user_name:
        return None
    # people imported before the directory knew them answer to their email as userName
    name = func.lower(func.coalesce(Person.user_name, Person.email))
    return session.scalar(select(Person).where(name == user_name.strip().lower()))


def by_external_id(session: Session, external_id: str | None) -> Person | None:
    if not external_id:
        return None
    return session.scalar(select(Person).where(Person.external_id == external_id))


def match_person(session: Session, *, external_id: str | None = None, email: str | None = None,
                 user_name: str | None = None) -> Person | None:
    """The one person these keys name, or ``None``; :class:`IdentityConflict` when they name two."""
    found: list[tuple[str, Person]] = []
    for key, person in (("externalId", by_external_id(session, external_id)),
                        ("userName", by_user_name(session, user_name)), ("email", by_email(session, email))):
        if person is not None:
            found.append((key, person))
    for key, person in found[1:]:
        first_key, first = found[0]
        if person.id != first.id:
            raise IdentityConflict(
                f"{first_key} {_value(first_key, external_id, user_name, email)!r} is {describe(first)}, but "
                f"{key} {_value(key, external_id, user_name, email)!r} is {describe(person)}: the same person "
                "cannot be two records. Fix one of them in the directory or in Coach; nothing was changed.")
    return found[0][1] if found else None


def _value(key: str, external_id: str | None, user_name: str | None, email: str | None) -> str | None:
    return {"externalId": external_id, "userName": user_name, "email": email}[key]


def taken_by_other(session: Session, person_id: str | None, *, external_id: str | None = None,
                   email: str | None = None, user_name: str | None = None) -> tuple[str, Person] | None:
    """The first key among these that another person than ``person_id`` already holds."""
    for key, person in (("externalId", by_external_id(session, external_id)),
                        ("userName", by_user_name(session, user_name)), ("email", by_email(session, email))):
        if person is not None and person.id != person_id:
            return key, person
    return None


def manager_loop(session: Session, person_id: str, manager_id: str | None) -> bool:
    """Whether making ``manager_id`` the manager of ``person_id`` would close a management loop."""
    seen: set[str] = set()
    node = manager_id
    while node is not None and node not in seen:
        if node == person_id:
            return True
        seen.add(node)
        node = session.scalar(select(Person.manager_id).where(Person.id == node))
    return False


# -- changes -----------------------------------------------------------------------------

def snapshot(person: Person) -> dict[str, Any]:
    """The fields of ``person`` an audit event records before and after a change."""
    return {name: getattr(person, name) for name in AUDITED}


def end_sign_ins(session: Session, person_id: str) -> None:
    """End every web session and revoke every API token of ``person_id``."""
    session.execute(delete(WebSession).where(WebSession.person_id == person_id))
    session.execute(update(ApiToken).where(ApiToken.person_id == person_id, ApiToken.revoked_at.is_(None))
                    .values(revoked_at=utcnow()))


def set_active(session: Session, person: Person, active: bool) -> None:
    """Deactivate (records kept, sign-ins ended) or reactivate ``person``."""
    if person.active == active:
        return
    person.active = active
    person.left_at = None if active else utcnow()
    if not active:
        end_sign_ins(session, person.id)


def promote_manager(session: Session, manager_id: str | None) -> None:
    """A person who gets a report becomes a manager (an hr_admin stays one), so reach follows at once."""
    if manager_id is None:
        return
    boss = session.get(Person, manager_id)
    if boss is not None and boss.role == "employee":
        boss.role = "manager"


def end_sso_sessions(session: Session, *, sid: str | None = None, sub: str | None = None) -> int:
    """End the single sign-on sessions a provider's back-channel logout names (by session id, else subject)."""
    if not sid and not sub:
        return 0
    where = WebSession.sso_sid == sid if sid else WebSession.sso_sub == sub
    if sid and sub:
        where = or_(WebSession.sso_sid == sid, (WebSession.sso_sub == sub) & WebSession.sso_sid.is_(None))
    return session.execute(delete(WebSession).where(where)).rowcount or 0


def record_person_change(session: Session, *, actor_id: str | None, channel: str, action: str, person: Person,
                         before: dict[str, Any] | None) -> None:
    """Append to the audit trail who changed a person through the directory or sign-in (an admin
    write: the provisioning client, or sign-in itself), and the fields before and after."""
    record(session, actor_id=actor_id, action=action, kind="person", record_id=person.id, subject_id=person.id,
           before=before, after=snapshot(person), channel=channel)
