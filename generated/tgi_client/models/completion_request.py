from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field


class CompletionRequest(BaseModel):
    model_config = ConfigDict(
        protected_namespaces=(),
        defer_build=True,
        populate_by_name=True,
        extra="ignore",
    )

    prompt: str | list[str]
    """ A prompt, or a non-empty list of prompts. """
    model: str | None = None
    max_tokens: int | None = Field(default=None, ge=0)
    temperature: float | None = None
    top_p: float | None = None
    stream: bool | None = None
    seed: int | None = Field(default=None, ge=0)
    suffix: str | None = None
    """ Not supported; any value gives a 422. """
    repetition_penalty: float | None = None
    frequency_penalty: float | None = None
    stop: list[str] | None = None

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        """Build from a JSON object (lax, as a constructor is)."""
        return cls.model_validate(src_dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object: wire names, fields never set left out."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)
