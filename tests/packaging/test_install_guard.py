"""Sharing the folder `text_generation/` with text-generation 0.7.0: the warning while both are
installed (`text_generation._install`) and the explanation once uninstalling 0.7.0 broke it
(`install_guard/`), on a hand-made site-packages folder (`tests/packaging/test_wheel.py` goes
through pip for real)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from tests.packaging.tools import ROOT, clean_env
from text_generation._install import SharedFolderWarning, warn_if_shared

UPSTREAM_FILES = ("__init__.py", "client.py", "errors.py", "inference_api.py", "types.py")
"""The files text-generation 0.7.0 installs in text_generation/ (its RECORD), all also ours."""


def site_with_tgi_sdk(site: Path) -> Path:
    """`site` as pip leaves it after installing tgi-sdk: the package and the guard."""
    shutil.copytree(ROOT / "text_generation", site / "text_generation")
    for name in ("_tgi_sdk_guard.py", "tgi_sdk_guard.pth"):
        shutil.copy(ROOT / "install_guard" / name, site / name)
    return site


def import_from(site: Path, code: str) -> subprocess.CompletedProcess[str]:
    """Run `code` with `site` as the first site-packages folder (its .pth files processed) and
    without this checkout on the path; the other dependencies come from our environment."""
    prelude = (
        "import site, sys\n"
        f"sys.path[:] = [p for p in sys.path if p not in ('', {str(ROOT)!r})]\n"
        f"site.addsitedir({str(site)!r})\n"
        f"sys.path.remove({str(site)!r}); sys.path.insert(0, {str(site)!r})\n"
    )
    return subprocess.run(
        [sys.executable, "-c", prelude + code],
        cwd=site,
        capture_output=True,
        text=True,
        timeout=60,
        env=clean_env(),
        check=False,
    )


def test_a_healthy_install_imports_and_loads_no_guard(tmp_path: Path) -> None:
    site = site_with_tgi_sdk(tmp_path)
    code = "import text_generation as t; print(t.__file__, '_tgi_sdk_guard' in sys.modules)"
    result = import_from(site, code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [str(site / "text_generation" / "__init__.py"), "False"]


def test_a_folder_broken_by_uninstalling_text_generation_is_explained(tmp_path: Path) -> None:
    site = site_with_tgi_sdk(tmp_path)
    for name in UPSTREAM_FILES:
        (site / "text_generation" / name).unlink()
    for code in ("from text_generation import Client", "import text_generation.types"):
        result = import_from(site, code)
        assert result.returncode == 1
        last = result.stderr.strip().splitlines()[-1]
        assert last.startswith(
            f"ImportError: text_generation (tgi-sdk) is incomplete: {site / 'text_generation'} "
            "has no __init__.py."
        )
        assert last.endswith("Repair it with: pip install --force-reinstall --no-deps tgi-sdk")
    other = import_from(site, "import json, email.message; print('fine')")
    assert other.stdout == "fine\n", other.stderr


def test_a_repair_in_the_same_interpreter_is_seen(tmp_path: Path) -> None:
    site = site_with_tgi_sdk(tmp_path)
    init = site / "text_generation" / "__init__.py"
    saved = init.read_bytes()
    init.unlink()
    code = (
        "try:\n    import text_generation\nexcept ImportError:\n    print('refused')\n"
        f"open({str(init)!r}, 'wb').write({saved!r})\n"
        "import text_generation; print('imported')"
    )
    result = import_from(site, code)
    assert result.stdout.split() == ["refused", "imported"], result.stderr


def test_text_generation_installed_beside_it_is_warned_about(tmp_path: Path) -> None:
    package = tmp_path / "text_generation"
    package.mkdir()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warn_if_shared(str(package))
    (tmp_path / "text_generation-0.7.0.dist-info").mkdir()
    with pytest.warns(SharedFolderWarning, match=r"^text-generation 0\.7\.0 is installed beside"):
        warn_if_shared(str(package))
