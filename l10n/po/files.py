"""Catalog files on disk: atomic writes, write-if-changed, and a save that never clobbers a translator's edit made
while l10n was working (the save-window protection with renameat2)."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import sys
import tempfile
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

from .. import fsguard
from ..digest import sha256
from ..errors import ConcurrentEditError, LockError
from .layout import pieces
from .model import Catalog

def _new_file_beside(path: Path) -> tuple[int, str]:
    """A new, empty file `.<name>.<process id>-<random>.tmp` in the folder of `path` (tempfile.mkstemp: exclusive
    creation, mode 0600, not inherited by child processes). The process id lets remove_leftovers tell a file a
    killed writer left from one a live writer is filling."""
    return tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}-", suffix=".tmp", dir=path.parent)


_LEFTOVER = re.compile(r"\..+\.(\d+)-\w+\.tmp")  # what _new_file_beside names: .<name>.<pid>-<random>.tmp


def remove_leftovers(folder: Path) -> None:
    """Remove, in `folder` and below, the temporary files writers killed mid-write left behind: those named as
    _new_file_beside names them whose process is gone (a live one may still be writing; another user's is not
    ours to judge). Every command that writes a project sweeps it first, under its lock; not a folder that a
    symbolic link takes out of the project."""
    if not fsguard.is_inside(folder):
        return
    for parent, _dirs, names in os.walk(folder):
        for name in names:
            match = _LEFTOVER.fullmatch(name)
            if match is None or int(match.group(1)) == os.getpid():
                continue
            try:
                os.kill(int(match.group(1)), 0)
                continue  # alive
            except ProcessLookupError:
                pass
            except (PermissionError, OverflowError):
                continue
            try:
                os.unlink(os.path.join(parent, name))
            except OSError:
                pass


def atomic_write(path: Path, data: bytes | Iterable[bytes], durable: bool = True, confined: bool = True) -> None:
    """Temporary file in the same folder, flush, fsync, rename: readers see the old file or the new, never half.
    `data` may come in pieces, so that a large file need not be held whole in memory.
    `durable=False` skips both fsyncs, for caches: after a power cut such a file may be lost or garbled, which
    only costs the work of rebuilding it, and every command that keeps one saves it. `confined=False` for the
    per-user cache, the one file l10n keeps outside the project (fsguard)."""
    if confined:
        fsguard.inside(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _new_file_beside(path)
    try:
        _fill_temporary(fd, tmp, path, data, durable)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    if durable:
        _sync_folder(path.parent)


def _fill_temporary(fd: int, tmp: str, path: Path, data: bytes | Iterable[bytes], durable: bool) -> None:
    """Write the new bytes, synced unless not `durable`, with the mode of the file they will replace. A refusal
    from write or fsync (disk full, quota) comes without a file name: it gets the one the user knows."""
    try:
        with os.fdopen(fd, "wb") as handle:
            for chunk in [data] if isinstance(data, bytes) else data:
                handle.write(chunk)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
    except OSError as exc:
        if exc.filename is None:
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        raise
    if path.exists():
        os.chmod(tmp, path.stat().st_mode & 0o777)
    else:
        os.chmod(tmp, 0o644)


def _sync_folder(folder: Path) -> None:
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def write_if_changed(path: Path, text: str | bytes) -> bool:
    """Atomic write of an output file, skipped when the bytes are the same (no churn, mtimes kept); text as UTF-8."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    if path.exists() and path.read_bytes() == data:
        return False
    atomic_write(path, data)
    return True


def save(catalog: Catalog) -> bool:
    """Write only when the bytes differ (no churn, mtimes kept); refuse to clobber an edit made on disk meanwhile,
    however late it lands (see _swap_in): ConcurrentEditError, with the file as the translator saved it.

    Returns True when the file was written."""
    data = pieces(catalog)
    path = fsguard.inside(catalog.path)
    current = _read_or_none(path)
    if current is not None and _joined(data, current):
        catalog.loaded_digest = sha256(current)
        return False
    if current is not None and catalog.loaded_digest is not None and sha256(current) != catalog.loaded_digest:
        raise _edited(path)
    _swap_in(path, data, current)
    catalog.loaded_digest = sha256(data)
    return True


def _joined(pieces: list[bytes], data: bytes) -> bool:
    """The pieces joined are these bytes: compared in place, a piece at a time."""
    at = 0
    for piece in pieces:
        if not data.startswith(piece, at):
            return False
        at += len(piece)
    return at == len(data)


