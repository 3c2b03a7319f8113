"""The check memo (<cache_dir>/checks.json): the issues `l10n check` found in each catalog, and in the source's
signatory list, keyed by a digest of everything they depend on, so that a catalog nobody touched is not checked
again. An edit to one catalog re-checks that catalog only, loading only the dictionaries its language needs.

A catalog's findings depend on its bytes, the words file beside it (spelling.txt), the glossary, the whole
configuration, l10n's code and the libraries it checks with (the project memo's code digest, plus Enchant's and
langcodes' modules), the spelling dictionaries (every file where Enchant and Hunspell look for them, by path, size
and modification time) and msgfmt (by path, size and modification time). The file's stamp holds what all catalogs
share; each catalog's entry holds the digest of its own inputs. Advisory, like the project memo: a missing,
unreadable or malformed file, or one written for other code, tools or configuration, holds nothing, and `check`
then does its full work; the issues printed are the same either way.

The file is read a section at a time and each section decoded only when asked for, so that neither the whole file
nor a tree of every issue's fields is ever held beside the issues themselves: a first line holds the stamp; then
each section (a catalog, or the source documents) is a header line (its name, its key and the size of what
follows) and one line of JSON: the strings its issues use, each once, and per issue its line number and the
indexes of its other fields in those strings. A section's issues repeat few strings (one msgid has several
issues, a check's message recurs): at 20,000 segments × 10 languages the file is a fraction of one JSON object
per issue, and the issues read back share their strings instead of holding a copy each."""

from __future__ import annotations

import json
import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

from ..digest import file_digest, file_stamp, sha256
from ..memo import code_digest, config_digest, library_digest
from ..paths import WORDS_FILE
from ..stamped import write_advisory
from .base import Issue

if TYPE_CHECKING:
    from ..config import Config

MEMO_NAME = "checks.json"
MEMO_VERSION = 2
#: what the spelling checks import besides the libraries the project memo's code digest covers
CHECK_LIBRARIES = ("enchant", "langcodes")
#: an issue's fields kept as indexes into its section's strings, in the order a row holds them after the line
_TEXT_FIELDS = ("file", "lang", "msgctxt", "msgid", "check", "severity", "message")
#: longer than any stamp: a first line beyond it (an older memo's single line) is not read whole to be refused
_STAMP_LIMIT = 1 << 16


@dataclass
class _Section:
    """One section as read (`raw`, its line of JSON, not yet decoded) or as decoded or found (`issues`)."""

    key: str
    raw: bytes | None = None
    issues: list[Issue] | None = None


class CheckMemo:
    """Issues found before, per catalog (or source document), valid while the digest of its inputs holds."""

    def __init__(self, config: Config) -> None:
        self.path = config.root / config.cache_dir / MEMO_NAME
        self.stamp = {"version": MEMO_VERSION, "code": code_digest(), "libraries": library_digest(CHECK_LIBRARIES),
                      "config": config_digest(config), "tools": tools_digest()}
        self.sections: dict[str, _Section] = {}
        self.dirty = False
        self.writable = True
        try:
            self.sections = _read(self.path, self.stamp)
        except (OSError, ValueError, KeyError, TypeError):
            pass  # missing or damaged: holds nothing

    def knows(self, name: str, key: str | None) -> bool:
        return self._known(name, key) is not None

    def issues(self, name: str, key: str | None, work: Callable[[], list[Issue]],
               still: Callable[[], str | None] | None = None) -> list[Issue]:
        """The issues recorded for `name` under `key`, else `work()`'s, recorded unless the inputs changed while
        it ran (`still()`, the key taken again, differs) or could not be read (`key` None). A new list each time:
        the caller may extend it."""
        known = self._known(name, key)
        if known is not None:
            return list(known)
        found = work()
        if key is not None and (still is None or still() == key):
            self.sections[name] = _Section(key, issues=list(found))
            self.dirty = True
        return found

    def save(self) -> None:
        """Write the file if something changed since it was read or last saved: a section at a time, those not
        decoded as they were read."""
        if not self.dirty or not self.writable:
            return
        if write_advisory(self.path, self._lines()):
            self.dirty = False
        else:
            self.writable = False  # this object stops trying

    def _known(self, name: str, key: str | None) -> list[Issue] | None:
        section = self.sections.get(name)
        if key is None or section is None or section.key != key:
            return None
        if section.issues is None:
            section.issues = _decode(section.raw or b"")
            section.raw = None  # the issues now stand for it (encoded again if the file is written)
            if section.issues is None:  # damaged: forgotten, so checked and recorded again
                del self.sections[name]
        return section.issues

    def _lines(self) -> Iterator[bytes]:
        yield _dumps(self.stamp) + b"\n"
        for name, section in self.sections.items():
            raw = section.raw if section.raw is not None else _encode(section.issues or [])
            yield _dumps({"name": name, "key": section.key, "size": len(raw)}) + b"\n" + raw


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def _read(path: Path, stamp: dict[str, Any]) -> dict[str, _Section]:
    """The sections of a memo written under `stamp`, undecoded; nothing from another stamp's. Raises ValueError,
    KeyError or TypeError on a damaged file."""
    sections: dict[str, _Section] = {}
    with open(path, "rb") as file:
        if json.loads(file.readline(_STAMP_LIMIT)) != stamp:
            return {}
        while header := file.readline(_STAMP_LIMIT):
            head = json.loads(header)
            name, key, size = head["name"], head["key"], head["size"]
            if not (isinstance(name, str) and isinstance(key, str) and type(size) is int and size > 0):
                raise ValueError("malformed section header")
            raw = file.read(size)
            if len(raw) != size or not raw.endswith(b"\n"):
                raise ValueError("truncated section")
            sections[name] = _Section(key, raw=raw)
    return sections


def _encode(issues: list[Issue]) -> bytes:
    """A section's line: its strings once each, an issue as its line and the indexes of its other fields."""
    strings: dict[str | None, int] = {}
    rows = [[issue.line, *(strings.setdefault(getattr(issue, f), len(strings)) for f in _TEXT_FIELDS)]
            for issue in issues]
    return _dumps({"strings": list(strings), "issues": rows}) + b"\n"


def _decode(raw: bytes) -> list[Issue] | None:
    """A section's issues, or None when its line is not what _encode writes (a damaged file)."""
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    strings, rows = (data.get("strings"), data.get("issues")) if isinstance(data, dict) else (None, None)
    if not isinstance(strings, list) or not isinstance(rows, list):
        return None
    if not all(s is None or isinstance(s, str) for s in strings):
        return None
    # interned: every language's issues on one source text share one copy of it, as when they were found
    strings = [s if s is None else sys.intern(s) for s in strings]
    count = len(strings)
    out = []
    for row in rows:
        if not isinstance(row, list) or len(row) != 1 + len(_TEXT_FIELDS):
            return None
        if not all(type(n) is int for n in row) or not all(0 <= n < count for n in row[1:]):
            return None
        file, lang, msgctxt, msgid, check, severity, message = (strings[n] for n in row[1:])
        if None in (file, lang, msgid, check, severity, message):
            return None
        out.append(Issue(file, row[0], lang, msgctxt, msgid, check, severity, message))
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
