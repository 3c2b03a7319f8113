"""Language tags, plural forms, names and collation, all from CLDR (Babel, ICU): a new language needs no code.

Every command asks CLDR (the configuration's language codes are checked against it), and each answer is kept for
the rest of the process. Babel's date, number and message-catalog modules are imported only where they are
needed."""

from __future__ import annotations

import pickle
import re
import unicodedata
from functools import lru_cache
from babel import Locale, UnknownLocaleError, localedata
from babel.core import get_global

_TAG_RE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


@lru_cache(maxsize=None)
def locale(tag: str) -> Locale:
    """Parse a BCP 47 tag known to CLDR; anything else (paths, typos) raises ValueError."""
    if not isinstance(tag, str) or not _TAG_RE.match(tag):
        raise ValueError(f"{tag!r} is not a BCP 47 language tag")
    try:
        return Locale.parse(tag, sep="-")
    except (UnknownLocaleError, ValueError) as exc:
        raise ValueError(f"{tag!r} is not a language known to CLDR") from exc


def canonical(tag: str) -> str:
    """The BCP 47 spelling used in config, directory names and HTML (`pt-BR`)."""
    loc = locale(tag)
    return "-".join(p for p in (loc.language, loc.script, loc.territory, loc.variant) if p)


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


#: bare languages whose CLDR parent is another language, not root (CLDR's parentLocales, Babel's
#: `parent_exceptions`): Norwegian Bokmål and Nynorsk inherit their names from `no`
_CHILDREN_OF_A_LANGUAGE = frozenset({"nb", "nn"})


@lru_cache(maxsize=None)
def territory_names(tag: str) -> dict[str, str]:
    """Code → CLDR name of every ISO 3166 / UN M.49 territory in the given language (shared: do not modify).

    A bare language that inherits from CLDR's root alone, which names no territory, has all its names in its
    own CLDR file: read from that file, without the rest of Babel's locale (root's data merged into the
    language's, the table of parent locales), which costs about as much as the whole extraction of a short
    source. Not through `localedata.load(merge_inherited=False)`: Babel would cache the unmerged data as the
    locale's for the rest of the process. tests/test_langs.py checks both ways agree for every such language."""
    loc = locale(tag)
    if loc.territory or loc.script or loc.variant or loc.language in _CHILDREN_OF_A_LANGUAGE:
        return dict(loc.territories)
    with open(localedata.resolve_locale_filename(loc.language), "rb") as data:
        return dict(_NamesOnly(data).load().get("territories", {}))


class _NamesOnly(pickle.Unpickler):
    """A CLDR data file of Babel's read for its names: the objects of Babel's own classes in it (date and number
    patterns, plural rules) are left unbuilt, as `_Unbuilt`s, rather than import Babel's date and number
    formatting to build values nobody asks for here."""

    def find_class(self, module: str, name: str) -> type:
        return _Unbuilt if module.startswith("babel.") else super().find_class(module, name)


class _Unbuilt:
    """Stands for an object of one of Babel's classes in a CLDR data file (see _NamesOnly)."""

    def __new__(cls, *args: object) -> _Unbuilt:
        return super().__new__(cls)

    def __setstate__(self, state: object) -> None:
        pass


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
