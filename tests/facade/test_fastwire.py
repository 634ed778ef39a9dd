"""The fast paths (strict pydantic-core schemas over the JSON bytes) accept and refuse exactly
what the generated models and their converters do, with the same results, and they are taken
for every well-formed answer."""

from __future__ import annotations

import copy
import itertools
import json
from pathlib import Path
from typing import Any

import orjson
import pydantic
import pytest

from text_generation._core import parse_generate
from text_generation._fastwire import well_formed_answer, well_formed_event
from text_generation._responses import FinishReason, Response, StreamResponse
from text_generation._streams import TokenStream
from text_generation._wirecheck import convert
from text_generation.errors import InvalidResponseError, TextGenerationError
from tgi_client import models as m

TOKEN = {"id": 5, "text": " é", "logprob": -0.5, "special": False}
VALID: list[dict[str, Any]] = [
    {"index": 1, "token": TOKEN, "generated_text": None, "details": None},
    {"token": TOKEN, "generated_text": None, "details": None},  # TGI <= 1.x: no index
    {
        "index": 2,
        "token": {**TOKEN, "logprob": None, "special": True},
        "top_tokens": [TOKEN, {**TOKEN, "id": 6}],
        "generated_text": "x",
        "details": {
            "finish_reason": "eos_token",
            "generated_tokens": 2,
            "seed": 42,
            "input_length": 3,
        },
    },
    {
        "index": 3,
        "token": TOKEN,
        "generated_text": "",
        "details": {"finish_reason": "length", "generated_tokens": 1, "seed": None},
    },
    {"index": 4, "token": {**TOKEN, "logprob": 0}, "generated_text": None, "details": None},
    {
        "index": 5,
        "token": {**TOKEN, "extra": 1},
        "generated_text": None,
        "details": None,
        "new_field": [1],
    },
    {"index": 6, "token": TOKEN, "top_tokens": [], "generated_text": None, "details": None},
]

MUTATIONS: list[tuple[str, Any]] = [
    ("token", None),
    ("token", "t"),
    ("token", {**TOKEN, "id": "5"}),
    ("token", {**TOKEN, "id": None}),
    ("token", {k: v for k, v in TOKEN.items() if k != "special"}),
    ("token", {**TOKEN, "text": 1}),
    ("token", {**TOKEN, "logprob": "low"}),
    ("token", {**TOKEN, "special": 0}),
    ("index", "1"),
    ("index", 1.5),
    ("generated_text", 5),
    ("top_tokens", {"a": 1}),
    ("top_tokens", [None]),
    ("details", "done"),
    ("details", {"finish_reason": "tired", "generated_tokens": 1, "seed": None}),
    ("details", {"finish_reason": ["length"], "generated_tokens": 1, "seed": None}),
    ("details", {"finish_reason": "length", "generated_tokens": "1", "seed": None}),
    ("details", {"finish_reason": "length", "seed": None}),
    ("details", {"finish_reason": "length", "generated_tokens": 1}),
    ("details", {"finish_reason": "length", "generated_tokens": 1, "seed": "s"}),
    ("details", {"finish_reason": "length", "generated_tokens": 1, "seed": 1, "input_length": "3"}),
]


def slow(payload: Any) -> StreamResponse:
    return convert(m.StreamResponse.from_dict, payload, StreamResponse.from_model, "stream event")


def stream_response(payload: Any) -> StreamResponse:
    """What ``TokenStream`` hands out for one event whose JSON is ``payload``'s."""
    events, error = read_stream(b"data: " + json.dumps(payload).encode() + b"\n\n")
    if error is not None:
        raise error
    assert len(events) == 1
    return events[0]


def read_stream(raw: bytes) -> tuple[list[StreamResponse], TextGenerationError | None]:
    stream = TokenStream()
    events = list(stream.feed(raw))
    try:
        stream.end()
    except TextGenerationError as err:
        if "before the final event" not in str(err):
            return events, err
    return events, None


def outcome(parse: Any, payload: Any) -> Any:
    """The parsed model and its repr (which tells 0 from 0.0, equality does not), or the error."""
    try:
        parsed = parse(copy.deepcopy(payload))
    except InvalidResponseError as err:
        return ("error", type(err).__name__)
    return parsed, repr(parsed)


