"""The folder the guarded sessions put first on PYTHONPATH: it holds only `sitecustomize`."""
