"""Errors raised by the text_generation client.

Every exception this library raises derives from :class:`TextGenerationError`, which carries the
HTTP ``status_code`` and the server's ``error_type`` (``None`` when there was none)::

    TextGenerationError
    ├── ValidationError                  422 "validation"; also raised before sending
    │   └── ClientValidationError        a parameter refused locally, nothing was sent
    ├── GenerationError                  "generation" (424)
    ├── OverloadedError                  "overloaded" (429)
    ├── IncompleteGenerationError        "incomplete_generation", "incomplete_generation_stream"
    │   └── StreamInterruptedError       a stream broke or ended without its final event
    │       └── StreamTimeoutError       ... because the timeout elapsed (also an APITimeoutError)
    ├── BadRequestError                  400
    ├── ShardNotReadyError               403, 424 (Inference API convention)
    ├── ShardTimeoutError                504
    ├── NotFoundError                    404
    ├── RateLimitExceededError           429 without a TGI error_type
    ├── NotSupportedError                model not served by text-generation-inference
    │   └── ProviderNotSupportedError    ... nor by the Inference API provider asked for
    ├── EndpointRetiredError             the retired api-inference.huggingface.co answered
    ├── UnknownError                     any other error answer
    ├── InvalidResponseError             a success answer that is not what TGI sends
    └── APIConnectionError               connection refused, reset or closed early
        └── APITimeoutError              the timeout elapsed

The names and ``parse_error`` mapping of text-generation 0.7.0 are kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tgi_client.models import Token

__all__ = [
    "APIConnectionError",
    "APITimeoutError",
    "BadRequestError",
    "ClientValidationError",
    "EndpointRetiredError",
    "GenerationError",
    "IncompleteGenerationError",
    "InvalidResponseError",
    "NotFoundError",
    "NotSupportedError",
    "OverloadedError",
    "ProviderNotSupportedError",
    "RateLimitExceededError",
    "ShardNotReadyError",
    "ShardTimeoutError",
    "StreamInterruptedError",
    "StreamTimeoutError",
    "TextGenerationError",
    "UnknownError",
    "ValidationError",
    "parse_error",
]


class TextGenerationError(Exception):
    """Base class of every error raised by this library.

    ``status_code`` and ``error_type`` are None when there was no HTTP answer or no TGI error
    type; ``retry_after`` holds the seconds a server asked to wait (``Retry-After``), if any.
    An error raised by a call also names its ``method``, its ``url`` (without credentials or
    query) and the ``attempts`` made, in these attributes and in its message.
    """

    retry_after: float | None = None
    #: The message is the server's own text (kept as is, as text-generation 0.7.0 did).
    _quoted = False
    method: str | None = None
    url: str | None = None
    attempts: int | None = None

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        error_type: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.error_type = error_type

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({self.message!r}, status_code={self.status_code!r}, "
            f"error_type={self.error_type!r})"
        )


class ValidationError(TextGenerationError):
    """The request was refused as invalid (HTTP 422, ``error_type`` "validation")."""


class ClientValidationError(ValidationError):
    """A parameter was refused before anything was sent."""


class GenerationError(TextGenerationError):
    """The server failed during generation."""


class OverloadedError(TextGenerationError):
    """The server is at its ``max_concurrent_requests``."""


class IncompleteGenerationError(TextGenerationError):
    """The generation ended without a result."""


class StreamInterruptedError(IncompleteGenerationError):
    """A stream broke, or ended without its final event.

    ``partial_text`` joins the texts of the tokens received; ``partial_tokens`` holds them.
    """

    def __init__(
        self,
        message: str,
        *,
        partial_tokens: list[Token] | None = None,
        status_code: int | None = None,
        error_type: str | None = None,
    ) -> None:
        super().__init__(message, status_code=status_code, error_type=error_type)
        self.partial_tokens: list[Token] = list(partial_tokens or [])
        self.partial_text = "".join(t.text for t in self.partial_tokens if not t.special)


class BadRequestError(TextGenerationError):
    """HTTP 400."""


class ShardNotReadyError(TextGenerationError):
    """HTTP 403 or 424 without a TGI error type (Inference API convention)."""


class ShardTimeoutError(TextGenerationError):
    """HTTP 504."""


class NotFoundError(TextGenerationError):
    """HTTP 404."""


class RateLimitExceededError(TextGenerationError):
    """HTTP 429 without a TGI error type."""


class NotSupportedError(TextGenerationError):
    """The model is not served by text-generation-inference."""

    def __init__(self, model_id: str) -> None:
        super().__init__(
            f"Model `{model_id}` is not available for inference with this client. \n"
            "Use `huggingface_hub.inference_api.InferenceApi` instead."
        )
        self.model_id = model_id


class ProviderNotSupportedError(NotSupportedError):
    """No live Inference Providers route serves the model (for ``provider``, or this call)."""

    def __init__(self, model_id: str, provider: str, reason: str) -> None:
        super().__init__(model_id)
        self.message = (
            f"Model `{model_id}` is not available through provider {provider!r}: {reason}"
        )
        self.args = (self.message,)
        self.provider = provider


class EndpointRetiredError(TextGenerationError):
    """The retired Inference API host (``api-inference.huggingface.co``) answered 410 or "no
    longer supported", or its name no longer resolves; the message names the way out."""


