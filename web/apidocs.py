"""``/api/docs``: a readable API reference rendered from the OpenAPI document, with no
scripts or CDN assets (the spec itself is at ``/api/openapi.json``)."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)
METHODS = ("get", "post", "put", "patch", "delete")


def _type(schema: dict[str, Any], spec: dict[str, Any]) -> str:
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " or ".join(_type(s, spec) for s in schema["anyOf"])
    if "enum" in schema:
        return " | ".join(map(str, schema["enum"]))
    if schema.get("type") == "array":
        return f"list of {_type(schema.get('items', {}), spec)}"
    kind = schema.get("type", "any")
    return f"{kind} ({schema['format']})" if "format" in schema else kind


def _fields(ref: str | None, spec: dict[str, Any]) -> list[dict[str, Any]]:
    if not ref:
        return []
    schema = spec["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    required = set(schema.get("required", []))
    return [{"name": name, "type": _type(prop, spec), "required": name in required,
             "description": prop.get("description", "")} for name, prop in schema.get("properties", {}).items()]


def operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Every operation with its parameters, body fields and responses, in path order."""
    out = []
    for path, item in spec["paths"].items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
            out.append({
                "method": method.upper(), "path": path, "summary": op.get("summary", ""),
                "description": op.get("description", ""), "tag": (op.get("tags") or ["other"])[0],
                "params": [{"name": p["name"], "in": p["in"], "required": p.get("required", False),
                            "type": _type(p.get("schema", {}), spec)} for p in op.get("parameters", [])],
                "body": _fields(body.get("$ref"), spec),
                "responses": [(code, r.get("description", "")) for code, r in op.get("responses", {}).items()],
            })
    return out


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    spec = request.app.openapi()
    return request.app.state.web.templates.TemplateResponse(
        request, "apidocs.html", {"title": "API reference", "spec": spec, "operations": operations(spec)})
