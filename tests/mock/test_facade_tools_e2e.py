"""Tool calls and structured output through our ``Client`` and ``AsyncClient`` against the mock
over real sockets (one body for both): a tool-call round trip, ``response_format``, a streamed
tool call accumulated into its message."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest

from tests.facade.twins import Twin
from text_generation.chat_stream import aaccumulate, accumulate
from text_generation.errors import ValidationError
from text_generation.types import Grammar, GrammarType, Message, Tool
from tgi_mock.pytest_plugin import TGIMock

WEATHER_SCHEMA = {
    "type": "object",
    "properties": {
        "city": {"type": "string"},
        "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
    },
    "required": ["city", "unit"],
    "additionalProperties": False,
}
WEATHER = Tool(
    type="function",
    function={
        "name": "get_weather",
        "description": "Get the weather in a city",
        "parameters": WEATHER_SCHEMA,
    },
)
DAYS_SCHEMA = {
    "type": "object",
    "properties": {"city": {"type": "string"}, "days": {"type": "integer", "minimum": 1}},
    "required": ["city", "days"],
}
#: OpenAI's format, with the schema under 0.7.0's key ``arguments``.
FORECAST: dict[str, Any] = {
    "type": "function",
    "function": {"name": "get_forecast", "arguments": DAYS_SCHEMA},
}
USER = Message(role="user", content="What is the weather in Paris?")
PERSON = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "minLength": 2},
        "age": {"type": "integer", "minimum": 0, "maximum": 120},
        "hobbies": {"type": "array", "items": {"type": "string"}, "minItems": 1},
    },
    "required": ["name", "age", "hobbies"],
}


@pytest.fixture
def twin(kind: str, tgi_mock: TGIMock) -> Iterator[Twin]:
    t = Twin(kind, tgi_mock.url, max_retries=0)
    yield t
    t.close()


def test_a_tool_call_round_trip(twin: Twin) -> None:
    answer = twin.call("chat", [USER], tools=[WEATHER, FORECAST], tool_choice="required", seed=3)
    assistant = answer.choices[0].message
    assert assistant.content is None
    [call] = assistant.tool_calls
    assert call.name in ("get_weather", "get_forecast")
    jsonschema.validate(
        call.arguments, WEATHER_SCHEMA if call.name == "get_weather" else DAYS_SCHEMA
    )
    assert isinstance(call.function["arguments"], str)  # TGI 3.x sends a JSON string
    reply = Message(role="tool", tool_call_id=call.id, content='{"temperature": 6.7}')
    # as TGI's own test sends it (tool_reply_response): the conversation, without tools
    final = twin.call("chat", [USER, assistant, reply], seed=3)
    message = final.choices[0].message
    assert message.tool_calls is None
    assert isinstance(message.content, str)
    assert message.content


@pytest.mark.parametrize(
    "tool_choice",
    ["get_forecast", {"type": "function", "function": {"name": "get_forecast"}}],
    ids=["name", "object"],
)
def test_a_named_tool_choice_forces_that_function(twin: Twin, tool_choice: Any) -> None:
    answer = twin.call("chat", [USER], tools=[WEATHER, FORECAST], tool_choice=tool_choice)
    [call] = answer.choices[0].message.tool_calls
    assert call.name == "get_forecast"
    jsonschema.validate(call.arguments, DAYS_SCHEMA)


def test_tool_choice_none_answers_in_text(twin: Twin) -> None:
    answer = twin.call("chat", [USER], tools=[WEATHER], tool_choice="none", tool_prompt="Tools:")
    assert answer.choices[0].message.tool_calls is None
    assert answer.choices[0].message.content


@pytest.mark.parametrize(
    "response_format",
    [
        {
            "type": "json_schema",
            "json_schema": {"name": "person", "strict": True, "schema": PERSON},
        },
        {"type": "json_schema", "value": {"name": "person", "schema": PERSON}},
        {"type": "json_object", "value": PERSON},
        Grammar(type=GrammarType.Json, value=PERSON),
    ],
    ids=["openai", "tgi-json-schema", "json-object", "grammar"],
)
def test_response_format_gives_content_valid_for_the_schema(
    twin: Twin, response_format: Any
) -> None:
    who = Message(role="user", content="Describe a person")
    answer = twin.call("chat", [who], response_format=response_format, max_tokens=200, seed=5)
    jsonschema.validate(json.loads(answer.choices[0].message.content), PERSON)
    chunks = twin.stream(
        "chat", [who], response_format=response_format, max_tokens=200, seed=5, stream=True
    )
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == answer.choices[0].message.content


def test_a_regex_response_format_and_stop(twin: Twin) -> None:
    answer = twin.call(
        "chat",
        [Message(role="user", content="A code")],
        response_format={"type": "regex", "value": "[A-Z]{3}-[0-9]{4}"},
        stop=["\n"],
    )
    assert re.fullmatch("[A-Z]{3}-[0-9]{4}", answer.choices[0].message.content)


def test_a_streamed_tool_call_accumulates_into_the_answers_call(twin: Twin) -> None:
    options: dict[str, Any] = {"tools": [WEATHER], "tool_choice": "get_weather", "seed": 11}
    stream = twin.call("chat", [USER], stream=True, **options)
    message = twin.run(aaccumulate(stream)) if twin.kind == "async" else accumulate(stream)
    assert message.content is None
    [call] = message.tool_calls
    assert call.name == "get_weather"
    jsonschema.validate(call.arguments, WEATHER_SCHEMA)
    [whole] = twin.call("chat", [USER], **options).choices[0].message.tool_calls
    assert call.arguments == whole.arguments


def test_the_server_refuses_what_the_client_cannot_check(twin: Twin) -> None:
    """A schema nobody can satisfy is refused by the server (422), and says why."""
    impossible = {"type": "string", "minLength": 5, "maxLength": 2}
    with pytest.raises(ValidationError, match="maxLength"):
        twin.call(
            "chat",
            [USER],
            response_format={
                "type": "json",
                "value": {"type": "object", "properties": {"a": impossible}, "required": ["a"]},
            },
        )
