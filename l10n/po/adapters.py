"""polib for scripts: a catalog l10n loaded (strictly, file:line errors) handed to code written against polib's
API. The tool itself never reads nor writes through polib: its parser is lenient where ours is strict, and its
writer's layout is not msgcat's (see parse.py and layout.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .model import Catalog, Entry, header_fields

if TYPE_CHECKING:
    import polib


def _polib_entry(entry: Entry, polib_module: object) -> polib.POEntry:
    return polib_module.POEntry(  # type: ignore[attr-defined]
        msgid=entry.msgid, msgstr=entry.msgstr, msgctxt=entry.msgctxt, msgid_plural=entry.msgid_plural or "",
        msgstr_plural=dict(entry.msgstr_plural), flags=list(entry.flags), tcomment="\n".join(entry.translator_comments),
        comment="\n".join(entry.extracted_comments), occurrences=[_occurrence(r) for r in entry.references],
        previous_msgctxt=entry.previous_msgctxt, previous_msgid=entry.previous_msgid,
        previous_msgid_plural=entry.previous_msgid_plural, obsolete=entry.obsolete, linenum=entry.line)


def _occurrence(reference: str) -> tuple[str, str]:
    path, sep, line = reference.rpartition(":")
    return (path, line) if sep and line.isdigit() else (reference, "")


def to_polib(catalog: Catalog) -> polib.POFile:
    """The catalog as a polib.POFile (header fields as metadata, every entry with its comments, flags, previous
    strings and plural forms), for scripts that already speak polib. Writing it back with polib loses msgcat's
    layout: save through l10n.po.save instead."""
    import polib

    out = polib.POFile(wrapwidth=79, encoding=catalog.encoding, check_for_duplicates=False)
    out.header = "\n".join(catalog.header.translator_comments)
    for name, value in header_fields(catalog.header.msgstr):
        out.metadata[name] = value
    for entry in catalog.entries:
        out.append(_polib_entry(entry, polib))
    return out
