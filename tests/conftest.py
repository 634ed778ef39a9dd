"""Fixtures shared by every test folder, and the repository-bounds guard of every session
(`tests.bounds.plugin`: the session fails when a test or a Python process it starts opens
a path beside the repository)."""

from __future__ import annotations

import pytest

from tests.bounds.plugin import (
    pytest_configure,
    pytest_sessionfinish,
    pytest_terminal_summary,
    pytest_unconfigure,
)
from tests.facade.twins import KINDS

__all__ = [
    "kind",
    "pytest_configure",
    "pytest_sessionfinish",
    "pytest_terminal_summary",
    "pytest_unconfigure",
]


@pytest.fixture(params=KINDS)
def kind(request: pytest.FixtureRequest) -> str:
    """Each test using it runs once on ``Client`` and once on ``AsyncClient``."""
    return str(request.param)
