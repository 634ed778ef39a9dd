"""Tools and structured output through the Inference API clients (the router on the mock), sync
and async: every option reaches the provider's route and the tool call comes back typed."""

from __future__ import annotations

import json
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest

from tests.facade.twins import Twin
from tests.inference_api.conftest import LLAMA
from text_generation import InferenceAPIAsyncClient, InferenceAPIClient
from text_generation.types import Message
from tgi_mock.pytest_plugin import TGIMock

SCHEMA = {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}
WEATHER: dict[str, Any] = {
    "type": "function",
    "function": {"name": "get_weather", "parameters": SCHEMA},
}
USER = [Message(role="user", content="What is the weather in Paris?")]


@pytest.mark.parametrize("provider", ["hf-inference", "together"])
def test_tools_and_response_format_through_the_router(
    kind: str, hub: TGIMock, provider: str
) -> None:
    cls = InferenceAPIAsyncClient if kind == "async" else InferenceAPIClient
    twin = Twin(kind, "http://unused").wrap(cls(LLAMA, provider=provider, router_url=hub.url))
    try:
        answer = twin.call(
            "chat", USER, tools=[WEATHER], tool_choice="get_weather", tool_prompt="Tools:"
        )
        [call] = answer.choices[0].message.tool_calls
        assert call.name == "get_weather"
        jsonschema.validate(call.arguments, SCHEMA)
        sent = hub.journal.all()[-1].json
        assert (sent["tools"], sent["tool_choice"], sent["tool_prompt"]) == (
            [WEATHER],
            "get_weather",
            "Tools:",
        )
        rf = {"type": "json_schema", "value": {"name": "w", "schema": SCHEMA}}
        structured = twin.call("chat", USER, response_format=rf, stop=["\n\n"])
        jsonschema.validate(json.loads(structured.choices[0].message.content), SCHEMA)
        sent = hub.journal.all()[-1].json
        assert (sent["response_format"], sent["stop"]) == (rf, ["\n\n"])
    finally:
        twin.close()
