"""
Typed decoding of request bodies with serde's rejections, as TGI's axum `Json` extractor does.

A body that is JSON but does not fit TGI's Rust types is answered with a plain-text 422
`Failed to deserialize the JSON body into the target type: <path>: <error> at line L column C`.
`decode(node, SPEC)` turns a `jsonwire.Node` into plain Python values (dicts for structs) or raises
`DecodeError` with serde's wording: `invalid type: string "a", expected f32`, `invalid value:
integer `-1`, expected u32`, `missing field `inputs``, `unknown variant ...`. Unknown keys are
ignored, as serde does without `deny_unknown_fields`.

The specs `GENERATE_REQUEST`, `COMPAT_REQUEST`, `CHAT_REQUEST` and `COMPLETION_REQUEST` mirror
`router/src/lib.rs`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tgi_mock.jsonwire import Node

__all__ = [
    "CHAT_REQUEST",
    "COMPAT_REQUEST",
    "COMPLETION_REQUEST",
    "GENERATE_REQUEST",
    "DecodeError",
    "Spec",
    "decode",
]

_INT_RANGES = {
    "u32": (0, 2**32 - 1),
    "u64": (0, 2**64 - 1),
    "usize": (0, 2**64 - 1),
    "i32": (-(2**31), 2**31 - 1),
}


class DecodeError(ValueError):
    """A serde data error; `str()` is the text after axum's `...target type: ` prefix."""


class _Required:
    """Marks a struct field without a default."""


REQUIRED = _Required()


@dataclass(frozen=True)
class Spec:
    """One Rust type: `kind` is str/bool/int/float/opt/seq/struct/any/grammar/prompt/tool_choice."""

    kind: str
    name: str = ""
    inner: Spec | None = None
    fields: tuple[tuple[str, Spec, Any], ...] = ()
    aliases: tuple[tuple[str, str], ...] = ()


def _unexpected(node: Node) -> str:
    if node.kind == "null":
        return "null"
    if node.kind == "bool":
        return f"boolean `{'true' if node.value else 'false'}`"
    if node.kind == "int":
        return f"integer `{node.value}`"
    if node.kind == "float":
        return f"floating point `{repr(node.value).replace('e+', 'e')}`"
    if node.kind == "str":
        return f"string {json.dumps(node.value, ensure_ascii=False)}"
    return "sequence" if node.kind == "list" else "map"


def _expected(spec: Spec) -> str:
    kind = spec.kind
    if kind in ("int", "float"):
        return spec.name
    if kind == "opt" and spec.inner is not None:
        return _expected(spec.inner)
    names = {
        "str": "a string",
        "bool": "a boolean",
        "seq": "a sequence",
        "struct": f"struct {spec.name}",
        "grammar": "adjacently tagged enum GrammarType",
    }
    return names.get(kind, spec.name)


def _path(segments: list[str]) -> str:
    text = ""
    for segment in segments:
        text += segment if segment.startswith("[") or not text else "." + segment
    return text


def _error(segments: list[str], message: str, pos: tuple[int, int]) -> DecodeError:
    prefix = f"{_path(segments)}: " if segments else ""
    return DecodeError(f"{prefix}{message} at line {pos[0]} column {pos[1]}")


def _invalid(segments: list[str], node: Node, spec: Spec) -> DecodeError:
    text = f"invalid type: {_unexpected(node)}, expected {_expected(spec)}"
    return _error(segments, text, node.end)


def decode(node: Node, spec: Spec, segments: list[str] | None = None) -> Any:
    """Decode `node` as `spec`; raises `DecodeError` like serde would."""
    path = [] if segments is None else segments
    handler = _HANDLERS[spec.kind]
    return handler(node, spec, path)


def _str(node: Node, spec: Spec, path: list[str]) -> Any:
    if node.kind != "str":
        raise _invalid(path, node, spec)
    return node.value


def _bool(node: Node, spec: Spec, path: list[str]) -> Any:
    if node.kind != "bool":
        raise _invalid(path, node, spec)
    return node.value


def _int(node: Node, spec: Spec, path: list[str]) -> Any:
    if node.kind != "int":
        raise _invalid(path, node, spec)
    low, high = _INT_RANGES[spec.name]
    if not low <= node.value <= high:
        message = f"invalid value: integer `{node.value}`, expected {spec.name}"
        raise _error(path, message, node.end)
    return node.value


def _float(node: Node, spec: Spec, path: list[str]) -> Any:
    if node.kind not in ("int", "float"):
        raise _invalid(path, node, spec)
    return float(node.value)


def _opt(node: Node, spec: Spec, path: list[str]) -> Any:
    if node.kind == "null":
        return None
    assert spec.inner is not None
    return decode(node, spec.inner, path)


