"""What the writer's and the reader's faster paths must keep: the bytes of a catalog in every charset the reader
accepts, across the writer's pieces of a thousand lines, and the libunistring answers text layout relies on."""

from __future__ import annotations

import codecs
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from l10n import po as pofile
from l10n import render, templating
from l10n.config import SignatoriesConfig
from l10n.digest import sha256
from l10n.document import _is_heading, fold
from l10n.errors import ConcurrentEditError
from l10n.po import Catalog, Entry, files, unistring
from l10n.po.layout import _PIECE, pieces
from l10n.po.parse import decode

from tests.conftest import msgcat

# Text each charset can hold, with characters whose second byte is 0x5C (a backslash in ASCII) where the charset
# has them: 表 and ソ in Shift_JIS, 許 and 功 in Big5, 乗 in GBK.
HELD = {"UTF-8": "Libérez Azat 日本語", "ISO-8859-1": "Libérez ça, ß et ÿ", "KOI8-R": "Освободите Азата Мифтахова",
        "EUC-JP": "数学者を釈放せよ", "GBK": "释放数学家 乗 十", "BIG5": "釋放數學家 許功蓋", "SHIFT_JIS": "表示 ソフト 能力",
        "CP1252": "Libérez € œ"}


def _catalog(charset: str, count: int, fields: int = 0, newline: str = "\n", bom: bool = False,
             foreign_at: int | None = None, text: str | None = None) -> Catalog:
    """`count` entries of two to seven lines in `charset`, the header with `fields` more fields (so the line count
    lands where a test wants it), the entry `foreign_at` holding a character the charset cannot."""
    text = text or HELD[charset]
    header = Entry(msgid="", msgstr=f"Project-Id-Version: x\nMIME-Version: 1.0\nContent-Type: text/plain; "
                                    f"charset={charset}\nContent-Transfer-Encoding: 8bit\n"
                                    + "".join(f"X-Field-{i}: {i}\n" for i in range(fields)))
    entries = []
    for i in range(count):
        entry = Entry(msgid=f"Free Azat Miftakhov {i}" + " now" * (i % 25), msgstr=f"{text} {i}" + f" {text}" * (i % 9))
        if i % 4 == 1:
            entry.msgstr += "\nsecond line"
            entry.translator_comments = [text]
        if i % 5 == 2:
            entry.references = [f"appeal.txt:{i}"]
        if i == foreign_at:
            entry.msgstr += " ☃ 𝄞"
        entries.append(entry)
    return Catalog(path=Path("x.po"), header=header, entries=entries, encoding=codecs.lookup(charset).name,
                   newline=newline, bom=bom)


def _lines(data: bytes) -> int:
    return data.count(b"\n")


@pytest.mark.slow  # a msgcat process per charset
@pytest.mark.parametrize("charset", sorted(HELD))
def test_a_catalog_of_several_pieces_in_another_charset_is_msgcats(charset, tmp_path):
    path = tmp_path / "x.po"
    path.write_bytes(data := pofile.dumps(_catalog(charset, 400)))
    assert _lines(data) > 2 * _PIECE
    assert decode(data, path)[1] == codecs.lookup(charset).name
    assert data == msgcat(path)


@pytest.mark.parametrize("lines", [_PIECE - 1, _PIECE, _PIECE + 1, _PIECE + 2])
@pytest.mark.parametrize("charset", ["SHIFT_JIS", "ISO-8859-1", "UTF-8", "BIG5"])
def test_line_endings_and_bom_are_the_same_at_every_piece_boundary(charset, lines):
    fields = lines - _lines(pofile.dumps(_catalog(charset, 150)))  # a header field is a line
    plain = pofile.dumps(_catalog(charset, 150, fields))
    assert _lines(plain) == lines and plain.count(b"\n\n") == 150  # a blank line before each entry, no more
    as_utf8 = _catalog(charset, 150, fields)
    as_utf8.encoding = "utf-8"  # the same text, encoded at once
    assert plain == pofile.dumps(as_utf8).decode("utf-8").encode(charset)
    assert pofile.dumps(_catalog(charset, 150, fields, newline="\r\n")) == plain.replace(b"\n", b"\r\n")
    if charset == "UTF-8":
        assert pofile.dumps(_catalog(charset, 150, fields, bom=True)) == codecs.BOM_UTF8 + plain
    loaded = pofile.loads(plain, Path("x.po"))  # read back, unchanged: the same bytes, its lines as read
    assert pofile.dumps(loaded) == plain
    fresh = _catalog(charset, 150, fields)
    for catalog in (loaded, fresh):
        catalog.entries[-1].msgstr += " +"  # the entry that ends the last piece, changed
    assert pofile.dumps(loaded) == pofile.dumps(fresh) != plain


