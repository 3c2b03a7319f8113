"""PO/POT files: load them strictly with precise errors (poscan), merge them, and save them atomically in exactly
the bytes gettext's msgcat would write, so edits in Poedit or Weblate give clean diffs.

The only module that touches polib: it reads compendia, foreign PO files that are only ever read, where polib's
leniency is welcome (a memory from another project with a quirk still helps) and its losses (`#~|` lines,
comment details) do not matter because nothing is written back."""

from __future__ import annotations

import errno
import hashlib
import os
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cache
from itertools import accumulate, count
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import fsguard, unistring
from .errors import CatalogError, ConcurrentEditError
from .unistring import POSSIBLE, PROHIBITED

if TYPE_CHECKING:
    from .poscan import Raw

PAGE_WIDTH = 79
FUZZY = "fuzzy"
OBSOLETE_PREFIX = "#~ "


@dataclass
class Entry:
    """One message, kept apart from polib so the rest of the tool depends on our model, not on a parser."""

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
    line: int = 0
    #: the lines the entry was read from, and its fields as read (state()): an entry l10n did not change is
    #: written back with those bytes, however the last editor laid it out (zero churn with any tool)
    raw: Raw | None = field(default=None, repr=False, compare=False)
    pristine: tuple | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.raw is not None and self.pristine is None:
            self.pristine = self.state()

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
    path: Path
    header: Entry
    entries: list[Entry] = field(default_factory=list)
    encoding: str = "utf-8"
    newline: str = "\n"
    bom: bool = False
    #: sha256 of the bytes this catalog was read from, to notice edits made on disk meanwhile
    loaded_digest: str | None = None

    @property
    def active(self) -> list[Entry]:
        return [e for e in self.entries if not e.obsolete]

    def index(self) -> dict[tuple[str | None, str], Entry]:
        return {e.key: e for e in self.active}

    def header_field(self, name: str) -> str | None:
        for line in self.header.msgstr.split("\n"):
            key, sep, value = line.partition(":")
            if sep and key.strip().lower() == name.lower():
                return value.strip()
        return None

    def set_header_field(self, name: str, value: str) -> None:
        lines = [l for l in self.header.msgstr.split("\n") if l]
        for i, line in enumerate(lines):
            if line.partition(":")[0].strip().lower() == name.lower():
                lines[i] = f"{name}: {value}"
                break
        else:
            lines.append(f"{name}: {value}")
        self.header.msgstr = "".join(l + "\n" for l in lines)


# ---------------------------------------------------------------------------------------------------- loading


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def loads(data: bytes, path: Path) -> Catalog:
    """Parse PO bytes; every problem becomes a CatalogError naming the file and line.

    poscan does the parsing (gettext's grammar and escapes, strictly): polib drops `#~|` lines, reads one-digit
    plural indices only and keeps unknown escapes as backslashes, which would change meaning on save. The header
    is kept verbatim (its msgstr, comments and flags), so fields polib would merge or reorder survive."""
    from .poscan import scan  # a command that only writes catalogs (extract) never compiles the PO grammar

    scanned = scan(data, path, Entry)
    header = scanned.header if scanned.header is not None else Entry(msgid="")
    return Catalog(path=path, header=header, entries=scanned.messages, encoding=scanned.encoding,
                   newline=scanned.newline, bom=scanned.bom, loaded_digest=_digest(data))


def load(path: Path) -> Catalog:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise CatalogError(f"cannot read catalog: {exc.strerror or exc}", path) from None
    return loads(data, Path(path))


def read_compendium(path: Path) -> list[tuple[str, str]]:
    """(source, translation) pairs of the reviewed, singular entries of a foreign PO file."""
    import polib  # only compendia need it: every other command starts faster without

    try:
        po = polib.pofile(str(path), check_for_duplicates=False)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise CatalogError(f"cannot read compendium: {exc}", path) from None
    return [(e.msgid, e.msgstr) for e in po.translated_entries() if e.msgid and not e.msgid_plural]


def load_or_none(path: Path) -> Catalog | None:
    return load(path) if Path(path).exists() else None


