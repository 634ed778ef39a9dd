"""A client for text-generation-inference (TGI) servers, a drop-in replacement for
text-generation 0.7.0: ``Client``, ``AsyncClient``, ``InferenceAPIClient``,
``InferenceAPIAsyncClient``; types in ``text_generation.types``, errors in
``text_generation.errors``.

Importing it warns (``SharedFolderWarning``) when text-generation is installed beside it: both
own the folder ``text_generation/`` (see the README's migration section)."""

import os as _os

from text_generation._install import warn_if_shared as _warn_if_shared
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

_warn_if_shared(_os.path.dirname(_os.path.abspath(__file__)))
