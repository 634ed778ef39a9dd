from typing import Literal

FinishReason = Literal["eos_token", "length", "stop_sequence"]

FINISH_REASON_VALUES: set[FinishReason] = {
    "eos_token",
    "length",
    "stop_sequence",
}


def check_finish_reason(value: str) -> FinishReason:
    if value in FINISH_REASON_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {FINISH_REASON_VALUES!r}"
    )
