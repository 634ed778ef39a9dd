"""The real `openai` SDK and huggingface_hub's `InferenceClient` drive tools and structured output
against the mock over real sockets."""

from __future__ import annotations

import json
import re
from typing import Any

import jsonschema  # type: ignore[import-untyped]
from huggingface_hub import InferenceClient
from openai import OpenAI

from tgi_mock.pytest_plugin import TGIMock

PARAMETERS: dict[str, Any] = {
    "type": "object",
    "properties": {
        "location": {"type": "string"},
        "format": {"type": "string", "enum": ["celsius", "fahrenheit"]},
    },
    "required": ["location", "format"],
    "additionalProperties": False,
}
TOOLS: list[Any] = [
    {
        "type": "function",
        "function": {
            "name": "get_current_weather",
            "description": "Get the current weather",
            "parameters": PARAMETERS,
        },
    },
    {
        "type": "function",
        "function": {
            "name": "get_n_day_weather_forecast",
            "description": "Get an N-day weather forecast",
            "parameters": {
                "type": "object",
                "properties": {"location": {"type": "string"}, "num_days": {"type": "integer"}},
                "required": ["location", "num_days"],
            },
        },
    },
]
MESSAGES: list[Any] = [{"role": "user", "content": "What is the weather like in Brooklyn?"}]
PERSON = {
    "type": "object",
    "properties": {"name": {"type": "string"}, "age": {"type": "integer", "minimum": 0}},
    "required": ["name", "age"],
}


def _openai(tgi_mock: TGIMock) -> OpenAI:
    return OpenAI(base_url=f"{tgi_mock.url}/v1", api_key="-", max_retries=0)


def test_openai_sdk_tool_call(tgi_mock: TGIMock) -> None:
    client = _openai(tgi_mock)
    done = client.chat.completions.create(
        model="tgi", messages=MESSAGES, tools=TOOLS, tool_choice="required", seed=1
    )
    message = done.choices[0].message
    assert message.content is None
    assert message.tool_calls is not None
    [call] = message.tool_calls
    assert call.id == "0"
    assert call.type == "function"
    assert call.function.name == "get_current_weather"
    jsonschema.validate(json.loads(call.function.arguments), PARAMETERS)
    forced: Any = {"type": "function", "function": {"name": "get_n_day_weather_forecast"}}
    other = client.chat.completions.create(
        model="tgi",
        messages=MESSAGES,
        tools=TOOLS,
        tool_choice=forced,
    )
    assert other.choices[0].message.tool_calls is not None
    [other_call] = other.choices[0].message.tool_calls
    assert other_call.type == "function"
    assert other_call.function.name == "get_n_day_weather_forecast"
    text = client.chat.completions.create(
        model="tgi", messages=MESSAGES, tools=TOOLS, tool_choice="none"
    )
    assert isinstance(text.choices[0].message.content, str)
    assert text.choices[0].message.tool_calls is None


def test_openai_sdk_streamed_tool_call(tgi_mock: TGIMock) -> None:
    client = _openai(tgi_mock)
    chunks = list(
        client.chat.completions.create(
            model="tgi", messages=MESSAGES, tools=TOOLS, stream=True, seed=1
        )
    )
    names, arguments = [], ""
    for chunk in chunks:
        delta = chunk.choices[0].delta
        assert delta.content is None
        assert delta.tool_calls is not None
        names.append(delta.tool_calls[0].function.name)  # type: ignore[union-attr]
        arguments += delta.tool_calls[0].function.arguments or ""  # type: ignore[union-attr]
    assert names[0] == "get_current_weather"
    assert set(names[1:]) == {None}
    jsonschema.validate(json.loads(arguments), PARAMETERS)


def test_openai_sdk_response_format(tgi_mock: TGIMock) -> None:
    client = _openai(tgi_mock)
    # TGI's response_format is its grammar (`{"type", "value"}`); the SDK sends the dict as given.
    formats: list[Any] = [
        {"type": "json_object", "value": PERSON},
        {"type": "json_schema", "value": {"name": "person", "strict": True, "schema": PERSON}},
    ]
    for response_format in formats:
        done = client.chat.completions.create(
            model="tgi", messages=MESSAGES, response_format=response_format, seed=3
        )
        jsonschema.validate(json.loads(done.choices[0].message.content or ""), PERSON)
    streamed = client.chat.completions.create(
        model="tgi", messages=MESSAGES, response_format=formats[0], seed=3, stream=True
    )
    text = "".join(chunk.choices[0].delta.content or "" for chunk in streamed if chunk.choices)
    jsonschema.validate(json.loads(text), PERSON)


def test_huggingface_hub_tools_and_response_format(tgi_mock: TGIMock) -> None:
    client = InferenceClient(model=tgi_mock.url)
    done = client.chat_completion(MESSAGES, tools=TOOLS, tool_choice="auto", seed=1)
    calls = done.choices[0].message.tool_calls
    assert calls is not None
    assert calls[0].function.name == "get_current_weather"
    arguments = calls[0].function.arguments
    jsonschema.validate(
        json.loads(arguments) if isinstance(arguments, str) else arguments, PARAMETERS
    )
    json_format: Any = {"type": "json", "value": PERSON}
    formatted = client.chat_completion(MESSAGES, response_format=json_format, seed=2)
    jsonschema.validate(json.loads(formatted.choices[0].message.content or ""), PERSON)
    regex = r"[0-9]{3}-[0-9]{4}"
    grammar: Any = {"type": "regex", "value": regex}
    text = client.text_generation("My number is", grammar=grammar, max_new_tokens=20)
    assert re.fullmatch(regex, text.removeprefix("My number is"))