# ---------------------------------------------------------------------------------------------------- writing

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\a": "\\a", "\b": "\\b",
            "\f": "\\f", "\v": "\\v"}
_ESCAPE_TABLE = str.maketrans(_ESCAPES)


def _odd_backslashes(text: str) -> bool:
    return (len(text) - len(text.rstrip("\\"))) % 2 == 1


# Where libunistring is missing, the writer emulates it (_units, _wrap, _narrow, _fits, below; _laid_out calls the
# library itself). libunistring also breaks after . , : ; directly followed by a letter ("a.b" → "a.|b").


@cache
def _segmentation() -> Any:
    """unicode-segmentation-rs, the emulation's UAX #14 breaks and widths: imported only where it is used."""
    import unicode_segmentation_rs

    return unicode_segmentation_rs


_AFTER_INFIX = re.compile(r"(?<=[.,:;])(?=[^\W\d_])")
_HAS_INFIX = re.compile(r"[.,:;][^\W\d_]")  # the same, without look-arounds: a quick scan of the whole string


def _units(escaped: str) -> list[str]:
    """Break opportunities as gettext sees them: never inside an escape, never before a final `\\n`."""
    units = _segmentation().line_break_units(escaped)
    if _HAS_INFIX.search(escaped):  # rare in prose: skip the per-unit split when nothing can match
        units = [part for unit in units for part in _AFTER_INFIX.split(unit)]
    if "\\" not in escaped:  # no escape sequence to keep whole
        return units
    glued: list[str] = []
    for part in units:
        if glued and (part == "\\n" or (glued[-1].endswith("\\") and _odd_backslashes(glued[-1]))):
            glued[-1] += part
        else:
            glued.append(part)
    return glued


def _spans(codes: list[int]) -> list[tuple[int, int]]:
    """Ascending code points as (first, last) runs."""
    spans: list[list[int]] = []
    for c in codes:
        if spans and spans[-1][1] == c - 1:
            spans[-1][1] = c
        else:
            spans.append([c, c])
    return [(a, b) for a, b in spans]


def _char_class(spans: list[tuple[int, int]]) -> str:
    """The inside of a regex character class for these runs of code points."""
    return "".join(re.escape(chr(a)) + (f"-{re.escape(chr(b))}" if b > a else "") for a, b in spans)


# Characters gettext counts as zero columns wide when they stand raw in a string (it escapes \a \b \f \n \r \t \v).
_ZERO_WIDTH_CODES = [*range(0x01, 0x07), *range(0x0E, 0x20), *range(0x7F, 0xA0), 0x2028, 0x2029]


@cache
def _zero_width() -> re.Pattern[str]:
    """Those characters, as a pattern for the emulation (its compilation is not paid where libunistring is)."""
    return re.compile(f"[{_char_class(_spans(_ZERO_WIDTH_CODES))}]")


@cache
def _not_narrow() -> re.Pattern[str]:
    """Characters that let a string's length equal its width while some character is not one column wide:
    gettext's zero-width controls (counted 1 by `text_width`), and wide characters, which could hide a
    zero-width mark. Wide ones below U+2E80 are found; from there on, every character is suspect. Written as
    the complement of the safe characters, built from the gaps between the few unsafe ones: Python's regex
    compiler handles that fast, and this is paid by every process that writes a catalog."""
    text_width = _segmentation().text_width
    wide = (c for c in range(0x1100, 0x2E80) if text_width(chr(c)) > 1)  # none is wide before U+1100
    safe, start = [], 0
    for first, last in _spans(sorted({*wide, *_ZERO_WIDTH_CODES})):
        if first > start:
            safe.append((start, first - 1))
        start = last + 1
    safe.append((start, 0x2E7F))
    return re.compile(f"[^{_char_class(safe)}]")


def _narrow(text: str) -> bool:
    """True when every character is one column wide, so that a slice's width is its length: no wide character
    and width equal to length leave no room for a zero-width one (nor for a sequence the width rules join)."""
    if text.isascii():
        return text.isprintable()
    return _segmentation().text_width(text) == len(text) and _not_narrow().search(text) is None


def _width(text: str) -> int:
    if text.isascii() and text.isprintable():  # the common case, one column per character
        return len(text)
    return _segmentation().text_width(text) - len(_zero_width().findall(text))


