"""How error answers, error events and broken bodies reach the user: typed, with their status."""

from __future__ import annotations

from typing import Any

import pytest
import respx

from tests.facade.conftest import BASE
from tests.facade.twins import Twin
from tests.facade.wire import generate_answer, sse, stream_events
from text_generation import errors, types
from text_generation.errors import parse_error

# text-generation 0.7.0's parse_error, as a table: (status, payload) -> class name.
UPSTREAM_MAPPING = [
    (422, {"error": "m", "error_type": "validation"}, "ValidationError"),
    (424, {"error": "m", "error_type": "generation"}, "GenerationError"),
    (429, {"error": "m", "error_type": "overloaded"}, "OverloadedError"),
    (500, {"error": "m", "error_type": "incomplete_generation"}, "IncompleteGenerationError"),
    (400, {"error": "m"}, "BadRequestError"),
    (403, {"error": "m"}, "ShardNotReadyError"),
    (424, {"error": "m"}, "ShardNotReadyError"),
    (504, {"error": "m"}, "ShardTimeoutError"),
    (404, {"error": "m"}, "NotFoundError"),
    (429, {"error": "m"}, "RateLimitExceededError"),
    (500, {"error": "m"}, "UnknownError"),
    (422, {"error": "m", "error_type": "template_error"}, "UnknownError"),
]


@pytest.mark.parametrize(("status", "payload", "name"), UPSTREAM_MAPPING)
def test_parse_error_keeps_the_upstream_mapping(status: int, payload: Any, name: str) -> None:
    err = parse_error(status, payload)
    assert type(err).__name__ == name
    assert isinstance(err, errors.TextGenerationError)
    assert str(err) == "m"
    assert err.status_code == status
    assert err.error_type == payload.get("error_type")


@pytest.mark.parametrize(
    "payload",
    [{}, {"error": None}, {"error": {"message": "boom", "http_status_code": 422}}, {"detail": "x"}],
)
def test_parse_error_never_raises_on_odd_payloads(payload: Any) -> None:
    err = parse_error(500, payload)
    assert isinstance(err, errors.UnknownError)
    assert err.status_code == 500


def test_every_exception_derives_from_the_base() -> None:
    for name in errors.__all__:
        obj = getattr(errors, name)
        if isinstance(obj, type):
            assert issubclass(obj, errors.TextGenerationError), name
    assert issubclass(errors.APITimeoutError, errors.APIConnectionError)
    assert issubclass(errors.StreamInterruptedError, errors.IncompleteGenerationError)
    assert issubclass(errors.StreamTimeoutError, errors.APITimeoutError)


@pytest.mark.parametrize(
    ("status", "headers", "body", "cls", "piece"),
    [
        (
            422,
            {"content-type": "application/json"},
            b'{"error":"Input validation error: `top_n_tokens` must be >= 0 and <= 5. Given: 6",'
            b'"error_type":"validation"}',
            errors.ValidationError,
            "`top_n_tokens`",
        ),
        (
            424,
            {"content-type": "application/json"},
            b'{"error":"Request failed during generation: oom","error_type":"generation"}',
            errors.GenerationError,
            "oom",
        ),
        (
            429,
            {"content-type": "application/json"},
            b'{"error":"Model is overloaded","error_type":"overloaded"}',
            errors.OverloadedError,
            "overloaded",
        ),
        (
            422,
            {"content-type": "text/plain; charset=utf-8"},
            b"Failed to deserialize the JSON body into the target type: parameters.seed: invalid "
            b"value: integer `-1`, expected u64 at line 1 column 40",
            errors.ValidationError,
            "Failed to deserialize",
        ),
        (
            413,
            {"content-type": "text/plain; charset=utf-8"},
            b"Failed to buffer the request body: length limit exceeded",
            errors.UnknownError,
            "length limit exceeded",
        ),
        (
            502,
            {"content-type": "text/html"},
            b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
            errors.UnknownError,
            "502 Bad Gateway",
        ),
        (404, {}, b"", errors.NotFoundError, "empty body"),
        (500, {"content-type": "application/json"}, b"{not json", errors.UnknownError, "{not json"),
    ],
    ids=[
        "422-json",
        "424",
        "429",
        "422-plain",
        "413-plain",
        "502-html",
        "404-empty",
        "500-bad-json",
    ],
)
def test_error_answers_raise_typed_errors(
    tgi: respx.MockRouter,
    twin: Twin,
    status: int,
    headers: dict[str, str],
    body: bytes,
    cls: type[errors.TextGenerationError],
    piece: str,
) -> None:
    tgi.post("/generate").respond(status, content=body, headers=headers)
    with pytest.raises(cls) as err:
        twin.call("generate", "p")
    assert type(err.value) is cls
    assert err.value.status_code == status
    assert piece in str(err.value)


