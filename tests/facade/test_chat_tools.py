"""``chat()`` with tools and structured output: what reaches the wire, what is refused before
sending, how tool calls come back (a JSON string or an object), malformed tool calls from a
server, and the stream accumulator."""

from __future__ import annotations

import inspect
import json
from typing import Any

import pytest
import respx

from tests.facade.twins import Twin
from tests.facade.wire import sse
from text_generation import AsyncClient, Client, InferenceAPIAsyncClient, InferenceAPIClient
from text_generation.chat_stream import ChatStreamAccumulator, accumulate
from text_generation.errors import ClientValidationError, InvalidResponseError
from text_generation.types import ChatCompletionChunk, Grammar, GrammarType, Message, Tool, ToolCall

SCHEMA = {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}
WEATHER: dict[str, Any] = {
    "type": "function",
    "function": {"name": "get_weather", "parameters": SCHEMA},
}
USER = [Message(role="user", content="Weather in Paris?")]
ROUTE = "/v1/chat/completions"


def sent(route: respx.Route) -> Any:
    return json.loads(route.calls.last.request.content)


def completion(message: dict[str, Any]) -> dict[str, Any]:
    return {
        "object": "chat.completion",
        "id": "",
        "created": 1,
        "model": "tgi",
        "system_fingerprint": "3.3.6-native",
        "choices": [{"index": 0, "message": message, "logprobs": None, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 5, "completion_tokens": 9, "total_tokens": 14},
    }


def call_message(arguments: Any, **function: Any) -> dict[str, Any]:
    fn = {"name": "get_weather", "description": None, "arguments": arguments, **function}
    return {
        "role": "assistant",
        "content": None,
        "tool_calls": [{"id": "0", "type": "function", "function": fn}],
    }


def chunk(delta: dict[str, Any], finish_reason: str | None = None) -> dict[str, Any]:
    return {
        "object": "chat.completion.chunk",
        "id": "",
        "created": 1,
        "model": "tgi",
        "system_fingerprint": "3.3.6-native",
        "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}],
        "usage": None,
    }


def delta_call(arguments: Any, name: Any = None, index: int = 0) -> dict[str, Any]:
    fn = {"name": name, "arguments": arguments}
    return {
        "role": "assistant",
        "content": None,
        "tool_calls": [{"index": index, "id": str(index), "type": "function", "function": fn}],
    }


# -- what is sent -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "wire"),
    [
        ({"tools": [Tool(**WEATHER)]}, {"tools": [WEATHER]}),
        ({"tools": [WEATHER], "tool_choice": "required"}, {"tool_choice": "required"}),
        ({"tools": [WEATHER], "tool_choice": "auto"}, {"tool_choice": "auto"}),
        ({"tools": [WEATHER], "tool_choice": "none"}, {"tool_choice": "none"}),
        ({"tools": [WEATHER], "tool_choice": "get_weather"}, {"tool_choice": "get_weather"}),
        (
            {
                "tools": [WEATHER],
                "tool_choice": {"type": "function", "function": {"name": "get_weather"}},
            },
            {"tool_choice": {"type": "function", "function": {"name": "get_weather"}}},
        ),
        (  # 0.7.0's key for the schema, as 0.7.0 sent it
            {"tools": [{"type": "function", "function": {"name": "f", "arguments": SCHEMA}}]},
            {"tools": [{"type": "function", "function": {"name": "f", "arguments": SCHEMA}}]},
        ),
        ({"tools": [WEATHER], "tool_prompt": "Use a tool:"}, {"tool_prompt": "Use a tool:"}),
        ({"stop": "\n\n"}, {"stop": ["\n\n"]}),
        ({"stop": ["a", "b"]}, {"stop": ["a", "b"]}),
        (
            {"response_format": Grammar(type=GrammarType.Json, value=SCHEMA)},
            {"response_format": {"type": "json", "value": SCHEMA}},
        ),
        (
            {"response_format": {"type": "regex", "value": "[0-9]+"}},
            {"response_format": {"type": "regex", "value": "[0-9]+"}},
        ),
        (
            {"response_format": {"type": "json_schema", "value": {"name": "w", "schema": SCHEMA}}},
            {"response_format": {"type": "json_schema", "value": {"name": "w", "schema": SCHEMA}}},
        ),
        (  # OpenAI's shape, sent in TGI's
            {
                "response_format": {
                    "type": "json_schema",
                    "json_schema": {"name": "w", "strict": True, "schema": SCHEMA},
                }
            },
            {
                "response_format": {
                    "type": "json_schema",
                    "value": {"name": "w", "strict": True, "schema": SCHEMA},
                }
            },
        ),
    ],
)
def test_every_option_reaches_the_wire(
    tgi: respx.MockRouter, twin: Twin, options: dict[str, Any], wire: dict[str, Any]
) -> None:
    route = tgi.post(ROUTE).respond(json=completion({"role": "assistant", "content": "ok"}))
    twin.call("chat", USER, **options)
    body = sent(route)
    for key, value in wire.items():
        assert body[key] == value
    assert set(body) == {"model", "messages", "stream", *options}


