"""W5: the cold import of the client, in fresh interpreters of this client's venv.

Each sample is a new ``python -P -c`` in an empty directory (nothing shadows the venv) that times
the client's import (``IMPORTS``: ``from text_generation import Client, AsyncClient`` for ours
and 0.7.0, ``import httpx``, huggingface_hub's and openai's sync and async clients) and reports its
peak RSS; bare interpreters give the baseline RSS. The standard library only.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from typing import Any

_IMPORT_CODE = """\
import json, resource, sys, time
t0 = time.perf_counter()
{statement}
elapsed = time.perf_counter() - t0
print(json.dumps({{"import_s": elapsed,
                  "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "module_file": getattr(sys.modules.get("{module}"), "__file__", None)}}))
"""


#: client -> (the import statement timed, the module whose file identifies the install)
IMPORTS = {
    "ours": ("from text_generation import Client, AsyncClient", "text_generation"),
    "upstream": ("from text_generation import Client, AsyncClient", "text_generation"),
    "httpx": ("import httpx", "httpx"),
    "hfhub": (
        "from huggingface_hub import InferenceClient, AsyncInferenceClient",
        "huggingface_hub",
    ),
    "openai": ("from openai import OpenAI, AsyncOpenAI", "openai"),
}


def _fresh(statement: str, module: str) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as cwd:  # -P and a bare cwd: nothing shadows the venv
        out = subprocess.run(
            [sys.executable, "-P", "-c", _IMPORT_CODE.format(statement=statement, module=module)],
            cwd=cwd,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONDONTWRITEBYTECODE": ""},
        )
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def w5(client: str, repeat: int) -> dict[str, Any]:
    """Import time and peak RSS of a fresh interpreter importing the client, medians."""
    statement, module = IMPORTS[client]
    _fresh(statement, module)  # writes any missing .pyc files
    samples = [_fresh(statement, module) for _ in range(repeat)]
    bare = [_fresh("pass", module) for _ in range(max(repeat // 2, 1))]
    import_s = statistics.median(s["import_s"] for s in samples)
    rss_mb = statistics.median(s["maxrss_kb"] for s in samples) / 1024
    bare_mb = statistics.median(s["maxrss_kb"] for s in bare) / 1024
    return {
        "value": import_s,
        "unit": "s",
        "elapsed_s": import_s,
        "samples_s": [s["import_s"] for s in samples],
        "peak_rss_mb": rss_mb,
        "bare_rss_mb": bare_mb,
        "import_rss_mb": rss_mb - bare_mb,
        "statement": statement,
        "import_module_file": samples[0]["module_file"],
    }
