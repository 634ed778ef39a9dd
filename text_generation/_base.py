"""What every documented type shares: it is a pydantic v2 model, as text-generation 0.7.0's were
(keyword construction with lax coercion, assignment, ``dict(model)``, ``model_dump()`` /
``dict()``, ``model_dump_json()`` / ``json()``, ``model_copy()``, equality).

Chat answers parsed from the wire have been checked field by field already; :func:`trusted`
builds them without validating them a second time.
"""

from __future__ import annotations

from typing import Any, TypeVar

import pydantic
from pydantic import BaseModel, ConfigDict

_M = TypeVar("_M", bound=BaseModel)


class Model(BaseModel):
    """Base of the answer types: unknown keys are ignored, as in 0.7.0."""

    model_config = ConfigDict(protected_namespaces=(), defer_build=True)


class RequestModel(BaseModel):
    """Base of the request types: a misspelt keyword is refused rather than silently dropped."""

    model_config = ConfigDict(protected_namespaces=(), extra="forbid", defer_build=True)


def trusted(cls: type[_M], /, **fields: Any) -> _M:
    """An instance of ``cls`` from ``fields``: a value for every field, each checked already
    (pydantic's ``model_construct``: no second validation)."""
    return cls.model_construct(**fields)


def describe(err: pydantic.ValidationError) -> str:
    """A one-line account of what pydantic refused: ``\\`field\\`: why (got value)``."""
    parts = []
    for e in err.errors(include_url=False):
        where = ".".join(str(x) for x in e["loc"]) or "value"
        got = repr(e["input"])
        got = got if len(got) <= 80 else got[:80] + "…"
        parts.append(f"`{where}`: {e['msg']} (got {got})")
    return "; ".join(parts)
