"""People as SCIM Users, read and written through scim2-server's storage interface.

A User is a :class:`~tools.store.models.Person`: ``id`` is the person's id, ``userName`` and
``externalId`` are stored as given, the primary email is the person's email, ``displayName``
(or ``name``) their name, and the enterprise extension's ``manager`` and ``department`` their
manager and department. ``active=false`` deactivates the person (records kept, sign-ins ended);
``DELETE`` deactivates them too and hides them from SCIM, so history stays whole. The checks and
the writes themselves are :mod:`tools.writes.people`'s.

The schemas we publish hold only the attributes Coach stores (:mod:`web.scim.models`), so a
client never sees a value silently dropped.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Union

from scim2_models import (
    InvalidValueException,
    Meta,
    NotFoundException,
    PreconditionFailedException,
    Resource,
    ResourceType,
    ResponseParameters,
    ScimFilter,
    SearchRequest,
    UniquenessException,
)
from scim2_models.path import CompareOperator, Comparison
from scim2_server.storage import ScimStorage, SearchPage
from scim2_server.utils import parametrize
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tools.errors import InvalidField
from tools.store.identity import IdentityConflict, snapshot
from tools.store.models import Person
from tools.writes.people import change_person, provision_person, remove_person
from web.scim.models import EnterpriseUser, UserModel

FAST_FILTERS = {"username": func.lower(func.coalesce(Person.user_name, Person.email)),
                "externalid": Person.external_id}


class PeopleStorage(ScimStorage):
    """Users over the people table, in the request's database session (the route commits)."""

    def __init__(self, session: Session, actor: str):
        self.session, self.actor = session, actor

    # -- reading ---------------------------------------------------------------------------

    def _person(self, resource_id: str | None) -> Person:
        person = self.session.get(Person, resource_id) if resource_id else None
        if person is None or person.removed_at is not None:
            raise NotFoundException(detail=f"User {resource_id!r} not found")
        return person

    def get(self, resource_type: ResourceType, resource_id: str, *,
            response_parameters: ResponseParameters[Any] | None = None) -> Resource[Any]:
        return to_user(self._person(resource_id))

    def search(self, resource_types: list[ResourceType], search_request: SearchRequest[Any], *,
               position: Any = None) -> SearchPage:
        query = select(Person).where(Person.removed_at.is_(None)).order_by(Person.id)
        start, count = search_request.start_index_0 or 0, search_request.count
        scim_filter = search_request.filter
        if scim_filter is None:  # a plain listing: paged by the database
            total = self.session.scalar(select(func.count()).select_from(query.subquery()))
            page = query.offset(start) if count is None else query.offset(start).limit(count)
            return SearchPage(total, [to_user(p) for p in self.session.scalars(page)])
        fast = _fast_filter(scim_filter)
        if fast is not None:
            column, value = fast
            query = query.where(column == (value if column is Person.external_id else value.lower()))
            found = [to_user(p) for p in self.session.scalars(query)]
        else:  # any other filter: evaluated on the Users (a directory's rare full search)
            if not scim_filter.models:
                scim_filter = parametrize(ScimFilter, Union[(UserModel,)])(str(scim_filter))  # noqa: UP007
            found = [u for u in map(to_user, self.session.scalars(query)) if scim_filter.match(u)]
        stop = None if count is None else start + count
        return SearchPage(len(found), found[start:stop])

    # -- writing (tools/writes/people.py checks and writes; here only SCIM's errors) -----------

    def create(self, resource_type: ResourceType, resource: Resource[Any]) -> Resource[Any]:
        fields = _fields(resource)
        with _as_scim_errors():
            return to_user(provision_person(self.session, fields, actor=self.actor))

    def update(self, resource_type: ResourceType, resource: Resource[Any], *,
               expected_version: str | None = None) -> Resource[Any]:
        person = self._person(resource.id)
        if expected_version is not None and _version(person) != expected_version:
            raise PreconditionFailedException
        fields = _fields(resource)
        with _as_scim_errors():
            return to_user(change_person(self.session, person, fields, actor=self.actor))

    def delete(self, resource_type: ResourceType, resource_id: str, *, expected_version: str | None = None) -> None:
        person = self._person(resource_id)
        if expected_version is not None and _version(person) != expected_version:
            raise PreconditionFailedException
        remove_person(self.session, person, actor=self.actor)


