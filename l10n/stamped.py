"""A JSON file of facts that hold only for the stamp it was written with (the project memo, publish's outputs)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .errors import L10nError


class StampedSections:
    """A JSON file of sections (key → value) that holds only for the stamp it was written with (the facts that
    decide its contents): read once, written whole, without fsync, when something in it changed. Advisory: a
    missing, unreadable, malformed or other stamp's file holds nothing, and a file that cannot be written is not
    tried again by this object. extract's Memo and publish's record of outputs are both one."""

    def __init__(self, path: Path, stamp: dict[str, Any]) -> None:
        self.path, self.stamp = path, stamp
        self.data: dict[str, dict[str, Any]] = {}
        self.dirty = False
        self.writable = True
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
        if not self.dirty or not self.writable:
            return
        if write_advisory(self.path, json.dumps({**self.stamp, **self.data}, ensure_ascii=False).encode("utf-8")):
            self.dirty = False
        else:
            self.writable = False  # this object stops trying


def write_advisory(path: Path, data: bytes | Iterable[bytes]) -> bool:
    """Write a file that only saves work (a memo), without fsync: a file lost in a crash is only worked out again.
    False when it cannot be written (unwritable, or a link out of the project): its owner stops trying."""
    from .po import atomic_write  # only when something changed

    try:
        atomic_write(path, data, durable=False)
    except (OSError, L10nError):
        return False
    return True

