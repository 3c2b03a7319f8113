"""The writer: a catalog as the bytes gettext's msgcat would write, so edits in Poedit or Weblate give clean diffs.
Line breaks come from GNU libunistring, the library msgcat itself asks (po/unistring.py); where it is missing the
writer refuses rather than guess (an emulation could not keep the byte-identity promise)."""

from __future__ import annotations

import codecs
from operator import attrgetter

from ..errors import CatalogError
from . import unistring
from .model import OBSOLETE_PREFIX, PAGE_WIDTH, Catalog, Entry
from .unistring import POSSIBLE, PROHIBITED

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\a": "\\a", "\b": "\\b",
            "\f": "\\f", "\v": "\\v"}
_ESCAPE_TABLE = str.maketrans(_ESCAPES)


def _odd_backslashes(text: str) -> bool:
    return (len(text) - len(text.rstrip("\\"))) % 2 == 1


def _library() -> unistring.Unistring:
    """libunistring, or a CatalogError: without it no line break can be promised to be msgcat's."""
    library = unistring.library()
    if library is None:
        raise CatalogError("cannot write PO files: GNU libunistring (installed with gettext; Debian: libunistring5 "
                           "or libunistring2) was not found, and without it the lines would not be msgcat's")
    return library


def _escape(text: str) -> str:
    # the characters to escape, _ESCAPES' keys, each looked for (memchr): str.translate looks every character up
    if "\\" in text or '"' in text or "\n" in text or "\t" in text or "\r" in text or "\a" in text or \
            "\b" in text or "\f" in text or "\v" in text:
        return text.translate(_ESCAPE_TABLE)
    return text


def _quote(out: list[str], keyword: str, value: str, prefix: str, wrap: bool, layouts: _Layouts) -> None:
    """Append gettext's layout of one string: one line if it fits, else an empty first string and wrapped
    continuations, with a break after every embedded newline (the only breaks for an entry flagged no-wrap)."""
    if not value:
        out.append(f'{prefix}{keyword} ""')
    elif "\n" in value:
        out += layouts.get(keyword, value, prefix, wrap)
    else:
        whole = _escape(value)
        room = PAGE_WIDTH - 3 - len(prefix) - len(keyword)
        if not wrap or (len(whole) <= room and (whole.isascii() or 2 * len(whole) <= room or _narrow(whole, room))):
            out.append(f'{prefix}{keyword} "{whole}"')  # fits (no character is more than two columns wide)
        else:
            out += layouts.get(keyword, value, prefix, wrap, whole)


def _narrow(text: str, room: int) -> bool:
    """Fits in `room` columns as libunistring counts them (a NUL would end its count early: never asked)."""
    return "\0" not in text and _library().width(text.encode("utf-8")) <= room


class _Layouts:
    """The strings laid out by libunistring for one catalog's write, and those of the write before it.

    Catalogs are written one language after another, and each repeats the msgids of the one before (`update` and
    `pretranslate` write every language's): a string is laid out once for all of them. What stays after a write is
    what it used, so what is kept is bounded by one catalog, not every catalog a command has written."""

    def __init__(self, earlier: dict[tuple[str, str, str, bool], tuple[str, ...]]) -> None:
        self.earlier = earlier
        self.used: dict[tuple[str, str, str, bool], tuple[str, ...]] = {}

    def get(self, keyword: str, value: str, prefix: str, wrap: bool, escaped: str | None = None) -> tuple[str, ...]:
        """The lines of `value` (`escaped`: its escaped text, when the caller has it and it holds no newline)."""
        key = (keyword, value, prefix, wrap)
        lines = self.used.get(key)
        if lines is None:
            lines = self.earlier.get(key) or _wrapped(keyword, value, prefix, wrap, escaped)
            self.used[key] = lines
        return lines


#: the layouts the catalog written last used (_Layouts.used); replaced, not added to, by each write
_last_write: dict[tuple[str, str, str, bool], tuple[str, ...]] = {}


def _wrapped(keyword: str, value: str, prefix: str, wrap: bool, escaped: str | None) -> tuple[str, ...]:
    """A string too wide for one line, or holding newlines: a break after each newline, and wrapped between them
    (unless no-wrap)."""
    if "\n" not in value:
        return _laid_out(keyword, ((escaped or _escape(value), False),), prefix, True)
    pieces = value.split("\n")
    last = len(pieces) - 1
    marked = [(_escape(p) + ("\\n" if i < last else ""), i < last) for i, p in enumerate(pieces)]
    marked = [(text, newline) for text, newline in marked if text]
    return _laid_out(keyword, tuple(marked), prefix, wrap)