@contextmanager
def _as_scim_errors() -> Iterator[None]:
    try:
        yield
    except IdentityConflict as exc:  # two people's keys, or a key someone else holds: 409 uniqueness
        raise UniquenessException(detail=str(exc)) from None
    except InvalidField as exc:
        raise InvalidValueException(detail=f"{exc.field} {exc.message}") from None


def _fast_filter(scim_filter: ScimFilter[Any] | None) -> tuple[Any, str] | None:
    """``userName eq "x"`` and ``externalId eq "x"``: answered by an indexed query."""
    if scim_filter is None:
        return None
    node = scim_filter.ast
    if not isinstance(node, Comparison) or node.op != CompareOperator.eq or not isinstance(node.value, str):
        return None
    name = str(node.attr_path).rsplit(":", 1)[-1].lower()
    column = FAST_FILTERS.get(name)
    return None if column is None else (column, node.value)


def _fields(resource: Resource[Any]) -> dict[str, Any]:
    """The person's fields a User carries, or :class:`InvalidValueException` naming what is missing."""
    user_name = (resource.user_name or "").strip()
    if not user_name:
        raise InvalidValueException(detail="userName is required")
    emails = resource.emails or []
    primary = next((e for e in emails if e.primary), emails[0] if emails else None)
    email = (primary.value if primary is not None and primary.value else user_name if "@" in user_name else "").strip()
    if "@" not in email or len(email) > 320:
        raise InvalidValueException(detail="a User needs an email address: in emails, or as its userName")
    name = resource.display_name or (resource.name and (resource.name.formatted or " ".join(
        part for part in (resource.name.given_name, resource.name.family_name) if part))) or user_name
    sent = {"displayName": resource.display_name, "active": resource.active,
            "name": resource.name.model_dump(mode="json", exclude_none=True) if resource.name else None,
            "emails": [e.model_dump(mode="json", exclude_none=True) for e in emails]}
    extension = resource[EnterpriseUser]
    manager = extension.manager if extension is not None else None
    manager_id = manager.value if manager is not None and manager.value else None
    return {"user_name": user_name[:320], "external_id": (resource.external_id or None), "email": email,
            "name": str(name).strip()[:200], "title": resource.title,
            "department": extension.department if extension is not None else None, "manager_id": manager_id,
            "active": True if resource.active is None else bool(resource.active), "directory": sent}


def _version(person: Person) -> str:
    state = {**snapshot(person), "removed": person.removed_at is not None}
    return 'W/"' + hashlib.sha256(json.dumps(state, sort_keys=True, default=str).encode()).hexdigest()[:16] + '"'


def to_user(person: Person) -> Resource[Any]:
    """A person as a SCIM User with the enterprise extension; the name parts and emails the
    directory sent come back as sent, while they still describe the person."""
    sent = person.directory or {}
    emails = sent.get("emails") or []
    if not any(str(e.get("value", "")).lower() == person.email.lower() for e in emails):
        emails = [{"value": person.email, "primary": True, "type": "work"}]
    active = sent.get("active", True) if person.active else False
    user = UserModel(id=person.id, user_name=person.user_name or person.email, external_id=person.external_id,
                     display_name=sent["displayName"] if "displayName" in sent else person.name,
                     name=sent["name"] if "name" in sent else {"formatted": person.name}, title=person.title,
                     active=active, emails=emails)
    user[EnterpriseUser] = EnterpriseUser(
        department=person.department,
        manager={"value": person.manager_id, "$ref": f"Users/{person.manager_id}"} if person.manager_id else None)
    user.meta = Meta(resource_type="User", created=person.created_at, last_modified=person.updated_at,
                     version=_version(person))
    return user
