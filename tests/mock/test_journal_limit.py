"""The journal keeps the newest `journal_limit` requests and counts the ones it let go, so a long
load test does not grow the mock without bound: in one process, in the shared store of
`--workers`, through the admin API and from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from tgi_mock.cli import build_config, parser
from tgi_mock.config import MockConfig
from tgi_mock.journal import Journal, RecordedRequest
from tgi_mock.pytest_plugin import TGIMock
from tgi_mock.store import SharedJournal, SharedStore


def entry(i: int) -> RecordedRequest:
    body = {"inputs": str(i)}
    return RecordedRequest("POST", "/generate", "", {}, json.dumps(body).encode(), body, float(i))


def inputs(journal: Journal) -> list[str]:
    return [e.json["inputs"] for e in journal.all()]


def test_a_full_journal_lets_the_oldest_go_and_counts_them() -> None:
    journal = Journal(3)
    for i in range(5):
        journal.record(entry(i))
    assert inputs(journal) == ["2", "3", "4"]
    assert (len(journal), journal.dropped, journal.limit) == (3, 2, 3)
    journal.reset()
    assert (len(journal), journal.dropped) == (0, 0)


def test_a_changed_limit_applies_at_once() -> None:
    limit: list[int | None] = [None]
    journal = Journal(lambda: limit[0])
    for i in range(4):
        journal.record(entry(i))
    assert (inputs(journal), journal.dropped) == (["0", "1", "2", "3"], 0)
    limit[0] = 1
    assert (inputs(journal), journal.dropped) == (["3"], 3)
    limit[0] = 0
    journal.record(entry(4))
    assert (inputs(journal), journal.dropped) == ([], 5)
    limit[0] = None
    journal.record(entry(5))
    assert (inputs(journal), journal.dropped) == (["5"], 5)
    limit[0] = -1
    with pytest.raises(ValueError, match="journal limit"):
        journal.record(entry(6))


def test_the_mock_journal_follows_its_configuration(tgi_mock: TGIMock, http: httpx.Client) -> None:
    assert tgi_mock.config.journal_limit == 10_000  # bounded by default
    tgi_mock.config.journal_limit = 2
    for i in range(5):
        assert http.post("/generate", json={"inputs": f"p{i}"}).status_code == 200
    answer = http.get("/__admin/requests").json()
    assert [r["json"]["inputs"] for r in answer["requests"]] == ["p3", "p4"]
    assert answer["dropped"] == 3
    assert tgi_mock.journal.dropped == 3
    assert http.patch("/__admin/config", json={"journal_limit": None}).status_code == 200
    http.post("/generate", json={"inputs": "p5"})
    assert len(tgi_mock.journal) == 3
    for wrong in (-1, "10", 2.5, True):
        refused = http.patch("/__admin/config", json={"journal_limit": wrong})
        assert refused.status_code == 400
        assert "journal_limit" in refused.json()["error"]
    http.post("/__admin/reset")
    assert http.get("/__admin/requests").json() == {"requests": [], "dropped": 0}


def test_the_shared_journal_is_trimmed_across_workers(tmp_path: Path) -> None:
    store = SharedStore(tmp_path / "state.sqlite3")
    limit: list[int | None] = [10]
    first = SharedJournal(store, lambda: limit[0])
    second = SharedJournal(store, lambda: limit[0])  # another worker on the same file
    for i in range(300):
        (first if i % 2 else second).record(entry(i))
    kept = inputs(first)
    assert 10 <= len(kept) < 10 + 64
    assert kept == [str(i) for i in range(300 - len(kept), 300)]  # the newest, in order
    assert first.dropped + len(first) == 300
    assert second.dropped == first.dropped
    limit[0] = 2  # a lower limit trims at the next request
    first.record(entry(300))
    assert inputs(second) == ["299", "300"]
    assert second.dropped == 299
    second.reset()
    assert (len(first), first.dropped) == (0, 0)


def test_the_command_line_sets_the_limit() -> None:
    assert build_config(parser().parse_args([])).journal_limit == 10_000
    assert build_config(parser().parse_args(["--journal-limit", "50"])).journal_limit == 50
    assert build_config(parser().parse_args(["--journal-limit", "none"])).journal_limit is None
    assert MockConfig.from_dict({"journal_limit": 0}).journal_limit == 0
    with pytest.raises(SystemExit):
        parser().parse_args(["--journal-limit", "-3"])
