"""
Behaviour checks of validation, of the limits `/info` reports, and of `/tokenize`.

- `validation-generate`: invalid parameters (`temperature: -1`, empty `inputs`) get HTTP 422
  `{"error": ..., "error_type": "validation"}` on `/generate`.
- `validation-stream`: the same request on `/generate_stream` gets HTTP 200 and one in-band error
  event `{"error", "error_type": "validation"}` (TGI never answers a stream with 422 once the
  body deserialized).
- `limit-stop-sequences`: `max_stop_sequences` stop sequences are accepted, one more is a 422.
- `limit-best-of`: `best_of` = `max_best_of` is accepted (when above 1), one more is a 422.
- `limit-input-tokens`: inputs longer than `max_input_tokens` (`max_input_length` before TGI 2.1)
  are a 422. TGI checks the total length first, so its message may name `max_total_tokens`.
- `tokenize-offsets`: `/tokenize` offsets are byte offsets into `inputs` and each token's text is
  that slice (skipped when the server's slow tokenizer reports no offsets, all `0`, as TGI does).

A `max_new_tokens` beyond the context is not checked: TGI 3 accepts it (tgi-wire.md §4.3).
A limit `/info` does not report skips its check.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tgi_mock.contract.context import PROMPT, Context
from tgi_mock.contract.outcome import expect, skip
from tgi_mock.contract.wire import Exchange

__all__ = ["LIMIT_CHECKS"]

_INVALID = {"temperature": -1.0, "max_new_tokens": 4}
_PAYLOAD_BUDGET = 1_500_000
"""Largest inputs `limit-input-tokens` sends, below TGI's 2 MB `payload_limit`."""


def _is_validation_error(exchange: Exchange, what: str) -> None:
    body = exchange.expect_json(422)
    expect(
        isinstance(body, dict)
        and isinstance(body.get("error"), str)
        and bool(body.get("error"))
        and body.get("error_type") == "validation",
        f"{what}: expected {{error, error_type: 'validation'}}: {exchange.describe()}",
    )


def _accepted(exchange: Exchange, what: str) -> None:
    expect(exchange.status == 200, f"{what} was refused: {exchange.describe()}")


def validation_generate(ctx: Context) -> None:
    """Validation errors are 422 `{error, error_type: validation}` on `/generate`."""
    invalid = {"inputs": PROMPT, "parameters": _INVALID}
    _is_validation_error(ctx.target.post("/generate", invalid), "temperature=-1")
    empty = {"inputs": "", "parameters": {"max_new_tokens": 4}}
    _is_validation_error(ctx.target.post("/generate", empty), "empty inputs")


def validation_stream(ctx: Context) -> None:
    """Validation errors are one in-band error event on `/generate_stream`."""
    exchange = ctx.target.post("/generate_stream", {"inputs": PROMPT, "parameters": _INVALID})
    expect(
        exchange.status == 200,
        f"temperature=-1 on a stream: TGI answers HTTP 200 and an error event: "
        f"{exchange.describe()}",
    )
    events = exchange.events()
    expect(
        len(events) == 1
        and isinstance(events[0], dict)
        and isinstance(events[0].get("error"), str)
        and events[0].get("error_type") == "validation",
        f"temperature=-1 on a stream: expected one event {{error, error_type: 'validation'}}, "
        f"got {len(events)}: {events[:3]!r}",
    )


def limit_stop_sequences(ctx: Context) -> None:
    """More stop sequences than `max_stop_sequences` is a validation error."""
    limit = ctx.limit("max_stop_sequences")
    stops = [f"<never-{i}>" for i in range(limit + 1)]
    allowed = {"inputs": PROMPT, "parameters": {"max_new_tokens": 2, "stop": stops[:limit]}}
    _accepted(ctx.target.post("/generate", allowed), f"{limit} stop sequences (the limit)")
    over = {"inputs": PROMPT, "parameters": {"max_new_tokens": 2, "stop": stops}}
    _is_validation_error(
        ctx.target.post("/generate", over), f"{limit + 1} stop sequences (limit {limit})"
    )


def limit_best_of(ctx: Context) -> None:
    """`best_of` above `max_best_of` is a validation error."""
    limit = ctx.limit("max_best_of")

    def body(best_of: int) -> dict[str, Any]:
        parameters = {"max_new_tokens": 2, "best_of": best_of, "do_sample": True}
        return {"inputs": PROMPT, "parameters": parameters}

    if limit > 1:
        _accepted(ctx.target.post("/generate", body(limit)), f"best_of={limit} (the limit)")
    _is_validation_error(
        ctx.target.post("/generate", body(limit + 1)), f"best_of={limit + 1} (limit {limit})"
    )


def _token_count(ctx: Context, inputs: str) -> int | None:
    answer = ctx.target.post("/tokenize", {"inputs": inputs})
    if answer.status != 200:
        return None
    tokens = answer.json()
    return len(tokens) if isinstance(tokens, list) else None


def limit_input_tokens(ctx: Context) -> None:
    """Inputs longer than `max_input_tokens` are a validation error."""
    limit = ctx.limit("max_input_tokens", "max_input_length")
    words = limit + 8
    inputs = " a" * words
    for _ in range(3):
        count = _token_count(ctx, inputs)
        if count is None or count > limit:
            break
        words *= 2
        inputs = " a" * words
    if len(inputs) > _PAYLOAD_BUDGET:
        skip(f"max_input_tokens={limit}: inputs that long would exceed the payload limit")
    body = {"inputs": inputs, "parameters": {"max_new_tokens": 1}}
    _is_validation_error(
        ctx.target.post("/generate", body), f"{words} words of inputs (max_input_tokens {limit})"
    )


def tokenize_offsets(ctx: Context) -> None:
    """`/tokenize` offsets are byte offsets into the input."""
    inputs = "Hello world, tokenize me!"
    answer = ctx.target.post("/tokenize", {"inputs": inputs})
    if answer.status in (404, 405):
        skip(f"the server has no POST /tokenize ({answer.status})")
    tokens = answer.expect_json()
    expect(isinstance(tokens, list) and bool(tokens), f"not a list of tokens: {tokens!r}")
    raw = inputs.encode("utf-8")
    spans = [(t.get("start"), t.get("stop"), t.get("text")) for t in tokens]
    if all(span == (0, 0, "") for span in spans):
        skip("the server's tokenizer reports no offsets (a slow tokenizer: all 0)")
    previous = 0
    for number, (start, stop, text) in enumerate(spans, start=1):
        where = f"token {number} {tokens[number - 1]!r} of {inputs!r}"
        expect(
            isinstance(start, int) and isinstance(stop, int) and 0 <= start <= stop <= len(raw),
            f"{where}: offsets outside the {len(raw)} input bytes",
        )
        assert isinstance(start, int)
        assert isinstance(stop, int)
        expect(start >= previous, f"{where}: starts before the previous token")
        expect(
            text == raw[start:stop].decode("utf-8", "replace"),
            f"{where}: text is not input bytes {start}..{stop} "
            f"({raw[start:stop].decode('utf-8', 'replace')!r})",
        )
        previous = start


LIMIT_CHECKS: list[tuple[str, Callable[[Context], None]]] = [
    ("validation-generate", validation_generate),
    ("validation-stream", validation_stream),
    ("limit-stop-sequences", limit_stop_sequences),
    ("limit-best-of", limit_best_of),
    ("limit-input-tokens", limit_input_tokens),
    ("tokenize-offsets", tokenize_offsets),
]
"""Name → check, in the order they run."""
