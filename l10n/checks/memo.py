"""The check memo (<cache_dir>/checks.json): the issues `l10n check` found in each catalog, and in the source's
signatory list, keyed by a digest of everything they depend on, so that a catalog nobody touched is not checked
again. An edit to one catalog re-checks that catalog only, loading only the dictionaries its language needs.

A catalog's findings depend on its bytes, the words file beside it (spelling.txt), the glossary, the whole
configuration, l10n's code and the libraries it checks with (the project memo's code digest, plus Enchant's and
langcodes' modules), the spelling dictionaries (every file where Enchant and Hunspell look for them, by path, size
and modification time) and msgfmt (by path, size and modification time). The file's stamp holds what all catalogs
share; each catalog's entry holds the digest of its own inputs. Advisory, like the project memo: a missing,
unreadable or malformed file, or one written for other code, tools or configuration, holds nothing, and `check`
then does its full work; the issues printed are the same either way."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from ..digest import file_digest, file_stamp, sha256
from ..memo import code_digest, config_digest, library_digest
from ..paths import WORDS_FILE
from ..stamped import StampedSections
from .base import Issue

if TYPE_CHECKING:
    from ..config import Config

MEMO_NAME = "checks.json"
MEMO_VERSION = 1
#: what the spelling checks import besides the libraries the project memo's code digest covers
CHECK_LIBRARIES = ("enchant", "langcodes")
_FIELDS = {"file": str, "line": int, "lang": str, "msgctxt": (str, type(None)), "msgid": str, "check": str,
           "severity": str, "message": str}


class CheckMemo(StampedSections):
    """Issues found before, per catalog (or source document), valid while the digest of its inputs holds."""

    def __init__(self, config: Config) -> None:
        stamp = {"version": MEMO_VERSION, "code": code_digest(), "libraries": library_digest(CHECK_LIBRARIES),
                 "config": config_digest(config), "tools": tools_digest()}
        super().__init__(config.root / config.cache_dir / MEMO_NAME, stamp)

    def knows(self, name: str, key: str | None) -> bool:
        return self._known(name, key) is not None

    def issues(self, name: str, key: str | None, work: Callable[[], list[Issue]],
               still: Callable[[], str | None] | None = None) -> list[Issue]:
        """The issues recorded for `name` under `key`, else `work()`'s, recorded unless the inputs changed while
        it ran (`still()`, the key taken again, differs) or could not be read (`key` None)."""
        known = self._known(name, key)
        if known is not None:
            return known
        found = work()
        if key is not None and (still is None or still() == key):
            # the issues themselves (a copy of the list the caller may extend), written as dicts when the memo is
            # saved (StampedSections: as_dict)
            self.data.setdefault("issues", {})[name] = {"key": key, "issues": list(found)}
            self.dirty = True
        return found

    def _known(self, name: str, key: str | None) -> list[Issue] | None:
        fact = self.get("issues", name)
        if key is None or not isinstance(fact, dict) or fact.get("key") != key:
            return None
        return _issues(fact.get("issues"))


def _issues(raw: Any) -> list[Issue] | None:
    """Recorded issues, or None when the record is not a list of well-formed issues (a damaged file)."""
    if not isinstance(raw, list):
        return None
    out = []
    for item in raw:
        if not isinstance(item, dict) or item.keys() != _FIELDS.keys():
            return None
        if not all(isinstance(item[k], t) and not isinstance(item[k], bool) for k, t in _FIELDS.items()):
            return None
        out.append(Issue(**item))
    return out


def catalog_key(path: Path, lang: str, glossary: str) -> str | None:
    """The digest of one catalog's own inputs: its bytes, its language's words file, the glossary's digest;
    None when the catalog cannot be read (check_file then says why, every time)."""
    catalog = file_digest(path)
    if catalog is None:
        return None
    return sha256("\0".join([lang, catalog, file_digest(path.parent / WORDS_FILE) or "none", glossary]))


def documents_key(config: Config) -> str | None:
    """The digest of the source documents, whose signatory lists `check` reports on."""
    parts = [file_digest(config.root / path) for path in config.documents]
    return None if None in parts else sha256("\0".join(parts))


def glossary_digest(path: Path | None) -> str:
    """The digest of the glossary file check reads (project_glossary's choice), "none" without one."""
    if path is None:
        return "none"
    return file_digest(path) or "missing"


def tools_digest() -> str:
    """The spelling dictionaries and msgfmt as found now: every file in the folders Enchant and its Hunspell,
    Myspell and Aspell providers read dictionaries and personal word lists from, and the msgfmt on the PATH, by
    path, size and modification time. Finding out which dictionary file Enchant would open costs loading it, the
    slow part of `check`; a change to any of these files forgets every catalog's findings."""
    parts: list[str] = []
    for folder in _dictionary_folders():
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        parts += [file_stamp(entry.path) for entry in entries]
    msgfmt = shutil.which("msgfmt")
    parts.append("msgfmt: none" if msgfmt is None else f"msgfmt: {file_stamp(msgfmt, os.path.realpath(msgfmt))}")
    return sha256("\0\0".join(parts))


def _dictionary_folders() -> list[str]:
    """Where Enchant 2 looks: its configuration folder (personal word lists, a hunspell/ folder, its ordering
    file), the XDG data folders' enchant, hunspell and myspell folders, Hunspell's DICPATH, Aspell's data."""
    home = os.path.expanduser("~")
    config = os.environ.get("ENCHANT_CONFIG_DIR") or os.path.join(
        os.environ.get("XDG_CONFIG_HOME") or os.path.join(home, ".config"), "enchant")
    data = [os.environ.get("XDG_DATA_HOME") or os.path.join(home, ".local", "share")]
    data += (os.environ.get("XDG_DATA_DIRS") or "/usr/local/share:/usr/share").split(":")
    folders = [config, os.path.join(config, "hunspell"), os.path.join(config, "myspell")]
    for root in filter(None, data):
        folders += [os.path.join(root, name) for name in ("enchant-2", "enchant", "hunspell", "myspell",
                                                          os.path.join("myspell", "dicts"))]
    folders += [p for p in os.environ.get("DICPATH", "").split(":") if p]
    folders += ["/usr/lib/aspell", "/var/lib/aspell"]
    return list(dict.fromkeys(folders))
