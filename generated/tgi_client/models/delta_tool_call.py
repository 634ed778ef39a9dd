from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.delta_function import DeltaFunction


T = TypeVar("T", bound="DeltaToolCall")


@_attrs_define
class DeltaToolCall:
    index: int
    id: str
    type_: str
    function: DeltaFunction
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        index = self.index

        id = self.id

        type_ = self.type_

        function = self.function.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "index": index,
                "id": id,
                "type": type_,
                "function": function,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.delta_function import DeltaFunction  # noqa: PLC0415

        d = dict(src_dict)
        index = d.pop("index")

        id = d.pop("id")

        type_ = d.pop("type")

        function = DeltaFunction.from_dict(d.pop("function"))

        delta_tool_call = cls(
            index=index,
            id=id,
            type_=type_,
            function=function,
        )

        delta_tool_call.additional_properties = d
        return delta_tool_call

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
