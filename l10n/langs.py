"""Language tags, plural forms, names and collation, all from CLDR (Babel, ICU): a new language needs no code.

Babel is imported only when CLDR must be asked. The answers most commands need (canonical tags, territory names)
are kept per user for the installed Babel, so that `extract`, `status` or a `run` with nothing to do start
without loading Babel and its data, which cost more than extracting a thousand segments (bench/README.md)."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from babel import Locale

_TAG_RE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
CACHE_NAME = "cldr.json"


@lru_cache(maxsize=None)
def locale(tag: str) -> Locale:
    """Parse a BCP 47 tag known to CLDR; anything else (paths, typos) raises ValueError."""
    if not isinstance(tag, str) or not _TAG_RE.match(tag):
        raise ValueError(f"{tag!r} is not a BCP 47 language tag")
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(tag, sep="-")
    except (UnknownLocaleError, ValueError) as exc:
        raise ValueError(f"{tag!r} is not a language known to CLDR") from exc


# ---------------------------------------------------------------------------------------------------- cache


def cache_path() -> Path | None:
    """`$XDG_CACHE_HOME/l10n/cldr.json` (`~/.cache/l10n/cldr.json` by default): CLDR does not depend on the
    project, so every project of the user shares it."""
    base = os.environ.get("XDG_CACHE_HOME")
    if not base or not os.path.isabs(base):
        home = os.path.expanduser("~")
        if not os.path.isabs(home):
            return None  # no home directory: no cache
        base = os.path.join(home, ".cache")
    return Path(base) / "l10n" / CACHE_NAME


def babel_stamp() -> str:
    """Which Babel answers (where it is installed, and its size and date there), known without importing it:
    installing another Babel, with other CLDR data, changes it."""
    spec = importlib.util.find_spec("babel")
    if spec is None or not spec.origin:
        return ""
    stat = os.stat(spec.origin)
    return f"{spec.origin}\0{stat.st_size}\0{stat.st_mtime_ns}"


class _Answers:
    """CLDR answers of one Babel installation, read from the cache file once per process and written through
    as new ones are found. Advisory: an unreadable, malformed or other Babel's file means asking Babel again,
    an unwritable one asking it every time; two processes writing at once lose one answer, never the file."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.writable = path is not None
        self.stamp = babel_stamp()
        self.data: dict[str, Any] = {}
        if path is None:
            return
        try:
            raw = json.loads(path.read_bytes())
        except (OSError, ValueError):
            return
        if isinstance(raw, dict) and raw.get("babel") == self.stamp:
            self.data = {k: v for k, v in raw.items() if isinstance(v, dict)}

    def get(self, section: str, key: str) -> Any:
        return self.data.get(section, {}).get(key)

    def put(self, section: str, key: str, value: Any) -> None:
        self.data.setdefault(section, {})[key] = value
        if self.path is None or not self.writable:  # (writable is False without a path: mypy needs both)
            return
        from .catalog import atomic_write  # only when an answer is new

        data = json.dumps({"babel": self.stamp, **self.data}, ensure_ascii=False, sort_keys=True).encode("utf-8")
        try:
            atomic_write(self.path, data, durable=False)  # a file lost in a crash is only asked of Babel again
        except OSError:
            self.writable = False  # this process stops trying


_answers: _Answers | None = None


def _cached() -> _Answers:
    """The answers for the current cache location (tests move it between calls)."""
    global _answers
    path = cache_path()
    if _answers is None or _answers.path != path:
        _answers = _Answers(path)
    return _answers


def canonical(tag: str) -> str:
    """The BCP 47 spelling used in config, directory names and HTML (`pt-BR`). Only a valid tag's answer is
    kept: a bad one is asked of Babel every time, for its message."""
    answers = _cached()
    known = answers.get("canonical", tag) if isinstance(tag, str) else None
    if isinstance(known, str):
        return known
    loc = locale(tag)
    code = "-".join(p for p in (loc.language, loc.script, loc.territory, loc.variant) if p)
    answers.put("canonical", tag, code)
    return code


