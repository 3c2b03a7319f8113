"""A strict PO parser: decoding, line endings, gettext's grammar and escapes, and the mistakes a lenient parser
would let through silently. Every problem becomes one CatalogError naming the file and line.

Why our own parser rather than polib: polib ignores `#~|` lines, reads only one-digit `msgstr[N]` indices, keeps
`\\101`, `\\x41` or `\\q` as literal backslashes, mangles comments (`#.x`, `##`), splits lines on U+2028 and form
feeds, and rebuilds the header lossily. Here the file is walked once, line by line, with the semantics of
gettext's own lexer (po-lex.c) and grammar (po-gram.y), which is also what keeps it linear and cheap.
"""

from __future__ import annotations

import codecs
import re
from functools import cache
from collections.abc import Callable
from pathlib import Path
from typing import Generic, NamedTuple, NoReturn, TypeVar

from ..digest import sha256
from ..errors import CatalogError
from .model import Catalog, Entry, declared_charset, header_field
from .plural import POT_PLACEHOLDER, plural_forms

_CONTENT_TYPE = re.compile(rb'"Content-Type:([^"]*)', re.IGNORECASE)  # found in the bytes, before decoding them
_MSGID_LINE = re.compile(rb'^[ \t]*msgid(?![A-Za-z0-9_$])[ \t]*("?)("?)', re.MULTILINE)

#: whitespace between tokens, as gettext's lexer skips it (not str.strip()'s, which includes U+2028 and \x1c…)
_WS = " \t\r\f\v"
_LIT = r'"([^"\\]*(?:\\.[^"\\]*)*)"'
_FAST_STRING = re.compile(_LIT + r"[ \t\r\f\v]*", re.DOTALL)
_FAST_KEYWORD = re.compile(r"(msgid_plural|msgctxt|msgid|msgstr)(?:\[([0-9]+)\])?[ \t]*" + _LIT + r"[ \t\r\f\v]*",
                           re.DOTALL)
_TOKEN = re.compile(r"""
    (?P<ws>[ \t\r\f\v]+)
  | "(?P<str>[^"\\]*(?:\\.[^"\\]*)*)(?P<end>"?)
  | (?P<kw>[A-Za-z_$][A-Za-z0-9_$]*)(?:[ \t\r\f\v]*\[[ \t\r\f\v]*(?P<index>[0-9]+)[ \t\r\f\v]*\])?
  | (?P<junk>.)
""", re.VERBOSE | re.DOTALL)
_ESCAPE = re.compile(r"\\(?:([0-7]{1,3})|x([0-9A-Fa-f]+)|(.)|$)", re.DOTALL)
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "b": "\b", "r": "\r", "f": "\f", "v": "\v", "a": "\a", "\\": "\\",
                   '"': '"', "?": "?", "'": "'"}
_FLAG_SPLIT = re.compile(r"[, \t\r\f\v]+")
_REF_SPLIT = re.compile(r"[ \t\r\f\v]+")
_CONFLICT_MARKERS = ("<<<<<<<", "=======", ">>>>>>>", "|||||||")
_KEYWORDS = ("msgctxt", "msgid", "msgid_plural", "msgstr")
_PLAIN_KEYWORDS = frozenset(_KEYWORDS)

# Parser phases within one entry.
_START, _PREV, _CTXT, _ID, _PLURAL, _STR = range(6)


T = TypeVar("T")


class Raw:
    """An entry's lines as the file held them: `lines[start:stop]` of the file's lines (shared by its entries).
    Equal only to itself: comparing two catalogs' entries must not compare whole files line by line."""

    __slots__ = ("source", "start", "stop")

    def __init__(self, source: list[str], start: int, stop: int) -> None:
        self.source, self.start, self.stop = source, start, stop

    @property
    def lines(self) -> list[str]:
        return self.source[self.start:self.stop]


class Scan(NamedTuple, Generic[T]):
    """What a catalog needs from the bytes: the decoded text, how to write it back, its messages, and the line
    where each header field starts (`field_lines`)."""

    text: str
    encoding: str
    newline: str
    bom: bool
    header: T | None
    messages: list[T]
    field_lines: dict[str, int]


