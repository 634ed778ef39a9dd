"""Checks of wire values read from the generated models by the converters of the chat completion
types (``_chat_types``, ``_tools``): each raises ``InvalidResponseError`` naming what is wrong."""

from __future__ import annotations

from typing import TypeVar

from text_generation.errors import InvalidResponseError
from tgi_client.types import Unset

_T = TypeVar("_T")


def _expect(value: object, kind: type[_T], what: str) -> _T:
    if not isinstance(value, kind):
        raise InvalidResponseError(f"{what}: expected {kind.__name__}, got {_clip(value)}")
    return value


def _clip(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 200 else text[:200] + "…"


def _opt(value: _T | Unset) -> _T | None:
    return None if isinstance(value, Unset) else value


def _opt_str(value: object, what: str) -> str | None:
    if value is None or isinstance(value, Unset):
        return None
    if not isinstance(value, str):
        raise InvalidResponseError(f"{what}: expected a string or null, got {_clip(value)}")
    return value
