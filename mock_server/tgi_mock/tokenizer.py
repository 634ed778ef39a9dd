"""
A stable, deterministic tokenizer for the mock TGI server.

Text is split into pieces the way byte-level BPE tokenizers do: a word keeps its leading space
(`" sky"`), digits and punctuation runs are pieces of their own, and whitespace runs that are not
followed by a word are pieces too. Concatenating the pieces gives back the text exactly.

Ids are stable across processes and Python versions: a piece found in the fixed vocabulary
(`VOCABULARY`) has its index there plus `FIRST_WORD_ID`; any other piece gets
`zlib.crc32(piece) % (VOCAB_SIZE - HASHED_BASE) + HASHED_BASE`. Python's salted `hash()` is never
used. Special tokens: `<unk>` (0), `<s>` (1) and the end-of-sequence token `</s>` (2); the mock
never adds special tokens to an input.

`MockTokenizer` is what the rest of the mock asks of a tokenizer; `TOY` is this one, the default.
`tgi_mock.hf_tokenizer` serves a Hugging Face `tokenizer.json` through the same interface.
"""

from __future__ import annotations

import functools
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

__all__ = [
    "EOS_ID",
    "EOS_TEXT",
    "GRAMMAR_PIECES",
    "TOY",
    "VOCABULARY",
    "VOCAB_SIZE",
    "MockTokenizer",
    "Piece",
    "ToyTokenizer",
    "crc",
    "token_id",
    "tokenize",
]

VOCAB_SIZE = 32000
"""Ids live in `[0, VOCAB_SIZE)`."""

EOS_ID = 2
EOS_TEXT = "</s>"
FIRST_WORD_ID = 10
HASHED_BASE = 1000

VOCABULARY: tuple[str, ...] = (
    " the",
    " a",
    " of",
    " and",
    " to",
    " in",
    " is",
    " that",
    " it",
    " for",
    " sky",
    " blue",
    " light",
    " sun",
    " air",
    " water",
    " sea",
    " cloud",
    " wind",
    " rain",
    " because",
    " scattering",
    " Rayleigh",
    " shorter",
    " longer",
    " waves",
    " colour",
    " color",
    " red",
    " green",
    " white",
    " bright",
    " deep",
    " small",
    " large",
    " many",
    " few",
    " some",
    " model",
    " text",
    " token",
    " server",
    " answer",
    " question",
    " world",
    " time",
    " day",
    " night",
    " morning",
    " evening",
    " people",
    " machine",
    " learning",
    " great",
    " data",
    " we",
    " you",
    " they",
    " he",
    " she",
    " I",
    " my",
    " your",
    " our",
    " their",
    " can",
    " will",
    " would",
    " should",
    " could",
    " may",
    " might",
    " must",
    " does",
    " do",
    " was",
    " were",
    " be",
    " been",
    " being",
    " have",
    " has",
    " had",
    " not",
    " no",
    " yes",
    " very",
    " more",
    " most",
    " less",
    " also",
    " only",
    " just",
    " then",
    " when",
    " where",
    " why",
    " how",
    " what",
    " which",
    " who",
    " this",
    " these",
    " those",
    " there",
    " here",
    " with",
    " from",
    " by",
    " on",
    " at",
    " as",
    " or",
    " but",
    " if",
    " so",
    " than",
    " into",
    " over",
    " under",
    " between",
    " through",
    " after",
    " before",
    " while",
    " hello",
    " name",
    " Olivier",
    " Paris",
    " France",
    " city",
    " river",
    " mountain",
    " tree",
    " café",
    " naïve",
    " résumé",
    " déjà",
    " vu",
    " 日本",
    "語",
    " 東京",
    " 🤗",
    " ✨",
    ",",
    ".",
    "!",
    "?",
    ":",
    ";",
    " -",
    "\n",
    " (",
    ")",
    " one",
    " two",
    " three",
    " four",
    " five",
    " first",
    " second",
    " last",
    " next",
    " other",
)
"""The fixed vocabulary generation draws from; some pieces are multi-byte in UTF-8."""

GRAMMAR_PIECES: tuple[str, ...] = tuple(
    dict.fromkeys(
        [chr(code) for code in range(32, 127)]
        + ['{"', '":', '","', '"}', '",', ':"', '["', '"]', "true", "false", "null", "00", "10"]
        + ['"function"', '"_name"', "name", "type", "id", "value", "e+", ".0", "-0"]
    )
)
"""Pieces with fixed ids that constrained decoding (`tgi_mock.decoding`) draws from besides
`VOCABULARY`: every printable ASCII character, so that any JSON a grammar allows can be spelled,
and a few multi-character JSON pieces, as real vocabularies have."""

