"""Small builders of TGI wire answers for the facade tests."""

from __future__ import annotations

import json
from typing import Any


def token(
    i: int, text: str, *, special: bool = False, logprob: float | None = -0.5
) -> dict[str, Any]:
    """A wire Token."""
    return {"id": i, "text": text, "logprob": logprob, "special": special}


def generate_answer(text: str = " Rayleigh scattering", n: int = 2) -> dict[str, Any]:
    """A ``/generate`` answer with details, as TGI sends it."""
    return {
        "generated_text": text,
        "details": {
            "finish_reason": "length",
            "generated_tokens": n,
            "seed": None,
            "prefill": [],
            "tokens": [token(i, f" t{i}") for i in range(n)],
        },
    }


def stream_events(texts: list[str], *, details: bool = True) -> list[dict[str, Any]]:
    """The events of ``/generate_stream`` for these token texts."""
    events: list[dict[str, Any]] = []
    for i, text in enumerate(texts, start=1):
        last = i == len(texts)
        events.append(
            {
                "index": i,
                "token": token(100 + i, text),
                "generated_text": "".join(texts) if last else None,
                "details": (
                    {
                        "finish_reason": "length",
                        "generated_tokens": len(texts),
                        "seed": None,
                        "input_length": 3,
                    }
                    if last and details
                    else None
                ),
            }
        )
    return events


def sse(events: list[Any], *, space: bool = True, eol: str = "\n") -> bytes:
    """Frame events as TGI does (``data: {json}`` then a blank line)."""
    sep = "data: " if space else "data:"
    return "".join(
        f"{sep}{e if isinstance(e, str) else json.dumps(e)}{eol}{eol}" for e in events
    ).encode()
