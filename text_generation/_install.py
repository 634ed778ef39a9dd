"""A warning when text-generation is installed beside tgi-sdk in the same site-packages.

Both distributions install the folder ``text_generation/``: whichever was installed last owns
the files, and uninstalling text-generation afterwards deletes files tgi-sdk needs (the
``_tgi_sdk_guard`` module of the wheel then explains the broken import). Warning while both are
present lets the user repair it before anything breaks."""

import os
import warnings

__all__ = ["SharedFolderWarning", "warn_if_shared"]

REPAIR = "pip uninstall -y text-generation && pip install --force-reinstall --no-deps tgi-sdk"


class SharedFolderWarning(UserWarning):
    """text-generation is installed too, and shares the folder ``text_generation/``."""


def warn_if_shared(package_dir: str) -> None:
    """Warn when a ``text_generation-*.dist-info`` sits beside ``package_dir``."""
    site_dir = os.path.dirname(package_dir)
    try:
        names = os.listdir(site_dir)
    except OSError:
        return
    prefix, suffix = "text_generation-", ".dist-info"
    others = sorted(n for n in names if n.startswith(prefix) and n.endswith(suffix))
    if others:
        version = others[0][len(prefix) : -len(suffix)]
        warnings.warn(
            f"text-generation {version} is installed beside tgi-sdk in {site_dir}; both install "
            "the folder text_generation/, and uninstalling text-generation now would delete "
            f"files tgi-sdk needs. Keep only tgi-sdk: {REPAIR}",
            SharedFolderWarning,
            stacklevel=3,
        )
