"""A JSON file of facts that hold only for the stamp it was written with (the project memo, publish's outputs)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

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
        from .po import atomic_write  # only when something changed

        # a key of a section at a time (the check memo holds every issue of the project), the bytes json.dumps
        # would give for the whole
        data = _chunks(_json_pieces({**self.stamp, **self.data}, depth=2))
        try:
            # a file lost in a crash is only worked out again
            atomic_write(self.path, data, durable=False)
        except (OSError, L10nError):  # unwritable, or a link out of the project: advisory, so not kept
            self.writable = False  # this object stops trying
            return
        self.dirty = False


def _chunks(pieces: Iterator[str], size: int = 1 << 20) -> Iterator[bytes]:
    """The pieces encoded, gathered into writes of about `size` bytes (a small file: one write)."""
    gathered: list[bytes] = []
    length = 0
    for piece in pieces:
        gathered.append(piece.encode("utf-8"))
        length += len(gathered[-1])
        if length >= size:
            yield b"".join(gathered)
            gathered, length = [], 0
    if gathered:
        yield b"".join(gathered)


def _json_pieces(value: Any, depth: int) -> Iterator[str]:
    """json.dumps(value, ensure_ascii=False) in pieces: the members of objects down to `depth` levels apart."""
    if depth and isinstance(value, dict):
        yield "{"
        for n, (key, member) in enumerate(value.items()):
            yield (", " if n else "") + json.dumps(key, ensure_ascii=False) + ": "
            yield from _json_pieces(member, depth - 1)
        yield "}"
    else:
        yield json.dumps(value, ensure_ascii=False, default=_as_dict)


def _as_dict(value: Any) -> dict[str, Any]:
    """An object json cannot write by itself, written as its `as_dict()` (the check memo keeps Issues)."""
    if not hasattr(value, "as_dict"):
        raise TypeError(f"{type(value).__name__} cannot be written as JSON")
    return value.as_dict()
