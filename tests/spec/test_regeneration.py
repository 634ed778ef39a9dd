"""A maintainer's regeneration, end to end: three changes to a copy of openapi.yaml, regenerated
with the project's own ``tools/generate.sh``, reach users with no hand edit to the facade, and the
one hand edit 0.7.0's API forces (a keyword in the method signatures) is named by a failing check.

The facade (``text_generation`` from this checkout) runs in a subprocess on the regenerated
``tgi_client`` (first on ``PYTHONPATH``), against a local pytest-httpserver.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml
from pytest_httpserver import HTTPServer

REPO = Path(__file__).resolve().parents[2]

_TOKEN = {"id": 1, "text": " ok", "logprob": -0.5, "special": False}
ANSWER = {
    "generated_text": " ok",
    "cached_tokens": 3,
    "details": {
        "finish_reason": "tool_calls",
        "generated_tokens": 1,
        "seed": None,
        "prefill": [],
        "tokens": [_TOKEN],
    },
}
EVENT = {
    "index": 1,
    "token": _TOKEN,
    "generated_text": " ok",
    "details": {"finish_reason": "length", "generated_tokens": 1, "seed": None},
    "queue_time_ms": 12,
}


def changed_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """The three changes: new optional answer fields, a new finish reason, a new parameter."""
    schemas = spec["components"]["schemas"]
    schemas["GenerateResponse"]["properties"]["cached_tokens"] = {"type": "integer", "minimum": 0}
    schemas["StreamResponse"]["properties"]["queue_time_ms"] = {"type": "integer", "minimum": 0}
    schemas["FinishReason"]["enum"].append("tool_calls")
    schemas["FinishReason"]["x-enum-varnames"].append("ToolCalls")
    schemas["GenerateParameters"]["properties"]["min_p"] = {
        "type": ["number", "null"],
        "format": "float",
        "description": "Keep tokens whose probability is at least min_p times the top one.",
    }
    return spec


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the spec and the generator settings, changed and regenerated; the folder to put
    first on ``PYTHONPATH``."""
    root = tmp_path_factory.mktemp("regen")
    shutil.copytree(REPO / "tools", root / "tools", ignore=shutil.ignore_patterns("__pycache__"))
    spec = yaml.safe_load((REPO / "openapi.yaml").read_text(encoding="utf-8"))
    (root / "openapi.yaml").write_text(yaml.safe_dump(changed_spec(spec), sort_keys=False))
    (root / ".venv").symlink_to(REPO / ".venv")
    out = root / "generated" / "tgi_client"
    subprocess.run(
        ["bash", str(root / "tools" / "generate.sh"), str(out)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return out.parent


def run(regenerated: Path, code: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(regenerated), str(REPO)]),
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env=environ,
        timeout=120,
        check=False,
    )


def test_the_facade_runs_on_the_regenerated_client(regenerated: Path) -> None:
    proc = run(regenerated, "import tgi_client, text_generation; print(tgi_client.__file__)")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().startswith(str(regenerated))


def test_new_answer_fields_and_finish_reason_need_no_hand_edit(
    regenerated: Path, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/generate", method="POST").respond_with_json(ANSWER)
    stream = b"data: " + json.dumps(EVENT).encode() + b"\n\n"
    httpserver.expect_request("/generate_stream", method="POST").respond_with_data(
        stream, content_type="text/event-stream"
    )
    proc = run(
        regenerated,
        """
        import json, os
        from text_generation import Client
        from text_generation.types import FinishReason, Response, StreamResponse
        client = Client(os.environ["TGI_URL"])
        answer = client.generate("p")
        assert type(answer) is Response
        event = list(client.generate_stream("p"))[-1]
        print(json.dumps({
            "cached_tokens": answer.cached_tokens,
            "dumped": answer.model_dump()["cached_tokens"],
            "finish_reason": answer.details.finish_reason.value,
            "member": answer.details.finish_reason is FinishReason.ToolCalls,
            "queue_time_ms": event.queue_time_ms,
            "event_dumped": event.model_dump()["queue_time_ms"],
        }))
        """,
        TGI_URL=httpserver.url_for("/"),
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {
        "cached_tokens": 3,
        "dumped": 3,
        "finish_reason": "tool_calls",
        "member": True,
        "queue_time_ms": 12,
        "event_dumped": 12,
    }


def test_a_new_parameter_is_a_field_that_reaches_the_wire(
    regenerated: Path, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/generate", method="POST").respond_with_json(ANSWER)
    proc = run(
        regenerated,
        """
        import os
        from text_generation import Client, _core
        from text_generation.types import Parameters, Request
        assert "min_p" in Parameters.model_fields
        request = Request(inputs="p", parameters=Parameters(min_p=0.05, details=True))
        call = _core.generate_route(request, stream=False, compat=False)
        Client(os.environ["TGI_URL"])._send(call)
        """,
        TGI_URL=httpserver.url_for("/"),
    )
    assert proc.returncode == 0, proc.stderr
    (sent, _), *_ = httpserver.log
    assert json.loads(sent.get_data())["parameters"]["min_p"] == 0.05


def test_the_missing_keyword_is_named_by_the_check(regenerated: Path) -> None:
    """The hand edit 0.7.0's signatures need: ``min_p`` as a keyword of each generate method.
    The check ``tests/facade/test_regeneration_safety.py`` runs names it."""
    proc = run(
        regenerated,
        """
        from tests.facade.regeneration_checks import NOT_EXPOSED, parameter_gaps
        from text_generation import Client
        from tgi_client.models import GenerateParameters
        properties = {f.alias or n for n, f in GenerateParameters.model_fields.items()}
        for method in ("generate", "generate_stream"):
            print(*parameter_gaps(getattr(Client, method), properties, NOT_EXPOSED[method]))
        """,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [
        "GenerateParameters.min_p is not a keyword of Client.generate (nor NOT_EXPOSED)",
        "GenerateParameters.min_p is not a keyword of Client.generate_stream (nor NOT_EXPOSED)",
    ]
