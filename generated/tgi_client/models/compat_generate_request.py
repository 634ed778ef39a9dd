from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from pydantic import BaseModel, ConfigDict

from ..models.generate_parameters import GenerateParameters


class CompatGenerateRequest(BaseModel):
    model_config = ConfigDict(
        protected_namespaces=(),
        defer_build=True,
        populate_by_name=True,
        extra="ignore",
    )

    inputs: str
    """ The prompt. """
    parameters: GenerateParameters | None = None
    """ Generation parameters. Every field may be absent. When the whole object is absent the server samples
    (`do_sample` true); when it is present, absent fields take the defaults below. """
    stream: bool | None = None
    """ Answer with Server-Sent Events. Server default false. """

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        """Build from a JSON object (lax, as a constructor is)."""
        return cls.model_validate(src_dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object: wire names, fields never set left out."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)
