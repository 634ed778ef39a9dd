"""
Behaviour checks of the OpenAI-compatible routes: the same contract as the native ones.

- `v1-stop-sequence`: on `/v1/completions`, a stop sequence taken from a greedy answer ends a
  second greedy answer there, its text kept at the end.
- `v1-seed-determinism`: `/v1/chat/completions` with the same `seed` (sampling) twice gives the
  same text.
- `v1-grammar-regex`: `/v1/chat/completions` with a regex `response_format` gives text the regex
  matches in full.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from tgi_mock.contract.context import PROMPT, Context
from tgi_mock.contract.outcome import expect, fail, skip
from tgi_mock.contract.structured_checks import skip_if_refused

__all__ = ["OPENAI_CHECKS"]

REGEX = "[a-c]{2}[0-9]{1,4}"


def _text(answer: Any, route: str, key: str) -> str:
    try:
        choice = answer["choices"][0]
        value = choice["text"] if key == "text" else choice["message"]["content"]
    except (KeyError, IndexError, TypeError):
        fail(f"{route}: not a completion answer: {answer!r}")
    expect(isinstance(value, str), f"{route}: no text in {answer!r}")
    return str(value)


def _completion(ctx: Context, **extra: Any) -> str:
    body = {"model": "tgi", "prompt": PROMPT, "max_tokens": 8, "temperature": 0.0, **extra}
    answer = ctx.target.post("/v1/completions", body).expect_json()
    return _text(answer, "POST /v1/completions", "text")


def _chat(ctx: Context, **extra: Any) -> str:
    body = {"model": "tgi", "messages": [{"role": "user", "content": PROMPT}], **extra}
    exchange = ctx.target.post("/v1/chat/completions", body)
    skip_if_refused(exchange)
    return _text(exchange.expect_json(), "POST /v1/chat/completions", "message")


def v1_stop_sequence(ctx: Context) -> None:
    """A stop sequence ends a `/v1/completions` answer, its text kept."""
    text = _completion(ctx)
    words = [word for word in text.split() if word.isascii() and word.isalnum()]
    if len(words) < 2:
        skip(f"the greedy answer has no second word to use as a stop sequence: {text!r}")
    stop = words[1]
    got = _completion(ctx, stop=[stop])
    evidence = f"stop {stop!r} (from {text!r}) gave {got!r}"
    expect(got.endswith(stop), f"{evidence}: it does not end with the stop sequence")
    expect(text.startswith(got), f"{evidence}: not how the answer without a stop begins")


def v1_seed_determinism(ctx: Context) -> None:
    """The same seed twice gives the same `/v1/chat/completions` text."""
    body = {"seed": 42, "temperature": 0.9, "max_tokens": 12}
    texts = [_chat(ctx, **body) for _ in range(3)]
    expect(len(set(texts)) == 1, f"seed 42 three times gave different texts: {texts!r}")


def v1_grammar_regex(ctx: Context) -> None:
    """A regex `response_format` gives text the regex matches in full."""
    text = _chat(ctx, response_format={"type": "regex", "value": REGEX}, max_tokens=16)
    expect(
        re.fullmatch(REGEX, text) is not None,
        f"response_format regex {REGEX!r} does not match the whole text {text!r}",
    )


OPENAI_CHECKS: list[tuple[str, Callable[[Context], None]]] = [
    ("v1-stop-sequence", v1_stop_sequence),
    ("v1-seed-determinism", v1_seed_determinism),
    ("v1-grammar-regex", v1_grammar_regex),
]
"""Name → check, in the order they run."""
