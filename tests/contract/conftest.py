"""Fixtures of the contract-tool tests: servers on 127.0.0.1 and a free port, stopped after use."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from starlette.types import ASGIApp

from tgi_mock.config import MockConfig
from tgi_mock.server import MockServer

Serve = Callable[..., MockServer]


@pytest.fixture
def serve() -> Iterator[Serve]:
    """`serve(config=None, app=None)` starts a server (the mock, or `app`) for this test."""
    started: list[MockServer] = []

    def start(config: MockConfig | None = None, app: ASGIApp | None = None) -> MockServer:
        server = MockServer(config, app=app).start()
        started.append(server)
        return server

    try:
        yield start
    finally:
        for server in reversed(started):
            server.stop()
