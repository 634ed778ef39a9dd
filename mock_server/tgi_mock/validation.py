"""
TGI's request validation: its rules, in its order, with its exact messages.

Sources: `router/src/validation.rs` (`validate`, `validate_input`, `validate_best_of`) and
`router/src/infer/mod.rs`, as summarised in tgi-wire.md §4. Every failure is a `ValidationError`
whose `message` is TGI's full text (`Input validation error: ...`); the caller answers 422
`{"error", "error_type": "validation"}` (or an SSE event on streaming routes).

Order on `/generate`: `check_best_of` (only when `best_of` > 1), then the concurrency permit, then
`validate`. On streams: `check_stream`, then the permit, then `validate`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from jsonschema import Draft202012Validator  # type: ignore[import-untyped]
from jsonschema.exceptions import SchemaError  # type: ignore[import-untyped]

from tgi_mock import structured
from tgi_mock.config import MockConfig
from tgi_mock.grammar import vocabulary_of
from tgi_mock.hf_tokenizer import tokenizer_for
from tgi_mock.jsonwire import JsonSyntaxError, parse
from tgi_mock.tokenizer import TOY, MockTokenizer, Piece

__all__ = [
    "DEFAULT_PARAMETERS",
    "ValidRequest",
    "ValidationError",
    "check_best_of",
    "check_stream",
    "parameters_or_default",
    "validate",
]


class ValidationError(Exception):
    """A TGI validation failure; `message` is the complete `error` text."""

    def __init__(self, inner: str) -> None:
        self.message = f"Input validation error: {inner}"
        super().__init__(self.message)


DEFAULT_PARAMETERS: dict[str, Any] = {
    "best_of": None,
    "temperature": None,
    "repetition_penalty": None,
    "frequency_penalty": None,
    "top_k": None,
    "top_p": None,
    "typical_p": None,
    "do_sample": False,
    "max_new_tokens": None,
    "return_full_text": None,
    "stop": [],
    "truncate": None,
    "watermark": False,
    "details": False,
    "decoder_input_details": False,
    "seed": None,
    "top_n_tokens": None,
    "grammar": None,
    "adapter_id": None,
}
"""Serde's per-field defaults of `GenerateParameters` (an empty `parameters` object)."""


def parameters_or_default(parameters: dict[str, Any] | None) -> dict[str, Any]:
    """The parameters TGI uses: `default_parameters()` (sampling on) when the object is absent."""
    if parameters is None:
        return {**DEFAULT_PARAMETERS, "do_sample": True, "stop": []}
    return {**DEFAULT_PARAMETERS, **parameters}


@dataclass
class ValidRequest:
    """A request that passed validation, with the values generation needs."""

    inputs: str
    input_pieces: list[Piece]
    """The input tokens after `truncate`."""
    max_new_tokens: int
    sampling: bool
    seed: int
    """The seed generation uses; reported in details only when `sampling`."""
    stop: list[str]
    top_n_tokens: int
    details: bool
    decoder_input_details: bool
    return_full_text: bool
    best_of: int
    grammar: dict[str, Any] | None = None
    parameters: dict[str, Any] = field(default_factory=dict)
    bend_schema: bool = False
    """Under a JSON grammar, values that break the keywords TGI's regex leaves unenforced."""
    tokenizer: MockTokenizer = TOY
    """The tokenizer of the inputs and of the generated tokens (`MockConfig.tokenizer`)."""

    @property
    def input_length(self) -> int:
        """Number of input tokens after truncation."""
        return len(self.input_pieces)


def check_stream(parameters: dict[str, Any]) -> None:
    """The two stream-only checks, run before the permit: `best_of` != 1, decoder_input_details."""
    best_of = parameters.get("best_of")
    if (1 if best_of is None else best_of) != 1:
        raise ValidationError("`best_of` != 1 is not supported when streaming tokens")
    if parameters.get("decoder_input_details"):
        raise ValidationError(
            "`decoder_input_details` == true is not supported when streaming tokens"
        )


def check_best_of(best_of: int, config: MockConfig) -> None:
    """`validate_best_of`, run before the permit when `best_of` > 1."""
    if config.max_best_of == 1 and best_of != 1:
        raise ValidationError("`best_of` != 1 is not allowed for this endpoint")
    if best_of > config.max_best_of:
        raise ValidationError(
            f"`best_of` must be > 0 and <= {config.max_best_of}. Given: {best_of}"
        )


