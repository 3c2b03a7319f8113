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


class Answers:
    """One library's answers by section and key, read once per process and saved at its end if any is new. A
    section given a `limit` keeps that many keys, dropping the least recently stored first."""

    def __init__(self, name: str, package: str) -> None:
        self.path = cache_path(name)
        self.package = package
        self.writable = self.path is not None
        self.stamp = package_stamp(package)
        self.data: dict[str, dict[str, Any]] = {}
        self.dirty = False
        self.saved_at_exit = False
        if self.path is None:
            return
        try:
            raw = json.loads(self.path.read_bytes())
        except (OSError, ValueError):
            return
        if isinstance(raw, dict) and raw.get(package) == self.stamp:
            self.data = {k: v for k, v in raw.items() if isinstance(v, dict)}

    def get(self, section: str, key: str) -> Any:
        return self.data.get(section, {}).get(key)

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

    def save(self) -> None:
        """Write the answers if any is new since the last save."""
        if not self.dirty or self.path is None or not self.writable:  # (writable is False without a path)
            return
        self.dirty = False
        from .catalog import atomic_write  # only when an answer is new

        data = json.dumps({self.package: self.stamp, **self.data}, ensure_ascii=False).encode("utf-8")
        try:
            atomic_write(self.path, data, durable=False)  # a file lost in a crash is only asked again
        except OSError:
            self.writable = False  # this process stops trying


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
