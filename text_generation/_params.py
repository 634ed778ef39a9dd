"""Request types of text-generation 0.7.0 (``Grammar``, ``Parameters``, ``Request``): pydantic
models validated as 0.7.0's, with its validators in the same places and the same messages;
``frequency_penalty`` follows the server's range (0.7.0 refused anything <= 0).

A value 0.7.0's validators refuse raises :class:`~text_generation.errors.ClientValidationError`
(a ``text_generation.errors.ValidationError``, the class 0.7.0 raised); a value of the wrong type
raises ``pydantic.ValidationError``, as in 0.7.0. The client methods turn the latter into a
``ClientValidationError`` too (:func:`request_for`), so they raise nothing outside our tree.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

import pydantic
from pydantic import ConfigDict, Field, ValidationInfo, field_validator, model_validator

from text_generation._base import RequestModel, describe
from text_generation.errors import ClientValidationError
from tgi_client.models import GenerateParameters


class GrammarType(str, Enum):
    """Grammar kinds; members equal their wire strings."""

    Json = "json"
    Regex = "regex"
    JsonSchema = "json_schema"


class Grammar(RequestModel):
    """A grammar constraining the output: a JSON schema (object or JSON string), a regular
    expression, or a ``json_schema`` config ``{"name"?: str, "schema": {...}}``. Its value is
    checked where 0.7.0 checked it: in :class:`Parameters`."""

    type: GrammarType
    value: str | dict[str, Any]

    @field_validator("type", mode="before")
    @classmethod
    def _json_object(cls, v: Any) -> Any:
        return GrammarType.Json if v == "json_object" else v


def _check_grammar(g: Grammar) -> None:
    if not g.value:
        raise ClientValidationError(f"`value` cannot be empty for `{g.type.value}` grammar")
    if g.type is GrammarType.Regex and not isinstance(g.value, str):
        raise ClientValidationError("`value` must be a string for `regex` grammar")
    if g.type is GrammarType.JsonSchema and not (
        isinstance(g.value, dict) and isinstance(g.value.get("schema"), dict)
    ):
        raise ClientValidationError(
            "`value` must be an object with a `schema` object for `json_schema` grammar"
        )


def _positive(name: str, v: float | None) -> None:
    if v is not None and v <= 0:
        raise ClientValidationError(f"`{name}` must be strictly positive")


def _open_unit(name: str, v: float | None) -> None:
    if v is not None and not 0 < v < 1.0:
        raise ClientValidationError(f"`{name}` must be > 0.0 and < 1.0")


class Parameters(GenerateParameters):
    """Generation parameters: the fields of the spec's ``GenerateParameters`` (a field added there
    is one here after ``make generate``), with text-generation 0.7.0's defaults and validators."""

    model_config = ConfigDict(protected_namespaces=(), extra="forbid", defer_build=True)

    # 0.7.0's defaults (the spec leaves these to the server) and its Grammar class
    do_sample: bool = False
    max_new_tokens: int | None = 20
    return_full_text: bool = False
    stop: list[str] = Field(default_factory=list)
    watermark: bool = False
    details: bool = False
    decoder_input_details: bool = False
    grammar: Grammar | None = None  # type: ignore[assignment]

    @field_validator("seed", "best_of", "truncate", "top_n_tokens", mode="before")
    @classmethod
    def _not_negative(cls, v: Any, info: ValidationInfo) -> Any:
        """0.7.0's messages for a negative number, ahead of the spec's own bounds."""
        if isinstance(v, int | float) and not isinstance(v, bool) and v < 0:
            if info.field_name == "seed":
                raise ClientValidationError("`seed` must be positive")
            raise ClientValidationError(f"`{info.field_name}` must be strictly positive")
        return v

    @model_validator(mode="after")
    def valid_best_of(self) -> Parameters:
        """0.7.0's rules: ``best_of`` positive; no ``seed`` and sampling on when > 1 (checked once
        every field is, since the spec's field order puts ``best_of`` first)."""
        v = self.best_of
        if v is not None:
            if v <= 0:
                raise ClientValidationError("`best_of` must be strictly positive")
            if v > 1 and self.seed is not None:
                raise ClientValidationError("`seed` must not be set when `best_of` is > 1")
            sampling = self.do_sample or any(
                x is not None for x in (self.temperature, self.top_k, self.top_p, self.typical_p)
            )
            if v > 1 and not sampling:
                raise ClientValidationError("you must use sampling when `best_of` is > 1")
        return self

    @field_validator("repetition_penalty", "temperature", "top_k", "truncate", "top_n_tokens")
    @classmethod
    def _strictly_positive(cls, v: Any, info: ValidationInfo) -> Any:
        _positive(str(info.field_name), v)
        return v

    @field_validator("top_p", "typical_p")
    @classmethod
    def _open_unit_interval(cls, v: float | None, info: ValidationInfo) -> float | None:
        _open_unit(str(info.field_name), v)
        return v

    @field_validator("frequency_penalty")
    @classmethod
    def valid_frequency_penalty(cls, v: float | None) -> float | None:
        """TGI's range, -2.0 to 2.0."""
        if v is not None and not -2.0 <= v <= 2.0:
            raise ClientValidationError("`frequency_penalty` must be >= -2.0 and <= 2.0")
        return v

    @field_validator("seed")
    @classmethod
    def valid_seed(cls, v: int | None) -> int | None:
        """Not negative."""
        if v is not None and v < 0:
            raise ClientValidationError("`seed` must be positive")
        return v

    @field_validator("grammar")
    @classmethod
    def valid_grammar(cls, v: Grammar | None) -> Grammar | None:
        """A value that fits its type: not empty (0.7.0's rule), a string for ``regex``."""
        if v is not None:
            _check_grammar(v)
        return v


class Request(RequestModel):
    """A generate request: the prompt, its parameters, and whether to stream."""

    inputs: str
    parameters: Parameters | None = None
    stream: bool = False

    @field_validator("inputs")
    @classmethod
    def valid_input(cls, v: str) -> str:
        """Not empty."""
        if not v:
            raise ClientValidationError("`inputs` cannot be empty")
        return v

    @field_validator("stream")
    @classmethod
    def valid_best_of_stream(cls, v: bool, info: ValidationInfo) -> bool:
        """``best_of`` > 1 cannot stream."""
        parameters = info.data.get("parameters")
        if parameters is not None and (parameters.best_of or 0) > 1 and v:
            raise ClientValidationError("`best_of` != 1 is not supported when `stream` == True")
        return v


def request_for(prompt: str, *, stream: bool, **params: Any) -> Request:
    """The validated request a client method sends, ``details`` on, as 0.7.0 builds it.

    ``stop_sequences`` maps to ``stop``. Anything refused raises ``ClientValidationError``.
    """
    stop = params.pop("stop_sequences", None)
    try:
        parameters = Parameters(details=True, stop=stop if stop is not None else [], **params)
        return Request(inputs=prompt, parameters=parameters, stream=stream)
    except pydantic.ValidationError as err:
        raise ClientValidationError(describe(err)) from None
