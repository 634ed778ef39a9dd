"""The report of ``make bench``: the rows and their targets, the table, the lines under it.

``Spec``/``SPECS`` are the table's rows with the issue's targets; ``summarize`` takes each client's
median, the ratio ours / upstream and every floor (``floors``: ours against each peer, and on the
chat workloads against the fastest peer), ``render`` writes the Markdown tables, ``details``,
``machine`` and ``mock_lines`` the lines around it, and ``update_readme`` puts the report between
the bench markers of a README.
"""

from __future__ import annotations

import contextlib
import os
import platform
import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.capacity import MockCapacity

CLIENTS = ("ours", "upstream", "hfhub", "openai", "httpx")
PEERS = ("upstream", "hfhub", "openai")
"""The clients a user would pick instead of ours; ``httpx`` (no client library) is a reference."""
TITLES = {
    "ours": "ours",
    "upstream": "text-generation 0.7.0",
    "hfhub": "huggingface_hub 2.4.0",
    "openai": "openai 3.51.0",
    "httpx": "httpx (raw)",
}


@dataclass(frozen=True)
class Spec:
    """A row of the table: what is measured and the issue's target for ours / upstream."""

    key: str
    title: str
    unit: str
    higher_is_better: bool
    target: float | None
    over_fastest: float | None = None
    """The floor for ours / the fastest peer (besides ours >= every peer)."""

    def show(self, value: float) -> str:
        """A measured value in this row's unit."""
        if self.unit == "ms":
            return f"{value * 1000:,.0f} ms"
        if self.unit == "MB":
            return f"{value:,.1f} MB"
        return f"{value:,.0f} {self.unit}"

    def target_text(self) -> str:
        """The target, as the issue states it."""
        if self.target is None:
            return "-"
        return f">= {self.target:g}x" if self.higher_is_better else f"<= {self.target:g}x"

    def met(self, ratio: float) -> bool | None:
        """Whether ``ratio`` (ours / upstream) meets the target; None without a target."""
        if self.target is None:
            return None
        return ratio >= self.target if self.higher_is_better else ratio <= self.target


SPECS = (
    # The floors against 0.7.0 (issue #21); against every other peer: at least as fast.
    Spec("W1", "W1 2,000 sequential generate (20 tokens, details)", "calls/s", True, 2.2),
    Spec("W2", "W2 one stream of 20,000 tokens", "tokens/s", True, 1.0),
    Spec("W3", "W3 500 async generate, 100 in flight", "calls/s", True, 1.5),
    Spec("W4", "W4 100 concurrent async streams of 200 tokens", "tokens/s", True, 1.7),
    Spec("W5", "W5 cold import of the sync and async clients", "ms", False, 0.5),
    Spec("W5mem", "W5 peak RSS after that import", "MB", False, None),
    Spec("W6", "W6 2,000 sequential chat (max_tokens=20)", "calls/s", True, 1.0, 1.2),
    Spec("W7", "W7 100 concurrent async chat streams of 200 tokens", "tokens/s", True, 1.0, 1.2),
)


# -- the table ------------------------------------------------------------------------------------


def value_of(spec: Spec, result: dict[str, Any]) -> float:
    """The number a row shows for one result."""
    if spec.key == "W5mem":
        return float(result["peak_rss_mb"])
    return float(result["value"])


def _floor(
    what: str, spec: Spec, ours: float | None, other: float | None, target: float
) -> dict[str, Any]:
    ratio = ours / other if ours and other else None
    if ratio is None:
        met = False if not ours else None  # ours missing or failing fails; a failing peer is shown
    else:
        met = ratio >= target if spec.higher_is_better else ratio <= target
    sign = ">=" if spec.higher_is_better else "<="
    return {"what": what, "ratio": ratio, "target": f"{sign} {target:g}x", "met": met}