CASES = (
    VALID
    + [{**base, key: value} for base, (key, value) in itertools.product(VALID[:3], MUTATIONS)]
    + [
        {k: v for k, v in VALID[0].items() if k != key}
        for key in ("token", "generated_text", "details")
    ]
    + [[], "data", 5, None]
)


@pytest.mark.parametrize("payload", CASES, ids=[str(i) for i in range(len(CASES))])
def test_fast_path_agrees_with_the_generated_model(payload: Any) -> None:
    assert outcome(stream_response, payload) == outcome(slow, payload)


def test_valid_events_are_parsed_and_invalid_ones_refused() -> None:
    assert all(isinstance(outcome(stream_response, p)[0], StreamResponse) for p in VALID)
    refused = [p for p in CASES if not isinstance(outcome(stream_response, p)[0], StreamResponse)]
    assert len(refused) >= len(MUTATIONS)


def test_well_formed_events_take_the_fast_path() -> None:
    fast = [p for p in CASES if well_formed_event(json.dumps(p).encode()) is not None]
    assert len(fast) >= 5
    assert all(isinstance(stream_response(p), StreamResponse) for p in fast)


# JSON that orjson (the slow path's parser) and pydantic-core might read apart.
RAW_EVENTS = [
    b'{"token":{"id":18446744073709551616,"text":"a","logprob":null,"special":false},'
    b'"generated_text":null,"details":null}',
    b'{"token":{"id":-9223372036854775809,"text":"a","logprob":null,"special":false},'
    b'"generated_text":null,"details":null}',
    b'{"token":{"id":1.0,"text":"a","logprob":null,"special":false},'
    b'"generated_text":null,"details":null}',
    b'{"token":{"id":1,"text":"a","logprob":NaN,"special":false},'
    b'"generated_text":null,"details":null}',
    b'{"token":{"id":1,"text":"a","logprob":1e400,"special":false},'
    b'"generated_text":null,"details":null}',
    b'{"token":{"id":1,"text":"\\ud800","logprob":null,"special":false},'
    b'"generated_text":null,"details":null}',
    b'{"token":{"id":1,"text":"a","logprob":null,"special":false},"token":{"id":2,'
    b'"text":"b","logprob":-0,"special":true},"generated_text":null,"details":null}',
    b'{"token":{"id":1,"text":"a","logprob":null,"special":false},'
    b'"generated_text":null,"details":null,"error":"boom","error_type":"generation"}',
    b'{"token":{"id":1,"text":"a","logprob":null,"special":false},'
    b'"generated_text":null,"details":null,}',
]


@pytest.mark.parametrize("raw", RAW_EVENTS, ids=[str(i) for i in range(len(RAW_EVENTS))])
def test_json_edge_cases_read_as_the_slow_path_reads_them(raw: bytes) -> None:
    events, error = read_stream(b"data: " + raw + b"\n\n")
    try:
        expected: Any = [slow(orjson.loads(raw))]
    except (ValueError, InvalidResponseError) as err:
        expected = type(err).__name__
    if isinstance(expected, list) and "error" in orjson.loads(raw):
        expected = "error event"
    if error is not None:
        got: Any = "error event" if "boom" in str(error) else "InvalidResponseError"
    else:
        got = events
    if expected == "JSONDecodeError":
        expected = "InvalidResponseError"
    assert got == expected
    if isinstance(got, list):
        assert repr(got) == repr(expected)


def test_fast_path_answers_are_full_pydantic_models() -> None:
    event = stream_response(copy.deepcopy(VALID[2]))
    assert event.details is not None
    assert event.details.finish_reason is FinishReason.EndOfSequenceToken
    event.token.text = "changed"
    assert dict(event.token)["text"] == "changed"
    assert json.loads(event.model_dump_json())["details"]["seed"] == 42
    answer = generate_response({"generated_text": "x", "details": DETAILS})
    assert answer.details is not None
    assert answer.details.finish_reason is FinishReason.Length
    answer.generated_text = "y"
    assert answer.model_copy().generated_text == "y"


# -- generate answers --------------------------------------------------------------------------