_UNLIMITED = 2**31 - 1  # gettext's INT_MAX page width for a string that must not wrap


def _laid_out(keyword: str, portions: tuple[tuple[str, bool], ...], prefix: str, wrap: bool) -> tuple[str, ...]:
    """gettext's layout (write-po.c), line breaks from libunistring as msgcat gets them. `portions` are the
    escaped string cut after each escaped newline, each starting a line (True: it ends with that newline, which
    no break may precede; nor may one fall inside an escape sequence). The first line is `keyword ""` when
    another portion follows or the first would wrap."""
    breaks = _library().width_linebreaks
    after = len(prefix) + 1  # a continued line starts after the prefix and its opening quote
    width = (PAGE_WIDTH if wrap else _UNLIMITED) - 1 - after
    lines: list[str] = [f'{prefix}{keyword} ""']
    for text, newline in portions:
        overrides = _overrides(text, newline)
        marks = breaks(text, width, 0, overrides)
        if len(portions) == 1 and POSSIBLE not in marks:
            # Laid out as a continued line, it does not wrap; after the keyword (further right) it may.
            start = len(prefix) + len(keyword) + 2 - after
            if start <= width and POSSIBLE not in breaks(text, width, start, overrides):
                return (f'{prefix}{keyword} "{text}"',)
        cut, at = 0, marks.find(POSSIBLE)
        while at != -1:
            lines.append(f'{prefix}"{text[cut:at]}"')
            cut, at = at, marks.find(POSSIBLE, at + 1)
        lines.append(f'{prefix}"{text[cut:]}"')
    return tuple(lines)


def _overrides(text: str, newline: bool) -> bytes | None:
    """No break after a backslash (an escape sequence stays whole) nor before a final escaped newline, as
    write-po.c asks; None, leaving every choice to the library, for the usual string without backslashes."""
    if "\\" not in text:
        return None
    marks = bytearray(len(text))  # 0 is UC_BREAK_UNDEFINED: the library decides
    at = text.find("\\")
    while at != -1:
        marks[at + 1] = PROHIBITED
        at = text.find("\\", at + 2)
    if newline:
        marks[-2] = PROHIBITED
    return bytes(marks)


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


def _entry_lines(entry: Entry, out: list[str], layouts: _Layouts) -> None:
    """Append one entry's lines: into the file's one list of lines, not a list per entry."""
    for comment in entry.translator_comments:
        out.append(f"# {comment}" if comment else "#")
    for comment in entry.extracted_comments:
        out.append(f"#. {comment}" if comment else "#.")
    if entry.references and not entry.obsolete:  # msgcat drops references of obsolete entries, repeats none
        refs = entry.references
        if len(refs) == 1:
            out.append(f"#: {refs[0]}")
        else:
            out += _reference_lines(list(dict.fromkeys(refs)))
    if entry.flags:
        out.append("#, " + ", ".join(entry.flags))
    wrap = "no-wrap" not in entry.flags
    if entry.previous_msgctxt is not None or entry.previous_msgid is not None or \
            entry.previous_msgid_plural is not None:
        _previous_lines(entry, out, wrap, layouts)
    p = OBSOLETE_PREFIX if entry.obsolete else ""
    if entry.msgctxt is not None:
        _quote(out, "msgctxt", entry.msgctxt, p, wrap, layouts)
    _quote(out, "msgid", entry.msgid, p, wrap, layouts)
    if entry.msgid_plural is not None:
        _quote(out, "msgid_plural", entry.msgid_plural, p, wrap, layouts)
        for n in sorted(entry.msgstr_plural):
            _quote(out, f"msgstr[{n}]", entry.msgstr_plural[n], p, wrap, layouts)
    else:
        _quote(out, "msgstr", entry.msgstr, p, wrap, layouts)


def _previous_lines(entry: Entry, out: list[str], wrap: bool, layouts: _Layouts) -> None:
    """The `#|` lines of a fuzzy entry: what its msgid was when it was last translated."""
    prev = "#~| " if entry.obsolete else "#| "
    if entry.previous_msgctxt is not None:
        _quote(out, "msgctxt", entry.previous_msgctxt, prev, wrap, layouts)
    if entry.previous_msgid is not None:
        _quote(out, "msgid", entry.previous_msgid, prev, wrap, layouts)
    if entry.previous_msgid_plural is not None:
        _quote(out, "msgid_plural", entry.previous_msgid_plural, prev, wrap, layouts)


