"""Every path l10n writes, creates, locks or deletes stays inside the project, symbolic links included.

Configured paths are checked when l10n.yaml is read (config._inside), but a link met on the way is not: `dist/en`
or `locales/en` pointing to another directory made `build` write (and delete) there, `.l10n/cache.sqlite`
pointing elsewhere created a database there. The command line confines a command to its project's root
(`confined`); every writer asks `inside(path)` before touching the file system, which resolves the whole path
(each link, the last one too) and refuses a result outside the root. Without a confinement (the core called as a
library) nothing is refused: the caller chose the paths."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from .errors import EXIT_ERROR, L10nError

_root: Path | None = None


class OutsideProjectError(L10nError):
    """A path the tool was about to write resolves outside the project (through a symbolic link)."""

    exit_code = EXIT_ERROR


@contextlib.contextmanager
def confined(root: Path) -> Iterator[None]:
    """Refuse, until the block ends, every write that would land outside `root`."""
    global _root
    previous, _root = _root, Path(os.path.realpath(root))
    try:
        yield
    finally:
        _root = previous


def inside(path: Path) -> Path:
    """`path` when it resolves inside the project (or no project is confined); OutsideProjectError otherwise."""
    if _root is None:
        return path
    real = Path(os.path.realpath(path))
    if not real.is_relative_to(_root):
        raise OutsideProjectError(f"resolves to {real}, outside the project ({_root}): l10n writes only inside it; "
                                  f"replace the symbolic link with a directory", path)
    return path


def is_inside(path: Path) -> bool:
    """Whether `path` resolves inside the project (always, with no confinement)."""
    return _root is None or Path(os.path.realpath(path)).is_relative_to(_root)
