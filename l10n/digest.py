"""The one digest helper: sha-256 in hex, of bytes, text or a file. Memos, catalogs, caches and provenance all key
on it, so that two digests of the same content are always equal wherever they were taken."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def sha256(data: bytes | str | list[bytes], length: int | None = None) -> str:
    """Hex sha-256 of `data` (text as UTF-8; a list of bytes as the bytes they join into), cut to `length`
    characters where a short key is enough."""
    if isinstance(data, list):
        state = hashlib.sha256()
        for piece in data:
            state.update(piece)
    else:
        state = hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data)
    digest = state.hexdigest()
    return digest if length is None else digest[:length]


def file_stamp(path: str, name: str | None = None) -> str:
    """A file's identity without reading it, as Python judges its cached bytecode: path (or `name`), size and
    modification time; "missing" when it cannot be looked at. Memos stamp code, libraries, dictionaries and
    engine installations with it."""
    try:
        stat = os.stat(path)
    except OSError:
        return f"{name or path}\0missing"
    return f"{name or path}\0{stat.st_size}\0{stat.st_mtime_ns}"


def file_digest(path: Path) -> str | None:
    """sha256 of a file's bytes, read a block at a time rather than held whole (a large source or catalog is
    megabytes of fresh memory for the system to hand over); None when it cannot be read (the caller then does
    the real work)."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as data:
            while block := data.read(_BLOCK):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


_BLOCK = 1 << 16  # bytes read at a time: a small file in one read, a large one without holding it whole