@pytest.mark.parametrize("foreign_at", [0, 200, 299])  # in the first piece, and twice in the second
@pytest.mark.parametrize("charset", ["ISO-8859-1", "SHIFT_JIS", "KOI8-R"])
def test_a_translation_the_charset_cannot_hold_makes_the_whole_file_utf8(charset, foreign_at):
    catalog = _catalog(charset, 300, newline="\r\n", foreign_at=foreign_at)
    utf8 = _catalog("UTF-8", 300, newline="\r\n", foreign_at=foreign_at, text=HELD[charset])
    data = pofile.dumps(catalog)
    assert data == pofile.dumps(utf8)
    assert _lines(data) > _PIECE and data.count(b"\r\n\r\n") == 300  # a blank line before each entry
    assert catalog.encoding == "utf-8" and "charset=UTF-8" in catalog.header.msgstr
    assert catalog.header.msgstr == utf8.header.msgstr
    assert b"".join(pieces(catalog)) == data


def test_catalogs_without_entries():
    assert pofile.dumps(Catalog(path=Path("x.po"), header=Entry(msgid=""))) == b"\n"
    assert pofile.dumps(Catalog(path=Path("x.po"), header=Entry(msgid=""), newline="\r\n")) == b"\r\n"
    header_only = pofile.dumps(_catalog("EUC-JP", 0))
    assert header_only.startswith(b'msgid ""\nmsgstr ""\n') and header_only.endswith(b'8bit\\n"\n')


def test_a_catalog_of_several_pieces_is_saved_compared_and_guarded_whole(tmp_path):
    catalog = _catalog("SHIFT_JIS", 400, newline="\r\n")
    catalog.path = path = tmp_path / "x.po"
    assert len(pieces(catalog)) > 2
    assert files.save(catalog)
    data = path.read_bytes()
    assert data == pofile.dumps(catalog) and catalog.loaded_digest == sha256(data)
    stamp = path.stat().st_mtime_ns
    catalog.loaded_digest = None
    assert not files.save(catalog)  # the same bytes: not written, the digest is the file's
    assert path.stat().st_mtime_ns == stamp and catalog.loaded_digest == sha256(data)
    mine = pofile.loads(data, path)
    edited = data.replace("表示 ソフト 能力 399".encode("shift_jis"), "訂正".encode("shift_jis"))
    path.write_bytes(edited)  # a translator's save meanwhile, in the last piece
    mine.entries[0].msgstr = "変更"
    with pytest.raises(ConcurrentEditError):
        files.save(mine)
    assert path.read_bytes() == edited


@settings(max_examples=200, deadline=None)
@given(st.lists(st.binary(max_size=4), max_size=5), st.binary(max_size=12))
def test_pieces_are_compared_as_the_bytes_they_join_into(parts, data):
    assert files._joined(parts, data) == (b"".join(parts) == data)
    assert files._joined(parts, b"".join(parts))


# ---------------------------------------------------------------------------------------------------- reading

# Every charset the reader accepts where one character takes several bytes (single-byte charsets map each
# byte by itself: nothing to combine).
MULTIBYTE = ["big5", "big5hkscs", "cp932", "cp949", "cp950", "euc_jis_2004", "euc_jisx0213", "euc_jp", "euc_kr",
             "gb18030", "gb2312", "gbk", "johab", "shift_jis"]


@pytest.mark.parametrize("charset", MULTIBYTE)
def test_no_two_bytes_of_a_multibyte_charset_read_as_a_backslash_newline_or_nul(charset):
    """The parser asks the bytes, not the text, whether a backslash-newline or a NUL occurs: sound only if no
    byte sequence but the ASCII one decodes to these characters (a trail byte 0x5C is not a backslash)."""
    decode(b'msgid ""\nmsgstr "Content-Type: text/plain; charset=' + charset.encode() + b'\\n"\n', Path("x.po"))
    for lead in range(0x80, 0x100):
        for trail in range(0x100):
            pair = bytes((lead, trail))
            try:
                text = pair.decode(charset)
            except UnicodeDecodeError:
                continue
            for char, byte in (("\\", 0x5C), ("\n", 0x0A), ("\0", 0x00)):
                assert char not in text or byte in pair, (charset, pair, text)


