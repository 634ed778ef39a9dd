"""
Grammars as TGI's router compiles them, and outlines-core indexes over a vocabulary.

A JSON schema becomes a regular expression with outlines-core's `build_regex_from_schema`, with
the settings of TGI's `json_schema::to_regex(&json, None, &json)` (`router/src/validation.rs`): no
whitespace pattern, so outlines-core's default `[ ]?` between JSON tokens. What outlines-core
refuses is TGI's `cannot compile regex from schema: {reason}`. A `regex` grammar is taken as
given (Python's `re` must at least parse it, or it is `grammar is not valid: ...`).

`index_for(regex, vocabulary)` builds outlines-core's `Index`, the automaton whose states say
which tokens may come next; building it is the costly part, so indexes are cached per (regex,
vocabulary). Compiled regexes are cached per schema text.
"""

from __future__ import annotations

import functools
import json
import re
import threading
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from outlines_core import Index, Vocabulary  # type: ignore[import-untyped]
from outlines_core.json_schema import build_regex_from_schema  # type: ignore[import-untyped]

from tgi_mock.tokenizer import TOY, MockTokenizer, token_id

__all__ = [
    "Compiled",
    "GenVocabulary",
    "GrammarError",
    "compile_grammar",
    "default_vocabulary",
    "index_for",
    "schema_regex",
    "vocabulary_of",
]


class GrammarError(Exception):
    """A grammar TGI refuses; `inner` is the text after `Input validation error: `."""

    def __init__(self, inner: str) -> None:
        self.inner = inner
        super().__init__(inner)


@dataclass(frozen=True)
class GenVocabulary:
    """The tokens constrained decoding draws from: id → text, and the end-of-sequence token."""

    name: str
    eos_id: int
    eos_text: str
    texts: dict[int, str]
    by_text: dict[str, int] = field(init=False)
    longest: int = field(init=False)

    def __post_init__(self) -> None:
        by_text = {text: id_ for id_, text in self.texts.items() if text}
        object.__setattr__(self, "by_text", by_text)
        object.__setattr__(self, "longest", max((len(t) for t in by_text), default=1))

    def with_extra(self, extra: tuple[str, ...]) -> GenVocabulary:
        """This vocabulary plus the pieces `extra` (their own stable ids), as a new one."""
        texts = dict(self.texts)
        for piece in extra:
            id_ = token_id(piece)
            if piece not in self.by_text and id_ not in texts:
                texts[id_] = piece
        return GenVocabulary(f"{self.name}+{'|'.join(extra)}", self.eos_id, self.eos_text, texts)


@functools.cache
def default_vocabulary() -> GenVocabulary:
    """The mock's own vocabulary: `VOCABULARY` and `GRAMMAR_PIECES` with their stable ids."""
    return GenVocabulary(TOY.name, TOY.eos_id, TOY.eos_text, TOY.grammar_texts())


@functools.lru_cache(maxsize=8)
def vocabulary_of(tokenizer: MockTokenizer) -> GenVocabulary:
    """The vocabulary constrained decoding uses with `tokenizer` (`default_vocabulary()` for the
    mock's own; the tokens of `tokenizer.grammar_texts()` for a `tokenizer.json`)."""
    if tokenizer is TOY:
        return default_vocabulary()
    name = f"tokenizer:{tokenizer.name}"
    return GenVocabulary(name, tokenizer.eos_id, tokenizer.eos_text, tokenizer.grammar_texts())


@dataclass(frozen=True)
class Compiled:
    """An index and what decoding needs of it: distances to an accepting state, per state."""

    index: Index
    vocabulary: GenVocabulary
    transitions: dict[int, dict[int, int]]
    distance: dict[int, int]
    """Fewest tokens from each state to a state where EOS is allowed (0 there)."""


def _distances(index: Index, transitions: dict[int, dict[int, int]]) -> dict[int, int]:
    back: dict[int, list[int]] = {}
    for state, moves in transitions.items():
        for target in moves.values():
            back.setdefault(target, []).append(state)
    finals = set(index.get_final_states())
    distance = dict.fromkeys(finals, 0)
    queue = deque(finals)
    while queue:
        state = queue.popleft()
        for origin in back.get(state, ()):
            if origin not in distance:
                distance[origin] = distance[state] + 1
                queue.append(origin)
    return distance


_LOCK = threading.Lock()
_INDEXES: dict[tuple[str, str], Compiled] = {}
_MAX_INDEXES = 128


def _non_ascii(regex: str) -> tuple[str, ...]:
    """The characters beyond ASCII that a regex names, so that the vocabulary can spell them."""
    return tuple(sorted({char for char in regex if ord(char) > 127}))


def index_for(regex: str, vocabulary: GenVocabulary) -> Compiled:
    """outlines-core's `Index` of `regex` over `vocabulary` (cached); raises `GrammarError`."""
    if vocabulary.name == default_vocabulary().name:
        extra = tuple(c for c in _non_ascii(regex) if c not in vocabulary.by_text)
        if extra:
            vocabulary = vocabulary.with_extra(extra)
    key = (regex, vocabulary.name)
    found = _INDEXES.get(key)
    if found is not None:
        return found
    tokens: dict[str, list[int]] = {}
    for id_, text in vocabulary.texts.items():
        if id_ != vocabulary.eos_id and text:
            tokens.setdefault(text, []).append(id_)
    try:
        index = Index(regex, Vocabulary(vocabulary.eos_id, tokens))
    except (ValueError, RuntimeError) as error:
        raise GrammarError(f"grammar is not valid: {error}") from None
    transitions = index.get_transitions()
    compiled = Compiled(index, vocabulary, transitions, _distances(index, transitions))
    with _LOCK:
        if len(_INDEXES) >= _MAX_INDEXES:
            _INDEXES.pop(next(iter(_INDEXES)))
        _INDEXES[key] = compiled
    return compiled


@functools.lru_cache(maxsize=512)
def _regex_of_text(schema_text: str) -> str:
    try:
        return str(build_regex_from_schema(schema_text, None))
    except (ValueError, RuntimeError, TypeError) as error:
        raise GrammarError(f"cannot compile regex from schema: {error}") from None


def schema_regex(schema: Any) -> str:
    """TGI's regular expression for a JSON schema; raises `GrammarError` as TGI words it."""
    return _regex_of_text(json.dumps(schema, ensure_ascii=False))


@functools.lru_cache(maxsize=256)
def _checked_regex(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as error:
        raise GrammarError(f"grammar is not valid: invalid regex: {error}") from None
    return pattern


def compile_grammar(grammar: dict[str, Any]) -> str:
    """The regex of a validated grammar (`{"type": "json"|"regex", "value": ...}`)."""
    if grammar["type"] == "regex":
        return _checked_regex(str(grammar["value"]))
    return schema_regex(grammar["value"])
