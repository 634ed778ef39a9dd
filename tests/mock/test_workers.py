"""`python -m tgi_mock --workers 2`: two processes on one port sharing journal and faults."""

from __future__ import annotations

import http.client
import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tgi_mock.store import SharedJournal, SharedStore

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def workers_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    state = tmp_path_factory.mktemp("workers") / "state.sqlite3"
    argv = [sys.executable, "-m", "tgi_mock", "--port", "0", "--workers", "2"]
    argv += ["--state", str(state), "--log-level", "error"]
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        assert line.startswith("Mock TGI server listening on http://127.0.0.1:")
        url = line.rsplit(" ", 1)[1]
        for _ in range(200):  # the workers import and start after the line
            try:
                httpx.get(url + "/health", timeout=5)
                break
            except httpx.TransportError:
                time.sleep(0.05)
        yield url
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        finally:
            process.kill()


def _generate_on_fresh_connections(url: str, count: int) -> list[int]:
    """`count` generate calls, 8 at a time, each on a new connection (http.client: cheap to
    open, so that connections overlap and both workers accept some); their statuses."""
    host, port = url.removeprefix("http://").split(":")

    def one(i: int) -> int:
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        try:
            body = json.dumps({"inputs": f"hello {i}"})
            connection.request("POST", "/generate", body, {"content-type": "application/json"})
            response = connection.getresponse()
            response.read()
            return response.status
        finally:
            connection.close()

    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(one, range(count)))


def _journal(url: str) -> list[dict[str, object]]:
    answer = httpx.get(url + "/__admin/requests", params={"route": "/generate"}, timeout=10)
    requests: list[dict[str, object]] = answer.json()["requests"]
    return requests


def _until_both_workers_served(url: str, status: int) -> int:
    """Send batches of requests on fresh connections until the journal shows both workers (a
    worker that is still starting gets none at first); every answer must have `status`."""
    sent = 0
    deadline = time.monotonic() + 45
    while time.monotonic() < deadline:
        answers = _generate_on_fresh_connections(url, 40)
        assert set(answers) == {status}
        sent += len(answers)
        journal = _journal(url)
        assert len(journal) == sent
        if len({entry["worker"] for entry in journal}) == 2:
            return sent
        time.sleep(0.2)
    raise AssertionError(f"{sent} requests, all served by one worker")


@pytest.mark.timeout(120)
def test_requests_served_by_either_worker_are_in_the_shared_journal(workers_url: str) -> None:
    httpx.delete(workers_url + "/__admin/requests", timeout=10)
    sent = _until_both_workers_served(workers_url, 200)
    inputs = {entry["json"]["inputs"] for entry in _journal(workers_url)}  # type: ignore[index]
    assert inputs == {f"hello {i}" for i in range(40)}
    assert sent >= 40


@pytest.mark.timeout(120)
def test_a_fault_set_through_the_admin_api_applies_on_both_workers(workers_url: str) -> None:
    answer = httpx.put(workers_url + "/__admin/faults", json={"spec": "status=503"}, timeout=10)
    assert answer.json() == {"faults": {"status": 503}}
    try:
        httpx.delete(workers_url + "/__admin/requests", timeout=10)
        _until_both_workers_served(workers_url, 503)
    finally:
        httpx.delete(workers_url + "/__admin/faults", timeout=10)
    assert _generate_on_fresh_connections(workers_url, 4) == [200] * 4


def test_a_configuration_change_reaches_both_workers(workers_url: str) -> None:
    httpx.patch(workers_url + "/__admin/config", json={"model_id": "acme/shared"}, timeout=10)
    with ThreadPoolExecutor(8) as pool:
        infos = list(
            pool.map(lambda _: httpx.get(workers_url + "/info", timeout=10).json(), range(40))
        )
    assert {info["model_id"] for info in infos} == {"acme/shared"}


def test_a_fault_for_the_next_n_requests_counts_down_across_workers(workers_url: str) -> None:
    spec = {"spec": "status=503", "times": 5}
    httpx.put(workers_url + "/__admin/faults", json=spec, timeout=10)
    statuses = _generate_on_fresh_connections(workers_url, 30)
    assert sorted(statuses) == [200] * 25 + [503] * 5
    assert httpx.get(workers_url + "/__admin/faults", timeout=10).json() == {"faults": {}}


def test_one_process_with_a_state_file_journals_into_it(tmp_path: Path) -> None:
    state = tmp_path / "state.sqlite3"
    argv = [sys.executable, "-m", "tgi_mock", "--port", "0", "--state", str(state)]
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip().rsplit(" ", 1)[1]
        assert _generate_on_fresh_connections(url, 3) == [200] * 3
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        finally:
            process.kill()
    journal = SharedJournal(SharedStore(state))
    assert sorted(entry.json["inputs"] for entry in journal) == ["hello 0", "hello 1", "hello 2"]


def test_workers_refuse_replay_and_zero() -> None:
    for extra in (["--workers", "0"], ["--workers", "2", "--replay", "."]):
        done = subprocess.run(
            [sys.executable, "-m", "tgi_mock", *extra], capture_output=True, text=True, check=False
        )
        assert done.returncode == 2
        assert "--workers" in done.stderr
