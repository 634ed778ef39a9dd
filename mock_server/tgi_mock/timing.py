"""
The timing model, sans I/O: when each token of a request is due. The server only waits for it.

- Latency: time to first token (`ttft`) and inter-token latency (`itl`), each fixed or drawn
  from a normal distribution (mean, spread; never below 0) of a seeded `random.Random`.
- Continuous batching (`Batcher`): the running batch holds at most `max_batch_total_tokens`
  tokens (prompt + new tokens of each request, reserved for its whole run, as TGI's block
  allocator does); a request that does not fit waits, first come first served, until enough
  running requests have finished. Its wait is TGI's queue time (`x-queue-time`, ms).
- Overload is not decided here: TGI's router refuses a request when `max_concurrent_requests`
  (queued plus running) is reached, which the server's permits already do (429 `overloaded`, or
  the in-band error event on a stream).

Per request, the header `x-mock-timing: ttft=0.2;itl=0.01;ttft-spread=0.05;itl-spread=0.002`
overrides the server's values (`parse_timing`). Times are plain floats of any clock; tests pass
their own `now`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

__all__ = ["HEADER", "Batcher", "Slot", "Timing", "TimingError", "parse_timing"]

HEADER = "x-mock-timing"


class TimingError(ValueError):
    """An `x-mock-timing` value that does not parse."""


@dataclass(frozen=True)
class Timing:
    """Latency parameters: means and spreads in seconds (None mean: no wait)."""

    ttft: float | None = None
    ttft_spread: float = 0.0
    itl: float | None = None
    itl_spread: float = 0.0

    @property
    def active(self) -> bool:
        """True when some token has to wait."""
        return bool(self.ttft) or bool(self.itl)

    def delays(self, tokens: int, rng: random.Random) -> list[float]:
        """Seconds to wait before each of `tokens` tokens: TTFT first, then one ITL each."""
        out: list[float] = []
        for index in range(tokens):
            mean, spread = (
                (self.ttft, self.ttft_spread) if index == 0 else (self.itl, self.itl_spread)
            )
            out.append(_draw(mean, spread, rng))
        return out


def _draw(mean: float | None, spread: float, rng: random.Random) -> float:
    if not mean:
        return 0.0
    return max(rng.gauss(mean, spread), 0.0) if spread > 0 else mean


_NAMES = {"ttft": "ttft", "ttft_spread": "ttft_spread", "itl": "itl", "itl_spread": "itl_spread"}


def parse_timing(text: str | None, base: Timing) -> Timing:
    """`base` with the fields of an `x-mock-timing` value (`name=seconds` items, `;` or `,`)."""
    changes: dict[str, float] = {}
    for raw in (text or "").replace(",", ";").split(";"):
        item = raw.strip()
        if not item:
            continue
        name, sep, value = item.partition("=")
        key = _NAMES.get(name.strip().lower().replace("-", "_"))
        if key is None or not sep:
            raise TimingError(
                f"unknown timing item {item!r}; use ttft, itl, ttft-spread, itl-spread"
            )
        try:
            number = float(value)
        except ValueError:
            raise TimingError(f"{name.strip()}={value.strip()!r} is not a number") from None
        if not number >= 0:
            raise TimingError(f"{name.strip()} must not be negative")
        changes[key] = number
    return replace(base, **changes) if changes else base


@dataclass
class Slot:
    """One request's place in the batch: it runs from `start` to `end` holding `tokens`."""

    start: float
    end: float
    tokens: int

    def queue_time(self, now: float) -> float:
        """Seconds it waited (or will wait) in the queue from `now`."""
        return max(self.start - now, 0.0)


class Batcher:
    """Continuous batching under a token budget, first come first served."""

    def __init__(self, max_batch_total_tokens: int | None) -> None:
        self.limit = max_batch_total_tokens
        self._slots: list[Slot] = []

    def admit(self, now: float, tokens: int, duration: float) -> Slot:
        """Schedule a request of `tokens` tokens running `duration` seconds once admitted."""
        self._slots = [s for s in self._slots if s.end > now]
        start = max([now, *(s.start for s in self._slots)])
        if self.limit is not None:
            need = min(tokens, self.limit)  # a request larger than the batch runs alone
            for candidate in sorted({start, *(s.end for s in self._slots if s.end > start)}):
                used = sum(s.tokens for s in self._slots if s.start <= candidate < s.end)
                if used + need <= self.limit:
                    start = candidate
                    break
        slot = Slot(start, start + duration, tokens)
        self._slots.append(slot)
        return slot

    def finish(self, slot: Slot, now: float) -> None:
        """The request ended at `now` (early, when its client went away): free its tokens."""
        slot.end = min(slot.end, max(now, slot.start))

    @property
    def running(self) -> int:
        """Requests scheduled and not yet over (at the last `admit`)."""
        return len(self._slots)
