"""Fixtures for the facade tests: a respx-mocked TGI at ``BASE`` and a sync/async twin."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import respx

from tests.facade.twins import Twin

BASE = "http://tgi.test"

# The snapshot-replay helpers assert on the tests' behalf: have pytest rewrite their asserts too.
pytest.register_assert_rewrite("tests.facade.snapshots", "tests.facade.replay_checks")


@pytest.fixture
def tgi() -> Iterator[respx.MockRouter]:
    """A mocked TGI server at ``BASE``; every request must match a route. ``using="httpx"``
    mocks at the httpx client, so it also catches ``AsyncClient``'s own transport."""
    with respx.mock(base_url=BASE, assert_all_called=False, using="httpx") as router:
        yield router


@pytest.fixture
def twin(kind: str) -> Iterator[Twin]:
    """A client of ``kind`` pointed at ``BASE``, without retries (``test_retries`` has them)."""
    t = Twin(kind, BASE, max_retries=0)
    yield t
    t.close()
