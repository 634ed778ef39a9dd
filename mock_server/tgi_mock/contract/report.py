"""
How `verify` prints a `Report`: one line per check, then a summary (text), or one JSON document.

Text::

    pass  schema.generate
    fail  stop-sequence: stop ' over' (token 3 of ...) gave finish_reason='length', ...
    skip  limit-best-of: /info does not report max_best_of
    29 checks against http://127.0.0.1:8080: 27 passed, 1 failed, 1 skipped (3.2 s)

JSON (`--json`)::

    {"url": ..., "spec": ..., "ok": false, "seconds": 3.2,
     "summary": {"total": 29, "passed": 27, "failed": 1, "skipped": 1},
     "checks": [{"name", "kind": "schema"|"behaviour", "status": "pass"|"fail"|"skip",
                 "evidence", "seconds"}, ...]}

Exit status: 0 when no check failed, 1 otherwise (2 is the CLI's: bad usage, server unreachable).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from tgi_mock.contract.runner import Report

__all__ = ["exit_status", "format_text", "to_json"]


def format_text(report: Report) -> str:
    """One line per check and a summary line."""
    lines = []
    for result in report.results:
        line = f"{result.status:<4}  {result.name}"
        if result.evidence and result.status != "pass":
            line += f": {result.evidence}"
        lines.append(line)
    total = len(report.results)
    lines.append(
        f"{total} check{'' if total == 1 else 's'} against {report.url}: "
        f"{report.count('pass')} passed, "
        f"{report.count('fail')} failed, {report.count('skip')} skipped ({report.seconds:.1f} s)"
    )
    return "\n".join(lines)


def to_json(report: Report) -> dict[str, Any]:
    """The report as a JSON-ready object."""
    return {
        "url": report.url,
        "spec": report.spec,
        "ok": report.ok,
        "seconds": report.seconds,
        "summary": {
            "total": len(report.results),
            "passed": report.count("pass"),
            "failed": report.count("fail"),
            "skipped": report.count("skip"),
        },
        "checks": [asdict(result) for result in report.results],
    }


def exit_status(report: Report) -> int:
    """0 when every check passed or was skipped, else 1."""
    return 0 if report.ok else 1
