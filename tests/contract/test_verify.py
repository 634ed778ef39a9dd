"""`tgi-contract verify` against the mock: every check passes on the faithful mock; each deliberate
breakage fails exactly the checks of that behaviour; TGI's quirks are not failures."""

from __future__ import annotations

import json
import socket
from typing import Any

import pytest
import yaml
from starlette.responses import JSONResponse
from starlette.types import Receive, Scope, Send

from tests.contract.conftest import Serve
from tgi_mock.app import build_app
from tgi_mock.config import MockConfig
from tgi_mock.contract.cli import main
from tgi_mock.contract.spec import default_spec_path

BEHAVIOUR = [
    "max-new-tokens",
    "stream-token-count",
    "final-event",
    "stop-sequence",
    "seed-determinism",
    "compat-list",
    "compat-stream",
    "v1-stop-sequence",
    "v1-seed-determinism",
    "v1-grammar-regex",
    "validation-generate",
    "validation-stream",
    "limit-stop-sequences",
    "limit-best-of",
    "limit-input-tokens",
    "tokenize-offsets",
    "grammar-json",
    "grammar-regex",
    "tool-call-forced",
    "tools-with-response-format",
]


def _operation_ids() -> list[str]:
    spec = yaml.safe_load(default_spec_path().read_text(encoding="utf-8"))
    return [op["operationId"] for item in spec["paths"].values() for op in item.values()]


ALL_CHECKS = {f"schema.{op}" for op in _operation_ids()} | set(BEHAVIOUR) | {"schema.fuzz"}


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    status = main(["verify", *argv, "--json"])
    return status, json.loads(capsys.readouterr().out)


def by_status(report: dict[str, Any], status: str) -> set[str]:
    return {check["name"] for check in report["checks"] if check["status"] == status}


def test_every_check_passes_against_the_mock(
    serve: Serve, capsys: pytest.CaptureFixture[str]
) -> None:
    server = serve(MockConfig())
    status = main(["verify", server.url, "--fuzz-examples", "3"])
    lines = capsys.readouterr().out.splitlines()
    assert status == 0
    checks = {line.split()[1]: line.split()[0] for line in lines[:-1]}
    assert checks == dict.fromkeys(ALL_CHECKS, "pass")
    total = len(ALL_CHECKS)
    assert lines[-1].startswith(f"{total} checks against {server.url}: {total} passed, 0 failed")


def test_json_report(serve: Serve, capsys: pytest.CaptureFixture[str]) -> None:
    server = serve(MockConfig())
    status, report = run_json(capsys, server.url, "--fuzz-examples", "2")
    assert status == 0
    assert report["ok"] is True
    assert report["url"] == server.url
    assert report["summary"] == {
        "total": len(ALL_CHECKS),
        "passed": len(ALL_CHECKS),
        "failed": 0,
        "skipped": 0,
    }
    assert {check["name"] for check in report["checks"]} == ALL_CHECKS
    kinds = {check["name"]: check["kind"] for check in report["checks"]}
    assert kinds["schema.generate"] == "schema"
    assert kinds["stop-sequence"] == "behaviour"
    assert all(check["evidence"] == "" for check in report["checks"])


@pytest.mark.parametrize(
    ("breakage", "failing"),
    [
        ("stop-ignored", {"stop-sequence", "v1-stop-sequence"}),
        ("seed-ignored", {"seed-determinism", "v1-seed-determinism"}),
        ("no-final-details", {"final-event"}),
        ("no-list-wrapper", {"compat-list", "schema.compat_generate", "schema.model_generate"}),
        (
            "no-validation",
            {
                "validation-generate",
                "validation-stream",
                "limit-stop-sequences",
                "limit-best-of",
                "limit-input-tokens",
            },
        ),
    ],
)
def test_each_breakage_fails_exactly_its_checks(
    serve: Serve, capsys: pytest.CaptureFixture[str], breakage: str, failing: set[str]
) -> None:
    server = serve(MockConfig(breakages=[breakage]))
    status, report = run_json(capsys, server.url, "--fuzz-examples", "0")
    assert status == 1
    assert report["ok"] is False
    assert by_status(report, "fail") == failing
    expected_skips = {"schema.fuzz"}
    if breakage == "no-final-details":  # nothing to count events against: final-event says why
        expected_skips.add("stream-token-count")
    assert by_status(report, "skip") == expected_skips
    for check in report["checks"]:
        if check["status"] == "fail":
            assert check["evidence"], check