SNAPSHOTS = Path(__file__).resolve().parents[2] / "tests" / "reference" / "tgi-snapshots"
ANSWERS = [
    json.loads(p.read_text())
    for p in sorted(SNAPSHOTS.glob("*.json"))
    if p.name != "requests.json" and not p.name.endswith(".422.json")
]
DETAILS = {
    "finish_reason": "length",
    "generated_tokens": 1,
    "seed": None,
    "prefill": [{"id": 1, "text": "a", "logprob": None}],
    "tokens": [TOKEN],
}
DETAIL_MUTATIONS: list[tuple[str, Any]] = [
    ("finish_reason", "tired"),
    ("finish_reason", {"length": 1}),
    ("generated_tokens", None),
    ("seed", -0.5),
    ("prefill", None),
    ("prefill", [{"id": 1, "text": "a"}]),
    ("prefill", [{"id": 1, "text": 2, "logprob": None}]),
    ("tokens", [None]),
    ("tokens", {}),
    ("top_tokens", [[TOKEN], None]),
    ("top_tokens", "x"),
    ("top_tokens", [[{**TOKEN, "logprob": 1}]]),
    ("best_of_sequences", []),
    ("best_of_sequences", [{"x": 1}]),
    ("new_key", 1),
]
GENERATE_CASES: list[Any] = [
    *ANSWERS,
    *({k: v for k, v in a.items() if v is not None} for a in ANSWERS),
    {"generated_text": "x"},
    {"generated_text": "x", "details": None},
    {"generated_text": "x", "details": DETAILS},
    {"generated_text": "x", "details": DETAILS, "extra": 1},
    *({"generated_text": "x", "details": {**DETAILS, k: v}} for k, v in DETAIL_MUTATIONS),
    *(
        {"generated_text": "x", "details": {q: w for q, w in DETAILS.items() if q != k}}
        for k in DETAILS
    ),
    {"generated_text": 1, "details": DETAILS},
    {"details": DETAILS},
    [],
    None,
    "x",
]


def slow_generate(payload: Any) -> Response:
    return convert(m.GenerateResponse.from_dict, payload, Response.from_model, "generate answer")


def generate_response(payload: Any) -> Response:
    """What ``generate`` returns for a ``/generate`` body that is ``payload``'s JSON."""
    return parse_generate(json.dumps(payload).encode(), compat=False)


@pytest.mark.parametrize(
    "payload", GENERATE_CASES, ids=[str(i) for i in range(len(GENERATE_CASES))]
)
def test_generate_fast_path_agrees_with_the_generated_model(payload: Any) -> None:
    assert outcome(generate_response, payload) == outcome(slow_generate, payload)


@pytest.mark.parametrize("compat", [False, True])
def test_well_formed_answers_take_the_fast_path(compat: bool) -> None:
    fast = []
    for payload in GENERATE_CASES:
        body = json.dumps([payload] if compat else payload).encode()
        answer = well_formed_answer(body, compat=compat)
        if answer is not None:
            assert answer == slow_generate(payload)
            assert repr(answer) == repr(slow_generate(payload))
            fast.append(payload)
    plain = [a for a in ANSWERS if not (a.get("details") or {}).get("best_of_sequences")]
    assert len(plain) >= 25
    assert all(a in fast for a in plain)  # every recorded answer but best_of ones


def test_compat_route_answers_read_as_the_slow_path_reads_them() -> None:
    def compat(payload: Any) -> Response:
        return parse_generate(json.dumps([payload]).encode(), compat=True)

    for payload in GENERATE_CASES:
        assert outcome(compat, payload) == outcome(slow_generate, payload)


def test_snapshots_were_found() -> None:
    assert len(ANSWERS) >= 30, SNAPSHOTS


def assert_complete(value: Any) -> None:
    """Every model in ``value`` holds every one of its class's fields, in the class's order."""
    if isinstance(value, list):
        for item in value:
            assert_complete(item)
    elif isinstance(value, pydantic.BaseModel):
        assert list(value.__dict__) == list(type(value).model_fields), type(value).__name__
        for item in value.__dict__.values():
            assert_complete(item)


def test_fast_path_models_hold_every_field_of_their_class() -> None:
    """A field added to a documented type must be added to its schema too."""
    events = [well_formed_event(json.dumps(p).encode()) for p in VALID]
    answers = [well_formed_answer(json.dumps(a).encode(), compat=False) for a in ANSWERS]
    built = [x for x in events + answers if x is not None]
    assert len(built) >= len(VALID) + 25
    for model in built:
        assert_complete(model)
