"""Writes ``table_0_7_0.py``: every public class, function and field of text-generation 0.7.0
with its default, read from 0.7.0's own signatures. Run it once in 0.7.0's virtualenv:

    .venv-upstream/bin/python tests/compat/make_table.py > tests/compat/table_0_7_0.py
"""

from __future__ import annotations

import importlib
import pprint
import sys
from importlib import metadata
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parents[2]))  # for tests.compat, after 0.7.0
from tests.compat.shapes import MODULES, public


def table() -> dict[str, object]:
    """The description of every module of ``MODULES``."""
    return {name: public(importlib.import_module(name)) for name in MODULES}


def main() -> None:
    version = metadata.version("text-generation")
    print(f'"""The public API of text-generation {version}, written by make_table.py from its own')
    print('signatures (do not edit; regenerate)."""')
    print()
    print("from typing import Any")
    print()
    print(f'VERSION = "{version}"')
    print()
    print(
        "TABLE: dict[str, dict[str, Any]] = " + pprint.pformat(table(), width=96, sort_dicts=True)
    )


if __name__ == "__main__":
    main()
