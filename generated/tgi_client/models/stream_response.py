from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.stream_details import StreamDetails
    from ..models.token import Token


T = TypeVar("T", bound="StreamResponse")


@_attrs_define
class StreamResponse:
    """One `data:` event of a TGI-native stream."""

    token: Token
    generated_text: None | str
    """ The full text, on the last event only. """
    details: None | StreamDetails
    """ On the last event only, when `details` was asked. """
    index: int | Unset = UNSET
    """ Position of the token, from 1. Sent by TGI 2.x and later; absent from older servers. """
    top_tokens: list[Token] | Unset = UNSET
    """ This step's most likely tokens; left out unless `top_n_tokens` > 0. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.stream_details import StreamDetails  # noqa: PLC0415

        token = self.token.to_dict()

        generated_text: None | str
        generated_text = self.generated_text

        details: dict[str, Any] | None
        if isinstance(self.details, StreamDetails):
            details = self.details.to_dict()
        else:
            details = self.details

        index = self.index

        top_tokens: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.top_tokens, Unset):
            top_tokens = []
            for top_tokens_item_data in self.top_tokens:
                top_tokens_item = top_tokens_item_data.to_dict()
                top_tokens.append(top_tokens_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "token": token,
                "generated_text": generated_text,
                "details": details,
            }
        )
        if index is not UNSET:
            field_dict["index"] = index
        if top_tokens is not UNSET:
            field_dict["top_tokens"] = top_tokens

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.stream_details import StreamDetails  # noqa: PLC0415
        from ..models.token import Token  # noqa: PLC0415

        d = dict(src_dict)
        token = Token.from_dict(d.pop("token"))

        def _parse_generated_text(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        generated_text = _parse_generated_text(d.pop("generated_text"))

        def _parse_details(data: object) -> None | StreamDetails:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                details_type_0 = StreamDetails.from_dict(data)

                return details_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | StreamDetails, data)

        details = _parse_details(d.pop("details"))

        index = d.pop("index", UNSET)

        _top_tokens = d.pop("top_tokens", UNSET)
        top_tokens: list[Token] | Unset = UNSET
        if _top_tokens is not UNSET:
            top_tokens = []
            for top_tokens_item_data in _top_tokens:
                top_tokens_item = Token.from_dict(top_tokens_item_data)

                top_tokens.append(top_tokens_item)

        stream_response = cls(
            token=token,
            generated_text=generated_text,
            details=details,
            index=index,
            top_tokens=top_tokens,
        )

        stream_response.additional_properties = d
        return stream_response

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
