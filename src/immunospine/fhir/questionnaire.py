"""Questionnaires and QuestionnaireResponses: calculator definitions and their raw inputs.

Each calculator used in a bundle becomes one ``Questionnaire`` (canonical URL
``https://immunospine.org/fhir/Questionnaire/<calculator>``, ``version`` = the calculator spec
version, one item per input field). Each assessment's raw ``inputs`` become a
``QuestionnaireResponse`` whose items encode the JSON value exactly:

* number → ``valueDecimal``, integer → ``valueInteger``, boolean → ``valueBoolean``,
  string → ``valueString``;
* list → a group item (extension ``input-shape`` = ``list``) whose children have linkIds
  ``<name>.1``, ``<name>.2`` … in order;
* object → a group item (``input-shape`` = ``object``) whose children have linkIds
  ``<name>.<key>``;

items of an object are written in sorted key order (PostgreSQL's JSONB does not keep key order,
so this makes exports of the same record identical on every database);
* null → an item with no answer (``input-shape`` = ``null``).

So ``decode_items(encode_items(inputs)) == inputs`` for any JSON object of inputs, including
unanswered ODI sections and nested baseline/follow-up inputs of the response calculators.
"""

from __future__ import annotations

from typing import Any

from immunospine.fhir.codes import INPUT_SHAPE_URL, INSTRUMENT_SYSTEM, QUESTIONNAIRE_BASE
from immunospine.knowledge import get_calculator

__all__ = ["decode_items", "encode_items", "questionnaire", "questionnaire_url"]

_SCHEMA_TYPE = {"number": "decimal", "integer": "integer", "boolean": "boolean", "string": "string"}


def questionnaire_url(calculator: str) -> str:
    return f"{QUESTIONNAIRE_BASE}/{calculator}"


def questionnaire(calculator: str, version: str, resource_id: str) -> dict[str, Any]:
    """The Questionnaire of ``calculator`` at ``version``: one item per input field."""
    spec = get_calculator(calculator)
    schema = spec.inputs.model_json_schema()
    required = set(schema.get("required", ()))
    items = [
        _definition_item(name, prop, schema, name in required)
        for name, prop in schema.get("properties", {}).items()
    ]
    name = "".join(part.capitalize() for part in calculator.split("_"))
    return {
        "resourceType": "Questionnaire",
        "id": resource_id,
        "url": questionnaire_url(calculator),
        "version": version,
        "name": name,
        "title": spec.title,
        "status": "active",
        "code": [{"system": INSTRUMENT_SYSTEM, "code": calculator, "display": spec.title}],
        "item": items,
    }


def _definition_item(
    name: str, prop: dict[str, Any], schema: dict[str, Any], required: bool
) -> dict[str, Any]:
    options = [p for p in prop.get("anyOf", [prop]) if p.get("type") != "null"]
    body = options[0] if options else prop
    if "$ref" in body:
        body = schema.get("$defs", {}).get(body["$ref"].rsplit("/", 1)[-1], {})
    kind = body.get("type", "object")
    item: dict[str, Any] = {"linkId": name, "text": prop.get("description") or name}
    if kind in ("array", "object"):
        item["type"] = "group"
    elif kind == "string" and "enum" in body:
        item["type"] = "choice"
        item["answerOption"] = [{"valueString": str(v)} for v in body["enum"]]
    else:
        item["type"] = _SCHEMA_TYPE.get(kind, "string")
    if required:
        item["required"] = True
    if kind in ("array", "object"):
        item["extension"] = [
            {"url": INPUT_SHAPE_URL, "valueCode": "list" if kind == "array" else "object"}
        ]
    return item


def _shape(kind: str) -> list[dict[str, Any]]:
    return [{"url": INPUT_SHAPE_URL, "valueCode": kind}]


def encode_items(inputs: dict[str, Any], prefix: str = "") -> list[dict[str, Any]]:
    """QuestionnaireResponse items encoding the JSON object ``inputs`` (see module docstring)."""
    return [_encode(f"{prefix}{key}", inputs[key]) for key in sorted(inputs)]


def _encode(link_id: str, value: Any) -> dict[str, Any]:
    item: dict[str, Any] = {"linkId": link_id}
    if value is None:
        item["extension"] = _shape("null")
    elif isinstance(value, bool):
        item["answer"] = [{"valueBoolean": value}]
    elif isinstance(value, int):
        item["answer"] = [{"valueInteger": value}]
    elif isinstance(value, float):
        item["answer"] = [{"valueDecimal": value}]
    elif isinstance(value, str):
        item["answer"] = [{"valueString": value}]
    elif isinstance(value, list | tuple):
        item["extension"] = _shape("list")
        children = [_encode(f"{link_id}.{i}", v) for i, v in enumerate(value, start=1)]
        if children:
            item["item"] = children
    elif isinstance(value, dict):
        item["extension"] = _shape("object")
        children = encode_items(value, prefix=f"{link_id}.")
        if children:
            item["item"] = children
    else:
        raise TypeError(f"{link_id}: {type(value).__name__} is not a JSON value")
    return item


def decode_items(items: list[dict[str, Any]], prefix: str = "") -> tuple[dict[str, Any], list[str]]:
    """The JSON object encoded by ``items`` and a list of problems (linkId: what is wrong)."""
    out: dict[str, Any] = {}
    problems: list[str] = []
    for item in items:
        link_id = str(item.get("linkId", ""))
        if not link_id.startswith(prefix) or len(link_id) == len(prefix):
            problems.append(f"item linkId {link_id!r} should start with {prefix!r}")
            continue
        out[link_id[len(prefix) :]] = _decode(item, problems)
    return out, problems


def _shape_of(item: dict[str, Any]) -> str | None:
    for ext in item.get("extension", []) or []:
        if ext.get("url") == INPUT_SHAPE_URL:
            return str(ext.get("valueCode"))
    return None


def _decode(item: dict[str, Any], problems: list[str]) -> Any:
    link_id = str(item.get("linkId"))
    shape = _shape_of(item)
    children = item.get("item", []) or []
    if shape == "null":
        return None
    if shape == "object":
        value, more = decode_items(children, prefix=f"{link_id}.")
        problems.extend(more)
        return value
    if shape == "list":
        as_dict, more = decode_items(children, prefix=f"{link_id}.")
        problems.extend(more)
        expected = [str(i) for i in range(1, len(as_dict) + 1)]
        if list(as_dict) != expected:
            problems.append(f"item {link_id!r}: list children must be numbered 1, 2, … in order")
        return list(as_dict.values())
    answers = item.get("answer", []) or []
    if len(answers) != 1:
        problems.append(f"item {link_id!r} needs exactly one answer (got {len(answers)})")
        return None
    answer = answers[0]
    for key in ("valueBoolean", "valueInteger", "valueString"):
        if key in answer:
            return answer[key]
    if "valueDecimal" in answer:
        return float(answer["valueDecimal"])
    if "valueCoding" in answer:
        return answer["valueCoding"].get("code")
    problems.append(f"item {link_id!r}: answer type {sorted(answer)} is not supported")
    return None
