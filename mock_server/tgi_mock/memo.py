"""
Memory of pure results, so that a request seen before costs no generation or encoding again.

Generation is deterministic (`tgi_mock.generation`): the same validated request and scripted
completion always give the same tokens, and a stream's frames depend only on those tokens and a
few switches. Load tests send the same few requests over and over, so `sequence()`,
`stream_frames()` and `generate_body()` keep the last results in small LRU maps. A request with a
grammar or `best_of` is never remembered (it is rarer, and its generation may draw on more than
the key).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from tgi_mock import generation, responses
from tgi_mock.sse import fast_dumps, fast_frame
from tgi_mock.validation import ValidRequest

__all__ = ["generate_body", "sequence", "stream_frames"]

_V = TypeVar("_V")
_SIZE = 512
_sequences: OrderedDict[Hashable, generation.Sequence] = OrderedDict()
_frames: OrderedDict[Hashable, list[bytes]] = OrderedDict()
_bodies: OrderedDict[Hashable, bytes] = OrderedDict()


def _key(valid: ValidRequest, scripted: dict[str, str]) -> Hashable | None:
    if valid.grammar is not None or valid.best_of > 1:
        return None
    script = generation.scripted_for(valid.inputs, scripted)
    seed = valid.seed if valid.sampling else None
    stop = tuple(valid.stop)
    tokenizer = valid.tokenizer.name
    return (valid.inputs, valid.max_new_tokens, seed, stop, valid.top_n_tokens, script, tokenizer)


def _remember(cache: OrderedDict[Hashable, _V], key: Hashable | None, make: Callable[[], _V]) -> _V:
    if key is None:
        return make()
    found = cache.get(key)
    if found is not None:
        cache.move_to_end(key)
        return found
    value = make()
    cache[key] = value
    if len(cache) > _SIZE:
        cache.popitem(last=False)
    return value


def sequence(valid: ValidRequest, scripted: dict[str, str]) -> generation.Sequence:
    """`generation.generate(valid, scripted)`, remembered (callers must not change it)."""
    key = _key(valid, scripted)
    return _remember(_sequences, key, lambda: generation.generate(valid, scripted))


def stream_frames(
    valid: ValidRequest, scripted: dict[str, str], prefix: str, legacy: bool
) -> tuple[generation.Sequence, list[bytes]]:
    """The sequence of `valid` and its TGI stream events framed as SSE, remembered."""
    seq = sequence(valid, scripted)
    base = _key(valid, scripted)
    key: Any = None if base is None else (base, valid.details, valid.input_length, prefix, legacy)

    def make() -> list[bytes]:
        count = len(seq.tokens)
        return [
            fast_frame(responses.stream_event(seq, valid, i, prefix), legacy=legacy)
            for i in range(count)
        ]

    return seq, _remember(_frames, key, make)


def generate_body(
    seq: generation.Sequence,
    valid: ValidRequest,
    losers: list[generation.Sequence],
    prefix: str,
    scripted: dict[str, str],
) -> bytes:
    """The JSON of `responses.generate_response(...)`, remembered when there are no losers."""
    base = None if losers else _key(valid, scripted)
    switches = (valid.details, valid.decoder_input_details, valid.input_length, prefix)
    key: Any = None if base is None else (base, switches, tuple(valid.input_pieces))

    def make() -> bytes:
        return fast_dumps(responses.generate_response(seq, valid, losers, prefix))

    return _remember(_bodies, key, make)
