from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field

from ..models.finish_reason import FinishReason
from ..models.input_token import InputToken
from ..models.token import Token


class BestOfSequence(BaseModel):
    model_config = ConfigDict(
        protected_namespaces=(),
        defer_build=True,
        populate_by_name=True,
        extra="ignore",
    )

    generated_text: str
    finish_reason: FinishReason
    generated_tokens: int = Field(ge=0, le=4294967295)
    seed: int | None = Field(default=None, ge=0)
    prefill: list[InputToken]
    tokens: list[Token]
    top_tokens: list[list[Token]] | None = None
    """ One list per generated token; left out by the server unless `top_n_tokens` > 0. """

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        """Build from a JSON object (lax, as a constructor is)."""
        return cls.model_validate(src_dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object: wire names, fields never set left out."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)