def scan(data: bytes, path: Path, make: Callable[..., T], writable: bool = True) -> Scan[T]:
    """Decode and parse PO bytes, or raise CatalogError(path, line) for the first problem found.

    `make` builds each entry from keyword fields named like catalog.Entry's (msgid, msgstr, msgctxt, flags,
    translator_comments, previous_msgid, obsolete, line, …): catalog passes Entry itself, so a large file
    is not built twice. `writable`: give each entry its lines as read (`raw`) and its fields as read (`pristine`,
    its state()), which the writer needs to give back an unchanged entry as it was; a caller that never writes the
    catalog back passes False (raw=None)."""
    text, encoding, newline, bom = decode(data, path)
    parser = _Parser(path, encoding, make, writable)
    # Whether a NUL or a joined line can occur is asked of the bytes, where the search is much cheaper than in
    # the decoded text: ASCII stands for itself in every charset decode() accepts, so the text holds neither
    # where the bytes hold neither.
    header, messages = parser.parse(text, joins=newline == "\n" and b"\\\n" in data, nul=b"\x00" in data)
    return Scan(text, encoding, newline, bom, header, messages, parser.field_lines)


_FIELD_START = re.compile(r'"([^":\\]*?)\s*:')


def field_lines(lines: list[str], msgid_line: int) -> dict[str, int]:
    """The line where each field of a header starts (lowercased name → line number), for messages about the
    header: its string lines, from its msgid to the first blank line, that begin with `"Name:`, as gettext and
    msgcat write them."""
    found: dict[str, int] = {}
    for number in range(msgid_line, len(lines) + 1):
        line = lines[number - 1]
        if not line.strip():
            break
        match = _FIELD_START.match(line)
        if match:
            found.setdefault(match.group(1).lower(), number)
    return found


def decode(data: bytes, path: Path) -> tuple[str, str, str, bool]:
    """Return (text with \\n line endings, encoding, newline, had_bom), honouring the header's charset."""
    bom = data.startswith(codecs.BOM_UTF8)
    if bom:
        data = data[len(codecs.BOM_UTF8):]
    if not data.strip():
        raise CatalogError("empty file: a catalog needs at least a header entry", path, 1)
    match = _CONTENT_TYPE.search(data, 0, _header_end(data))
    name = declared_charset(match.group(1).decode("ascii", "replace")) if match else None
    encoding = "utf-8"
    if match and name and name.upper() != "CHARSET":
        line = data[: match.start()].count(b"\n") + 1
        try:
            encoding = codecs.lookup(name).name
        except LookupError:
            raise CatalogError(f"unknown charset {name!r} in Content-Type", path, line) from None
        if not _ascii_compatible(encoding):
            hint = "a byte-order mark is not a charset: " if encoding == "utf-8-sig" else ""
            raise CatalogError(f"charset {name!r} in Content-Type is not a text encoding gettext reads ({hint}declare "
                               f"charset=UTF-8 and convert the file, e.g. with msgconv)", path, line)
        if bom and encoding != "utf-8":
            raise CatalogError(f"file starts with a UTF-8 byte-order mark but the header declares {name}", path,
                               line)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CatalogError(f"bytes are not valid {encoding} as the header declares", path, line) from None
    # CRLF only when every line ends so: a stray \r elsewhere is content (gettext keeps it in comments).
    crlf = text.count("\r\n")
    newline = "\r\n" if crlf and crlf == text.count("\n") else "\n"
    if newline == "\r\n":
        text = text.replace("\r\n", "\n")
    return text, encoding, newline, bom


# Every printable ASCII character, and the escapes a codec such as unicode_escape would interpret.
_ASCII_SAMPLE = bytes(c for c in range(0x20, 0x7F) if c != 0x5C) + b"\t\n\r\\\\ \\u0041 \\x41"


