"""
Record every file or folder a Python process opens outside the repository, beside it.

The test session (`tests/conftest.py`) installs `install()` in its own process and puts this
folder first on `PYTHONPATH`, so that Python subprocesses the tests start import it as their
`sitecustomize` and do the same. The rule: nothing under the repository's parent folder may be
opened (read, written or listed) unless it is inside the repository; that is where a path such
as `../shared/reference` lands, which a fresh clone does not have.

Configured by two environment variables, read at each event so that a nested session can
re-point them: `TGI_SDK_BOUNDS_ROOT` (the repository) and `TGI_SDK_BOUNDS_LOG` (a folder; each
process appends its violations to `<pid>.log` there, one `event<TAB>path` per line). Standard
library only, and silent: a process that stays inside the repository writes nothing.
"""

import os
import sys
import threading

ROOT_ENV = "TGI_SDK_BOUNDS_ROOT"
LOG_ENV = "TGI_SDK_BOUNDS_LOG"
_EVENTS = frozenset({"open", "os.listdir", "os.scandir", "shutil.copyfile", "os.chdir"})
_busy = threading.local()


def violation(path: object, root: str, cwd: str) -> str | None:
    """The absolute form of `path` when it is beside `root` (under its parent, not in it)."""
    if not isinstance(path, str | bytes | os.PathLike):
        return None
    text = os.fsdecode(os.fspath(path))
    full = os.path.realpath(os.path.join(cwd, text))
    parent = os.path.dirname(root)
    inside = full == root or full.startswith(root + os.sep)
    beside = full.startswith(parent + os.sep)
    return full if beside and not inside else None


def _hook(event: str, args: tuple[object, ...]) -> None:
    if event not in _EVENTS or getattr(_busy, "on", False):
        return
    root, log = os.environ.get(ROOT_ENV), os.environ.get(LOG_ENV)
    if not root or not log or not args:
        return
    _busy.on = True
    try:
        paths = args[:2] if event == "shutil.copyfile" else args[:1]
        for path in paths:
            full = violation(path, root, os.getcwd())
            if full is not None and not full.startswith(log + os.sep):
                with open(os.path.join(log, f"{os.getpid()}.log"), "a", encoding="utf-8") as f:
                    f.write(f"{event}\t{full}\t{' '.join(getattr(sys, 'argv', []))[:200]}\n")
    except OSError:
        pass
    finally:
        _busy.on = False


def install() -> None:
    """Add the audit hook to this process (once; audit hooks cannot be removed)."""
    if not getattr(sys, "_tgi_sdk_bounds_hook", False):
        sys._tgi_sdk_bounds_hook = True  # type: ignore[attr-defined]
        sys.addaudithook(_hook)


if os.environ.get(ROOT_ENV) and os.environ.get(LOG_ENV):
    install()


def _chain() -> None:
    """Run the `sitecustomize` this one shadows, if the interpreter has one."""
    import importlib.machinery
    import importlib.util

    here = os.path.dirname(os.path.abspath(__file__))
    path = [p for p in sys.path if os.path.abspath(p or os.curdir) != here]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", path)
    if spec is not None and spec.loader is not None:
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)


if __name__ == "sitecustomize":
    _chain()
