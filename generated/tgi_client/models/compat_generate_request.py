from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.generate_parameters import GenerateParameters


T = TypeVar("T", bound="CompatGenerateRequest")


@_attrs_define
class CompatGenerateRequest:
    inputs: str
    """ The prompt. """
    parameters: GenerateParameters | Unset = UNSET
    """ Generation parameters. Every field may be absent. When the whole object is absent the server samples
    (`do_sample` true); when it is present, absent fields take the defaults below. """
    stream: bool | Unset = UNSET
    """ Answer with Server-Sent Events. Server default false. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        inputs = self.inputs

        parameters: dict[str, Any] | Unset = UNSET
        if not isinstance(self.parameters, Unset):
            parameters = self.parameters.to_dict()

        stream = self.stream

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "inputs": inputs,
            }
        )
        if parameters is not UNSET:
            field_dict["parameters"] = parameters
        if stream is not UNSET:
            field_dict["stream"] = stream

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.generate_parameters import GenerateParameters  # noqa: PLC0415

        d = dict(src_dict)
        inputs = d.pop("inputs")

        _parameters = d.pop("parameters", UNSET)
        parameters: GenerateParameters | Unset
        if isinstance(_parameters, Unset):
            parameters = UNSET
        else:
            parameters = GenerateParameters.from_dict(_parameters)

        stream = d.pop("stream", UNSET)

        compat_generate_request = cls(
            inputs=inputs,
            parameters=parameters,
            stream=stream,
        )

        compat_generate_request.additional_properties = d
        return compat_generate_request

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
