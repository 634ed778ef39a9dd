from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from pydantic import BaseModel, ConfigDict


class FunctionDefinition(BaseModel):
    """A function the model may call. TGI reads its JSON Schema from `parameters` (the OpenAI name) or `arguments` (a serde
    alias; text-generation 0.7.0 sends `arguments`); one of the two is needed.

    """

    model_config = ConfigDict(
        protected_namespaces=(),
        defer_build=True,
        populate_by_name=True,
        extra="ignore",
    )

    name: str
    description: str | None = None
    parameters: Any | None = None
    """ The JSON Schema of the function's arguments (OpenAI's key). """
    arguments: Any | None = None
    """ The same JSON Schema under TGI's own key (accepted as an alias of `parameters`). """

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        """Build from a JSON object (lax, as a constructor is)."""
        return cls.model_validate(src_dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object: wire names, fields never set left out."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)
