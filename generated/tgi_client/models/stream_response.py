from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field

from ..models.stream_details import StreamDetails
from ..models.token import Token


class StreamResponse(BaseModel):
    """One `data:` event of a TGI-native stream."""

    model_config = ConfigDict(
        protected_namespaces=(),
        defer_build=True,
        populate_by_name=True,
        extra="ignore",
    )

    token: Token
    top_tokens: list[Token] | None = None
    """ This step's most likely tokens; left out unless `top_n_tokens` > 0. """
    generated_text: str | None = None
    """ The full text, on the last event only. """
    details: StreamDetails | None = None
    """ On the last event only, when `details` was asked. """
    index: int | None = Field(default=None, ge=0, le=4294967295)
    """ Position of the token, from 1. Sent by TGI 2.x and later; absent from older servers. """

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        """Build from a JSON object (lax, as a constructor is)."""
        return cls.model_validate(src_dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object: wire names, fields never set left out."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)
