"""Errors of the Inference API clients that say where: which service (the Hub API, the Inference
Providers router, or a self-hosted ``HF_INFERENCE_ENDPOINT``) could not be reached, and the retired
``api-inference.huggingface.co`` answer as ``EndpointRetiredError``."""

from __future__ import annotations

from dataclasses import dataclass

from text_generation import _hub
from text_generation.errors import (
    APIConnectionError,
    APITimeoutError,
    EndpointRetiredError,
    StreamInterruptedError,
    TextGenerationError,
)


@dataclass(frozen=True)
class Where:
    """The service a request went to, to name it (and ``HF_INFERENCE_ENDPOINT``) in errors."""

    kind: str  # "hub", "router" or "legacy"
    url: str

    @classmethod
    def hub(cls) -> Where:
        return cls("hub", _hub.hub_endpoint())

    def hint(self) -> str:
        if self.kind == "legacy":
            return (
                f"cannot reach the Inference API at {self.url} (HF_INFERENCE_ENDPOINT); unset "
                f"HF_INFERENCE_ENDPOINT to use the Inference Providers router ({_hub.ROUTER_URL})"
            )
        if self.kind == "hub":
            what = (
                f"the Hub API at {self.url} (HF_ENDPOINT), which says which providers serve a model"
            )
        else:
            what = f"the Inference Providers router at {self.url} (router_url=)"
        return f"cannot reach {what}; HF_INFERENCE_ENDPOINT selects a self-hosted Inference API"

    def explain(self, err: TextGenerationError) -> TextGenerationError:
        """``err``, naming this service when it could not be reached; the retired host's answer
        as an ``EndpointRetiredError``."""
        if self.kind == "legacy":
            retired = _retired(err, self.url)
            if retired is not err:
                return retired
        if not isinstance(err, APIConnectionError) or isinstance(err, StreamInterruptedError):
            return err
        if isinstance(err, APITimeoutError) and not err.before_response:
            return err  # it was reached: the answer was slow
        err.message = f"{err.message}: {self.hint()}"
        err.args = (err.message,)
        return err


def _retired(err: TextGenerationError, endpoint: str) -> TextGenerationError:
    """``err`` as an ``EndpointRetiredError`` when it is the retired host's answer."""
    gone = err.status_code == 410 or _hub.RETIRED_TEXT in err.message.lower()
    unreachable = (
        isinstance(err, APIConnectionError)
        and not isinstance(err, APITimeoutError)
        and _hub.is_retired_host(endpoint)
    )
    if not (gone or unreachable):
        return err
    return EndpointRetiredError(
        f"the Inference API at {endpoint} is retired ({err.message}). Unset HF_INFERENCE_ENDPOINT "
        f"to use the Inference Providers router ({_hub.ROUTER_URL}), or set it to a server that "
        "still serves the Inference API.",
        status_code=err.status_code,
        error_type=err.error_type,
    )
