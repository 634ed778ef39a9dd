"""The repository-bounds check (see `tests/test_repository_bounds.py`): `scan` (static),
`plugin` and `hook.sitecustomize` (at run time)."""
