"""Answers of slow-to-load libraries, kept per user between runs in `$XDG_CACHE_HOME/l10n/`.

Babel (CLDR data) and PyYAML cost more to import than a small project costs to extract (bench/README.md). What
they answer depends only on the question and on the installed library, so one JSON file per library keeps the
answers, stamped with where that library is installed and its size and date there (known without importing
it): installing another version starts the file afresh. Advisory: an unreadable, malformed or other
installation's file means asking the library again, an unwritable one asking it every time; two processes
writing at once lose one answer, never the file. New answers are written once, when the process ends (a
command asks a dozen on its first run, and writing the file for each cost more than asking): a process killed
before that only leaves them to be asked again."""

from __future__ import annotations

import atexit
import importlib.util
import json
import os
from pathlib import Path
from typing import Any

from .errors import L10nError


def cache_path(name: str) -> Path | None:
    """`$XDG_CACHE_HOME/l10n/<name>` (`~/.cache/l10n/<name>` by default): shared by every project of the user."""
    base = os.environ.get("XDG_CACHE_HOME")
    if not base or not os.path.isabs(base):
        home = os.path.expanduser("~")
        if not os.path.isabs(home):
            return None  # no home directory: no cache
        base = os.path.join(home, ".cache")
    return Path(base) / "l10n" / name


def package_stamp(package: str) -> str:
    """Which installation of a package answers: its location, size and date, without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.origin:
        return ""
    stat = os.stat(spec.origin)
    return f"{spec.origin}\0{stat.st_size}\0{stat.st_mtime_ns}"


class StampedSections:
    """A JSON file of sections (key → value) that holds only for the stamp it was written with (the facts that
    decide its contents): read once, written whole, without fsync, when something in it changed. Advisory: a
    missing, unreadable, malformed or other stamp's file holds nothing, and a file that cannot be written is not
    tried again by this object. extract's Memo and the per-user Answers are both one."""

    def __init__(self, path: Path | None, stamp: dict[str, Any], confined: bool = True) -> None:
        self.path, self.stamp, self.confined = path, stamp, confined
        self.data: dict[str, dict[str, Any]] = {}
        self.dirty = False
        self.writable = path is not None
        if path is None:
            return
        try:
            raw = json.loads(path.read_bytes())
        except (OSError, ValueError):
            return
        if isinstance(raw, dict) and all(raw.get(k) == v for k, v in stamp.items()):
            self.data = {k: v for k, v in raw.items() if k not in stamp and isinstance(v, dict)}

    def get(self, section: str, key: str) -> Any:
        return self.data.get(section, {}).get(key)

    def save(self) -> None:
        """Write the file if something changed since it was read or last saved."""
        if not self.dirty or not self.writable or self.path is None:
            return
        from .catalog import atomic_write  # only when something changed

        data = json.dumps({**self.stamp, **self.data}, ensure_ascii=False).encode("utf-8")
        try:
            # a file lost in a crash is only worked out again; the per-user one lives outside the project
            atomic_write(self.path, data, durable=False, confined=self.confined)
        except (OSError, L10nError):  # unwritable, or a link out of the project: advisory, so not kept
            self.writable = False  # this object stops trying
            return
        self.dirty = False


class Answers(StampedSections):
    """One library's answers by section and key, read once per process and saved at its end if any is new. A
    section given a `limit` keeps that many keys, dropping the least recently stored first."""

    def __init__(self, name: str, package: str) -> None:
        super().__init__(cache_path(name), {package: package_stamp(package)}, confined=False)
        self.saved_at_exit = False

    def put(self, section: str, key: str, value: Any, limit: int | None = None) -> None:
        kept = self.data.setdefault(section, {})
        kept.pop(key, None)  # re-inserted last: the most recent
        kept[key] = value
        while limit is not None and len(kept) > limit:
            del kept[next(iter(kept))]
        self.dirty = True
        if not self.saved_at_exit:
            self.saved_at_exit = True
            atexit.register(self.save)  # for library use: the l10n command saves when it finishes


_open: dict[str, Answers] = {}


def save_all() -> None:
    """Save every answers file opened by this process that holds new answers."""
    for known in _open.values():
        known.save()


def answers(name: str, package: str) -> Answers:
    """The answers file `name` at the current cache location (tests move it between calls)."""
    known = _open.get(name)
    if known is None or known.path != cache_path(name):
        if known is not None:
            known.save()  # new answers go where they were asked
        known = _open[name] = Answers(name, package)
    return known