def test_0_7_0_positional_order_and_keyword_only_additions(
    tgi: respx.MockRouter, twin: Twin
) -> None:
    route = tgi.post(ROUTE).respond(json=completion(call_message('{"city": "Paris"}')))
    positional = (None,) * 8 + (False,) + (None,) * 3  # repetition_penalty .. top_p
    twin.call("chat", USER, *positional, [WEATHER], "get_weather")
    assert sent(route)["tools"] == [WEATHER]
    assert sent(route)["tool_choice"] == "get_weather"
    with pytest.raises(TypeError):
        twin.call("chat", USER, *positional, [WEATHER], "get_weather", "a tool prompt")


@pytest.mark.parametrize("cls", [InferenceAPIClient, InferenceAPIAsyncClient])
def test_the_inference_api_clients_take_the_same_chat_parameters(cls: type[Any]) -> None:
    twin = AsyncClient if cls is InferenceAPIAsyncClient else Client
    assert inspect.signature(cls.chat) == inspect.signature(twin.chat)


@pytest.mark.parametrize(
    ("options", "why"),
    [
        ({"tools": [{"type": "function", "function": {"name": "f"}}]}, "JSON Schema"),
        ({"tools": [{"type": "function", "function": {"parameters": SCHEMA}}]}, "name"),
        ({"tools": [{"type": "function", "function": {"name": "f", "parameters": 3}}]}, "object"),
        ({"tools": [{"type": "retrieval", "function": WEATHER["function"]}]}, "'function'"),
        ({"tools": [{"function": WEATHER["function"]}]}, "type"),
        ({"tools": [WEATHER, "get_weather"]}, "tools.1"),
        ({"tools": [WEATHER], "tool_choice": "get_time"}, "not among the tools"),
        ({"tool_choice": "required"}, "needs `tools`"),
        ({"tools": [WEATHER], "tool_choice": 5}, "tool_choice"),
        ({"tools": [WEATHER], "tool_choice": ""}, "tool_choice"),
        ({"tools": [WEATHER], "tool_choice": {"type": "function"}}, "tool_choice"),
        ({"tools": [WEATHER], "tool_choice": {"function": {"name": "get_weather"}}}, "tool_choice"),
        ({"response_format": {"type": "xml", "value": "x"}}, "response_format"),
        ({"response_format": {"type": "json_object"}}, "value"),
        ({"response_format": {"type": "regex", "value": {"a": 1}}}, "regex"),
        ({"response_format": {"type": "json_schema", "value": {"name": "x"}}}, "schema"),
        ({"tools": [WEATHER], "response_format": {"type": "regex", "value": "a"}}, "together"),
        ({"stop": [1]}, "stop"),
        ({"tool_prompt": ["x"]}, "tool_prompt"),
    ],
)
def test_malformed_options_are_refused_before_sending(
    tgi: respx.MockRouter, twin: Twin, options: dict[str, Any], why: str
) -> None:
    route = tgi.post(ROUTE).respond(json=completion({"role": "assistant", "content": "ok"}))
    with pytest.raises(ClientValidationError, match=why):
        twin.call("chat", USER, **options)
    assert not route.called


