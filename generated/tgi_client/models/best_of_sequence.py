from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.finish_reason import FinishReason, check_finish_reason
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.prefill_token import PrefillToken
    from ..models.token import Token


T = TypeVar("T", bound="BestOfSequence")


@_attrs_define
class BestOfSequence:
    generated_text: str
    finish_reason: FinishReason
    generated_tokens: int
    seed: int | None
    prefill: list[PrefillToken]
    tokens: list[Token]
    top_tokens: list[list[Token]] | None | Unset = UNSET
    """ One list per generated token; left out by the server unless `top_n_tokens` > 0. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        generated_text = self.generated_text

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
                "generated_text": generated_text,
                "finish_reason": finish_reason,
                "generated_tokens": generated_tokens,
                "seed": seed,
                "prefill": prefill,
                "tokens": tokens,
            }
        )
        if top_tokens is not UNSET:
            field_dict["top_tokens"] = top_tokens

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.prefill_token import PrefillToken  # noqa: PLC0415
        from ..models.token import Token  # noqa: PLC0415

        d = dict(src_dict)
        generated_text = d.pop("generated_text")

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

        best_of_sequence = cls(
            generated_text=generated_text,
            finish_reason=finish_reason,
            generated_tokens=generated_tokens,
            seed=seed,
            prefill=prefill,
            tokens=tokens,
            top_tokens=top_tokens,
        )

        best_of_sequence.additional_properties = d
        return best_of_sequence

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