def _fits(text: str, room: int) -> bool:
    """_width(text) <= room, without counting zero-width characters when the raw width already fits."""
    if text.isascii() and text.isprintable():
        return len(text) <= room
    width = _segmentation().text_width(text)
    return width <= room or width - len(_zero_width().findall(text)) <= room


def _wrap(piece: str, units: list[str], width: int, narrow: bool) -> list[str]:
    """Greedy fill at UAX #14 break opportunities (libunistring's, as gettext's write-po.c uses), never inside
    an escape sequence: each line takes the most units that fit, and at least one that is not blank (leading
    spaces stay with what follows). Found by bisection over running widths rather than unit by unit; `piece`
    is the units joined, and when it is narrow the running widths are its offsets, so lines are its slices."""
    ends = list(accumulate(map(len, units) if narrow else map(_width, units), initial=0))
    lines: list[str] = []
    start, count = 0, len(units)
    while start < count:
        stop = bisect_right(ends, ends[start] + width, start) - 1
        if stop <= start or units[start].isspace():  # nothing fits, or the line would start blank
            solid = start
            while solid < count - 1 and units[solid].isspace():
                solid += 1
            stop = max(stop, solid + 1)
        lines.append(piece[ends[start]:ends[stop]] if narrow else "".join(units[start:stop]))
        start = stop
    return lines


def _escape(text: str) -> str:
    # the characters to escape are a backslash, a quote and controls (which str.isprintable rejects)
    return text.translate(_ESCAPE_TABLE) if "\\" in text or '"' in text or not text.isprintable() else text


def _quote(keyword: str, value: str, prefix: str = "", wrap: bool = True) -> tuple[str, ...]:
    """gettext's layout of one string: one line if it fits, else an empty first string and wrapped continuations,
    with a break after every embedded newline (the only breaks for an entry flagged no-wrap)."""
    if not value:
        return (f'{prefix}{keyword} ""',)
    if "\n" in value:
        return _broken(keyword, value, prefix, wrap)
    whole = _escape(value)
    room = PAGE_WIDTH - 3 - len(prefix) - len(keyword)
    if not wrap or (len(whole) <= room and (whole.isascii() or 2 * len(whole) <= room)):
        return (f'{prefix}{keyword} "{whole}"',)  # fits: no character is more than two columns wide
    library = unistring.library()
    if library is not None:
        if len(whole) <= room and "\0" not in whole and library.width(whole.encode("utf-8")) <= room:
            return (f'{prefix}{keyword} "{whole}"',)
        return _laid_out(keyword, ((whole, False),), prefix, True)
    if len(whole) <= room:
        if _fits(whole, room):
            return (f'{prefix}{keyword} "{whole}"',)
        narrow = False  # short, yet too wide: it holds wide characters
    else:  # longer than the line: it fits only if zero-width characters make up for it, never when narrow
        narrow = _narrow(whole)
        if not narrow and _fits(whole, room):
            return (f'{prefix}{keyword} "{whole}"',)
    return _long(keyword, whole, prefix, narrow)


@cache
def _long(keyword: str, escaped: str, prefix: str, narrow: bool) -> tuple[str, ...]:
    """One line's string (escaped) that does not fit, wrapped; on its line still if it cannot break. Cached:
    every catalog of a project repeats the same msgids, and `update` or `pretranslate` writes them all."""
    units = _units(escaped)
    if len(units) == 1:
        return (f'{prefix}{keyword} "{escaped}"',)
    return (f'{prefix}{keyword} ""',
            *(f'{prefix}"{part}"' for part in _wrap(escaped, units, PAGE_WIDTH - len(prefix) - 2, narrow)))


