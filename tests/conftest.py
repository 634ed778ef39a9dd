"""Fixtures shared by every test folder."""

from __future__ import annotations

import pytest

from tests.facade.twins import KINDS


@pytest.fixture(params=KINDS)
def kind(request: pytest.FixtureRequest) -> str:
    """Each test using it runs once on ``Client`` and once on ``AsyncClient``."""
    return str(request.param)
