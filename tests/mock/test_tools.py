"""Tool calling on the mock's chat route: TGI's `tool_choice` semantics, the deterministic `auto`
rule, arguments valid for the function, and the JSON and stream shapes of the recorded answers
(`tests/reference/tgi-structured/`)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import jsonschema  # type: ignore[import-untyped]
import pytest

from tests.mock.helpers import sse_json, stream
from tgi_mock.pytest_plugin import TGIMock

REFERENCE = Path(__file__).resolve().parents[1] / "reference" / "tgi-structured"
REQUESTS: dict[str, Any] = json.loads((REFERENCE / "requests.json").read_text(encoding="utf-8"))
TOOL_FILES = sorted(
    name
    for name, entry in REQUESTS.items()
    if name.startswith("test_tools_llama") and isinstance(entry["body"], dict)
)
CHAT = "/v1/chat/completions"


def _recorded(name: str) -> Any:
    return json.loads((REFERENCE / name).read_text(encoding="utf-8"))


def _tools(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {t["function"]["name"]: t["function"]["parameters"] for t in body.get("tools") or []}


def _recorded_calls(recorded: Any) -> tuple[str | None, str]:
    """(called function or None, joined arguments or text) of a recorded answer."""
    if isinstance(recorded, dict):
        message = recorded["choices"][0]["message"]
        if message.get("tool_calls"):
            function = message["tool_calls"][0]["function"]
            return function["name"], function["arguments"]
        return None, message["content"]
    deltas = [chunk["choices"][0]["delta"] for chunk in recorded]
    if deltas[0].get("tool_calls"):
        return deltas[0]["tool_calls"][0]["function"]["name"], "".join(
            d["tool_calls"][0]["function"]["arguments"] for d in deltas
        )
    return None, "".join(d.get("content") or "" for d in deltas)


@pytest.mark.parametrize("name", TOOL_FILES)
def test_recorded_requests_get_the_recorded_shapes(http: httpx.Client, name: str) -> None:
    body = REQUESTS[name]["body"]
    recorded = _recorded(name)
    want_name, _ = _recorded_calls(recorded)
    if not body.get("stream"):
        answer = http.post(CHAT, json=body)
        assert answer.status_code == 200, answer.text
        data = answer.json()
        choice = data["choices"][0]
        assert choice["finish_reason"] == "stop" or want_name is None
        message = choice["message"]
        if want_name is None:
            assert isinstance(message["content"], str)
            assert not message.get("tool_calls")
            return
        assert "content" not in message  # TGI's ToolCallMessage has no content key
        [call] = message["tool_calls"]
        [want] = recorded["choices"][0]["message"]["tool_calls"]
        assert call.keys() == want.keys()
        assert call["function"].keys() == want["function"].keys()
        assert (call["id"], call["type"], call["function"]["description"]) == (
            "0",
            "function",
            None,
        )
        assert call["function"]["name"] == want_name
        assert isinstance(call["function"]["arguments"], str)
        jsonschema.validate(json.loads(call["function"]["arguments"]), _tools(body)[want_name])
        return
    response, raw = stream(http, CHAT, body)
    assert response.status_code == 200
    events = sse_json(raw)
    assert events[-1] == "[DONE]"
    chunks = events[:-1]
    got_name, joined = _recorded_calls(chunks)
    assert got_name == want_name
    if want_name is None:
        assert all(c["choices"][0]["delta"].get("tool_calls") is None for c in chunks)
        return
    want_call = recorded[0]["choices"][0]["delta"]["tool_calls"][0]
    names = []
    for chunk in chunks:
        [choice] = chunk["choices"]
        assert choice["finish_reason"] is None  # TGI sends no finish chunk after a tool call
        assert "content" not in choice["delta"]
        [call] = choice["delta"]["tool_calls"]
        assert call.keys() == want_call.keys()
        assert call["function"].keys() == want_call["function"].keys()
        assert (call["index"], call["id"], call["type"]) == (0, "0", "function")
        names.append(call["function"]["name"])
    assert names[0] == want_name
    assert names[1:] == [None] * (len(names) - 1)
    assert joined.startswith("{ ")  # as recorded: `{ "location": ...}`
    jsonschema.validate(json.loads(joined), _tools(body)[want_name])


WEATHER = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Get the current weather in a city",
        "parameters": {
            "type": "object",
            "properties": {
                "city": {"type": "string"},
                "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
                "days": {"type": "integer", "minimum": 1, "maximum": 7},
                "lat": {"type": "number"},
            },
            "required": ["city", "unit", "days", "lat"],
            "additionalProperties": False,
        },
    },
}
TRANSLATE = {
    "type": "function",
    "function": {
        "name": "translate_text",
        "description": "Translate a sentence",
        "arguments": {"type": "object", "properties": {"text": {"type": "string"}}},
    },
}


def _chat(http: httpx.Client, text: str, **extra: Any) -> httpx.Response:
    body = {"model": "tgi", "messages": [{"role": "user", "content": text}], **extra}
    return http.post(CHAT, json=body)


def _called(answer: httpx.Response) -> str | None:
    assert answer.status_code == 200, answer.text
    message = answer.json()["choices"][0]["message"]
    calls = message.get("tool_calls")
    return None if not calls else str(calls[0]["function"]["name"])


def test_tool_choice_semantics(http: httpx.Client) -> None:
    tools = [WEATHER, TRANSLATE]
    assert _called(_chat(http, "What is the weather in Paris?", tools=tools)) == "get_weather"
    assert _called(_chat(http, "Please translate this", tools=tools)) == "translate_text"
    assert _called(_chat(http, "Who are you?", tools=tools, tool_choice="auto")) is None
    assert _called(_chat(http, "Who are you?", tools=tools, tool_choice="required")) == (
        "get_weather"
    )
    assert _called(_chat(http, "Weather?", tools=tools, tool_choice="none")) is None
    assert _called(_chat(http, "Weather?", tools=tools, tool_choice="translate_text")) == (
        "translate_text"
    )
    forced = {"type": "function", "function": {"name": "translate_text"}}
    assert _called(_chat(http, "Weather?", tools=tools, tool_choice=forced)) == "translate_text"
    assert _called(_chat(http, "Weather?", tools=[])) is None


def test_forced_arguments_validate_against_the_parameters(http: httpx.Client) -> None:
    for seed in range(5):
        answer = _chat(http, f"city {seed}", tools=[WEATHER], tool_choice="get_weather", seed=seed)
        arguments = answer.json()["choices"][0]["message"]["tool_calls"][0]["function"]
        value = json.loads(arguments["arguments"])
        jsonschema.validate(value, WEATHER["function"]["parameters"])  # type: ignore[index]
        assert isinstance(value["days"], int)
        assert value["unit"] in ("celsius", "fahrenheit")


def test_tool_errors(http: httpx.Client) -> None:
    unknown = _chat(http, "x", tools=[WEATHER], tool_choice="nope")
    assert unknown.status_code == 422
    assert unknown.json() == {
        "error": "Tool error: Tool with name nope not found",
        "error_type": "tool_error",
    }
    both = _chat(http, "x", tools=[], response_format={"type": "regex", "value": "a"})
    assert both.json() == {
        "error": "Tool error: Grammar and tools are mutually exclusive",
        "error_type": "tool_error",
    }
    bare = {"type": "function", "function": {"name": "f"}}
    missing = _chat(http, "x", tools=[bare])
    assert missing.status_code == 422
    assert missing.headers["content-type"].startswith("text/plain")
    assert "tools[0].function: missing field `arguments`" in missing.text
    bad_choice = _chat(http, "x", tools=[WEATHER], tool_choice=5)
    assert bad_choice.status_code == 422
    assert "ToolTypeDeserializer" in bad_choice.text


def test_a_tool_call_conversation_is_answered_in_text(http: httpx.Client) -> None:
    name = "test_tools_llama__test_flash_llama_tool_reply_response.json"
    body = REQUESTS[name]["body"]
    answer = http.post(CHAT, json=body)
    assert answer.status_code == 200
    message = answer.json()["choices"][0]["message"]
    assert isinstance(message["content"], str)
    assert "tool_calls" not in message
    follow_up = {**body, "tools": [WEATHER], "tool_choice": "required", "stream": True}
    _, raw = stream(http, CHAT, follow_up)
    first = sse_json(raw)[0]["choices"][0]["delta"]["tool_calls"][0]
    assert first["id"] == "1"  # one more than the conversation's last integer id, as TGI


def test_scripted_tool_call(tgi_mock: TGIMock, http: httpx.Client) -> None:
    args = {"city": "Brooklyn, NY", "unit": "fahrenheit", "days": 3, "lat": 40.7}
    tgi_mock.script_tool_call("Weather in Brooklyn?", "get_weather", args)
    answer = _chat(http, "Weather in Brooklyn?", tools=[WEATHER, TRANSLATE])
    function = answer.json()["choices"][0]["message"]["tool_calls"][0]["function"]
    assert (function["name"], json.loads(function["arguments"])) == ("get_weather", args)
    # A script naming a tool that is not offered (or not allowed) does not apply.
    assert _called(_chat(http, "Weather in Brooklyn?", tools=[TRANSLATE])) is None
    # Scripted arguments the parameters refuse are a 422, never sent.
    tgi_mock.script_tool_call("Weather in Brooklyn?", "get_weather", {"city": "x"})
    refused = _chat(http, "Weather in Brooklyn?", tools=[WEATHER])
    assert refused.status_code == 422
    assert refused.json()["error_type"] == "tool_error"
    assert "`required`" in refused.json()["error"]


def test_stream_usage_and_grammar_support(tgi_mock: TGIMock, http: httpx.Client) -> None:
    body = {
        "model": "tgi",
        "messages": [{"role": "user", "content": "weather"}],
        "tools": [WEATHER],
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    _, raw = stream(http, CHAT, body)
    events = sse_json(raw)
    assert events[-2]["choices"] == []
    assert events[-2]["usage"]["completion_tokens"] > 0
    tgi_mock.config.disable_grammar_support = True
    refused = _chat(http, "weather", tools=[WEATHER])
    assert refused.status_code == 422
    assert refused.json()["error"] == "Input validation error: grammar is not supported"
    assert _called(_chat(http, "weather", tools=[WEATHER], tool_choice="none")) is None


def test_grammar_ignored_breakage_answers_tools_in_text(
    tgi_mock: TGIMock, http: httpx.Client
) -> None:
    tgi_mock.config.breakages = ["grammar-ignored"]
    assert _called(_chat(http, "weather", tools=[WEATHER], tool_choice="get_weather")) is None


def test_scripted_tool_calls_from_a_config_file(
    tgi_mock: TGIMock, http: httpx.Client, tmp_path: Path
) -> None:
    from tgi_mock.config import MockConfig

    script = {"Translate hello": {"name": "translate_text", "arguments": {"text": "bonjour"}}}
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"scripted_tool_calls": script}), encoding="utf-8")
    tgi_mock.config.scripted_tool_calls = MockConfig.from_file(path).scripted_tool_calls
    answer = _chat(http, "Translate hello", tools=[WEATHER, TRANSLATE], tool_choice="required")
    function = answer.json()["choices"][0]["message"]["tool_calls"][0]["function"]
    assert (function["name"], json.loads(function["arguments"])) == (
        "translate_text",
        {"text": "bonjour"},
    )
