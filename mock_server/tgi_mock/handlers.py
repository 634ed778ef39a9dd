"""
The generation routes of TGI: `POST /`, `/generate`, `/generate_stream` and the Inference API's
`POST /models/{repo_id}`. Decode, apply faults, validate, generate, encode.

Shared with the OpenAI routes: `collect_faults` and `early_fault_response` (faults answered before
the body is read, like a proxy would), `json_error`, `Gate` (the concurrency permit) and
`sleep_latency`.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from tgi_mock import generation, memo, responses
from tgi_mock.breakages import broken, for_generation, validate_as_configured
from tgi_mock.extract import Rejection, drop_connection, json_body, plain, raw_body
from tgi_mock.faults import HEADER, FaultError, FaultSpec, extract_markers, parse_faults
from tgi_mock.faults import strip_markers as strip
from tgi_mock.pacing import TIMING_HEADER, request_timing, timed, wait_whole
from tgi_mock.schema import COMPAT_REQUEST, GENERATE_REQUEST
from tgi_mock.sse import dumps, frame
from tgi_mock.state import MockState
from tgi_mock.streaming import Frame, StreamPlan, sse_response
from tgi_mock.timing import Timing, TimingError
from tgi_mock.validation import (
    ValidationError,
    check_best_of,
    check_stream,
    parameters_or_default,
)

__all__ = [
    "Gate",
    "collect_faults",
    "early_fault_response",
    "generate_route",
    "json_error",
    "sleep_latency",
]

OVERLOADED = ("Model is overloaded", "overloaded")

_HTML_502 = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)


class JSONBody(JSONResponse):
    """JSON rendered compactly with UTF-8 kept, as serde_json writes it."""

    def render(self, content: Any) -> bytes:
        return dumps(content).encode("utf-8")


def json_error(
    status: int, message: str, error_type: str, retry_after: str | None = None
) -> Response:
    """TGI's JSON `ErrorResponse` answer (no `x-*` headers, as TGI)."""
    headers = {"retry-after": str(retry_after)} if retry_after is not None else None
    return JSONBody(responses.error_json(message, error_type), status_code=status, headers=headers)


def collect_faults(request: Request, state: MockState) -> FaultSpec:
    """Server faults, overridden by prompt markers in the body, overridden by the header."""
    spec = state.faults.take()
    body = raw_body(request).decode("utf-8", "replace")
    if "[[mock:" in body:
        spec = spec.merged(extract_markers(body.replace('\\"', '"')))
    header = request.headers.get(HEADER)
    if header:
        spec = spec.merged(parse_faults(header))
    return spec


async def sleep_latency(faults: FaultSpec, tokens: int) -> None:
    """A non-stream answer's latency: first-token latency plus the latency between tokens."""
    delay = (faults.latency_first or 0.0) + (faults.latency_token or 0.0) * max(tokens - 1, 0)
    if delay > 0:
        await asyncio.sleep(delay)


async def early_fault_response(faults: FaultSpec) -> Response | None:
    """Answers decided before the body is read, like a proxy would: `html-502` and `status=N`."""
    if faults.html_502 or faults.status is not None:
        if faults.latency_first:
            await asyncio.sleep(faults.latency_first)
        if faults.html_502:
            return Response(_HTML_502, status_code=502, media_type="text/html")
        assert faults.status is not None
        message, error_type = faults.error_for(faults.status)
        return json_error(faults.status, message, error_type, faults.retry_after)
    return None


class Gate:
    """The concurrency permit of one request: taken once, given back exactly once."""

    def __init__(self, state: MockState) -> None:
        self.state = state
        self.count = 0

    def acquire(self, count: int, faults: FaultSpec) -> bool:
        """Take `count` permits; False (overloaded) when full or with the `overload` fault."""
        if faults.overload:
            return False
        limit = self.state.config.max_concurrent_requests
        if self.state.permits.try_acquire(count, limit):
            self.count = count
            return True
        return False

    def release(self) -> None:
        """Give the permits back (idempotent)."""
        if self.count:
            self.state.permits.release(self.count)
            self.count = 0


def _stream_headers(state: MockState, inputs: str) -> dict[str, str]:
    return {
        "x-compute-type": state.config.compute_type,
        "x-compute-characters": str(len(inputs)),
        "x-accel-buffering": "no",
    }


def _tgi_error_frames(legacy: bool) -> Callable[[str, str], list[bytes]]:
    return lambda message, error_type: [
        frame(responses.error_json(message, error_type), legacy=legacy)
    ]


