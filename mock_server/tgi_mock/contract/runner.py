"""
`verify`: run every contract check against one server and collect a `Report`.

Order: `GET /info` (the server's limits; a server that cannot be reached raises `Unreachable`),
the schema checks (`schema.<operationId>`), the behaviour checks (`tgi_mock.contract.checks`,
`.openai_checks`, `.limits`, `.structured_checks`), then `schema.fuzz` (Schemathesis, bounded).
"""

from __future__ import annotations

import fnmatch
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import httpx

from tgi_mock.contract.checks import GENERATION_CHECKS
from tgi_mock.contract.context import Context
from tgi_mock.contract.fuzz import fuzz
from tgi_mock.contract.limits import LIMIT_CHECKS
from tgi_mock.contract.openai_checks import OPENAI_CHECKS
from tgi_mock.contract.outcome import CheckResult, run_check
from tgi_mock.contract.schema_checks import schema_checks
from tgi_mock.contract.spec import load_spec
from tgi_mock.contract.structured_checks import STRUCTURED_CHECKS
from tgi_mock.contract.wire import Target

__all__ = ["BEHAVIOUR_CHECKS", "Report", "Unreachable", "verify"]

BEHAVIOUR_CHECKS = [*GENERATION_CHECKS, *OPENAI_CHECKS, *LIMIT_CHECKS, *STRUCTURED_CHECKS]
"""Every behaviour check, name → function, in the order they run."""


class Unreachable(Exception):
    """The server did not answer `GET /info` at the transport level."""


@dataclass
class Report:
    """The results of one `verify` run."""

    url: str
    spec: str
    results: list[CheckResult] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, status: str) -> int:
        """How many checks ended with `status` (`pass`, `fail` or `skip`)."""
        return sum(1 for result in self.results if result.status == status)

    @property
    def ok(self) -> bool:
        """True when no check failed."""
        return self.count("fail") == 0

    def failed(self) -> set[str]:
        """Names of the failed checks."""
        return {result.name for result in self.results if result.status == "fail"}


def verify(
    url: str,
    *,
    spec_path: str | Path | None = None,
    timeout: float = 30.0,
    headers: Mapping[str, str] | None = None,
    fuzz_examples: int = 5,
    only: Sequence[str] = (),
    transport: httpx.BaseTransport | None = None,
) -> Report:
    """Check the server at `url` against `openapi.yaml` and TGI's behaviour.

    `only` keeps the checks whose names match one of these shell patterns (`schema.*`)."""
    start = time.monotonic()
    spec = load_spec(spec_path)
    report = Report(url.rstrip("/"), spec.source)

    def wanted(name: str) -> bool:
        return not only or any(fnmatch.fnmatchcase(name, pattern) for pattern in only)

    target = Target(url, headers=headers, timeout=timeout, transport=transport)
    try:
        try:
            info_answer = target.get("/info")
        except httpx.TransportError as error:
            raise Unreachable(f"{url}: {type(error).__name__}: {error}") from error
        info = None
        if info_answer.status == 200 and not info_answer.is_sse:
            try:
                parsed = info_answer.json()
            except Exception:
                parsed = None
            info = parsed if isinstance(parsed, dict) else None
        ctx = Context(target, spec, info)
        report.results += schema_checks(ctx, wanted)
        for name, check in BEHAVIOUR_CHECKS:
            if wanted(name):
                report.results.append(run_check(name, "behaviour", partial(check, ctx)))
        if wanted("schema.fuzz"):
            report.results.append(
                run_check("schema.fuzz", "schema", partial(fuzz, ctx, fuzz_examples))
            )
    finally:
        target.close()
    report.seconds = round(time.monotonic() - start, 3)
    return report
