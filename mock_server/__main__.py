"""`python -m mock_server`: run the mock TGI server (see `mock_server.cli`)."""

from __future__ import annotations

import sys

from mock_server.cli import main

if __name__ == "__main__":
    sys.exit(main())