@pytest.mark.parametrize(
    "tool_calls",
    [
        [{"id": "0", "type": "function"}],
        [{"id": "0", "type": "function", "function": {"name": "f"}}],
        [{"id": "0", "type": "function", "function": {"name": "f", "arguments": 3}}],
        [{"id": None, "type": "function", "function": {"name": "f", "arguments": "{}"}}],
        {"id": "0"},
    ],
)
def test_malformed_assistant_tool_calls_are_refused_before_sending(
    tgi: respx.MockRouter, twin: Twin, tool_calls: Any
) -> None:
    route = tgi.post(ROUTE).respond(json=completion({"role": "assistant", "content": "ok"}))
    with pytest.raises(ClientValidationError, match="tool_calls"):
        twin.call("chat", [*USER, Message(role="assistant", tool_calls=tool_calls)])
    assert not route.called


def test_a_tool_call_conversation_goes_back_as_the_server_sent_it(
    tgi: respx.MockRouter, twin: Twin
) -> None:
    route = tgi.post(ROUTE).respond(json=completion(call_message('{"city":"Paris"}')))
    answer = twin.call("chat", USER, tools=[WEATHER], tool_choice="required")
    assistant = answer.choices[0].message
    [call] = assistant.tool_calls
    reply = Message(role="tool", tool_call_id=call.id, content='{"temp_c": 6.7}')
    twin.call("chat", [*USER, assistant, reply], tools=[WEATHER])
    assert sent(route)["messages"][1:] == [
        {
            "role": "assistant",
            "tool_calls": [
                {
                    "id": "0",
                    "type": "function",
                    "function": {
                        "name": "get_weather",
                        "description": None,
                        "arguments": '{"city":"Paris"}',
                    },
                }
            ],
        },
        {"role": "tool", "content": '{"temp_c": 6.7}', "tool_call_id": "0"},
    ]


# -- what comes back --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "arguments", ['{"city": "Paris"}', {"city": "Paris"}], ids=["tgi3-string", "tgi2-object"]
)
def test_tool_call_arguments_parse_as_a_string_or_an_object(
    tgi: respx.MockRouter, twin: Twin, arguments: Any
) -> None:
    tgi.post(ROUTE).respond(json=completion(call_message(arguments)))
    answer = twin.call("chat", USER, tools=[WEATHER], tool_choice="get_weather")
    message = answer.choices[0].message
    assert message.content is None
    [call] = message.tool_calls
    assert isinstance(call, ToolCall)
    assert (call.id, call.type, call.name) == ("0", "function", "get_weather")
    assert call.function["arguments"] == arguments  # as the server sent it (0.7.0's field)
    assert call.arguments == {"city": "Paris"}


@pytest.mark.parametrize(
    ("message", "why"),
    [
        (call_message('{"city": "Par'), "not JSON"),
        (call_message("[1, 2]"), "JSON object"),
        (call_message(7), "arguments"),
        (call_message(None), "arguments"),
        (call_message("{}", name=None), "name"),
        (call_message("{}", description=3), "description"),
        ({**call_message("{}"), "tool_calls": {"id": "0"}}, "tool_calls"),
        (
            {
                **call_message("{}"),
                "tool_calls": [
                    {"id": ["0"], "type": "function", "function": {"name": "f", "arguments": "{}"}}
                ],
            },
            "id",
        ),
        ({**call_message("{}"), "tool_calls": [{"id": "0", "type": "function"}]}, "function"),
    ],
)
def test_malformed_tool_calls_from_the_server(
    tgi: respx.MockRouter, twin: Twin, message: dict[str, Any], why: str
) -> None:
    tgi.post(ROUTE).respond(json=completion(message))
    with pytest.raises(InvalidResponseError, match=why):
        twin.call("chat", USER, tools=[WEATHER])


