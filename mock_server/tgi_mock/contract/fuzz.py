"""
The `schema.fuzz` check: Schemathesis generates schema-valid requests for every operation of
`openapi.yaml` (at most `examples` per operation, derandomized) and checks each answer: no server
error, documented status, content type, headers and body; SSE answers event by event against
their `x-itemSchema`.

Bounded: generation budgets are capped (`max_new_tokens` / `max_tokens` at most 8, set when
absent) so a real GPU server answers quickly; Hypothesis does not shrink (a failure is recorded,
not raised). Left out as TGI itself does not meet them: Schemathesis's `positive_data_acceptance`
(TGI refuses schema-valid values such as `temperature: 0` by validation rules no schema states)
and `negative_data_rejection`. Inference API routes a server answers with an empty 404 (TGI does
not serve them) are not fuzzed.

It needs Schemathesis 4 (which brings Hypothesis), a development dependency that neither tgi-sdk
nor its `mock` extra installs; without it this check is skipped, saying what to install
(`pip install 'schemathesis>=4,<5'`), and the schema checks still cover every route.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from tgi_mock.contract.context import Context
from tgi_mock.contract.outcome import fail, skip
from tgi_mock.contract.spec import Operation
from tgi_mock.contract.wire import Exchange

__all__ = ["fuzz"]

_BUDGET = 8
_NEEDS = "schemathesis>=4,<5"
_INFERENCE_API = "Inference API"


def _bound(body: Any) -> None:
    """Cap the generation budget of a generated request body, in place."""
    if not isinstance(body, dict):
        return
    if "inputs" in body:
        parameters = body.get("parameters")
        if not isinstance(parameters, dict):
            parameters = body["parameters"] = {}
        current = parameters.get("max_new_tokens")
        if not isinstance(current, int) or current > _BUDGET:
            parameters["max_new_tokens"] = _BUDGET
        if isinstance(parameters.get("best_of"), int) and parameters["best_of"] > 2:
            parameters["best_of"] = 2
    if "messages" in body or "prompt" in body:
        current = body.get("max_tokens")
        if not isinstance(current, int) or current > _BUDGET:
            body["max_tokens"] = _BUDGET


def _first_line(error: BaseException) -> str:
    """The gist of a failure: the first two lines of each of a group's failures."""
    if isinstance(error, BaseExceptionGroup):
        return "; ".join(_first_line(inner) for inner in error.exceptions[:2])
    text = str(error).strip() or type(error).__name__
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return ": ".join(lines[:2])


def fuzz(ctx: Context, examples: int) -> None:
    """Run Schemathesis against the target; fails with the first problem of each operation."""
    if examples <= 0:
        skip("turned off (--fuzz-examples 0)")
    try:
        import schemathesis
        from hypothesis import HealthCheck, given, settings
        from schemathesis.specs.openapi.checks import (
            negative_data_rejection,
            positive_data_acceptance,
            response_schema_conformance,
        )
    except ImportError as error:
        skip(
            f"needs Schemathesis 4 and Hypothesis ({error}); install them with "
            f"pip install '{_NEEDS}'"
        )
    schema = schemathesis.openapi.from_dict(ctx.spec.document)
    operations = {op.operation_id: op for op in ctx.spec.operations()}
    problems: dict[str, str] = {}
    excluded = (positive_data_acceptance, negative_data_rejection)
    for result in schema.get_all_operations():
        api_operation = result.ok()  # type: ignore[union-attr]
        operation_id = str(api_operation.definition.raw.get("operationId", api_operation.label))
        ours = operations.get(operation_id)
        if ours is None or operation_id in ctx.unserved:
            continue
        label = str(api_operation.label)
        exercise = _recorder(ctx, ours, label, problems, (*excluded, response_schema_conformance))
        run = given(api_operation.as_strategy())(
            settings(
                max_examples=examples,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=list(HealthCheck),
            )(exercise)
        )
        run()
    if problems:
        fail("; ".join(f"{label}: {text}" for label, text in problems.items()))


def _recorder(
    ctx: Context, op: Operation, label: str, problems: dict[str, str], checks: tuple[Any, ...]
) -> Callable[[Any], None]:
    """The Hypothesis test of one operation: the first problem is recorded, never raised."""

    def exercise(case: Any) -> None:
        if label in problems:
            return
        try:
            _exercise(ctx, op, case, checks[:-1], checks[-1])
        except (Exception, BaseExceptionGroup) as error:  # recorded, so never shrunk
            problems[label] = f"{_first_line(error)} (request {_dump(case.body)})"

    return exercise


def _exercise(
    ctx: Context, op: Operation, case: Any, excluded: tuple[Any, ...], body_check: Any
) -> None:
    """Send one generated case and check its answer; raises on the first problem."""
    _bound(case.body)
    target = ctx.target
    response = case.call(base_url=target.url, timeout=target.timeout, headers=target.headers)
    if response.status_code == 404 and not response.content and _INFERENCE_API in op.tags:
        return  # a route TGI itself does not serve
    media = response.headers.get("content-type", [""])[0]
    if not media.startswith("text/event-stream"):
        case.validate_response(response, excluded_checks=list(excluded))
        return
    exchange = Exchange(
        case.method.upper(),
        case.formatted_path,
        case.body,
        response.status_code,
        _headers(response.headers),
        response.content,
    )
    problems = ctx.spec.check(op, exchange)
    if problems:
        raise AssertionError(problems[0])
    case.validate_response(response, excluded_checks=[*excluded, body_check])


def _headers(headers: dict[str, list[str]]) -> Any:
    import httpx

    return httpx.Headers([(name, value) for name, values in headers.items() for value in values])


def _dump(body: Any) -> str:
    try:
        text = json.dumps(body, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(body)
    return text if len(text) <= 160 else text[:159] + "…"