@cache
def _broken(keyword: str, value: str, prefix: str, wrap: bool) -> tuple[str, ...]:
    """A string that holds newlines: a break after each, and wrapped between them unless no-wrap. Cached as
    _long is."""
    head = f"{prefix}{keyword} "
    pieces = value.split("\n")
    last = len(pieces) - 1
    marked = [(_escape(p) + ("\\n" if i < last else ""), i < last) for i, p in enumerate(pieces)]
    marked = [(text, newline) for text, newline in marked if text]
    if unistring.library() is not None:
        return _laid_out(keyword, tuple(marked), prefix, wrap)
    escaped = [text for text, _ in marked]
    if not wrap:
        return (f'{head}"{escaped[0]}"',) if len(escaped) == 1 else \
            (f'{head}""', *(f'{prefix}"{piece}"' for piece in escaped))
    chunks = [(piece, _units(piece)) for piece in escaped]
    if len(chunks) == 1:  # a final newline only: on one line if it fits or cannot break
        piece, units = chunks[0]
        if len(units) == 1 or _fits(piece, PAGE_WIDTH - 2 - len(head)):
            return (f'{head}"{piece}"',)
    width = PAGE_WIDTH - len(prefix) - 2
    return (f'{head}""', *(f'{prefix}"{part}"' for piece, units in chunks
                                  for part in _wrap(piece, units, width, _narrow(piece))))


_UNLIMITED = 2**31 - 1  # gettext's INT_MAX page width for a string that must not wrap


@cache
def _laid_out(keyword: str, portions: tuple[tuple[str, bool], ...], prefix: str, wrap: bool) -> tuple[str, ...]:
    """gettext's layout (write-po.c), line breaks from libunistring as msgcat gets them. `portions` are the
    escaped string cut after each escaped newline, each starting a line (True: it ends with that newline, which
    no break may precede; nor may one fall inside an escape sequence). The first line is `keyword ""` when
    another portion follows or the first would wrap. Cached as _long is."""
    library = unistring.library()
    assert library is not None
    breaks = library.width_linebreaks
    after = len(prefix) + 1  # a continued line starts after the prefix and its opening quote
    width = (PAGE_WIDTH if wrap else _UNLIMITED) - 1 - after
    lines: list[str] = [f'{prefix}{keyword} ""']
    for text, newline in portions:
        data = text.encode("utf-8")
        overrides = _overrides(data, newline)
        marks = breaks(data, width, 0, overrides)
        if len(portions) == 1 and POSSIBLE not in marks:
            # Laid out as a continued line, it does not wrap; after the keyword (further right) it may.
            start = len(prefix) + len(keyword) + 2 - after
            if start <= width and POSSIBLE not in breaks(data, width, start, overrides):
                return (f'{prefix}{keyword} "{text}"',)
        cut, at = 0, marks.find(POSSIBLE)
        while at != -1:
            lines.append(f'{prefix}"{data[cut:at].decode("utf-8")}"')
            cut, at = at, marks.find(POSSIBLE, at + 1)
        lines.append(f'{prefix}"{data[cut:].decode("utf-8")}"')
    return tuple(lines)


def _overrides(data: bytes, newline: bool) -> bytes | None:
    """No break after a backslash (an escape sequence stays whole) nor before a final escaped newline, as
    write-po.c asks; None, leaving every choice to the library, for the usual string without backslashes."""
    if b"\\" not in data:
        return None
    marks = bytearray(len(data))  # 0 is UC_BREAK_UNDEFINED: the library decides
    at = data.find(b"\\")
    while at != -1:
        marks[at + 1] = PROHIBITED
        at = data.find(b"\\", at + 2)
    if newline:
        marks[-2] = PROHIBITED
    return bytes(marks)


def _comment_lines(marker: str, lines: list[str]) -> list[str]:
    return [marker if not line else f"{marker} {line}" for line in lines]


def _reference_lines(references: list[str]) -> list[str]:
    out: list[str] = []
    current = "#:"
    for ref in references:
        if len(current) > 2 and len(current) + 1 + len(ref) > PAGE_WIDTH:
            out.append(current)
            current = "#:"
        current += " " + ref
    if len(current) > 2:
        out.append(current)
    return out