def validate(
    inputs: str,
    parameters: dict[str, Any],
    config: MockConfig,
    rng: random.Random,
    *,
    default_full_text: bool = False,
) -> ValidRequest:
    """`Validation::validate`: every rule in TGI's order; the first failure raises."""
    p = parameters
    best_of = 1 if p["best_of"] is None else p["best_of"]
    asked_sampling = p["do_sample"] or any(
        p[name] is not None for name in ("temperature", "top_k", "top_p", "typical_p")
    )
    if best_of > 1 and not asked_sampling:
        raise ValidationError("you must use sampling when `best_of` is > 1")
    temperature = 1.0 if p["temperature"] is None else p["temperature"]
    if temperature <= 0.0:
        raise ValidationError("`temperature` must be strictly positive")
    repetition = 1.0 if p["repetition_penalty"] is None else p["repetition_penalty"]
    if repetition <= 0.0:
        raise ValidationError("`repetition_penalty` must be strictly positive")
    frequency = 0.0 if p["frequency_penalty"] is None else p["frequency_penalty"]
    if not -2.0 <= frequency <= 2.0:
        raise ValidationError("`frequency_penalty` must be >= -2.0 and <= 2.0")
    top_p = 1.0 if p["top_p"] is None else p["top_p"]
    if p["top_p"] is not None and (top_p <= 0.0 or top_p >= 1.0):
        raise ValidationError("`top_p` must be > 0.0 and < 1.0")
    typical_p = 1.0 if p["typical_p"] is None else p["typical_p"]
    if p["typical_p"] is not None and (typical_p <= 0.0 or typical_p >= 1.0):
        raise ValidationError("`typical_p` must be > 0.0 and < 1.0")
    top_k = 0 if p["top_k"] is None else p["top_k"]
    if p["top_k"] is not None and top_k <= 0:
        raise ValidationError("`top_k` must be strictly positive")
    if p["max_new_tokens"] == 0:
        raise ValidationError("`max_new_tokens` must be strictly positive")
    stop = list(p["stop"])
    if len(stop) > config.max_stop_sequences:
        raise ValidationError(
            f"`stop` supports up to {config.max_stop_sequences} stop sequences. Given: {len(stop)}"
        )
    if p["seed"] is None:
        seed = rng.getrandbits(64)
    elif best_of > 1:
        raise ValidationError("`seed` must not be set when `best_of` > 1")
    else:
        seed = p["seed"]
    top_n = 0 if p["top_n_tokens"] is None else p["top_n_tokens"]
    if top_n > config.max_top_n_tokens:
        raise ValidationError(
            f"`top_n_tokens` must be >= 0 and <= {config.max_top_n_tokens}. Given: {top_n}"
        )
    if inputs == "":
        raise ValidationError("`inputs` cannot be empty")
    truncate = p["truncate"]
    if truncate is not None and (truncate == 0 or truncate > config.max_input_tokens):
        raise ValidationError(
            "`truncate` must be strictly positive and less than "
            f"{config.max_input_tokens}. Given: {truncate}"
        )
    tokenizer = tokenizer_for(config.tokenizer)
    pieces = tokenizer.tokenize(inputs)
    if truncate is not None:
        pieces = pieces[-truncate:]
    input_length = len(pieces)
    asked_new = p["max_new_tokens"]
    budget = max(config.max_total_tokens - input_length, 0)
    max_new = budget if asked_new is None else asked_new
    cap = config.max_new_tokens_check_cap
    checked = max_new if cap is None else min(max_new, cap)
    if input_length + checked > config.max_total_tokens:
        raise ValidationError(
            f"`inputs` tokens + `max_new_tokens` must be <= {config.max_total_tokens}. "
            f"Given: {input_length} `inputs` tokens and {checked} `max_new_tokens`"
        )
    if input_length > config.max_input_tokens:
        raise ValidationError(
            f"`inputs` must have less than {config.max_input_tokens} tokens. Given: {input_length}"
        )
    grammar = _validate_grammar(p["grammar"], config, tokenizer)
    sampling = bool(
        p["do_sample"] or temperature != 1.0 or top_k > 0 or top_p < 1.0 or typical_p < 1.0
    )
    full_text = default_full_text if p["return_full_text"] is None else p["return_full_text"]
    return ValidRequest(
        inputs=inputs,
        input_pieces=pieces,
        max_new_tokens=max(min(max_new, budget), 1),
        sampling=sampling,
        seed=seed,
        stop=stop,
        top_n_tokens=top_n,
        details=bool(p["details"]),
        decoder_input_details=bool(p["decoder_input_details"]),
        return_full_text=bool(full_text),
        best_of=best_of,
        grammar=grammar,
        parameters=p,
        tokenizer=tokenizer,
    )


def _validate_grammar(
    grammar: dict[str, Any] | None, config: MockConfig, tokenizer: MockTokenizer
) -> dict[str, Any] | None:
    if grammar is None:
        return None
    if config.disable_grammar_support:
        raise ValidationError("grammar is not supported")
    kind, value = grammar["type"], grammar["value"]
    if kind == "regex":
        return _satisfiable(grammar, tokenizer)
    schema = value["schema"] if kind == "json_schema" else value
    if isinstance(schema, str):
        try:
            schema = parse(schema.encode("utf-8")).plain()
        except JsonSyntaxError as error:
            raise ValidationError(f"grammar is not valid: {error}") from None
    elif not isinstance(schema, dict):
        raise ValidationError("grammar is not supported")
    if not isinstance(schema, dict | bool):
        raise ValidationError(
            f'grammar is not valid: {schema!r} is not of type "object", "boolean"'
        )
    if not isinstance(schema, dict) or "properties" not in schema:
        raise ValidationError("grammar is not valid: Grammar must have a 'properties' field")
    return _satisfiable({"type": "json", "value": schema}, tokenizer)


def _satisfiable(grammar: dict[str, Any], tokenizer: MockTokenizer) -> dict[str, Any]:
    """The grammar, once compiled as TGI compiles it (`tgi_mock.grammar`, outlines-core)."""
    if grammar["type"] == "json":
        try:
            Draft202012Validator.check_schema(grammar["value"])
        except SchemaError as error:
            raise ValidationError(f"grammar is not valid: {error.message}") from None
    try:
        structured.check(grammar, vocabulary_of(tokenizer))
    except structured.GrammarError as error:
        raise ValidationError(error.inner) from None
    return grammar
