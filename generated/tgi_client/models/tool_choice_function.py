from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict

from ..models.function_name import FunctionName


class ToolChoiceFunction(BaseModel):
    model_config = ConfigDict(
        protected_namespaces=(),
        defer_build=True,
        populate_by_name=True,
        extra="ignore",
    )

    type: Literal["function"]
    function: FunctionName

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        """Build from a JSON object (lax, as a constructor is)."""
        return cls.model_validate(src_dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object: wire names, fields never set left out."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)
