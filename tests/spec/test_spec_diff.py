"""`tgi_mock.spec_diff` on tiny hand-made specs, and its command line."""

from __future__ import annotations

import copy
import json
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from pytest_httpserver import HTTPServer

from tgi_mock.spec_diff import Route, SpecDiff, diff_specs, main

_OK = {"200": {"description": "ok"}}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


# The same API twice: OpenAPI 3.0 as utoipa writes it, and OpenAPI 3.1 as openapi.yaml writes it.
SPEC_30: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/generate": {"post": {"responses": _OK}},
        "/info": {"get": {"responses": _OK}},
        "/models/{model_id}": {"get": {"responses": _OK}},
    },
    "components": {
        "schemas": {
            "Params": {
                "type": "object",
                "required": ["kind"],
                "properties": {
                    "kind": {"type": "string", "enum": ["json"]},
                    "seed": {
                        "type": "integer",
                        "format": "int64",
                        "default": "null",
                        "nullable": True,
                        "minimum": None,
                    },
                    "grammar": {"allOf": [_ref("Grammar")], "default": "null", "nullable": True},
                    "temperature": {"type": "number", "format": "float", "nullable": True},
                    "stop": {"type": "array", "items": {"type": "string"}, "nullable": True},
                    "top_tokens": {
                        "type": "array",
                        "items": {"type": "array", "items": _ref("Token")},
                    },
                    "details": {"type": "boolean", "default": "false"},
                },
            },
            "Grammar": {"oneOf": [{"type": "object", "properties": {"value": {"type": "string"}}}]},
            "Token": {
                "type": "object",
                "required": ["id"],
                "properties": {"id": {"type": "integer", "format": "int32", "minimum": 0}},
            },
            "FinishReason": {"type": "string", "enum": ["length", "eos_token"]},
        }
    },
}

SPEC_31: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "t", "version": "1"},
    "paths": {
        "/generate": {"post": {"responses": _OK}},
        "/info": {"get": {"responses": _OK}},
        "/models/{id}": {"get": {"responses": _OK}},
    },
    "components": {
        "schemas": {
            "Params": {
                "type": "object",
                "required": ["kind"],
                "properties": {
                    "kind": {"const": "json"},
                    "seed": {"type": ["integer", "null"], "minimum": 0},
                    "grammar": {"anyOf": [_ref("Grammar"), {"type": "null"}]},
                    "temperature": {"type": ["number", "null"]},
                    "stop": {"type": ["array", "null"], "items": {"type": "string"}},
                    "top_tokens": {
                        "type": "array",
                        "items": {"type": "array", "items": _ref("Token")},
                    },
                    "details": {"type": "boolean"},
                },
            },
            "Grammar": {"oneOf": [_ref("JsonGrammar")]},
            "JsonGrammar": {"type": "object", "properties": {"value": {"type": "string"}}},
            "Token": {
                "type": "object",
                "required": ["id"],
                "properties": {"id": {"type": "integer"}},
            },
            "FinishReason": {"type": "string", "enum": ["eos_token", "length"]},
        }
    },
}


def _keys(diff: SpecDiff) -> set[tuple[str, str, str]]:
    return {d.key() for d in diff.schema_differences}


def _params(spec: dict[str, Any]) -> dict[str, Any]:
    props: dict[str, Any] = spec["components"]["schemas"]["Params"]
    return props


def test_openapi_30_and_31_forms_of_the_same_thing_do_not_differ() -> None:
    diff = diff_specs(SPEC_30, SPEC_31)
    assert diff.schema_differences == ()
    assert diff.routes_only_published == diff.routes_only_ours == ()
    assert diff.schemas_only_ours == ("JsonGrammar",)  # a named variant instead of an inline one
    assert diff_specs(SPEC_31, SPEC_31).is_empty


def test_a_removed_route_is_reported() -> None:
    ours = copy.deepcopy(SPEC_31)
    del ours["paths"]["/info"]
    diff = diff_specs(SPEC_30, ours)
    assert diff.routes_only_published == (Route("GET", "/info"),)
    assert diff_specs(ours, SPEC_30).routes_only_ours == (Route("GET", "/info"),)


def test_a_removed_property_is_reported_on_its_side() -> None:
    ours = copy.deepcopy(SPEC_31)
    del _params(ours)["properties"]["temperature"]
    assert _keys(diff_specs(SPEC_30, ours)) == {("Params", "temperature", "only_published")}
    assert _keys(diff_specs(ours, SPEC_30)) == {("Params", "temperature", "only_ours")}


def test_a_changed_type_is_reported() -> None:
    ours = copy.deepcopy(SPEC_31)
    _params(ours)["properties"]["seed"] = {"type": ["string", "null"]}
    [difference] = diff_specs(SPEC_30, ours).schema_differences
    assert difference.key() == ("Params", "seed", "type")
    assert (difference.published, difference.ours) == ("integer | null", "string | null")