@pytest.mark.parametrize("status", [422, 502])
def test_stream_error_status_raises_typed_error(
    tgi: respx.MockRouter, twin: Twin, status: int
) -> None:
    tgi.post("/generate_stream").respond(
        status, content=b"<html>bad gateway</html>", headers={"content-type": "text/html"}
    )
    with pytest.raises(errors.TextGenerationError) as err:
        twin.stream("generate_stream", "p")
    assert err.value.status_code == status
    assert "bad gateway" in str(err.value)


def test_error_event_on_http_200_raises_after_earlier_tokens(
    tgi: respx.MockRouter, twin: Twin
) -> None:
    events: list[Any] = stream_events([" a", " b", " c"])[:2]
    events.append(
        {"error": "Request failed during generation: shard died", "error_type": "generation"}
    )
    tgi.post("/generate_stream").respond(
        content=sse(events), headers={"content-type": "text/event-stream"}
    )
    stream = twin.run(twin.client.generate_stream("p"))
    received = twin.collect(stream, limit=2)
    assert [e.token.text for e in received] == [" a", " b"]
    with pytest.raises(errors.GenerationError, match="shard died") as err:
        twin.stream("generate_stream", "p")
    assert err.value.error_type == "generation"


def test_validation_error_event_before_any_token(tgi: respx.MockRouter, twin: Twin) -> None:
    event = {
        "error": "Input validation error: `best_of` != 1 is not supported when streaming tokens",
        "error_type": "validation",
    }
    tgi.post("/generate_stream").respond(
        content=sse([event]), headers={"content-type": "text/event-stream"}
    )
    with pytest.raises(errors.ValidationError, match="best_of") as err:
        twin.stream("generate_stream", "p")
    assert err.value.status_code == 200


def test_stream_without_final_event_raises_interrupted(tgi: respx.MockRouter, twin: Twin) -> None:
    tgi.post("/generate_stream").respond(
        content=sse(stream_events([" a", " b", " c"])[:2]),
        headers={"content-type": "text/event-stream"},
    )
    with pytest.raises(errors.StreamInterruptedError) as err:
        twin.stream("generate_stream", "p")
    assert err.value.partial_text == " a b"
    assert [t.text for t in err.value.partial_tokens] == [" a", " b"]


def test_chat_stream_error_in_openai_shape(tgi: respx.MockRouter, twin: Twin) -> None:
    event = {
        "error": {
            "message": "Input validation error: `inputs` cannot be empty",
            "http_status_code": 422,
        }
    }
    tgi.post("/v1/chat/completions").respond(
        content=sse([event, "[DONE]"]), headers={"content-type": "text/event-stream"}
    )
    with pytest.raises(errors.TextGenerationError, match="cannot be empty") as err:
        twin.collect(twin.call("chat", [{"role": "user", "content": ""}], stream=True))
    assert err.value.status_code == 422