def test_schemathesis_fuzzing_also_catches_a_missing_list_wrapper(
    serve: Serve, capsys: pytest.CaptureFixture[str]
) -> None:
    server = serve(MockConfig(breakages=["no-list-wrapper"]))
    status, report = run_json(capsys, server.url, "--check", "schema.fuzz", "--fuzz-examples", "5")
    assert status == 1
    [fuzz] = report["checks"]
    assert fuzz["status"] == "fail"
    assert "POST /" in fuzz["evidence"]
    assert "is not of type" in fuzz["evidence"]


def test_failures_print_their_evidence_on_the_check_line(
    serve: Serve, capsys: pytest.CaptureFixture[str]
) -> None:
    server = serve(MockConfig(breakages=["stop-ignored"]))
    assert main(["verify", server.url, "--check", "stop-*"]) == 1
    first, summary = capsys.readouterr().out.splitlines()
    assert first.startswith("fail  stop-sequence: stop ")
    assert "finish_reason='length'" in first
    assert summary.startswith("1 check against ")
    assert "0 passed, 1 failed, 0 skipped" in summary


def test_tgi_quirks_are_not_failures(serve: Serve, capsys: pytest.CaptureFixture[str]) -> None:
    """`data:` without a space (TGI <= 2.0), keep-alive comments before the first token, TGI 2.x's
    total-token rule, and an API key sent with --header."""
    config = MockConfig(
        legacy_sse=True,
        keep_alive=0.01,
        faults="latency-first=0.03",
        max_new_tokens_check_cap=None,
        api_key="sesame",
    )
    server = serve(config)
    header = "Authorization: Bearer sesame"
    status, report = run_json(capsys, server.url, "--header", header, "--fuzz-examples", "0")
    assert by_status(report, "fail") == set()
    assert by_status(report, "skip") == {"schema.fuzz"}
    assert status == 0


class _InfoWithout:
    """The mock, with some limits left out of `/info` (like older or other servers)."""

    def __init__(self, config: MockConfig, *missing: str) -> None:
        self.app = build_app(config=config)
        self.config = config
        self.missing = missing

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] == "/info":
            info = {k: v for k, v in self.config.info().items() if k not in self.missing}
            await JSONResponse(info)(scope, receive, send)
            return
        await self.app(scope, receive, send)


def test_limits_that_info_does_not_report_are_skipped(
    serve: Serve, capsys: pytest.CaptureFixture[str]
) -> None:
    app = _InfoWithout(MockConfig(), "max_best_of", "max_stop_sequences")
    server = serve(app=app)
    status, report = run_json(capsys, server.url, "--check", "limit-*")
    assert status == 0
    reasons = {c["name"]: c["evidence"] for c in report["checks"] if c["status"] == "skip"}
    assert reasons == {
        "limit-best-of": "/info does not report max_best_of",
        "limit-stop-sequences": "/info does not report max_stop_sequences",
    }
    assert by_status(report, "pass") == {"limit-input-tokens"}


class _TGIRoutesOnly:
    """The mock without the Inference API routes, as a real TGI: an empty 404 for them."""

    def __init__(self) -> None:
        self.app = build_app(config=MockConfig())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(
            ("/framework", "/status", "/models")
        ):
            await send({"type": "http.response.start", "status": 404, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return
        await self.app(scope, receive, send)


def test_inference_api_routes_that_tgi_does_not_serve_are_skipped(
    serve: Serve, capsys: pytest.CaptureFixture[str]
) -> None:
    server = serve(app=_TGIRoutesOnly())
    status, report = run_json(capsys, server.url, "--fuzz-examples", "3")
    assert status == 0
    skipped = {c["name"]: c["evidence"] for c in report["checks"] if c["status"] == "skip"}
    assert set(skipped) == {
        "schema.deployed_models",
        "schema.model_status",
        "schema.model_generate",
    }
    assert all("not served" in reason for reason in skipped.values())
    alone, fuzz_only = run_json(
        capsys, server.url, "--check", "schema.fuzz", "--fuzz-examples", "3"
    )
    assert (alone, by_status(fuzz_only, "pass")) == (0, {"schema.fuzz"})


def test_an_unreachable_server_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    assert main(["verify", f"http://127.0.0.1:{port}", "--timeout", "5"]) == 2
    assert "cannot reach the server" in capsys.readouterr().err


def test_a_bad_header_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["verify", "http://127.0.0.1:1", "--header", "no colon"])
    assert exit_info.value.code == 2
    assert "expected 'Name: value'" in capsys.readouterr().err