def floors(spec: Spec, medians: dict[str, float], errors: dict[str, str]) -> list[dict[str, Any]]:
    """Every floor of a row: ours against each peer that ran or failed, and over the fastest."""
    if spec.target is None:
        return []
    ours = medians.get("ours")
    out = []
    for peer in PEERS:
        if peer in medians or peer in errors:
            target = spec.target if peer == "upstream" else 1.0
            floor = _floor(f"ours vs {TITLES[peer]}", spec, ours, medians.get(peer), target)
            if peer in errors:
                floor["note"] = f"{TITLES[peer]} fails: {errors[peer]}"
            out.append(floor)
    ran = [medians[p] for p in PEERS if p in medians]
    if spec.over_fastest is not None and ran:
        fastest = max(ran) if spec.higher_is_better else min(ran)
        out.append(_floor("ours vs the fastest peer", spec, ours, fastest, spec.over_fastest))
    if "ours" in errors:
        for floor in out:
            floor["note"] = f"ours fails: {errors['ours']}"
    return out


def summarize(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per spec: each client's median over the repetitions (or why it failed), ours /
    upstream, and the floors."""
    rows = []
    for spec in SPECS:
        workload = spec.key[:2]
        row: dict[str, Any] = {"key": spec.key, "spec": spec, "medians": {}, "samples": {}}
        row["errors"] = {}
        for client in CLIENTS:
            mine = [r for r in results if r["client"] == client and r["workload"] == workload]
            values = [value_of(spec, r) for r in mine if "error" not in r]
            if values:
                row["samples"][client] = values
                row["medians"][client] = statistics.median(values)
            elif mine:
                row["errors"][client] = mine[0]["error"]
        ours, upstream = row["medians"].get("ours"), row["medians"].get("upstream")
        row["ratio"] = ours / upstream if ours and upstream else None
        row["met"] = spec.met(row["ratio"]) if row["ratio"] is not None else None
        row["floors"] = floors(spec, row["medians"], row["errors"])
        if row["medians"] or row["errors"]:
            rows.append(row)
    return rows


def render(rows: list[dict[str, Any]]) -> str:
    """The figures (every client, per workload) and the floors, in Markdown."""
    lines = [
        "| workload | " + " | ".join(TITLES[c] for c in CLIENTS) + " |",
        "| --- |" + " ---: |" * len(CLIENTS),
    ]
    for row in rows:
        spec: Spec = row["spec"]
        cells = []
        for client in CLIENTS:
            if client in row["medians"]:
                cells.append(spec.show(row["medians"][client]))
            else:
                cells.append("**fails**" if client in row["errors"] else "-")
        lines.append(f"| {spec.title} | {' | '.join(cells)} |")
    lines += [
        "",
        "| workload | floor | ratio | target | met? |",
        "| --- | --- | ---: | --- | --- |",
    ]
    for row in rows:
        for floor in row["floors"]:
            ratio = f"{floor['ratio']:.2f}x" if floor["ratio"] is not None else "-"
            met = {True: "yes", False: "**no**", None: "-"}[floor["met"]]
            note = f" ({floor['note']})" if floor.get("note") else ""
            lines.append(
                f"| {row['key']} | {floor['what']}{note} | {ratio} | {floor['target']} | {met} |"
            )
    return "\n".join(lines)


def failing(rows: list[dict[str, Any]]) -> list[str]:
    """The floors not met, one line each (empty when every floor is met)."""
    return [
        f"{row['key']} {floor['what']}: {floor['ratio'] or 0:.2f}x, target {floor['target']}"
        for row in rows
        for floor in row["floors"]
        if floor["met"] is False
    ]


def machine() -> str:
    """CPU model, cores, OS and Python of this machine."""
    model = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    load = f", load {os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else ""
    return (
        f"{model}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}{load}"
    )


def details(rows: list[dict[str, Any]], results: list[dict[str, Any]]) -> list[str]:
    """Lines under the table: every sample, CPU per unit, how busy the bench server was."""
    names = " | ".join(CLIENTS)
    out = [f"Every repetition ({names}):"]
    for row in rows:
        spec: Spec = row["spec"]
        parts = [", ".join(spec.show(v) for v in row["samples"].get(c, [])) or "-" for c in CLIENTS]
        out.append(f"  {spec.key:5} {' | '.join(parts)}")
    out.append(f"Client CPU per call or token in the timed part, median ({names}):")
    for workload in ("W1", "W2", "W3", "W4", "W6", "W7"):
        unit = "call" if workload in ("W1", "W3", "W6") else "token"
        cells = []
        for client in CLIENTS:
            cpu = [
                r["cpu_us_per_unit"]
                for r in results
                if r["client"] == client and r["workload"] == workload and "error" not in r
            ]
            cells.append(f"{statistics.median(cpu):,.1f} us/{unit}" if cpu else "-")
        out.append(f"  {workload}    {' | '.join(cells)}")
    for row in rows:
        out += [f"  {row['key']} {c} failed: {why}" for c, why in row["errors"].items()]
    busy = []
    for workload in ("W1", "W2", "W3", "W4", "W6", "W7"):
        loads = [
            r["server_cpu_s"] / r["elapsed_s"]
            for r in results
            if r["workload"] == workload and r.get("elapsed_s")
        ]
        if loads:
            busy.append(f"{workload} {max(loads):.0%}")
    if busy:
        out.append("Bench server CPU over the timed part, busiest client run: " + ", ".join(busy))
    return out


MARK_START = "<!-- bench:start -->"
MARK_END = "<!-- bench:end -->"


def update_readme(path: Path, markdown: str) -> None:
    """Replace what stands between the bench markers in ``path`` with ``markdown``."""
    text = path.read_text()
    start, end = text.find(MARK_START), text.find(MARK_END)
    if start < 0 or end < start:
        raise SystemExit(f"{path}: no {MARK_START} ... {MARK_END} section to update")
    path.write_text(text[: start + len(MARK_START)] + "\n" + markdown + "\n" + text[end:])


MOCK_GENERATE_TARGET = 3000.0
"""``/generate`` calls/s the mock must serve in one process."""
MOCK_EVENTS_TARGET = 150_000.0
"""Streamed events/s the mock must send in one process."""


def _target(value: float, target: float) -> str:
    return f"target >= {target:,.0f}: {'met' if value >= target else 'NOT MET'}"


def mock_lines(
    mocks: list[tuple[int, MockCapacity | None, str]], bench: dict[str, float] | None = None
) -> list[str]:
    """The mock's lines of the report: one block per ``(workers, result, reason)``; the targets
    apply to one process. ``bench`` (the bench server's capacity in the same run) is repeated
    beside them: on a loaded machine both drop, and their ratio says more than either."""
    lines: list[str] = []
    if bench:
        lines.append(
            f"beside the bench server in this run: {bench['keepalive_rps']:,.0f} sequential "
            f"requests/s, {bench['stream_events_per_s']:,.0f} streamed events/s"
        )
    for workers, mock, reason in mocks:
        what = "one process" if workers == 1 else f"--workers {workers}"
        if mock is None:
            lines.append(f"mock ({what}): not available ({reason})")
            continue
        status = "no error" if not mock.errors and mock.streams_ok == mock.streams else "ERRORS"
        events = f"{mock.events_per_s:,.0f} events/s"
        calls = f"{mock.generate_per_s:,.0f} calls/s"
        if workers == 1:
            events += f", {_target(mock.events_per_s, MOCK_EVENTS_TARGET)}"
            calls += f", {_target(mock.generate_per_s, MOCK_GENERATE_TARGET)}"
        lines += [
            f"mock (python -m tgi_mock, {what}): {mock.streams:,} concurrent streams of "
            f"{mock.tokens_per_stream} tokens: {mock.streams_ok:,} complete, {len(mock.errors)} "
            f"errors ({status}), {mock.events:,} events in {mock.stream_elapsed_s:.2f} s "
            f"({events})",
            f"mock generate ({what}): {calls} ({mock.generate_calls:,} calls over "
            f"20 keep-alive connections, {mock.generate_errors} errors)",
        ]
        lines += [f"  mock error: {e}" for e in mock.errors[:5]]
    return lines