@pytest.mark.parametrize(
    ("body", "piece"),
    [
        (b"<html>ok</html>", "not JSON"),
        (b'{"generated_text": 5}', "generated_text"),
        (b'{"details": {}}', "generated_text"),
        (
            b'{"generated_text": "x", "details": {"finish_reason": 3, "generated_tokens": 1,'
            b' "seed": null, "prefill": [], "tokens": []}}',
            "finish_reason",
        ),
        (b'{"generated_text": "x", "details": {"finish_reason": "length"}}', "details"),
        (b"[1, 2]", "should be an object"),
    ],
    ids=[
        "html",
        "wrong-type",
        "missing-key",
        "finish-not-a-string",
        "partial-details",
        "list",
    ],
)
def test_malformed_success_bodies_raise_invalid_response(
    tgi: respx.MockRouter, twin: Twin, body: bytes, piece: str
) -> None:
    tgi.post("/generate").respond(200, content=body, headers={"content-type": "application/json"})
    with pytest.raises(errors.InvalidResponseError, match=piece):
        twin.call("generate", "p")


def test_an_unknown_finish_reason_is_kept(tgi: respx.MockRouter, twin: Twin) -> None:
    """A finish reason a newer TGI adds parses (forward compatible), with its wire value."""
    body = (
        b'{"generated_text": "x", "details": {"finish_reason": "tired", "generated_tokens": 1,'
        b' "seed": null, "prefill": [], "tokens": []}}'
    )
    tgi.post("/generate").respond(200, content=body, headers={"content-type": "application/json"})
    reason = twin.call("generate", "p").details.finish_reason
    assert isinstance(reason, types.FinishReason)
    assert reason == "tired"
    assert reason.value == "tired"
    assert types.FinishReason("length") is types.FinishReason.Length


def test_malformed_stream_events_raise_invalid_response(tgi: respx.MockRouter, twin: Twin) -> None:
    tgi.post("/generate_stream").respond(
        content=b"data: {not json}\n\n", headers={"content-type": "text/event-stream"}
    )
    with pytest.raises(errors.InvalidResponseError, match="not JSON"):
        twin.stream("generate_stream", "p")


def test_health_and_info(tgi: respx.MockRouter, twin: Twin) -> None:
    tgi.get("/health").respond(200)
    assert twin.call("health") is True
    tgi.get("/health").respond(503, json={"error": "unhealthy", "error_type": "healthcheck"})
    assert twin.call("health") is False
    tgi.get("/info").respond(
        json={
            "model_id": "m",
            "model_sha": None,
            "model_pipeline_tag": None,
            "max_concurrent_requests": 128,
            "max_best_of": 2,
            "max_stop_sequences": 4,
            "max_input_tokens": 1024,
            "max_total_tokens": 2048,
            "validation_workers": 2,
            "max_client_batch_size": 4,
            "router": "text-generation-router",
            "version": "3.3.6",
            "sha": None,
            "docker_label": None,
            "new_field": 1,
        }
    )
    info = twin.call("info")
    assert (info.model_id, info.max_input_tokens, info.model_extra) == ("m", 1024, {"new_field": 1})
    tgi.post("/tokenize").respond(json=[{"id": 5, "text": "Hi", "start": 0, "stop": 2}])
    assert twin.call("tokenize", "Hi")[0].stop == 2
    assert generate_answer()  # keeps the builder import honest


# -- errors that say where (what a user reads when a call fails) ----------------------------------


def _closed_port() -> int:
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = int(sock.getsockname()[1])
    sock.close()
    return port


@pytest.mark.parametrize("max_retries", [0, 1])
def test_a_refused_connection_names_the_request_and_the_attempts(
    kind: str, max_retries: int
) -> None:
    port = _closed_port()
    t = Twin(kind, f"http://user:pw@127.0.0.1:{port}", max_retries=max_retries)
    t.client._retry = type(t.client._retry)(max_retries=max_retries, base_delay=0.01)
    try:
        with pytest.raises(errors.APIConnectionError) as err:
            t.call("generate", "p")
        with pytest.raises(errors.APIConnectionError) as stream_err:
            t.stream("generate_stream", "p")
    finally:
        t.close()
    attempts = max_retries + 1
    text = str(err.value)
    assert f"POST http://127.0.0.1:{port}/generate" in text
    assert f"{attempts} attempt{'s' if attempts > 1 else ''}" in text
    assert "is the server running" in text
    assert "pw" not in text
    assert "user" not in text
    assert (err.value.method, err.value.attempts) == ("POST", attempts)
    assert err.value.url == f"http://127.0.0.1:{port}/generate"
    assert f"POST http://127.0.0.1:{port}/generate_stream" in str(stream_err.value)


