from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, Field

from ..models.json_grammar import JsonGrammar
from ..models.json_schema_grammar import JsonSchemaGrammar
from ..models.regex_grammar import RegexGrammar


class GenerateParameters(BaseModel):
    """Generation parameters. Every field may be absent. When the whole object is absent the server samples (`do_sample`
    true); when it is present, absent fields take the defaults below.

    """

    model_config = ConfigDict(
        protected_namespaces=(),
        defer_build=True,
        populate_by_name=True,
        extra="ignore",
    )

    adapter_id: str | None = None
    """ LoRA adapter id. """
    best_of: int | None = Field(default=None, ge=0)
    """ Generate `best_of` sequences and return the one with the highest mean token logprob. """
    decoder_input_details: bool | None = None
    """ Return the decoder input token logprobs and ids (`prefill`). Server default false. """
    details: bool | None = None
    """ Return generation details. Server default false. """
    do_sample: bool | None = None
    """ Activate logits sampling. Server default false (true when `parameters` is absent). """
    frequency_penalty: float | None = None
    """ Frequency penalty in [-2.0, 2.0]; 0.0 (unset) means no penalty. """
    grammar: JsonGrammar | RegexGrammar | JsonSchemaGrammar | None = None
    """ Constrain the output to a JSON schema or a regular expression. """
    max_new_tokens: int | None = Field(default=None, ge=0, le=4294967295)
    """ Maximum number of tokens to generate. Unset, the server fills the context. """
    repetition_penalty: float | None = None
    """ Repetition penalty, strictly positive; 1.0 (unset) means no penalty. """
    return_full_text: bool | None = None
    """ Prepend the prompt to the generated text. Unset, false (on `/`, a model-dependent default). """
    seed: int | None = Field(default=None, ge=0)
    """ Random sampling seed (u64). """
    stop: list[str] | None = None
    """ Stop generating when one of these strings is generated. Not nullable. Server default `[]`. """
    temperature: float | None = None
    """ Sampling temperature, strictly positive. """
    top_k: int | None = None
    """ Keep the `top_k` most likely tokens, strictly positive. """
    top_n_tokens: int | None = Field(default=None, ge=0, le=4294967295)
    """ Return the `top_n_tokens` most likely tokens at each step. """
    top_p: float | None = None
    """ Nucleus sampling mass, in (0, 1) exclusive. """
    truncate: int | None = Field(default=None, ge=0)
    """ Keep only the last `truncate` input tokens. """
    typical_p: float | None = None
    """ Typical decoding mass, in (0, 1) exclusive. """
    watermark: bool | None = None
    """ Watermarking (Kirchenbauer et al.). Server default false. """

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        """Build from a JSON object (lax, as a constructor is)."""
        return cls.model_validate(src_dict)

    def to_dict(self) -> dict[str, Any]:
        """The JSON object: wire names, fields never set left out."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)
