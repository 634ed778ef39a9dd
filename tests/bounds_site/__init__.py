"""The runtime half of the repository-bounds check (see `tests/test_repository_bounds.py`)."""
