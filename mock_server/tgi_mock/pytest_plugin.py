"""
Pytest fixtures for the mock TGI server (registered by the `pytest11` entry point `tgi_mock`).

- `tgi_mock_server` (session scope): a `MockServer` on 127.0.0.1 and a free port, started once.
- `tgi_mock` (per test): a `TGIMock` handle on that server with `.url`, `.config` (a fresh copy for
  each test; change it freely), `.faults` (`.set("drop-after=2")`, `.set(latency_token=0.01)`,
  `.clear()`), `.journal`, `.scripted` (prompt → completion) and `.metrics`. Configuration, faults,
  journal and metrics are reset before and after every test. `.script_tool_call(prompt, name,
  arguments)` and `.script_json(prompt, value)` script tool calls and structured answers.

The fixtures need the `mock` extra (`pip install 'tgi-sdk[mock]'`); without it a test using them
fails with a message saying so, and pytest sessions that do not use them are not affected.

Example::

    def test_retry(tgi_mock):
        tgi_mock.faults.set("overload;retry-after=1;times=1")
        ...
        assert tgi_mock.journal.last("/").json["inputs"] == "Hello"
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from tgi_mock.config import MockConfig
from tgi_mock.extras import SERVER, MissingExtraError, require
from tgi_mock.journal import Journal

if TYPE_CHECKING:
    from tgi_mock.server import MockServer
    from tgi_mock.state import Metrics, MockState, ServerFaults

__all__ = ["TGIMock", "tgi_mock", "tgi_mock_server"]


class TGIMock:
    """A test's view of the session's mock server."""

    def __init__(self, server: MockServer, base: MockConfig) -> None:
        self.server = server
        self._base = base

    @property
    def url(self) -> str:
        """Base URL of the server, e.g. `http://127.0.0.1:41234` (no trailing slash)."""
        return self.server.url

    @property
    def state(self) -> MockState:
        """The server's live state."""
        return self.server.state

    @property
    def config(self) -> MockConfig:
        """This test's configuration; changes apply to the next request."""
        return self.server.state.config

    @property
    def faults(self) -> ServerFaults:
        """Server faults for this test (see `tgi_mock.faults`)."""
        return self.server.state.faults

    @property
    def journal(self) -> Journal:
        """Requests received during this test."""
        return self.server.state.journal

    @property
    def scripted(self) -> dict[str, str]:
        """Scripted completions (prompt → completion) for this test."""
        return self.server.state.config.scripted

    @property
    def scripted_tool_calls(self) -> dict[str, dict[str, Any]]:
        """Scripted tool calls (last user message → `{"name", "arguments"}`) for this test."""
        return self.server.state.config.scripted_tool_calls

    def script_tool_call(self, prompt: str, name: str, arguments: dict[str, Any]) -> None:
        """Answer `prompt` (the last user message) with a call of `name` when that tool is
        offered; the arguments must validate against the tool's parameters (else 422)."""
        self.scripted_tool_calls[prompt] = {"name": name, "arguments": dict(arguments)}

    def script_json(self, prompt: str, value: Any) -> None:
        """Answer `prompt` with `value` as compact JSON; under a grammar it is sent only when the
        grammar allows it (else the mock makes a conforming answer)."""
        self.scripted[prompt] = json.dumps(value, separators=(",", ":"), ensure_ascii=False)

    @property
    def metrics(self) -> Metrics:
        """Request counters."""
        return self.server.state.metrics

    def reset(self) -> None:
        """Back to the session's configuration, no faults, empty journal and metrics."""
        self.server.state.reset(self._base.copy())


@pytest.fixture(scope="session")
def tgi_mock_server() -> Iterator[MockServer]:
    """A mock TGI server for the whole session, on 127.0.0.1 and a free port."""
    try:
        require("the tgi_mock pytest plugin", SERVER)
    except MissingExtraError as error:
        pytest.fail(str(error), pytrace=False)
    from tgi_mock.server import MockServer

    server = MockServer(MockConfig()).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def tgi_mock(tgi_mock_server: MockServer) -> Iterator[TGIMock]:
    """The session's mock server, reset for this test (config, faults, journal, metrics)."""
    handle = TGIMock(tgi_mock_server, MockConfig())
    handle.reset()
    try:
        yield handle
    finally:
        handle.reset()
