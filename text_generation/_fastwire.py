"""The hot paths: strict pydantic-core schemas of the well-formed TGI answers, which build the
documented types straight from the JSON bytes.

A stream event or a ``generate`` answer that matches one of these exactly (every key TGI sends,
each of its exact JSON type: an int is an int, a logprob a number or null, a known finish reason)
is parsed and built in one call of pydantic-core (about half the cost of parsing the JSON, checking
it and building the models apart). Anything else (a missing or unknown key, a wrong type, an
integer outside 64 bits, an error event) is refused here, and the caller (``_core``,
``_streams``) takes the generated model and its converter instead; both paths accept and refuse
exactly the same answers with the same results, as ``tests/facade/test_fastwire.py`` checks.
"""

from __future__ import annotations

from pydantic_core import SchemaValidator, ValidationError
from pydantic_core import core_schema as cs

from text_generation._responses import (
    Details,
    FinishReason,
    InputToken,
    Response,
    StreamDetails,
    StreamResponse,
    Token,
)

# The integers orjson (the slow path's parser) reads as integers: larger ones take that path.
INT = cs.int_schema(strict=True, ge=-(2**63), le=2**64 - 1)
STR = cs.str_schema(strict=True)
_LOGPROB = cs.nullable_schema(cs.float_schema(strict=True, allow_inf_nan=False))
_FINISH = cs.enum_schema(FinishReason, list(FinishReason), sub_type="str")


def required(schema: cs.CoreSchema) -> cs.ModelField:
    """A key that must be present."""
    return cs.model_field(schema)


def optional(schema: cs.CoreSchema) -> cs.ModelField:
    """A key that may be absent (the field is then None)."""
    return cs.model_field(cs.with_default_schema(schema, default=None))


def model(cls: type, fields: dict[str, cs.ModelField], *, exact: bool) -> cs.ModelSchema:
    """``cls`` built from ``fields``; ``exact``: a key not named here refuses the answer."""
    fields_schema = cs.model_fields_schema(fields, extra_behavior="forbid" if exact else "ignore")
    return cs.model_schema(cls, fields_schema)


def _token() -> cs.ModelSchema:
    return model(
        Token,
        {
            "id": required(INT),
            "text": required(STR),
            "logprob": required(_LOGPROB),
            "special": required(cs.bool_schema(strict=True)),
        },
        exact=True,
    )


def _input_token() -> cs.ModelSchema:
    return model(
        InputToken,
        {"id": required(INT), "text": required(STR), "logprob": required(_LOGPROB)},
        exact=True,
    )


def _stream_event() -> cs.ModelSchema:
    details = model(
        StreamDetails,
        {
            "finish_reason": required(_FINISH),
            "generated_tokens": required(INT),
            "seed": required(cs.nullable_schema(INT)),
            "input_length": optional(cs.nullable_schema(INT)),
        },
        exact=False,
    )
    return model(
        StreamResponse,
        {
            "token": required(_token()),
            "top_tokens": optional(cs.nullable_schema(cs.list_schema(_token()))),
            "generated_text": required(cs.nullable_schema(STR)),
            "details": required(cs.nullable_schema(details)),
            "index": optional(cs.nullable_schema(INT)),
        },
        exact=True,  # an "error" key beside a token is an error event: the slow path says so
    )


def _generate_answer() -> cs.ModelSchema:
    details = model(
        Details,
        {
            "finish_reason": required(_FINISH),
            "generated_tokens": required(INT),
            "seed": required(cs.nullable_schema(INT)),
            "prefill": required(cs.list_schema(_input_token())),
            "tokens": required(cs.list_schema(_token())),
            "top_tokens": optional(cs.nullable_schema(cs.list_schema(cs.list_schema(_token())))),
            # best_of sequences (and anything new) take the generated model's path
            "best_of_sequences": optional(cs.none_schema()),
        },
        exact=True,
    )
    return model(
        Response,
        {"generated_text": required(STR), "details": optional(details)},
        exact=True,
    )


_event = SchemaValidator(_stream_event()).validate_json
_answer = SchemaValidator(_generate_answer()).validate_json
_compat_answer = SchemaValidator(
    cs.list_schema(_generate_answer(), min_length=1, max_length=1)
).validate_json


def well_formed_event(data: bytes) -> StreamResponse | None:
    """The ``StreamResponse`` of one event's JSON, or None when it is not a well-formed token
    event (an error event included): the caller then takes the generated model's path."""
    try:
        return _event(data)  # type: ignore[no-any-return]
    except ValidationError:
        return None


def well_formed_answer(body: bytes, *, compat: bool) -> Response | None:
    """The ``Response`` of a ``/generate`` body (``compat``: the ``/`` route's list of one), or
    None when it is not a well-formed answer: the caller then takes the generated model's path."""
    try:
        if compat:
            return _compat_answer(body)[0]  # type: ignore[no-any-return]
        return _answer(body)  # type: ignore[no-any-return]
    except ValidationError:
        return None
