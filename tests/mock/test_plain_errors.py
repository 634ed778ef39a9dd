"""Extractor rejections (plain-text 400/413/415/422), 404/405, /health: as axum and TGI answer."""

from __future__ import annotations

import httpx
import pytest

from tgi_mock.pytest_plugin import TGIMock

PLAIN = "text/plain; charset=utf-8"
JSON = {"content-type": "application/json"}
DESERIALIZE = "Failed to deserialize the JSON body into the target type: "
PARSE = "Failed to parse the request body as JSON: "


def at(body: str, token: str) -> str:
    """serde_json's position after `token` (its first occurrence) was consumed, on one line."""
    return f"at line 1 column {body.index(token) + len(token)}"


@pytest.mark.parametrize(
    "path",
    ["/", "/generate", "/generate_stream", "/tokenize", "/v1/chat/completions", "/v1/completions"],
)
@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded"])
def test_415_without_json_content_type(
    http: httpx.Client, path: str, content_type: str | None
) -> None:
    headers = {"content-type": content_type} if content_type else {}
    response = http.post(path, content=b'{"inputs": "x"}', headers=headers)
    assert response.status_code == 415
    assert response.headers["content-type"] == PLAIN
    assert response.text == "Expected request with `Content-Type: application/json`"


@pytest.mark.parametrize("content_type", ["application/json; charset=utf-8", "application/ld+json"])
def test_json_content_type_variants_accepted(http: httpx.Client, content_type: str) -> None:
    body = b'{"inputs": "x", "parameters": {"max_new_tokens": 1}}'
    response = http.post("/generate", content=body, headers={"content-type": content_type})
    assert response.status_code == 200


def test_413_over_payload_limit_after_415(tgi_mock: TGIMock, http: httpx.Client) -> None:
    tgi_mock.config.payload_limit = 100
    big = b'{"inputs": "' + b"x" * 200 + b'"}'
    response = http.post("/generate", content=big, headers=JSON)
    assert response.status_code == 413
    assert response.headers["content-type"] == PLAIN
    assert response.text == "Failed to buffer the request body: length limit exceeded"
    assert http.post("/generate", content=big).status_code == 415
    stream = http.post("/generate_stream", content=big, headers=JSON)
    assert stream.status_code == 413


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "EOF while parsing a value at line 1 column 0"),
        (b'{"inputs": "x"', "EOF while parsing an object at line 1 column 14"),
        (b'{"inputs": "x', "EOF while parsing a string at line 1 column 13"),
        (b'{"inputs": ["x"', "EOF while parsing a list at line 1 column 15"),
        (b'{"inputs": ["x",', "EOF while parsing a value at line 1 column 16"),
        (b"nope", "expected ident at line 1 column 2"),
        (b"?", "expected value at line 1 column 1"),
        (b'{"inputs": "a",}', "trailing comma at line 1 column 16"),
        (b'{"inputs": "a"} x', "trailing characters at line 1 column 17"),
        (b"{inputs: 1}", "key must be a string at line 1 column 2"),
        (b'{"inputs" 1}', "expected `:` at line 1 column 11"),
        (b'{"inputs": "a" "b"}', "expected `,` or `}` at line 1 column 16"),
        (b'{"inputs": [1 2]}', "expected `,` or `]` at line 1 column 15"),
        (b'{\n  "inputs": "x",\n  oops\n}', "key must be a string at line 3 column 3"),
    ],
)
def test_400_not_json(http: httpx.Client, body: bytes, message: str) -> None:
    response = http.post("/generate", content=body, headers=JSON)
    assert response.status_code == 400
    assert response.headers["content-type"] == PLAIN
    assert response.text == PARSE + message


CASES_422 = [
    ('{"inputs": 1}', "inputs: invalid type: integer `1`, expected a string", "1"),
    ('{"inputs": null}', "inputs: invalid type: null, expected a string", "null"),
    ('{"parameters": {}}', "missing field `inputs`", '{"parameters": {}'),
    (
        '"a string"',
        'invalid type: string "a string", expected struct GenerateRequest',
        '"a string"',
    ),
    (
        '{"inputs": "x", "parameters": {"temperature": "hot"}}',
        'parameters.temperature: invalid type: string "hot", expected f32',
        '"hot"',
    ),
    (
        '{"inputs": "x", "parameters": {"seed": -1}}',
        "parameters.seed: invalid value: integer `-1`, expected u64",
        "-1",
    ),
    (
        '{"inputs": "x", "parameters": {"max_new_tokens": 4294967296}}',
        "parameters.max_new_tokens: invalid value: integer `4294967296`, expected u32",
        "4294967296",
    ),
    (
        '{"inputs": "x", "parameters": {"max_new_tokens": 1.5}}',
        "parameters.max_new_tokens: invalid type: floating point `1.5`, expected u32",
        "1.5",
    ),
    (
        '{"inputs": "x", "parameters": {"stop": "a"}}',
        'parameters.stop: invalid type: string "a", expected a sequence',
        '"a"',
    ),
    (
        '{"inputs": "x", "parameters": {"stop": null}}',
        "parameters.stop: invalid type: null, expected a sequence",
        "null",
    ),
    (
        '{"inputs": "x", "parameters": {"stop": ["a", 2]}}',
        "parameters.stop[1]: invalid type: integer `2`, expected a string",
        "2",
    ),
    (
        '{"inputs": "x", "parameters": {"details": null}}',
        "parameters.details: invalid type: null, expected a boolean",
        "null",
    ),
    (
        '{"inputs": "x", "parameters": {"do_sample": "yes"}}',
        'parameters.do_sample: invalid type: string "yes", expected a boolean',
        '"yes"',
    ),
    (
        '{"inputs": "x", "parameters": {"top_k": true}}',
        "parameters.top_k: invalid type: boolean `true`, expected i32",
        "true",
    ),
    (
        '{"inputs": "x", "parameters": null}',
        "parameters: invalid type: null, expected struct GenerateParameters",
        "null",
    ),
    (
        '{"inputs": "x", "parameters": {"grammar": {"type": "xml", "value": ""}}}',
        "parameters.grammar.type: unknown variant `xml`, expected one of `json`, `json_object`, "
        "`regex`, `json_schema`",
        '"xml"',
    ),
]


