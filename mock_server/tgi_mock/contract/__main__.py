"""`python -m tgi_mock.contract`: the `tgi-contract` command (see `tgi_mock.contract.cli`)."""

from __future__ import annotations

import sys

from tgi_mock.contract.cli import main

if __name__ == "__main__":
    sys.exit(main())
