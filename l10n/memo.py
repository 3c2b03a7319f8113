"""The project memo (.l10n/memo.json): facts earlier runs established about the files they wrote or read, keyed
by the files' digests, so that a run with nothing changed costs a few hashes. Every stage keeps its facts here;
none asks another stage for them."""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import operator
import os
import sys
from functools import lru_cache
from typing import Any

from .config import Config
from .digest import file_stamp, sha256
from .po import Catalog, Entry
from .stamped import StampedSections

MEMO_NAME = "memo.json"


MEMO_VERSION = 1


@lru_cache(maxsize=1)
def code_digest() -> str:
    """Everything besides the project files that decides what l10n writes: its own code, templates and data,
    the libraries it formats and sorts with, and Python. A change to any of them forgets every memo. Not the C
    library libunistring (line breaks in PO files): finding it costs every command more than it is worth, and
    a new one only moves breaks around rare characters, until the next change rewrites the file."""
    digest = hashlib.sha256(sys.version.encode())
    _update_with_tree(digest, os.path.dirname(os.path.abspath(__file__)))
    digest.update(library_digest(("babel", "icu", "rapidfuzz", "jinja2", "markupsafe", "yaml", "click",
                                  "weasyprint")).encode())
    return digest.hexdigest()


def library_digest(names: tuple[str, ...]) -> str:
    """The installed libraries `names` as found now: each one's module file (a package's `__init__.py`) by path,
    size and modification time, or its absence. Installing another version writes that file anew, with the
    version's date (pip and dpkg alike), so its stamp is the version's; the library's other files are not
    looked at, each of them one more system call for every command that keeps a memo."""
    digest = hashlib.sha256()
    for name in names:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec is not None else None
        digest.update(f"{name}:{file_stamp(origin) if origin else 'missing'}\0".encode())
    return digest.hexdigest()


def _update_with_tree(digest: Any, root: str) -> None:
    """Every file under root, bytecode aside, by path, size and modification time: what Python itself checks
    before it runs a module's cached bytecode, so a memo is as fresh as the code that runs (cheaper than reading
    and hashing the source). os.walk on plain strings: pathlib's per-path objects cost more than the rest, and
    every command that keeps a memo pays this at start-up."""
    paths: list[str] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d != "__pycache__"]  # pruned as the walk goes
        paths += [os.path.join(folder, name) for name in files if not name.endswith((".pyc", ".pyo"))]
    start = len(os.path.join(root, ""))  # the paths begin with root and a separator
    for path in sorted(paths):
        digest.update(f"{file_stamp(path, path[start:])}\0".encode())


def config_digest(config: Config) -> str:
    return sha256(repr(config))


class Memo(StampedSections):
    """Facts earlier runs established about the files they wrote or checked, keyed by the files' digests, so
    that `l10n run` with nothing changed costs a few hashes instead of parsing and writing every catalog.

    Stored in <cache_dir>/memo.json, written only when a fact changes (under the project lock: only writing
    commands save it). Advisory: an unreadable file, another version of l10n or another configuration means no
    facts, and every stage then does its full work, as it always did."""

    def __init__(self, config: Config) -> None:
        super().__init__(config.root / config.cache_dir / MEMO_NAME,
                         {"version": MEMO_VERSION, "code": code_digest(), "config": config_digest(config)})

    def put(self, section: str, key: str, value: Any) -> None:
        table = self.data.setdefault(section, {})
        if table.get(key) != value:
            table[key] = value
            self.dirty = True


def same_catalog(a: Catalog, b: Catalog) -> bool:
    """Would both serialise to the same bytes: every field but the file path, the digest and line numbers."""
    skip = {"path", "loaded_digest", "field_lines", "header", "entries"}
    if not all(getattr(a, f.name) == getattr(b, f.name) for f in dataclasses.fields(a) if f.name not in skip):
        return False
    if len(a.entries) != len(b.entries):
        return False
    # every field of the entries compared (their raw lines too), line numbers set aside
    return all(_compared(x) == _compared(y) for x, y in zip([a.header, *a.entries], [b.header, *b.entries]))


_compared = operator.attrgetter(*(f.name for f in dataclasses.fields(Entry) if f.name != "line"))