def _read_or_none(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _edited(path: Path) -> ConcurrentEditError:
    return ConcurrentEditError("catalog changed on disk while l10n was working on it; run the command again", path)


def _before_swap(path: Path) -> None:
    """The last instant before a catalog is swapped in, after its final check. Does nothing: tests replace it
    to save a translator's edit exactly there and prove that it survives."""


def _swap_in(path: Path, data: list[bytes], expected: bytes | None) -> None:
    """Put `data` (the new file's bytes, in pieces) at `path` if the file there still holds `expected` (None: no
    file), and never lose a save a translator's editor makes meanwhile, in place or by rename.

    Checking and then renaming leaves a window in which an edit is overwritten. So the new file, written and
    synced beside the old one, is checked against the old once more and then exchanged with it atomically
    (renameat2 RENAME_EXCHANGE; RENAME_NOREPLACE when there is no old file): the file displaced is whatever was
    at `path` at that instant, still on disk under the temporary name. If it is not what was checked, a
    translator saved meanwhile: the two are exchanged back, and ConcurrentEditError says so. A save written into
    our file in the short time it was in place is newer still, and is what stays."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _new_file_beside(path)
    keep = False  # the temporary name holds a translator's file: never delete it
    try:
        _fill_temporary(fd, tmp, path, data, True)
        before = _stat_or_none(path)
        if _read_or_none(path) != expected or _stat_or_none(path) != before:
            raise _edited(path)
        _before_swap(path)
        if expected is None:
            if not _rename_noreplace(tmp, path):
                raise _edited(path)
        elif not _exchange_existing(tmp, path):  # renameat2 missing, or the file system lacks it: a rename
            if _read_or_none(path) != expected:
                raise _edited(path)
            os.replace(tmp, path)
        elif Path(tmp).read_bytes() != expected:
            keep = True
            _exchange(tmp, path)  # the translator's file back in place
            keep = not _joined(data, Path(tmp).read_bytes())
            if keep:  # a save into ours while it was in place is the newest of all
                _exchange(tmp, path)
                keep = False
            raise _edited(path)
    finally:
        if not keep and os.path.lexists(tmp):
            os.unlink(tmp)
    _sync_folder(path.parent)


def _stat_or_none(path: Path) -> tuple[int, int, int, int] | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


_RENAME_NOREPLACE, _RENAME_EXCHANGE = 1, 2
_AT_FDCWD = -100


@cache
def _renameat2() -> Any:
    """glibc's renameat2 through ctypes (Python has no binding), or None where the C library lacks it."""
    import ctypes

    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def _rename2(source: str | Path, target: str | Path, flags: int) -> bool:
    """renameat2(source, target, flags): True if done, False where it is unavailable; OSError otherwise."""
    function = _renameat2()
    if function is None:
        return False
    import ctypes

    if function(_AT_FDCWD, os.fsencode(source), _AT_FDCWD, os.fsencode(target), flags) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):  # the kernel or file system cannot do it
        return False
    raise OSError(code, os.strerror(code), str(source), None, str(target))


def _exchange(a: str | Path, b: str | Path) -> bool:
    return _rename2(a, b, _RENAME_EXCHANGE)


def _exchange_existing(tmp: str, path: Path) -> bool:
    """_exchange, where a file that vanished meanwhile (an editor that moves the old file aside before writing
    the new one) is an edit under way, not an error of the system."""
    try:
        return _exchange(tmp, path)
    except FileNotFoundError:
        raise _edited(path) from None


def _rename_noreplace(source: str, target: Path) -> bool:
    """Rename unless `target` exists: False when it does (someone created it meanwhile)."""
    try:
        done = _rename2(source, target, _RENAME_NOREPLACE)
    except FileExistsError:
        return False
    if not done:
        if target.exists():
            return False
        os.replace(source, target)
    return True


@contextlib.contextmanager
def project_lock(path: Path) -> Iterator[None]:
    """An exclusive flock(2) on `.l10n/lock`, the lock flock(1) and filelock take too; the kernel drops it when the
    process ends, however it ends. Taken directly rather than through filelock, whose import alone was a
    visible part of a run with nothing to do; Windows, without flock, still uses filelock."""
    busy = LockError("another l10n process is writing this project; wait for it to finish", path)
    if sys.platform == "win32":  # pragma: no cover (CI runs on Debian)
        from filelock import FileLock, Timeout

        try:
            with FileLock(str(path), timeout=0):
                yield
        except Timeout:
            raise busy from None
        return
    import fcntl

    fd = os.open(fsguard.inside(path), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise busy from None
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock
