"""The chat stream's fast path (a strict pydantic-core schema over the JSON bytes) gives exactly
the chunks, and the errors, that the generated model and its converter give; and it is taken for
the chunks real TGI streams are made of."""

from __future__ import annotations

import copy
import itertools
import json
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.facade.test_fastwire import assert_complete
from text_generation._chat_types import ChatCompletionChunk
from text_generation._fastchat import well_formed_chunk
from text_generation._streams import ChatStream
from text_generation._wirecheck import convert
from text_generation.errors import InvalidResponseError, TextGenerationError
from tgi_client import models as m

STRUCTURED = Path(__file__).resolve().parents[1] / "reference" / "tgi-structured"
RECORDED: list[dict[str, Any]] = [
    chunk
    for path in sorted(STRUCTURED.glob("*_stream*.json"))
    for chunk in json.loads(path.read_text())
]
TEXT = RECORDED[0]
TOOL = next(c for c in RECORDED if c["choices"] and c["choices"][0]["delta"].get("tool_calls"))
CALL = TOOL["choices"][0]["delta"]["tool_calls"][0]


def with_choice(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    chunk = copy.deepcopy(base)
    chunk["choices"][0].update(changes)
    return chunk


def with_delta(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    chunk = copy.deepcopy(base)
    chunk["choices"][0]["delta"].update(changes)
    return chunk


TOP: list[tuple[str, Any]] = [
    ("id", 5),
    ("object", None),
    ("created", "1"),
    ("created", True),
    ("created", 1.5),
    ("created", 2**64),
    ("created", -1),
    ("model", None),
    ("choices", None),
    ("choices", [None]),
    ("choices", []),
    ("usage", {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3}),
    ("usage", "lots"),
    ("error", "boom"),
    ("new_key", 1),
]
CHOICE: list[dict[str, Any]] = [
    {"index": "0"},
    {"index": True},
    {"delta": None},
    {"finish_reason": 5},
    {"finish_reason": "stop"},
    {"logprobs": {"content": [{"token": "a", "logprob": -1.0, "top_logprobs": []}]}},
    {"logprobs": 3},
    {"other": 1},
]
DELTA: list[dict[str, Any]] = [
    {"role": None},
    {"content": 5},
    {"content": ["a"]},
    {"content": ""},
    {"tool_call_id": 7},
    {"tool_call_id": "call_1"},
    {"tool_calls": "x"},
    {"tool_calls": [None]},
    {"tool_calls": [{**CALL, "index": True}]},
    {"tool_calls": [{**CALL, "id": 5}]},
    {"tool_calls": [{**CALL, "function": {"arguments": {}}}]},
    {"tool_calls": [{**CALL, "function": {"arguments": "{", "name": 5}}]},
    {"tool_calls": [{**CALL, "function": {"arguments": "{"}}]},
    {"tool_calls": [{k: v for k, v in CALL.items() if k != "type"}]},
    {"reasoning": "hm"},
]
CASES: list[Any] = [
    *RECORDED,
    *({**base, key: value} for base, (key, value) in itertools.product([TEXT, TOOL], TOP)),
    *({k: v for k, v in TEXT.items() if k != key} for key in TEXT),
    *(with_choice(base, **c) for base, c in itertools.product([TEXT, TOOL], CHOICE)),
    *(with_delta(base, **d) for base, d in itertools.product([TEXT, TOOL], DELTA)),
    [],
    "chunk",
]


def slow(payload: Any) -> ChatCompletionChunk:
    """The generated model's path, from the JSON as the stream reader parses it (orjson)."""
    parsed = orjson.loads(json.dumps(payload))
    return convert(
        m.ChatCompletionChunk.from_dict, parsed, ChatCompletionChunk.from_model, "chat chunk"
    )


def streamed(payload: Any) -> ChatCompletionChunk:
    """What ``ChatStream`` hands out for one event whose JSON is ``payload``'s."""
    stream = ChatStream()
    chunks = list(stream.feed(b"data: " + json.dumps(payload).encode() + b"\n\ndata: [DONE]\n\n"))
    stream.end()
    assert len(chunks) == 1
    return chunks[0]


def outcome(parse: Any, payload: Any) -> Any:
    try:
        parsed = parse(copy.deepcopy(payload))
    except InvalidResponseError as err:
        return ("error", type(err).__name__)
    except TextGenerationError as err:  # an error event
        return ("error event", str(err))
    return parsed, repr(parsed)


@pytest.mark.parametrize("payload", CASES, ids=[str(i) for i in range(len(CASES))])
def test_the_fast_path_agrees_with_the_generated_model(payload: Any) -> None:
    expected = outcome(slow, payload)
    if isinstance(payload, dict) and "error" in payload:
        expected = ("error event", "boom")
    assert outcome(streamed, payload) == expected


def test_recorded_chunks_take_the_fast_path() -> None:
    assert len(RECORDED) >= 150
    plain = [c for c in RECORDED if c.get("usage") is None]
    assert all(well_formed_chunk(json.dumps(c).encode()) is not None for c in plain)
    assert well_formed_chunk(json.dumps(TOOL).encode()) == slow(TOOL)


def test_wrong_types_the_converter_let_through_are_refused() -> None:
    for delta in ({"content": 5}, {"tool_call_id": 7}):
        with pytest.raises(InvalidResponseError, match="expected a string or null"):
            slow(with_delta(TEXT, **delta))
    with pytest.raises(InvalidResponseError, match="finish_reason"):
        slow(with_choice(TEXT, finish_reason=5))


def test_fast_chunks_are_full_pydantic_models() -> None:
    chunk = streamed(TOOL)
    call = chunk.choices[0].delta.tool_calls
    assert call is not None
    assert call[0].function.arguments == CALL["function"]["arguments"]
    chunk.choices[0].delta.content = "changed"
    assert json.loads(chunk.model_dump_json())["choices"][0]["delta"]["content"] == "changed"
    assert dict(chunk)["id"] == TOOL["id"]


def test_fast_chunks_hold_every_field_of_their_class() -> None:
    built = [well_formed_chunk(json.dumps(c).encode()) for c in RECORDED]
    assert sum(chunk is not None for chunk in built) >= 150
    for chunk in built:
        assert_complete(chunk)
