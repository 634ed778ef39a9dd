"""
Schema checks: one per operation of `openapi.yaml`, named `schema.<operationId>`.

Each sends a few fixed, cheap requests (probes) to its route: a valid one, its streaming variant
where the route streams, and invalid ones whose answers are error bodies (a TGI validation error,
axum's plain-text 422 and 400). Every answer must have a documented status and content type,
and its JSON body, or each of its SSE events, must validate against the documented schema.
An operation without a probe here gets a bare request (GET routes) or is skipped.

Inference API routes (tag `Inference API`) are not TGI's own: when the server answers them with
an empty 404 they are skipped as not served.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from tgi_mock.contract.context import PROMPT, Context
from tgi_mock.contract.outcome import CheckResult, fail, run_check, skip
from tgi_mock.contract.spec import Operation

__all__ = ["PROBES", "Probe", "schema_checks"]

_INFERENCE_API = "Inference API"


@dataclass(frozen=True)
class Probe:
    """One request: a JSON `body`, or raw `content` bytes (sent as `application/json`)."""

    method: str
    path: str
    body: Any = None
    content: bytes | None = None


_SMALL = {"max_new_tokens": 4, "details": True}
_INVALID = {"inputs": PROMPT, "parameters": {"temperature": -1.0, "max_new_tokens": 4}}
_CHAT = {"model": "tgi", "messages": [{"role": "user", "content": PROMPT}], "max_tokens": 4}
_COMPLETION = {"model": "tgi", "prompt": PROMPT, "max_tokens": 4}


def _compat(path: str) -> list[Probe]:
    small = {"inputs": PROMPT, "parameters": {**_SMALL, "return_full_text": False}}
    return [
        Probe("POST", path, small),
        Probe("POST", path, {**small, "stream": True}),
        Probe("POST", path, _INVALID),
        Probe("POST", path, {"inputs": 42}),
    ]


PROBES: dict[str, Callable[[Context], list[Probe]]] = {
    "compat_generate": lambda ctx: _compat("/"),
    "generate": lambda ctx: [
        Probe(
            "POST",
            "/generate",
            {
                "inputs": PROMPT,
                "parameters": {**_SMALL, "top_n_tokens": 2, "decoder_input_details": True},
            },
        ),
        Probe("POST", "/generate", _INVALID),
        Probe("POST", "/generate", {"inputs": PROMPT, "parameters": {"stop": "not a list"}}),
        Probe("POST", "/generate", content=b'{"inputs": '),
    ],
    "generate_stream": lambda ctx: [
        Probe("POST", "/generate_stream", {"inputs": PROMPT, "parameters": _SMALL}),
        Probe("POST", "/generate_stream", _INVALID),
        Probe("POST", "/generate_stream", {"parameters": _SMALL}),
    ],
    "tokenize": lambda ctx: [Probe("POST", "/tokenize", {"inputs": PROMPT})],
    "chat_completions": lambda ctx: [
        Probe("POST", "/v1/chat/completions", _CHAT),
        Probe("POST", "/v1/chat/completions", {**_CHAT, "stream": True}),
    ],
    "completions": lambda ctx: [
        Probe("POST", "/v1/completions", _COMPLETION),
        Probe("POST", "/v1/completions", {**_COMPLETION, "stream": True}),
    ],
    "model_status": lambda ctx: [Probe("GET", f"/status/{ctx.model_id}")],
    "model_generate": lambda ctx: _compat(f"/models/{ctx.model_id}"),
}
"""operationId → the probes of its schema check."""


def _probes(ctx: Context, operation: Operation) -> list[Probe]:
    make = PROBES.get(operation.operation_id)
    if make is not None:
        return make(ctx)
    if operation.method == "GET" and "{" not in operation.path:
        return [Probe("GET", operation.path)]
    skip(f"no probe for {operation.method} {operation.path}")


def _check_operation(ctx: Context, operation: Operation) -> None:
    problems: list[str] = []
    for number, probe in enumerate(_probes(ctx, operation)):
        exchange = ctx.target.send(probe.method, probe.path, probe.body, content=probe.content)
        not_served = exchange.status == 404 and not exchange.body
        if number == 0 and not_served and _INFERENCE_API in operation.tags:
            ctx.unserved.add(operation.operation_id)
            skip(f"{probe.method} {probe.path} is not served (an Inference API route, not TGI's)")
        problems += [p for p in ctx.spec.check(operation, exchange) if p not in problems]
    if problems:
        fail("; ".join(problems))


def schema_checks(ctx: Context, wanted: Callable[[str], bool] = bool) -> list[CheckResult]:
    """Run the schema check of every operation of the spec whose name is `wanted`."""
    results = []
    for operation in ctx.spec.operations():
        name = f"schema.{operation.operation_id}"
        if wanted(name):
            results.append(run_check(name, "schema", partial(_check_operation, ctx, operation)))
    return results
