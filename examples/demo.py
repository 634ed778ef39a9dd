"""`make demo`: the README's examples against a local mock TGI server.

Starts the mock (`tgi_mock.server.MockServer`) on 127.0.0.1 and a free port, which also serves
the Hub API (`HF_ENDPOINT` points at it) and the Inference Providers router (`router_url=`), runs
the examples with our `text_generation` (Client generate and generate_stream, AsyncClient generate
and generate_stream, InferenceAPIClient generate and chat on two providers, check_model_support,
deployed_models, a JSON-schema grammar, a tool call with its reply, a streamed tool call
accumulated, and a chat answer constrained by response_format), prints what they return, stops the
server, and exits non-zero if any example fails or answers something other than what the mock is
scripted to say.
"""

from __future__ import annotations

import asyncio
import os
import sys
import traceback
from collections.abc import Callable
from typing import Any

from tgi_mock.server import MockServer

PROMPT = "Why is the sky blue?"
EXPECTED = " Rayleigh scattering"


def client_generate(url: str) -> str:
    from text_generation import Client

    client = Client(url)
    return client.generate(PROMPT).generated_text


def client_generate_stream(url: str) -> str:
    from text_generation import Client

    client = Client(url)
    text = ""
    for response in client.generate_stream(PROMPT):
        if not response.token.special:
            text += response.token.text
    return text


def async_client_generate(url: str) -> str:
    from text_generation import AsyncClient

    async def run() -> str:
        client = AsyncClient(url)
        response = await client.generate(PROMPT)
        return response.generated_text

    return asyncio.run(run())


def async_client_generate_stream(url: str) -> str:
    from text_generation import AsyncClient

    async def run() -> str:
        client = AsyncClient(url)
        text = ""
        async for response in client.generate_stream(PROMPT):
            if not response.token.special:
                text += response.token.text
        return text

    return asyncio.run(run())


def inference_api_client(url: str) -> str:
    from text_generation import InferenceAPIClient

    # The Hub (HF_ENDPOINT) says which providers serve the model; hf-inference serves generate.
    client = InferenceAPIClient("bigscience/bloomz", router_url=url)
    return client.generate(PROMPT).generated_text


def inference_api_chat(url: str) -> str:
    from text_generation import InferenceAPIClient
    from text_generation.types import Message

    client = InferenceAPIClient(
        "meta-llama/Llama-3.1-8B-Instruct", provider="together", router_url=url
    )
    answer = client.chat([Message(role="user", content=PROMPT)])
    return str(answer.choices[0].message.content)


def model_support(url: str) -> str:
    from text_generation.inference_api import check_model_support

    return (
        f"bloomz: {check_model_support('bigscience/bloomz')}, gpt2: {check_model_support('gpt2')}"
    )


def list_deployed_models(url: str) -> str:
    from text_generation.inference_api import deployed_models

    models = deployed_models()
    return ", ".join(model.model_id for model in models)


def structured_output(url: str) -> str:
    import json

    import jsonschema  # type: ignore[import-untyped]

    from text_generation import Client
    from text_generation.types import Grammar, GrammarType

    client = Client(url)
    schema = {
        "type": "object",
        "properties": {
            "city": {"type": "string"},
            "days": {"type": "integer", "minimum": 1, "maximum": 7},
        },
        "required": ["city", "days"],
    }
    answer = client.generate(
        "Plan a trip", max_new_tokens=50, grammar=Grammar(type=GrammarType.Json, value=schema)
    )
    jsonschema.validate(json.loads(answer.generated_text), schema)
    return answer.generated_text


WEATHER_TOOL: dict[str, Any] = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Get the weather in a city",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
        },
    },
}