def _entry_lines(entry: Entry, out: list[str]) -> None:
    """Append one entry's lines: into the file's one list of lines, not a list per entry."""
    if entry.translator_comments:
        out += _comment_lines("#", entry.translator_comments)
    if entry.extracted_comments:
        out += _comment_lines("#.", entry.extracted_comments)
    if entry.references and not entry.obsolete:  # msgcat drops references of obsolete entries, repeats none
        refs = entry.references
        if len(refs) == 1:
            out.append(f"#: {refs[0]}")
        else:
            out += _reference_lines(list(dict.fromkeys(refs)))
    if entry.flags:
        out.append("#, " + ", ".join(entry.flags))
    wrap = "no-wrap" not in entry.flags
    prev = "#~| " if entry.obsolete else "#| "
    if entry.previous_msgctxt is not None:
        out += _quote("msgctxt", entry.previous_msgctxt, prev, wrap)
    if entry.previous_msgid is not None:
        out += _quote("msgid", entry.previous_msgid, prev, wrap)
    if entry.previous_msgid_plural is not None:
        out += _quote("msgid_plural", entry.previous_msgid_plural, prev, wrap)
    p = OBSOLETE_PREFIX if entry.obsolete else ""
    if entry.msgctxt is not None:
        out += _quote("msgctxt", entry.msgctxt, p, wrap)
    out += _quote("msgid", entry.msgid, p, wrap)
    if entry.msgid_plural is not None:
        out += _quote("msgid_plural", entry.msgid_plural, p, wrap)
        for n in sorted(entry.msgstr_plural):
            out += _quote(f"msgstr[{n}]", entry.msgstr_plural[n], p, wrap)
    else:
        out += _quote("msgstr", entry.msgstr, p, wrap)


def _header_lines(header: Entry, out: list[str]) -> None:
    """The header as read, where only its msgstr changed: the fields l10n set are laid out anew, as msgcat lays
    out a header (a line break after each field), every other field keeps its lines as the last editor wrote
    them. Anything else changed, or a msgstr not written one field after another: laid out whole."""
    raw, pristine, state = header.raw, header.pristine, header.state()
    if raw is not None and pristine == state:
        out += raw.lines
        return
    if raw is None or pristine is None or pristine[:1] + pristine[2:] != state[:1] + state[2:]:
        _entry_lines(header, out)
        return
    lines = raw.lines
    at = next((i for i, line in enumerate(lines) if line.startswith("msgstr")), None)
    new = _quote("msgstr", header.msgstr, "", "no-wrap" not in header.flags)
    if at is None or lines[at].rstrip() != 'msgstr ""' or new[0] != 'msgstr ""' or \
            not all(line.startswith('"') and line.rstrip().endswith('"') for line in lines[at + 1:]):
        _entry_lines(header, out)
        return
    kept: dict[str, list[list[str]]] = {}
    for text, group in _field_groups(lines[at + 1:]):
        kept.setdefault(text, []).append(group)
    out += lines[:at + 1]
    for text, group in _field_groups(list(new[1:])):
        out += kept[text].pop(0) if kept.get(text) else group


def _field_groups(lines: list[str]) -> list[tuple[str, list[str]]]:
    """A header msgstr's continuation lines cut after each escaped newline: (escaped field text, its lines)."""
    groups: list[tuple[str, list[str]]] = []
    text, group = "", []
    for line in lines:
        content = line.strip()[1:-1]
        text += content
        group.append(line)
        if content.endswith("\\n") and _odd_backslashes(content[:-1]):
            groups.append((text, group))
            text, group = "", []
    if group:
        groups.append((text, group))
    return groups


def dumps(catalog: Catalog) -> bytes:
    """Serialise as msgcat does, except that an entry read from the file and left unchanged keeps its lines
    (Entry.unchanged), whoever laid them out; the encoding, BOM and line endings the file came with are kept."""
    lines: list[str] = []
    if catalog.header.msgstr or catalog.header.translator_comments:
        _header_lines(catalog.header, lines)
    for obsolete in (False, True):  # obsolete entries last
        for entry in catalog.entries:
            if entry.obsolete == obsolete:
                if lines:
                    lines.append("")  # the blank line between entries
                if entry.unchanged:
                    lines += entry.raw.lines
                else:
                    _entry_lines(entry, lines)
    text = "\n".join(lines) + "\n"
    if catalog.newline != "\n":
        text = text.replace("\n", catalog.newline)
    try:
        data = text.encode(catalog.encoding)
    except UnicodeEncodeError:
        # A translation the declared charset cannot hold: switch the file to UTF-8 rather than lose text.
        catalog.encoding = "utf-8"
        catalog.set_header_field("Content-Type", "text/plain; charset=UTF-8")
        return dumps(catalog)
    return (b"\xef\xbb\xbf" if catalog.bom else b"") + data


