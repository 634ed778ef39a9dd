"""
Deterministic generation: a validated request → generated tokens, finish reason and prefill. Pure.

- Greedy output depends on the prompt only; sampled output on the prompt and the seed
  (`random.Random` seeded with a string, which is stable across processes).
- A prompt found in the scripted table generates that completion's tokens, then EOS.
- Under a grammar (`tgi_mock.structured`) the tokens are decoded under TGI's regex for it, as
  TGI's logits processor allows them: the scripted completion when the grammar allows it, else
  a value made for the schema (or a seeded walk for a regex).
- Otherwise tokens are drawn from the tokenizer's `pool()` (`tokenizer.VOCABULARY` for the
  mock's own) up to a prompt-dependent natural length
  (4 to 33 tokens), then EOS; so some requests finish with `eos_token` and others with `length`.
- Finishing follows TGI's stopping criteria, in order after each token: `length` when
  `max_new_tokens` is reached, `eos_token` on EOS, `stop_sequence` when the generated text ends
  with a stop sequence (whose text stays in the output).
- Logprobs are deterministic negative floats; the chosen token is the most likely of its step's
  `top_tokens`. The first prefill token has logprob null, as on the wire.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from tgi_mock import structured
from tgi_mock.grammar import vocabulary_of
from tgi_mock.tokenizer import MockTokenizer, Piece, crc
from tgi_mock.validation import ValidRequest

__all__ = [
    "GenToken",
    "Sequence",
    "generate",
    "generate_best_of",
    "prefill",
    "scripted_for",
    "sequence_of",
]


@dataclass(frozen=True)
class GenToken:
    """One generated token and, when asked, its step's most likely tokens."""

    id: int
    text: str
    logprob: float
    special: bool
    top_tokens: tuple[GenToken, ...] = ()


@dataclass
class Sequence:
    """One generated sequence: its tokens, its text (without the prompt) and why it stopped."""

    tokens: list[GenToken]
    finish_reason: str
    seed: int | None
    """The seed reported in details: the sampling seed, or None for greedy requests."""
    text: str = ""
    top_tokens: list[list[GenToken]] = field(default_factory=list)

    @property
    def mean_logprob(self) -> float:
        """Mean token logprob, the `best_of` ranking criterion."""
        return sum(t.logprob for t in self.tokens) / max(len(self.tokens), 1)


def _logprob(key: str) -> float:
    return -round(0.05 + (crc(key) % 2500) / 1000.0, 4)


def scripted_for(inputs: str, scripted: dict[str, str]) -> str | None:
    """The scripted completion of `inputs`, if any (exact match, then stripped of whitespace)."""
    if inputs in scripted:
        return scripted[inputs]
    return scripted.get(inputs.strip())


Plan = str | list[tuple[int, str]] | None
"""What to generate: a scripted text, tokens decoded under a grammar, or None (free text)."""


def _plan(
    inputs: str, seed: int | None, scripted: Plan, tokenizer: MockTokenizer
) -> list[tuple[int, str]]:
    if isinstance(scripted, list):
        return scripted
    eos = (tokenizer.eos_id, tokenizer.eos_text)
    if scripted is not None:
        return [*tokenizer.completion(scripted), eos]
    rng = random.Random(f"{inputs}\x00{'greedy' if seed is None else seed}")
    length = 4 + rng.randrange(30)
    pool = tokenizer.pool()
    drawn = [rng.choice(pool)[0] for _ in range(length)]
    return [*tokenizer.streamed(drawn), eos]


def _top_tokens(
    chosen: GenToken, key: str, n: int, tokenizer: MockTokenizer
) -> tuple[GenToken, ...]:
    if n <= 0:
        return ()
    rng = random.Random(key)
    others: list[GenToken] = []
    candidates = [token for token in tokenizer.pool() if token[1] != chosen.text]
    for rank, (id_, text) in enumerate(rng.sample(candidates, n - 1), start=1):
        lp = round(chosen.logprob - 0.25 * rank - (crc(key + text) % 100) / 1000.0, 4)
        others.append(GenToken(id_, text, lp, False))
    return (chosen, *others)


def _sequence(inputs: str, request: ValidRequest, seed: int | None, scripted: Plan) -> Sequence:
    key_seed = "greedy" if seed is None else str(seed)
    tokens: list[GenToken] = []
    text = ""
    finish = "length"
    tokenizer = request.tokenizer
    eos_id = tokenizer.eos_id
    for step, (id_, piece) in enumerate(_plan(inputs, seed, scripted, tokenizer)):
        special = id_ == eos_id
        key = f"{inputs}\x00{key_seed}\x00{step}"
        token = GenToken(id_, piece, _logprob(f"{key}\x00{piece}"), special)
        token = GenToken(
            token.id,
            token.text,
            token.logprob,
            special,
            _top_tokens(token, key, request.top_n_tokens, tokenizer),
        )
        tokens.append(token)
        if not special:
            text += piece
        if len(tokens) >= request.max_new_tokens:
            finish = "length"
            break
        if token.id == eos_id:
            finish = "eos_token"
            break
        if any(stop and text.endswith(stop) for stop in request.stop):
            finish = "stop_sequence"
            break
    top = [list(t.top_tokens) for t in tokens] if request.top_n_tokens > 0 else []
    return Sequence(tokens, finish, seed, text, top)


def generate(request: ValidRequest, scripted: dict[str, str], key: str | None = None) -> Sequence:
    """Generate one sequence; `key` (default: the inputs) is looked up in the scripted table."""
    seed = request.seed if request.sampling else None
    script = scripted_for(request.inputs if key is None else key, scripted)
    if script is None and key is not None:
        script = scripted_for(request.inputs, scripted)
    return _sequence(request.inputs, request, seed, _constrained(request, seed, script))


def sequence_of(request: ValidRequest, tokens: list[tuple[int, str]]) -> Sequence:
    """The sequence of tokens already decoded (a tool call), cut by the stopping criteria."""
    return _sequence(request.inputs, request, request.seed if request.sampling else None, tokens)


def _constrained(request: ValidRequest, seed: int | None, script: str | None) -> Plan:
    """Under a grammar: tokens decoded under it (following the scripted text if it allows it)."""
    if request.grammar is None:
        return script
    key = f"{request.inputs}\x00{'greedy' if seed is None else seed}"
    return structured.tokens_for(
        request.grammar,
        key,
        request.max_new_tokens,
        bend=request.bend_schema,
        script=script,
        vocabulary=vocabulary_of(request.tokenizer),
    )


def generate_best_of(
    request: ValidRequest, scripted: dict[str, str], seeds: list[int]
) -> tuple[Sequence, list[Sequence]]:
    """`best_of`: one sampled sequence per seed; the best mean logprob wins, the rest lose."""
    script = scripted_for(request.inputs, scripted)
    sequences = [
        _sequence(request.inputs, request, seed, _constrained(request, seed, script))
        for seed in seeds
    ]
    best = max(range(len(sequences)), key=lambda i: sequences[i].mean_logprob)
    return sequences[best], [s for i, s in enumerate(sequences) if i != best]


def prefill(pieces: list[Piece]) -> list[dict[str, object]]:
    """Decoder input details: the input tokens, the first with logprob null."""
    return [
        {
            "id": piece.id,
            "text": piece.text,
            "logprob": None if index == 0 else _logprob(f"prefill\x00{index}\x00{piece.text}"),
        }
        for index, piece in enumerate(pieces)
    ]