async def generate_route(request: Request, state: MockState, route: str) -> Response:
    """One TGI generation request; `route` is `/`, `/generate`, `/generate_stream` or `/models`."""
    metrics = state.metrics
    metrics.inc("tgi_request_count", route=route)
    try:
        faults = collect_faults(request, state)
    except FaultError as error:
        return plain(400, f"Invalid {HEADER}: {error}")
    try:
        timing = request_timing(request, state)
    except TimingError as error:
        return plain(400, f"Invalid {TIMING_HEADER}: {error}")
    compat = route in ("/", "/models")
    early = await early_fault_response(faults)
    if early is not None:
        metrics.inc("tgi_request_failure", route=route, err="mock_fault")
        return early
    try:
        body = json_body(request, COMPAT_REQUEST if compat else GENERATE_REQUEST)
    except Rejection as rejection:
        return rejection.response
    inputs = strip(body["inputs"])
    parameters = parameters_or_default(body["parameters"])
    tag = state.config.model_pipeline_tag
    default_full = compat and tag in (None, "text-generation")
    if route == "/generate_stream" or (compat and body.get("stream")):
        return _stream(request, state, route, faults, inputs, parameters, default_full, timing)
    if faults.drop_after is not None:
        await sleep_latency(faults, 1)
        await drop_connection(request)
        return Response(status_code=500)
    start = time.monotonic()
    gate = Gate(state)
    try:
        config = state.config
        best_of = parameters["best_of"] or 1
        if best_of > 1 and not broken(config, "no-validation"):
            check_best_of(best_of, config)
        if not gate.acquire(max(best_of, 1), faults):
            metrics.inc("tgi_request_failure", route=route, err="overloaded")
            return json_error(429, *OVERLOADED, faults.retry_after)
        valid = validate_as_configured(
            inputs, parameters, config, state.rng, default_full_text=default_full
        )
        valid = for_generation(valid, config, state.rng, faults)
        if valid.best_of > 1:
            seeds = [state.rng.getrandbits(64) for _ in range(valid.best_of)]
            seq, losers = generation.generate_best_of(valid, state.config.scripted, seeds)
        else:
            seq, losers = memo.sequence(valid, state.config.scripted), []
        queue = await wait_whole(
            state, timing, valid.input_length, valid.max_new_tokens, len(seq.tokens)
        )
        await sleep_latency(faults, len(seq.tokens))
        if faults.error_event_after is not None:
            metrics.inc("tgi_request_failure", route=route, err="generation")
            return json_error(424, *faults.stream_error())
        prefix = inputs if valid.return_full_text else ""
        answer = memo.generate_body(seq, valid, losers, prefix, state.config.scripted)
        headers = responses.response_headers(
            state.config.compute_type,
            len(inputs),
            valid.input_length,
            len(seq.tokens),
            time.monotonic() - start,
            queue=queue,
        )
        metrics.inc("tgi_request_success", route=route)
        metrics.inc("tgi_request_generated_tokens", len(seq.tokens), route=route)
        wrapped = compat and not broken(config, "no-list-wrapper")
        content = b"[" + answer + b"]" if wrapped else answer
        return Response(content, headers=headers, media_type="application/json")
    except ValidationError as error:
        metrics.inc("tgi_request_failure", route=route, err="validation")
        return json_error(422, error.message, "validation")
    finally:
        gate.release()


def _stream(
    request: Request,
    state: MockState,
    route: str,
    faults: FaultSpec,
    inputs: str,
    parameters: dict[str, Any],
    default_full: bool,
    timing: Timing | None = None,
) -> Response:
    config = state.config
    legacy = config.legacy_sse
    headers = _stream_headers(state, inputs)
    errors = _tgi_error_frames(legacy)
    gate = Gate(state)

    def failed(message: str, error_type: str) -> Response:
        state.metrics.inc("tgi_request_failure", route=route, err=error_type)
        plan = StreamPlan(
            [Frame(data, token=False) for data in errors(message, error_type)], errors
        )
        return sse_response(plan, FaultSpec(), config.keep_alive, request, headers)

    try:
        if not broken(config, "no-validation"):
            check_stream(parameters)
        if not gate.acquire(1, faults):
            return failed(*OVERLOADED)
        valid = validate_as_configured(
            inputs, parameters, config, state.rng, default_full_text=default_full
        )
    except ValidationError as error:
        gate.release()
        return failed(error.message, "validation")
    valid = for_generation(valid, config, state.rng, faults)
    if broken(config, "no-final-details"):
        valid = replace(valid, details=False)
    prefix = inputs if valid.return_full_text else ""
    seq, data = memo.stream_frames(valid, config.scripted, prefix, legacy)
    count = len(seq.tokens)
    frames = [Frame(event, final=i == count - 1) for i, event in enumerate(data)]
    state.metrics.inc("tgi_request_success", route=route)
    state.metrics.inc("tgi_request_generated_tokens", count, route=route)
    plan = StreamPlan(frames, errors, on_close=gate.release)
    plan = timed(plan, state, timing, valid.input_length, valid.max_new_tokens, count)
    return sse_response(plan, faults, config.keep_alive, request, headers)