_WORD_IDS: dict[str, int] = {}
for _index, _piece in enumerate(VOCABULARY + GRAMMAR_PIECES):
    _WORD_IDS.setdefault(_piece, FIRST_WORD_ID + _index)

_PIECE = re.compile(r" ?[^\W\d_]+| ?\d+| ?[^\s\w]+| ?_+|\s+(?!\S)|\s+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Piece:
    """One token of an input: its id, its text, its byte offsets `[start, stop)` in the input."""

    id: int
    text: str
    start: int
    stop: int


def crc(text: str) -> int:
    """A stable 32-bit hash of `text` (CRC-32 of its UTF-8 bytes)."""
    return zlib.crc32(text.encode("utf-8"))


def token_id(piece: str) -> int:
    """The stable id of one piece of text."""
    if piece == EOS_TEXT:
        return EOS_ID
    known = _WORD_IDS.get(piece)
    if known is not None:
        return known
    return HASHED_BASE + crc(piece) % (VOCAB_SIZE - HASHED_BASE)


def tokenize(text: str) -> list[Piece]:
    """Split `text` into pieces with stable ids and byte offsets; their texts join to `text`."""
    return list(_tokenize(text))


@functools.lru_cache(maxsize=4096)
def _tokenize(text: str) -> tuple[Piece, ...]:
    pieces: list[Piece] = []
    offset = 0
    for match in _PIECE.finditer(text):
        piece = match.group(0)
        size = len(piece.encode("utf-8"))
        pieces.append(Piece(token_id(piece), piece, offset, offset + size))
        offset += size
    return tuple(pieces)


class MockTokenizer(Protocol):
    """What the mock asks of a tokenizer: the inputs' tokens, tokens to generate, a grammar
    vocabulary and the end-of-sequence token. Hashable: caches are keyed by the tokenizer."""

    def __hash__(self) -> int: ...

    @property
    def name(self) -> str:
        """Names the tokenizer (`"mock"`, or the path of a `tokenizer.json`)."""
        ...

    @property
    def eos_id(self) -> int:
        """The end-of-sequence token's id."""
        ...

    @property
    def eos_text(self) -> str:
        """The end-of-sequence token's text."""
        ...

    def tokenize(self, text: str) -> list[Piece]:
        """The tokens of an input, no special tokens added, with byte offsets."""
        ...

    def pool(self) -> Sequence[tuple[int, str]]:
        """The (id, text) tokens free generation and `top_tokens` draw from."""
        ...

    def streamed(self, ids: Sequence[int]) -> list[tuple[int, str]]:
        """Generated ids (of `pool()` or of an encoding) with the text each adds to the output."""
        ...

    def completion(self, text: str) -> list[tuple[int, str]]:
        """A scripted completion as generated tokens: its ids with their streamed texts."""
        ...

    def grammar_texts(self) -> dict[int, str]:
        """Id -> text of the tokens constrained decoding may use (outlines-core's vocabulary)."""
        ...


class ToyTokenizer:
    """The mock's own tokenizer (this module) behind the `MockTokenizer` interface."""

    name = "mock"
    eos_id = EOS_ID
    eos_text = EOS_TEXT

    def __init__(self) -> None:
        self._pool = tuple((token_id(piece), piece) for piece in VOCABULARY)
        self._texts = {token_id(piece): piece for piece in VOCABULARY + GRAMMAR_PIECES}

    def tokenize(self, text: str) -> list[Piece]:
        """`tokenize(text)`."""
        return tokenize(text)

    def pool(self) -> Sequence[tuple[int, str]]:
        """`VOCABULARY` with its ids."""
        return self._pool

    def streamed(self, ids: Sequence[int]) -> list[tuple[int, str]]:
        """Each id with its piece (ids of `VOCABULARY`, `GRAMMAR_PIECES` or EOS)."""
        return [(id_, EOS_TEXT if id_ == EOS_ID else self._texts[id_]) for id_ in ids]

    def completion(self, text: str) -> list[tuple[int, str]]:
        """The pieces of `text` with their ids."""
        return [(piece.id, piece.text) for piece in tokenize(text)]

    def grammar_texts(self) -> dict[int, str]:
        """`VOCABULARY` and `GRAMMAR_PIECES` with their stable ids."""
        return dict(self._texts)


TOY = ToyTokenizer()
"""The default tokenizer."""
