"""The ``kind`` fixture of the wire-level suites: each test runs on ``AsyncClient``, on ``Client``
as installed (libcurl for whole answers to ``http://`` when pycurl is there) and on ``Client``
with urllib3 alone (what an install without the ``curl`` extra runs)."""

from __future__ import annotations

import pytest

from text_generation import _sync_transport

ROUTES = ["sync", "sync-urllib3", "async"]


@pytest.fixture(params=ROUTES)
def kind(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "sync-urllib3":
        monkeypatch.setattr(_sync_transport, "whole_answer_pool", lambda maxsize: None)
        return "sync"
    return str(request.param)