# Exclusive creation (an existing name, even a symbolic link, is never opened), no inheritance by child processes,
# and binary mode where the system has a text mode.
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
_serial = count()


def _new_file_beside(path: Path) -> tuple[int, str]:
    """A new, empty file `.<name>.<process id>-<n>.tmp` in the folder of `path`. What tempfile.mkstemp does with
    random names; importing tempfile (random, shutil, three compression modules) cost every command 8 ms. A
    name left by a killed process with the same id is skipped, as mkstemp skips a taken random name."""
    for _ in range(100):
        tmp = os.path.join(path.parent, f".{path.name}.{os.getpid()}-{next(_serial)}.tmp")
        try:
            return os.open(tmp, _NEW_FILE, 0o600), tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free name for a temporary file", tmp)


_LEFTOVER = re.compile(r"\..+\.(\d+)-\d+\.tmp")  # what _new_file_beside names: .<name>.<pid>-<n>.tmp


def remove_leftovers(folder: Path) -> None:
    """Remove, in `folder` and below, the temporary files writers killed mid-write left behind: those named as
    _new_file_beside names them whose process is gone (a live one may still be writing; another user's is not
    ours to judge). Every command that writes a project sweeps it first, under its lock; not a folder that a
    symbolic link takes out of the project."""
    if not fsguard.is_inside(folder):
        return
    for parent, _dirs, names in os.walk(folder):
        for name in names:
            match = _LEFTOVER.fullmatch(name)
            if match is None or int(match.group(1)) == os.getpid():
                continue
            try:
                os.kill(int(match.group(1)), 0)
                continue  # alive
            except ProcessLookupError:
                pass
            except (PermissionError, OverflowError):
                continue
            try:
                os.unlink(os.path.join(parent, name))
            except OSError:
                pass


