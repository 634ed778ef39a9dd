"""
Compare a published TGI OpenAPI document with our hand-written `openapi.yaml`.

`python -m mock_server.spec_diff SPEC [--ours openapi.yaml] [--json] [--fail-on-diff]`, where SPEC
is a file (JSON or YAML) or an http(s) URL. The report lists, in both directions: routes (method +
path, path parameter names ignored), schema names, and for every schema both documents define
(matched by name): properties present on one side only, properties whose types are incompatible,
required and nullable differences, and enum values.

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

Exit status: 0 after printing the report (1 with `--fail-on-diff` when anything differs); 2 with a
one-line message on bad input (missing file, unreachable URL, not JSON/YAML, not OpenAPI 3).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any, Literal

import httpx
import yaml

__all__ = [
    "Route",
    "SchemaDifference",
    "Shape",
    "SpecDiff",
    "SpecError",
    "diff_specs",
    "format_report",
    "load_spec",
    "main",
    "shape_of",
]

DiffKind = Literal["only_published", "only_ours", "type", "required", "nullable", "enum"]
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_REF_PREFIX = "#/components/schemas/"
Schemas = dict[str, Any]
_DEFAULT_OURS = Path(__file__).resolve().parents[1] / "openapi.yaml"


class SpecError(Exception):
    """Raised when a document cannot be read, fetched or parsed, or is not an OpenAPI 3 document."""


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


@dataclass(frozen=True, slots=True, order=True)
class Route:
    """One operation: an upper-case HTTP method and a path."""

    method: str
    path: str

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


@dataclass(frozen=True, slots=True)
class SchemaDifference:
    """One difference in a schema both documents define; `property` is "" for the schema itself."""

    schema: str
    property: str
    kind: DiffKind
    published: str
    ours: str

    def key(self) -> tuple[str, str, str]:
        """`(schema, property, kind)`, the stable identity of the difference."""
        return (self.schema, self.property, self.kind)

    def __str__(self) -> str:
        where = f"{self.schema}.{self.property}" if self.property else self.schema
        return f"{where}: {self.kind}: published {self.published}; ours {self.ours}"


@dataclass(frozen=True, slots=True)
class SpecDiff:
    """Everything the published document has that ours lacks, and the reverse."""

    published_source: str
    ours_source: str
    routes_only_published: tuple[Route, ...] = ()
    routes_only_ours: tuple[Route, ...] = ()
    schemas_only_published: tuple[str, ...] = ()
    schemas_only_ours: tuple[str, ...] = ()
    schema_differences: tuple[SchemaDifference, ...] = ()

    @property
    def is_empty(self) -> bool:
        """True when the documents describe the same routes and schemas."""
        return not any(getattr(self, f.name) for f in fields(self)[2:])

    def to_json(self) -> dict[str, Any]:
        """A JSON-serializable form: routes as "METHOD /path" strings, differences as objects."""
        data = asdict(self)
        for name in ("routes_only_published", "routes_only_ours"):
            data[name] = [str(route) for route in getattr(self, name)]
        return {**data, "differs": not self.is_empty}


def load_spec(source: str | Path) -> dict[str, Any]:
    """Read an OpenAPI 3 document from a file path or an http(s) URL (JSON or YAML).

    Raises:
        SpecError: with a one-line message, on any problem.
    """
    text_source = str(source)
    if re.match(r"https?://", text_source):
        try:
            response = httpx.get(text_source, follow_redirects=True, timeout=30.0)
        except httpx.HTTPError as exc:
            raise SpecError(
                f"cannot fetch {text_source}: {str(exc) or type(exc).__name__}"
            ) from exc
        if response.status_code >= 400:
            raise SpecError(f"cannot fetch {text_source}: HTTP {response.status_code}")
        raw = response.content
    else:
        try:
            raw = Path(text_source).read_bytes()
        except FileNotFoundError:
            raise SpecError(f"no such file: {text_source}") from None
        except OSError as exc:
            raise SpecError(f"cannot read {text_source}: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SpecError(f"{text_source} is not JSON or YAML (not UTF-8 text)") from None
    try:
        document: Any = json.loads(text)
    except ValueError:
        try:
            document = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            reason = str(getattr(exc, "problem", None) or "syntax error")
            raise SpecError(f"{text_source} is not JSON or YAML: {reason}") from None
    if not isinstance(document, dict):
        raise SpecError(f"{text_source} is not an OpenAPI document (not a JSON/YAML object)")
    version = document.get("openapi")
    if not (isinstance(version, str) and version.startswith("3.")):
        found = "Swagger 2.0" if "swagger" in document else f"openapi: {version!r}"
        raise SpecError(f"{text_source} is not an OpenAPI 3 document ({found})")
    for key in ("paths", "components"):
        if not isinstance(document.get(key, {}), dict):
            raise SpecError(f"{text_source} is not a valid OpenAPI document ({key}: not an object)")
    return document


def _schemas(document: Mapping[str, Any]) -> Schemas:
    schemas = (document.get("components") or {}).get("schemas")
    return {str(k): v for k, v in schemas.items()} if isinstance(schemas, dict) else {}


def _routes(document: Mapping[str, Any]) -> dict[tuple[str, str], Route]:
    """Routes keyed by (method, path with parameter names erased)."""
    routes: dict[tuple[str, str], Route] = {}
    for path, item in (document.get("paths") or {}).items():
        for method in _METHODS if isinstance(item, dict) else ():
            if method in item:
                key = (method.upper(), re.sub(r"\{[^}]*\}", "{}", str(path)))
                routes[key] = Route(method.upper(), str(path))
    return routes


def _ref_name(ref: object) -> str:
    text = str(ref)
    if text.startswith(_REF_PREFIX):
        return text[len(_REF_PREFIX) :].replace("~1", "/").replace("~0", "~")
    return text


_JSON_TYPES = {type(None): "null", bool: "boolean", int: "integer", float: "number", str: "string"}


def shape_of(schema: object) -> Shape:
    """Reduce one schema to a `Shape` (OpenAPI 3.0 or 3.1 spelling)."""
    if not isinstance(schema, dict):
        return Shape(frozenset({"any"}))
    nullable = schema.get("nullable") is True
    if "$ref" in schema:
        return Shape(refs=frozenset({_ref_name(schema["$ref"])}), nullable=nullable)
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


def _compatible(pub: Shape, ours: Shape, pdefs: Schemas, odefs: Schemas, depth: int = 0) -> bool:
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
        if depth >= 3 or not _compatible(shape_of(pdefs.get(ref)), ours, pdefs, odefs, depth + 1):
            return False
    if pub.items is None:
        return True
    if wide.items is None or (pub.items.nullable and not wide.items.nullable):
        return False
    return _compatible(pub.items, wide.items, pdefs, odefs, depth + 1)


def _object_parts(
    schema: object, defs: Schemas, seen: frozenset[str] = frozenset()
) -> tuple[dict[str, Any], set[str]] | None:
    """Properties and required names of an object-like schema, or None if it is not one."""
    if not isinstance(schema, dict):
        return None
    if "$ref" in schema:
        name = _ref_name(schema["$ref"])
        return None if name in seen else _object_parts(defs.get(name), defs, seen | {name})
    props: dict[str, Any] = {}
    required: set[str] = set()
    found = isinstance(schema.get("properties"), dict)
    if found:
        props.update({str(k): v for k, v in schema["properties"].items()})
        required.update(str(r) for r in schema.get("required") or [])
    for member in schema.get("allOf") or []:
        if (part := _object_parts(member, defs, seen)) is not None:
            found = True
            props.update(part[0])
            required |= part[1]
    for key in ("oneOf", "anyOf"):
        variants = [v for v in schema.get(key) or [] if v != {"type": "null"}]
        parts = [p for v in variants if (p := _object_parts(v, defs, seen)) is not None]
        if variants and len(parts) == len(variants):
            found = True
            for variant_props, _ in parts:
                props.update({k: v for k, v in variant_props.items() if k not in props})
            required |= set.intersection(*(variant_required for _, variant_required in parts))
    return (props, required) if found else None


def _compare_schema(name: str, pdefs: Schemas, odefs: Schemas) -> list[SchemaDifference]:
    diffs: list[SchemaDifference] = []

    def add(prop: str, kind: DiffKind, published: object, ours: object) -> None:
        diffs.append(SchemaDifference(name, prop, kind, str(published), str(ours)))

    pub_parts, our_parts = _object_parts(pdefs[name], pdefs), _object_parts(odefs[name], odefs)
    if pub_parts is None or our_parts is None:
        pub_shape, our_shape = shape_of(pdefs[name]), shape_of(odefs[name])
        if not _compatible(pub_shape, our_shape, pdefs, odefs):
            add("", "type", pub_shape, our_shape)
        pub_enum, our_enum = _enum(pdefs[name]), _enum(odefs[name])
        if pub_enum is not None and our_enum is not None and pub_enum != our_enum:
            add("", "enum", ", ".join(sorted(pub_enum)), ", ".join(sorted(our_enum)))
        return diffs
    (pub_props, pub_req), (our_props, our_req) = pub_parts, our_parts
    for prop in sorted(pub_props.keys() | our_props.keys()):
        if prop not in our_props:
            add(prop, "only_published", shape_of(pub_props[prop]), "-")
        elif prop not in pub_props:
            add(prop, "only_ours", "-", shape_of(our_props[prop]))
        else:
            pub_shape, our_shape = shape_of(pub_props[prop]), shape_of(our_props[prop])
            if not _compatible(pub_shape, our_shape, pdefs, odefs):
                add(prop, "type", pub_shape, our_shape)
            flags: tuple[tuple[DiffKind, bool, bool], ...] = (
                ("required", prop in pub_req, prop in our_req),
                ("nullable", pub_shape.nullable, our_shape.nullable),
            )
            for kind, pub_flag, our_flag in flags:
                if pub_flag != our_flag:
                    add(prop, kind, _flag(pub_flag, kind), _flag(our_flag, kind))
    return diffs


def _enum(schema: object) -> frozenset[str] | None:
    values = schema.get("enum") if isinstance(schema, dict) else None
    return frozenset(map(str, values)) if isinstance(values, list) else None


def _flag(value: bool, word: str) -> str:
    return word if value else f"not {word}"


def diff_specs(
    published: Mapping[str, Any],
    ours: Mapping[str, Any],
    published_source: str = "published",
    ours_source: str = "ours",
) -> SpecDiff:
    """Compare two loaded OpenAPI 3 documents (see `load_spec`)."""
    pub_routes, our_routes = _routes(published), _routes(ours)
    pdefs, odefs = _schemas(published), _schemas(ours)
    differences: list[SchemaDifference] = []
    for name in sorted(pdefs.keys() & odefs.keys()):
        differences.extend(_compare_schema(name, pdefs, odefs))
    return SpecDiff(
        published_source=published_source,
        ours_source=ours_source,
        routes_only_published=tuple(sorted(pub_routes[k] for k in pub_routes.keys() - our_routes)),
        routes_only_ours=tuple(sorted(our_routes[k] for k in our_routes.keys() - pub_routes)),
        schemas_only_published=tuple(sorted(pdefs.keys() - odefs.keys())),
        schemas_only_ours=tuple(sorted(odefs.keys() - pdefs.keys())),
        schema_differences=tuple(differences),
    )


_TITLES: dict[str, str] = {
    "routes_only_published": "Routes only in the published spec",
    "routes_only_ours": "Routes only in ours",
    "schemas_only_published": "Schemas only in the published spec",
    "schemas_only_ours": "Schemas only in ours",
    "only_published": "Properties only in the published spec",
    "only_ours": "Properties only in ours",
    "type": "Incompatible property types (published -> ours)",
    "required": "Required differences",
    "nullable": "Nullable differences",
    "enum": "Enum differences",
}


def format_report(diff: SpecDiff) -> str:
    """The human-readable report printed by the CLI, ending with a one-line summary."""
    lines = [f"published: {diff.published_source}", f"ours:      {diff.ours_source}"]
    counts: list[str] = []
    for key, title in _TITLES.items():
        items: Sequence[object] = (
            getattr(diff, key)
            if key.startswith(("routes", "schemas"))
            else [d for d in diff.schema_differences if d.kind == key]
        )
        lines.append(f"{title} ({len(items)}){':' if items else ''}")
        lines.extend(f"  {item}" for item in items)
        counts.append(f"{len(items)} {key}")
    summary = "no differences" if diff.is_empty else ", ".join(counts)
    return "\n".join([*lines, f"Summary: {summary}"])


def main(argv: Sequence[str] | None = None) -> int:
    """The `python -m mock_server.spec_diff` command line; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m mock_server.spec_diff",
        description="Compare a published TGI OpenAPI document with our openapi.yaml.",
    )
    parser.add_argument("spec", help="published OpenAPI document: a file (JSON/YAML) or an URL")
    parser.add_argument("--ours", help=f"our OpenAPI document (default: {_DEFAULT_OURS.name})")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--fail-on-diff", action="store_true", help="exit 1 when anything differs")
    args = parser.parse_args(argv)
    ours_source = args.ours or str(_DEFAULT_OURS if _DEFAULT_OURS.exists() else "openapi.yaml")
    try:
        published, ours = load_spec(args.spec), load_spec(ours_source)
        diff = diff_specs(published, ours, args.spec, ours_source)
    except SpecError as exc:
        print(f"spec-diff: error: {' '.join(str(exc).split())}", file=sys.stderr)
        return 2
    print(json.dumps(diff.to_json(), indent=2) if args.json else format_report(diff))
    return 1 if args.fail_on_diff and not diff.is_empty else 0


if __name__ == "__main__":
    sys.exit(main())
