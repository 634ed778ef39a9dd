"""
Behaviour checks of generation: what TGI does, beyond the shapes the spec describes.

- `max-new-tokens`: `/generate` with `max_new_tokens=3` generates 3 tokens, finish `length`
  (skipped if the model ends with EOS first).
- `stream-token-count`: a stream has one event per generated token: the event count equals the
  final `details.generated_tokens`, within `max_new_tokens` (exactly it when finish is `length`).
- `final-event`: only the last stream event carries `generated_text` and `details`.
- `stop-sequence`: a stop sequence taken from a greedy answer ends a second greedy answer with
  finish `stop_sequence`, its text kept at the end.
- `seed-determinism`: the same sampled request with the same seed twice gives the same text,
  and reports that seed.
- `compat-list`: `POST /` answers a JSON list of exactly one GenerateResponse.
- `compat-stream`: `POST /` with `"stream": true` answers the SSE events of `/generate_stream`.

TGI's quirks are not failures: `seed` null on greedy requests, `details` left out unless asked,
`best_of_sequences` and `top_tokens` left out, keep-alive comments, `data:` without a space.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tgi_mock.contract.context import PROMPT, Context
from tgi_mock.contract.outcome import expect, fail, skip

__all__ = ["GENERATION_CHECKS"]


def _request(parameters: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"inputs": PROMPT, "parameters": parameters, **extra}


def _details(answer: Any, what: str) -> dict[str, Any]:
    expect(isinstance(answer, dict), f"{what}: not a JSON object: {answer!r}")
    details = answer.get("details")
    expect(isinstance(details, dict), f"{what}: no details although details=true: {answer!r}")
    return dict(details)


def _stream(ctx: Context, path: str, body: dict[str, Any]) -> list[dict[str, Any]]:
    events = ctx.target.post(path, body).events()
    for number, event in enumerate(events, start=1):
        expect(isinstance(event, dict), f"event {number} is not a JSON object: {event!r}")
        expect("error" not in event, f"{path}: error event {number}: {event!r}")
    return events


def max_new_tokens(ctx: Context) -> None:
    """`max_new_tokens` is honoured with finish `length`."""
    answer = ctx.target.post("/generate", _request({"max_new_tokens": 3, "details": True}))
    details = _details(answer.expect_json(), "POST /generate")
    count, reason = details.get("generated_tokens"), details.get("finish_reason")
    if reason == "eos_token" and isinstance(count, int) and count < 3:
        skip(f"the model ended with EOS after {count} token(s), before max_new_tokens=3")
    expect(
        count == 3 and reason == "length",
        f"max_new_tokens=3 gave generated_tokens={count!r}, finish_reason={reason!r}",
    )
    tokens = details.get("tokens")
    expect(
        not isinstance(tokens, list) or len(tokens) == 3,
        f"generated_tokens=3 but details.tokens holds {len(tokens or [])} tokens",
    )


def stream_token_count(ctx: Context) -> None:
    """`generated_tokens` equals the number of stream events."""
    limit = 5
    events = _stream(ctx, "/generate_stream", _request({"max_new_tokens": limit, "details": True}))
    details = events[-1].get("details")
    if not isinstance(details, dict):
        skip("the final event carries no details to compare with (see final-event)")
    count, reason = details.get("generated_tokens"), details.get("finish_reason")
    expect(
        count == len(events),
        f"{len(events)} token events but details.generated_tokens={count!r}",
    )
    expect(len(events) <= limit, f"{len(events)} events with max_new_tokens={limit}")
    expect(
        reason != "length" or count == limit,
        f"finish_reason 'length' after {count!r} tokens with max_new_tokens={limit}",
    )
    indexes = [event.get("index") for event in events]
    expect(
        all(i is None for i in indexes) or indexes == list(range(1, len(events) + 1)),
        f"event indexes are {indexes}, not 1..{len(events)}",
    )


def final_event(ctx: Context) -> None:
    """The last event carries `generated_text` and `details`; the others carry neither."""
    events = _stream(ctx, "/generate_stream", _request({"max_new_tokens": 5, "details": True}))
    last = events[-1]
    expect(
        isinstance(last.get("generated_text"), str),
        f"final event without generated_text: {last!r}",
    )
    details = last.get("details")
    expect(
        isinstance(details, dict) and "finish_reason" in details and "generated_tokens" in details,
        f"final event without details (finish_reason, generated_tokens) although details=true: "
        f"{last!r}",
    )
    for number, event in enumerate(events[:-1], start=1):
        expect(
            event.get("generated_text") is None and event.get("details") is None,
            f"event {number} of {len(events)} carries generated_text or details: {event!r}",
        )


def _stop_candidate(tokens: list[Any]) -> tuple[int, str] | None:
    """A token (not the first nor the last) whose text is plain visible ASCII."""
    for index, token in enumerate(tokens[1:-1], start=1):
        text = token.get("text") if isinstance(token, dict) else None
        if (
            isinstance(text, str)
            and not token.get("special")
            and text.strip()
            and text.isascii()
            and text.isprintable()
        ):
            return index, text
    return None


def stop_sequence(ctx: Context) -> None:
    """A stop sequence ends generation with `stop_sequence`, its text kept."""
    greedy = {"max_new_tokens": 8, "details": True, "do_sample": False}
    first = ctx.target.post("/generate", _request(greedy)).expect_json()
    details = _details(first, "POST /generate")
    text = first.get("generated_text")
    expect(isinstance(text, str), f"no generated_text: {first!r}")
    candidate = _stop_candidate(details.get("tokens") or [])
    if candidate is None:
        skip(f"the greedy answer has no token to use as a stop sequence: {text!r}")
    index, stop = candidate
    second = ctx.target.post("/generate", _request({**greedy, "stop": [stop]})).expect_json()
    stopped = _details(second, "POST /generate with stop")
    reason, got = stopped.get("finish_reason"), second.get("generated_text")
    evidence = f"stop {stop!r} (token {index + 1} of {text!r}) gave finish_reason={reason!r}"
    expect(reason == "stop_sequence", f"{evidence}, generated_text={got!r}")
    expect(isinstance(got, str) and got.endswith(stop), f"{evidence}, but text {got!r}")
    assert isinstance(got, str)
    expect(text.startswith(got), f"{evidence}: {got!r} is not how {text!r} begins")


def seed_determinism(ctx: Context) -> None:
    """The same seed and request give the same output, and the seed is reported."""
    seed = 42
    body = _request({"max_new_tokens": 8, "do_sample": True, "seed": seed, "details": True})
    answers = [ctx.target.post("/generate", body).expect_json() for _ in range(2)]
    texts = [
        answer.get("generated_text") if isinstance(answer, dict) else None for answer in answers
    ]
    expect(
        texts[0] == texts[1] and isinstance(texts[0], str),
        f"seed {seed} twice gave different texts: {texts[0]!r} and {texts[1]!r}",
    )
    seeds = [_details(answer, "POST /generate").get("seed") for answer in answers]
    expect(
        all(reported == seed for reported in seeds),
        f"seed {seed} was asked but details.seed reported {seeds}",
    )


def compat_list(ctx: Context) -> None:
    """`POST /` wraps its answer in a list of one."""
    body = _request({"max_new_tokens": 4, "details": True, "return_full_text": False})
    answer = ctx.target.post("/", body).expect_json()
    if not isinstance(answer, list):
        kind = "object" if isinstance(answer, dict) else type(answer).__name__
        fail(f"POST / answered a JSON {kind}, not a list of one GenerateResponse: {answer!r}")
    expect(len(answer) == 1, f"POST / answered a list of {len(answer)}, not 1: {answer!r}")
    item = answer[0]
    expect(
        isinstance(item, dict) and isinstance(item.get("generated_text"), str),
        f"POST / list item is not a GenerateResponse: {item!r}",
    )


def compat_stream(ctx: Context) -> None:
    """`POST /` with `stream: true` streams like `/generate_stream`."""
    body = _request({"max_new_tokens": 4, "return_full_text": False}, stream=True)
    events = _stream(ctx, "/", body)
    expect(
        all(isinstance(event.get("token"), dict) for event in events),
        f"POST / stream: an event has no token: {events!r}",
    )
    expect(
        isinstance(events[-1].get("generated_text"), str),
        f"POST / stream: the final event has no generated_text: {events[-1]!r}",
    )


GENERATION_CHECKS: list[tuple[str, Callable[[Context], None]]] = [
    ("max-new-tokens", max_new_tokens),
    ("stream-token-count", stream_token_count),
    ("final-event", final_event),
    ("stop-sequence", stop_sequence),
    ("seed-determinism", seed_determinism),
    ("compat-list", compat_list),
    ("compat-stream", compat_stream),
]
"""Name → check, in the order they run."""
