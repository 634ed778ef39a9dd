"""
Deliberate contract breakages: a mock that gets one TGI behaviour wrong, on purpose.

They exist to test contract verifiers (`tgi-contract verify` must fail exactly the checks of the
behaviour that is broken, and no other). Turn them on with `MockConfig.breakages` or the CLI's
`--break NAME` (repeatable). `stop-ignored`, `seed-ignored` and `grammar-ignored` apply to every
generation route (`POST /`, `/generate`, `/generate_stream`, `POST /models/{repo_id}`,
`/v1/chat/completions`, `/v1/completions`); the others to TGI's native routes.

- `stop-ignored`: stop sequences never end generation (they still count against
  `max_stop_sequences`).
- `seed-ignored`: a sampled request uses a fresh random seed instead of `parameters.seed` (and
  reports the seed it used in `details`, as an honest server would).
- `no-final-details`: the final stream event carries `"details": null` although `details` was
  asked (its `generated_text` is still there).
- `no-list-wrapper`: the compat routes answer the bare GenerateResponse object, not a list of one.
- `grammar-ignored`: grammars are accepted and ignored, as by a server without grammar support
  that does not say so: `grammar` and `response_format` give free text, and `tools` a text answer
  (this one applies to `/v1/chat/completions` too).
- `no-validation`: nothing is ever refused: out-of-range parameters are silently replaced by their
  defaults (`best_of` and `top_n_tokens` clamped to the limits) and the `/info` limits on stop
  sequences, `best_of` and input length are not enforced.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from tgi_mock.config import BREAKAGES, MockConfig
from tgi_mock.faults import FaultSpec
from tgi_mock.validation import ValidationError, ValidRequest, validate

__all__ = ["BREAKAGES", "broken", "for_generation", "validate_as_configured"]

_UNLIMITED = 1 << 40


def broken(config: MockConfig, name: str) -> bool:
    """True when the breakage `name` is turned on in `config`."""
    if name not in BREAKAGES:
        raise ValueError(f"unknown breakage {name!r}")
    return name in config.breakages


def _lenient(parameters: dict[str, Any], config: MockConfig) -> dict[str, Any]:
    """Parameters a server without validation would run: invalid values become defaults."""
    p = dict(parameters)
    rules: dict[str, Callable[[Any], bool]] = {
        "temperature": lambda v: v <= 0.0,
        "repetition_penalty": lambda v: v <= 0.0,
        "frequency_penalty": lambda v: not -2.0 <= v <= 2.0,
        "top_p": lambda v: not 0.0 < v < 1.0,
        "typical_p": lambda v: not 0.0 < v < 1.0,
        "top_k": lambda v: v <= 0,
        "max_new_tokens": lambda v: v == 0,
        "truncate": lambda v: v == 0,
    }
    for name, bad in rules.items():
        if p.get(name) is not None and bad(p[name]):
            p[name] = None
    best_of = p.get("best_of") or 1
    if best_of > 1:
        p["best_of"] = min(best_of, max(config.max_best_of, 1))
        p["do_sample"] = True
        p["seed"] = None
    if p.get("top_n_tokens") is not None:
        p["top_n_tokens"] = min(p["top_n_tokens"], config.max_top_n_tokens)
    return p


def validate_as_configured(
    inputs: str,
    parameters: dict[str, Any],
    config: MockConfig,
    rng: random.Random,
    *,
    default_full_text: bool = False,
) -> ValidRequest:
    """TGI's `validate`, or with `no-validation` a request that never fails validation."""
    if not broken(config, "no-validation"):
        return validate(inputs, parameters, config, rng, default_full_text=default_full_text)
    unlimited = replace(
        config,
        max_stop_sequences=_UNLIMITED,
        max_input_tokens=_UNLIMITED,
        max_total_tokens=_UNLIMITED,
        disable_grammar_support=False,
    )
    p = _lenient(parameters, config)
    try:
        valid = validate(inputs or " ", p, unlimited, rng, default_full_text=default_full_text)
    except ValidationError:  # an invalid grammar: run without it
        valid = validate(
            inputs or " ",
            {**p, "grammar": None},
            unlimited,
            rng,
            default_full_text=default_full_text,
        )
    return valid if inputs else replace(valid, inputs="", input_pieces=[])


def for_generation(
    valid: ValidRequest, config: MockConfig, rng: random.Random, faults: FaultSpec | None = None
) -> ValidRequest:
    """The request generation runs: `stop-ignored` drops the stops, `seed-ignored` reseeds;
    `--bend-schema` (or the fault `bend-schema`) bends JSON answers."""
    if config.bend_schema or (faults is not None and faults.bend_schema):
        valid = replace(valid, bend_schema=True)
    if broken(config, "stop-ignored"):
        valid = replace(valid, stop=[])
    if broken(config, "grammar-ignored"):
        valid = replace(valid, grammar=None)
    if broken(config, "seed-ignored") and valid.sampling:
        valid = replace(valid, seed=rng.getrandbits(64))
    return valid
