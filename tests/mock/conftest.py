"""Fixtures of the mock server's own tests: an httpx client on the plugin's server."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tgi_mock.pytest_plugin import TGIMock


@pytest.fixture
def http(tgi_mock: TGIMock) -> Iterator[httpx.Client]:
    """An httpx client bound to the (reset) mock server."""
    with httpx.Client(base_url=tgi_mock.url, timeout=10) as client:
        yield client