@cache
def _ascii_compatible(encoding: str) -> bool:
    """Python's codecs include transforms (rot13, base64, hex, zlib, uu), `undefined`, escape codecs, utf-8-sig
    (which adds a BOM) and UTF-16/32: a PO file must be in a charset where ASCII stands for itself, both ways, or
    gettext cannot even find its keywords (and l10n would write a file msgfmt and l10n itself then reject)."""
    if not getattr(codecs.lookup(encoding), "_is_text_encoding", True):
        return False
    text = _ASCII_SAMPLE.decode("ascii")
    try:
        if _ASCII_SAMPLE.decode(encoding) != text or text.encode(encoding) != _ASCII_SAMPLE:
            return False
    except (UnicodeError, ValueError):
        return False
    # A stateful charset (the ISO-2022 family) writes other characters as ASCII bytes after an escape sequence
    # (ESC, or SO): gettext reads a backslash or a quote among them as one ("invalid control sequence").
    for char in _NON_ASCII_SAMPLE:
        try:
            data = char.encode(encoding)
        except UnicodeEncodeError:
            continue
        if b"\x1b" in data or b"\x0e" in data:
            return False
    return True


_NON_ASCII_SAMPLE = "éЖΩあ日한€"  # a letter of each script a stateful charset might shift to


def _header_end(data: bytes) -> int:
    """Where the header entry ends (0 without one): a charset named in a later message must not count."""
    first = _MSGID_LINE.search(data)
    if first is None or first.group(1, 2) != (b'"', b'"'):  # the header is the first entry, `msgid ""`
        return 0
    second = _MSGID_LINE.search(data, first.end())
    return second.start() if second is not None else len(data)