def _header_lines(header: Entry, out: list[str], layouts: _Layouts) -> None:
    """The header as read, where only its msgstr changed: the fields l10n set are laid out anew, as msgcat lays
    out a header (a line break after each field), every other field keeps its lines as the last editor wrote
    them. Anything else changed, or a msgstr not written one field after another: laid out whole."""
    raw, pristine, state = header.raw, header.pristine, header.state()
    if raw is not None and pristine == state:
        out += raw.lines
        return
    if raw is None or pristine is None or pristine[:1] + pristine[2:] != state[:1] + state[2:]:
        _entry_lines(header, out, layouts)
        return
    lines = raw.lines
    at = next((i for i, line in enumerate(lines) if line.startswith("msgstr")), None)
    new: list[str] = []
    _quote(new, "msgstr", header.msgstr, "", "no-wrap" not in header.flags, layouts)
    if at is None or lines[at].rstrip() != 'msgstr ""' or new[0] != 'msgstr ""' or \
            not all(line.startswith('"') and line.rstrip().endswith('"') for line in lines[at + 1:]):
        _entry_lines(header, out, layouts)
        return
    kept: dict[str, list[list[str]]] = {}
    for text, group in _field_groups(lines[at + 1:]):
        kept.setdefault(text, []).append(group)
    out += lines[:at + 1]
    for text, group in _field_groups(new[1:]):
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


_obsolete = attrgetter("obsolete")


def dumps(catalog: Catalog) -> bytes:
    """Serialise as msgcat does, except that an entry read from the file and left unchanged keeps its lines
    (Entry.unchanged), whoever laid them out; the encoding, BOM and line endings the file came with are kept."""
    return b"".join(pieces(catalog))


def pieces(catalog: Catalog) -> list[bytes]:
    """dumps' bytes in the pieces they are made in, which files.save writes without joining them: a large
    catalog is not held twice."""
    global _last_write
    layouts = _Layouts(_last_write)
    out = _Output(catalog.encoding, catalog.newline, catalog.bom)
    lines = out.lines
    if catalog.header.msgstr or catalog.header.translator_comments:
        _header_lines(catalog.header, lines, layouts)
    first = not lines
    try:
        for entry in sorted(catalog.entries, key=_obsolete):  # obsolete entries last, the others in their order
            if not first:
                lines.append("")  # the blank line between entries
            first = False
            if entry.unchanged:
                lines += entry.raw.lines
            else:
                _entry_lines(entry, lines, layouts)
            if len(lines) >= _PIECE:
                out.flush()
        made = out.pieces_made()
    except UnicodeEncodeError:
        # A translation the declared charset cannot hold: switch the file to UTF-8 rather than lose text.
        catalog.encoding = "utf-8"
        catalog.set_header_field("Content-Type", "text/plain; charset=UTF-8")
        return pieces(catalog)
    _last_write = layouts.used
    return made


_PIECE = 1000  # lines joined and encoded at a time


class _Output:
    """A file's bytes made as its lines come, each line ended by `newline`: the lines are encoded _PIECE at a
    time, so that neither all of them nor the whole text exist at once as str (where a single character beyond
    Latin-1 would have Python store every character of the text in two or four bytes). The encoder is
    incremental: a charset with shift states comes out as one encoding of the whole text would give it."""

    def __init__(self, encoding: str, newline: str, bom: bool) -> None:
        self.encoder = codecs.getincrementalencoder(encoding)()
        self.newline = newline
        self.lines: list[str] = []
        self.pieces: list[bytes] = [b"\xef\xbb\xbf"] if bom else []
        self.empty = True

    def flush(self) -> None:
        text = "\n".join(self.lines) + "\n"
        self.pieces.append(self.encoder.encode(text if self.newline == "\n" else text.replace("\n", self.newline)))
        self.lines.clear()
        self.empty = False

    def pieces_made(self) -> list[bytes]:
        """Every line's bytes; a file without lines is a single newline."""
        if self.lines or self.empty:
            self.flush()
        self.pieces.append(self.encoder.encode("", final=True))
        return self.pieces
