"""
A Hugging Face `tokenizer.json` as the mock's tokenizer (`--tokenizer PATH`,
`MockConfig.tokenizer`).

`tokenizer_for(path)` is the one place the tokenizer is chosen: the toy tokenizer
(`tgi_mock.tokenizer.TOY`) when `path` is None, else the file read with the `tokenizers` library
(the `tokenizer` extra), loaded once per path. Through `MockTokenizer` it gives:

- inputs: `encode(text, add_special_tokens=False)`, its ids, and the input's text between each
  token's offsets; offsets are reported in UTF-8 bytes, as TGI's `/tokenize` does;
- generated text: each token's text is what it adds to the decoded output, found as TGI's router
  decodes a stream (a window of the last tokens decoded again; `""` while a character is
  incomplete);
- constrained decoding: every token whose bytes are complete UTF-8 (byte-level BPE tokens
  mapped back to their bytes, SentencePiece's `▁` read as a space), special tokens left out;
- free generation draws from those tokens too;
- the end-of-sequence token: `eos_token` of a `tokenizer_config.json` next to the file, else the
  first special token named like one (`</s>`, `<|endoftext|>`, `<|im_end|>`, ...).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tgi_mock.extras import MissingExtraError
from tgi_mock.tokenizer import TOY, MockTokenizer, Piece

__all__ = ["INSTALL_TOKENIZER", "HFTokenizer", "load", "tokenizer_for"]

INSTALL_TOKENIZER = "pip install 'tgi-sdk[tokenizer]'"
"""The command that installs the `tokenizer` extra."""

EOS_NAMES = (
    "</s>",
    "<|endoftext|>",
    "<|im_end|>",
    "<|eot_id|>",
    "<|end_of_text|>",
    "<eos>",
    "<|end|>",
    "[SEP]",
)
"""End-of-sequence tokens looked for, in order, when no `tokenizer_config.json` names one."""


def _byte_decoder() -> dict[str, int]:
    """GPT-2's byte-level alphabet, character -> byte (as `tokenizers`' ByteLevel uses it)."""
    printable = [
        *range(ord("!"), ord("~") + 1),
        *range(ord("¡"), ord("¬") + 1),
        *range(ord("®"), ord("ÿ") + 1),
    ]
    chars = list(printable)
    extra = 0
    for byte in range(256):
        if byte not in printable:
            printable.append(byte)
            chars.append(256 + extra)
            extra += 1
    return {chr(char): byte for byte, char in zip(printable, chars, strict=True)}


_BYTES = _byte_decoder()


class HFTokenizer:
    """A `tokenizers.Tokenizer` behind the `MockTokenizer` interface."""

    def __init__(self, tokenizer: Any, name: str, eos_text: str) -> None:
        from tokenizers import decoders

        self._tok = tokenizer
        self._name = name
        eos_id = tokenizer.token_to_id(eos_text)
        if eos_id is None:
            raise ValueError(f"{name}: the end-of-sequence token {eos_text!r} is not in it")
        self._eos_id = int(eos_id)
        self._eos_text = eos_text
        added = tokenizer.get_added_tokens_decoder()
        self._special = {int(id_) for id_, token in added.items() if token.special}
        self._special.add(self._eos_id)
        self._byte_level = isinstance(tokenizer.decoder, decoders.ByteLevel)
        self._metaspace = isinstance(tokenizer.decoder, decoders.Metaspace)
        texts: dict[int, str] = {}
        for token, id_ in tokenizer.get_vocab(with_added_tokens=True).items():
            text = self._text_of(token)
            if int(id_) not in self._special and text:
                texts[int(id_)] = text
        self._texts = dict(sorted(texts.items()))
        self._pool = tuple(self._texts.items())
        if not self._pool:
            raise ValueError(f"{name}: no token to generate (only special tokens)")
        self._encode = functools.lru_cache(maxsize=4096)(self._encode_uncached)

    @property
    def name(self) -> str:
        """The path the tokenizer was read from."""
        return self._name

    @property
    def eos_id(self) -> int:
        """The end-of-sequence token's id."""
        return self._eos_id

    @property
    def eos_text(self) -> str:
        """The end-of-sequence token's text."""
        return self._eos_text

    def _text_of(self, token: str) -> str | None:
        """The text a vocabulary entry stands for, None when its bytes are not complete UTF-8."""
        if self._byte_level:
            try:
                return bytes(_BYTES[char] for char in token).decode("utf-8")
            except (KeyError, UnicodeDecodeError):
                return None
        if self._metaspace:
            return token.replace("▁", " ")
        return token

    def _encode_uncached(self, text: str) -> tuple[Piece, ...]:
        encoding = self._tok.encode(text, add_special_tokens=False)
        places = [0]
        for char in text:
            places.append(places[-1] + len(char.encode("utf-8")))
        return tuple(
            Piece(int(id_), text[start:stop], places[start], places[stop])
            for id_, (start, stop) in zip(encoding.ids, encoding.offsets, strict=True)
        )

    def tokenize(self, text: str) -> list[Piece]:
        """The encoding of `text` without special tokens, offsets in bytes."""
        return list(self._encode(text))

    def pool(self) -> Sequence[tuple[int, str]]:
        """Every non-special token with complete UTF-8 text, by id."""
        return self._pool

    def streamed(self, ids: Sequence[int]) -> list[tuple[int, str]]:
        """Each id with the text it adds to the decoded output, as TGI's `decode_token` finds it;
        special tokens keep their own text."""
        out: list[tuple[int, str]] = []
        kept: list[int] = []
        prefix = read = 0
        for id_ in ids:
            if id_ in self._special:
                out.append((id_, self._tok.id_to_token(id_) or ""))
                continue
            kept.append(id_)
            before = self._tok.decode(kept[prefix:read])
            after = self._tok.decode(kept[prefix:])
            if len(after) > len(before) and not after.endswith("\ufffd"):
                out.append((id_, after[len(before) :]))
                prefix, read = read, len(kept)
            else:
                out.append((id_, ""))
        return out

    def completion(self, text: str) -> list[tuple[int, str]]:
        """`text` encoded, with each token's streamed text."""
        return self.streamed([piece.id for piece in self._encode(text)])

    def grammar_texts(self) -> dict[int, str]:
        """Every non-special token with complete UTF-8 text (outlines-core's vocabulary)."""
        return dict(self._texts)


