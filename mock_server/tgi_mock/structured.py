"""
Structured output: the tokens a grammar allows, for a given prompt and seed. Pure, deterministic.

The grammar is compiled as TGI compiles it (`tgi_mock.grammar`: outlines-core), and the answer is
decoded token by token under its index (`tgi_mock.decoding`), so every token is one TGI's logits
processor would let through. For a JSON schema the decoder follows a value drawn for the schema
(`tgi_mock.values`); a few draws are tried and the first whose JSON also validates against the
schema (`jsonschema`) and fits `max_new_tokens` is kept (with `bend`, the first that breaks the
keywords the regex leaves unenforced). A scripted answer is followed when the grammar allows it.
A `regex` grammar is decoded freely, seeded by the request.
"""

from __future__ import annotations

import functools
import json
import random
import re
import zlib
from typing import Any

from jsonschema import Draft202012Validator  # type: ignore[import-untyped]

from tgi_mock import decoding, values
from tgi_mock.decoding import Walk
from tgi_mock.grammar import (
    GenVocabulary,
    GrammarError,
    compile_grammar,
    default_vocabulary,
    index_for,
)

__all__ = [
    "GrammarError",
    "check",
    "dump_json",
    "json_spaced",
    "satisfies",
    "tokens_for",
    "walk_text",
]

_ATTEMPTS = 4


def dump_json(value: Any) -> str:
    """Compact JSON with UTF-8 kept, as serde_json writes it."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def json_spaced(value: Any) -> str:
    """JSON with `, ` and `: ` separators, as the models in TGI's recordings write it."""
    return json.dumps(value, ensure_ascii=False)


def walk_text(tokens: Walk, eos_id: int) -> str:
    """The text of decoded tokens, EOS left out."""
    return "".join(text for id_, text in tokens if id_ != eos_id)


def check(grammar: dict[str, Any], vocabulary: GenVocabulary | None = None) -> None:
    """Compile the grammar and index it, as TGI would before generating; raises `GrammarError`."""
    index_for(compile_grammar(grammar), vocabulary or default_vocabulary())


@functools.lru_cache(maxsize=256)
def _validator(schema_text: str) -> Any:
    return Draft202012Validator(json.loads(schema_text))


def _valid(schema: Any, text: str) -> bool:
    try:
        value = json.loads(text)
    except ValueError:
        return False
    return bool(_validator(json.dumps(schema, sort_keys=True)).is_valid(value))


def _seed(key: str, attempt: int) -> int:
    return zlib.crc32(f"{key}\x00{attempt}".encode()) & 0x7FFFFFFF


def tokens_for(
    grammar: dict[str, Any],
    key: str,
    budget: int,
    *,
    bend: bool = False,
    script: str | None = None,
    target: Any = None,
    draw: tuple[Any, str, str] | None = None,
    spaced: bool = False,
    vocabulary: GenVocabulary | None = None,
) -> Walk:
    """The tokens of the answer under a validated grammar, at most `budget` of them.

    `target` (a JSON value) is followed instead of a drawn one when the grammar allows it;
    `draw` = (schema, before, after) draws from that schema and writes it between two texts;
    `spaced` writes `, ` and `: ` as the models in TGI's recordings of tool calls do."""
    compiled = index_for(compile_grammar(grammar), vocabulary or default_vocabulary())
    eos = compiled.vocabulary.eos_id
    rng = random.Random(_seed(key, -1))
    written = json_spaced if spaced else dump_json
    for fixed in (script, None if target is None else written(target)):
        if fixed is not None:
            found = decoding.walk(compiled, [fixed], rng, budget, strict=True)
            if found is not None and found[-1][0] == eos:
                return found
    if grammar["type"] == "regex":
        return decoding.walk(compiled, [], rng, budget) or []
    schema = grammar["value"]
    fallback: Walk | None = None
    for attempt in range(_ATTEMPTS):
        rng_attempt = random.Random(_seed(key, attempt))
        if draw is None:
            segments = values.target(schema, rng_attempt, bend, spaced)
        else:
            inner = values.target(draw[0], rng_attempt, bend, spaced, root=schema)
            segments = [draw[1], *inner, draw[2]]
        found = decoding.walk(compiled, segments, rng_attempt, budget + 1, strict=True)
        if found is None:
            continue
        fits = len(found) <= budget and found[-1][0] == eos
        wanted = _valid(schema, walk_text(found, eos)) != bend
        if fits and wanted:
            return found
        if fallback is None or (fits and fallback[-1][0] != eos):
            fallback = found
    if fallback is None:
        fallback = decoding.walk(compiled, [], rng, budget) or []
    return fallback[:budget]


def satisfies(grammar: dict[str, Any], text: str) -> bool:
    """True when `text` matches the grammar's regex (TGI's) in full."""
    try:
        pattern = compile_grammar(grammar)
    except GrammarError:
        return False
    return re.fullmatch(pattern, text) is not None
