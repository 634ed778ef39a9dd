"""`python -m tgi_mock`: run the mock TGI server (see `tgi_mock.cli`)."""

from __future__ import annotations

import sys

from tgi_mock.cli import main

if __name__ == "__main__":
    sys.exit(main())
