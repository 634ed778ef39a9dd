"""Sans-I/O stream readers: bytes in, documented events out, typed errors on the way.

``TokenStream`` reads a TGI-native stream (``/generate_stream``, or the compat route with
``stream: true``); ``ChatStream`` reads an OpenAI-style ``/v1/chat/completions`` stream. Both keep
what was received, so an interrupted stream raises ``StreamInterruptedError`` carrying it.

``feed`` parses each event when it is asked for, not the whole chunk at once: with a hundred
streams in flight, a chunk's worth of parsed events per stream would stay alive across awaits,
and the garbage collector's full collections (triggered by long-lived objects) would walk them
again and again; a third of the CPU per token, measured.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pydantic

from text_generation._base import describe
from text_generation._json import loads
from text_generation._sse import SSEDecoder
from text_generation._wirecheck import _clip
from text_generation.errors import (
    InvalidResponseError,
    StreamInterruptedError,
    StreamTimeoutError,
    TextGenerationError,
    parse_error,
)
from tgi_client.models import ChatCompletionChunk, StreamResponse, Token

_DONE = b"[DONE]"


def _load(data: bytes) -> Any:
    try:
        return loads(data)
    except (ValueError, RecursionError):
        raise InvalidResponseError(f"a stream event is not JSON: {_clip(data[:300])}") from None


class _Reader:
    """What both readers share: an SSE decoder, and an error held back until the events that
    came before it in the same chunk were handed out."""

    __slots__ = ("_decoder", "_error", "finished")

    def __init__(self) -> None:
        self._decoder = SSEDecoder()
        self._error: TextGenerationError | None = None
        self.finished = False  # the final event (or [DONE]) arrived

    @property
    def started(self) -> bool:
        """Whether an event was handed out (a stream is never retried after that)."""
        raise NotImplementedError

    @property
    def done(self) -> bool:
        """Nothing more is to be read: the stream finished, or an error is waiting."""
        return self.finished or self._error is not None

    def interrupted(self, reason: str, *, timed_out: bool = False) -> StreamInterruptedError:
        """The error for a stream that broke or ended early, carrying what arrived."""
        raise NotImplementedError

    def end(self) -> None:
        """After the last chunk: raise the held-back error, or ``StreamInterruptedError`` when
        the stream ended before its final event."""
        if self._error is not None:
            raise self._error
        if not self.finished:
            raise self.interrupted("the stream ended")


class TokenStream(_Reader):
    """Turns the bytes of a TGI-native stream into ``StreamResponse`` events.

    The tokens received are kept for ``StreamInterruptedError`` as their field dicts (the very
    ``__dict__`` of each ``Token`` handed out, so they follow any assignment to it), not as the
    models: a dict of plain values is not tracked by the garbage collector, and a hundred streams
    of long answers would otherwise leave hundreds of thousands of live models for every full
    collection to walk. ``tokens`` makes the ``Token`` list when an error needs it.
    """

    __slots__ = ("_token_fields",)

    def __init__(self) -> None:
        super().__init__()
        self._token_fields: list[dict[str, Any]] = []

    @property
    def tokens(self) -> list[Token]:
        """The tokens received so far, as ``Token`` models equal to those handed out."""
        return [Token.model_construct(**fields) for fields in self._token_fields]

    @property
    def started(self) -> bool:
        """Whether a token event was handed out."""
        return bool(self._token_fields)

    def feed(self, chunk: bytes) -> Iterator[StreamResponse]:
        """Decode a chunk, event by event. An ``{"error", "error_type"}`` event or a malformed one
        ends the stream; ``end()`` then raises its error."""
        if self.done:
            return
        fields = self._token_fields
        validate = _event_validator()
        try:
            for data in self._decoder.feed(chunk):
                event: StreamResponse | None = None
                if b'"error"' not in data:  # the common case: one strict parse of the bytes
                    try:  # noqa: SIM105 (a with-block per event costs more than this try)
                        event = validate(data, strict=True)
                    except pydantic.ValidationError:
                        pass
                if event is None:
                    event = _token_event(data)  # an error event, or raises saying what is wrong
                    if event is None:
                        self._error = parse_error(200, _load(data))
                        return
                fields.append(event.token.__dict__)
                if event.generated_text is not None:
                    self.finished = True
                    yield event
                    return
                yield event
        except TextGenerationError as err:
            self._error = err

    def interrupted(self, reason: str, *, timed_out: bool = False) -> StreamInterruptedError:
        """The error for a stream that broke or ended early, carrying the tokens received."""
        got = len(self._token_fields)
        cls = StreamTimeoutError if timed_out else StreamInterruptedError
        return cls(
            f"{reason} after {got} token{'s' if got != 1 else ''}, before the final event",
            partial_tokens=self.tokens,
        )


def _event_validator() -> Callable[..., StreamResponse]:
    """The generated ``StreamResponse``'s own validator, ``validate_json`` (what
    ``model_validate_json`` calls, minus a method call per event); built on first use."""
    validate: Callable[..., StreamResponse] = StreamResponse.__pydantic_validator__.validate_json
    return validate


def _token_event(data: bytes) -> StreamResponse | None:
    """One event's ``StreamResponse``, parsed from its JSON bytes by the generated model (strict:
    each value of its JSON type), or None for an ``{"error", ...}`` event; anything else raises
    ``InvalidResponseError`` saying what is wrong. An event naming ``"error"`` is looked at first,
    so that a token event carrying an error is taken for the error it reports."""
    if b'"error"' in data:
        payload = _load(data)
        if isinstance(payload, dict) and "error" in payload:
            return None
    try:
        return StreamResponse.model_validate_json(data, strict=True)
    except pydantic.ValidationError as err:
        _load(data)  # not JSON at all: say so
        raise InvalidResponseError(f"stream event: {describe(err)} in {_clip(data)}") from None


class ChatStream(_Reader):
    """Turns the bytes of a ``/v1/chat/completions`` stream into ``ChatCompletionChunk`` events,
    stopping at ``data: [DONE]``."""

    __slots__ = ("chunks",)

    def __init__(self) -> None:
        super().__init__()
        self.chunks = 0

    @property
    def started(self) -> bool:
        """Whether a chunk was handed out."""
        return self.chunks > 0

    def feed(self, chunk: bytes) -> Iterator[ChatCompletionChunk]:
        """Decode a chunk, chunk by chunk; an error event ends the stream and ``end()`` raises
        its error."""
        if self.done:
            return
        try:
            for data in self._decoder.feed(chunk):
                if data.strip() == _DONE:
                    self.finished = True
                    return
                event = _chat_chunk(data)
                if event is None:  # an error event
                    self._error = _chat_error(_load(data))
                    return
                self.chunks += 1
                yield event
        except TextGenerationError as err:
            self._error = err

    def interrupted(self, reason: str, *, timed_out: bool = False) -> StreamInterruptedError:
        """The error for a chat stream that broke or ended before ``[DONE]``."""
        cls = StreamTimeoutError if timed_out else StreamInterruptedError
        return cls(f"{reason} after {self.chunks} chunks, before `data: [DONE]`")


def _chat_chunk(data: bytes) -> ChatCompletionChunk | None:
    """One chat chunk, parsed from its JSON bytes by the generated model (strict), or None for an
    error event; anything else raises ``InvalidResponseError``."""
    if b'"error"' in data:
        payload = _load(data)
        if isinstance(payload, dict) and "error" in payload:
            return None
    try:
        return ChatCompletionChunk.model_validate_json(data, strict=True)
    except pydantic.ValidationError as err:
        _load(data)
        raise InvalidResponseError(f"chat chunk: {describe(err)} in {_clip(data)}") from None


def _chat_error(payload: dict[str, Any]) -> TextGenerationError:
    error = payload["error"]
    if isinstance(error, dict):  # OpenAI shape: {"error": {"message", "http_status_code"}}
        status = error.get("http_status_code")
        return parse_error(status if isinstance(status, int) else 200, payload)
    return parse_error(200, payload)
