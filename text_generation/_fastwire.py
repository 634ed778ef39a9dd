"""The hot paths: a well-formed TGI stream event or ``generate`` answer becomes a documented type
directly, skipping the generated model, which costs more than the rest of the call.

The checks here accept only exact wire types (an int is an int, a logprob a float or null, a
known finish reason); pydantic-core then builds the documented models from the checked dict in
one call, which is faster than ``model_construct`` and cannot change a value that passed.
Anything unusual (a missing key, a wrong type, an unknown finish reason) goes through the
generated model and its converter instead, so both paths accept and refuse exactly the same
events, with the same errors; ``tests/facade/test_fastwire.py`` holds them to that.
"""

from __future__ import annotations

from typing import Any

from text_generation._responses import FinishReason, Response, StreamResponse
from text_generation._wirecheck import convert
from tgi_client import models as m

_FINISH = frozenset(r.value for r in FinishReason)
# pydantic-core's validators themselves (this module loads on the first call, which builds them).
_build_event = StreamResponse.__pydantic_validator__.validate_python
_build_response = Response.__pydantic_validator__.validate_python


def _token(t: Any) -> bool:
    if type(t) is not dict or len(t) != 4:
        return False
    try:
        i, text, logprob, special = t["id"], t["text"], t["logprob"], t["special"]
    except KeyError:
        return False
    return (
        type(i) is int
        and type(text) is str
        and type(special) is bool
        and (logprob is None or type(logprob) is float)
    )


def _tokens(raw: Any) -> bool:
    return type(raw) is list and all(_token(t) for t in raw)


def _fast(payload: dict[str, Any]) -> bool:
    if not _token(payload.get("token")) or "generated_text" not in payload:
        return False
    if "details" not in payload:
        return False
    text = payload["generated_text"]
    if text is not None and type(text) is not str:
        return False
    index = payload.get("index")
    if index is not None and type(index) is not int:
        return False
    if "top_tokens" in payload and not _tokens(payload["top_tokens"]):
        return False
    details = payload["details"]
    if details is None:
        return True
    if type(details) is not dict:
        return False
    n, seed = details.get("generated_tokens"), details.get("seed", ...)
    length, reason = details.get("input_length"), details.get("finish_reason")
    return (
        type(reason) is str
        and reason in _FINISH
        and type(n) is int
        and (seed is None or type(seed) is int)
        and (length is None or type(length) is int)
    )


def stream_response(payload: Any) -> StreamResponse:
    """The ``StreamResponse`` for one decoded event (not an error event)."""
    if type(payload) is dict and _fast(payload):
        return _build_event(payload)  # type: ignore[no-any-return]
    return convert(m.StreamResponse.from_dict, payload, StreamResponse.from_model, "stream event")


def _prefill(raw: Any) -> bool:
    if type(raw) is not list:
        return False
    for t in raw:
        if type(t) is not dict or len(t) != 3:
            return False
        i, text, logprob = t.get("id"), t.get("text"), t.get("logprob")
        if (
            type(i) is not int
            or type(text) is not str
            or not (logprob is None or type(logprob) is float)
        ):
            return False
    return True


def _details(d: Any) -> bool:
    if type(d) is not dict or "best_of_sequences" in d or len(d) > 6:
        return False  # best_of answers and unknown keys take the generated path
    n, seed, reason = d.get("generated_tokens"), d.get("seed", ...), d.get("finish_reason")
    if (
        type(reason) is not str
        or reason not in _FINISH
        or type(n) is not int
        or not (seed is None or type(seed) is int)
        or not _prefill(d.get("prefill"))
        or not _tokens(d.get("tokens"))
    ):
        return False
    raw_top = d.get("top_tokens")
    if raw_top is not None:
        return type(raw_top) is list and all(_tokens(step) for step in raw_top)
    return len(d) < 6  # six keys without top_tokens: something unknown


def generate_response(payload: Any) -> Response:
    """The ``Response`` for one decoded ``generate`` answer."""
    if type(payload) is dict and type(payload.get("generated_text")) is str:
        details = payload.get("details")
        if (details is None and len(payload) == 1) or (len(payload) == 2 and _details(details)):
            return _build_response(payload)  # type: ignore[no-any-return]
    return convert(m.GenerateResponse.from_dict, payload, Response.from_model, "generate answer")
