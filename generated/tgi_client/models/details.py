from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field

from ..models.best_of_sequence import BestOfSequence
from ..models.finish_reason import FinishReason
from ..models.input_token import InputToken
from ..models.token import Token


class Details(BaseModel):
    model_config = ConfigDict(
        protected_namespaces=(),
        defer_build=True,
        populate_by_name=True,
        extra="ignore",
    )

    finish_reason: FinishReason
    generated_tokens: int = Field(ge=0, le=4294967295)
    seed: int | None = Field(default=None, ge=0)
    """ The seed used when the request sampled, else null. May exceed 2^53. """
    prefill: list[InputToken]
    """ Empty unless `decoder_input_details`. """
    tokens: list[Token]
    top_tokens: list[list[Token]] | None = None
    """ One list per generated token; left out by the server unless `top_n_tokens` > 0. """
    best_of_sequences: list[BestOfSequence] | None = None
    """ The N-1 losing sequences of `best_of` = N; left out by the server unless `best_of` > 1. """

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        """Build from a JSON object (lax, as a constructor is)."""
        return cls.model_validate(src_dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object: wire names, fields never set left out."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)