def atomic_write(path: Path, data: bytes, durable: bool = True, confined: bool = True) -> None:
    """Temporary file in the same folder, flush, fsync, rename: readers see the old file or the new, never half.
    `durable=False` skips both fsyncs, for caches: after a power cut such a file may be lost or garbled, which
    only costs the work of rebuilding it, and every command that keeps one saves it. `confined=False` for the
    per-user cache, the one file l10n keeps outside the project (fsguard)."""
    if confined:
        fsguard.inside(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _new_file_beside(path)
    try:
        _fill_temporary(fd, tmp, path, data, durable)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    if durable:
        _sync_folder(path.parent)


def _fill_temporary(fd: int, tmp: str, path: Path, data: bytes, durable: bool) -> None:
    """Write the new bytes, synced unless not `durable`, with the mode of the file they will replace."""
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        if durable:
            os.fsync(handle.fileno())
    if path.exists():
        os.chmod(tmp, path.stat().st_mode & 0o777)
    else:
        os.chmod(tmp, 0o644)


def _sync_folder(folder: Path) -> None:
    dir_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def write_if_changed(path: Path, text: str | bytes) -> bool:
    """Atomic write of an output file, skipped when the bytes are the same (no churn, mtimes kept); text as UTF-8."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    if path.exists() and path.read_bytes() == data:
        return False
    atomic_write(path, data)
    return True


def save(catalog: Catalog, check_unchanged_on_disk: bool = True) -> bool:
    """Write only when the bytes differ (no churn, mtimes kept); refuse to clobber an edit made on disk meanwhile,
    however late it lands (see _swap_in): ConcurrentEditError, with the file as the translator saved it.

    Returns True when the file was written."""
    data = dumps(catalog)
    path = fsguard.inside(catalog.path)
    current = _read_or_none(path)
    if current == data:
        catalog.loaded_digest = _digest(data)
        return False
    if check_unchanged_on_disk and current is not None and catalog.loaded_digest is not None \
            and _digest(current) != catalog.loaded_digest:
        raise _edited(path)
    _swap_in(path, data, current)
    catalog.loaded_digest = _digest(data)
    return True


def _read_or_none(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _edited(path: Path) -> ConcurrentEditError:
    return ConcurrentEditError("catalog changed on disk while l10n was working on it; run the command again", path)


def _before_swap(path: Path) -> None:
    """The last instant before a catalog is swapped in, after its final check. Does nothing: tests replace it
    to save a translator's edit exactly there and prove that it survives."""


def _swap_in(path: Path, data: bytes, expected: bytes | None) -> None:
    """Put `data` at `path` if the file there still holds `expected` (None: no file), and never lose a save a
    translator's editor makes meanwhile, in place or by rename.

    Checking and then renaming leaves a window in which an edit is overwritten. So the new file, written and
    synced beside the old one, is checked against the old once more and then exchanged with it atomically
    (renameat2 RENAME_EXCHANGE; RENAME_NOREPLACE when there is no old file): the file displaced is whatever was
    at `path` at that instant, still on disk under the temporary name. If it is not what was checked, a
    translator saved meanwhile: the two are exchanged back, and ConcurrentEditError says so. A save written into
    our file in the short time it was in place is newer still, and is what stays."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _new_file_beside(path)
    keep = False  # the temporary name holds a translator's file: never delete it
    try:
        _fill_temporary(fd, tmp, path, data, True)
        before = _stat_or_none(path)
        if _read_or_none(path) != expected or _stat_or_none(path) != before:
            raise _edited(path)
        _before_swap(path)
        if expected is None:
            if not _rename_noreplace(tmp, path):
                raise _edited(path)
        elif not _exchange_existing(tmp, path):  # renameat2 missing, or the file system lacks it: a rename
            if _read_or_none(path) != expected:
                raise _edited(path)
            os.replace(tmp, path)
        elif Path(tmp).read_bytes() != expected:
            keep = True
            _exchange(tmp, path)  # the translator's file back in place
            keep = Path(tmp).read_bytes() != data
            if keep:  # a save into ours while it was in place is the newest of all
                _exchange(tmp, path)
                keep = False
            raise _edited(path)
    finally:
        if not keep and os.path.lexists(tmp):
            os.unlink(tmp)
    _sync_folder(path.parent)


def _stat_or_none(path: Path) -> tuple[int, int, int, int] | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


_RENAME_NOREPLACE, _RENAME_EXCHANGE = 1, 2
_AT_FDCWD = -100


@cache
def _renameat2() -> Any:
    """glibc's renameat2 through ctypes (Python has no binding), or None where the C library lacks it."""
    import ctypes

    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def _rename2(source: str | Path, target: str | Path, flags: int) -> bool:
    """renameat2(source, target, flags): True if done, False where it is unavailable; OSError otherwise."""
    function = _renameat2()
    if function is None:
        return False
    import ctypes

    if function(_AT_FDCWD, os.fsencode(source), _AT_FDCWD, os.fsencode(target), flags) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):  # the kernel or file system cannot do it
        return False
    raise OSError(code, os.strerror(code), str(source), None, str(target))


def _exchange(a: str | Path, b: str | Path) -> bool:
    return _rename2(a, b, _RENAME_EXCHANGE)


def _exchange_existing(tmp: str, path: Path) -> bool:
    """_exchange, where a file that vanished meanwhile (an editor that moves the old file aside before writing
    the new one) is an edit under way, not an error of the system."""
    try:
        return _exchange(tmp, path)
    except FileNotFoundError:
        raise _edited(path) from None


def _rename_noreplace(source: str, target: Path) -> bool:
    """Rename unless `target` exists: False when it does (someone created it meanwhile)."""
    try:
        done = _rename2(source, target, _RENAME_NOREPLACE)
    except FileExistsError:
        return False
    if not done:
        if target.exists():
            return False
        os.replace(source, target)
    return True


def changed_on_disk(catalog: Catalog) -> bool:
    path = catalog.path
    if not path.exists():
        return catalog.loaded_digest is not None
    return catalog.loaded_digest is not None and _digest(path.read_bytes()) != catalog.loaded_digest


