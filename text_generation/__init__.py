"""A client for text-generation-inference (TGI) servers, a drop-in replacement for
text-generation 0.7.0: ``Client``, ``AsyncClient``, ``InferenceAPIClient``,
``InferenceAPIAsyncClient``; types in ``text_generation.types``, errors in
``text_generation.errors``."""

from text_generation._version import __version__
from text_generation.client import AsyncClient, Client
from text_generation.inference_api import InferenceAPIAsyncClient, InferenceAPIClient

__all__ = [
    "AsyncClient",
    "Client",
    "InferenceAPIAsyncClient",
    "InferenceAPIClient",
    "__version__",
]
