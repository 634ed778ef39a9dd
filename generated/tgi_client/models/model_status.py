from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ModelStatus")


@_attrs_define
class ModelStatus:
    framework: str
    """ `text-generation-inference` when the model is served by TGI. """
    loaded: bool | Unset = UNSET
    state: str | Unset = UNSET
    compute_type: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        framework = self.framework

        loaded = self.loaded

        state = self.state

        compute_type = self.compute_type

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "framework": framework,
            }
        )
        if loaded is not UNSET:
            field_dict["loaded"] = loaded
        if state is not UNSET:
            field_dict["state"] = state
        if compute_type is not UNSET:
            field_dict["compute_type"] = compute_type

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        framework = d.pop("framework")

        loaded = d.pop("loaded", UNSET)

        state = d.pop("state", UNSET)

        compute_type = d.pop("compute_type", UNSET)

        model_status = cls(
            framework=framework,
            loaded=loaded,
            state=state,
            compute_type=compute_type,
        )

        model_status.additional_properties = d
        return model_status

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
