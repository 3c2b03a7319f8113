"""The PO model: entries and catalogs as plain dataclasses, kept apart from reading (parse) and writing (layout,
files) as Babel keeps its Catalog apart from read_po/write_po."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .parse import Raw

PAGE_WIDTH = 79
FUZZY = "fuzzy"
OBSOLETE_PREFIX = "#~ "
_CHARSET = re.compile(r"(?i:charset)=([A-Za-z0-9_.:-]+)")  # the parameter's name in any case; charset names are ASCII


@dataclass(slots=True)
class Entry:
    """One message, kept apart from any parser so the rest of the tool depends on this model. Slotted: a catalog
    holds thousands, and without an attribute dictionary each is smaller and quicker to make."""

    msgid: str
    msgstr: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    translator_comments: list[str] = field(default_factory=list)
    extracted_comments: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    previous_msgctxt: str | None = None
    previous_msgid: str | None = None
    previous_msgid_plural: str | None = None
    obsolete: bool = False
    #: the line of its msgid keyword in the file it was read from (0: made in memory), where messages about it
    #: point; it stays the file's when the entry is changed in memory
    line: int = 0
    #: the lines the entry was read from, and its fields as read (state(), recorded by the parser): an entry
    #: l10n did not change is written back with those bytes, however the last editor laid it out (zero churn
    #: with any tool)
    raw: Raw | None = field(default=None, repr=False, compare=False)
    pristine: tuple | None = field(default=None, repr=False, compare=False)

    @classmethod
    def read(cls, msgid: str, msgstr: str, msgctxt: str | None, msgid_plural: str | None,
             msgstr_plural: dict[int, str], flags: list[str], translator_comments: list[str],
             extracted_comments: list[str], references: list[str], previous_msgctxt: str | None,
             previous_msgid: str | None, previous_msgid_plural: str | None, obsolete: bool, line: int,
             raw: Raw | None) -> Entry:
        """An entry as the parser reads it, every field named (po.parse's `make`), given to the class by position
        in the fields' order (tests/test_po_package.py holds the two together): a class called with keywords
        passes them through a dict twice, for each of a catalog's entries."""
        return cls(msgid, msgstr, msgctxt, msgid_plural, msgstr_plural, flags, translator_comments,
                   extracted_comments, references, previous_msgctxt, previous_msgid, previous_msgid_plural,
                   obsolete, line, raw)

    @classmethod
    def extracted(cls, msgid: str, msgctxt: str | None, comments: list[str], references: list[str]) -> Entry:
        """A template's new entry: the source's text, what it is (extracted comments) and where it stands, every
        other field empty. By position: a class called with keywords passes them through a dict, twice."""
        return cls(msgid, "", msgctxt, None, {}, [], [], comments, references)

    def state(self) -> tuple:
        """Every field the file's bytes say, in one comparable value (not `line`, not the raw lines)."""
        return (self.msgid, self.msgstr, self.msgctxt, self.msgid_plural,
                tuple(sorted(self.msgstr_plural.items())) if self.msgstr_plural else (), tuple(self.flags),
                tuple(self.translator_comments), tuple(self.extracted_comments), tuple(self.references),
                self.previous_msgctxt, self.previous_msgid, self.previous_msgid_plural, self.obsolete)

    @property
    def unchanged(self) -> bool:
        """Read from a file and not modified since: its raw lines are still what it says."""
        return self.raw is not None and self.pristine == self.state()

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    def copy(self) -> Entry:
        """An independent copy: its lists and plural forms are new objects, so changing one leaves the other."""
        return dataclasses.replace(self, flags=list(self.flags), msgstr_plural=dict(self.msgstr_plural),
                                   translator_comments=list(self.translator_comments),
                                   extracted_comments=list(self.extracted_comments), references=list(self.references))

    @property
    def fuzzy(self) -> bool:
        return FUZZY in self.flags

    def set_fuzzy(self, on: bool) -> None:
        if on and not self.fuzzy:
            self.flags.insert(0, FUZZY)
        elif not on and self.fuzzy:
            self.flags.remove(FUZZY)
        if not on:
            self.previous_msgctxt = self.previous_msgid = self.previous_msgid_plural = None

    @property
    def has_translation(self) -> bool:
        if self.msgid_plural is not None:
            return bool(self.msgstr_plural) and all(self.msgstr_plural.values())
        return bool(self.msgstr)

    @property
    def translated(self) -> bool:
        """Reviewed: a translation a human has accepted (gettext's 'translated', not fuzzy)."""
        return self.has_translation and not self.fuzzy

    @property
    def translation(self) -> str:
        return self.msgstr_plural.get(0, "") if self.msgid_plural is not None else self.msgstr


@dataclass
class Catalog:
    """A PO file's header and entries, and how the file was written (encoding, newlines, BOM), to write it so."""

    path: Path
    header: Entry
    entries: list[Entry] = field(default_factory=list)
    encoding: str = "utf-8"
    newline: str = "\n"
    bom: bool = False
    #: sha256 of the bytes this catalog was read from, to notice edits made on disk meanwhile
    loaded_digest: str | None = None
    #: where each header field starts in the file read (lowercased name → line), recorded by the loader
    field_lines: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

    @property
    def active(self) -> list[Entry]:
        return [e for e in self.entries if not e.obsolete]

    def index(self) -> dict[tuple[str | None, str], Entry]:
        return {e.key: e for e in self.active}

    @property
    def header_line(self) -> int:
        """The line of the header's msgid in the file read (1 without one): messages about the header point there."""
        return max(self.header.line, 1)

    def field_line(self, name: str) -> int:
        """The line where header field `name` starts in the file read, else the header's."""
        return self.field_lines.get(name.lower(), self.header_line)

    def header_field(self, name: str) -> str | None:
        return header_field(self.header.msgstr, name)

    def set_header_field(self, name: str, value: str) -> None:
        self.header.msgstr = with_header_field(self.header.msgstr, name, value)



def header_fields(msgstr: str) -> list[tuple[str, str]]:
    """The one way a header is read: its `Name: value` lines, in order, as (name, value) stripped."""
    fields = []
    for line in msgstr.split("\n"):
        key, sep, value = line.partition(":")
        if sep:
            fields.append((key.strip(), value.strip()))
    return fields


def header_field(msgstr: str, name: str) -> str | None:
    """The one header lookup: the value of field `name` (case-insensitive) in a header's msgstr, or None."""
    wanted = name.lower()
    return next((value for key, value in header_fields(msgstr) if key.lower() == wanted), None)


def declared_charset(content_type: str | None) -> str | None:
    """The charset a Content-Type value declares ("text/plain; charset=UTF-8" → "UTF-8"; xgettext's template
    says "CHARSET"), or None: read one way by the loader, which decodes with it, and by the po-valid check."""
    match = _CHARSET.search(content_type or "")
    return match.group(1) if match else None


def with_header_field(msgstr: str, name: str, value: str) -> str:
    """A header's msgstr with field `name` set to `value`: replaced where it is, else added at the end."""
    lines = [l for l in msgstr.split("\n") if l]
    for i, line in enumerate(lines):
        if line.partition(":")[0].strip().lower() == name.lower():
            lines[i] = f"{name}: {value}"
            break
    else:
        lines.append(f"{name}: {value}")
    return "".join(l + "\n" for l in lines)
