"""Faults on demand: the grammar, and each fault by header, prompt marker and server setting."""

from __future__ import annotations

import time

import httpx
import pytest

from tests.mock.helpers import sse_json, stream
from tgi_mock.faults import FaultError, FaultSpec, extract_markers, parse_faults, strip_markers
from tgi_mock.pytest_plugin import TGIMock

SKY = "Why is the sky blue?"
GENERATION_ERROR = {
    "error": "Request failed during generation: mock fault",
    "error_type": "generation",
}


def wait_idle(tgi_mock: TGIMock) -> None:
    """Wait (at most 3 s) until no permit is held, then check it."""
    deadline = time.monotonic() + 3
    while tgi_mock.state.permits.in_flight and time.monotonic() < deadline:
        time.sleep(0.02)
    assert tgi_mock.state.permits.in_flight == 0


def fault(spec: str) -> dict[str, str]:
    return {"x-mock-fault": spec}


def test_grammar() -> None:
    spec = parse_faults(" Latency-First=0.5 ; latency_token=0.01,drop-after=2;no-final;html502 ")
    assert spec == FaultSpec(
        latency_first=0.5, latency_token=0.01, drop_after=2, no_final=True, html_502=True
    )
    assert parse_faults("status=503;error_type=overloaded;retry-after=1") == FaultSpec(
        status=503, error_type="overloaded", retry_after="1"
    )
    assert parse_faults("") == FaultSpec()
    assert parse_faults("overload=false").overload is False
    assert parse_faults("error-event-after=3").error_event_after == 3


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("bogus", "unknown fault 'bogus'"),
        ("drop-after", "drop-after needs a value"),
        ("drop-after=x", "drop-after='x' is not a number"),
        ("latency-first=-1", "latency-first must not be negative"),
        ("status=99", "status=99 is not an HTTP status"),
        ("no-final=maybe", "no-final takes no value or true/false, got 'maybe'"),
    ],
)
def test_grammar_errors(spec: str, message: str) -> None:
    with pytest.raises(FaultError, match="^" + message.replace("(", r"\(")):
        parse_faults(spec)


def test_markers_and_merging() -> None:
    text = "[[mock:drop-after=1]]Hello [[mock:drop-after=3;no-final]]world"
    assert extract_markers(text) == FaultSpec(drop_after=3, no_final=True)
    assert strip_markers(text) == "Hello world"
    assert FaultSpec(status=500, drop_after=1).merged(FaultSpec(status=503)) == FaultSpec(
        status=503, drop_after=1
    )


def test_invalid_header_is_a_400(http: httpx.Client) -> None:
    response = http.post("/generate", json={"inputs": "x"}, headers=fault("bogus"))
    assert response.status_code == 400
    assert response.text == "Invalid x-mock-fault: unknown fault 'bogus'"


def test_latency_first_non_stream(http: httpx.Client) -> None:
    start = time.monotonic()
    response = http.post("/generate", json={"inputs": SKY}, headers=fault("latency-first=0.3"))
    assert response.status_code == 200
    assert time.monotonic() - start >= 0.3


def test_latency_between_tokens_is_real_streaming(http: httpx.Client) -> None:
    arrivals: list[float] = []
    body = {"inputs": SKY, "parameters": {}}
    with http.stream(
        "POST", "/generate_stream", json=body, headers=fault("latency-first=0.2;latency-token=0.15")
    ) as response:
        start = time.monotonic()
        for line in response.iter_lines():
            if line.startswith("data:"):
                arrivals.append(time.monotonic() - start)
    assert len(arrivals) == 3
    assert arrivals[0] >= 0.15
    assert arrivals[1] - arrivals[0] >= 0.1
    assert arrivals[2] - arrivals[1] >= 0.1


@pytest.mark.parametrize("path", ["/generate", "/generate_stream", "/", "/v1/chat/completions"])
def test_status_with_error_type_and_retry_after(http: httpx.Client, path: str) -> None:
    body = {"inputs": SKY, "messages": [{"role": "user", "content": SKY}]}
    response = http.post(
        path, json=body, headers=fault("status=503;error_type=overloaded;retry-after=1")
    )
    assert response.status_code == 503
    assert response.headers["retry-after"] == "1"
    assert response.json() == {"error": "Service Unavailable", "error_type": "overloaded"}


def test_status_defaults_and_message(http: httpx.Client) -> None:
    response = http.post("/generate", json={"inputs": "x"}, headers=fault("status=424"))
    assert response.json() == GENERATION_ERROR
    custom = http.post("/generate", json={"inputs": "x"}, headers=fault("status=500;message=boom"))
    assert custom.json() == {"error": "boom", "error_type": "incomplete_generation"}


def test_error_event_after_n_tokens(http: httpx.Client) -> None:
    response, raw = stream(
        http, "/generate_stream", {"inputs": SKY}, headers=fault("error-event-after=2")
    )
    assert response.status_code == 200
    events = sse_json(raw)
    assert [e.get("index") for e in events] == [1, 2, None]
    assert events[-1] == GENERATION_ERROR
    _, chat_raw = stream(
        http,
        "/v1/chat/completions",
        {"stream": True, "messages": [{"role": "user", "content": SKY}]},
        headers=fault("error-event-after=1;message=shard died"),
    )
    chat = sse_json(chat_raw)
    assert chat[1:] == [{"error": {"message": "shard died", "http_status_code": 422}}, "[DONE]"]
    non_stream = http.post("/generate", json={"inputs": SKY}, headers=fault("error-event-after=1"))
    assert non_stream.status_code == 424
    assert non_stream.json() == GENERATION_ERROR


