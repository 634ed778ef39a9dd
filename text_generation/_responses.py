"""Documented answer types (the names, fields and defaults of text-generation 0.7.0), pydantic
models as 0.7.0's were, converted once from the generated models by named constructors, without
a second validation. Users never see a generated class or an ``UNSET``.

A generated model whose union parsing failed hands back the raw value; every constructor checks
what it reads and raises :class:`~text_generation.errors.InvalidResponseError` instead.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from pydantic import Field

from text_generation._base import Model, trusted
from text_generation._wirecheck import _clip, _expect, _logprob, _opt, _opt_int
from text_generation.errors import InvalidResponseError
from tgi_client import models as m
from tgi_client.types import Unset


class FinishReason(str, Enum):
    """Why generation stopped; members equal their wire strings."""

    Length = "length"
    EndOfSequenceToken = "eos_token"
    StopSequence = "stop_sequence"

    @classmethod
    def parse(cls, value: object) -> FinishReason:
        """The member for a wire string; :class:`InvalidResponseError` for anything else."""
        try:
            return cls(value)
        except ValueError:
            raise InvalidResponseError(f"finish_reason: unknown value {_clip(value)}") from None


class InputToken(Model):
    """A decoder input (prefill) token. ``logprob`` is None for the first one."""

    id: int
    text: str
    logprob: float | None = None

    @classmethod
    def from_model(cls, model: object) -> InputToken:
        """Convert a generated ``PrefillToken``."""
        t = _expect(model, m.PrefillToken, "prefill token")
        return trusted(
            cls,
            id=_expect(t.id, int, "token id"),
            text=_expect(t.text, str, "token text"),
            logprob=_logprob(t.logprob),
        )


class Token(Model):
    """A generated token. ``special`` tokens (such as EOS) are not part of the text."""

    id: int
    text: str
    logprob: float | None = None
    special: bool = False

    @classmethod
    def from_model(cls, model: object) -> Token:
        """Convert a generated ``Token``."""
        t = _expect(model, m.Token, "token")
        return trusted(
            cls,
            id=_expect(t.id, int, "token id"),
            text=_expect(t.text, str, "token text"),
            logprob=_logprob(t.logprob),
            special=_expect(t.special, bool, "special"),
        )


def _tokens(models: object, what: str) -> list[Token]:
    return [Token.from_model(t) for t in _expect(models, list, what)]


def _top_tokens(models: object) -> list[list[Token]] | None:
    if models is None or isinstance(models, Unset):
        return None
    return [_tokens(step, "top_tokens step") for step in _expect(models, list, "top_tokens")]


def _prefill(models: object) -> list[InputToken]:
    return [InputToken.from_model(t) for t in _expect(models, list, "prefill")]


class BestOfSequence(Model):
    """One of the N-1 sequences that lost a ``best_of`` = N generation."""

    generated_text: str
    finish_reason: FinishReason
    generated_tokens: int
    seed: int | None = None
    prefill: list[InputToken]
    tokens: list[Token]
    top_tokens: list[list[Token]] | None = None

    @classmethod
    def from_model(cls, model: object) -> BestOfSequence:
        """Convert a generated ``BestOfSequence``."""
        s = _expect(model, m.BestOfSequence, "best_of_sequences item")
        return trusted(
            cls,
            generated_text=_expect(s.generated_text, str, "generated_text"),
            finish_reason=FinishReason.parse(s.finish_reason),
            generated_tokens=_expect(s.generated_tokens, int, "generated_tokens"),
            seed=_opt_int(s.seed, "seed"),
            prefill=_prefill(s.prefill),
            tokens=_tokens(s.tokens, "tokens"),
            top_tokens=_top_tokens(s.top_tokens),
        )


class Details(Model):
    """Details of a ``generate`` answer."""

    finish_reason: FinishReason
    generated_tokens: int
    seed: int | None = None
    prefill: list[InputToken]
    tokens: list[Token]
    top_tokens: list[list[Token]] | None = None
    best_of_sequences: list[BestOfSequence] | None = None

    @classmethod
    def from_model(cls, model: object) -> Details:
        """Convert a generated ``Details``."""
        d = _expect(model, m.Details, "details")
        best = _opt(d.best_of_sequences)
        return trusted(
            cls,
            finish_reason=FinishReason.parse(d.finish_reason),
            generated_tokens=_expect(d.generated_tokens, int, "generated_tokens"),
            seed=_opt_int(d.seed, "seed"),
            prefill=_prefill(d.prefill),
            tokens=_tokens(d.tokens, "tokens"),
            top_tokens=_top_tokens(d.top_tokens),
            best_of_sequences=None
            if best is None
            else [BestOfSequence.from_model(s) for s in _expect(best, list, "best_of_sequences")],
        )


class Response(Model):
    """The answer of ``generate``. ``details`` is None only if the server sent none."""

    generated_text: str
    details: Details | None = None

    @classmethod
    def from_model(cls, model: object) -> Response:
        """Convert a generated ``GenerateResponse``."""
        r = _expect(model, m.GenerateResponse, "response")
        details = _opt(r.details)
        return trusted(
            cls,
            generated_text=_expect(r.generated_text, str, "generated_text"),
            details=None if details is None else Details.from_model(details),
        )


class StreamDetails(Model):
    """Details on the last event of a stream."""

    finish_reason: FinishReason
    generated_tokens: int
    seed: int | None = None
    input_length: int | None = None

    @classmethod
    def from_model(cls, model: object) -> StreamDetails:
        """Convert a generated ``StreamDetails``."""
        d = _expect(model, m.StreamDetails, "stream details")
        return trusted(
            cls,
            finish_reason=FinishReason.parse(d.finish_reason),
            generated_tokens=_expect(d.generated_tokens, int, "generated_tokens"),
            seed=_opt_int(d.seed, "seed"),
            input_length=_opt_int(d.input_length, "input_length"),
        )


class StreamResponse(Model):
    """One event of ``generate_stream``: a token; the last one also carries the full text."""

    token: Token
    top_tokens: list[Token] | None = None
    generated_text: str | None = None
    details: StreamDetails | None = None
    index: int | None = None

    @classmethod
    def from_model(cls, model: object) -> StreamResponse:
        """Convert a generated ``StreamResponse``."""
        e = _expect(model, m.StreamResponse, "stream event")
        top = _opt(e.top_tokens)
        text = e.generated_text
        if text is not None:
            _expect(text, str, "generated_text")
        return trusted(
            cls,
            token=Token.from_model(e.token),
            top_tokens=None if top is None else _tokens(top, "top_tokens"),
            generated_text=text,
            details=None if e.details is None else StreamDetails.from_model(e.details),
            index=_opt_int(e.index, "index"),
        )


class DeployedModel(Model):
    """A model deployed with text-generation-inference on the Inference API."""

    model_id: str
    sha: str

    @classmethod
    def from_model(cls, model: object) -> DeployedModel:
        """Convert a generated ``DeployedModel``."""
        d = _expect(model, m.DeployedModel, "deployed model")
        return trusted(
            cls, model_id=_expect(d.model_id, str, "model_id"), sha=_expect(d.sha, str, "sha")
        )


class SimpleToken(Model):
    """A token of ``tokenize``: ``start``/``stop`` are byte offsets into the input."""

    id: int
    text: str
    start: int
    stop: int

    @classmethod
    def from_model(cls, model: object) -> SimpleToken:
        """Convert a generated ``SimpleToken``."""
        t = _expect(model, m.SimpleToken, "token")
        return trusted(
            cls,
            id=_expect(t.id, int, "id"),
            text=_expect(t.text, str, "text"),
            start=_expect(t.start, int, "start"),
            stop=_expect(t.stop, int, "stop"),
        )


class Info(Model):
    """What ``/info`` reports. Fields older servers lack are None."""

    model_id: str
    max_concurrent_requests: int
    max_best_of: int
    max_stop_sequences: int
    max_total_tokens: int
    validation_workers: int
    max_client_batch_size: int
    router: str
    version: str
    max_input_tokens: int | None = None
    model_sha: str | None = None
    model_pipeline_tag: str | None = None
    sha: str | None = None
    docker_label: str | None = None
    extra: dict[str, Any] = Field(default_factory=dict)

    @classmethod
    def from_model(cls, model: object) -> Info:
        """Convert a generated ``Info``; fields it does not name are kept in ``extra``."""
        i = _expect(model, m.Info, "info")
        extra = {
            k: _opt(getattr(i, k))
            for k in (
                "max_input_length",
                "model_dtype",
                "model_device_type",
                "waiting_served_ratio",
                "max_batch_total_tokens",
                "max_waiting_tokens",
                "max_batch_size",
            )
            if not isinstance(getattr(i, k), Unset)
        }
        extra.update(i.additional_properties)
        max_input = _opt_int(i.max_input_tokens, "max_input_tokens")
        if max_input is None:
            max_input = _opt_int(extra.get("max_input_length"), "max_input_length")
        return trusted(
            cls,
            model_id=_expect(i.model_id, str, "model_id"),
            max_concurrent_requests=_expect(
                i.max_concurrent_requests, int, "max_concurrent_requests"
            ),
            max_best_of=_expect(i.max_best_of, int, "max_best_of"),
            max_stop_sequences=_expect(i.max_stop_sequences, int, "max_stop_sequences"),
            max_total_tokens=_expect(i.max_total_tokens, int, "max_total_tokens"),
            validation_workers=_expect(i.validation_workers, int, "validation_workers"),
            max_client_batch_size=_expect(i.max_client_batch_size, int, "max_client_batch_size"),
            router=_expect(i.router, str, "router"),
            version=_expect(i.version, str, "version"),
            max_input_tokens=max_input,
            model_sha=_opt(i.model_sha),
            model_pipeline_tag=_opt(i.model_pipeline_tag),
            sha=_opt(i.sha),
            docker_label=_opt(i.docker_label),
            extra=extra,
        )
