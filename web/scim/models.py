"""The SCIM models Coach serves: the standard User and enterprise extension schemas, cut down
to the attributes a person has here, so the published schemas say exactly what is stored."""
from __future__ import annotations

from functools import cache
from typing import Any

from scim2_models import (
    AuthenticationScheme,
    Bulk,
    ChangePassword,
    ETag,
    External,
    Extension,
    Filter,
    Patch,
    Reference,
    Required,
    Resource,
    ResourceType,
    ScimPolicy,
    ScimProvider,
    ServiceProviderConfig,
    Sort,
)
from scim2_models import EnterpriseUser as FullEnterpriseUser
from scim2_models import User as FullUser

MAX_RESULTS = 200
USER_ATTRIBUTES = {"userName": None, "name": {"formatted", "givenName", "familyName"}, "displayName": None,
                   "title": None, "active": None, "emails": {"value", "type", "primary"}}
ENTERPRISE_ATTRIBUTES = {"department": None, "manager": None}


def _cut(schema: Any, keep: dict[str, set[str] | None]) -> Any:
    schema.attributes = [a for a in schema.attributes if a.name in keep]
    for attribute in schema.attributes:
        subs = keep[attribute.name]
        if subs is not None and attribute.sub_attributes:
            attribute.sub_attributes = [s for s in attribute.sub_attributes if s.name in subs]
    return schema


def _manager_by_value(schema: Any) -> Any:
    """Directories send a manager as ``{"value": id}``; its ``$ref`` is ours to fill, not theirs."""
    for attribute in schema.attributes:
        if attribute.name == "manager":
            for sub in attribute.sub_attributes or []:
                if sub.name == "$ref":
                    sub.required = Required.false
    return schema


def _email_required(schema: Any) -> Any:
    """Every person in Coach has an email (their sign-in and their one-record key): say so."""
    for attribute in schema.attributes:
        if attribute.name == "emails":
            attribute.required = Required.true
            for sub in attribute.sub_attributes or []:
                if sub.name == "value":
                    sub.required = Required.true
    return schema


User = Resource.from_schema(_email_required(_cut(FullUser.to_schema(), USER_ATTRIBUTES)))
EnterpriseUser = Extension.from_schema(_manager_by_value(_cut(FullEnterpriseUser.to_schema(), ENTERPRISE_ATTRIBUTES)))
UserModel = User[EnterpriseUser]


@cache
def scim_provider() -> ScimProvider:
    """What /ServiceProviderConfig, /Schemas and /ResourceTypes publish: Users with PATCH and
    filtering, index pagination, no bulk, sorting, ETags or password changes."""
    config = ServiceProviderConfig(
        documentation_uri=None,
        patch=Patch(supported=True),
        bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
        filter=Filter(supported=True, max_results=MAX_RESULTS),
        change_password=ChangePassword(supported=False),
        sort=Sort(supported=False),
        etag=ETag(supported=False),
        authentication_schemes=[AuthenticationScheme(
            type=AuthenticationScheme.Type.oauthbearertoken, name="Provisioning token", primary=True,
            description="A bearer token made with 'coach scim token create' (scope scim).",
            spec_uri=Reference[External]("https://www.rfc-editor.org/rfc/rfc6750"))],
    )
    # Directories send more than Coach keeps (Okta: locale, Entra: phone numbers...): dropped, not refused;
    # and Entra's PATCH habits (a value naming what to remove, a filter creating its entry) are understood.
    policy = ScimPolicy(unknown=ScimPolicy.Unknown.ignore, remove_value_as_filter=ScimPolicy.RemoveValue.apply,
                        unmatched_path_filter=ScimPolicy.UnmatchedPathFilter.create)
    return ScimProvider(models=[User, EnterpriseUser], resource_types=[ResourceType.from_resource(UserModel)],
                        config=config, policy=policy)
