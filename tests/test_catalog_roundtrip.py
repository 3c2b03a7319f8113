"""Valid catalogs, usual or not, load and save without a change of meaning; files gettext wrote come back
byte for byte (no churn).

The no-churn fixtures in data/po were made by running `msgcat` on hand-made input (crlf.po, bom.po and
bom_crlf.po then got CRLF line endings or a UTF-8 BOM added, which msgcat itself does not write)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from l10n import po as pofile
from l10n.po import Catalog, Entry
from l10n.digest import sha256
from l10n.errors import CatalogError

PO = Path(__file__).resolve().parent / "data" / "po"

GETTEXT_WRITTEN = ["long_lines.po", "embedded_newlines.po", "plurals.po", "obsolete_previous.po", "no_header.po",
                   "crlf.po", "bom.po", "bom_crlf.po", "iso8859-15.po"]

HEADER = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
          '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n')

needs_msgcat = pytest.mark.skipif(shutil.which("msgcat") is None, reason="gettext's msgcat is not installed")


def _loads(text: str | bytes) -> Catalog:
    return pofile.loads(text.encode("utf-8") if isinstance(text, str) else text, Path("t.po"))


def _laid_out_anew(cat: Catalog) -> None:
    """Forget the lines the entries were read from, so that the writer lays every one out as msgcat would."""
    for entry in [cat.header, *cat.entries]:
        entry.raw = entry.pristine = None


def _msgcat(data: bytes, tmp_path: Path) -> bytes:
    path = tmp_path / "in.po"
    path.write_bytes(data)
    return subprocess.run(["msgcat", str(path)], capture_output=True, check=True).stdout


# ---------------------------------------------------------------------------------------------------- no churn


@pytest.mark.parametrize("name", GETTEXT_WRITTEN)
def test_gettext_written_file_saves_byte_for_byte(name: str) -> None:
    path = PO / name
    assert pofile.dumps(pofile.load(path)) == path.read_bytes()


@pytest.mark.parametrize("name", GETTEXT_WRITTEN)
def test_gettext_written_file_laid_out_anew_is_the_same_bytes(name: str) -> None:
    """The writer's own layout, not the lines kept from the file: every entry written fresh is msgcat's."""
    cat = pofile.load(PO / name)
    _laid_out_anew(cat)
    assert pofile.dumps(cat) == (PO / name).read_bytes()


@pytest.mark.parametrize("name", GETTEXT_WRITTEN)
def test_save_does_not_rewrite_an_unchanged_file(name: str, tmp_path: Path) -> None:
    path = tmp_path / name
    shutil.copy(PO / name, path)
    mtime = path.stat().st_mtime_ns
    assert pofile.save(pofile.load(path)) is False
    assert path.stat().st_mtime_ns == mtime


@needs_msgcat
@pytest.mark.parametrize("name", ["long_lines.po", "embedded_newlines.po", "plurals.po", "obsolete_previous.po",
                                  "no_header.po", "iso8859-15.po"])
def test_fixtures_are_what_msgcat_writes(name: str, tmp_path: Path) -> None:
    data = (PO / name).read_bytes()
    assert _msgcat(data, tmp_path) == data


# ---------------------------------------------------------------------------------------------------- what loads


def test_line_numbers_are_those_of_msgid() -> None:
    cat = pofile.load(PO / "plurals.po")
    lines = (PO / "plurals.po").read_text(encoding="utf-8").split("\n")
    assert cat.header.line == lines.index('msgid ""') + 1
    for entry in cat.entries:
        assert lines[entry.line - 1].startswith("msgid ")
    assert [e.line for e in cat.entries] == [23, 29, 45, 50]


@pytest.mark.parametrize("name", ["plurals.po", "bom_crlf.po"])
def test_line_numbers_ignore_bom_and_crlf(name: str) -> None:
    assert [e.line for e in pofile.load(PO / name).entries] == [23, 29, 45, 50]


def test_crlf_and_bom_are_kept() -> None:
    cat = pofile.load(PO / "bom_crlf.po")
    assert (cat.newline, cat.bom, cat.encoding) == ("\r\n", True, "utf-8")
    assert all("\r" not in e.msgid and "\r" not in e.translation for e in cat.entries)


def test_header_is_kept_verbatim_with_comments_and_fuzzy_flag() -> None:
    cat = pofile.load(PO / "long_lines.po")
    assert cat.header.translator_comments[0] == "French translation of the appeal."
    assert cat.header.translator_comments[-1] == ""
    assert cat.header.fuzzy
    assert cat.header.msgstr.startswith("Project-Id-Version: appeal 1.0\nReport-Msgid-Bugs-To: \n")
    assert cat.header_field("Plural-Forms") == "nplurals=2; plural=(n > 1);"


def test_header_fields_polib_would_merge_survive() -> None:
    body = 'msgid ""\nmsgstr ""\n"X-A: 1\\n"\n"X-A: 2\\n"\n"No colon here\\n"\n"X-B:tight"\n'
    cat = _loads(body)
    assert cat.header.msgstr == "X-A: 1\nX-A: 2\nNo colon here\nX-B:tight"
    assert pofile.dumps(cat) == body.encode()


def test_previous_strings_and_obsolete_entries() -> None:
    cat = pofile.load(PO / "obsolete_previous.po")
    title, old, sign, items = cat.entries
    assert (title.previous_msgctxt, title.previous_msgid, title.msgctxt) == ("title", "The appeal", "title")
    assert title.extracted_comments == ["Still in use"] and title.references == ["source/appeal.fr.txt:2"]
    assert old.obsolete and old.fuzzy
    assert old.previous_msgid == ("Old sentence that was removed from the source document a while ago, but "
                                  "kept here")
    assert old.translator_comments == ["A translator's note kept with the obsolete entry"]
    assert old.msgstr.endswith("où elle reviendrait.")
    assert (sign.obsolete, sign.msgctxt, sign.msgstr) == (True, "button", "Signer")
    assert items.obsolete and items.msgstr_plural == {0: "%d ancien élément", 1: "%d anciens éléments"}


def test_plurals_and_context() -> None:
    cat = pofile.load(PO / "plurals.po")
    signatory, organisation, country, untranslated = cat.entries
    assert signatory.flags == ["c-format"] and signatory.msgstr_plural == {0: "%d signataire", 1: "%d signataires"}
    assert signatory.msgstr == ""
    assert organisation.msgctxt == "organisations"
    assert (organisation.msgid_plural or "").startswith("%d organisations have signed")
    assert country.previous_msgid_plural == "%d countries" and country.fuzzy
    assert untranslated.msgstr_plural == {0: "", 1: ""} and not untranslated.has_translation


def test_entries_without_header() -> None:
    cat = pofile.load(PO / "no_header.po")
    assert cat.header.msgstr == "" and not cat.header.translator_comments
    assert [(e.msgid, e.msgstr, e.line) for e in cat.entries] == [("Hello", "Bonjour", 2), ("World", "", 5)]


def test_embedded_newlines() -> None:
    cat = pofile.load(PO / "embedded_newlines.po")
    assert cat.entries[0].msgstr == "Première ligne\nDeuxième ligne\n"
    assert cat.entries[-1].msgid == "Carriage\r\nreturn"


def test_iso8859_15_is_kept_in_its_encoding() -> None:
    path = PO / "iso8859-15.po"
    cat = pofile.load(path)
    assert cat.encoding == "iso8859-15"
    assert cat.entries[1].msgstr == "Deux €uros œuvre\nlignes"
    assert b"\xa4uros \xbduvre" in path.read_bytes()  # € and œ, Latin-9 only, so no mojibake either way
    assert pofile.dumps(cat) == path.read_bytes()


def test_iso8859_15_switches_to_utf8_for_text_it_cannot_hold() -> None:
    cat = pofile.load(PO / "iso8859-15.po")
    cat.entries[0].msgstr = "Привет"
    data = pofile.dumps(cat)
    again = pofile.loads(data, Path("t.po"))
    assert again.encoding == "utf-8" and again.entries[0].msgstr == "Привет"
    assert again.entries[1].msgstr == "Deux €uros œuvre\nlignes"
    assert again.header_field("Content-Type") == "text/plain; charset=UTF-8"


def test_only_the_header_names_the_charset() -> None:
    header = 'msgid ""\nmsgstr ""\n"X-Generator: hand\\n"\n\n'
    cat = _loads(header + 'msgid "Content-Type: text/plain; charset=KOI8-R"\nmsgstr "Привет"\n')
    assert cat.encoding == "utf-8" and cat.entries[0].msgstr == "Привет"


@needs_msgcat
def test_octal_and_hex_escapes_keep_their_meaning(tmp_path: Path) -> None:
    path = PO / "octal_hex_escapes.po"
    cat = pofile.load(path)
    assert cat.entries[0].msgid == "AB-C été"
    assert cat.entries[0].msgstr == '\a\b\f\v ~~ "\\'
    assert pofile.dumps(cat) == path.read_bytes()  # unchanged: kept as written
    _laid_out_anew(cat)
    assert pofile.dumps(cat) == _msgcat(path.read_bytes(), tmp_path)  # the plain characters, as msgcat writes


ESCAPES = [
    ('"\\n\\t\\r\\a\\b\\f\\v\\\\\\""', '\n\t\r\a\b\f\v\\"'),
    ('"\\101\\102\\103"', "ABC"),
    ('"\\1012"', "A2"),  # at most three octal digits
    ('"\\08"', None),  # \0 is NUL: refused
    ('"\\x41\\x4a\\x4A"', "AJJ"),
    ('"\\x41g"', "Ag"),
    ('"\\303\\251"', "é"),  # octal escapes are bytes of the file's charset
    ('"\\303" "\\251"', "é"),  # even across strings of one field
    ('"\\?\\\'"', "?'"),  # C's escapes, which gettext 0.21 refuses
    ('"\\\\101"', "\\101"),  # an escaped backslash, then digits
    ('"\\\\\\\\"', "\\\\"),
    ('"a\\\\" "\\\\b"', "a\\\\b"),
]


@pytest.mark.parametrize("literal,value", ESCAPES)
def test_escapes(literal: str, value: str | None) -> None:
    text = HEADER + f"msgid {literal}\nmsgstr \"x\"\n"
    if value is None:
        with pytest.raises(CatalogError):
            _loads(text)
        return
    cat = _loads(text)
    assert cat.entries[0].msgid == value
    assert pofile.loads(pofile.dumps(cat), Path("t.po")).entries[0].msgid == value


def test_octal_escapes_in_latin9_are_latin9_bytes() -> None:
    text = HEADER.replace("UTF-8", "ISO-8859-15") + 'msgid "\\244"\nmsgstr "\\xbd"\n'
    cat = _loads(text.encode("iso8859-15"))
    assert (cat.entries[0].msgid, cat.entries[0].msgstr) == ("€", "œ")


def test_gettext_token_grammar_is_accepted() -> None:
    body = ('msgid\n"a"\n\n"b"\nmsgstr "c" "d"\n\nmsgid "e" msgstr "f"\n\n'
            'msgid "g"\nmsgid_plural "gs"\nmsgstr [ 0 ] "h"\nmsgstr[1]"i"\n\n  \tmsgid\t"j"  \nmsgstr\t"k"\t\n')
    cat = _loads(HEADER + body)
    assert [(e.msgid, e.translation) for e in cat.entries] == [("ab", "cd"), ("e", "f"), ("g", "h"), ("j", "k")]
    assert [e.line for e in cat.entries] == [6, 12, 14, 19]


def test_many_plural_forms() -> None:
    forms = "".join(f'msgstr[{i}] "f{i}"\n' for i in range(12))
    text = HEADER.replace("nplurals=2; plural=(n != 1)", "nplurals=12; plural=n%12") + \
        f'msgid "a"\nmsgid_plural "b"\n{forms}'
    cat = _loads(text)
    assert cat.entries[0].msgstr_plural == {i: f"f{i}" for i in range(12)}
    assert pofile.dumps(cat) == text.encode()


def test_comments_are_read_as_gettext_reads_them() -> None:
    body = ('#  two spaces\n#\ttab\n##double\n#.x\n#.  y\n#:  a.c:1\tb.c:2  c.c\n#,fuzzy c-format\n#, range: 1..5\n'
            '# line\u2028separator\x0cform feed\x1c\nmsgid "a"\nmsgstr "b"\n')
    entry = _loads(HEADER + body).entries[0]
    assert entry.translator_comments == [" two spaces", "\ttab", "#double", "line\u2028separator\x0cform feed\x1c"]
    assert entry.extracted_comments == ["x", " y"]
    assert entry.references == ["a.c:1", "b.c:2", "c.c"]
    assert entry.flags == ["fuzzy", "c-format", "range: 1..5"]


def test_flags_of_several_lines_are_kept_once() -> None:
    entry = _loads(HEADER + '#, fuzzy\n#, c-format, fuzzy\nmsgid "a"\nmsgstr "b"\n').entries[0]
    assert entry.flags == ["fuzzy", "c-format"]


def test_lone_carriage_returns_are_content_in_an_lf_file() -> None:
    text = HEADER + '# note\r\nmsgid "a"\r\nmsgstr "b"\n'
    cat = _loads(text)
    assert cat.newline == "\n"
    assert cat.entries[0].translator_comments == ["note\r"]
    assert pofile.dumps(cat) == text.encode()  # unchanged: kept as written, \r after a string included
    _laid_out_anew(cat)
    assert pofile.dumps(cat) == (HEADER + '# note\r\nmsgid "a"\nmsgstr "b"\n').encode()


def test_raw_control_characters_in_strings() -> None:
    cat = _loads(HEADER + 'msgid "a\x01\x7f\u2028b"\nmsgstr "\x0c"\n')
    assert cat.entries[0].msgid == "a\x01\x7f\u2028b"
    assert cat.entries[0].msgstr == "\f"
    assert pofile.loads(pofile.dumps(cat), Path("t.po")).entries[0].msgstr == "\f"


def test_obsolete_and_active_may_not_share_a_msgid() -> None:
    """msgfmt, msgcat and msgmerge call an obsolete copy of a live message a duplicate (issue 22, item 2)."""
    with pytest.raises(CatalogError, match="duplicate msgid 'a'.*obsolete"):
        _loads(HEADER + 'msgid "a"\nmsgstr "b"\n\n#~ msgid "a"\n#~ msgstr "c"\n')
    cat = _loads(HEADER + 'msgctxt "x"\nmsgid "a"\nmsgstr "b"\n\n#~ msgid "a"\n#~ msgstr "c"\n')  # other context
    assert [(e.obsolete, e.msgstr) for e in cat.entries] == [(False, "b"), (True, "c")]


def test_context_with_empty_msgid_is_not_a_header() -> None:
    cat = _loads(HEADER + 'msgctxt "c"\nmsgid ""\nmsgstr "x"\n')
    assert cat.entries[0].key == ("c", "")
    assert cat.entries[0].msgstr == "x" and cat.header.msgstr.startswith("Content-Type:")


def test_blank_header_comment_lines_roundtrip() -> None:
    text = "# Title\n#\n# Author\n" + HEADER + '#, fuzzy\nmsgid "a"\nmsgstr "b"\n'
    cat = _loads(text)
    assert cat.header.translator_comments == ["Title", "", "Author"]
    assert pofile.dumps(cat) == text.encode()


def test_load_returns_our_entries() -> None:
    cat = pofile.load(PO / "plurals.po")
    assert all(type(e) is Entry for e in [cat.header, *cat.entries])
    assert cat.loaded_digest == sha256((PO / "plurals.po").read_bytes())


def test_a_catalog_read_and_written_unchanged_keeps_every_byte_whatever_its_layout() -> None:
    """Zero churn: a one-line header msgstr, blank lines between entries, a line joined by a backslash, a
    continued msgid a writer would put on one line and a flag line of its own style all come back as they were,
    but for the blank lines between entries (one) and the final newline."""
    text = ('# head\nmsgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n#. x\nmsgid "a\\\nb"\n'
            'msgstr "c"\n\n\n\n#,fuzzy\nmsgid ""\n"d"\nmsgstr "e"')
    cat = _loads(text)
    assert cat.entries[0].msgid == "ab" and cat.entries[1].fuzzy
    expected = text.replace("\n\n\n\n", "\n\n") + "\n"
    assert pofile.dumps(cat) == expected.encode()
    cat.entries[1].msgstr = "f"  # one change: that entry is laid out anew, the others keep their bytes
    assert pofile.dumps(cat) == expected.replace('#,fuzzy\nmsgid ""\n"d"\nmsgstr "e"',
                                                  '#, fuzzy\nmsgid "d"\nmsgstr "f"').encode()
