"""The ``kind`` fixture of the wire-level suites: each test runs on both routes, ``Client``
(urllib3) and ``AsyncClient`` (aiohttp)."""

from __future__ import annotations

import pytest

ROUTES = ["sync", "async"]


@pytest.fixture(params=ROUTES)
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)
