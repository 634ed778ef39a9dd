"""
The JSON a well-behaved model would write for a schema: a target for constrained decoding.

TGI's regular expression (outlines-core) enforces the shape of the JSON (types, property order,
`required`, `enum`, `const`, string lengths and formats, item counts) but not every keyword
(`minimum`, `maximum`, `multipleOf`, `uniqueItems`, ...). `target(schema, rng)` draws a value that
also satisfies those, and writes it as compact JSON in the order the regex wants, as a list of
segments: literal text, and `HOLE` where the mock has no value of its own (a string `pattern`),
which decoding (`tgi_mock.decoding`) fills with whatever the grammar allows. With `bend=True` the
value breaks the keywords the regex leaves unenforced where it can (numbers outside their bounds
or off their `multipleOf`, repeated items under `uniqueItems`), for teams that test their own
validation. Decoding checks every token against the grammar, so a wrong guess here is never sent.
"""

from __future__ import annotations

import json
import math
import random
from typing import Any

__all__ = ["HOLE", "Segment", "target"]

HOLE = object()
"""A place in the target that decoding fills as the grammar allows (a string's content)."""

Segment = str | object

_WORDS = ("alpha", "bravo", "delta", "echo", "sky", "blue", "river", "north", "lima", "oslo")
_FORMATS = {
    "date-time": "2024-05-17T09:30:00Z",
    "date": "2024-05-17",
    "time": "09:30:00",
    "uuid": "123e4567-e89b-42d3-a456-426614174000",
    "email": "user@example.com",
    "uri": "https://example.com/",
}
_MAX_DEPTH = 3


class _Pattern:
    """A string the mock cannot spell itself: decoding writes it."""


def _resolve(ref: str, root: Any) -> Any:
    node = root
    for raw in ref.lstrip("#").strip("/").split("/") if ref not in ("#", "#/") else []:
        part = raw.replace("~1", "/").replace("~0", "~")
        node = node[int(part)] if isinstance(node, list) else node.get(part, {})
    return node


