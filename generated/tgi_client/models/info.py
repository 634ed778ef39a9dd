from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Info")


@_attrs_define
class Info:
    model_id: str
    max_concurrent_requests: int
    max_best_of: int
    max_stop_sequences: int
    max_total_tokens: int
    validation_workers: int
    max_client_batch_size: int
    router: str
    version: str
    model_sha: None | str | Unset = UNSET
    model_pipeline_tag: None | str | Unset = UNSET
    max_input_tokens: int | Unset = UNSET
    """ Sent by TGI 2.1 and later (older servers send `max_input_length`). """
    sha: None | str | Unset = UNSET
    docker_label: None | str | Unset = UNSET
    max_input_length: int | Unset = UNSET
    """ TGI 2.0 and older only. """
    model_dtype: str | Unset = UNSET
    """ TGI 2.2 and older only. """
    model_device_type: str | Unset = UNSET
    """ TGI 2.2 and older only. """
    waiting_served_ratio: float | Unset = UNSET
    """ TGI 2.2 and older only. """
    max_batch_total_tokens: int | Unset = UNSET
    """ TGI 2.2 and older only. """
    max_waiting_tokens: int | Unset = UNSET
    """ TGI 2.2 and older only. """
    max_batch_size: int | None | Unset = UNSET
    """ TGI 2.2 and older only. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        model_id = self.model_id

        max_concurrent_requests = self.max_concurrent_requests

        max_best_of = self.max_best_of

        max_stop_sequences = self.max_stop_sequences

        max_total_tokens = self.max_total_tokens

        validation_workers = self.validation_workers

        max_client_batch_size = self.max_client_batch_size

        router = self.router

        version = self.version

        model_sha: None | str | Unset
        if isinstance(self.model_sha, Unset):
            model_sha = UNSET
        else:
            model_sha = self.model_sha

        model_pipeline_tag: None | str | Unset
        if isinstance(self.model_pipeline_tag, Unset):
            model_pipeline_tag = UNSET
        else:
            model_pipeline_tag = self.model_pipeline_tag

        max_input_tokens = self.max_input_tokens

        sha: None | str | Unset
        if isinstance(self.sha, Unset):
            sha = UNSET
        else:
            sha = self.sha

        docker_label: None | str | Unset
        if isinstance(self.docker_label, Unset):
            docker_label = UNSET
        else:
            docker_label = self.docker_label

        max_input_length = self.max_input_length

        model_dtype = self.model_dtype

        model_device_type = self.model_device_type

        waiting_served_ratio = self.waiting_served_ratio

        max_batch_total_tokens = self.max_batch_total_tokens

        max_waiting_tokens = self.max_waiting_tokens

        max_batch_size: int | None | Unset
        if isinstance(self.max_batch_size, Unset):
            max_batch_size = UNSET
        else:
            max_batch_size = self.max_batch_size

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "model_id": model_id,
                "max_concurrent_requests": max_concurrent_requests,
                "max_best_of": max_best_of,
                "max_stop_sequences": max_stop_sequences,
                "max_total_tokens": max_total_tokens,
                "validation_workers": validation_workers,
                "max_client_batch_size": max_client_batch_size,
                "router": router,
                "version": version,
            }
        )
        if model_sha is not UNSET:
            field_dict["model_sha"] = model_sha
        if model_pipeline_tag is not UNSET:
            field_dict["model_pipeline_tag"] = model_pipeline_tag
        if max_input_tokens is not UNSET:
            field_dict["max_input_tokens"] = max_input_tokens
        if sha is not UNSET:
            field_dict["sha"] = sha
        if docker_label is not UNSET:
            field_dict["docker_label"] = docker_label
        if max_input_length is not UNSET:
            field_dict["max_input_length"] = max_input_length
        if model_dtype is not UNSET:
            field_dict["model_dtype"] = model_dtype
        if model_device_type is not UNSET:
            field_dict["model_device_type"] = model_device_type
        if waiting_served_ratio is not UNSET:
            field_dict["waiting_served_ratio"] = waiting_served_ratio
        if max_batch_total_tokens is not UNSET:
            field_dict["max_batch_total_tokens"] = max_batch_total_tokens
        if max_waiting_tokens is not UNSET:
            field_dict["max_waiting_tokens"] = max_waiting_tokens
        if max_batch_size is not UNSET:
            field_dict["max_batch_size"] = max_batch_size

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        model_id = d.pop("model_id")

        max_concurrent_requests = d.pop("max_concurrent_requests")

        max_best_of = d.pop("max_best_of")

        max_stop_sequences = d.pop("max_stop_sequences")

        max_total_tokens = d.pop("max_total_tokens")

        validation_workers = d.pop("validation_workers")

        max_client_batch_size = d.pop("max_client_batch_size")

        router = d.pop("router")

        version = d.pop("version")

        def _parse_model_sha(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        model_sha = _parse_model_sha(d.pop("model_sha", UNSET))

        def _parse_model_pipeline_tag(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        model_pipeline_tag = _parse_model_pipeline_tag(
            d.pop("model_pipeline_tag", UNSET)
        )

        max_input_tokens = d.pop("max_input_tokens", UNSET)

        def _parse_sha(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        sha = _parse_sha(d.pop("sha", UNSET))

        def _parse_docker_label(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        docker_label = _parse_docker_label(d.pop("docker_label", UNSET))

        max_input_length = d.pop("max_input_length", UNSET)

        model_dtype = d.pop("model_dtype", UNSET)

        model_device_type = d.pop("model_device_type", UNSET)

        waiting_served_ratio = d.pop("waiting_served_ratio", UNSET)

        max_batch_total_tokens = d.pop("max_batch_total_tokens", UNSET)

        max_waiting_tokens = d.pop("max_waiting_tokens", UNSET)

        def _parse_max_batch_size(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        max_batch_size = _parse_max_batch_size(d.pop("max_batch_size", UNSET))

        info = cls(
            model_id=model_id,
            max_concurrent_requests=max_concurrent_requests,
            max_best_of=max_best_of,
            max_stop_sequences=max_stop_sequences,
            max_total_tokens=max_total_tokens,
            validation_workers=validation_workers,
            max_client_batch_size=max_client_batch_size,
            router=router,
            version=version,
            model_sha=model_sha,
            model_pipeline_tag=model_pipeline_tag,
            max_input_tokens=max_input_tokens,
            sha=sha,
            docker_label=docker_label,
            max_input_length=max_input_length,
            model_dtype=model_dtype,
            model_device_type=model_device_type,
            waiting_served_ratio=waiting_served_ratio,
            max_batch_total_tokens=max_batch_total_tokens,
            max_waiting_tokens=max_waiting_tokens,
            max_batch_size=max_batch_size,
        )

        info.additional_properties = d
        return info

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