def tool_call(url: str) -> str:
    import jsonschema  # type: ignore[import-untyped]

    from text_generation import Client
    from text_generation.types import Message, Tool

    client = Client(url)
    weather = Tool(**WEATHER_TOOL)
    question = Message(role="user", content="What is the weather in Paris?")
    out = client.chat([question], tools=[weather], tool_choice="get_weather")
    [call] = out.choices[0].message.tool_calls
    assert call.name == "get_weather"
    jsonschema.validate(call.arguments, weather.function["parameters"])  # parsed arguments
    # the tool's result goes back as a "tool" message after the assistant's tool call
    reply = Message(role="tool", tool_call_id=call.id, content='{"temperature_c": 6.7}')
    final = client.chat([question, out.choices[0].message, reply])
    assert final.choices[0].message.content
    return f"{call.name} {call.arguments}"


def streamed_tool_call(url: str) -> str:
    import jsonschema  # type: ignore[import-untyped]

    from text_generation import AsyncClient
    from text_generation.chat_stream import aaccumulate
    from text_generation.types import Message

    async def run() -> str:
        async with AsyncClient(url) as client:
            stream = await client.chat(
                [Message(role="user", content="What is the weather in Paris?")],
                tools=[WEATHER_TOOL],  # an OpenAI-format dict works as well as a Tool
                tool_choice="required",
                stream=True,
            )
            message = await aaccumulate(stream)
        [call] = message.tool_calls or []
        jsonschema.validate(call.arguments, WEATHER_TOOL["function"]["parameters"])
        return call.name

    return asyncio.run(run())


def structured_chat(url: str) -> str:
    import json

    import jsonschema  # type: ignore[import-untyped]

    from text_generation import Client
    from text_generation.types import Message

    client = Client(url)
    person = {
        "type": "object",
        "properties": {"name": {"type": "string"}, "age": {"type": "integer", "minimum": 0}},
        "required": ["name", "age"],
    }
    answer = client.chat(
        [Message(role="user", content="Describe a person")],
        response_format={
            "type": "json_schema",
            "json_schema": {"name": "person", "strict": True, "schema": person},
        },
    )
    content = str(answer.choices[0].message.content)
    jsonschema.validate(json.loads(content), person)
    return content


EXAMPLES: list[tuple[str, Callable[[str], str], str | None]] = [
    ("Client.generate", client_generate, EXPECTED),
    ("Client.generate_stream", client_generate_stream, EXPECTED),
    ("AsyncClient.generate", async_client_generate, EXPECTED),
    ("AsyncClient.generate_stream", async_client_generate_stream, EXPECTED),
    ('InferenceAPIClient("bigscience/bloomz").generate', inference_api_client, EXPECTED),
    ('InferenceAPIClient(..., provider="together").chat', inference_api_chat, EXPECTED),
    ("inference_api.check_model_support()", model_support, "bloomz: True, gpt2: False"),
    ("inference_api.deployed_models()", list_deployed_models, None),
    ("Client.generate(grammar=Json schema)", structured_output, None),
    ('Client.chat(tools=[...], tool_choice="get_weather"), then the tool reply', tool_call, None),
    ("AsyncClient.chat(tools=[...], stream=True), accumulated", streamed_tool_call, "get_weather"),
    ("Client.chat(response_format=json_schema)", structured_chat, None),
]


def main() -> int:
    """Run every example; 0 when all of them give the expected answer."""
    failures = 0
    with MockServer() as server:
        os.environ["HF_ENDPOINT"] = server.url  # the Hub API; the router is router_url=
        os.environ.pop("HF_INFERENCE_ENDPOINT", None)
        print(f"mock TGI server, Hub API and router on {server.url} (HF_ENDPOINT={server.url})")
        for title, example, expected in EXAMPLES:
            try:
                result = example(server.url)
            except Exception:
                failures += 1
                print(f"FAIL {title}:")
                traceback.print_exc()
                continue
            ok = result == expected if expected is not None else bool(result)
            failures += not ok
            print(f"{'ok  ' if ok else 'FAIL'} {title} -> {result!r}")
            if not ok:
                print(f"     expected {expected!r}")
    print("mock TGI server stopped")
    print("demo: all examples passed" if not failures else f"demo: {failures} example(s) failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