def _seq(node: Node, spec: Spec, path: list[str]) -> Any:
    if node.kind != "list":
        raise _invalid(path, node, spec)
    assert spec.inner is not None
    return [decode(item, spec.inner, [*path, f"[{i}]"]) for i, item in enumerate(node.items)]


def _struct(node: Node, spec: Spec, path: list[str]) -> Any:
    result: dict[str, Any] = {}
    if node.kind == "list":
        for index, (name, field_spec, default) in enumerate(spec.fields):
            if index < len(node.items):
                result[name] = decode(node.items[index], field_spec, [*path, f"[{index}]"])
            elif isinstance(default, _Required):
                message = f"invalid length {index}, expected struct {spec.name}"
                message += f" with {len(spec.fields)} elements"
                raise _error(path, message, node.end)
            else:
                result[name] = default() if callable(default) else default
        return result
    if node.kind != "dict":
        raise _invalid(path, node, spec)
    aliases = dict(spec.aliases)
    seen: set[str] = set()
    wanted = {name: (field_spec, default) for name, field_spec, default in spec.fields}
    for key, item in zip(node.keys, node.items, strict=True):
        name = aliases.get(key, key)
        if name not in wanted:
            continue
        if name in seen:
            raise _error(path, f"duplicate field `{name}`", item.end)
        seen.add(name)
        result[name] = decode(item, wanted[name][0], [*path, key])
    for name, (_field_spec, default) in wanted.items():
        if name in seen:
            continue
        if isinstance(default, _Required):
            raise _error(path, f"missing field `{name}`", node.close)
        result[name] = default() if callable(default) else default
    return result


def _any(node: Node, spec: Spec, path: list[str]) -> Any:
    return node.plain()


_GRAMMAR_VARIANTS = ("json", "json_object", "regex", "json_schema")
_JSON_SCHEMA_CONFIG = Spec(
    "struct",
    "JsonSchemaConfig",
    fields=(("name", Spec("opt", inner=Spec("str")), None), ("schema", Spec("any"), REQUIRED)),
)


def _grammar(node: Node, spec: Spec, path: list[str]) -> Any:
    if node.kind != "dict":
        raise _invalid(path, node, spec)
    tag = node.get("type")
    if tag is None:
        raise _error(path, "missing field `type`", node.close)
    if tag.kind != "str":
        raise _invalid([*path, "type"], tag, Spec("str", "variant identifier"))
    if tag.value not in _GRAMMAR_VARIANTS:
        expected = ", ".join(f"`{name}`" for name in _GRAMMAR_VARIANTS)
        message = f"unknown variant `{tag.value}`, expected one of {expected}"
        raise _error([*path, "type"], message, tag.end)
    value = node.get("value")
    if value is None:
        raise _error(path, "missing field `value`", node.close)
    kind = "json" if tag.value == "json_object" else tag.value
    inner: Spec = {"json": Spec("any"), "regex": Spec("str"), "json_schema": _JSON_SCHEMA_CONFIG}[
        kind
    ]
    return {"type": kind, "value": decode(value, inner, [*path, "value"])}


def _tool_choice(node: Node, spec: Spec, path: list[str]) -> Any:
    """`ToolTypeDeserializer` (untagged): null, a string or `{type: function, function: {name}}`."""
    if node.kind in ("null", "str"):
        return node.value if node.kind == "str" else None
    tag, function = (
        (node.get("type"), node.get("function")) if node.kind == "dict" else (None, None)
    )
    name = function.get("name") if function is not None and function.kind == "dict" else None
    if tag is not None and tag.value == "function" and name is not None and name.kind == "str":
        return {"type": "function", "function": {"name": name.value}}
    message = "data did not match any variant of untagged enum ToolTypeDeserializer"
    raise _error(path, message, node.end)


def _prompt(node: Node, spec: Spec, path: list[str]) -> Any:
    if node.kind == "str":
        return [node.value]
    if node.kind == "list":
        if not node.items:
            message = "Empty array detected. Do not use an empty array for the prompt."
            raise _error(path, message, node.end)
        return [decode(item, Spec("str"), [*path, f"[{i}]"]) for i, item in enumerate(node.items)]
    message = f"invalid type: {_unexpected(node)}, expected a string or an array of strings"
    raise _error(path, message, node.end)


_HANDLERS: dict[str, Callable[[Node, Spec, list[str]], Any]] = {
    "str": _str,
    "bool": _bool,
    "int": _int,
    "float": _float,
    "opt": _opt,
    "seq": _seq,
    "struct": _struct,
    "any": _any,
    "grammar": _grammar,
    "prompt": _prompt,
    "tool_choice": _tool_choice,
}


def _o(kind: str, name: str = "") -> Spec:
    return Spec("opt", inner=Spec(kind, name))


_STR, _BOOL = Spec("str"), Spec("bool")
_STRINGS = Spec("seq", inner=_STR)

