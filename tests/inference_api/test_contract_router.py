"""``tgi-contract verify`` on a router model URL: the checks the router answers, with ``--token``
or ``HF_TOKEN``, and the token never printed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tgi_mock.config import MockConfig
from tgi_mock.contract.cli import main
from tgi_mock.contract.router import is_router_url, with_token
from tgi_mock.server import MockServer

SECRET = "hf_verify_secret_42"


@pytest.fixture(scope="module")
def router() -> Iterator[str]:
    """A mock router that wants ``SECRET``; its hf-inference model URL."""
    with MockServer(MockConfig(router_tokens=[SECRET])) as server:
        yield f"{server.url}/hf-inference/models/bigscience/bloomz"


def test_verify_a_router_url_with_a_token(
    router: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HF_TOKEN", raising=False)
    assert main(["verify", router, "--token", SECRET]) == 0
    out = capsys.readouterr()
    assert "4 passed, 0 failed, 0 skipped" in out.out
    assert SECRET not in out.out + out.err
    monkeypatch.setenv("HF_TOKEN", SECRET)
    assert main(["verify", router, "--json"]) == 0
    out = capsys.readouterr()
    assert SECRET not in out.out + out.err


def test_verify_a_router_url_without_a_token_fails(
    router: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("HF_TOKEN", raising=False)
    assert main(["verify", router]) == 1
    assert "401" in capsys.readouterr().out


def test_hf_token_goes_only_to_a_router(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_TOKEN", SECRET)
    assert is_router_url("https://router.huggingface.co/hf-inference/models/org/name")
    assert not is_router_url("http://127.0.0.1:8080")
    assert with_token("http://127.0.0.1:8080", {}, None) == {}
    assert with_token("http://h/together/models/m", {}, None) == {
        "Authorization": f"Bearer {SECRET}"
    }
    assert with_token("http://h:1", {"authorization": "Bearer k"}, "t") == {
        "authorization": "Bearer k"
    }
