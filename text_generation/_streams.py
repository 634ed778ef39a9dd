"""Sans-I/O stream readers: bytes in, documented events out, typed errors on the way.

``TokenStream`` reads a TGI-native stream (``/generate_stream``, or the compat route with
``stream: true``); ``ChatStream`` reads an OpenAI-style ``/v1/chat/completions`` stream. Both keep
what was received, so an interrupted stream raises ``StreamInterruptedError`` carrying it.
"""

from __future__ import annotations

import json
from typing import Any

from tgi_client import models as m

from text_generation._chat_types import ChatCompletionChunk
from text_generation._core import convert
from text_generation._responses import StreamResponse, Token, _clip
from text_generation._sse import SSEDecoder
from text_generation.errors import (
    InvalidResponseError,
    StreamInterruptedError,
    StreamTimeoutError,
    TextGenerationError,
    parse_error,
)

_DONE = b"[DONE]"


def _load(data: bytes) -> Any:
    try:
        return json.loads(data)
    except (ValueError, RecursionError):
        raise InvalidResponseError(f"a stream event is not JSON: {_clip(data[:300])}") from None


class TokenStream:
    """Turns the bytes of a TGI-native stream into ``StreamResponse`` events."""

    __slots__ = ("_decoder", "finished", "tokens")

    def __init__(self) -> None:
        self._decoder = SSEDecoder()
        self.tokens: list[Token] = []
        self.finished = False  # the final event (with generated_text) arrived

    def feed(self, chunk: bytes) -> list[StreamResponse]:
        """Decode a chunk; raise the mapped error on an ``{"error", "error_type"}`` event."""
        out: list[StreamResponse] = []
        for data in self._decoder.feed(chunk):
            if self.finished:
                break
            payload = _load(data)
            if isinstance(payload, dict) and "error" in payload:
                raise parse_error(200, payload)
            event = convert(
                m.StreamResponse.from_dict, payload, StreamResponse.from_model, "stream event"
            )
            self.tokens.append(event.token)
            self.finished = event.generated_text is not None
            out.append(event)
        return out

    def interrupted(self, reason: str, *, timed_out: bool = False) -> StreamInterruptedError:
        """The error for a stream that broke or ended early, carrying what arrived."""
        got = len(self.tokens)
        cls = StreamTimeoutError if timed_out else StreamInterruptedError
        return cls(
            f"{reason} after {got} token{'s' if got != 1 else ''}, before the final event",
            partial_tokens=self.tokens,
        )

    def end(self) -> None:
        """The server closed the stream: raise unless the final event arrived."""
        if not self.finished:
            raise self.interrupted("the stream ended")


class ChatStream:
    """Turns the bytes of a ``/v1/chat/completions`` stream into ``ChatCompletionChunk`` events,
    stopping at ``data: [DONE]``."""

    __slots__ = ("_decoder", "chunks", "finished")

    def __init__(self) -> None:
        self._decoder = SSEDecoder()
        self.finished = False
        self.chunks = 0

    def feed(self, chunk: bytes) -> list[ChatCompletionChunk]:
        """Decode a chunk; raise the mapped error on an error event."""
        out: list[ChatCompletionChunk] = []
        for data in self._decoder.feed(chunk):
            if self.finished:
                break
            if data.strip() == _DONE:
                self.finished = True
                break
            payload = _load(data)
            if isinstance(payload, dict) and "error" in payload:
                raise _chat_error(payload)
            out.append(
                convert(
                    m.ChatCompletionChunk.from_dict,
                    payload,
                    ChatCompletionChunk.from_model,
                    "chat chunk",
                )
            )
            self.chunks += 1
        return out

    def interrupted(self, reason: str, *, timed_out: bool = False) -> StreamInterruptedError:
        """The error for a chat stream that broke or ended before ``[DONE]``."""
        cls = StreamTimeoutError if timed_out else StreamInterruptedError
        return cls(f"{reason} after {self.chunks} chunks, before `data: [DONE]`")

    def end(self) -> None:
        """The server closed the stream: raise unless ``[DONE]`` arrived."""
        if not self.finished:
            raise self.interrupted("the chat stream ended")


def _chat_error(payload: dict[str, Any]) -> TextGenerationError:
    error = payload["error"]
    if isinstance(error, dict):  # OpenAI shape: {"error": {"message", "http_status_code"}}
        status = error.get("http_status_code")
        return parse_error(status if isinstance(status, int) else 200, payload)
    return parse_error(200, payload)
