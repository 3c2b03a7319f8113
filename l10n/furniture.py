"""The words around the appeal (notices, navigation, the index page) as gettext messages with English msgids.

They ship as PO files in `l10n/data/furniture/<tag>.po`; a project may override or add languages with
`locales/<tag>/furniture.po`. A language nobody wrote a file for falls back to its CLDR parent, then to English, so
a new language needs no code. Every string carries the language it is really in, so that HTML can mark an English
fallback with `lang="en"` and screen readers pronounce it right."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Callable, Union

from . import langs
from . import po as pofile
from .config import FURNITURE_ID

PROJECT_FILE = f"{FURNITURE_ID}.po"  # a name no document may take (config.RESERVED_IDS)
ENGLISH = "en"

MACHINE_TITLE = "Machine translation, not yet reviewed"
PARTIAL_TITLE = "Translation in progress"
REVIEWED_TITLE = "Reviewed by translators"
REVIEWED_COUNT = "Passages reviewed by a translator: {reviewed} of {total}."
DRAFTS = "Highlighted passages are machine translation or drafts that no translator has reviewed yet."
FALLBACK_COUNT = "Passages still in the original language ({language}): {count} of {total}."
OTHER_LANGUAGES = "Other languages"
ALL_LANGUAGES = "All languages"
INDEX_TITLE = "Translations"
INDEX_INTRO = "Every published language, with the share of its text a translator has reviewed."
NOTHING_PUBLISHED = "No language has been published yet."
COLUMN_LANGUAGE = "Language"
COLUMN_DOCUMENT = "Document"
COLUMN_REVIEWED = "Reviewed"
COLUMN_STATUS = "Status"
COLUMN_FORMATS = "Formats"
STATUS_COMPLETE = "Fully reviewed"
STATUS_PARTIAL = "Partly reviewed"
STATUS_ORIGINAL = "Original text"
STATUS_UNAVAILABLE = "Not yet available"
FORMAT_HTML = "Web page"
FORMAT_MARKDOWN = "Markdown"
FORMAT_TEXT = "Plain text"
FORMAT_PDF = "PDF for printing"
FORMAT_EMAIL = "E-mail message"

#: every message, in the order of the shipped PO files and their template
MESSAGES: tuple[str, ...] = (
    MACHINE_TITLE, PARTIAL_TITLE, REVIEWED_TITLE, REVIEWED_COUNT, DRAFTS, FALLBACK_COUNT, OTHER_LANGUAGES,
    ALL_LANGUAGES, INDEX_TITLE, INDEX_INTRO, NOTHING_PUBLISHED, COLUMN_LANGUAGE, COLUMN_DOCUMENT, COLUMN_REVIEWED,
    COLUMN_STATUS, COLUMN_FORMATS, STATUS_COMPLETE, STATUS_PARTIAL, STATUS_ORIGINAL, STATUS_UNAVAILABLE, FORMAT_HTML,
    FORMAT_MARKDOWN, FORMAT_TEXT, FORMAT_PDF, FORMAT_EMAIL,
)

_FIELD = re.compile(r"\{(\w+)\}")
_ANY_FIELD = re.compile(r"\{([^{}]*)\}")

#: a field value: a string, or a function of the language the message turned out to be in (a language name or a
#: percentage must match the sentence around it, which may be the English fallback)
Value = Union[str, Callable[[str], str]]


@dataclass(frozen=True)
class Text:
    """A localised string and the language it is actually in (English when nobody translated it)."""

    text: str
    lang: str

    def __str__(self) -> str:
        return self.text


def _fields(text: str) -> set[str]:
    """Every brace expression, so that `{percent.__class__}` counts as a field the msgid does not have."""
    return set(_ANY_FIELD.findall(text))


def fill(template: str, values: dict[str, str]) -> str:
    """Substitute `{name}` fields only: str.format would let a catalog reach attributes (`{x.__class__}`)."""
    return _FIELD.sub(lambda m: values.get(m.group(1), m.group(0)), template)


class Furniture:
    """Look-ups for one page language; call it with an English msgid (and field values) to get a Text."""

    def __init__(self, lang: str, messages: dict[str, Text]) -> None:
        self.lang = lang
        self._messages = messages

    def __call__(self, msgid: str, **values: Value) -> Text:
        found = self._messages.get(msgid) or Text(msgid, ENGLISH)
        resolved = {k: v if isinstance(v, str) else v(found.lang) for k, v in values.items()}
        return Text(fill(found.text, resolved), found.lang)


def chain(tag: str) -> list[str]:
    """`pt-BR` → [pt-BR, pt]; `zh-Hant-TW` → [zh-Hant-TW, zh-Hant] (plain `zh` is written in Hans, per CLDR's likely
    subtags, so it is no fallback for Hant); `sr-Latn` → [sr-Latn]."""
    loc = langs.locale(tag)
    likely = langs.likely_subtags(loc.language)
    likely_script = likely[1] if len(likely) >= 3 else None
    out = [langs.canonical(tag)]
    if loc.territory or loc.variant:
        if loc.script:
            out.append(f"{loc.language}-{loc.script}")
    if not loc.script or loc.script == likely_script:
        out.append(loc.language)
    return list(dict.fromkeys(out))


def _translations(po: pofile.Catalog, lang: str) -> dict[str, Text]:
    """Reviewed entries whose placeholders match the msgid; anything else is as good as untranslated."""
    return {e.msgid: Text(e.msgstr, lang) for e in po.active
            if e.translated and e.msgctxt is None and _fields(e.msgstr) == _fields(e.msgid)}


@lru_cache(maxsize=None)
def shipped(tag: str) -> dict[str, Text]:
    """The translations shipped with l10n for one exact tag (empty when there is no file)."""
    resource = resources.files("l10n").joinpath("data", "furniture", f"{tag}.po")
    if not resource.is_file():
        return {}
    return _translations(pofile.loads(resource.read_bytes(), Path(str(resource))), tag)


def _project(locales: Path | None, tag: str) -> dict[str, Text]:
    if locales is None:
        return {}
    path = locales / tag / PROJECT_FILE
    return _translations(pofile.load(path), tag) if path.is_file() else {}


def load(lang: str, locales: Path | None = None) -> Furniture:
    """Furniture for a page in `lang`: for each tag of its fallback chain the project's file first, then the shipped
    one; English last. A malformed project file raises CatalogError naming file and line."""
    merged: dict[str, Text] = {}
    for tag in dict.fromkeys([ENGLISH, *reversed(chain(lang))]):  # least specific first, so the page's own wins
        merged.update(shipped(tag))
        merged.update(_project(locales, tag))
    return Furniture(langs.canonical(lang), merged)
