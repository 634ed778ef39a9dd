"""Schema shapes for `spec_diff`: a property's type reduced to a comparable form, and the rule
that says when a published type is compatible with ours.

How types are compared:

- Each property is reduced to a `Shape`: the set of JSON types (`string`, `integer`, `number`,
  `boolean`, `object`, or `any` when unconstrained), the names of the schemas it refers to, the
  item `Shape` when it may be an array, and a separate nullable flag. OpenAPI 3.0 and 3.1
  spellings of the same thing give the same Shape: `nullable: true` and `type: [x, "null"]`;
  `allOf: [$ref]` and a bare `$ref`; `anyOf`/`oneOf` with a `{type: "null"}` variant; `const` and
  `enum` reduce to their values' type. Annotations are ignored, so utoipa's quirks
  (`"default": "null"`, `"minimum": null`, `format: int32`, `example`) make no difference.
- An object schema's properties include those of its `allOf` members and, when every variant of
  a `oneOf`/`anyOf` is an object, of its variants (required only when required in all of them).
- Compatibility is one-way: a published type is compatible when ours accepts every value it allows.
  So a published `integer` is compatible with our `number`, but a published `number` is not
  compatible with our `integer`; our `any` accepts everything, a published `any` needs ours to be
  `any`. Objects are compared by name, property by property, not structurally: a `$ref` that names a
  different schema is expanded one level, so an inline object and a named one are compatible.
- Nullability and requiredness are reported separately, never as type differences. A schema is
  nullable only when it says so; an unconstrained `{}` is not counted as nullable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Schemas", "Shape", "compatible", "object_parts", "ref_name", "shape_of"]

REF_PREFIX = "#/components/schemas/"
Schemas = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Shape:
    """A schema's type reduced to a comparable form (see the module docstring)."""

    types: frozenset[str] = frozenset()
    refs: frozenset[str] = frozenset()
    items: Shape | None = None
    nullable: bool = False

    def merge(self, other: Shape) -> Shape:
        """The union of two shapes."""
        items = self.items.merge(other.items) if self.items and other.items else None
        items = items or self.items or other.items
        return Shape(
            self.types | other.types, self.refs | other.refs, items, self.nullable or other.nullable
        )

    def __str__(self) -> str:
        parts = sorted(t for t in self.types if t != "array") + sorted(self.refs)
        if self.items is not None:
            parts.append(f"array[{self.items}]")
        return " | ".join([*parts, "null"] if self.nullable else parts) or "nothing"


def ref_name(ref: object) -> str:
    text = str(ref)
    if text.startswith(REF_PREFIX):
        return text[len(REF_PREFIX) :].replace("~1", "/").replace("~0", "~")
    return text


_JSON_TYPES = {type(None): "null", bool: "boolean", int: "integer", float: "number", str: "string"}


def shape_of(schema: object) -> Shape:
    """Reduce one schema to a `Shape` (OpenAPI 3.0 or 3.1 spelling)."""
    if not isinstance(schema, dict):
        return Shape(frozenset({"any"}))
    nullable = schema.get("nullable") is True
    if "$ref" in schema:
        return Shape(refs=frozenset({ref_name(schema["$ref"])}), nullable=nullable)
    variants = [v for key in ("oneOf", "anyOf", "allOf") for v in schema.get(key) or []]
    if variants:
        # allOf is an intersection; TGI only wraps one $ref in it, so a union is close enough.
        shape = Shape()
        for variant in variants:
            shape = shape.merge(shape_of(variant))
        return Shape(shape.types, shape.refs, shape.items, shape.nullable or nullable)
    declared = schema.get("type")
    if "const" in schema or "enum" in schema:
        values = [schema["const"]] if "const" in schema else list(schema.get("enum") or [])
        types = {_JSON_TYPES.get(type(value), "any") for value in values}
    elif isinstance(declared, list):
        types = {str(t) for t in declared}
    elif isinstance(declared, str):
        types = {declared}
    elif "properties" in schema or "items" in schema:
        types = {"object" if "properties" in schema else "array"}
    else:
        types = {"any"}
    items = shape_of(schema.get("items", {})) if "array" in types else None
    return Shape(frozenset(types - {"null"}), items=items, nullable=nullable or "null" in types)


def compatible(pub: Shape, ours: Shape, pdefs: Schemas, odefs: Schemas, depth: int = 0) -> bool:
    """True when every value `pub` allows is allowed by `ours` (nullability aside)."""
    if "any" in ours.types:
        return True
    wide = ours  # our refs expanded one level, so an inline published type can match a named one
    for ref in ours.refs if depth < 3 else ():
        wide = wide.merge(shape_of(odefs.get(ref, {})))
    for name in pub.types - {"array"}:
        if not ({name, "number"} if name == "integer" else {name}) & wide.types:
            return False
    for ref in pub.refs - ours.refs:
        if depth >= 3 or not compatible(shape_of(pdefs.get(ref)), ours, pdefs, odefs, depth + 1):
            return False
    if pub.items is None:
        return True
    if wide.items is None or (pub.items.nullable and not wide.items.nullable):
        return False
    return compatible(pub.items, wide.items, pdefs, odefs, depth + 1)


def object_parts(
    schema: object, defs: Schemas, seen: frozenset[str] = frozenset()
) -> tuple[dict[str, Any], set[str]] | None:
    """Properties and required names of an object-like schema, or None if it is not one."""
    if not isinstance(schema, dict):
        return None
    if "$ref" in schema:
        name = ref_name(schema["$ref"])
        return None if name in seen else object_parts(defs.get(name), defs, seen | {name})
    props: dict[str, Any] = {}
    required: set[str] = set()
    found = isinstance(schema.get("properties"), dict)
    if found:
        props.update({str(k): v for k, v in schema["properties"].items()})
        required.update(str(r) for r in schema.get("required") or [])
    for member in schema.get("allOf") or []:
        if (part := object_parts(member, defs, seen)) is not None:
            found = True
            props.update(part[0])
            required |= part[1]
    for key in ("oneOf", "anyOf"):
        variants = [v for v in schema.get(key) or [] if v != {"type": "null"}]
        parts = [p for v in variants if (p := object_parts(v, defs, seen)) is not None]
        if variants and len(parts) == len(variants):
            found = True
            for variant_props, _ in parts:
                props.update({k: v for k, v in variant_props.items() if k not in props})
            required |= set.intersection(*(variant_required for _, variant_required in parts))
    return (props, required) if found else None
