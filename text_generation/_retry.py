"""The retry decision (sans-I/O): which failures are worth another try, and after how long.

A request is sent again only when the server cannot have started on it: the connection was
refused, connecting or waiting for a pooled connection timed out (the request never left), or
the server answered with an overload (HTTP 429 or 503, or TGI's in-band ``overloaded`` event
before any token). Never retried: a connection that broke or went silent after the request was
sent (the server may already be generating), other errors, and any stream that already handed
out an event. The delay is exponential with jitter,
or the server's ``Retry-After`` when it sent one (capped).
"""

from __future__ import annotations

import email.utils
import random
import time
from dataclasses import dataclass

from text_generation.errors import (
    APIConnectionError,
    OverloadedError,
    TextGenerationError,
)

RETRY_STATUSES = frozenset({429, 503})


@dataclass(frozen=True)
class RetryPolicy:
    """``max_retries`` further tries after the first, ``base_delay`` doubling up to ``max_delay``
    seconds, with up to 25 % jitter; a server's ``Retry-After`` is honoured up to
    ``max_retry_after`` seconds."""

    max_retries: int = 2
    base_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 60.0

    def __post_init__(self) -> None:
        if not isinstance(self.max_retries, int) or self.max_retries < 0:
            raise ValueError(f"max_retries must be a whole number >= 0; got {self.max_retries!r}")

    def delay(self, attempt: int, error: TextGenerationError) -> float | None:
        """Seconds to wait before try ``attempt + 2``, or None to give up and raise ``error``."""
        if attempt >= self.max_retries or not retryable(error):
            return None
        if error.retry_after is not None:
            return min(error.retry_after, self.max_retry_after)
        backoff = min(self.base_delay * 2.0**attempt, self.max_delay)
        return backoff * (1 - 0.25 * random.random())


def retryable(error: TextGenerationError) -> bool:
    """Whether a failure that happened before any event was handed out is worth retrying."""
    if isinstance(error, APIConnectionError):
        return error.before_response
    if isinstance(error, OverloadedError):
        return True
    return error.status_code in RETRY_STATUSES


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or an HTTP date); None if absent or
    unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            parsed = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        seconds = parsed.timestamp() - time.time()
    return max(0.0, seconds)
