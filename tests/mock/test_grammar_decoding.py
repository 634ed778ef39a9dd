"""Issue 22: grammars compiled with outlines-core and decoded under its index, the keyword switch
(`--bend-schema`, fault `bend-schema`), and the breakages on the `/v1` routes."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import jsonschema  # type: ignore[import-untyped]
from outlines_core.json_schema import build_regex_from_schema  # type: ignore[import-untyped]

from tgi_mock.pytest_plugin import TGIMock
from tgi_mock.tools import tool_grammar

BOUNDED: dict[str, Any] = {
    "type": "object",
    "properties": {
        "n": {"type": "integer", "minimum": 10, "maximum": 12},
        "x": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
        "tags": {"type": "array", "items": {"type": "integer"}, "uniqueItems": True, "minItems": 3},
    },
    "required": ["n", "x", "tags"],
}

# A parameter named `items` (the schema shape jsf failed on), next to an array of strings with an
# `enum` of strings (the one the old mock called unsatisfiable).
ITEMS_TOOL: dict[str, Any] = {
    "type": "function",
    "function": {
        "name": "add_to_cart",
        "description": "Add items to the cart",
        "parameters": {
            "type": "object",
            "properties": {
                "items": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                "sizes": {"type": "array", "enum": ["s", "m"]},
                "quantity": {"type": "integer", "minimum": 1},
            },
            "required": ["items", "quantity"],
        },
    },
}


def _generate(http: httpx.Client, schema: dict[str, Any], headers: dict[str, str]) -> Any:
    grammar = {"type": "json", "value": schema}
    body = {"inputs": "go", "parameters": {"grammar": grammar, "max_new_tokens": 300}}
    answer = http.post("/generate", json=body, headers=headers)
    assert answer.status_code == 200, answer.text
    text = answer.json()["generated_text"]
    assert re.fullmatch(build_regex_from_schema(json.dumps(schema)), text), text
    return json.loads(text)


def test_default_answers_satisfy_the_keywords_tgis_regex_leaves_out(http: httpx.Client) -> None:
    jsonschema.validate(_generate(http, BOUNDED, {}), BOUNDED)


def test_bend_schema_fault_breaks_them_within_tgis_grammar(http: httpx.Client) -> None:
    value = _generate(http, BOUNDED, {"x-mock-fault": "bend-schema"})
    assert not 10 <= value["n"] <= 12
    assert not 0 < value["x"] < 1
    assert len(set(value["tags"])) < len(value["tags"])


def test_bend_schema_config_reaches_tool_calls(tgi_mock: TGIMock, http: httpx.Client) -> None:
    tgi_mock.config.bend_schema = True
    body = {
        "messages": [{"role": "user", "content": "add shoes"}],
        "tools": [ITEMS_TOOL],
        "tool_choice": "add_to_cart",
    }
    answer = http.post("/v1/chat/completions", json=body)
    assert answer.status_code == 200, answer.text
    call = answer.json()["choices"][0]["message"]["tool_calls"][0]["function"]
    assert json.loads(call["arguments"])["quantity"] < 1


def test_a_parameter_named_items_gets_a_call_matching_tgis_regex(http: httpx.Client) -> None:
    body = {
        "messages": [{"role": "user", "content": "add shoes"}],
        "tools": [ITEMS_TOOL],
        "tool_choice": "add_to_cart",
    }
    answer = http.post("/v1/chat/completions", json=body)
    assert answer.status_code == 200, answer.text
    call = answer.json()["choices"][0]["message"]["tool_calls"][0]["function"]
    arguments = json.loads(call["arguments"])
    jsonschema.validate(arguments, ITEMS_TOOL["function"]["parameters"])
    function = {**ITEMS_TOOL["function"], "arguments": ITEMS_TOOL["function"]["parameters"]}
    regex = build_regex_from_schema(json.dumps(tool_grammar([{"function": function}])))
    written = json.dumps({"function": {"_name": "add_to_cart", **arguments}})
    assert re.fullmatch(regex, written)
    streamed = http.post("/v1/chat/completions", json={**body, "stream": True}).text
    pieces = [
        json.loads(line[6:])["choices"][0]["delta"]["tool_calls"][0]["function"]["arguments"]
        for line in streamed.splitlines()
        if line.startswith("data: {") and '"tool_calls"' in line
    ]
    assert json.loads("".join(pieces)) == arguments


def test_a_tool_schema_outlines_core_refuses_is_tgis_422(http: httpx.Client) -> None:
    tool = {
        "type": "function",
        "function": {
            "name": "ping",
            "parameters": {"properties": {"host": {"type": "string", "format": "ipv4"}}},
        },
    }
    body = {
        "messages": [{"role": "user", "content": "ping"}],
        "tools": [tool],
        "tool_choice": "ping",
    }
    answer = http.post("/v1/chat/completions", json=body)
    assert answer.status_code == 422
    assert answer.json() == {
        "error": "Input validation error: cannot compile regex from schema: "
        "Format ipv4 is not supported by Outlines",
        "error_type": "validation",
    }


def _completion(http: httpx.Client, **extra: Any) -> dict[str, Any]:
    body = {"prompt": "the sky", "max_tokens": 30, "seed": 1, **extra}
    answer = http.post("/v1/completions", json=body)
    assert answer.status_code == 200, answer.text
    return dict(answer.json()["choices"][0])


def test_stop_ignored_reaches_v1_completions(tgi_mock: TGIMock, http: httpx.Client) -> None:
    honest = _completion(http)
    words = honest["text"].split()
    assert len(words) > 2, honest
    stop = " " + words[1]
    stopped = _completion(http, stop=[stop])["text"]
    assert stopped.endswith(stop)
    assert len(stopped) < len(honest["text"])
    tgi_mock.config.breakages = ["stop-ignored"]
    assert _completion(http, stop=[stop])["text"] == honest["text"]


def test_seed_ignored_reaches_v1_chat(tgi_mock: TGIMock, http: httpx.Client) -> None:
    body = {"messages": [{"role": "user", "content": "hi"}], "seed": 7, "temperature": 0.9}

    def text() -> str:
        answer = http.post("/v1/chat/completions", json=body)
        return str(answer.json()["choices"][0]["message"]["content"])

    assert text() == text()
    tgi_mock.config.breakages = ["seed-ignored"]
    assert len({text() for _ in range(4)}) > 1


def test_grammar_ignored_reaches_v1_chat(tgi_mock: TGIMock, http: httpx.Client) -> None:
    tgi_mock.config.breakages = ["grammar-ignored"]
    body = {
        "messages": [{"role": "user", "content": "count"}],
        "response_format": {"type": "regex", "value": "[0-9]{3}"},
    }
    content = http.post("/v1/chat/completions", json=body).json()["choices"][0]["message"]
    assert re.fullmatch("[0-9]{3}", content["content"]) is None
