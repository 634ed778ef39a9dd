"""Request types of text-generation 0.7.0 (``Grammar``, ``Parameters``, ``Request``), validated on
construction with 0.7.0's rules and messages; ``frequency_penalty`` follows the server's range.

A refused value raises :class:`~text_generation.errors.ClientValidationError` (a
``ValidationError``) before anything is sent.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

import attrs

from text_generation._base import Dumpable
from text_generation.errors import ClientValidationError


class GrammarType(str, Enum):
    """Grammar kinds; members equal their wire strings."""

    Json = "json"
    Regex = "regex"
    JsonSchema = "json_schema"


def _grammar_type(value: object) -> GrammarType:
    if value == "json_object":
        return GrammarType.Json
    try:
        return GrammarType(value)
    except ValueError:
        kinds = ", ".join(repr(t.value) for t in GrammarType)
        raise ClientValidationError(
            f"`grammar.type` must be one of {kinds}; got {value!r}"
        ) from None


@attrs.frozen
class Grammar(Dumpable):
    """A grammar constraining the output: a JSON schema (object or JSON string), a regular
    expression, or a ``json_schema`` config ``{"name"?: str, "schema": {...}}``."""

    type: GrammarType = attrs.field(converter=_grammar_type)
    value: str | dict[str, Any]

    def __attrs_post_init__(self) -> None:
        if not self.value:
            raise ClientValidationError(f"`value` cannot be empty for `{self.type.value}` grammar")
        if self.type is GrammarType.Regex and not isinstance(self.value, str):
            raise ClientValidationError("`value` must be a string for `regex` grammar")
        if self.type is GrammarType.Json and not isinstance(self.value, str | dict):
            raise ClientValidationError("`value` must be an object or a string for `json` grammar")
        if self.type is GrammarType.JsonSchema and not (
            isinstance(self.value, dict) and isinstance(self.value.get("schema"), dict)
        ):
            raise ClientValidationError(
                "`value` must be an object with a `schema` object for `json_schema` grammar"
            )


def _grammar(value: object) -> Grammar | None:
    if value is None or isinstance(value, Grammar):
        return value
    if isinstance(value, dict) and set(value) == {"type", "value"}:
        return Grammar(type=value["type"], value=value["value"])
    raise ClientValidationError(f"`grammar` must be a Grammar or {{type, value}}; got {value!r}")


def _number(name: str, value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ClientValidationError(f"`{name}` must be a number; got {value!r}")
    return value


def _integer(name: str, value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ClientValidationError(f"`{name}` must be an integer; got {value!r}")
    return value


def _flag(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise ClientValidationError(f"`{name}` must be a boolean; got {value!r}")
    return value


def _stop(value: object) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list | tuple) or not all(isinstance(s, str) for s in value):
        raise ClientValidationError(f"`stop` must be a list of strings; got {value!r}")
    return [str(s) for s in value]


def _check_params(p: Parameters) -> None:
    for name in ("do_sample", "return_full_text", "watermark", "details", "decoder_input_details"):
        _flag(name, getattr(p, name))
    for name in ("repetition_penalty", "frequency_penalty", "temperature", "top_p", "typical_p"):
        _number(name, getattr(p, name))
    for name in ("max_new_tokens", "seed", "top_k", "truncate", "best_of", "top_n_tokens"):
        _integer(name, getattr(p, name))
    if p.adapter_id is not None and not isinstance(p.adapter_id, str):
        raise ClientValidationError(f"`adapter_id` must be a string; got {p.adapter_id!r}")
    if p.repetition_penalty is not None and p.repetition_penalty <= 0:
        raise ClientValidationError("`repetition_penalty` must be strictly positive")
    if p.frequency_penalty is not None and not -2.0 <= p.frequency_penalty <= 2.0:
        raise ClientValidationError("`frequency_penalty` must be >= -2.0 and <= 2.0")
    if p.seed is not None and p.seed < 0:
        raise ClientValidationError("`seed` must be positive")
    if p.temperature is not None and p.temperature <= 0:
        raise ClientValidationError("`temperature` must be strictly positive")
    if p.top_k is not None and p.top_k <= 0:
        raise ClientValidationError("`top_k` must be strictly positive")
    if p.top_p is not None and not 0 < p.top_p < 1.0:
        raise ClientValidationError("`top_p` must be > 0.0 and < 1.0")
    if p.truncate is not None and p.truncate <= 0:
        raise ClientValidationError("`truncate` must be strictly positive")
    if p.typical_p is not None and not 0 < p.typical_p < 1.0:
        raise ClientValidationError("`typical_p` must be > 0.0 and < 1.0")
    if p.best_of is not None:
        if p.best_of <= 0:
            raise ClientValidationError("`best_of` must be strictly positive")
        if p.best_of > 1 and p.seed is not None:
            raise ClientValidationError("`seed` must not be set when `best_of` is > 1")
        sampling = p.do_sample or any(
            v is not None for v in (p.temperature, p.top_k, p.top_p, p.typical_p)
        )
        if p.best_of > 1 and not sampling:
            raise ClientValidationError("you must use sampling when `best_of` is > 1")
    if p.top_n_tokens is not None and p.top_n_tokens <= 0:
        raise ClientValidationError("`top_n_tokens` must be strictly positive")


@attrs.frozen
class Parameters(Dumpable):
    """Generation parameters, with the defaults of text-generation 0.7.0."""

    do_sample: bool = False
    max_new_tokens: int | None = 20
    repetition_penalty: float | None = None
    frequency_penalty: float | None = None
    return_full_text: bool = False
    stop: list[str] = attrs.field(factory=list, converter=_stop)
    seed: int | None = None
    temperature: float | None = None
    top_k: int | None = None
    top_p: float | None = None
    truncate: int | None = None
    typical_p: float | None = None
    best_of: int | None = None
    watermark: bool = False
    details: bool = False
    decoder_input_details: bool = False
    top_n_tokens: int | None = None
    grammar: Grammar | None = attrs.field(default=None, converter=_grammar)
    adapter_id: str | None = None

    def __attrs_post_init__(self) -> None:
        _check_params(self)


def _parameters(value: object) -> Parameters | None:
    if value is None or isinstance(value, Parameters):
        return value
    if isinstance(value, dict):
        return Parameters(**value)
    raise ClientValidationError(f"`parameters` must be Parameters; got {value!r}")


@attrs.frozen
class Request(Dumpable):
    """A generate request: the prompt, its parameters, and whether to stream."""

    inputs: str
    parameters: Parameters | None = attrs.field(default=None, converter=_parameters)
    stream: bool = False

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.inputs, str):
            raise ClientValidationError(f"`inputs` must be a string; got {self.inputs!r}")
        if not self.inputs:
            raise ClientValidationError("`inputs` cannot be empty")
        _flag("stream", self.stream)
        best_of = self.parameters.best_of if self.parameters else None
        if best_of is not None and best_of > 1 and self.stream:
            raise ClientValidationError("`best_of` != 1 is not supported when `stream` == True")