class _Parser(Generic[T]):
    """gettext's grammar as a line-driven state machine; the entry being read lives in the attributes."""

    # Read and set on every line: slots keep each access a fixed offset (an instance of this many attributes would
    # otherwise have a plain dictionary, looked up by name on each access).
    __slots__ = ("path", "encoding", "make", "writable", "header", "messages", "seen", "obsolete_at", "nplurals",
                 "lines", "field_lines", "phase", "first_line", "obsolete", "tcomments", "ecomments", "refs", "flags",
                 "prev_ctxt", "prev_id", "prev_plural", "ctxt", "ctxt_line", "msgid", "msgid_line", "plural",
                 "msgstr", "forms", "field", "plain", "form", "pieces", "field_keyword", "field_line",
                 "field_previous", "high", "msgstr_line")

    def __init__(self, path: Path, encoding: str, make: Callable[..., T], writable: bool = True) -> None:
        self.path = path
        self.encoding = encoding
        self.make = make
        self.writable = writable
        self.header: T | None = None
        self.messages: list[T] = []
        self.seen: dict[tuple[str | None, str], int] = {}
        self.obsolete_at: dict[tuple[str | None, str], bool] = {}
        self.nplurals: int | None = None
        self.lines: list[str] = []
        self.field_lines: dict[str, int] = {}
        self._reset()

    # ------------------------------------------------------------------------------------------ state

    def _reset(self) -> None:
        self.phase = _START
        self.first_line = 0
        self.obsolete: bool | None = None
        self.tcomments: list[str] = []
        self.ecomments: list[str] = []
        self.refs: list[str] = []
        self.flags: list[str] = []
        self.prev_ctxt: str | None = None
        self.prev_id: str | None = None
        self.prev_plural: str | None = None
        self.ctxt: str | None = None
        self.ctxt_line = 0
        self.msgid = ""
        self.msgid_line = 0
        self.plural: str | None = None
        self.msgstr = ""
        self.forms: dict[int, str] = {}
        self.field: str | None = None  # attribute the strings go to; "forms" for msgstr[N]
        self.plain = False  # a field is open that takes unprefixed continuation lines (the fast path)
        self.form = 0
        self.pieces: list[str] = []
        self.field_keyword = ""
        self.field_line = 0
        self.field_previous = False
        self.high = False  # an escape produced a byte >= 0x80: decode the field's bytes at the end
        self.msgstr_line = 0

    def fail(self, message: str, line: int) -> NoReturn:
        raise CatalogError(message, self.path, line)

    # ------------------------------------------------------------------------------------------ lines

    def parse(self, text: str, joins: bool = True, nul: bool = True) -> tuple[T | None, list[T]]:
        """Walk the lines once; the fast paths cover what gettext writes, the tokenizer everything else.

        `joins`: a backslash right before a line feed joins the lines, as gettext's lexer does (in comments too);
        not in a CRLF file, where the backslash is followed by \r. `joins` and `nul` False: the caller knows
        that the text holds no backslash-newline, no NUL character."""
        at = text.find("\x00") if nul else -1
        if at >= 0:
            self.fail("NUL character in the file", text.count("\n", 0, at) + 1)
        self.lines = lines = text.split("\n")
        numbered = _joined(lines) if joins and "\\\n" in text else enumerate(lines, 1)
        fast_string = _FAST_STRING.fullmatch
        fast_keyword = _FAST_KEYWORD.fullmatch
        plain_keywords = _PLAIN_KEYWORDS
        for number, raw in numbered:
            line = raw.lstrip(_WS)
            if not line:
                continue
            first = line[0]
            if first == '"':
                content = line[1:-1]
                if self.plain and line[-1] == '"' and '"' not in content and len(line) > 1:
                    # a continuation line as gettext writes it, of an open field: no state to check
                    if "\\" in content:
                        content = _common_unescape(content) or self.unescape(content, number)
                    self.pieces.append(content)
                    continue
                m = fast_string(line)
                if m:
                    self.string(m.group(1), number, False, False)
                else:
                    self.tokens(line, number, False, False)
            elif first == "#":
                self.hash_line(line, number)
            elif first == "m":
                name, _, rest = line.partition(" ")
                if name in plain_keywords and rest[:1] == '"' and rest[-1:] == '"' and len(rest) > 1 \
                        and '"' not in rest[1:-1]:
                    self.keyword(name, None, number, False, False)
                    content = rest[1:-1]  # the string of the field just opened, as on a continuation line
                    if "\\" in content:
                        content = _common_unescape(content) or self.unescape(content, number)
                    self.pieces.append(content)
                elif m := fast_keyword(line):
                    index = m.group(2)
                    self.keyword(m.group(1), int(index) if index is not None else None, number, False, False)
                    self.string(m.group(3), number, False, False)
                else:
                    self.tokens(line, number, False, False)
            else:
                if line.startswith(_CONFLICT_MARKERS):
                    self.fail("git merge-conflict marker: resolve the conflict first", number)
                self.tokens(line, number, False, False)
        self.end(len(lines))
        return self.header, self.messages

    def hash_line(self, line: str, number: int) -> None:
        """`#~` and `#|` prefix keyword lines (obsolete, previous); every other `#` line is a comment."""
        second = line[1:2]
        if second == "~":
            previous = line[2:3] == "|"
            rest = line[3 if previous else 2:].lstrip(_WS)
            if rest:
                if rest[0] == "#":
                    self.fail("comment inside a #~ line: obsolete entries take plain comments", number)
                self.prefixed(rest, number, True, previous)
            return
        if second == "|":
            rest = line[2:].lstrip(_WS)
            if not rest:
                self.fail("empty #| line: expected a previous msgctxt, msgid or msgid_plural", number)
            self.prefixed(rest, number, False, True)
            return
        if self.phase != _START or not self.first_line:  # not the second comment line of an entry
            self.comment_starts(number)
        if second == ".":
            self.ecomments.append(line[3:] if line[2:3] == " " else line[2:])
        elif second == ":":
            self.refs += filter(None, _REF_SPLIT.split(line[2:]))
        elif second == "," or second == "!":
            self.flags.extend(_flags(line[2:]))
        else:
            self.tcomments.append(line[2:] if second == " " else line[1:])

    def prefixed(self, rest: str, number: int, obsolete: bool, previous: bool) -> None:
        if rest[0] == '"':
            m = _FAST_STRING.fullmatch(rest)
            if m:
                self.string(m.group(1), number, obsolete, previous)
                return
        elif rest[0] == "m":
            m = _FAST_KEYWORD.fullmatch(rest)
            if m:
                index = m.group(2)
                self.keyword(m.group(1), int(index) if index is not None else None, number, obsolete, previous)
                self.string(m.group(3), number, obsolete, previous)
                return
        self.tokens(rest, number, obsolete, previous)

    def tokens(self, line: str, number: int, obsolete: bool, previous: bool) -> None:
        """The general tokenizer (gettext's is token-based: `msgid "a" msgstr "b"` on one line is valid)."""
        pos, size = 0, len(line)
        while pos < size:
            m = _TOKEN.match(line, pos)
            assert m is not None  # the junk alternative matches any character
            pos = m.end()
            kind = m.lastgroup
            if kind == "ws":
                continue
            if kind == "end" or kind == "str":
                if not m.group("end"):
                    tail = " (the last quote is escaped by a backslash)" if line.rstrip(_WS).endswith('\\"') else ""
                    self.fail(f"unterminated string: missing closing quote{tail}", number)
                if pos < size and line[pos] not in _WS:
                    if '"' in line[pos:]:
                        self.fail('unescaped double quote inside a string: write \\" for a literal quote', number)
                    self.fail(f"unexpected text after string: {_short(line[pos:])}", number)
                self.string(m.group("str"), number, obsolete, previous)
            elif kind == "kw" or kind == "index":
                name = m.group("kw")
                index = m.group("index")
                if name not in _KEYWORDS:
                    if name == "domain":
                        self.fail("'domain' directives are not supported: use one catalog per domain", number)
                    self.fail(f"unknown keyword {_short(name)} (expected msgctxt, msgid, msgid_plural, msgstr or "
                              f"msgstr[N])", number)
                if index is not None and name != "msgstr":
                    self.fail(f"only msgstr takes a plural index, not {name}", number)
                self.keyword(name, int(index) if index is not None else None, number, obsolete, previous)
            else:
                char = m.group("junk")
                if char == "[":
                    self.fail("malformed plural index: expected msgstr[N]", number)
                self.fail(f"unexpected {char!r}: expected a keyword or a quoted string", number)

    # ------------------------------------------------------------------------------------------ grammar

    def comment_starts(self, number: int) -> None:
        """A comment ends a complete entry and begins the next; inside an unfinished entry it is an error."""
        phase = self.phase
        if phase == _STR:
            self.finish(number)
        elif phase != _START:
            self.unfinished(number, "a comment")
        if not self.first_line:
            self.first_line = number

    def unfinished(self, number: int, what: str) -> NoReturn:
        """Report why the entry being read cannot be followed by `what` here."""
        phase = self.phase
        if phase == _ID or phase == _PLURAL:
            self.close_field()
            self.fail(f"missing msgstr: msgid {_short(self.msgid)} is followed by {what}, not by its msgstr",
                      self.msgid_line)
        if phase == _CTXT:
            self.fail(f"msgctxt without msgid: it is followed by {what}", self.ctxt_line)
        self.fail(f"#| previous strings must come right before msgctxt/msgid, but {what} follows them", number)

    def string(self, content: str, number: int, obsolete: bool, previous: bool) -> None:
        if self.field is None:
            self.fail("string without a keyword: a continuation line must follow msgid, msgstr or another string",
                      number)
        if obsolete != self.obsolete:
            self.fail("inconsistent use of #~: part of this entry is obsolete and part is not", number)
        if previous != self.field_previous:
            where = "has a #| prefix" if previous else "lacks the #| prefix"
            self.fail(f"continuation line {where} unlike the {self.field_keyword} it continues", number)
        if "\\" in content:
            content = _common_unescape(content) or self.unescape(content, number)
        self.pieces.append(content)

    def unescape(self, content: str, number: int) -> str:
        """gettext's escapes (plus C's \\? and \\'); octal and hex escapes are bytes in the file's charset."""

        def one(m: re.Match[str]) -> str:
            octal, hexa, char = m.groups()
            if octal is not None or hexa is not None:
                value = int(octal, 8) if octal is not None else int(hexa, 16)
                if value == 0:
                    self.fail(f"escape {m.group(0)} is a NUL byte, which gettext would cut the string at", number)
                if value > 0xFF:
                    self.fail(f"escape {m.group(0)} is out of range: octal and hex escapes are single bytes", number)
                if value < 0x80:
                    return chr(value)
                self.high = True
                return chr(0xDC00 + value)  # surrogateescape: turned into the byte when the field is closed
            if char is None:
                self.fail("unterminated string: missing closing quote (the last quote is escaped by a backslash)",
                          number)
            simple = _SIMPLE_ESCAPES.get(char)
            if simple is None:
                hint = " (\\u escapes are not part of the PO format)" if char in "uU" else ""
                shown = f"\\{char}" if char.isprintable() else repr(f"\\{char}")
                self.fail(f"unknown escape sequence {shown}{hint}: write \\\\ for a literal backslash", number)
            return simple

        return _ESCAPE.sub(one, content)

    def open_field(self, name: str, keyword: str, number: int, previous: bool) -> None:
        """A field opens where keyword() has closed the one before."""
        self.field = name
        self.field_keyword = keyword
        self.field_line = number
        self.field_previous = previous
        self.plain = not previous and not self.obsolete

    def close_field(self) -> None:
        name = self.field
        if name is None:
            return
        pieces = self.pieces
        if not pieces:
            self.fail(f"{self.field_keyword} is not followed by a string", self.field_line)
        value = pieces[0] if len(pieces) == 1 else "".join(pieces)
        if self.high:
            try:
                value = value.encode(self.encoding, "surrogateescape").decode(self.encoding)
            except UnicodeError:
                self.fail(f"escape sequences in {self.field_keyword} do not form valid {self.encoding} text",
                          self.field_line)
            self.high = False
        if "\x04" in value:
            self.fail(f"{self.field_keyword} holds U+0004 (EOT), gettext's context separator, which no PO string "
                      f"may contain", self.field_line)
        if name == "forms":
            self.forms[self.form] = value
        else:
            setattr(self, name, value)
        self.field = None
        self.plain = False
        self.pieces = []

    def keyword(self, name: str, index: int | None, number: int, obsolete: bool, previous: bool) -> None:
        phase = self.phase
        if phase == _STR and name == "msgstr" and not previous and (index is None or self.plural is None):
            self.close_field()
            self.fail(f"second msgstr for msgid {_short(self.msgid)}: an entry has one msgstr (or msgstr[N] "
                      f"forms)", number)
        if phase == _STR and (name != "msgstr" or previous):
            self.finish(number)
            phase = _START
        if phase == _START:
            self.obsolete = obsolete
            if not self.first_line:
                self.first_line = number
        elif obsolete != self.obsolete:
            self.fail("inconsistent use of #~: part of this entry is obsolete and part is not", number)
        self.close_field()
        if previous:
            self.previous_keyword(name, number)
        elif name == "msgid":
            if phase == _ID or phase == _PLURAL:
                self.unfinished(number, "another msgid")
            if phase == _PREV and self.prev_id is None:
                self.fail("#| msgctxt must be followed by #| msgid", self.field_line)
            self.open_field("msgid", name, number, False)
            self.msgid_line = number
            self.phase = _ID
        elif name == "msgctxt":
            if phase == _ID or phase == _PLURAL or phase == _CTXT:
                self.unfinished(number, "msgctxt")
            if phase == _PREV and self.prev_id is None:
                self.fail("#| msgctxt must be followed by #| msgid", self.field_line)
            self.open_field("ctxt", name, number, False)
            self.ctxt_line = number
            self.phase = _CTXT
        elif name == "msgid_plural":
            if phase != _ID:
                what = "a second msgid_plural" if phase == _PLURAL else "msgid_plural without msgid"
                self.fail(f"{what}", number)
            self.open_field("plural", name, number, False)
            self.phase = _PLURAL
        elif index is None:  # msgstr
            if phase == _PLURAL:
                self.fail("plural entry needs msgstr[0], msgstr[1]… instead of msgstr", number)
            if phase != _ID:
                self.fail("msgstr without msgid", number)
            self.open_field("msgstr", name, number, False)
            self.msgstr_line = number
            self.phase = _STR
        else:
            self.plural_form(index, number, phase)

    def plural_form(self, index: int, number: int, phase: int) -> None:
        if phase == _ID:
            self.fail(f"msgstr[{index}] without msgid_plural: a singular entry takes msgstr", number)
        if phase != _PLURAL and phase != _STR:
            self.fail(f"msgstr[{index}] without msgid", number)
        expected = 0 if phase == _PLURAL else self.form + 1
        if index != expected:
            self.fail(f"plural form msgstr[{index}] out of order: expected msgstr[{expected}]", number)
        nplurals = self.nplurals
        if nplurals is not None and index >= nplurals and not self.obsolete:
            self.fail(f"msgstr[{index}] is one plural form too many: the header's Plural-Forms says "
                      f"nplurals={nplurals}", number)
        self.open_field("forms", f"msgstr[{index}]", number, False)
        self.form = index
        if phase == _PLURAL:
            self.msgstr_line = number
        self.phase = _STR

    def previous_keyword(self, name: str, number: int) -> None:
        phase = self.phase
        if phase != _START and phase != _PREV:
            self.unfinished(number, f"#| {name}")
        if name == "msgctxt":
            if phase == _PREV:
                self.fail("#| msgctxt must come first among the #| previous strings", number)
            self.open_field("prev_ctxt", "#| msgctxt", number, True)
        elif name == "msgid":
            if self.prev_id is not None:
                self.fail("second #| msgid in one entry", number)
            self.open_field("prev_id", "#| msgid", number, True)
        elif name == "msgid_plural":
            if self.prev_id is None or self.prev_plural is not None:
                self.fail("#| msgid_plural must follow #| msgid", number)
            self.open_field("prev_plural", "#| msgid_plural", number, True)
        else:
            self.fail("#| previous strings hold msgctxt, msgid and msgid_plural, not msgstr", number)
        self.phase = _PREV

    def finish(self, upto: int) -> None:
        """Close the entry just read: refuse duplicates, find the header, build the entry. `upto`: the line
        where the next entry starts (or one past the last line): the entry's own lines end before it, blank
        lines aside, and are kept (Raw) so that the writer can give back an entry nobody changed as it was."""
        self.close_field()
        flags = self.flags
        if len(flags) > 1:
            flags = list(dict.fromkeys(flags))
        plural = self.plural
        obsolete = bool(self.obsolete)
        msgid, ctxt, line = self.msgid, self.ctxt, self.msgid_line
        key = (ctxt, msgid)  # an obsolete copy of a live message is a duplicate too, as msgfmt and msgcat say
        first = self.seen.get(key)
        if first is not None:
            context = f" in context {_short(ctxt)}" if ctxt is not None else ""
            copy = " (an obsolete #~ copy counts: keep one)" if obsolete or key in self.obsolete_at else ""
            self.fail(f"duplicate msgid {_short(msgid)}{context}: first defined on line {first}{copy}", line)
        self.seen[key] = line
        if obsolete:
            self.obsolete_at[key] = True
        is_header = msgid == "" and ctxt is None and not obsolete
        if is_header:
            if self.messages:
                self.fail("the header entry (empty msgid) must be the first entry", line)
            self.check_header(self.msgstr, line)
        entry = self.make(
            msgid=msgid, msgstr=self.msgstr if plural is None else "", msgctxt=ctxt,
            msgid_plural=plural, msgstr_plural=self.forms if plural is not None else {}, flags=flags,
            translator_comments=self.tcomments, extracted_comments=self.ecomments, references=self.refs,
            previous_msgctxt=self.prev_ctxt, previous_msgid=self.prev_id, previous_msgid_plural=self.prev_plural,
            obsolete=obsolete, line=line, raw=self.raw(upto) if self.writable else None)
        if self.writable:
            entry.pristine = entry.state()
        if is_header:
            self.header = entry
        else:
            self.messages.append(entry)
        self._reset()

    def raw(self, upto: int) -> Raw:
        lines, first, last = self.lines, self.first_line or self.msgid_line, upto - 1
        while last > first and not lines[last - 1].strip(_WS):
            last -= 1
        return Raw(lines, first - 1, last)

    def end(self, last_line: int) -> None:
        phase = self.phase
        if phase == _STR:
            self.finish(last_line + 1)
        elif phase != _START:
            self.unfinished(self.field_line if phase == _PREV else last_line, "the end of the file")
        elif self.first_line:
            if self.header is None and not self.messages:
                self.fail("no entries, only comments: a catalog needs at least a header entry", 1)
            self.fail("comments at the end of the file belong to no entry", self.first_line)
        elif self.header is None and not self.messages:
            self.fail("empty file: a catalog needs at least a header entry", 1)

    # ------------------------------------------------------------------------------------------ header

    def check_header(self, msgstr: str, msgid_line: int) -> None:
        """Plural-Forms must parse, since plural entries are checked against its nplurals. Records where the
        header's fields are (`field_lines`): messages about them point there."""
        self.field_lines = field_lines(self.lines, msgid_line)
        value = header_field(msgstr, "Plural-Forms")
        if value is None or value == POT_PLACEHOLDER:
            return  # no rule, or xgettext's placeholder in a template
        try:
            self.nplurals = plural_forms(value)[0]
        except ValueError as exc:
            self.fail(f"bad Plural-Forms in the header: {exc}",
                      self.field_lines.get("plural-forms", self.msgstr_line or msgid_line))


