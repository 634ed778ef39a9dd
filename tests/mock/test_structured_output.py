"""Grammars on the generation routes and `response_format` on chat: the mock's text is what the
grammar allows, deterministic, streamed token by token; what it cannot satisfy is a clear 422."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import jsonschema  # type: ignore[import-untyped]
import pytest

from tests.mock.helpers import sse_json, stream
from tgi_mock.pytest_plugin import TGIMock

PERSON: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "firstName": {"type": "string", "minLength": 4},
        "lastName": {"type": "string", "minLength": 4},
        "hobby": {"type": "string", "minLength": 4},
        "numCats": {"type": "integer", "minimum": 0},
    },
    "required": ["firstName", "lastName", "hobby", "numCats"],
}
KEYWORDS: dict[str, Any] = {
    "type": "object",
    "$defs": {
        "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
        "point": {
            "type": "object",
            "properties": {"x": {"type": "number", "minimum": -5, "maximum": 5}},
            "required": ["x"],
            "additionalProperties": False,
        },
    },
    "properties": {
        "unit": {"$ref": "#/$defs/unit"},
        "kind": {"const": "weather"},
        "code": {"type": "string", "pattern": "^[A-Z]{3}-[0-9]{2}$"},
        "where": {"anyOf": [{"$ref": "#/$defs/point"}, {"type": "string", "minLength": 2}]},
        "days": {"type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 4},
        "address": {
            "type": "object",
            "properties": {"street": {"type": "string"}, "city": {"type": "string"}},
            "required": ["street", "city"],
        },
    },
    "required": ["unit", "kind", "code", "where", "days", "address"],
    "additionalProperties": False,
}
IP = r"((25[0-5]|2[0-4]\d|[01]?\d\d?)\.){3}(25[0-5]|2[0-4]\d|[01]?\d\d?)"


def _generate(http: httpx.Client, grammar: dict[str, Any], inputs: str = "Tell me") -> str:
    body = {"inputs": inputs, "parameters": {"grammar": grammar, "max_new_tokens": 300}}
    answer = http.post("/generate", json=body)
    assert answer.status_code == 200, answer.text
    return str(answer.json()["generated_text"])


@pytest.mark.parametrize("schema", [PERSON, KEYWORDS], ids=["person", "keywords"])
@pytest.mark.parametrize("as_string", [False, True], ids=["object", "json-string"])
def test_json_grammar_gives_json_valid_for_the_schema(
    http: httpx.Client, schema: dict[str, Any], as_string: bool
) -> None:
    value = json.dumps(schema) if as_string else schema
    text = _generate(http, {"type": "json", "value": value})
    jsonschema.validate(json.loads(text), schema)


def test_regex_grammar_matches_in_full_on_generate_and_compat(http: httpx.Client) -> None:
    assert re.fullmatch(IP, _generate(http, {"type": "regex", "value": IP}))
    body = {
        "inputs": "Whats Googles DNS",
        "parameters": {
            "grammar": {"type": "regex", "value": IP},
            "return_full_text": False,
            "max_new_tokens": 20,
        },
    }
    [answer] = http.post("/", json=body).json()
    assert re.fullmatch(IP, answer["generated_text"])


def test_same_prompt_and_seed_same_text_other_prompt_other_text(http: httpx.Client) -> None:
    grammar = {"type": "json", "value": PERSON}
    first = _generate(http, grammar, "Describe David")
    assert _generate(http, grammar, "Describe David") == first
    assert len({_generate(http, grammar, f"Describe person {i}") for i in range(4)}) > 1


def test_stream_tokens_join_to_the_final_text(http: httpx.Client) -> None:
    body = {
        "inputs": "Tell me",
        "parameters": {"grammar": {"type": "json", "value": KEYWORDS}, "max_new_tokens": 300},
    }
    _, raw = stream(http, "/generate_stream", body)
    events = sse_json(raw)
    joined = "".join(e["token"]["text"] for e in events if not e["token"]["special"])
    assert joined == events[-1]["generated_text"]
    jsonschema.validate(json.loads(joined), KEYWORDS)
    assert len(events) > 3


def test_max_new_tokens_cuts_a_grammar_answer_with_length_as_tgi(http: httpx.Client) -> None:
    body = {
        "inputs": "Tell me",
        "parameters": {
            "grammar": {"type": "json", "value": KEYWORDS},
            "max_new_tokens": 3,
            "details": True,
        },
    }
    answer = http.post("/generate", json=body).json()
    assert answer["details"]["finish_reason"] == "length"
    assert answer["details"]["generated_tokens"] == 3


_CHAT = {"model": "tgi", "seed": 7, "messages": [{"role": "user", "content": "Weather in Paris?"}]}


@pytest.mark.parametrize(
    "response_format",
    [
        {"type": "json", "value": PERSON},
        {"type": "json_object", "value": PERSON},
        {"type": "json_schema", "value": {"name": "person", "strict": True, "schema": PERSON}},
    ],
    ids=["json", "json_object", "json_schema"],
)
def test_response_format_constrains_chat_content(
    http: httpx.Client, response_format: dict[str, Any]
) -> None:
    body = {**_CHAT, "response_format": response_format}
    content = http.post("/v1/chat/completions", json=body).json()["choices"][0]["message"]
    jsonschema.validate(json.loads(content["content"]), PERSON)
    _, raw = stream(http, "/v1/chat/completions", {**body, "stream": True})
    chunks = [c for c in sse_json(raw) if c != "[DONE]"]
    joined = "".join(c["choices"][0]["delta"]["content"] for c in chunks)
    assert joined == content["content"]


def test_regex_response_format(http: httpx.Client) -> None:
    body = {**_CHAT, "response_format": {"type": "regex", "value": IP}}
    content = http.post("/v1/chat/completions", json=body).json()["choices"][0]["message"]
    assert re.fullmatch(IP, content["content"])


@pytest.mark.parametrize(
    ("schema", "words"),
    [
        # outlines-core's own reasons, as TGI's router words them.
        (
            {"properties": {"a": {"type": "string", "minLength": 5, "maxLength": 2}}},
            ["maxLength must be greater than or equal to minLength"],
        ),
        (
            {"properties": {"a": {"$ref": "https://example.com/a.json"}}},
            ["Invalid reference path"],
        ),
        (
            {"properties": {"h": {"type": "string", "format": "hostname"}}},
            ["Format hostname is not supported by Outlines"],
        ),
        # What outlines-core compiles, TGI accepts, even when no value satisfies every keyword.
        ({"properties": {"n": {"type": "integer", "minimum": 3, "maximum": 1}}}, []),
        ({"properties": {"u": {"enum": []}}}, []),
        ({"properties": {}, "required": ["a"], "additionalProperties": False}, []),
        ({"type": "object", "properties": {"a": {"type": "string", "pattern": "^a$"}}}, []),
    ],
)
def test_a_schema_outlines_core_refuses_is_tgis_422_with_its_reason(
    http: httpx.Client, schema: dict[str, Any], words: list[str]
) -> None:
    body = {"inputs": "x", "parameters": {"grammar": {"type": "json", "value": schema}}}
    answer = http.post("/generate", json=body)
    if not words:  # a satisfiable control: the same route answers 200
        assert answer.status_code == 200
        return
    assert answer.status_code == 422
    error = answer.json()
    assert error["error_type"] == "validation"
    assert error["error"].startswith("Input validation error: cannot compile regex from schema: ")
    for word in words:
        assert word in error["error"]


def test_invalid_grammars_are_refused_as_tgi(http: httpx.Client) -> None:
    def error(grammar: dict[str, Any]) -> str:
        answer = http.post("/generate", json={"inputs": "x", "parameters": {"grammar": grammar}})
        assert answer.status_code == 422
        return str(answer.json()["error"])

    assert error({"type": "json", "value": {"type": "object"}}) == (
        "Input validation error: grammar is not valid: Grammar must have a 'properties' field"
    )
    assert error({"type": "json", "value": {"type": 5, "properties": {}}}).startswith(
        "Input validation error: grammar is not valid: "
    )
    assert "invalid regex" in error({"type": "regex", "value": "(unclosed"})


def test_disable_grammar_support_refuses_every_grammar(
    tgi_mock: TGIMock, http: httpx.Client
) -> None:
    tgi_mock.config.disable_grammar_support = True
    message = "Input validation error: grammar is not supported"
    grammar = {"type": "regex", "value": "[a-z]+"}
    answer = http.post("/generate", json={"inputs": "x", "parameters": {"grammar": grammar}})
    assert answer.status_code == 422
    assert answer.json() == {"error": message, "error_type": "validation"}
    body = {"inputs": "x", "parameters": {"grammar": grammar}}
    _, raw = stream(http, "/generate_stream", body)
    assert sse_json(raw) == [{"error": message, "error_type": "validation"}]
    chat = http.post("/v1/chat/completions", json={**_CHAT, "response_format": grammar})
    assert chat.status_code == 422
    assert chat.json()["error"] == message


def test_scripted_json_is_sent_when_the_grammar_allows_it(
    tgi_mock: TGIMock, http: httpx.Client
) -> None:
    person = {"firstName": "David", "lastName": "Holtz", "hobby": "Trees", "numCats": 2}
    tgi_mock.script_json("Describe David", person)
    grammar = {"type": "json", "value": PERSON}
    assert json.loads(_generate(http, grammar, "Describe David")) == person
    # A scripted answer the grammar forbids is never sent: the mock makes a conforming one.
    tgi_mock.script_json("Describe David", {"firstName": "Al"})
    text = _generate(http, grammar, "Describe David")
    assert json.loads(text) != {"firstName": "Al"}
    jsonschema.validate(json.loads(text), PERSON)


def test_grammar_ignored_breakage_gives_free_text(tgi_mock: TGIMock, http: httpx.Client) -> None:
    tgi_mock.config.breakages = ["grammar-ignored"]
    text = _generate(http, {"type": "regex", "value": "[0-9]{3}"}, "count")
    assert re.fullmatch("[0-9]{3}", text) is None


@pytest.mark.parametrize(
    "keyword_schema",
    [
        {"type": "string", "format": "email"},
        {"type": "string", "format": "uuid"},
        {"type": "string", "format": "date-time"},
        {"type": "string", "format": "date"},
        {"type": "integer", "multipleOf": 5, "minimum": 1, "maximum": 100},
        {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
        {"oneOf": [{"type": "integer"}, {"type": "string", "minLength": 1}]},
        {"allOf": [{"type": "string", "maxLength": 3}]},
        {"type": "array", "items": {"type": "integer"}, "uniqueItems": True, "minItems": 3},
        {"type": "integer", "minimum": 10, "maximum": 12},
        {"type": "array", "items": {"enum": ["a", "b"]}, "minItems": 3, "maxItems": 3},
    ],
    ids=lambda schema: json.dumps(schema)[:40],
)
def test_the_keywords_the_readme_lists_are_honoured(
    http: httpx.Client, keyword_schema: dict[str, Any]
) -> None:
    schema = {"type": "object", "properties": {"v": keyword_schema}, "required": ["v"]}
    checker = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    for prompt in ("one", "two", "three"):
        value = json.loads(_generate(http, {"type": "json", "value": schema}, prompt))
        assert list(checker.iter_errors(value)) == []