@pytest.mark.parametrize(
    ("delta", "why"),
    [
        (delta_call(7, "f"), "arguments"),
        (delta_call("{", 5), "name"),
        ({**delta_call("{"), "tool_calls": [{"id": "0", "type": "function"}]}, "tool_calls"),
        (
            {**delta_call("{"), "tool_calls": [{**delta_call("{")["tool_calls"][0], "index": "0"}]},
            "index",
        ),
    ],
)
def test_malformed_streamed_tool_calls(
    tgi: respx.MockRouter, twin: Twin, delta: dict[str, Any], why: str
) -> None:
    body = sse([chunk(delta_call("{", "get_weather")), chunk(delta), "[DONE]"])
    tgi.post(ROUTE).respond(content=body, headers={"content-type": "text/event-stream"})
    stream = twin.call("chat", USER, tools=[WEATHER], stream=True)
    with pytest.raises(InvalidResponseError, match=why):
        twin.collect(stream)


def test_a_streamed_tool_call_accumulates(tgi: respx.MockRouter, twin: Twin) -> None:
    pieces = ['{"ci', 'ty": ', '"Paris"}']
    events = [chunk(delta_call(pieces[0], "get_weather"))]
    events += [chunk(delta_call(p)) for p in pieces[1:]]
    tgi.post(ROUTE).respond(
        content=sse([*events, "[DONE]"]), headers={"content-type": "text/event-stream"}
    )
    chunks = twin.stream("chat", USER, tools=[WEATHER], tool_choice="required", stream=True)
    assert [c.choices[0].delta.tool_calls[0].function.name for c in chunks] == [
        "get_weather",
        None,
        None,
    ]
    message = accumulate(chunks)
    assert message.content is None
    [call] = message.tool_calls
    assert (call.id, call.name, call.arguments) == ("0", "get_weather", {"city": "Paris"})
    assert call.function["arguments"] == "".join(pieces)


# -- the accumulator, sans I/O -------------------------------------------------------------------


def chunks_of(*events: dict[str, Any]) -> list[ChatCompletionChunk]:
    return [ChatCompletionChunk.model_validate(e) for e in events]


def test_accumulator_joins_text_finish_reason_and_usage() -> None:
    acc = ChatStreamAccumulator()
    for c in chunks_of(
        chunk({"role": "assistant", "content": "Hel"}),
        chunk({"role": "assistant", "content": "lo"}, finish_reason="stop"),
        {
            **chunk({"role": "assistant"}),
            "choices": [],
            "usage": {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3},
        },
    ):
        acc.add(c)
    message = acc.message()
    assert (message.role, message.content, message.tool_calls) == ("assistant", "Hello", None)
    assert acc.finish_reason() == "stop"
    assert acc.usage == {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3}


def test_accumulator_merges_parallel_tool_calls_by_index() -> None:
    message = accumulate(
        chunks_of(
            chunk(delta_call('{"city":', "get_weather", index=0)),
            chunk(delta_call('{"q":', "search", index=1)),
            chunk(delta_call('"Paris"}', index=0)),
            chunk(delta_call('"tgi"}', index=1)),
        )
    )
    assert [(c.id, c.name, c.arguments) for c in message.tool_calls or []] == [
        ("0", "get_weather", {"city": "Paris"}),
        ("1", "search", {"q": "tgi"}),
    ]


def test_accumulator_refuses_a_broken_tool_call() -> None:
    with pytest.raises(InvalidResponseError, match="not JSON"):
        accumulate(chunks_of(chunk(delta_call('{"city":', "get_weather"))))
    with pytest.raises(InvalidResponseError, match="name"):
        accumulate(chunks_of(chunk(delta_call("{}"))))


def test_accumulator_of_an_empty_stream_and_a_missing_choice() -> None:
    assert accumulate([]) == Message(role="assistant")
    with pytest.raises(IndexError):
        accumulate(chunks_of(chunk({"role": "assistant", "content": "x"})), index=1)