def _merge(parts: list[Any]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for part in parts:
        if not isinstance(part, dict):
            continue
        for key, value in part.items():
            if key in ("properties", "$defs") and isinstance(merged.get(key), dict):
                merged[key] = {**merged[key], **value}
            elif key == "required":
                merged[key] = list(dict.fromkeys([*merged.get(key, []), *value]))
            else:
                merged[key] = value
    return merged


class _Maker:
    def __init__(self, root: Any, rng: random.Random, bend: bool) -> None:
        self.root, self.rng, self.bend = root, rng, bend

    def value(self, schema: Any, depth: int = 0) -> Any:
        if schema is True or not isinstance(schema, dict) or not schema:
            # outlines-core writes "any value" as `(true|false)|(null)|...` unbracketed: only the
            # first alternative stays in place, so a boolean is what TGI's grammar allows there.
            return self.rng.random() < 0.5
        if "$ref" in schema:
            if depth > _MAX_DEPTH:
                return None
            return self.value(_resolve(str(schema["$ref"]), self.root), depth + 1)
        if "allOf" in schema:
            rest = {k: v for k, v in schema.items() if k != "allOf"}
            return self.value(_merge([*schema["allOf"], rest]), depth)
        for key in ("anyOf", "oneOf"):
            if schema.get(key):
                return self.value(self.rng.choice(schema[key]), depth + 1)
        if "const" in schema:
            return schema["const"]
        if schema.get("enum"):
            return self.rng.choice(schema["enum"])
        kind = schema.get("type")
        if isinstance(kind, list):
            kind = self.rng.choice([k for k in kind if k != "null"] or kind)
        if kind is None:
            kind = (
                "object" if "properties" in schema else "array" if "items" in schema else "string"
            )
        make = getattr(self, f"_{kind}", None)
        return make(schema, depth) if make is not None else None

    def _object(self, schema: dict[str, Any], depth: int) -> dict[str, Any]:
        properties = schema.get("properties") or {}
        required = set(schema.get("required") or [])
        out: dict[str, Any] = {}
        for name, sub in properties.items():
            if name in required or (depth < _MAX_DEPTH and self.rng.random() < 0.75):
                out[name] = self.value(sub, depth + 1)
        return out

    def _array(self, schema: dict[str, Any], depth: int) -> list[Any]:
        prefix = list(schema.get("prefixItems") or [])
        low = int(schema.get("minItems", 0))
        high = int(schema.get("maxItems", max(low, 3)))
        start = max(low, min(1, high))
        count = self.rng.randint(start, max(high, start))
        items = schema.get("items", {})
        out: list[Any] = []
        for position in range(count):
            sub = prefix[position] if position < len(prefix) else items
            value = self.value(sub, depth + 1)
            if schema.get("uniqueItems") and not self.bend:
                for _ in range(8):
                    if value not in out:
                        break
                    value = self.value(sub, depth + 1)
            out.append(value)
        if schema.get("uniqueItems") and self.bend and out and max(count, high) >= 2:
            out = [out[0]] * max(count, 2)
        return out

    def _string(self, schema: dict[str, Any], depth: int) -> Any:
        fmt = schema.get("format")
        if fmt in _FORMATS:
            return _FORMATS[fmt]
        if "pattern" in schema:
            return _Pattern()
        low = int(schema.get("minLength", 0))
        high = int(schema.get("maxLength", max(low, 24)))
        words = " ".join(self.rng.choice(_WORDS) for _ in range(4))
        while len(words) < low:
            words += " " + self.rng.choice(_WORDS)
        size = min(len(words), high) if high >= low else low
        return words[: max(size, low)].rstrip() if low == 0 else words[: max(size, low)]

    def _bounds(self, schema: dict[str, Any]) -> tuple[float | None, float | None]:
        low, high = schema.get("minimum"), schema.get("maximum")
        if isinstance(schema.get("exclusiveMinimum"), int | float):
            low = schema["exclusiveMinimum"] + (1 if schema.get("type") == "integer" else 0.01)
        if isinstance(schema.get("exclusiveMaximum"), int | float):
            high = schema["exclusiveMaximum"] - (1 if schema.get("type") == "integer" else 0.01)
        return low, high

    def _integer(self, schema: dict[str, Any], depth: int) -> int:
        low, high = self._bounds(schema)
        if self.bend and (low is not None or high is not None):
            return math.floor(low) - 1 if low is not None else math.ceil(high or 0) + 1
        lo = math.ceil(low) if low is not None else (0 if high is None or high >= 0 else high - 50)
        lo = int(lo)
        hi = math.floor(high) if high is not None else lo + 100
        step = schema.get("multipleOf")
        if isinstance(step, int) and step > 0:
            first = -(-lo // step) * step
            if self.bend:
                return first + 1 if step > 1 else first
            if first <= hi:
                return first + step * self.rng.randint(0, max((hi - first) // step, 0) // 4)
        return self.rng.randint(int(lo), int(max(hi, lo)))

    def _number(self, schema: dict[str, Any], depth: int) -> float | int:
        low, high = self._bounds(schema)
        if self.bend and (low is not None or high is not None):
            return (low - 1.5) if low is not None else (high or 0) + 1.5
        step = schema.get("multipleOf")
        if isinstance(step, int | float) and step > 0:
            lo = low if low is not None else 0
            value = math.ceil(lo / step) * step
            return int(value) if float(value).is_integer() else round(value, 10)
        lo = low if low is not None else 0.0
        hi = high if high is not None else lo + 100.0
        return round(self.rng.uniform(lo, hi), 2) if hi > lo else lo

    def _boolean(self, schema: dict[str, Any], depth: int) -> bool:
        return self.rng.random() < 0.5

    def _null(self, schema: dict[str, Any], depth: int) -> None:
        return None


def _render(value: Any, out: list[Segment], spaced: bool = False) -> None:
    comma, colon = (", ", ": ") if spaced else (",", ":")
    if isinstance(value, _Pattern):
        out += ['"', HOLE, '"']
    elif isinstance(value, dict):
        out.append("{")
        for position, (key, item) in enumerate(value.items()):
            out.append((comma if position else "") + json.dumps(key, ensure_ascii=False) + colon)
            _render(item, out, spaced)
        out.append("}")
    elif isinstance(value, list):
        out.append("[")
        for position, item in enumerate(value):
            if position:
                out.append(comma)
            _render(item, out, spaced)
        out.append("]")
    else:
        out.append(json.dumps(value, ensure_ascii=False))


def target(
    schema: Any, rng: random.Random, bend: bool = False, spaced: bool = False, root: Any = None
) -> list[Segment]:
    """Segments of JSON for `schema` (literal text and `HOLE`s), drawn with `rng`: compact, or
    with `, ` and `: ` when `spaced`. `root` (default: the schema) resolves `$ref`s."""
    segments: list[Segment] = []
    _render(_Maker(schema if root is None else root, rng, bend).value(schema), segments, spaced)
    merged: list[Segment] = []
    for segment in segments:
        if isinstance(segment, str) and merged and isinstance(merged[-1], str):
            merged[-1] += segment
        else:
            merged.append(segment)
    return merged
