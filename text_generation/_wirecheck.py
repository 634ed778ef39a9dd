"""Checks of wire values read from the generated models, and the one converter of a payload into
a documented type. No pydantic here: the client modules import this at start-up, and the
pydantic types only when a call needs them (``from text_generation import Client`` stays fast).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from text_generation.errors import InvalidResponseError, TextGenerationError
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


def _opt_int(value: object, what: str) -> int | None:
    if value is None or isinstance(value, Unset):
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidResponseError(f"{what}: expected an integer or null, got {_clip(value)}")
    return value


def _opt_str(value: object, what: str) -> str | None:
    if value is None or isinstance(value, Unset):
        return None
    if not isinstance(value, str):
        raise InvalidResponseError(f"{what}: expected a string or null, got {_clip(value)}")
    return value


def _logprob(value: object) -> float | None:
    if value is None or (isinstance(value, int | float) and not isinstance(value, bool)):
        return None if value is None else float(value)
    raise InvalidResponseError(f"logprob: expected a number or null, got {_clip(value)}")


def convert(
    build: Callable[[Mapping[str, Any]], Any],
    payload: Any,
    convert_to: Callable[[Any], _T],
    what: str,
) -> _T:
    """Parse ``payload`` with a generated ``from_dict`` and convert the model once; anything the
    generated code trips on becomes ``InvalidResponseError``."""
    if not isinstance(payload, Mapping):
        raise InvalidResponseError(f"{what}: expected a JSON object, got {_clip(payload)}")
    try:
        return convert_to(build(payload))
    except TextGenerationError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InvalidResponseError(
            f"{what}: {type(exc).__name__} {exc} in {_clip(payload)}"
        ) from None
