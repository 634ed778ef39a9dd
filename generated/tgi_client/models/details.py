from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.finish_reason import FinishReason, check_finish_reason
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.best_of_sequence import BestOfSequence
    from ..models.prefill_token import PrefillToken
    from ..models.token import Token


T = TypeVar("T", bound="Details")


@_attrs_define
class Details:
    finish_reason: FinishReason
    generated_tokens: int
    seed: int | None
    """ The seed used when the request sampled, else null. May exceed 2^53. """
    prefill: list[PrefillToken]
    """ Empty unless `decoder_input_details`. """
    tokens: list[Token]
    best_of_sequences: list[BestOfSequence] | None | Unset = UNSET
    """ The N-1 losing sequences of `best_of` = N; left out by the server unless `best_of` > 1. """
    top_tokens: list[list[Token]] | None | Unset = UNSET
    """ One list per generated token; left out by the server unless `top_n_tokens` > 0. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        finish_reason: str = self.finish_reason

        generated_tokens = self.generated_tokens

        seed: int | None
        seed = self.seed

        prefill = []
        for prefill_item_data in self.prefill:
            prefill_item = prefill_item_data.to_dict()
            prefill.append(prefill_item)

        tokens = []
        for tokens_item_data in self.tokens:
            tokens_item = tokens_item_data.to_dict()
            tokens.append(tokens_item)

        best_of_sequences: list[dict[str, Any]] | None | Unset
        if isinstance(self.best_of_sequences, Unset):
            best_of_sequences = UNSET
        elif isinstance(self.best_of_sequences, list):
            best_of_sequences = []
            for best_of_sequences_type_0_item_data in self.best_of_sequences:
                best_of_sequences_type_0_item = (
                    best_of_sequences_type_0_item_data.to_dict()
                )
                best_of_sequences.append(best_of_sequences_type_0_item)

        else:
            best_of_sequences = self.best_of_sequences

        top_tokens: list[list[dict[str, Any]]] | None | Unset
        if isinstance(self.top_tokens, Unset):
            top_tokens = UNSET
        elif isinstance(self.top_tokens, list):
            top_tokens = []
            for top_tokens_type_0_item_data in self.top_tokens:
                top_tokens_type_0_item = []
                for top_tokens_type_0_item_item_data in top_tokens_type_0_item_data:
                    top_tokens_type_0_item_item = (
                        top_tokens_type_0_item_item_data.to_dict()
                    )
                    top_tokens_type_0_item.append(top_tokens_type_0_item_item)

                top_tokens.append(top_tokens_type_0_item)

        else:
            top_tokens = self.top_tokens

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "finish_reason": finish_reason,
                "generated_tokens": generated_tokens,
                "seed": seed,
                "prefill": prefill,
                "tokens": tokens,
            }
        )
        if best_of_sequences is not UNSET:
            field_dict["best_of_sequences"] = best_of_sequences
        if top_tokens is not UNSET:
            field_dict["top_tokens"] = top_tokens

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.best_of_sequence import BestOfSequence  # noqa: PLC0415
        from ..models.prefill_token import PrefillToken  # noqa: PLC0415
        from ..models.token import Token  # noqa: PLC0415

        d = dict(src_dict)
        finish_reason = check_finish_reason(d.pop("finish_reason"))

        generated_tokens = d.pop("generated_tokens")

        def _parse_seed(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        seed = _parse_seed(d.pop("seed"))

        prefill = []
        _prefill = d.pop("prefill")
        for prefill_item_data in _prefill:
            prefill_item = PrefillToken.from_dict(prefill_item_data)

            prefill.append(prefill_item)

        tokens = []
        _tokens = d.pop("tokens")
        for tokens_item_data in _tokens:
            tokens_item = Token.from_dict(tokens_item_data)

            tokens.append(tokens_item)

        def _parse_best_of_sequences(
            data: object,
        ) -> list[BestOfSequence] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                best_of_sequences_type_0 = []
                _best_of_sequences_type_0 = data
                for best_of_sequences_type_0_item_data in _best_of_sequences_type_0:
                    best_of_sequences_type_0_item = BestOfSequence.from_dict(
                        best_of_sequences_type_0_item_data
                    )

                    best_of_sequences_type_0.append(best_of_sequences_type_0_item)

                return best_of_sequences_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[BestOfSequence] | None | Unset, data)

        best_of_sequences = _parse_best_of_sequences(d.pop("best_of_sequences", UNSET))

        def _parse_top_tokens(data: object) -> list[list[Token]] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                top_tokens_type_0 = []
                _top_tokens_type_0 = data
                for top_tokens_type_0_item_data in _top_tokens_type_0:
                    top_tokens_type_0_item = []
                    _top_tokens_type_0_item = top_tokens_type_0_item_data
                    for top_tokens_type_0_item_item_data in _top_tokens_type_0_item:
                        top_tokens_type_0_item_item = Token.from_dict(
                            top_tokens_type_0_item_item_data
                        )

                        top_tokens_type_0_item.append(top_tokens_type_0_item_item)

                    top_tokens_type_0.append(top_tokens_type_0_item)

                return top_tokens_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[list[Token]] | None | Unset, data)

        top_tokens = _parse_top_tokens(d.pop("top_tokens", UNSET))

        details = cls(
            finish_reason=finish_reason,
            generated_tokens=generated_tokens,
            seed=seed,
            prefill=prefill,
            tokens=tokens,
            best_of_sequences=best_of_sequences,
            top_tokens=top_tokens,
        )

        details.additional_properties = d
        return details

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
