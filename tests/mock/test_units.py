"""Pure parts of the mock: tokenizer stability, the serde-like parser, config and journal."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from tgi_mock.config import MockConfig, load_scripted
from tgi_mock.jsonwire import JsonSyntaxError, parse
from tgi_mock.tokenizer import EOS_ID, VOCAB_SIZE, token_id, tokenize


def test_tokenizer_ids_are_stable() -> None:
    # Fixed values: a change here changes every recorded conversation with the mock.
    assert [(p.id, p.text) for p in tokenize("Why is the sky blue?")] == [
        (9704, "Why"),
        (16, " is"),
        (10, " the"),
        (20, " sky"),
        (21, " blue"),
        (157, "?"),
    ]
    assert token_id("Héllo") == 1544
    assert token_id("</s>") == EOS_ID


def test_tokenizer_round_trips_and_offsets() -> None:
    rng = random.Random(0)
    alphabet = "ab Z9_ \n\t.,!é日本🤗-'"
    for _ in range(200):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(30)))
        pieces = tokenize(text)
        assert "".join(p.text for p in pieces) == text
        data = text.encode()
        for piece in pieces:
            assert data[piece.start : piece.stop].decode() == piece.text
            assert 0 <= piece.id < VOCAB_SIZE


def test_words_keep_their_leading_space() -> None:
    assert [p.text for p in tokenize("Hello  big world")] == ["Hello", " ", " big", " world"]


def test_parser_values_and_positions() -> None:
    node = parse(b'{"a": [1, -2.5e3, "x\\u00e9\\ud83e\\udd17"], "b": {"c": null, "d": true}}')
    assert node.plain() == {"a": [1, -2500.0, "xé🤗"], "b": {"c": None, "d": True}}
    assert node.get("a") is not None
    assert parse(b"  18446744073709551615 ").plain() == 2**64 - 1
    assert parse(b"18446744073709551616").kind == "float"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"01", "invalid number at line 1 column 2"),
        (
            b'"\x01"',
            "control character (\\u0000-\\u001F) found while parsing a string at line 1 column 2",
        ),
        (b'"\\x"', "invalid escape at line 1 column 3"),
        (b"[" * 200, "recursion limit exceeded at line 1 column 129"),
        (b"tru", "EOF while parsing a value at line 1 column 3"),
    ],
)
def test_parser_errors(data: bytes, message: str) -> None:
    with pytest.raises(JsonSyntaxError) as error:
        parse(data)
    assert str(error.value) == message


def test_config_from_dict() -> None:
    config = MockConfig.from_dict({"model_id": "x/y", "max_best_of": 3})
    assert (config.model_id, config.max_best_of) == ("x/y", 3)
    with pytest.raises(TypeError, match="unknown MockConfig field"):
        MockConfig.from_dict({"nope": 1})
    copy = config.copy()
    copy.scripted["a"] = "b"
    assert "a" not in config.scripted
    assert config.served_models()[-1] == "x/y"


def test_load_scripted(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text('{"Hi": " there"}', encoding="utf-8")
    assert load_scripted(path) == {"Hi": " there"}
    path.write_text('{"Hi": 1}', encoding="utf-8")
    with pytest.raises(TypeError):
        load_scripted(path)
