"""Property tests (hypothesis): for generated JSON Schemas and regexes that outlines-core compiles,
the mock's structured text matches TGI's regex in full, ends in EOS and validates (jsonschema), and
tool-call arguments always fit `parameters`.
Bounded: a few dozen examples each, no deadline (the machine is shared)."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import jsonschema  # type: ignore[import-untyped]
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tgi_mock import structured, tools
from tgi_mock.grammar import compile_grammar
from tgi_mock.tokenizer import EOS_ID

BOUNDED = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

_NAMES = st.sampled_from(["name", "city", "unit", "count", "tags", "point", "note", "kind"])


@st.composite
def _string(draw: st.DrawFn) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    choice = draw(st.sampled_from(["plain", "length", "pattern", "enum", "const"]))
    if choice == "length":
        low = draw(st.integers(0, 6))
        schema.update(minLength=low, maxLength=low + draw(st.integers(0, 20)))
    elif choice == "pattern":
        schema["pattern"] = draw(st.sampled_from(["^[A-Z]{3}-[0-9]{2}$", "^[a-z]+$", "^x?y+$"]))
    elif choice == "enum":
        schema = {"enum": draw(st.lists(st.text(max_size=6), min_size=1, max_size=4, unique=True))}
    elif choice == "const":
        schema = {"const": draw(st.text(max_size=8))}
    return schema


@st.composite
def _number(draw: st.DrawFn) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": draw(st.sampled_from(["integer", "number"]))}
    if draw(st.booleans()):
        low = draw(st.integers(-50, 50))
        schema.update(minimum=low, maximum=low + draw(st.integers(0, 100)))
    return schema


# No `{}` leaf: outlines-core writes "any value" as an unbracketed alternation
# `(true|false)|(null)|...`, so inside an object TGI's regex admits no complete JSON for it.
_LEAF = st.one_of(_string(), _number(), st.just({"type": "boolean"}), st.just({"type": "null"}))


def _extend(children: st.SearchStrategy[dict[str, Any]]) -> st.SearchStrategy[dict[str, Any]]:
    @st.composite
    def obj(draw: st.DrawFn) -> dict[str, Any]:
        props = draw(st.dictionaries(_NAMES, children, min_size=1, max_size=4))
        required = draw(st.lists(st.sampled_from(sorted(props)), unique=True))
        schema: dict[str, Any] = {"type": "object", "properties": props, "required": required}
        if draw(st.booleans()):
            schema["additionalProperties"] = False
        return schema

    @st.composite
    def arr(draw: st.DrawFn) -> dict[str, Any]:
        low = draw(st.integers(0, 3))
        return {
            "type": "array",
            "items": draw(children),
            "minItems": low,
            "maxItems": low + draw(st.integers(0, 3)),
        }

    any_of = st.lists(children, min_size=1, max_size=3).map(lambda xs: {"anyOf": xs})
    return st.one_of(obj(), arr(), any_of)


_SCHEMA = st.recursive(_LEAF, _extend, max_leaves=8)


@st.composite
def root_schemas(draw: st.DrawFn) -> dict[str, Any]:
    """An object schema (TGI needs `properties`), sometimes with `$defs` and a `$ref`."""
    props = draw(st.dictionaries(_NAMES, _SCHEMA, min_size=1, max_size=4))
    schema: dict[str, Any] = {
        "type": "object",
        "properties": props,
        "required": draw(st.lists(st.sampled_from(sorted(props)), unique=True)),
    }
    if draw(st.booleans()):
        schema["$defs"] = {"shared": draw(_SCHEMA)}
        schema["properties"]["ref"] = {"$ref": "#/$defs/shared"}
    return schema


def _decoded(grammar: dict[str, Any], key: str, budget: int = 400) -> tuple[str, bool]:
    tokens = structured.tokens_for(grammar, key, budget)
    return structured.walk_text(tokens, EOS_ID), bool(tokens) and tokens[-1][0] == EOS_ID


# The issue's "few hundred varied schemas": 300 hypothesis-drawn schemas (strings with lengths,
# patterns, enums and consts; bounded numbers; booleans; nulls; nested objects with `required`
# and `additionalProperties: false`; arrays with item counts; `anyOf`; `$defs` with a `$ref`).
@pytest.mark.timeout(900)
@settings(BOUNDED, max_examples=300)
@given(schema=root_schemas(), key=st.text(max_size=12))
def test_schema_text_always_validates(schema: dict[str, Any], key: str) -> None:
    grammar = {"type": "json", "value": schema}
    try:
        regex = compile_grammar(grammar)
    except structured.GrammarError as error:  # outlines-core's refusal, as TGI words it
        refusal = error.inner
        assert refusal.startswith("cannot compile regex from schema: ")
        return
    text, finished = _decoded(grammar, key)
    assert finished
    assert re.fullmatch(regex, text), (regex, text)  # TGI's regex, in full
    jsonschema.validate(json.loads(text), schema)
    assert _decoded(grammar, key)[0] == text  # deterministic


_ATOM = st.sampled_from(["a", "b", "[a-z]", "[0-9]", r"\d", "[A-F0-9]", "x", r"\.", "-"])


def _regex_extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    quantified = st.tuples(inner, st.sampled_from(["?", "+", "*", "{2}", "{1,3}"])).map(
        lambda pair: f"(?:{pair[0]}){pair[1]}"
    )
    alternation = st.lists(inner, min_size=2, max_size=3).map(lambda xs: "(" + "|".join(xs) + ")")
    sequence = st.lists(inner, min_size=2, max_size=4).map("".join)
    return st.one_of(quantified, alternation, sequence)


@BOUNDED
@given(pattern=st.recursive(_ATOM, _regex_extend, max_leaves=10), key=st.text(max_size=12))
def test_regex_text_always_matches_in_full(pattern: str, key: str) -> None:
    text, finished = _decoded({"type": "regex", "value": pattern}, key)
    assert finished
    assert re.fullmatch(pattern, text), (pattern, text)


@BOUNDED
@given(parameters=root_schemas(), key=st.text(max_size=12))
def test_forced_tool_arguments_always_fit_the_parameters(
    parameters: dict[str, Any], key: str
) -> None:
    tool = {"type": "function", "function": {"name": "f", "arguments": parameters}}
    try:
        plan = tools.choose([tool], "f", "call f", key)
    except structured.GrammarError as error:
        refusal = error.inner
        assert refusal.startswith("cannot compile regex from schema: ")
        return
    assert plan is not None
    regex = compile_grammar({"type": "json", "value": tools.tool_grammar([tool])})
    assert re.fullmatch(regex, structured.walk_text(plan.tokens, EOS_ID))
    jsonschema.validate(plan.arguments, parameters)
    assert set(plan.arguments) <= set(parameters["properties"])  # TGI's grammar: no other keys


@settings(max_examples=8, deadline=None, derandomize=True)
@given(schema=root_schemas())
def test_the_server_sends_only_valid_json(tgi_mock_server: Any, schema: dict[str, Any]) -> None:
    body = {"inputs": "x", "parameters": {"grammar": {"type": "json", "value": schema}}}
    answer = httpx.post(f"{tgi_mock_server.url}/generate", json=body, timeout=30)
    if answer.status_code == 422:
        assert "cannot compile regex from schema: " in answer.json()["error"]
        return
    assert answer.status_code == 200
    jsonschema.validate(json.loads(answer.json()["generated_text"]), schema)
