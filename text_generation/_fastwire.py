"""The hot paths: a well-formed TGI stream event or ``generate`` answer becomes a documented type
directly, skipping the generated model, which costs more than the rest of the call.

Anything unusual (a missing key, a wrong type, an unknown finish reason) goes through the
generated model and its converter instead, so both paths accept and refuse exactly the same
events, with the same errors; ``tests/facade/test_fastwire.py`` holds them to that.
"""

from __future__ import annotations

from typing import Any

from text_generation._responses import (
    Details,
    FinishReason,
    InputToken,
    Response,
    StreamDetails,
    StreamResponse,
    Token,
    convert,
)
from tgi_client import models as m

_FINISH = {r.value: r for r in FinishReason}


def _token(t: Any) -> Token | None:
    if type(t) is not dict or len(t) != 4:
        return None
    try:
        i, text, logprob, special = t["id"], t["text"], t["logprob"], t["special"]
    except KeyError:
        return None
    if (
        type(i) is int
        and type(text) is str
        and type(special) is bool
        and (logprob is None or type(logprob) is float)
    ):
        return Token(i, text, logprob, special)
    return None


def _fast(payload: dict[str, Any]) -> StreamResponse | None:
    token = _token(payload.get("token"))
    if token is None or "generated_text" not in payload or "details" not in payload:
        return None
    text = payload["generated_text"]
    if text is not None and type(text) is not str:
        return None
    index = payload.get("index")
    if index is not None and type(index) is not int:
        return None
    top: list[Token] | None = None
    if "top_tokens" in payload:
        top = _tokens(payload["top_tokens"])
        if top is None:
            return None
    details = payload["details"]
    if details is not None:
        if type(details) is not dict:
            return None
        reason = _FINISH.get(details.get("finish_reason"))  # type: ignore[arg-type]
        n, seed = details.get("generated_tokens"), details.get("seed", ...)
        length = details.get("input_length")
        if (
            reason is None
            or type(n) is not int
            or not (seed is None or type(seed) is int)
            or not (length is None or type(length) is int)
        ):
            return None
        details = StreamDetails(reason, n, seed, length)
    return StreamResponse(token, top, text, details, index)


def stream_response(payload: Any) -> StreamResponse:
    """The ``StreamResponse`` for one decoded event (not an error event)."""
    if type(payload) is dict:
        event = _fast(payload)
        if event is not None:
            return event
    return convert(m.StreamResponse.from_dict, payload, StreamResponse.from_model, "stream event")


def _tokens(raw: Any) -> list[Token] | None:
    if type(raw) is not list:
        return None
    out = []
    for t in raw:
        tok = _token(t)
        if tok is None:
            return None
        out.append(tok)
    return out


def _prefill(raw: Any) -> list[InputToken] | None:
    if type(raw) is not list:
        return None
    out = []
    for t in raw:
        if type(t) is not dict or len(t) != 3:
            return None
        i, text, logprob = t.get("id"), t.get("text"), t.get("logprob")
        if (
            type(i) is not int
            or type(text) is not str
            or not (logprob is None or type(logprob) is float)
        ):
            return None
        out.append(InputToken(i, text, logprob))
    return out


def _details(d: Any) -> Details | None:
    if type(d) is not dict or "best_of_sequences" in d or len(d) > 6:
        return None  # best_of answers and unknown keys take the generated path
    reason = _FINISH.get(d.get("finish_reason"))  # type: ignore[arg-type]
    n, seed = d.get("generated_tokens"), d.get("seed", ...)
    prefill, tokens = _prefill(d.get("prefill")), _tokens(d.get("tokens"))
    if (
        reason is None
        or type(n) is not int
        or not (seed is None or type(seed) is int)
        or prefill is None
        or tokens is None
    ):
        return None
    top: list[list[Token]] | None = None
    raw_top = d.get("top_tokens")
    if raw_top is not None:
        if type(raw_top) is not list:
            return None
        top = []
        for step in raw_top:
            toks = _tokens(step)
            if toks is None:
                return None
            top.append(toks)
    elif len(d) == 6:
        return None  # six keys without top_tokens: something unknown
    return Details(reason, n, seed, prefill, tokens, top, None)


def generate_response(payload: Any) -> Response:
    """The ``Response`` for one decoded ``generate`` answer."""
    if type(payload) is dict and type(payload.get("generated_text")) is str:
        details = payload.get("details")
        if details is None and len(payload) == 1:
            return Response(payload["generated_text"], None)
        if len(payload) == 2:
            parsed = _details(details)
            if parsed is not None:
                return Response(payload["generated_text"], parsed)
    return convert(m.GenerateResponse.from_dict, payload, Response.from_model, "generate answer")
