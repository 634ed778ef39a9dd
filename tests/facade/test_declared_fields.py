"""Every declared field of every documented type can be read on a parsed answer, and is in its
``model_dump()``: on the recorded TGI answers (fields present) and on minimal answers (optional
fields absent from the JSON). A field that is declared but missing from an instance (as a chat
choice's ``usage`` once was) raises ``AttributeError`` here."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import BaseModel

from text_generation import _core
from text_generation._streams import ChatStream

REFERENCE = Path(__file__).resolve().parents[1] / "reference"
RECORDED = sorted(
    p
    for folder in ("tgi-snapshots", "tgi-structured")
    for p in (REFERENCE / folder).glob("*.json")
    if p.name != "requests.json" and not p.name.endswith(".422.json")
)
MINIMAL = {
    "generate": {"generated_text": "x"},
    "generate-details": {
        "generated_text": "x",
        "details": {
            "finish_reason": "length",
            "generated_tokens": 0,
            "seed": None,
            "prefill": [],
            "tokens": [],
        },
    },
    "chat": {
        "object": "chat.completion",
        "id": "",
        "created": 1,
        "model": "tgi",
        "system_fingerprint": "3.3.6-native",
        "choices": [
            {"index": 0, "message": {"role": "assistant"}, "finish_reason": "stop"},
        ],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    },
    "chunk": [
        {
            "object": "chat.completion.chunk",
            "id": "",
            "created": 1,
            "model": "tgi",
            "system_fingerprint": "3.3.6-native",
            "choices": [{"index": 0, "delta": {"role": "assistant"}}],
        }
    ],
}


def parse(payload: Any) -> list[BaseModel]:
    """What the client hands a user for this recorded payload."""
    if isinstance(payload, list):  # a chat stream's chunks
        reader = ChatStream()
        body = b"".join(b"data: " + json.dumps(c).encode() + b"\n\n" for c in payload)
        return list(reader.feed(body + b"data: [DONE]\n\n"))
    resp = httpx.Response(200, content=json.dumps(payload).encode())
    if payload.get("object") == "chat.completion":
        return [_core.parse_chat(resp)]
    return [_core.parse_generate(resp, compat=False)]


def models(value: Any) -> Iterator[BaseModel]:
    """``value`` and every documented model inside it."""
    if isinstance(value, BaseModel):
        yield value
        for name in type(value).model_fields:
            yield from models(getattr(value, name))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from models(item)


def check(answers: list[BaseModel]) -> set[str]:
    seen = set()
    for answer in answers:
        for model in models(answer):
            cls = type(model)
            seen.add(cls.__name__)
            for name in cls.model_fields:
                getattr(model, name)  # AttributeError for a declared field never set
            assert set(cls.model_fields) <= set(model.model_dump()), cls.__name__
            assert set(cls.model_fields) <= set(dict(model)), cls.__name__
    return seen


@pytest.mark.parametrize("path", RECORDED, ids=[p.stem for p in RECORDED])
def test_every_declared_field_reads_on_recorded_answers(path: Path) -> None:
    assert check(parse(json.loads(path.read_text(encoding="utf-8"))))


@pytest.mark.parametrize("name", list(MINIMAL))
def test_every_declared_field_reads_when_the_json_leaves_it_out(name: str) -> None:
    assert check(parse(MINIMAL[name]))


def test_a_chat_choice_has_its_usage() -> None:
    """0.7.0 declares ``ChatCompletionComplete.usage`` (None; TGI sends usage on the answer)."""
    (answer,) = parse(MINIMAL["chat"])
    choice = answer.choices[0]  # type: ignore[attr-defined]
    assert choice.usage is None
    assert choice.model_dump()["usage"] is None


def test_the_recorded_answers_reach_the_nested_types() -> None:
    seen: set[str] = set()
    for path in RECORDED:
        seen |= check(parse(json.loads(path.read_text(encoding="utf-8"))))
    assert {
        "Response",
        "Details",
        "Token",
        "InputToken",
        "BestOfSequence",
        "ChatComplete",
        "ChatCompletionComplete",
        "Message",
        "ToolCall",
        "ChatCompletionChunk",
        "Choice",
        "ChoiceDelta",
        "ChoiceDeltaToolCall",
        "Function",
    } <= seen