@pytest.mark.parametrize("charset, text", [("SHIFT_JIS", "表示 ソ"), ("BIG5", "許功"), ("GBK", "十 乗")])
def test_a_trail_byte_0x5c_before_a_newline_joins_nothing_and_a_real_backslash_still_does(charset, text):
    source = (f'msgid ""\nmsgstr "Content-Type: text/plain; charset={charset}\\n"\n\n# {text}\nmsgid "a"\n'
              f'msgstr "{text}"\n\n# joined \\\nstill the comment\nmsgid "b"\nmsgstr "b"\n')
    assert b"\\\n" in source.encode(charset).replace(b"joined \\\n", b"")  # the trail byte ends the comment line
    read = pofile.loads(source.encode(charset), Path("x.po"))
    as_utf8 = pofile.loads(source.replace(charset, "UTF-8").encode(), Path("x.po"))
    assert [(e.translator_comments, e.msgid, e.msgstr, e.line) for e in read.entries] == \
           [(e.translator_comments, e.msgid, e.msgstr, e.line) for e in as_utf8.entries] == \
           [([text], "a", text, 5), (["joined still the comment"], "b", "b", 10)]


# ------------------------------------------------------------------------------------------------ libunistring

def test_space_break_units_from_many_threads_equal_the_serial_ones():
    library = unistring.library()
    assert library is not None
    texts = [("Libérez Azat Miftakhov : « mathématicien » ! " * (n % 9 + 1) + "日本語 " * (n % 4)) * (1 + n % 3 * 30)
             for n in range(48)]  # long and short in turn: a thread's buffer is reused for a shorter text
    serial = [library.space_break_units(text) for text in texts]
    with ThreadPoolExecutor(max_workers=6) as pool:
        for _ in range(5):
            assert list(pool.map(library.space_break_units, texts)) == serial


def test_catalogs_written_from_many_threads_equal_the_serial_ones():
    catalogs = [(charset, n) for charset in HELD for n in (30, 250)]
    serial = [pofile.dumps(_catalog(charset, n)) for charset, n in catalogs]
    with ThreadPoolExecutor(max_workers=4) as pool:
        for _ in range(2):
            assert list(pool.map(lambda c: pofile.dumps(_catalog(*c)), catalogs)) == serial


# ------------------------------------------------------------------------------------------------ documents

_NAMES = st.lists(st.sampled_from(["Les", "signataires", "SIGNATAIRES", " ", "  ", "-", "É", "é", "e\u0301", "ß",
                                   "ss", "İ", "ﬁ", "’", "'", "Straße", "Ι", "\u0345", "x"]), max_size=20).map("".join)


@settings(max_examples=300, deadline=None)
@given(_NAMES, _NAMES)
@example("Organisations signataires de l’appel", "ORGANISATIONS SIGNATAIRES DE L'APPEL")
@example("Les organisations signatairese\u0301", "Les organisations signatairesé")
def test_the_signatories_heading_is_found_whatever_its_first_characters(heading, text):
    """Only the fold of the whole paragraph decides; the prefix looked at first is no more than a shortcut."""
    config = SignatoriesConfig(heading=heading) if heading.strip() else SignatoriesConfig()
    if config.heading is not None:
        assert _is_heading(text, config) == (fold(text) == fold(heading))


# ------------------------------------------------------------------------------------------------ plain text

_LINE = st.text(st.sampled_from([" ", " ", "\t", "\n", "\r", "\x0b", "\x1c", "\x85", "\u2028", "\x00", "\x7f",
                                 "\u00a0", "\u202f", "\u200b", "\ufeff", "a", "é", "日", "\u0301"]), max_size=30)


@settings(max_examples=300, deadline=None)
@given(_LINE | st.text(st.sampled_from(" aé日\u0301"), max_size=12))  # printable text too, the shortcut's
@example("a  b")
def test_clean_is_breaks_made_spaces_then_controls_dropped(text):
    """clean()'s shortcut for printable text changes no answer of its one-line rule (breaks and runs of spaces to
    one space, controls out, stripped)."""
    rule = templating.printable(re.sub(r"[ \t\n\v\f\r\x1c-\x1f\x85\u2028\u2029]+", " ", text)).strip()
    assert render.clean(text) == rule


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from(["\n", "\n", "a", " "]), max_size=40))
def test_tidy_keeps_at_most_two_blank_lines_in_a_row(text):
    assert render._tidy(text) == re.sub(r"\n{4,}", "\n\n\n", text).strip("\n") + "\n"
