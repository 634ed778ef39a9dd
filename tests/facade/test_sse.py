"""The SSE decoder: framings, line endings, comments, multi-line data, splits anywhere."""

from __future__ import annotations

import json

import pytest

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
    events = reader.feed(chunk)
    assert [e.token.text for e in events] == [" a"]
    assert reader.done
    with pytest.raises(Exception, match="overloaded"):
        reader.end()
