"""SCIM 2.0 provisioning at ``/scim/v2/``: the company's directory creates, updates and
deactivates people, and sets their managers (RFC 7643/7644, served by scim2-server).

Every request but ``/ServiceProviderConfig`` needs a provisioning token (``coach scim token
create``): a bearer token of its own kind and scope, never a person's API token. One request is
one transaction: a request that fails writes nothing. Errors use SCIM's error format.
"""
from __future__ import annotations

import json
import logging
from functools import cache
from http import HTTPStatus

from fastapi import APIRouter, Request
from fastapi.responses import Response
from scim2_models import SCIMException, UnauthorizedException
from scim2_server.handler import ScimHandler
from scim2_server.requests import ScimRequest
from scim2_server.responses import ScimResponse
from scim2_server.routing import Operation
from scim2_server.service import ScimService
from starlette.concurrency import run_in_threadpool

from tools.store.identity import find_provisioning_token
from web.scim.models import scim_provider
from web.scim.storage import PeopleStorage

router = APIRouter(include_in_schema=False)
ROOT = "/scim/v2"
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]
log = logging.getLogger(__name__)


@cache
def scim_service() -> ScimService:
    return ScimService(scim_provider())


@router.api_route(ROOT, methods=METHODS)
@router.api_route(ROOT + "/{path:path}", methods=METHODS)
async def scim(request: Request, path: str = "") -> Response:
    body = await request.body()
    if request.method == "PATCH":
        body = manager_as_object(body)
    scim_request = ScimRequest(method=request.method, base_url=str(request.base_url).rstrip("/") + ROOT,
                               path="/" + path.removesuffix(".scim"), query=dict(request.query_params),
                               headers=list(request.headers.items()), body=body)
    response = await run_in_threadpool(serve, request.app.state.web.runtime, scim_request)
    body = b"" if response.body is None else json.dumps(response.body).encode()
    return Response(body, status_code=int(response.status), headers=response.headers)


def manager_as_object(body: bytes) -> bytes:
    """Entra ID sets a manager with a bare id (``"value": "26118915..."``); RFC 7643 wants
    ``{"value": id}``. Anything else passes through untouched, to be judged by the service."""
    try:
        data = json.loads(body)
        changed = False
        for operation in data.get("Operations") or []:
            if str(operation.get("path", "")).lower().endswith(":manager") and isinstance(operation.get("value"), str):
                operation["value"] = {"value": operation["value"]}
                changed = True
    except (ValueError, AttributeError, TypeError):
        return body
    return json.dumps(data).encode() if changed else body


def serve(runtime, request: ScimRequest) -> ScimResponse:
    """Authenticate, run the operation in one transaction, and answer in SCIM's format."""
    service = scim_service()
    with runtime.sessions() as session:
        try:
            actor = None
            if service.match(request).operation is not Operation.service_provider_config:
                actor = _provisioning_client(session, request)
            response = ScimHandler(service, PeopleStorage(session, actor or "scim")).handle(request)
        except SCIMException as exc:
            session.rollback()
            response = service.error_response(exc)
        except Exception as exc:  # a bug: answered as a SCIM 500, nothing written
            log.exception("SCIM %s %s failed", request.method, request.path)
            session.rollback()
            response = service.error_response(exc)
        else:
            if response.status < HTTPStatus.BAD_REQUEST:
                session.commit()
            else:
                session.rollback()
    response.headers.setdefault("Location", request.url)
    response.headers.setdefault("Cache-Control", "no-cache")
    return response


def _provisioning_client(session, request: ScimRequest) -> str:
    """The provisioning token's audit name, or a SCIM 401."""
    scheme, _, secret = (request.header("Authorization") or "").partition(" ")
    row = find_provisioning_token(session, secret.strip()) if scheme.lower() == "bearer" else None
    if row is None:
        raise UnauthorizedException(detail="Send a provisioning token as 'Authorization: Bearer coachscim_...' "
                                           "(coach scim token create); people's API tokens do not work here.")
    return f"scim:{row.name}"[:64]
