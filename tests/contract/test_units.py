"""Units of the contract tools: the tolerant SSE reader, the recording format's event cutting,
redaction and body differences."""

from __future__ import annotations

from tgi_mock.contract.recording import (
    Recording,
    differences,
    redact_headers,
    redact_query,
    split_events,
)
from tgi_mock.contract.wire import sse_payloads


def test_sse_reader_accepts_what_tgi_versions_send() -> None:
    body = (
        b":\n\n"  # keep-alive
        b'data:{"a":1}\n\n'  # TGI <= 2.0: no space
        b'data: {"b":2}\r\n\r\n'  # CRLF
        b"data: line one\ndata: line two\n\n"  # multi-line data
        b"event: ignored\nid: 7\n\n"
        b"data: [DONE]\n\n"
    )
    assert sse_payloads(body) == ['{"a":1}', '{"b":2}', "line one\nline two", "[DONE]"]


def test_events_are_cut_at_event_ends_with_the_time_they_completed() -> None:
    chunks = [(0.1, b'data: {"a"'), (0.3, b":1}\n\ndata: 2\n\ndata"), (0.5, b": 3")]
    assert split_events(chunks) == [
        (0.3, b'data: {"a":1}\n\n'),
        (0.3, b"data: 2\n\n"),
        (0.5, b"data: 3"),
    ]
    assert b"".join(data for _, data in split_events(chunks)) == b"".join(c for _, c in chunks)


def test_secrets_are_redacted_and_hop_by_hop_headers_dropped() -> None:
    headers = [
        ("Authorization", "Bearer hf_abc"),
        ("X-Api-Key", "k-123"),
        ("Cookie", "session=1"),
        ("X-HF-Token", "hf_xyz"),
        ("Connection", "keep-alive"),
        ("Host", "tgi:80"),
        ("Content-Length", "12"),
        ("Content-Type", "application/json"),
    ]
    assert redact_headers(headers) == [
        ("authorization", "Bearer <redacted>"),
        ("x-api-key", "<redacted>"),
        ("cookie", "<redacted>"),
        ("x-hf-token", "<redacted>"),
        ("content-type", "application/json"),
    ]
    assert redact_query("api_key=abc&model=x") == "api_key=%3Credacted%3E&model=x"


def test_differences_name_the_keys_that_differ() -> None:
    recorded = {"inputs": "a", "parameters": {"max_new_tokens": 4, "stop": ["x", "y"]}}
    sent = {"parameters": {"max_new_tokens": 5, "stop": ["x"], "seed": 1}, "inputs": "a"}
    assert differences(recorded, sent) == [
        "parameters.max_new_tokens",
        "parameters.seed",
        "parameters.stop[1]",
    ]
    assert differences(recorded, dict(reversed(list(recorded.items())))) == []


def test_a_recording_survives_its_file_format() -> None:
    recording = Recording(
        method="POST",
        path="/generate_stream",
        request_body=b'{"inputs":"hi"}',
        status=200,
        response_headers=[("content-type", "text/event-stream")],
        body=b"data: 1\n\ndata: \xff\n\n",
        events=[(0.01, b"data: 1\n\n"), (0.2, b"data: \xff\n\n")],
        index=3,
    )
    data = recording.to_json()
    assert data["response"]["events"][1] == {"t": 0.2, "data_base64": "ZGF0YTog/woK"}
    again = Recording.from_json(data, "0003-POST-generate_stream.json")
    assert (again.body, again.events, again.request_json) == (
        recording.body,
        recording.events,
        {"inputs": "hi"},
    )
