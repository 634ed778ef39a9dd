"""The bench server's Messages API answers: ``POST /v1/chat/completions``, whole or streamed.

The shapes are those a real TGI sends (``tests/reference/tgi-structured/``, recorded by TGI's own
integration tests): a ``chat.completion`` with ``usage``, or ``chat.completion.chunk`` events with
``delta.role``/``content``/``tool_calls``, ``logprobs``, ``usage`` null, the last one with
``finish_reason`` "length", then ``data: [DONE]``. The standard library only (the bench server
runs it).
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["CHAT_PATH", "DEFAULT_CHAT_TOKENS", "WORDS", "chat_answer", "chat_chunks", "chat_whole"]

CHAT_PATH = "/v1/chat/completions"
DEFAULT_CHAT_TOKENS = 20
MAX_CHAT_TOKENS = 100_000
MODEL = "bench/canned"
CREATED = 1741263693
FINGERPRINT = "3.3.6-dev0-native"
PROMPT_TOKENS = 7
WORDS = (
    " The",
    " sky",
    " is",
    " blue",
    " because",
    " of",
    " Rayleigh",
    " scattering",
    ",",
    " which",
    " bends",
    " short",
    " waves",
    " more",
    " than",
    " long",
    " ones",
    ".",
)


def _dumps(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def chat_whole(n: int) -> dict[str, Any]:
    """A ``chat.completion`` of ``n`` tokens, in TGI's key order."""
    return {
        "object": "chat.completion",
        "id": "",
        "created": CREATED,
        "model": MODEL,
        "system_fingerprint": FINGERPRINT,
        "choices": [
            {
                "index": 0,
                "message": {
                    "role": "assistant",
                    "content": "".join(WORDS[i % len(WORDS)] for i in range(n)),
                },
                "logprobs": None,
                "finish_reason": "length",
            }
        ],
        "usage": {
            "prompt_tokens": PROMPT_TOKENS,
            "completion_tokens": n,
            "total_tokens": PROMPT_TOKENS + n,
        },
    }


def chat_chunks(n: int) -> list[bytes]:
    """The SSE events of a chat stream of ``n`` tokens, ``data: [DONE]`` last."""
    events = []
    for i in range(n):
        chunk = {
            "object": "chat.completion.chunk",
            "id": "",
            "created": CREATED,
            "model": MODEL,
            "system_fingerprint": FINGERPRINT,
            "choices": [
                {
                    "index": 0,
                    "delta": {
                        "role": "assistant",
                        "content": WORDS[i % len(WORDS)],
                        "tool_calls": None,
                    },
                    "logprobs": None,
                    "finish_reason": "length" if i == n - 1 else None,
                }
            ],
            "usage": None,
        }
        events.append(b"data: " + _dumps(chunk) + b"\n\n")
    events.append(b"data: [DONE]\n\n")
    return events


def chat_answer(request: object) -> str | list[bytes] | bytes:
    """What the route answers: an error text (422), the stream's events, or the JSON body."""
    if not isinstance(request, dict) or not isinstance(request.get("messages"), list):
        return "missing field `messages`"
    n = request.get("max_tokens")
    n = DEFAULT_CHAT_TOKENS if not isinstance(n, int) or n <= 0 else min(n, MAX_CHAT_TOKENS)
    if request.get("stream") is True:
        return chat_chunks(n)
    return _dumps(chat_whole(n))
