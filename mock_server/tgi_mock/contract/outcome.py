"""
What a contract check produces: a `CheckResult` (name, pass / fail / skip, evidence).

A check is a function that returns normally when the server passes, and calls `fail(evidence)`
or `skip(reason)` (which raise `CheckFailed` / `CheckSkipped`) otherwise. `run_check` turns
either outcome, a transport error or an unexpected exception into a `CheckResult`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, NoReturn

import httpx

__all__ = [
    "CheckFailed",
    "CheckResult",
    "CheckSkipped",
    "Kind",
    "Status",
    "expect",
    "fail",
    "run_check",
    "skip",
]

Status = Literal["pass", "fail", "skip"]
Kind = Literal["schema", "behaviour"]

_MAX_EVIDENCE = 600


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check; `evidence` says why it failed or was skipped."""

    name: str
    status: Status
    evidence: str = ""
    kind: Kind = "behaviour"
    seconds: float = 0.0


class CheckFailed(Exception):
    """Raised by `fail`: the server broke the contract; the message is the evidence."""


class CheckSkipped(Exception):
    """Raised by `skip`: the check cannot run against this server; the message is the reason."""


def fail(evidence: str) -> NoReturn:
    """End the running check as failed, with `evidence`."""
    raise CheckFailed(evidence)


def skip(reason: str) -> NoReturn:
    """End the running check as skipped, with `reason`."""
    raise CheckSkipped(reason)


def expect(condition: bool, evidence: str) -> None:
    """`fail(evidence)` unless `condition` holds."""
    if not condition:
        fail(evidence)


def _one_line(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _MAX_EVIDENCE else flat[: _MAX_EVIDENCE - 1] + "…"


def run_check(name: str, kind: Kind, check: Callable[[], None]) -> CheckResult:
    """Run one check and report it; any exception becomes a failure with its text as evidence."""
    start = time.monotonic()
    status: Status = "pass"
    evidence = ""
    try:
        check()
    except CheckSkipped as reason:
        status, evidence = "skip", str(reason)
    except CheckFailed as error:
        status, evidence = "fail", str(error)
    except httpx.TimeoutException as error:
        status, evidence = "fail", f"timed out: {type(error).__name__} {error}"
    except httpx.HTTPError as error:
        status, evidence = "fail", f"request failed: {type(error).__name__}: {error}"
    except Exception as error:  # a shape the check did not expect is a failure, with evidence
        status, evidence = "fail", f"unexpected answer ({type(error).__name__}: {error})"
    seconds = time.monotonic() - start
    return CheckResult(name, status, _one_line(evidence), kind, round(seconds, 3))
