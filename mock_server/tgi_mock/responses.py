"""
Wire JSON of TGI-native answers, built from generated sequences. Pure; keys in Rust's field order.

- `GenerateResponse`: `details` left out unless `details` or `decoder_input_details` was asked;
  `best_of_sequences` left out unless `best_of` > 1; `top_tokens` left out unless
  `top_n_tokens` > 0.
- Stream events: `index` from 1, `top_tokens` (a flat list) left out when empty, `generated_text`
  and `details` always present, set on the last event only (`details` null unless asked).
"""

from __future__ import annotations

from typing import Any

from tgi_mock.generation import GenToken, Sequence, prefill
from tgi_mock.validation import ValidRequest

__all__ = [
    "error_json",
    "generate_response",
    "response_headers",
    "stream_details",
    "stream_event",
    "token_json",
]


def error_json(message: str, error_type: str) -> dict[str, str]:
    """TGI's `ErrorResponse`."""
    return {"error": message, "error_type": error_type}


def token_json(token: GenToken) -> dict[str, Any]:
    """TGI's `Token`."""
    return {"id": token.id, "text": token.text, "logprob": token.logprob, "special": token.special}


def _top(sequence: Sequence) -> list[list[dict[str, Any]]]:
    return [[token_json(t) for t in step] for step in sequence.top_tokens]


def _prefill(request: ValidRequest) -> list[dict[str, Any]]:
    return prefill(request.input_pieces) if request.decoder_input_details else []


def _best_of_sequence(seq: Sequence, request: ValidRequest, prefix: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "generated_text": prefix + seq.text,
        "finish_reason": seq.finish_reason,
        "generated_tokens": len(seq.tokens),
        "seed": seq.seed,
        "prefill": _prefill(request),
        "tokens": [token_json(t) for t in seq.tokens],
    }
    if seq.top_tokens:
        body["top_tokens"] = _top(seq)
    return body


def generate_response(
    seq: Sequence, request: ValidRequest, losers: list[Sequence], prefix: str
) -> dict[str, Any]:
    """The `GenerateResponse` of `/generate` (wrapped in a list by `/`)."""
    body: dict[str, Any] = {"generated_text": prefix + seq.text}
    if request.details or request.decoder_input_details:
        details: dict[str, Any] = {
            "finish_reason": seq.finish_reason,
            "generated_tokens": len(seq.tokens),
            "seed": seq.seed,
            "prefill": _prefill(request),
            "tokens": [token_json(t) for t in seq.tokens],
        }
        if losers:
            details["best_of_sequences"] = [_best_of_sequence(s, request, prefix) for s in losers]
        if seq.top_tokens:
            details["top_tokens"] = _top(seq)
        body["details"] = details
    return body


def stream_details(seq: Sequence, request: ValidRequest) -> dict[str, Any]:
    """`StreamDetails` of the final event."""
    return {
        "finish_reason": seq.finish_reason,
        "generated_tokens": len(seq.tokens),
        "seed": seq.seed,
        "input_length": request.input_length,
    }


def stream_event(seq: Sequence, request: ValidRequest, index: int, prefix: str) -> dict[str, Any]:
    """The event of token `index` (0-based; `index` on the wire is 1-based)."""
    token = seq.tokens[index]
    event: dict[str, Any] = {"index": index + 1, "token": token_json(token)}
    if token.top_tokens:
        event["top_tokens"] = [token_json(t) for t in token.top_tokens]
    last = index == len(seq.tokens) - 1
    event["generated_text"] = prefix + seq.text if last else None
    event["details"] = stream_details(seq, request) if last and request.details else None
    return event


def response_headers(
    compute_type: str,
    characters: int,
    prompt_tokens: int,
    generated_tokens: int,
    elapsed: float,
    *,
    compute_time: bool = True,
    queue: float = 0.0,
) -> dict[str, str]:
    """The `x-*` headers of a successful non-streaming answer (TGI's names and units); `queue`
    is the time the timing model kept the request waiting for the batch."""
    total_ms = max(int(elapsed * 1000), 0)
    queue_ms = min(max(int(queue * 1000), 0), total_ms)
    inference_ms = total_ms - queue_ms
    headers = {"x-compute-type": compute_type}
    if compute_time:
        headers["x-compute-time"] = f"{elapsed:.9f}"
    headers.update(
        {
            "x-compute-characters": str(characters),
            "x-total-time": str(total_ms),
            "x-validation-time": "0",
            "x-queue-time": str(queue_ms),
            "x-inference-time": str(inference_ms),
            "x-time-per-token": str(inference_ms // max(generated_tokens, 1)),
            "x-prompt-tokens": str(prompt_tokens),
            "x-generated-tokens": str(generated_tokens),
        }
    )
    return headers
