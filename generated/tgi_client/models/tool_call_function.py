from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from pydantic import BaseModel, ConfigDict


class ToolCallFunction(BaseModel):
    """The function of a tool call, as the server sends it and as a client replays it."""

    model_config = ConfigDict(
        protected_namespaces=(),
        defer_build=True,
        populate_by_name=True,
        extra="ignore",
    )

    name: str
    description: str | None = None
    arguments: str | dict[str, Any]
    """ The call's arguments: a JSON string (TGI 3.x) or a JSON object (TGI 2.x). """

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        """Build from a JSON object (lax, as a constructor is)."""
        return cls.model_validate(src_dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object: wire names, fields never set left out."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)
