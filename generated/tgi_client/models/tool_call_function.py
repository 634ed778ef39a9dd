from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.tool_call_function_arguments_type_1 import (
        ToolCallFunctionArgumentsType1,
    )


T = TypeVar("T", bound="ToolCallFunction")


@_attrs_define
class ToolCallFunction:
    """The function of a tool call, as the server sends it and as a client replays it."""

    name: str
    arguments: str | ToolCallFunctionArgumentsType1
    """ The call's arguments: a JSON string (TGI 3.x) or a JSON object (TGI 2.x). """
    description: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.tool_call_function_arguments_type_1 import (
            ToolCallFunctionArgumentsType1,  # noqa: PLC0415
        )

        name = self.name

        arguments: dict[str, Any] | str
        if isinstance(self.arguments, ToolCallFunctionArgumentsType1):
            arguments = self.arguments.to_dict()
        else:
            arguments = self.arguments

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "name": name,
                "arguments": arguments,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.tool_call_function_arguments_type_1 import (
            ToolCallFunctionArgumentsType1,  # noqa: PLC0415
        )

        d = dict(src_dict)
        name = d.pop("name")

        def _parse_arguments(data: object) -> str | ToolCallFunctionArgumentsType1:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                arguments_type_1 = ToolCallFunctionArgumentsType1.from_dict(data)

                return arguments_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(str | ToolCallFunctionArgumentsType1, data)

        arguments = _parse_arguments(d.pop("arguments"))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        tool_call_function = cls(
            name=name,
            arguments=arguments,
            description=description,
        )

        tool_call_function.additional_properties = d
        return tool_call_function

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
