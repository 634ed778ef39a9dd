from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.finish_reason import FinishReason, check_finish_reason
from ..types import UNSET, Unset

T = TypeVar("T", bound="StreamDetails")


@_attrs_define
class StreamDetails:
    finish_reason: FinishReason
    generated_tokens: int
    seed: int | None
    input_length: int | Unset = UNSET
    """ Number of input tokens. Sent by TGI 2.x and later; absent from older servers. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        finish_reason: str = self.finish_reason

        generated_tokens = self.generated_tokens

        seed: int | None
        seed = self.seed

        input_length = self.input_length

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "finish_reason": finish_reason,
                "generated_tokens": generated_tokens,
                "seed": seed,
            }
        )
        if input_length is not UNSET:
            field_dict["input_length"] = input_length

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        finish_reason = check_finish_reason(d.pop("finish_reason"))

        generated_tokens = d.pop("generated_tokens")

        def _parse_seed(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        seed = _parse_seed(d.pop("seed"))

        input_length = d.pop("input_length", UNSET)

        stream_details = cls(
            finish_reason=finish_reason,
            generated_tokens=generated_tokens,
            seed=seed,
            input_length=input_length,
        )

        stream_details.additional_properties = d
        return stream_details

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
