from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field


class Info(BaseModel):
    """What `/info` reports. Keys a newer server adds are kept (`model_extra`)."""

    model_config = ConfigDict(
        protected_namespaces=(),
        defer_build=True,
        populate_by_name=True,
        extra="allow",
    )

    model_id: str
    model_sha: str | None = None
    model_pipeline_tag: str | None = None
    max_concurrent_requests: int = Field(ge=0)
    max_best_of: int = Field(ge=0)
    max_stop_sequences: int = Field(ge=0)
    max_input_tokens: int | None = Field(default=None, ge=0)
    """ Sent by TGI 2.1 and later (older servers send `max_input_length`). """
    max_total_tokens: int = Field(ge=0)
    validation_workers: int = Field(ge=0)
    max_client_batch_size: int = Field(ge=0)
    router: str
    version: str
    sha: str | None = None
    docker_label: str | None = None
    max_input_length: int | None = Field(default=None, ge=0)
    """ TGI 2.0 and older only. """
    model_dtype: str | None = None
    """ TGI 2.2 and older only. """
    model_device_type: str | None = None
    """ TGI 2.2 and older only. """
    waiting_served_ratio: float | None = None
    """ TGI 2.2 and older only. """
    max_batch_total_tokens: int | None = None
    """ TGI 2.2 and older only. """
    max_waiting_tokens: int | None = None
    """ TGI 2.2 and older only. """
    max_batch_size: int | None = None
    """ TGI 2.2 and older only. """

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        """Build from a JSON object (lax, as a constructor is)."""
        return cls.model_validate(src_dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object: wire names, fields never set left out."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)
