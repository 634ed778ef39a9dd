"""
Say what is wrong when `text_generation/` was broken by uninstalling text-generation.

tgi-sdk and text-generation 0.7.0 both install the folder `text_generation/`. Installing tgi-sdk
over 0.7.0 and then running `pip uninstall text-generation` deletes the files 0.7.0 listed
(`__init__.py`, `client.py`, `errors.py`, `inference_api.py`, `types.py`), which tgi-sdk had
replaced: what remains imports as an empty namespace package and fails with the obscure
`ImportError: cannot import name 'Client' from 'text_generation' (unknown location)`.

The wheel installs this module and `tgi_sdk_guard.pth` at the root of site-packages. At
interpreter start the `.pth` line checks (two `stat` calls) whether `text_generation/` exists
without its `__init__.py`; only then does it import this module and call `check(sitedir)`,
which adds an import finder making `import text_generation` raise an `ImportError` that says
what happened and how to repair it. A healthy install imports nothing.
"""

import os
import sys

TYPE_CHECKING = False  # typing is not imported: this module runs at every interpreter start
if TYPE_CHECKING:
    from collections.abc import Sequence
    from importlib.machinery import ModuleSpec
    from types import ModuleType

__all__ = ["REPAIR", "BrokenInstallFinder", "check"]

REPAIR = "pip install --force-reinstall --no-deps tgi-sdk"


class BrokenInstallFinder:
    """A `sys.meta_path` finder refusing `text_generation` with an explanation."""

    def __init__(self, folder: str) -> None:
        self.folder = folder

    def message(self) -> str:
        """What is wrong, and the command that repairs it."""
        return (
            f"text_generation (tgi-sdk) is incomplete: {self.folder} has no __init__.py. "
            "This happens when tgi-sdk was installed over text-generation and text-generation "
            "was uninstalled afterwards: both install the folder text_generation/, so "
            "uninstalling one deletes files of the other. Repair it with: "
            f"{REPAIR}"
        )

    def find_spec(
        self, fullname: str, path: "Sequence[str] | None", target: "ModuleType | None" = None
    ) -> "ModuleSpec | None":
        """Refuse `text_generation` and its submodules; leave every other import alone."""
        if fullname == "text_generation" or fullname.startswith("text_generation."):
            if os.path.isfile(os.path.join(self.folder, "__init__.py")):
                return None  # repaired since this interpreter started
            raise ImportError(self.message(), name=fullname)
        return None


def check(site_dir: str) -> "BrokenInstallFinder | None":
    """Install the finder when `site_dir/text_generation` exists without `__init__.py`."""
    folder = os.path.join(site_dir, "text_generation")
    if os.path.isfile(os.path.join(folder, "__init__.py")) or not os.path.isdir(folder):
        return None
    finder = BrokenInstallFinder(folder)
    sys.meta_path.insert(0, finder)
    return finder
