"""What every documented type shares: pydantic-style ``model_dump`` / ``dict`` for code written
for text-generation 0.7.0, whose types were pydantic models."""

from __future__ import annotations

import json
from enum import Enum
from typing import Any

import attrs


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if attrs.has(type(value)):
        return {f.name: _plain(getattr(value, f.name)) for f in attrs.fields(type(value))}
    return value


class Dumpable:
    """Mixin for attrs classes: ``model_dump()``, ``dict()`` and ``model_dump_json()``."""

    __slots__ = ()

    def model_dump(self, *, exclude_none: bool = False) -> dict[str, Any]:
        """The fields as plain Python values (enums as their wire strings)."""
        dumped: dict[str, Any] = _plain(self)
        if exclude_none:
            return {k: v for k, v in dumped.items() if v is not None}
        return dumped

    def dict(self, *, exclude_none: bool = False) -> dict[str, Any]:
        """Alias of :meth:`model_dump` (pydantic v1 name, used by 0.7.0 code)."""
        return self.model_dump(exclude_none=exclude_none)

    def model_dump_json(self, *, exclude_none: bool = False) -> str:
        """The fields as a JSON string."""
        return json.dumps(self.model_dump(exclude_none=exclude_none), ensure_ascii=False)