def test_drop_after_cuts_the_connection_mid_body(http: httpx.Client) -> None:
    received: list[str] = []
    with (  # noqa: PT012
        pytest.raises(httpx.RemoteProtocolError, match="incomplete chunked read"),
        http.stream(
            "POST",
            "/generate_stream",
            json={"inputs": "Tell me a long story"},
            headers=fault("drop-after=2"),
        ) as response,
    ):
        assert response.status_code == 200
        received.extend(line for line in response.iter_lines() if line.startswith("data:"))
    assert len(received) == 2


def test_drop_on_non_stream_closes_without_answer(http: httpx.Client) -> None:
    with pytest.raises(httpx.RemoteProtocolError, match="disconnected without sending"):
        http.post("/generate", json={"inputs": SKY}, headers=fault("drop-after=0"))
    assert http.post("/generate", json={"inputs": SKY}).status_code == 200


def test_no_final(http: httpx.Client) -> None:
    _, raw = stream(http, "/generate_stream", {"inputs": SKY}, headers=fault("no-final"))
    events = sse_json(raw)
    assert [e["index"] for e in events] == [1, 2]
    assert all(e["generated_text"] is None for e in events)
    _, chat = stream(
        http,
        "/v1/chat/completions",
        {"stream": True, "messages": [{"role": "user", "content": SKY}]},
        headers=fault("no-final"),
    )
    assert "[DONE]" not in sse_json(chat)


def test_html_502(http: httpx.Client) -> None:
    response = http.post("/", json={"inputs": SKY}, headers=fault("html-502"))
    assert response.status_code == 502
    assert response.headers["content-type"].startswith("text/html")
    assert "<h1>502 Bad Gateway</h1>" in response.text


def test_overload_fault(http: httpx.Client) -> None:
    response = http.post("/", json={"inputs": SKY}, headers=fault("overload;retry-after=2"))
    assert response.status_code == 429
    assert response.headers["retry-after"] == "2"
    assert response.json() == {"error": "Model is overloaded", "error_type": "overloaded"}
    stream_response, raw = stream(
        http, "/generate_stream", {"inputs": SKY}, headers=fault("overload")
    )
    assert stream_response.status_code == 200
    assert sse_json(raw) == [{"error": "Model is overloaded", "error_type": "overloaded"}]


def test_unhealthy(tgi_mock: TGIMock, http: httpx.Client) -> None:
    assert http.get("/health", headers=fault("unhealthy")).status_code == 503
    assert http.get("/health").status_code == 200
    tgi_mock.faults.set("unhealthy")
    assert http.get("/health").status_code == 503


def test_prompt_marker_is_applied_and_stripped(http: httpx.Client) -> None:
    body = {
        "inputs": f"[[mock:latency-first=0.01]]{SKY}",
        "parameters": {"return_full_text": True, "details": True},
    }
    response = http.post("/generate", json=body)
    assert response.json()["generated_text"] == SKY + " Rayleigh scattering"
    assert response.headers["x-compute-characters"] == str(len(SKY))
    with (
        pytest.raises(httpx.RemoteProtocolError),
        http.stream(
            "POST", "/generate_stream", json={"inputs": f"{SKY}[[mock:drop-after=1]]"}
        ) as streamed,
    ):
        streamed.read()
    marked = http.post("/generate", json={"inputs": "[[mock:status=418]]x"})
    assert marked.status_code == 418


def test_server_faults_and_priority(tgi_mock: TGIMock, http: httpx.Client) -> None:
    tgi_mock.faults.set("status=500")
    assert http.post("/generate", json={"inputs": SKY}).status_code == 500
    assert (
        http.post("/generate", json={"inputs": SKY}, headers=fault("status=503")).status_code == 503
    )
    assert http.post("/generate", json={"inputs": "[[mock:status=504]]x"}).status_code == 504
    tgi_mock.faults.clear()
    assert http.post("/generate", json={"inputs": SKY}).status_code == 200
    tgi_mock.faults.set(overload=True, retry_after=1, times=2)
    assert [http.post("/", json={"inputs": SKY}).status_code for _ in range(3)] == [429, 429, 200]
    assert tgi_mock.faults.current() == FaultSpec()


def test_concurrency_limit_and_permits_given_back(tgi_mock: TGIMock, http: httpx.Client) -> None:
    tgi_mock.config.max_concurrent_requests = 1
    slow = fault("latency-first=0.3")
    with http.stream("POST", "/generate_stream", json={"inputs": SKY}, headers=slow) as open_stream:
        busy = http.post("/generate", json={"inputs": SKY})
        assert busy.status_code == 429
        assert busy.json() == {"error": "Model is overloaded", "error_type": "overloaded"}
        assert "retry-after" not in busy.headers
        open_stream.read()
    assert http.post("/generate", json={"inputs": SKY}).status_code == 200
    best_of = {"inputs": SKY, "parameters": {"best_of": 2, "do_sample": True}}
    assert http.post("/generate", json=best_of).status_code == 429
    tgi_mock.config.max_concurrent_requests = 2
    assert http.post("/generate", json=best_of).status_code == 200


def test_permit_released_after_client_disconnect_and_drop(
    tgi_mock: TGIMock, http: httpx.Client
) -> None:
    tgi_mock.config.max_concurrent_requests = 1
    with http.stream(
        "POST", "/generate_stream", json={"inputs": SKY}, headers=fault("latency-token=0.5")
    ) as response:
        next(response.iter_raw())
    wait_idle(tgi_mock)
    with (
        pytest.raises(httpx.RemoteProtocolError),
        http.stream(
            "POST", "/generate_stream", json={"inputs": SKY}, headers=fault("drop-after=1")
        ) as dropped,
    ):
        dropped.read()
    wait_idle(tgi_mock)
    assert http.post("/generate", json={"inputs": SKY}).status_code == 200
