"""`python -m mock_server.contract`: the `tgi-contract` command (see `mock_server.contract.cli`)."""

from __future__ import annotations

import sys

from mock_server.contract.cli import main

if __name__ == "__main__":
    sys.exit(main())