def _eos_text(path: Path, tokenizer: Any) -> str:
    config = path.with_name("tokenizer_config.json")
    if config.is_file():
        token = json.loads(config.read_text(encoding="utf-8")).get("eos_token")
        if isinstance(token, dict):
            token = token.get("content")
        if isinstance(token, str) and token:
            return token
    vocabulary = tokenizer.get_vocab(with_added_tokens=True)
    for name in EOS_NAMES:
        if name in vocabulary:
            return name
    raise ValueError(
        f"{path}: no end-of-sequence token found (no eos_token in a tokenizer_config.json next "
        f"to it, and none of {', '.join(EOS_NAMES)})"
    )


@functools.cache
def load(path: str) -> HFTokenizer:
    """The tokenizer of a `tokenizer.json` (read once per path).

    Raises `MissingExtraError` without the `tokenizer` extra, `ValueError` for a bad file."""
    try:
        from tokenizers import Tokenizer
    except ModuleNotFoundError:
        raise MissingExtraError(
            "--tokenizer needs the 'tokenizer' extra of tgi-sdk, which is not installed "
            f"(missing: tokenizers). Install it with: {INSTALL_TOKENIZER}"
        ) from None
    file = Path(path)
    if not file.is_file():
        raise ValueError(f"--tokenizer: {path}: no such file")
    try:
        tokenizer = Tokenizer.from_file(str(file))
    except Exception as error:  # tokenizers raises plain Exception for a bad file
        raise ValueError(f"--tokenizer: {path}: not a tokenizer.json ({error})") from None
    return HFTokenizer(tokenizer, path, _eos_text(file, tokenizer))


def tokenizer_for(path: str | None) -> MockTokenizer:
    """The tokenizer the mock uses: the toy one, or the `tokenizer.json` at `path`."""
    return TOY if path is None else load(path)
