"""Fixtures of the Inference API tests: the mock serves the Hub API (``HF_ENDPOINT``) and the
router; no token is found on the machine unless a test puts one there."""

from __future__ import annotations

from pathlib import Path

import pytest

from tgi_mock.pytest_plugin import TGIMock

TOKEN = "hf_mock_token_1234"
SKY = "Why is the sky blue?"
LLAMA = "meta-llama/Llama-3.1-8B-Instruct"
PROVIDER_IDS = {"hf-inference": LLAMA, "together": "meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo"}


@pytest.fixture
def hub(tgi_mock: TGIMock, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> TGIMock:
    """The reset mock, as the Hub (``HF_ENDPOINT``); ``HF_HOME`` is an empty folder."""
    for name in ("HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_TOKEN_PATH", "HF_INFERENCE_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HF_ENDPOINT", tgi_mock.url)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf_home"))
    return tgi_mock
