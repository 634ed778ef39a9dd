from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.json_grammar import JsonGrammar
    from ..models.json_schema_grammar import JsonSchemaGrammar
    from ..models.regex_grammar import RegexGrammar


T = TypeVar("T", bound="GenerateParameters")


@_attrs_define
class GenerateParameters:
    """Generation parameters. Every field may be absent. When the whole object is absent the server samples (`do_sample`
    true); when it is present, absent fields take the defaults below.

    """

    adapter_id: None | str | Unset = UNSET
    """ LoRA adapter id. """
    best_of: int | None | Unset = UNSET
    """ Generate `best_of` sequences and return the one with the highest mean token logprob. """
    decoder_input_details: bool | Unset = UNSET
    """ Return the decoder input token logprobs and ids (`prefill`). Server default false. """
    details: bool | Unset = UNSET
    """ Return generation details. Server default false. """
    do_sample: bool | Unset = UNSET
    """ Activate logits sampling. Server default false (true when `parameters` is absent). """
    frequency_penalty: float | None | Unset = UNSET
    """ Frequency penalty in [-2.0, 2.0]; 0.0 (unset) means no penalty. """
    grammar: JsonGrammar | JsonSchemaGrammar | None | RegexGrammar | Unset = UNSET
    """ Constrain the output to a JSON schema or a regular expression. """
    max_new_tokens: int | None | Unset = UNSET
    """ Maximum number of tokens to generate. Unset, the server fills the context. """
    repetition_penalty: float | None | Unset = UNSET
    """ Repetition penalty, strictly positive; 1.0 (unset) means no penalty. """
    return_full_text: bool | None | Unset = UNSET
    """ Prepend the prompt to the generated text. Unset, false (on `/`, a model-dependent default). """
    seed: int | None | Unset = UNSET
    """ Random sampling seed (u64). """
    stop: list[str] | Unset = UNSET
    """ Stop generating when one of these strings is generated. Not nullable. Server default `[]`. """
    temperature: float | None | Unset = UNSET
    """ Sampling temperature, strictly positive. """
    top_k: int | None | Unset = UNSET
    """ Keep the `top_k` most likely tokens, strictly positive. """
    top_n_tokens: int | None | Unset = UNSET
    """ Return the `top_n_tokens` most likely tokens at each step. """
    top_p: float | None | Unset = UNSET
    """ Nucleus sampling mass, in (0, 1) exclusive. """
    truncate: int | None | Unset = UNSET
    """ Keep only the last `truncate` input tokens. """
    typical_p: float | None | Unset = UNSET
    """ Typical decoding mass, in (0, 1) exclusive. """
    watermark: bool | Unset = UNSET
    """ Watermarking (Kirchenbauer et al.). Server default false. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.json_grammar import JsonGrammar  # noqa: PLC0415
        from ..models.json_schema_grammar import JsonSchemaGrammar  # noqa: PLC0415
        from ..models.regex_grammar import RegexGrammar  # noqa: PLC0415

        adapter_id: None | str | Unset
        if isinstance(self.adapter_id, Unset):
            adapter_id = UNSET
        else:
            adapter_id = self.adapter_id

        best_of: int | None | Unset
        if isinstance(self.best_of, Unset):
            best_of = UNSET
        else:
            best_of = self.best_of

        decoder_input_details = self.decoder_input_details

        details = self.details

        do_sample = self.do_sample

        frequency_penalty: float | None | Unset
        if isinstance(self.frequency_penalty, Unset):
            frequency_penalty = UNSET
        else:
            frequency_penalty = self.frequency_penalty

        grammar: dict[str, Any] | None | Unset
        if isinstance(self.grammar, Unset):
            grammar = UNSET
        elif isinstance(self.grammar, JsonGrammar):
            grammar = self.grammar.to_dict()
        elif isinstance(self.grammar, RegexGrammar):
            grammar = self.grammar.to_dict()
        elif isinstance(self.grammar, JsonSchemaGrammar):
            grammar = self.grammar.to_dict()
        else:
            grammar = self.grammar

        max_new_tokens: int | None | Unset
        if isinstance(self.max_new_tokens, Unset):
            max_new_tokens = UNSET
        else:
            max_new_tokens = self.max_new_tokens

        repetition_penalty: float | None | Unset
        if isinstance(self.repetition_penalty, Unset):
            repetition_penalty = UNSET
        else:
            repetition_penalty = self.repetition_penalty

        return_full_text: bool | None | Unset
        if isinstance(self.return_full_text, Unset):
            return_full_text = UNSET
        else:
            return_full_text = self.return_full_text

        seed: int | None | Unset
        if isinstance(self.seed, Unset):
            seed = UNSET
        else:
            seed = self.seed

        stop: list[str] | Unset = UNSET
        if not isinstance(self.stop, Unset):
            stop = self.stop

        temperature: float | None | Unset
        if isinstance(self.temperature, Unset):
            temperature = UNSET
        else:
            temperature = self.temperature

        top_k: int | None | Unset
        if isinstance(self.top_k, Unset):
            top_k = UNSET
        else:
            top_k = self.top_k

        top_n_tokens: int | None | Unset
        if isinstance(self.top_n_tokens, Unset):
            top_n_tokens = UNSET
        else:
            top_n_tokens = self.top_n_tokens

        top_p: float | None | Unset
        if isinstance(self.top_p, Unset):
            top_p = UNSET
        else:
            top_p = self.top_p

        truncate: int | None | Unset
        if isinstance(self.truncate, Unset):
            truncate = UNSET
        else:
            truncate = self.truncate

        typical_p: float | None | Unset
        if isinstance(self.typical_p, Unset):
            typical_p = UNSET
        else:
            typical_p = self.typical_p

        watermark = self.watermark

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if adapter_id is not UNSET:
            field_dict["adapter_id"] = adapter_id
        if best_of is not UNSET:
            field_dict["best_of"] = best_of
        if decoder_input_details is not UNSET:
            field_dict["decoder_input_details"] = decoder_input_details
        if details is not UNSET:
            field_dict["details"] = details
        if do_sample is not UNSET:
            field_dict["do_sample"] = do_sample
        if frequency_penalty is not UNSET:
            field_dict["frequency_penalty"] = frequency_penalty
        if grammar is not UNSET:
            field_dict["grammar"] = grammar
        if max_new_tokens is not UNSET:
            field_dict["max_new_tokens"] = max_new_tokens
        if repetition_penalty is not UNSET:
            field_dict["repetition_penalty"] = repetition_penalty
        if return_full_text is not UNSET:
            field_dict["return_full_text"] = return_full_text
        if seed is not UNSET:
            field_dict["seed"] = seed
        if stop is not UNSET:
            field_dict["stop"] = stop
        if temperature is not UNSET:
            field_dict["temperature"] = temperature
        if top_k is not UNSET:
            field_dict["top_k"] = top_k
        if top_n_tokens is not UNSET:
            field_dict["top_n_tokens"] = top_n_tokens
        if top_p is not UNSET:
            field_dict["top_p"] = top_p
        if truncate is not UNSET:
            field_dict["truncate"] = truncate
        if typical_p is not UNSET:
            field_dict["typical_p"] = typical_p
        if watermark is not UNSET:
            field_dict["watermark"] = watermark

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.json_grammar import JsonGrammar  # noqa: PLC0415
        from ..models.json_schema_grammar import JsonSchemaGrammar  # noqa: PLC0415
        from ..models.regex_grammar import RegexGrammar  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_adapter_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        adapter_id = _parse_adapter_id(d.pop("adapter_id", UNSET))

        def _parse_best_of(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        best_of = _parse_best_of(d.pop("best_of", UNSET))

        decoder_input_details = d.pop("decoder_input_details", UNSET)

        details = d.pop("details", UNSET)

        do_sample = d.pop("do_sample", UNSET)

        def _parse_frequency_penalty(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        frequency_penalty = _parse_frequency_penalty(d.pop("frequency_penalty", UNSET))

        def _parse_grammar(
            data: object,
        ) -> JsonGrammar | JsonSchemaGrammar | None | RegexGrammar | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_grammar_type_type_0 = JsonGrammar.from_dict(data)

                return componentsschemas_grammar_type_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_grammar_type_type_1 = RegexGrammar.from_dict(data)

                return componentsschemas_grammar_type_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_grammar_type_type_2 = JsonSchemaGrammar.from_dict(
                    data
                )

                return componentsschemas_grammar_type_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(
                JsonGrammar | JsonSchemaGrammar | None | RegexGrammar | Unset, data
            )

        grammar = _parse_grammar(d.pop("grammar", UNSET))

        def _parse_max_new_tokens(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_new_tokens = _parse_max_new_tokens(d.pop("max_new_tokens", UNSET))

        def _parse_repetition_penalty(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        repetition_penalty = _parse_repetition_penalty(
            d.pop("repetition_penalty", UNSET)
        )

        def _parse_return_full_text(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        return_full_text = _parse_return_full_text(d.pop("return_full_text", UNSET))

        def _parse_seed(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        seed = _parse_seed(d.pop("seed", UNSET))

        stop = cast(list[str], d.pop("stop", UNSET))

        def _parse_temperature(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        temperature = _parse_temperature(d.pop("temperature", UNSET))

        def _parse_top_k(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        top_k = _parse_top_k(d.pop("top_k", UNSET))

        def _parse_top_n_tokens(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        top_n_tokens = _parse_top_n_tokens(d.pop("top_n_tokens", UNSET))

        def _parse_top_p(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        top_p = _parse_top_p(d.pop("top_p", UNSET))

        def _parse_truncate(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        truncate = _parse_truncate(d.pop("truncate", UNSET))

        def _parse_typical_p(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        typical_p = _parse_typical_p(d.pop("typical_p", UNSET))

        watermark = d.pop("watermark", UNSET)

        generate_parameters = cls(
            adapter_id=adapter_id,
            best_of=best_of,
            decoder_input_details=decoder_input_details,
            details=details,
            do_sample=do_sample,
            frequency_penalty=frequency_penalty,
            grammar=grammar,
            max_new_tokens=max_new_tokens,
            repetition_penalty=repetition_penalty,
            return_full_text=return_full_text,
            seed=seed,
            stop=stop,
            temperature=temperature,
            top_k=top_k,
            top_n_tokens=top_n_tokens,
            top_p=top_p,
            truncate=truncate,
            typical_p=typical_p,
            watermark=watermark,
        )

        generate_parameters.additional_properties = d
        return generate_parameters

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