def gettext_code(tag: str) -> str:
    """The POSIX spelling gettext wants in the PO `Language` header (`pt_BR`)."""
    return str(locale(tag))


def _plural(tag: str):
    from babel.messages.plurals import get_plural  # imports babel's catalog machinery: only when needed

    return get_plural(locale(tag))


def plural_forms(tag: str) -> str:
    """The Plural-Forms header from Babel's CLDR-derived table, the one GNU gettext's msginit also writes."""
    plural = _plural(tag)
    return f"nplurals={plural.num_plurals}; plural={plural.plural_expr};"


def nplurals(tag: str) -> int:
    return _plural(tag).num_plurals


@lru_cache(maxsize=None)
def territory_names(tag: str) -> dict[str, str]:
    """Code → CLDR name of every ISO 3166 / UN M.49 territory in the given language (shared: do not modify).
    Babel loads the language's whole CLDR data to give them, which costs more than parsing a long document."""
    answers = _cached()
    known = answers.get("territories", tag)
    if isinstance(known, dict) and all(isinstance(v, str) for v in known.values()):
        return known
    names = dict(locale(tag).territories)
    answers.put("territories", tag, names)
    return names


def territory_name(code: str, tag: str) -> str | None:
    """The CLDR name of an ISO 3166 / UN M.49 territory in the given language."""
    return territory_names(tag).get(code)


def language_name(tag: str, in_tag: str | None = None) -> str:
    """A language's name in another language, or in itself (autonym) by default."""
    loc = locale(tag)
    name = loc.get_display_name(locale(in_tag) if in_tag else loc) or tag
    return name[:1].upper() + name[1:]


def direction(tag: str) -> str:
    """`rtl` for Arabic, Hebrew, Persian…, `ltr` otherwise, from CLDR's character order."""
    return "rtl" if locale(tag).character_order == "right-to-left" else "ltr"


# Unicode character-name prefixes of the scripts CLDR gives as a language's default (likely subtags).
_SCRIPT_NAMES = {"Latn": ("LATIN",), "Cyrl": ("CYRILLIC",), "Arab": ("ARABIC",), "Grek": ("GREEK",),
                 "Hebr": ("HEBREW",), "Armn": ("ARMENIAN",), "Geor": ("GEORGIAN",), "Deva": ("DEVANAGARI",),
                 "Thai": ("THAI",), "Hang": ("HANGUL",), "Hani": ("CJK",), "Hans": ("CJK",), "Hant": ("CJK",),
                 "Jpan": ("CJK", "HIRAGANA", "KATAKANA"), "Beng": ("BENGALI",), "Ethi": ("ETHIOPIC",)}


def likely_subtags(language: str) -> list[str]:
    """CLDR's likely subtags of a bare language: `zh` → [zh, Hans, CN], `sr` → [sr, Cyrl, RS]; [""] if none."""
    from babel.core import get_global

    return get_global("likely_subtags").get(language, "").split("_")


def script_share(text: str, tag: str) -> float | None:
    """Share of the letters of `text` written in the language's usual script (None when unknown): an engine
    that answers a Russian request in Latin letters answered in another language."""
    loc = locale(tag)
    likely = likely_subtags(loc.language)
    script = loc.script or next((p for p in likely if len(p) == 4 and p.istitle()), None)
    prefixes = _SCRIPT_NAMES.get(script or "")
    letters = [c for c in text if c.isalpha()]
    if prefixes is None or not letters:
        return None
    return sum(unicodedata.name(c, "").startswith(prefixes) for c in letters) / len(letters)


@lru_cache(maxsize=None)
def _collator(tag: str):
    import icu  # PyICU loads ICU's data: only the stages that sort pay for it

    return icu.Collator.createInstance(icu.Locale(gettext_code(tag)))


def collation_key(tag: str):
    """A sort key following the language's CLDR collation (Spanish ñ, Swedish å, …), via ICU."""
    return _collator(tag).getSortKey
