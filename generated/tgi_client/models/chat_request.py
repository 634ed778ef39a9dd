from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field

from ..models.json_grammar import JsonGrammar
from ..models.json_schema_grammar import JsonSchemaGrammar
from ..models.message import Message
from ..models.regex_grammar import RegexGrammar
from ..models.stream_options import StreamOptions
from ..models.tool import Tool
from ..models.tool_choice_function import ToolChoiceFunction


class ChatRequest(BaseModel):
    model_config = ConfigDict(
        protected_namespaces=(),
        defer_build=True,
        populate_by_name=True,
        extra="ignore",
    )

    messages: list[Message]
    model: str | None = None
    """ `tgi`, or a LoRA adapter id. """
    frequency_penalty: float | None = None
    repetition_penalty: float | None = None
    """ Not read by TGI (sent by the 0.7.0 client). """
    logit_bias: list[float] | None = None
    logprobs: bool | None = None
    top_logprobs: int | None = Field(default=None, ge=0)
    max_tokens: int | None = Field(default=None, ge=0)
    n: int | None = Field(default=None, ge=0)
    presence_penalty: float | None = None
    stop: list[str] | None = None
    stream: bool | None = None
    seed: int | None = Field(default=None, ge=0)
    temperature: float | None = None
    top_p: float | None = None
    tools: list[Tool] | None = None
    tool_prompt: str | None = None
    tool_choice: str | ToolChoiceFunction | None = None
    """ `auto`, `none`, `required`, a function name, or `{type: function, function: {name}}`. """
    response_format: JsonGrammar | RegexGrammar | JsonSchemaGrammar | None = None
    stream_options: StreamOptions | None = None

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        """Build from a JSON object (lax, as a constructor is)."""
        return cls.model_validate(src_dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object: wire names, fields never set left out."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)
