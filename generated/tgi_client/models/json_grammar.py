from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.json_grammar_type import JsonGrammarType, check_json_grammar_type

if TYPE_CHECKING:
    from ..models.json_grammar_value_type_0 import JsonGrammarValueType0


T = TypeVar("T", bound="JsonGrammar")


@_attrs_define
class JsonGrammar:
    type_: JsonGrammarType
    """ `json_object` is an alias of `json`. """
    value: JsonGrammarValueType0 | str
    """ A JSON Schema, as an object or as a JSON string. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.json_grammar_value_type_0 import JsonGrammarValueType0  # noqa: PLC0415

        type_: str = self.type_

        value: dict[str, Any] | str
        if isinstance(self.value, JsonGrammarValueType0):
            value = self.value.to_dict()
        else:
            value = self.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "value": value,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.json_grammar_value_type_0 import JsonGrammarValueType0  # noqa: PLC0415

        d = dict(src_dict)
        type_ = check_json_grammar_type(d.pop("type"))

        def _parse_value(data: object) -> JsonGrammarValueType0 | str:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                value_type_0 = JsonGrammarValueType0.from_dict(data)

                return value_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(JsonGrammarValueType0 | str, data)

        value = _parse_value(d.pop("value"))

        json_grammar = cls(
            type_=type_,
            value=value,
        )

        json_grammar.additional_properties = d
        return json_grammar

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