GENERATE_PARAMETERS = Spec(
    "struct",
    "GenerateParameters",
    fields=(
        ("best_of", _o("int", "usize"), None),
        ("temperature", _o("float", "f32"), None),
        ("repetition_penalty", _o("float", "f32"), None),
        ("frequency_penalty", _o("float", "f32"), None),
        ("top_k", _o("int", "i32"), None),
        ("top_p", _o("float", "f32"), None),
        ("typical_p", _o("float", "f32"), None),
        ("do_sample", _BOOL, False),
        ("max_new_tokens", _o("int", "u32"), None),
        ("return_full_text", _o("bool"), None),
        ("stop", _STRINGS, list),
        ("truncate", _o("int", "usize"), None),
        ("watermark", _BOOL, False),
        ("details", _BOOL, False),
        ("decoder_input_details", _BOOL, False),
        ("seed", _o("int", "u64"), None),
        ("top_n_tokens", _o("int", "u32"), None),
        ("grammar", Spec("opt", inner=Spec("grammar")), None),
        ("adapter_id", _o("str"), None),
    ),
)
"""`GenerateParameters`; a decoded dict has every key."""

GENERATE_REQUEST = Spec(
    "struct",
    "GenerateRequest",
    fields=(("inputs", _STR, REQUIRED), ("parameters", GENERATE_PARAMETERS, None)),
)
"""`GenerateRequest`; `parameters` is None when the key is absent (TGI then samples)."""

COMPAT_REQUEST = Spec(
    "struct",
    "CompatGenerateRequest",
    fields=(*GENERATE_REQUEST.fields, ("stream", _BOOL, False)),
)
"""`CompatGenerateRequest` of `POST /`."""

_FUNCTION_DEFINITION = Spec(
    "struct",
    "FunctionDefinition",
    fields=(
        ("description", _o("str"), None),
        ("name", _STR, REQUIRED),
        ("arguments", Spec("any"), REQUIRED),
    ),
    aliases=(("parameters", "arguments"),),
)
"""`FunctionDefinition`: `parameters` is a serde alias of `arguments`."""

_TOOL = Spec(
    "struct",
    "Tool",
    fields=(("type", _STR, REQUIRED), ("function", _FUNCTION_DEFINITION, REQUIRED)),
)
_TOOL_CALL = Spec("struct", "ToolCall", fields=(("id", _STR, REQUIRED), *_TOOL.fields))

_MESSAGE = Spec(
    "struct",
    "Message",
    fields=(
        ("role", _STR, REQUIRED),
        ("content", Spec("any"), None),
        ("name", _o("str"), None),
        ("tool_calls", Spec("opt", inner=Spec("seq", inner=_TOOL_CALL)), None),
        ("tool_call_id", _o("str"), None),
    ),
)

CHAT_REQUEST = Spec(
    "struct",
    "ChatRequest",
    fields=(
        ("model", _o("str"), None),
        ("messages", Spec("seq", inner=_MESSAGE), REQUIRED),
        ("frequency_penalty", _o("float", "f32"), None),
        ("logit_bias", Spec("opt", inner=Spec("seq", inner=Spec("float", "f32"))), None),
        ("logprobs", _o("bool"), None),
        ("top_logprobs", _o("int", "u32"), None),
        ("max_tokens", _o("int", "u32"), None),
        ("n", _o("int", "u32"), None),
        ("presence_penalty", _o("float", "f32"), None),
        ("stop", Spec("opt", inner=_STRINGS), None),
        ("stream", _BOOL, False),
        ("seed", _o("int", "u64"), None),
        ("temperature", _o("float", "f32"), None),
        ("top_p", _o("float", "f32"), None),
        ("tools", Spec("opt", inner=Spec("seq", inner=_TOOL)), None),
        ("tool_prompt", _o("str"), None),
        ("tool_choice", Spec("tool_choice"), None),
        ("response_format", Spec("opt", inner=Spec("grammar")), None),
        ("stream_options", Spec("any"), None),
    ),
    aliases=(("max_completion_tokens", "max_tokens"),),
)
"""`ChatRequest` of `/v1/chat/completions`."""

COMPLETION_REQUEST = Spec(
    "struct",
    "CompletionRequest",
    fields=(
        ("model", _o("str"), None),
        ("prompt", Spec("prompt"), REQUIRED),
        ("max_tokens", _o("int", "u32"), None),
        ("temperature", _o("float", "f32"), None),
        ("top_p", _o("float", "f32"), None),
        ("stream", _BOOL, False),
        ("seed", _o("int", "u64"), None),
        ("suffix", _o("str"), None),
        ("repetition_penalty", _o("float", "f32"), None),
        ("frequency_penalty", _o("float", "f32"), None),
        ("stop", Spec("opt", inner=_STRINGS), None),
    ),
)
"""`CompletionRequest` of `/v1/completions`; `prompt` decodes to a list of strings."""