def _joined(lines: list[str]) -> list[tuple[int, str]]:
    """Logical lines with the number of the physical line each starts on: `\\` + line feed is removed."""
    out: list[tuple[int, str]] = []
    pending: list[str] = []
    start = 0
    last = len(lines)
    for number, line in enumerate(lines, 1):
        if not pending:
            start = number
        if line.endswith("\\") and number < last:
            pending.append(line[:-1])
            continue
        if pending:
            pending.append(line)
            line = "".join(pending)
            pending = []
        out.append((start, line))
    return out


def _flags(text: str) -> list[str]:
    """Flags are separated by commas or blanks, except gettext's `range: 1..5`, which is one flag."""
    flags = list(filter(None, _FLAG_SPLIT.split(text)))
    if "range:" in flags:
        i = flags.index("range:")
        if i + 1 < len(flags):
            flags[i:i + 2] = [f"range: {flags[i + 1]}"]
    return flags


def _common_unescape(content: str) -> str:
    """Fast path for the escapes gettext writes daily (\\n \\t \\" \\\\); "" when others need the full decoder.

    Splitting at `\\\\` first is safe: a literal's backslashes pair up left to right, and `\\\\` is the only
    escape whose second character is a backslash."""
    parts = content.split("\\\\")
    for i, part in enumerate(parts):
        if "\\" in part:
            part = part.replace("\\n", "\n").replace('\\"', '"').replace("\\t", "\t")
            if "\\" in part:
                return ""
            parts[i] = part
    return "\\".join(parts)


