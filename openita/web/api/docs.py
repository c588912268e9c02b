"""The OpenAPI description as a page: each path with its parameters and answer, each schema
with its fields; plain HTML, nothing loaded from elsewhere."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Param:
    name: str
    where: str
    required: bool
    type: str
    description: str


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    summary: str
    description: str
    params: list[Param]
    answers: list[tuple[str, str]]  # status, schema


@dataclass(frozen=True)
class SchemaDoc:
    name: str
    fields: list[Param]


@dataclass
class ApiDoc:
    title: str
    version: str
    description: str
    operations: list[Operation] = field(default_factory=list)
    schemas: list[SchemaDoc] = field(default_factory=list)


def type_of(schema: dict[str, Any] | bool) -> str:
    """A readable type: ``integer``, ``list of AgencyOut``, ``string or null``."""
    if isinstance(schema, bool):  # JSON Schema's "anything"
        return "any"
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " or ".join(type_of(s) for s in schema["anyOf"])
    kind = schema.get("type", "object")
    if kind == "array":
        return f"list of {type_of(schema.get('items', {}))}"
    if kind == "object" and "additionalProperties" in schema:
        return f"map of {type_of(schema['additionalProperties'])}"
    if "format" in schema:
        return f"{kind} ({schema['format']})"
    return str(kind)


def _answer(response: dict[str, Any]) -> str:
    content = response.get("content", {}).get("application/json", {})
    return type_of(content["schema"]) if "schema" in content else "-"


def describe(schema: dict[str, Any]) -> ApiDoc:
    info = schema.get("info", {})
    doc = ApiDoc(info.get("title", ""), info.get("version", ""), info.get("description", ""))
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            params = [
                Param(
                    p["name"],
                    p["in"],
                    bool(p.get("required")),
                    type_of(p.get("schema", {})),
                    p.get("description") or p.get("schema", {}).get("description", ""),
                )
                for p in op.get("parameters", [])
            ]
            answers = [(code, _answer(r)) for code, r in op.get("responses", {}).items()]
            doc.operations.append(
                Operation(
                    method.upper(),
                    path,
                    op.get("summary", ""),
                    op.get("description", ""),
                    params,
                    answers,
                )
            )
    for name, body in schema.get("components", {}).get("schemas", {}).items():
        required = set(body.get("required", []))
        fields = [
            Param(f, "", f in required, type_of(s), s.get("description", ""))
            for f, s in body.get("properties", {}).items()
        ]
        doc.schemas.append(SchemaDoc(name, fields))
    return doc
