"""TGI's validation rules, order and exact messages (tgi-wire.md §4), over HTTP."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.mock.helpers import sse_json, stream
from tgi_mock.pytest_plugin import TGIMock

PREFIX = "Input validation error: "
TEN = "one two three four five six seven eight nine ten"  # ten tokens

# (parameters, config changes, inner message); route /generate, inputs "Hello" unless given.
CASES: list[tuple[str, dict[str, Any], dict[str, Any], str]] = [
    (
        "best_of disabled",
        {"best_of": 2, "do_sample": True},
        {"max_best_of": 1},
        "`best_of` != 1 is not allowed for this endpoint",
    ),
    (
        "best_of too large",
        {"best_of": 3, "do_sample": True},
        {},
        "`best_of` must be > 0 and <= 2. Given: 3",
    ),
    ("best_of needs sampling", {"best_of": 2}, {}, "you must use sampling when `best_of` is > 1"),
    (
        "best_of with seed",
        {"best_of": 2, "do_sample": True, "seed": 1},
        {},
        "`seed` must not be set when `best_of` > 1",
    ),
    ("temperature zero", {"temperature": 0}, {}, "`temperature` must be strictly positive"),
    ("temperature negative", {"temperature": -1.5}, {}, "`temperature` must be strictly positive"),
    (
        "repetition_penalty",
        {"repetition_penalty": 0},
        {},
        "`repetition_penalty` must be strictly positive",
    ),
    (
        "frequency_penalty high",
        {"frequency_penalty": 2.5},
        {},
        "`frequency_penalty` must be >= -2.0 and <= 2.0",
    ),
    (
        "frequency_penalty low",
        {"frequency_penalty": -2.01},
        {},
        "`frequency_penalty` must be >= -2.0 and <= 2.0",
    ),
    ("top_p one", {"top_p": 1.0}, {}, "`top_p` must be > 0.0 and < 1.0"),
    ("top_p zero", {"top_p": 0}, {}, "`top_p` must be > 0.0 and < 1.0"),
    ("typical_p one", {"typical_p": 1.0}, {}, "`typical_p` must be > 0.0 and < 1.0"),
    ("top_k zero", {"top_k": 0}, {}, "`top_k` must be strictly positive"),
    (
        "max_new_tokens zero",
        {"max_new_tokens": 0},
        {},
        "`max_new_tokens` must be strictly positive",
    ),
    (
        "stop count",
        {"stop": ["a", "b", "c", "d", "e"]},
        {},
        "`stop` supports up to 4 stop sequences. Given: 5",
    ),
    ("top_n_tokens", {"top_n_tokens": 6}, {}, "`top_n_tokens` must be >= 0 and <= 5. Given: 6"),
    (
        "truncate zero",
        {"truncate": 0},
        {},
        "`truncate` must be strictly positive and less than 1024. Given: 0",
    ),
    (
        "truncate over",
        {"truncate": 1025},
        {},
        "`truncate` must be strictly positive and less than 1024. Given: 1025",
    ),
    (
        "grammar disabled",
        {"grammar": {"type": "regex", "value": "a+"}},
        {"disable_grammar_support": True},
        "grammar is not supported",
    ),
    (
        "grammar json wrong type",
        {"grammar": {"type": "json", "value": 5}},
        {},
        "grammar is not supported",
    ),
    (
        "grammar no properties",
        {"grammar": {"type": "json", "value": {"type": "object"}}},
        {},
        "grammar is not valid: Grammar must have a 'properties' field",
    ),
    (
        "grammar json string invalid",
        {"grammar": {"type": "json", "value": "{nope"}},
        {},
        "grammar is not valid: key must be a string at line 1 column 2",
    ),
]


@pytest.mark.parametrize(
    ("parameters", "config", "message"),
    [pytest.param(p, c, m, id=name) for name, p, c, m in CASES],
)
def test_generate_validation_messages(
    tgi_mock: TGIMock,
    http: httpx.Client,
    parameters: dict[str, Any],
    config: dict[str, Any],
    message: str,
) -> None:
    tgi_mock.config.update(**config)
    response = http.post("/generate", json={"inputs": "Hello", "parameters": parameters})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"error": PREFIX + message, "error_type": "validation"}
    assert not [h for h in response.headers if h.startswith("x-")]


@pytest.mark.parametrize(
    ("parameters", "config", "message"),
    [pytest.param(p, c, m, id=name) for name, p, c, m in CASES if "best_of" not in name],
)
def test_stream_validation_is_one_event_with_200(
    tgi_mock: TGIMock,
    http: httpx.Client,
    parameters: dict[str, Any],
    config: dict[str, Any],
    message: str,
) -> None:
    tgi_mock.config.update(**config)
    response, raw = stream(http, "/generate_stream", {"inputs": "Hello", "parameters": parameters})
    assert response.status_code == 200
    assert response.headers["x-accel-buffering"] == "no"
    body = {"error": PREFIX + message, "error_type": "validation"}
    assert raw == b"data: " + json.dumps(body, separators=(",", ":")).encode() + b"\n\n"
    assert sse_json(raw) == [body]


def test_empty_inputs(http: httpx.Client) -> None:
    response = http.post("/generate", json={"inputs": "", "parameters": {}})
    assert response.status_code == 422
    assert response.json()["error"] == PREFIX + "`inputs` cannot be empty"


def test_total_tokens_rule_caps_max_new_tokens_at_1024(
    tgi_mock: TGIMock, http: httpx.Client
) -> None:
    tgi_mock.config.update(max_total_tokens=12, max_input_tokens=11)
    response = http.post("/generate", json={"inputs": TEN, "parameters": {"max_new_tokens": 5}})
    assert response.json()["error"] == PREFIX + (
        "`inputs` tokens + `max_new_tokens` must be <= 12. "
        "Given: 10 `inputs` tokens and 5 `max_new_tokens`"
    )
    tgi_mock.config.update(max_total_tokens=2048, max_input_tokens=1024)
    huge = http.post("/generate", json={"inputs": TEN, "parameters": {"max_new_tokens": 100000}})
    assert huge.status_code == 200


def test_reported_max_new_tokens_is_the_capped_value(tgi_mock: TGIMock, http: httpx.Client) -> None:
    tgi_mock.config.update(max_total_tokens=1030, max_input_tokens=20)
    response = http.post("/generate", json={"inputs": TEN, "parameters": {"max_new_tokens": 5000}})
    assert response.json()["error"].endswith("Given: 10 `inputs` tokens and 1024 `max_new_tokens`")


def test_tgi_2_total_tokens_rule_matches_a_recorded_422(
    tgi_mock: TGIMock, http: httpx.Client
) -> None:
    # huggingface_hub-cassettes__TestTextGenerationClientVCR.test_generate_validation_error.422.json
    recorded = {
        "error": "Input validation error: `inputs` tokens + `max_new_tokens` must be <= 1512. "
        "Given: 2 `inputs` tokens and 10000 `max_new_tokens`",
        "error_type": "validation",
    }
    tgi_mock.config.update(
        max_total_tokens=1512, max_input_tokens=1000, max_new_tokens_check_cap=None
    )
    body = {"inputs": "Hello world", "parameters": {"max_new_tokens": 10000}}
    response = http.post("/", json=body)
    assert response.status_code == 422
    assert response.content == json.dumps(recorded, separators=(",", ":")).encode()


def test_long_input_without_max_new_tokens_reports_zero(
    tgi_mock: TGIMock, http: httpx.Client
) -> None:
    tgi_mock.config.update(max_total_tokens=8, max_input_tokens=6)
    response = http.post("/generate", json={"inputs": TEN, "parameters": {}})
    assert response.json()["error"] == PREFIX + (
        "`inputs` tokens + `max_new_tokens` must be <= 8. "
        "Given: 10 `inputs` tokens and 0 `max_new_tokens`"
    )


def test_input_length(tgi_mock: TGIMock, http: httpx.Client) -> None:
    tgi_mock.config.update(max_total_tokens=100, max_input_tokens=5)
    response = http.post("/generate", json={"inputs": TEN, "parameters": {"max_new_tokens": 5}})
    assert response.json()["error"] == PREFIX + "`inputs` must have less than 5 tokens. Given: 10"


def test_truncate_equal_to_max_input_tokens_is_allowed(http: httpx.Client) -> None:
    body = {"inputs": "Hello", "parameters": {"truncate": 1024, "max_new_tokens": 2}}
    assert http.post("/generate", json=body).status_code == 200


@pytest.mark.parametrize(
    "grammar",
    [
        {"type": "json", "value": {"properties": {"a": {"type": "string"}}}},
        {"type": "json_object", "value": '{"properties": {"a": {"type": "integer"}}}'},
        {"type": "regex", "value": "[a-z]+"},
        {"type": "json_schema", "value": {"name": "x", "schema": {"properties": {}}}},
    ],
)
def test_grammar_accepted(http: httpx.Client, grammar: dict[str, Any]) -> None:
    body = {"inputs": "Hello", "parameters": {"grammar": grammar, "max_new_tokens": 3}}
    assert http.post("/generate", json=body).status_code == 200


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({"temperature": 0, "top_p": 1.0}, "`temperature` must be strictly positive"),
        ({"best_of": 3, "temperature": 0}, "`best_of` must be > 0 and <= 2. Given: 3"),
        ({"best_of": 2, "temperature": -1}, "`temperature` must be strictly positive"),
        ({"top_k": 0, "max_new_tokens": 0}, "`top_k` must be strictly positive"),
        (
            {"stop": ["a"] * 5, "top_n_tokens": 9},
            "`stop` supports up to 4 stop sequences. Given: 5",
        ),
        (
            {"seed": 3, "best_of": 2, "top_n_tokens": 9, "do_sample": True},
            "`seed` must not be set when `best_of` > 1",
        ),
        ({"top_n_tokens": 9, "truncate": 0}, "`top_n_tokens` must be >= 0 and <= 5. Given: 9"),
    ],
)
def test_first_failure_wins_in_tgi_order(
    http: httpx.Client, parameters: dict[str, Any], message: str
) -> None:
    response = http.post("/generate", json={"inputs": "Hi", "parameters": parameters})
    assert response.json()["error"] == PREFIX + message


def test_empty_inputs_before_truncate(http: httpx.Client) -> None:
    response = http.post("/generate", json={"inputs": "", "parameters": {"truncate": 0}})
    assert response.json()["error"] == PREFIX + "`inputs` cannot be empty"


@pytest.mark.parametrize("best_of", [0, 2, 3])
def test_stream_rejects_best_of_not_one(http: httpx.Client, best_of: int) -> None:
    body = {"inputs": "Hi", "parameters": {"best_of": best_of, "decoder_input_details": True}}
    response, raw = stream(http, "/generate_stream", body)
    assert response.status_code == 200
    assert sse_json(raw) == [
        {
            "error": PREFIX + "`best_of` != 1 is not supported when streaming tokens",
            "error_type": "validation",
        }
    ]


def test_stream_rejects_decoder_input_details(http: httpx.Client) -> None:
    body = {"inputs": "Hi", "parameters": {"decoder_input_details": True, "temperature": 0}}
    response, raw = stream(http, "/", {**body, "stream": True})
    assert response.status_code == 200
    message = "`decoder_input_details` == true is not supported when streaming tokens"
    assert sse_json(raw) == [{"error": PREFIX + message, "error_type": "validation"}]


def test_best_of_zero_is_accepted_on_generate(http: httpx.Client) -> None:
    body = {"inputs": "Hi", "parameters": {"best_of": 0, "max_new_tokens": 2}}
    assert http.post("/generate", json=body).status_code == 200


def test_overload_comes_before_validation_but_after_best_of(
    tgi_mock: TGIMock, http: httpx.Client
) -> None:
    tgi_mock.config.max_concurrent_requests = 0
    bad = http.post("/generate", json={"inputs": "Hi", "parameters": {"temperature": 0}})
    assert bad.status_code == 429
    assert bad.json() == {"error": "Model is overloaded", "error_type": "overloaded"}
    best_of = http.post("/generate", json={"inputs": "Hi", "parameters": {"best_of": 3}})
    assert best_of.status_code == 422
    response, raw = stream(http, "/generate_stream", {"inputs": "Hi", "parameters": {"top_k": 0}})
    assert response.status_code == 200
    assert sse_json(raw) == [{"error": "Model is overloaded", "error_type": "overloaded"}]