def _short(text: str, limit: int = 40) -> str:
    """A quoted, one-line excerpt of user text for an error message."""
    return repr(text if len(text) <= limit else text[:limit] + "…")


# ---------------------------------------------------------------------------------------------------- loading


def loads(data: bytes, path: Path, writable: bool = True) -> Catalog:
    """Parse PO bytes into a Catalog; every problem becomes a CatalogError naming the file and line.

    The header is kept verbatim (its msgstr, comments and flags), so fields another tool would merge or reorder
    survive. `writable=False`: for a reader that never saves the catalog, its entries without the lines and
    fields as read (Entry.raw, Entry.pristine) that only the writer uses."""
    scanned = scan(data, path, Entry.read, writable)
    header = scanned.header if scanned.header is not None else Entry(msgid="")
    return Catalog(path=path, header=header, entries=scanned.messages, encoding=scanned.encoding,
                   newline=scanned.newline, bom=scanned.bom, loaded_digest=sha256(data),
                   field_lines=scanned.field_lines)


def load(path: Path, writable: bool = True) -> Catalog:
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError as exc:  # anything else the system refuses (a folder in its place…) is exit 1
        raise CatalogError(f"cannot read catalog: {exc.strerror or exc}", path) from None
    return loads(data, Path(path), writable)


def load_or_none(path: Path, writable: bool = True) -> Catalog | None:
    return load(path, writable) if Path(path).exists() else None


def read_compendium(path: Path) -> list[tuple[str, str]]:
    """(source, translation) pairs of the reviewed, singular entries of a foreign PO file, read with the same
    strict parser as the project's catalogs: a malformed compendium raises CatalogError naming file:line, which
    the caller reports as a warning (a compendium only ever helps)."""
    catalog = load(path)
    return [(e.msgid, e.msgstr) for e in catalog.active
            if e.msgid and e.msgid_plural is None and e.msgstr and not e.fuzzy]