class UnknownError(TextGenerationError):
    """An error answer that maps to no other class."""


class InvalidResponseError(TextGenerationError):
    """A success answer whose body is not what a TGI server sends."""


class APIConnectionError(TextGenerationError):
    """The connection was refused, reset or closed before a complete answer.

    ``before_response`` is True when the request never reached the server (connection
    refused, connecting timed out, no pooled connection came free): only then is it retried.
    """

    before_response: bool = False


class APITimeoutError(APIConnectionError):
    """The timeout elapsed (connecting, or waiting for the next bytes).

    ``before_response`` is True when it elapsed before the request was sent (connecting, or
    waiting for a pooled connection), so the server never saw it.
    """


_BY_ERROR_TYPE: dict[str, type[TextGenerationError]] = {
    "generation": GenerationError,
    "incomplete_generation": IncompleteGenerationError,
    "incomplete_generation_stream": IncompleteGenerationError,
    "overloaded": OverloadedError,
    "validation": ValidationError,
}

_BY_STATUS: dict[int, type[TextGenerationError]] = {
    400: BadRequestError,
    403: ShardNotReadyError,
    424: ShardNotReadyError,
    504: ShardTimeoutError,
    404: NotFoundError,
    429: RateLimitExceededError,
}


def _message_of(payload: Mapping[str, Any]) -> str:
    error = payload.get("error")
    if isinstance(error, str):
        return error
    if isinstance(error, Mapping) and isinstance(error.get("message"), str):
        return str(error["message"])  # OpenAI-style stream error
    return f"unexpected error payload: {_clip(repr(dict(payload)))}"


def _clip(text: str, limit: int = 300) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def parse_error(status_code: int, payload: Mapping[str, Any]) -> TextGenerationError:
    """Map an HTTP status and a JSON error payload to an exception (as text-generation 0.7.0).

    The TGI ``error_type`` wins; then the status code; else :class:`UnknownError`. A payload
    without a string ``error`` still gives an exception, never a ``KeyError``.
    """
    if not isinstance(payload, Mapping):
        return UnknownError(
            f"unexpected error payload: {_clip(repr(payload))}", status_code=status_code
        )
    message = _message_of(payload)
    raw_type = payload.get("error_type")
    error_type = raw_type if isinstance(raw_type, str) else None
    cls = _BY_ERROR_TYPE.get(error_type or "") or _BY_STATUS.get(status_code) or UnknownError
    err = cls(message, status_code=status_code, error_type=error_type)
    err._quoted = not message.startswith("unexpected error payload")
    return err


class StreamTimeoutError(StreamInterruptedError, APITimeoutError):
    """The timeout elapsed while a stream waited for its next bytes; carries what arrived."""