def test_integer_is_compatible_with_number_one_way_only() -> None:
    ours = copy.deepcopy(SPEC_31)
    _params(ours)["properties"]["seed"] = {"type": ["number", "null"]}
    assert diff_specs(SPEC_30, ours).schema_differences == ()
    assert _keys(diff_specs(ours, SPEC_30)) == {("Params", "seed", "type")}


def test_an_array_item_type_change_is_reported() -> None:
    ours = copy.deepcopy(SPEC_31)
    _params(ours)["properties"]["top_tokens"]["items"]["items"] = {"type": "string"}
    assert _keys(diff_specs(SPEC_30, ours)) == {("Params", "top_tokens", "type")}


def test_changed_required_and_nullable_flags_are_reported() -> None:
    ours = copy.deepcopy(SPEC_31)
    _params(ours)["required"] = ["seed"]
    _params(ours)["properties"]["details"] = {"type": ["boolean", "null"]}
    assert _keys(diff_specs(SPEC_30, ours)) == {
        ("Params", "kind", "required"),
        ("Params", "seed", "required"),
        ("Params", "details", "nullable"),
    }


def test_enum_values_are_compared() -> None:
    ours = copy.deepcopy(SPEC_31)
    ours["components"]["schemas"]["FinishReason"]["enum"] = ["length"]
    [difference] = diff_specs(SPEC_30, ours).schema_differences
    assert difference.key() == ("FinishReason", "", "enum")


def _write(tmp_path: Path, name: str, spec: dict[str, Any]) -> str:
    path = tmp_path / name
    path.write_text(json.dumps(spec) if name.endswith(".json") else yaml.safe_dump(spec))
    return str(path)


def test_cli_json_output_parses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ours = copy.deepcopy(SPEC_31)
    del ours["paths"]["/info"]
    code = main(
        [
            _write(tmp_path, "pub.json", SPEC_30),
            "--ours",
            _write(tmp_path, "o.yaml", ours),
            "--json",
        ]
    )
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["routes_only_published"] == ["GET /info"]
    assert data["differs"] is True
    assert data["schema_differences"] == []


def test_cli_report_is_readable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ours = copy.deepcopy(SPEC_31)
    del _params(ours)["properties"]["stop"]
    assert (
        main([_write(tmp_path, "p.yaml", SPEC_30), "--ours", _write(tmp_path, "o.json", ours)]) == 0
    )
    out = capsys.readouterr().out
    assert "Properties only in the published spec (1):\n  Params.stop: only_published" in out
    assert out.rstrip().splitlines()[-1].startswith("Summary: ")


def test_cli_fail_on_diff_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    published = _write(tmp_path, "pub.json", SPEC_30)
    same = _write(tmp_path, "same.yaml", SPEC_31)
    ours = copy.deepcopy(SPEC_31)
    _params(ours)["required"] = []
    different = _write(tmp_path, "different.yaml", ours)
    assert main([published, "--ours", same, "--fail-on-diff"]) == 1  # JsonGrammar is extra
    assert main([same, "--ours", same, "--fail-on-diff"]) == 0
    assert main([published, "--ours", different]) == 0
    assert main([same, "--ours", different, "--fail-on-diff"]) == 1
    assert "Summary: no differences" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"\xff\xfe\x00binary", "not JSON or YAML"),
        (b"a: [b\n", "not JSON or YAML"),
        (b"just some text\n", "not an OpenAPI document"),
        (b'{"swagger": "2.0"}', "not an OpenAPI 3 document"),
        (b'{"openapi": "3.0.3", "paths": []}', "not a valid OpenAPI document"),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | None, message: str
) -> None:
    path = tmp_path / "spec.json"
    if content is not None:
        path.write_bytes(content)
    assert main([str(path), "--ours", _write(tmp_path, "o.yaml", SPEC_31)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert captured.err.startswith("spec-diff: error: ")
    assert message in captured.err


def test_cli_missing_file_as_a_module_gives_one_line_and_exit_2(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tgi_mock.spec_diff", str(tmp_path / "missing.json")],
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == f"spec-diff: error: no such file: {tmp_path / 'missing.json'}\n"


def test_cli_fetches_a_url(
    httpserver: HTTPServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    httpserver.expect_request("/openapi.yaml").respond_with_data(yaml.safe_dump(SPEC_31))
    httpserver.expect_request("/gone.json").respond_with_data("nope", status=404)
    ours = _write(tmp_path, "o.json", SPEC_31)
    assert main([httpserver.url_for("/openapi.yaml"), "--ours", ours, "--fail-on-diff"]) == 0
    assert main([httpserver.url_for("/gone.json"), "--ours", ours]) == 2
    assert "HTTP 404" in capsys.readouterr().err
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    assert main([f"http://127.0.0.1:{port}/openapi.json", "--ours", ours]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"spec-diff: error: cannot fetch http://127.0.0.1:{port}/openapi.json: ")
    assert err.count("\n") == 1
