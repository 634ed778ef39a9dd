"""`--tokenizer PATH`: the mock tokenizes, validates, counts and generates with a real tokenizer.

The tokenizer is a small byte-level BPE trained here with the `tokenizers` trainer (nothing is
downloaded); the mock is started on it over a real socket and its answers are compared with what
that tokenizer itself says."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

from tests.mock.test_missing_extras import run_blocked
from tgi_mock import tools
from tgi_mock.cli import build_config, parser
from tgi_mock.config import MockConfig
from tgi_mock.grammar import vocabulary_of
from tgi_mock.hf_tokenizer import load
from tgi_mock.server import MockServer
from tgi_mock.tokenizer import tokenize as toy_tokenize

SENTENCES = [
    "The sky is blue because of Rayleigh scattering.",
    "Shorter waves of light scatter more than longer waves in the air.",
    "Hello, my name is Olivier and I live in Paris, France.",
    "A café in Paris serves coffee to people every morning.",
    "The model answers a question with a few tokens of text.",
    '{"name": "Paris", "value": 42, "ok": true}',
] * 20

TEXT = "The sky is blue because of Rayleigh scattering, my friend."


@pytest.fixture(scope="module")
def tokenizer_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tok = Tokenizer(models.BPE(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=400,
        special_tokens=["<unk>", "<s>", "</s>"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
    )
    tok.train_from_iterator(SENTENCES, trainer=trainer)
    path = tmp_path_factory.mktemp("tok") / "tokenizer.json"
    tok.save(str(path))
    return path


@pytest.fixture(scope="module")
def tok(tokenizer_path: Path) -> Tokenizer:
    return Tokenizer.from_file(str(tokenizer_path))


@pytest.fixture(scope="module")
def server(tokenizer_path: Path) -> Iterator[MockServer]:
    with MockServer(MockConfig(tokenizer=str(tokenizer_path))) as running:
        yield running


@pytest.fixture
def http(server: MockServer) -> Iterator[httpx.Client]:
    defaults = MockConfig()
    with httpx.Client(base_url=server.url, timeout=30) as client:
        yield client
    server.config.max_input_tokens = defaults.max_input_tokens
    server.config.max_total_tokens = defaults.max_total_tokens


def ids_of(tok: Tokenizer, text: str) -> list[int]:
    return list(tok.encode(text, add_special_tokens=False).ids)


def test_tokenize_answers_with_the_tokenizers_ids_texts_and_byte_offsets(
    http: httpx.Client, tok: Tokenizer
) -> None:
    for text in (TEXT, "A café in Paris, déjà vu."):
        encoding = tok.encode(text, add_special_tokens=False)
        place = [len(text[:i].encode("utf-8")) for i in range(len(text) + 1)]
        expected = [
            {"id": id_, "text": text[start:stop], "start": place[start], "stop": place[stop]}
            for id_, (start, stop) in zip(encoding.ids, encoding.offsets, strict=True)
        ]
        answer = http.post("/tokenize", json={"inputs": text})
        assert answer.status_code == 200
        assert answer.json() == expected
    toy = [piece.id for piece in toy_tokenize(TEXT)]
    assert [token["id"] for token in http.post("/tokenize", json={"inputs": TEXT}).json()] != toy


def test_input_length_is_checked_in_the_tokenizers_tokens(
    http: httpx.Client, server: MockServer, tok: Tokenizer
) -> None:
    count = len(ids_of(tok, TEXT))
    assert count != len(toy_tokenize(TEXT))
    body = {"inputs": TEXT, "parameters": {"max_new_tokens": 1}}
    server.config.max_input_tokens = count
    assert http.post("/generate", json=body).status_code == 200
    server.config.max_input_tokens = count - 1
    answer = http.post("/generate", json=body)
    assert answer.status_code == 422
    assert answer.json() == {
        "error": f"Input validation error: `inputs` must have less than {count - 1} tokens. "
        f"Given: {count}",
        "error_type": "validation",
    }
    server.config.max_input_tokens = 1024
    server.config.max_total_tokens = count + 4
    answer = http.post("/generate", json={"inputs": TEXT, "parameters": {"max_new_tokens": 5}})
    assert answer.status_code == 422
    assert answer.json()["error"] == (
        f"Input validation error: `inputs` tokens + `max_new_tokens` must be <= {count + 4}. "
        f"Given: {count} `inputs` tokens and 5 `max_new_tokens`"
    )


def test_truncate_keeps_the_last_tokens_of_the_tokenizer(
    http: httpx.Client, tok: Tokenizer
) -> None:
    parameters = {"max_new_tokens": 2, "truncate": 4, "details": True}
    body = {"inputs": TEXT, "parameters": {**parameters, "decoder_input_details": True}}
    answer = http.post("/generate", json=body)
    assert answer.status_code == 200
    prefill = answer.json()["details"]["prefill"]
    encoding = tok.encode(TEXT, add_special_tokens=False)
    assert [token["id"] for token in prefill] == encoding.ids[-4:]
    assert [token["text"] for token in prefill] == [
        TEXT[start:stop] for start, stop in encoding.offsets[-4:]
    ]


def test_chat_usage_counts_the_prompt_in_the_tokenizers_tokens(
    http: httpx.Client, tok: Tokenizer
) -> None:
    messages = [{"role": "user", "content": TEXT}]
    body = {"model": "tgi", "messages": messages, "max_tokens": 8}
    answer = http.post("/v1/chat/completions", json=body)
    assert answer.status_code == 200
    usage = answer.json()["usage"]
    prompt = f"<|user|>\n{TEXT}\n<|assistant|>\n"  # the mock's chat template
    assert usage["prompt_tokens"] == len(ids_of(tok, prompt))
    assert usage["prompt_tokens"] != len(toy_tokenize(prompt))


def test_generated_tokens_are_the_tokenizers_and_decode_to_the_text(
    http: httpx.Client, tok: Tokenizer
) -> None:
    vocabulary = set(tok.get_vocab().values())
    eos = tok.token_to_id("</s>")
    seen: set[int] = set()
    for parameters in ({}, {"do_sample": True, "seed": 7}, {"do_sample": True, "seed": 8}):
        body = {"inputs": TEXT, "parameters": {"max_new_tokens": 40, "details": True, **parameters}}
        answer = http.post("/generate", json=body).json()
        tokens = answer["details"]["tokens"]
        ids = [token["id"] for token in tokens]
        assert set(ids) <= vocabulary
        assert all(token["special"] == (token["id"] == eos) for token in tokens)
        text_ids = [id_ for id_ in ids if id_ != eos]
        assert answer["generated_text"] == tok.decode(text_ids)
        assert "".join(t["text"] for t in tokens if not t["special"]) == answer["generated_text"]
        if answer["details"]["finish_reason"] == "eos_token":
            assert ids[-1] == eos
            assert tokens[-1]["text"] == "</s>"
        seen.update(text_ids)
    assert len(seen) > 10


def test_scripted_completion_is_encoded_with_the_tokenizer(
    http: httpx.Client, tok: Tokenizer
) -> None:
    body = {"inputs": "Why is the sky blue?", "parameters": {"details": True}}
    answer = http.post("/generate", json=body).json()
    assert answer["generated_text"] == " Rayleigh scattering"
    ids = [token["id"] for token in answer["details"]["tokens"]]
    assert ids == [*ids_of(tok, " Rayleigh scattering"), tok.token_to_id("</s>")]


def test_grammars_are_decoded_over_the_tokenizers_vocabulary(
    http: httpx.Client, tok: Tokenizer
) -> None:
    schema = {
        "type": "object",
        "properties": {"name": {"type": "string", "maxLength": 8}, "value": {"type": "integer"}},
        "required": ["name", "value"],
    }
    grammars: list[dict[str, Any]] = [
        {"type": "json", "value": schema},
        {"type": "regex", "value": "(sky|sea) is [a-z]{3,6} [0-9]{2}"},
    ]
    for grammar in grammars:
        parameters = {"max_new_tokens": 60, "details": True, "grammar": grammar}
        answer = http.post("/generate", json={"inputs": TEXT, "parameters": parameters})
        assert answer.status_code == 200, answer.text
        body = answer.json()
        tokens = [t for t in body["details"]["tokens"] if not t["special"]]
        for token in tokens:  # every token is one of the tokenizer's, with its own text
            assert tok.decode([token["id"]]) == token["text"]
        assert "".join(t["text"] for t in tokens) == body["generated_text"]
        if grammar["type"] == "json":
            value = json.loads(body["generated_text"])
            assert set(value) == {"name", "value"}
        else:
            assert re.fullmatch(str(grammar["value"]), body["generated_text"])


def test_tool_calls_are_decoded_over_the_tokenizers_vocabulary(
    http: httpx.Client, tok: Tokenizer, tokenizer_path: Path
) -> None:
    tool = {
        "type": "function",
        "function": {
            "name": "weather",
            "parameters": {
                "type": "object",
                "properties": {"city": {"type": "string", "maxLength": 10}},
                "required": ["city"],
            },
        },
    }
    body = {
        "model": "tgi",
        "messages": [{"role": "user", "content": "What is the weather in Paris?"}],
        "tools": [tool],
        "tool_choice": "required",
        "max_tokens": 80,
    }
    answer = http.post("/v1/chat/completions", json=body)
    assert answer.status_code == 200, answer.text
    choice = answer.json()["choices"][0]
    call = choice["message"]["tool_calls"][0]["function"]
    assert call["name"] == "weather"
    assert set(json.loads(call["arguments"])) == {"city"}
    vocabulary = vocabulary_of(load(str(tokenizer_path)))
    plan = tools.choose([tool], "required", "weather in Paris", "key", vocabulary=vocabulary)
    assert plan is not None
    assert plan.tokens[-1] == (tok.token_to_id("</s>"), "</s>")
    for id_, text in plan.tokens[:-1]:
        assert tok.decode([id_]) == text


def test_the_cli_flag_sets_the_tokenizer_and_info_names_it(tokenizer_path: Path) -> None:
    config = build_config(parser().parse_args(["--tokenizer", str(tokenizer_path)]))
    assert config.tokenizer == str(tokenizer_path)
    with MockServer(config) as running:
        info = httpx.get(running.url + "/info", timeout=10).json()
    assert info["model_id"] == str(tokenizer_path)
    named = ["--tokenizer", str(tokenizer_path), "--model-id", "org/model"]
    assert build_config(parser().parse_args(named)).model_id == "org/model"
    assert build_config(parser().parse_args([])).tokenizer is None


def test_without_the_extra_or_with_a_bad_file_the_cli_says_so_in_one_line(
    tokenizer_path: Path, tmp_path: Path
) -> None:
    code = "from tgi_mock.cli import main; sys.exit(main(['--port', '0', '--tokenizer', {!r}]))"
    blocked = run_blocked(("tokenizers",), code.format(str(tokenizer_path)))
    assert blocked.returncode == 2
    assert blocked.stderr.strip().splitlines() == [
        "python -m tgi_mock: --tokenizer needs the 'tokenizer' extra of tgi-sdk, which is not "
        "installed (missing: tokenizers). Install it with: pip install 'tgi-sdk[tokenizer]'"
    ]
    bad = tmp_path / "tokenizer.json"
    bad.write_text("{}", encoding="utf-8")
    wrong = run_blocked((), code.format(str(bad)))
    assert wrong.returncode == 2
    lines = wrong.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"python -m tgi_mock: --tokenizer: {bad}: not a tokenizer.json")


def test_a_word_level_tokenizer_spaces_its_output_as_its_decoder_does(tmp_path: Path) -> None:
    tok = Tokenizer(models.WordLevel(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    trainer = trainers.WordLevelTrainer(special_tokens=["<unk>", "<s>", "</s>"])
    tok.train_from_iterator(SENTENCES, trainer=trainer)
    path = tmp_path / "tokenizer.json"
    tok.save(str(path))
    with (
        MockServer(MockConfig(tokenizer=str(path))) as running,
        httpx.Client(base_url=running.url, timeout=30) as client,
    ):
        tokens = client.post("/tokenize", json={"inputs": TEXT}).json()
        assert [t["id"] for t in tokens] == ids_of(tok, TEXT)
        encoding = tok.encode(TEXT)  # "friend" is not in its vocabulary: <unk>, "friend" as text
        assert [t["text"] for t in tokens] == [TEXT[start:stop] for start, stop in encoding.offsets]
        assert tok.token_to_id("<unk>") in [t["id"] for t in tokens]
        body = {"inputs": "Why is the sky blue?", "parameters": {"details": True}}
        answer = client.post("/generate", json=body).json()
        ids = [t["id"] for t in answer["details"]["tokens"]]
        assert ids == [*ids_of(tok, " Rayleigh scattering"), tok.token_to_id("</s>")]
        assert answer["generated_text"] == "Rayleigh scattering" == tok.decode(ids)
        body = {"inputs": TEXT, "parameters": {"max_new_tokens": 12, "details": True}}
        answer = client.post("/generate", json=body).json()
        text_ids = [t["id"] for t in answer["details"]["tokens"] if not t["special"]]
        assert answer["generated_text"] == tok.decode(text_ids)
