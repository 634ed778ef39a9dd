"""
Constrained decoding over outlines-core's `Index`, as TGI's grammar logits processor does it.

Every step allows only the tokens the index allows from the current state, and EOS only in an
accepting state. Among them the mock picks, deterministically: the longest token that spells the
next part of its target text (`tgi_mock.values`, or a scripted answer); inside a `HOLE`, and when
the target leaves what the grammar allows, a token (seeded choice) that brings an accepting state
nearer, so the answer always ends. The result is the list of (id, text) tokens, EOS included when
the grammar was completed within `limit` tokens.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from tgi_mock.grammar import Compiled
from tgi_mock.values import HOLE, Segment

__all__ = ["Walk", "walk"]

Walk = list[tuple[int, str]]


def _spell(compiled: Compiled, moves: dict[int, int], rest: str) -> int | None:
    by_text = compiled.vocabulary.by_text
    for size in range(min(compiled.vocabulary.longest, len(rest)), 0, -1):
        id_ = by_text.get(rest[:size])
        if id_ is not None and id_ in moves:
            return id_
    return None


def _nearer(compiled: Compiled, state: int, moves: dict[int, int], rng: random.Random) -> int:
    """A token whose next state is closer to acceptance; plain letters and digits first."""
    here = compiled.distance.get(state, 1 << 30)
    texts = compiled.vocabulary.texts
    closer = sorted(i for i, s in moves.items() if compiled.distance.get(s, 1 << 30) < here)
    pool = closer or sorted(moves)
    plain = [i for i in pool if texts[i].isalnum() and texts[i].isascii()]
    return rng.choice(plain or pool)


def walk(
    compiled: Compiled,
    segments: Sequence[Segment],
    rng: random.Random,
    limit: int,
    strict: bool = False,
) -> Walk | None:
    """Tokens for `segments` under the grammar, at most `limit` of them.

    With `strict`, None as soon as the target leaves the grammar (the caller tries another)."""
    index, vocabulary = compiled.index, compiled.vocabulary
    state = index.get_initial_state()
    parts = list(segments)
    rest = ""
    in_hole = False
    out: Walk = []
    while len(out) < limit:
        moves = compiled.transitions.get(state, {})
        while not rest and parts:
            part = parts.pop(0)
            if part is HOLE:
                in_hole = True
            else:
                rest = str(part)
        choice = _spell(compiled, moves, rest) if rest else None
        if choice is not None:
            in_hole = False
            rest = rest[len(vocabulary.texts[choice]) :]
        elif not rest and not parts and not in_hole and index.is_final_state(state):
            out.append((vocabulary.eos_id, vocabulary.eos_text))
            return out
        elif not moves:
            return out if not strict else None
        elif in_hole:
            choice = _nearer(compiled, state, moves, rng)
        elif strict:
            return None
        else:
            rest, parts = "", []
            if index.is_final_state(state):
                continue
            choice = _nearer(compiled, state, moves, rng)
        out.append((choice, vocabulary.texts[choice]))
        state = moves[choice]
    return out
