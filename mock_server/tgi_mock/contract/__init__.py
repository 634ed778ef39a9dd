"""
Contract testing of TGI-compatible servers: `tgi-contract verify`, `tgi-contract record` and the
replay server behind `python -m tgi_mock --replay DIR`.

- `verify(url)` (`tgi_mock.contract.runner`) checks a live server against `openapi.yaml`
  (`schema.*` checks, `.schema_checks` and `.fuzz`) and against TGI's behaviour
  (`.checks`, `.limits`) and returns a `Report` (printed by `.report`).
- `RecordingProxy` (`.proxy`) forwards requests to a live server and saves each exchange in the
  format of `.recording`; `ReplayApp` (`.replay`) serves such recordings.

Like the rest of `tgi_mock`, this package never imports the client under test
(`text_generation`): it speaks HTTP with httpx.
"""

from __future__ import annotations

__all__: list[str] = []
