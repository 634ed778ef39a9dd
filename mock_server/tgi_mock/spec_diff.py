"""
Compare a published TGI OpenAPI document with our hand-written `openapi.yaml`.

`python -m tgi_mock.spec_diff SPEC [--ours openapi.yaml] [--json] [--fail-on-diff]`, where SPEC
is a file (JSON or YAML) or an http(s) URL, and `--ours` defaults to the `openapi.yaml` installed
with the package (in a source checkout, the one at its root). The report lists, in both
directions: routes (method + path, path parameter names ignored), schema names, and for every
schema both documents define (matched by name): properties present on one side only, properties
whose types are incompatible, required and nullable differences, and enum values.

Types are compared by `tgi_mock.spec_shapes` (see its docstring for the rules).

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

from tgi_mock.extras import MissingExtraError, require
from tgi_mock.spec_shapes import Schemas, Shape, compatible, object_parts, shape_of

__all__ = [
    "Route",
    "SchemaDifference",
    "Shape",
    "SpecDiff",
    "SpecError",
    "default_ours",
    "diff_specs",
    "format_report",
    "load_spec",
    "main",
    "shape_of",
]

DiffKind = Literal["only_published", "only_ours", "type", "required", "nullable", "enum"]
_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_PACKAGED = Path(__file__).resolve().parent / "contract" / "openapi.yaml"
_CHECKOUT = Path(__file__).resolve().parents[2] / "openapi.yaml"


def default_ours() -> Path:
    """Our `openapi.yaml`: the packaged copy (a wheel), else the checkout's (a source tree)."""
    return _PACKAGED if _PACKAGED.is_file() else _CHECKOUT


class SpecError(Exception):
    """Raised when a document cannot be read, fetched or parsed, or is not an OpenAPI 3 document."""


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
    import yaml

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


def _compare_schema(name: str, pdefs: Schemas, odefs: Schemas) -> list[SchemaDifference]:
    diffs: list[SchemaDifference] = []

    def add(prop: str, kind: DiffKind, published: object, ours: object) -> None:
        diffs.append(SchemaDifference(name, prop, kind, str(published), str(ours)))

    pub_parts, our_parts = object_parts(pdefs[name], pdefs), object_parts(odefs[name], odefs)
    if pub_parts is None or our_parts is None:
        pub_shape, our_shape = shape_of(pdefs[name]), shape_of(odefs[name])
        if not compatible(pub_shape, our_shape, pdefs, odefs):
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
            if not compatible(pub_shape, our_shape, pdefs, odefs):
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
    """The `python -m tgi_mock.spec_diff` command line; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m tgi_mock.spec_diff",
        description="Compare a published TGI OpenAPI document with our openapi.yaml.",
    )
    parser.add_argument("spec", help="published OpenAPI document: a file (JSON/YAML) or an URL")
    parser.add_argument(
        "--ours", help="our OpenAPI document (default: the openapi.yaml installed with tgi_mock)"
    )
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--fail-on-diff", action="store_true", help="exit 1 when anything differs")
    args = parser.parse_args(argv)
    ours_source = args.ours or str(default_ours())
    try:
        require("python -m tgi_mock.spec_diff", ("yaml",))
    except MissingExtraError as error:
        print(f"spec-diff: error: {error}", file=sys.stderr)
        return 2
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
