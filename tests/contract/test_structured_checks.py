"""`tgi-contract verify`'s structured-output checks: they pass against the mock, fail against a
mock that ignores grammars (`--break grammar-ignored`), and skip with a reason when the server
refuses grammars (`--disable-grammar-support`)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.contract.conftest import Serve
from tgi_mock.config import MockConfig
from tgi_mock.contract.cli import main

STRUCTURED = {"grammar-json", "grammar-regex", "tool-call-forced", "tools-with-response-format"}
PATTERNS = ["--check", "grammar-*", "--check", "tool*"]


def _report(capsys: pytest.CaptureFixture[str], url: str, *argv: str) -> tuple[int, Any]:
    status = main(["verify", url, *argv, "--json"])
    return status, json.loads(capsys.readouterr().out)


def _by_status(report: Any, status: str) -> set[str]:
    return {check["name"] for check in report["checks"] if check["status"] == status}


def test_structured_checks_pass_against_the_mock(
    serve: Serve, capsys: pytest.CaptureFixture[str]
) -> None:
    server = serve(MockConfig())
    status, report = _report(capsys, server.url, *PATTERNS)
    assert status == 0
    assert _by_status(report, "pass") == STRUCTURED


def test_a_server_ignoring_grammars_fails_exactly_the_grammar_checks(
    serve: Serve, capsys: pytest.CaptureFixture[str]
) -> None:
    server = serve(MockConfig(breakages=["grammar-ignored"]))
    status, report = _report(capsys, server.url, "--fuzz-examples", "0")
    assert status == 1
    failing = {"grammar-json", "grammar-regex", "tool-call-forced", "v1-grammar-regex"}
    assert _by_status(report, "fail") == failing
    assert _by_status(report, "skip") == {"schema.fuzz"}
    evidence = {c["name"]: c["evidence"] for c in report["checks"] if c["status"] == "fail"}
    assert "not JSON" in evidence["grammar-json"]
    assert "does not match the whole text" in evidence["grammar-regex"]
    assert "without exactly one tool call" in evidence["tool-call-forced"]


def test_a_server_without_grammar_support_skips_with_the_reason(
    serve: Serve, capsys: pytest.CaptureFixture[str]
) -> None:
    server = serve(MockConfig(disable_grammar_support=True))
    status, report = _report(capsys, server.url, *PATTERNS)
    assert status == 0
    assert _by_status(report, "skip") == {"grammar-json", "grammar-regex", "tool-call-forced"}
    assert _by_status(report, "pass") == {"tools-with-response-format"}
    reasons = {c["evidence"] for c in report["checks"] if c["status"] == "skip"}
    assert reasons == {"the server refuses grammars (--disable-grammar-support)"}