@pytest.mark.parametrize(("body", "message", "last"), CASES_422)
@pytest.mark.parametrize("path", ["/generate", "/generate_stream", "/"])
def test_422_wrong_types_plain_text(
    http: httpx.Client, path: str, body: str, message: str, last: str
) -> None:
    response = http.post(path, content=body.encode(), headers=JSON)
    assert response.status_code == 422
    assert response.headers["content-type"] == PLAIN
    if path == "/":
        message = message.replace("struct GenerateRequest", "struct CompatGenerateRequest")
    assert response.text == f"{DESERIALIZE}{message} {at(body, last)}"


def test_422_missing_messages_and_empty_prompt(http: httpx.Client) -> None:
    chat = http.post("/v1/chat/completions", json={"model": "tgi"})
    assert chat.status_code == 422
    assert chat.text.startswith(DESERIALIZE + "missing field `messages`")
    empty = http.post("/v1/completions", json={"prompt": []})
    assert empty.status_code == 422
    assert empty.text.startswith(
        DESERIALIZE + "prompt: Empty array detected. Do not use an empty array for the prompt."
    )


def test_unknown_fields_are_ignored(http: httpx.Client) -> None:
    body = {"inputs": "x", "foo": 1, "stream": True, "parameters": {"bar": 2, "max_new_tokens": 1}}
    response = http.post("/generate", json=body)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/nope"),
        ("POST", "/generate/"),
        ("POST", "//generate"),
        ("GET", "/v1/models/"),
        ("POST", "/v2/generate"),
    ],
)
def test_404_empty(tgi_mock: TGIMock, http: httpx.Client, method: str, path: str) -> None:
    response = http.request(method, tgi_mock.url + path, json={"inputs": "x"})
    assert response.status_code == 404
    assert response.content == b""


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("GET", "/generate", "POST"),
        ("POST", "/info", "GET,HEAD"),
        ("PUT", "/generate_stream", "POST"),
        ("DELETE", "/tokenize", "POST"),
        ("POST", "/health", "GET,HEAD"),
        ("PUT", "/", "GET,HEAD,POST"),
    ],
)
def test_405_empty(http: httpx.Client, method: str, path: str, allow: str) -> None:
    response = http.request(method, path)
    assert response.status_code == 405
    assert response.content == b""
    assert response.headers["allow"] == allow


@pytest.mark.parametrize("path", ["/health", "/ping", "/"])
def test_health(tgi_mock: TGIMock, http: httpx.Client, path: str) -> None:
    healthy = http.get(path)
    assert healthy.status_code == 200
    assert healthy.content == b""
    assert "content-type" not in healthy.headers
    tgi_mock.config.healthy = False
    sick = http.get(path)
    assert sick.status_code == 503
    assert sick.json() == {"error": "unhealthy", "error_type": "healthcheck"}
    assert http.post("/generate", json={"inputs": "x"}).status_code == 200


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/"),
        ("POST", "/generate"),
        ("POST", "/generate_stream"),
        ("POST", "/tokenize"),
        ("POST", "/v1/chat/completions"),
        ("POST", "/v1/completions"),
    ],
)
def test_api_key_guards_base_routes(
    tgi_mock: TGIMock, http: httpx.Client, method: str, path: str
) -> None:
    tgi_mock.config.api_key = "s3cret"
    missing = http.request(method, path, content=b"not even json")
    assert missing.status_code == 401
    assert missing.content == b""
    wrong = http.request(
        method, path, json={"inputs": "x"}, headers={"authorization": "Bearer nope"}
    )
    assert wrong.status_code == 401
    body = {
        "inputs": "x",
        "prompt": "x",
        "messages": [{"role": "user", "content": "x"}],
        "parameters": {"max_new_tokens": 1},
    }
    right = http.request(method, path, json=body, headers={"authorization": "bearer S3CRET"})
    assert right.status_code == 200
    for open_path in ("/health", "/info", "/metrics", "/v1/models", "/"):
        assert http.get(open_path).status_code == 200