@pytest.mark.parametrize("status", [401, 403])
def test_an_auth_failure_says_a_token_is_needed_and_how(
    tgi: respx.MockRouter, twin: Twin, status: int
) -> None:
    tgi.post("/generate").respond(status)
    tgi.get("/info").respond(status)
    with pytest.raises(errors.TextGenerationError) as err:
        twin.call("generate", "p")
    text = str(err.value)
    assert err.value.status_code == status
    assert "token" in text
    assert "headers={'Authorization': 'Bearer <token>'}" in text
    assert f"POST {BASE}/generate" in text
    with pytest.raises(errors.TextGenerationError) as info_err:
        twin.call("info")
    assert f"GET {BASE}/info" in str(info_err.value)


def test_the_inference_api_hint_names_hf_token() -> None:
    from text_generation._transport import located

    err = located(
        errors.UnknownError("HTTP 401: (empty body)", status_code=401),
        "POST",
        "https://api-inference.example/models/m",
        1,
        inference_api=True,
    )
    assert "HF_TOKEN" in str(err)
    unreachable = errors.APIConnectionError("connection failed")
    unreachable.before_response = True
    assert "HF_INFERENCE_ENDPOINT" in str(
        located(
            unreachable, "POST", "https://api-inference.example/models/m", 3, inference_api=True
        )
    )


def test_a_404_on_a_wrong_base_path_names_the_url_that_answered(kind: str) -> None:
    with respx.mock(assert_all_called=False, using="httpx") as router:
        router.post(f"{BASE}/api/v1/generate").respond(404)
        router.post(f"{BASE}/api/v1/generate_stream").respond(404)
        t = Twin(kind, f"{BASE}/api/v1", max_retries=0)
        try:
            with pytest.raises(errors.NotFoundError) as err:
                t.call("generate", "p")
            with pytest.raises(errors.NotFoundError) as stream_err:
                t.stream("generate_stream", "p")
        finally:
            t.close()
    assert f"{BASE}/api/v1/generate answered 404" in str(err.value)
    assert "base_url" in str(err.value)
    assert f"{BASE}/api/v1/generate_stream answered 404" in str(stream_err.value)


def test_a_server_message_is_kept_verbatim_and_the_request_is_a_note(
    tgi: respx.MockRouter, twin: Twin
) -> None:
    tgi.post("/generate").respond(422, json={"error": "bad input", "error_type": "validation"})
    with pytest.raises(errors.ValidationError) as err:
        twin.call("generate", "p")
    assert str(err.value) == "bad input"  # as text-generation 0.7.0 shows it
    assert err.value.url == f"{BASE}/generate"
    assert any(f"POST {BASE}/generate, 1 attempt" in note for note in err.value.__notes__)


def test_a_client_validation_error_names_no_request(tgi: respx.MockRouter, twin: Twin) -> None:
    with pytest.raises(errors.ClientValidationError) as err:
        twin.call("generate", "p", temperature=-1.0)
    assert err.value.url is None
    assert not tgi.calls


@pytest.mark.parametrize("name", ["InferenceAPIClient", "InferenceAPIAsyncClient"])
def test_an_unreachable_inference_api_names_the_endpoint_and_the_variable(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import text_generation

    port = _closed_port()
    monkeypatch.setenv("HF_INFERENCE_ENDPOINT", f"http://127.0.0.1:{port}")
    with pytest.raises(errors.APIConnectionError) as err:
        getattr(text_generation, name)("org/model")
    text = str(err.value)
    assert f"GET http://127.0.0.1:{port}/status/org/model" in text
    assert "HF_INFERENCE_ENDPOINT" in text