# ---------------------------------------------------------------------------------------------------- merging

FUZZY_MATCH_CUTOFF = 60.0  # msgmerge's fuzzy threshold is a similarity of 0.6


@dataclass
class MergeResult:
    catalog: Catalog
    kept: int = 0
    fuzzy: int = 0
    added: int = 0
    obsoleted: int = 0


def merge(template: Catalog, old: Catalog | None, path: Path, header: Entry) -> MergeResult:
    """msgmerge --previous semantics: same msgid keeps its translation; a changed msgid inherits the closest old
    translation as fuzzy with `#|` previous strings; a vanished one becomes obsolete; a new one arrives empty."""
    result = MergeResult(Catalog(path=path, header=header))
    if old is not None:
        result.catalog.encoding, result.catalog.newline, result.catalog.bom = old.encoding, old.newline, old.bom
        result.catalog.loaded_digest = old.loaded_digest
    old_active = {e.key: e for e in old.entries if not e.obsolete} if old else {}
    old_obsolete = {e.key: e for e in old.entries if e.obsolete} if old else {}
    used: set[tuple[str | None, str]] = set()
    pending: list[tuple[int, Entry]] = []
    merged: list[Entry] = []
    for tentry in template.active:
        prior = old_active.get(tentry.key) or old_obsolete.get(tentry.key)
        new = _from_template(tentry)
        if prior is not None:
            used.add(prior.key)
            _inherit(new, prior, same=True)
            result.kept += 1
        else:
            pending.append((len(merged), new))
        merged.append(new)
    # Fuzzy matching only among old translated entries nobody claimed, so an insert cannot steal a neighbour's.
    candidates = {k: e.msgid for k, e in old_active.items() if k not in used and e.has_translation}
    if pending and candidates:
        from rapidfuzz import fuzz, process  # only a merge with changed messages needs it
    for _, new in pending:
        if candidates:
            best = process.extractOne(new.msgid, candidates, scorer=fuzz.ratio, score_cutoff=FUZZY_MATCH_CUTOFF)
            if best is not None:
                del candidates[best[2]]
                prior = old_active[best[2]]
                used.add(prior.key)
                _inherit(new, prior, same=False)
                result.fuzzy += 1
                continue
        result.added += 1
    result.catalog.entries = merged
    current = {m.key for m in merged}
    for e in old.entries if old else []:
        if e.key in used or e.key in current:
            continue
        if e.has_translation or e.obsolete:
            gone = _copy(e)
            gone.obsolete = True
            gone.references = []
            result.catalog.entries.append(gone)
            result.obsoleted += 0 if e.obsolete else 1
    return result


def _copy(e: Entry) -> Entry:
    return Entry(**{**e.__dict__, "flags": list(e.flags), "msgstr_plural": dict(e.msgstr_plural),
                    "translator_comments": list(e.translator_comments),
                    "extracted_comments": list(e.extracted_comments), "references": list(e.references)})


def _from_template(t: Entry) -> Entry:
    flags = [f for f in t.flags if f != FUZZY]
    return Entry(msgid=t.msgid, msgctxt=t.msgctxt, msgid_plural=t.msgid_plural, flags=flags,
                 extracted_comments=list(t.extracted_comments), references=list(t.references),
                 msgstr_plural={})


def _inherit(new: Entry, prior: Entry, same: bool) -> None:
    new.raw, new.pristine = prior.raw, prior.pristine  # written as it was if the merge leaves it as it was
    new.msgstr = prior.msgstr
    new.msgstr_plural = dict(prior.msgstr_plural)
    new.translator_comments = list(prior.translator_comments)
    extra = [f for f in prior.flags if f not in new.flags and f != FUZZY]
    new.flags += extra
    if same:
        if prior.fuzzy:
            new.set_fuzzy(True)
            new.previous_msgctxt = prior.previous_msgctxt
            new.previous_msgid = prior.previous_msgid
            new.previous_msgid_plural = prior.previous_msgid_plural
    else:
        new.set_fuzzy(True)
        new.previous_msgctxt = prior.msgctxt
        new.previous_msgid = prior.msgid
        new.previous_msgid_plural = prior.msgid_plural
