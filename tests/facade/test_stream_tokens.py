"""What an interrupted stream carries: the tokens handed out, as ``Token`` models equal to them,
kept without holding garbage-collected objects for every token of every open stream."""

from __future__ import annotations

import gc
import json

from text_generation._streams import TokenStream
from text_generation.errors import StreamInterruptedError
from text_generation.types import StreamResponse, Token


def _event(i: int, *, special: bool = False) -> bytes:
    token = {"id": i, "text": f" t{i}", "logprob": -0.25 * i, "special": special}
    payload = {"index": i + 1, "token": token, "generated_text": None, "details": None}
    return b"data: " + json.dumps(payload).encode() + b"\n\n"


def test_partial_tokens_are_the_tokens_handed_out() -> None:
    reader = TokenStream()
    events = list(reader.feed(_event(0) + _event(1, special=True)))
    events += reader.feed(b"data: {not json}\n\n")  # a malformed event ends the stream
    err = reader.interrupted("the connection broke")
    assert isinstance(err, StreamInterruptedError)
    assert "after 2 tokens" in str(err)
    assert err.partial_tokens == [e.token for e in events]
    assert all(type(t) is Token for t in err.partial_tokens)
    assert err.partial_text == " t0"
    assert err.partial_tokens[1].model_dump() == {
        "id": 1,
        "text": " t1",
        "logprob": -0.25,
        "special": True,
    }


def test_partial_tokens_follow_assignments_to_the_tokens_handed_out() -> None:
    reader = TokenStream()
    (event,) = reader.feed(_event(3))
    event.token.text = " changed"
    (kept,) = reader.interrupted("the stream ended").partial_tokens
    assert kept == event.token
    assert kept.text == " changed"


def test_no_tracked_object_is_kept_per_token() -> None:
    reader = TokenStream()
    before = len(gc.get_objects())
    for i in range(500):
        list(reader.feed(_event(i)))
    assert len(gc.get_objects()) - before < 100
    assert reader.started
    assert len(reader.tokens) == 500


def test_a_chunk_is_parsed_event_by_event() -> None:
    """A long chunk's events are parsed as they are asked for: with many streams in flight, a
    chunk's worth of parsed events each would stay alive across awaits for the collector to walk."""
    reader = TokenStream()
    events = reader.feed(b"".join(_event(i) for i in range(1000)) + b"data: {not json}\n\n")
    seen = 0
    for event in events:
        seen += 1
        if seen == 500:
            alive = sum(type(o) is StreamResponse for o in gc.get_objects())
            assert alive <= 2
            assert not reader.done  # the malformed event at the end is not parsed yet
        del event
    assert seen == 1000
    assert reader.done
