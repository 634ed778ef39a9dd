"""Every answer recorded from a real TGI in ``tests/reference/tgi-structured`` (tool calls,
``tool_choice``, ``response_format``, grammars; see its MANIFEST.md) replayed through ``Client``
and ``AsyncClient``: the recorded request is made with the client's own parameters and reaches
the wire as recorded; the recorded answer (JSON, or a stream as TGI frames it) comes back as
typed tool calls and content, and a stream accumulates into the same message."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
import respx

from tests.facade.twins import Twin
from tests.facade.wire import sse
from text_generation.chat_stream import aaccumulate, accumulate
from text_generation.types import Grammar, GrammarType, Message

HERE = Path(__file__).resolve().parents[1] / "reference" / "tgi-structured"
REQUESTS: dict[str, Any] = json.loads((HERE / "requests.json").read_text())
WEATHER_REQUEST = "test_grammar_response_format_llama__test_grammar_response_format_llama_json.json"
WEATHER = REQUESTS[WEATHER_REQUEST]["body"]["response_format"]["value"]
BASIC = "test_json_schema_constrain__test_json_schema_basic.json"


def chat_requests() -> dict[str, dict[str, Any]]:
    """The recorded chat request behind every recorded chat answer."""
    out = {k: v["body"] for k, v in REQUESTS.items() if v["route"] == "POST /v1/chat/completions"}
    stream = dict(out["test_json_schema_constrain__test_json_schema_stream.json"])
    stream.pop("note")  # "the basic request, streamed"
    out["test_json_schema_constrain__test_json_schema_stream.json"] = {**out[BASIC], **stream}
    weather = out[WEATHER_REQUEST]
    out[WEATHER_REQUEST.replace(".json", ".1.json")] = {
        **weather,
        "response_format": {"type": "json", "value": WEATHER},
    }
    out[WEATHER_REQUEST.replace(".json", ".2.json")] = {
        **weather,
        "response_format": {
            "type": "json_schema",
            "value": {"name": "weather", "strict": True, "schema": WEATHER},
        },
    }
    return out


CHAT = chat_requests()


def test_every_recorded_answer_is_replayed() -> None:
    recorded = {p.name for p in HERE.glob("*.json")} - {"requests.json"}
    assert recorded == set(CHAT) | set(GENERATE)


def _schema(body: dict[str, Any]) -> dict[str, Any] | None:
    rf = body.get("response_format")
    if rf is None:
        return None
    value: dict[str, Any] = rf["value"]
    return value["schema"] if rf["type"] == "json_schema" else value


def _kwargs(body: dict[str, Any]) -> dict[str, Any]:
    """The recorded body as ``chat()`` arguments (messages as 0.7.0's ``Message``)."""
    kwargs = {k: v for k, v in body.items() if k not in ("model", "messages")}
    kwargs["messages"] = [Message(**m) for m in body["messages"]]
    return kwargs


def _on_the_wire(body: dict[str, Any]) -> dict[str, Any]:
    """What the client sends for the recorded body: the same, with ``stream`` always said and
    ``json_object`` by its canonical name ``json`` (TGI's alias)."""
    expected = {"stream": False, **body}
    rf = expected.get("response_format")
    if rf is not None and rf["type"] == "json_object":
        expected["response_format"] = {**rf, "type": "json"}
    return expected


def _check_message(message: Any, expected: dict[str, Any], schema: dict[str, Any] | None) -> None:
    assert message.role == expected["role"]
    assert message.content == expected.get("content")
    if schema is not None:
        jsonschema.validate(json.loads(message.content), schema)
    calls = expected.get("tool_calls")
    if calls is None:
        assert message.tool_calls is None
        return
    assert message.content is None
    assert len(message.tool_calls) == len(calls)
    for ours, theirs in zip(message.tool_calls, calls, strict=True):
        assert (ours.id, ours.type) == (theirs["id"], theirs["type"])
        assert ours.function == theirs["function"]  # as sent: arguments a JSON string
        assert ours.name == theirs["function"]["name"]
        assert ours.arguments == json.loads(theirs["function"]["arguments"])


@pytest.mark.parametrize("name", sorted(k for k in CHAT if not CHAT[k].get("stream")))
def test_recorded_chat_answer(tgi: respx.MockRouter, twin: Twin, name: str) -> None:
    body = CHAT[name]
    route = tgi.post("/v1/chat/completions").respond(
        content=(HERE / name).read_bytes(), headers={"content-type": "application/json"}
    )
    answer = twin.call("chat", **_kwargs(body))
    assert json.loads(route.calls.last.request.content) == _on_the_wire(body)
    recorded = json.loads((HERE / name).read_text())
    assert answer.usage == recorded["usage"]
    [choice] = answer.choices
    assert choice.finish_reason == recorded["choices"][0]["finish_reason"]
    _check_message(choice.message, recorded["choices"][0]["message"], _schema(body))


def _delta_calls(delta: dict[str, Any]) -> list[tuple[Any, ...]] | None:
    calls = delta.get("tool_calls")
    if calls is None:
        return None
    return [
        (c["index"], c["id"], c["type"], c["function"].get("name"), c["function"]["arguments"])
        for c in calls
    ]


@pytest.mark.parametrize("name", sorted(k for k in CHAT if CHAT[k].get("stream")))
def test_recorded_chat_stream(tgi: respx.MockRouter, twin: Twin, name: str) -> None:
    body = CHAT[name]
    recorded: list[dict[str, Any]] = json.loads((HERE / name).read_text())
    stream = [*recorded, "[DONE]"]
    route = tgi.post("/v1/chat/completions").respond(
        content=sse(stream), headers={"content-type": "text/event-stream"}
    )
    chunks = twin.stream("chat", **_kwargs(body))
    assert json.loads(route.calls.last.request.content) == _on_the_wire(body)
    assert len(chunks) == len(recorded)
    for ours, theirs in zip(chunks, recorded, strict=True):
        [choice] = ours.choices
        delta = theirs["choices"][0]["delta"]
        assert choice.delta.content == delta.get("content")
        calls = choice.delta.tool_calls
        assert _delta_calls(delta) == (
            None
            if calls is None
            else [(c.index, c.id, c.type, c.function.name, c.function.arguments) for c in calls]
        )
    # the same stream, accumulated into its final message
    replay = twin.call("chat", **_kwargs(body))
    message = twin.run(aaccumulate(replay)) if twin.kind == "async" else accumulate(replay)
    deltas = [c["choices"][0]["delta"] for c in recorded]
    pieces = [d["tool_calls"][0]["function"]["arguments"] for d in deltas if d.get("tool_calls")]
    expected: dict[str, Any] = {"role": "assistant"}
    if pieces:
        function = {"name": deltas[0]["tool_calls"][0]["function"]["name"]}
        function |= {"arguments": "".join(pieces), "description": None}
        expected["tool_calls"] = [{"id": "0", "type": "function", "function": function}]
    else:
        expected["content"] = "".join(d["content"] for d in deltas)
    _check_message(message, expected, _schema(body))


PERSON = {
    "type": "object",
    "properties": {
        "firstName": {"type": "string"},
        "lastName": {"type": "string"},
        "hobby": {"type": "string"},
        "numCats": {"type": "integer", "minimum": 0},
    },
    "required": ["firstName", "lastName", "hobby", "numCats"],
}
IPV4 = REQUESTS["test_flash_grammar_llama__test_flash_llama_grammar_regex.json"]["body"][
    "parameters"
]["grammar"]["value"]
#: The grammar answers (recorded on the compat route) replayed on ``/generate``.
GENERATE = {
    "test_flash_grammar_llama__test_flash_llama_grammar_json.json": (
        "info: david holtz like trees and has two cats. ",
        Grammar(type=GrammarType.Json, value=json.dumps(PERSON)),
    ),
    "test_grammar_llama__test_non_flash_llama_grammar_json.json": (
        "info: david holtz like trees and has two cats. ",
        Grammar(type=GrammarType.Json, value=PERSON),
    ),
    "test_flash_grammar_llama__test_flash_llama_grammar_regex.json": (
        "Whats Googles DNS",
        Grammar(type=GrammarType.Regex, value=IPV4),
    ),
}


@pytest.mark.parametrize("name", sorted(GENERATE))
def test_recorded_grammar_answer(tgi: respx.MockRouter, twin: Twin, name: str) -> None:
    prompt, grammar = GENERATE[name]
    route = tgi.post("/generate").respond(
        content=(HERE / name).read_bytes(), headers={"content-type": "application/json"}
    )
    answer = twin.call("generate", prompt, max_new_tokens=100, seed=0, grammar=grammar)
    sent = json.loads(route.calls.last.request.content)
    assert sent["parameters"]["grammar"] == {"type": grammar.type.value, "value": grammar.value}
    assert answer.generated_text == json.loads((HERE / name).read_text())["generated_text"]
    if grammar.type is GrammarType.Regex:
        assert re.fullmatch(str(grammar.value), answer.generated_text)
    else:
        jsonschema.validate(json.loads(answer.generated_text), PERSON)
