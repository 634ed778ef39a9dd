"""Checks of a replay: every field of an answer, every event of a stream, the request sent.

``assert_same`` compares a documented type with the answer's JSON recursively (no dropped or
renamed field, JSON types kept, enums equal to their wire string); ``assert_response`` and
``assert_stream`` add the documented types inside; ``assert_request`` checks the JSON body the
server received against the snapshot's request (and 0.7.0's defaults); ``received_json`` takes
that body from the test server's log.
"""

from __future__ import annotations

import json
from enum import Enum
from typing import Any

from pydantic import BaseModel
from pytest_httpserver import HTTPServer

from tests.facade.snapshots import Snapshot
from text_generation.types import (
    BestOfSequence,
    Details,
    FinishReason,
    InputToken,
    Response,
    StreamDetails,
    StreamResponse,
    Token,
)

#: What the facade sends, as text-generation 0.7.0 does, for a keyword left at its default.
DEFAULTS_ON_WIRE: dict[str, Any] = {
    "do_sample": False,
    "max_new_tokens": 20,
    "return_full_text": False,
    "stop": [],
    "watermark": False,
    "decoder_input_details": False,
}


def _strict(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def assert_same(actual: Any, expected: Any, path: str) -> None:
    """``actual`` (a documented type) carries exactly ``expected`` (the answer's JSON).

    A key of the answer that the type has no field for fails (a dropped or renamed field); a
    field the answer lacks must be None. Scalars must keep their JSON type (bool stays bool,
    integers stay int, logprobs are floats); enums must equal their wire string.
    """
    if isinstance(expected, dict):
        assert isinstance(actual, BaseModel), f"{path}: expected an object, got {actual!r}"
        fields = set(type(actual).model_fields)
        unknown = sorted(set(expected) - fields)
        assert not unknown, (
            f"{path}: the answer's keys {unknown} are not fields of {type(actual).__name__} "
            "(dropped or renamed)"
        )
        for name in sorted(fields):
            assert_same(getattr(actual, name), expected.get(name), f"{path}.{name}")
    elif isinstance(expected, list):
        assert isinstance(actual, list), f"{path}: expected a list, got {actual!r}"
        assert len(actual) == len(expected), f"{path}: {len(actual)} items, not {len(expected)}"
        for i, (a, e) in enumerate(zip(actual, expected, strict=True)):
            assert_same(a, e, f"{path}[{i}]")
    elif expected is None:
        assert actual is None, f"{path}: expected None, got {actual!r}"
    elif isinstance(actual, Enum):
        assert isinstance(expected, str), f"{path}: enum {actual!r} for {expected!r}"
        assert actual.value == expected, f"{path}: {actual!r} != {expected!r}"
        assert isinstance(actual, str), f"{path}: {actual!r} is not a str enum"
        assert actual == expected, f"{path}: {actual!r} does not equal its wire string"
    elif isinstance(expected, bool):
        assert actual is expected, f"{path}: {actual!r} is not {expected!r}"
    elif isinstance(expected, int):
        assert type(actual) is int, f"{path}: expected int, got {actual!r}"
        assert actual == expected, f"{path}: {actual!r} != {expected!r}"
    elif isinstance(expected, float):
        assert type(actual) is float, f"{path}: expected float, got {actual!r}"
        assert actual == expected, f"{path}: {actual!r} != {expected!r}"
    else:
        assert type(actual) is type(expected), f"{path}: {actual!r} is not a {type(expected)}"
        assert actual == expected, f"{path}: {actual!r} != {expected!r}"


def assert_response(response: Any, answer: dict[str, Any]) -> None:
    """Every field of a ``Response`` against the answer, and the documented types inside."""
    assert type(response) is Response
    assert_same(response, answer, "response")
    details = response.details
    assert details is not None
    assert isinstance(details.finish_reason, FinishReason)
    assert details.finish_reason == answer["details"]["finish_reason"]
    assert all(type(t) is InputToken for t in details.prefill)
    assert all(type(t) is Token for t in details.tokens)
    sequences: list[Details | BestOfSequence] = [details, *(details.best_of_sequences or [])]
    assert all(type(s) is BestOfSequence for s in sequences[1:])
    for seq in sequences:
        assert isinstance(seq.finish_reason, FinishReason)
        if seq.top_tokens is not None:
            assert all(type(t) is Token for step in seq.top_tokens for t in step)


def assert_stream(events: list[Any], expected: list[dict[str, Any]]) -> None:
    """Every event of a stream against the events sent."""
    assert len(events) == len(expected), f"{len(events)} events, {len(expected)} sent"
    for i, (event, sent) in enumerate(zip(events, expected, strict=True)):
        assert type(event) is StreamResponse
        assert_same(event, sent, f"event[{i}]")
        assert type(event.token) is Token
        if event.top_tokens is not None:
            assert all(type(t) is Token for t in event.top_tokens)
        last = i == len(expected) - 1
        assert (event.generated_text is not None) is last, f"event[{i}].generated_text"
        assert (event.details is not None) is last, f"event[{i}].details"
    final = events[-1].details
    assert type(final) is StreamDetails
    assert isinstance(final.finish_reason, FinishReason)


def assert_request(
    body: dict[str, Any], snap: Snapshot, *, stream: bool, compat: bool = False
) -> None:
    """The JSON body the server received: the prompt, every keyword under its wire name,
    ``details: true``, and nothing else but 0.7.0's defaults."""
    assert body["inputs"] == snap.prompt
    extra = set(body) - {"inputs", "parameters", "stream"}
    assert not extra, f"unexpected top-level keys {sorted(extra)}"
    if compat:
        assert body["stream"] is stream, "the compat route needs `stream` in the body"
    else:
        assert body.get("stream", stream) is stream
    params: dict[str, Any] = body["parameters"]
    assert params.get("details") is True, "`details` must always be sent as true"
    wanted = snap.wire_parameters(stream=stream)
    for name, value in wanted.items():
        assert name in params, f"`{name}` was not sent"
        assert _strict(params[name]) == _strict(value), f"`{name}`: sent {params[name]!r}"
    for name, value in params.items():
        if name in wanted or name == "details":
            continue
        if name in DEFAULTS_ON_WIRE:
            assert _strict(value) == _strict(DEFAULTS_ON_WIRE[name]), f"`{name}` = {value!r}"
        else:
            assert value is None, f"`{name}` = {value!r} was sent but not asked for"


def received_json(httpserver: HTTPServer, path: str) -> dict[str, Any]:
    """The JSON body of the one request the server received on ``path``."""
    bodies = [req for req, _ in httpserver.log if req.path == path]
    assert len(bodies) == 1, f"{len(bodies)} requests on {path}: {httpserver.log}"
    request = bodies[0]
    assert request.method == "POST"
    assert "application/json" in (request.content_type or "")
    body: dict[str, Any] = json.loads(request.get_data())
    return body
