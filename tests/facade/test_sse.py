"""The SSE decoder: framings, line endings, comments, multi-line data, splits anywhere."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from text_generation._sse import SSEDecoder
from text_generation._streams import TokenStream
from text_generation.errors import InvalidResponseError

STREAM = (
    ":\n\n"  # keep-alive comment
    'data: {"a": "é日本"}\r\n\r\n'  # CRLF, multi-byte UTF-8
    'data:{"b": 2}\n\n'  # TGI <= 2.0 framing
    ": a comment between events\n"
    "event: message\nid: 7\nretry: 100\n"
    'data: {"c":\ndata:  3}\n\n'  # multi-line data; the second line keeps one of its spaces
    'data: {"d": "🙂"}\r\r'  # bare CR endings
    'data: {"e": 5}\n\n'
    'data: {"incomplete": true}\n'  # never finished: dropped at the end
).encode()
EXPECTED = [{"a": "é日本"}, {"b": 2}, {"c": 3}, {"d": "🙂"}, {"e": 5}]


def decode(chunks: list[bytes]) -> list[object]:
    decoder = SSEDecoder()
    return [json.loads(data) for chunk in chunks for data in decoder.feed(chunk)]


def test_whole_stream() -> None:
    assert decode([STREAM]) == EXPECTED


def test_split_at_every_byte_offset() -> None:
    for cut in range(len(STREAM) + 1):
        assert decode([STREAM[:cut], STREAM[cut:]]) == EXPECTED, f"split at byte {cut}"


def test_one_byte_at_a_time() -> None:
    assert decode([STREAM[i : i + 1] for i in range(len(STREAM))]) == EXPECTED


def test_split_at_every_pair_of_offsets_of_a_crlf_event() -> None:
    event = 'data: {"x": "日本"}\r\n\r\n'.encode()
    for i in range(len(event) + 1):
        for j in range(i, len(event) + 1):
            assert decode([event[:i], event[i:j], event[j:]]) == [{"x": "日本"}], (i, j)


def test_one_megabyte_event_line() -> None:
    text = "x" * (1024 * 1024)
    body = f'data: {{"t": "{text}"}}\n\n'.encode()
    chunks = [body[i : i + 65536] for i in range(0, len(body), 65536)]
    assert decode(chunks) == [{"t": text}]


def test_an_endless_line_is_refused() -> None:
    decoder = SSEDecoder(max_event_bytes=1000)
    for _ in range(20):
        decoder.feed(b"data: xxxxxxxxxxxxxxxxxxxxxxxxxxxx")
    with pytest.raises(InvalidResponseError, match="exceeds 1000 bytes"):
        decoder.feed(b"x" * 400)


def test_token_stream_holds_back_an_error_after_events_of_the_same_chunk() -> None:
    tok = '{"id":1,"text":" a","logprob":-1.0,"special":false}'
    chunk = (
        f'data: {{"index":1,"token":{tok},"generated_text":null,"details":null}}\n\n'
        'data: {"error":"Model is overloaded","error_type":"overloaded"}\n\n'
    ).encode()
    reader = TokenStream()
    events = list(reader.feed(chunk))
    assert [e.token.text for e in events] == [" a"]
    assert reader.done
    with pytest.raises(Exception, match="overloaded"):
        reader.end()


def reference_decode(stream: bytes) -> list[bytes]:
    """The event-stream rules applied to a whole stream at once, line by line."""
    lines = stream.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")
    lines.pop()  # an unfinished last line is dropped
    events: list[bytes] = []
    data: list[bytes] = []
    for line in lines:
        if not line:
            if data:
                events.append(b"\n".join(data))
                data = []
        elif line.startswith(b":"):
            continue
        elif line.startswith(b"data:"):
            value = line[5:]
            data.append(value[1:] if value.startswith(b" ") else value)
        elif line == b"data":
            data.append(b"")
    return events


LINES = st.sampled_from(
    [
        b"data: {}",
        b'data:{"a":1}',
        b"data:  x",
        b"data",
        b"data:",
        b": keep-alive",
        b":",
        b"event: e",
        b"id: 1",
        b"retry: 5",
        b"",
        b"",
        b"",
        b"da",
        b"ta: y",
    ]
)
ENDINGS = st.sampled_from([b"\n", b"\n", b"\n", b"\r\n", b"\r"])


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.tuples(LINES, ENDINGS), max_size=30),
    st.lists(st.integers(min_value=0, max_value=400), max_size=6),
)
def test_any_stream_split_anywhere_decodes_as_the_rules_say(
    lines: list[tuple[bytes, bytes]], cuts: list[int]
) -> None:
    stream = b"".join(line + end for line, end in lines)
    points = sorted({min(c, len(stream)) for c in cuts})
    chunks = [stream[a:b] for a, b in zip([0, *points], [*points, len(stream)], strict=True)]
    decoder = SSEDecoder()
    assert [e for chunk in chunks for e in decoder.feed(chunk)] == reference_decode(stream)


def test_one_event_per_chunk() -> None:
    events = [b"data: {}", b"data:x", b"data: ", b"data:", b"data:  two spaces", b": c", b"id: 1"]
    decoder = SSEDecoder()
    got = [e for event in events for e in decoder.feed(event + b"\n\n")]
    assert got == reference_decode(b"".join(event + b"\n\n" for event in events))
    assert got == [b"{}", b"x", b"", b"", b" two spaces"]
