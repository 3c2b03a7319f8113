"""Malformed catalogs: each mistake is one CatalogError `path:line: message`, never a traceback or a dropped entry."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from l10n import po as pofile
from l10n.errors import CatalogError

PO = Path(__file__).resolve().parent / "data" / "po"

HEADER = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
          '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n')  # 5 lines: entries start on line 6

# fixture file, line of the mistake, words the message must contain
FIXTURES = [
    ("unterminated_string.po", 7, "unterminated string"),
    ("unescaped_quote.po", 7, "unescaped double quote"),
    ("unknown_escape.po", 9, "unknown escape sequence \\q"),
    ("unknown_keyword.po", 8, "unknown keyword 'msgtsr'"),
    ("merge_conflict.po", 7, "merge-conflict marker"),
    ("missing_msgstr.po", 6, "missing msgstr"),
    ("missing_msgstr_at_eof.po", 10, "missing msgstr"),
    ("duplicate_msgid.po", 13, "duplicate msgid 'Hello': first defined on line 6"),
    ("too_many_plural_forms.po", 10, "nplurals=2"),
    ("bad_plural_expression.po", 4, "Plural-Forms"),
    ("bad_nplurals.po", 4, "nplurals must be a positive integer"),
    ("invalid_utf8.po", 7, "not valid utf-8"),
    ("empty.po", 1, "empty file"),
]


def _error(data: bytes | str, name: str = "t.po") -> CatalogError:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    with pytest.raises(CatalogError) as info:
        pofile.loads(raw, Path(name))
    return info.value


def _assert_one_line(exc: CatalogError, path: Path | str, line: int, words: str) -> None:
    text = str(exc)
    assert "\n" not in text and "Traceback" not in text
    assert re.fullmatch(rf"{re.escape(str(path))}:{line}: .+", text), text
    assert exc.line == line
    assert words in exc.message, text


@pytest.mark.parametrize("name,line,words", FIXTURES, ids=[f[0] for f in FIXTURES])
def test_malformed_fixture_is_one_line_error(name: str, line: int, words: str) -> None:
    path = PO / name
    with pytest.raises(CatalogError) as info:
        pofile.load(path)
    _assert_one_line(info.value, path, line, words)


INLINE = [
    # strings
    ("unterminated_escaped_quote", 'msgid "a\\"\nmsgstr "b"\n', 6, "unterminated string"),
    ("unterminated_continuation", 'msgid "a"\nmsgstr ""\n"b\n', 8, "unterminated string"),
    ("inner_quote_in_continuation", 'msgid "a"\nmsgstr ""\n"say "hi" now"\n', 8, "unescaped double quote"),
    ("text_after_string", 'msgid "a" b\nmsgstr "b"\n', 6, "unknown keyword 'b'"),
    ("unknown_escape_in_msgid", 'msgid "\\q"\nmsgstr ""\n', 6, "\\q"),
    ("unicode_escape", 'msgid "\\u00e9"\nmsgstr ""\n', 6, "\\u"),
    ("hex_out_of_range", 'msgid "\\x4142"\nmsgstr ""\n', 6, "out of range"),
    ("octal_out_of_range", 'msgid "\\400"\nmsgstr ""\n', 6, "out of range"),
    ("nul_escape", 'msgid "a"\nmsgstr "b\\0"\n', 7, "NUL"),
    ("eot_in_string", 'msgid "a"\nmsgstr ""\n"b\\x04"\n', 7, "U+0004"),
    ("raw_eot_in_msgctxt", 'msgctxt "\x04"\nmsgid "a"\nmsgstr ""\n', 6, "U+0004"),
    ("escaped_bytes_not_utf8", 'msgid "a"\nmsgstr ""\n"\\351t\\351"\n', 7, "not form valid utf-8"),
    # keywords and structure
    ("keyword_typo_msgidd", 'msgidd "a"\nmsgstr ""\n', 6, "unknown keyword 'msgidd'"),
    ("keyword_without_string", 'msgid\nmsgstr "b"\n', 6, "msgid is not followed by a string"),
    ("second_msgstr", 'msgid "a"\nmsgstr "b"\nmsgstr "c"\n', 8, "second msgstr"),
    ("msgstr_without_msgid", '# c\nmsgstr "b"\n', 7, "msgstr without msgid"),
    ("msgctxt_without_msgid", 'msgctxt "c"\nmsgstr "b"\n', 7, "msgstr without msgid"),
    ("msgctxt_then_eof", 'msgid "a"\nmsgstr ""\n\nmsgctxt "c"\n', 9, "msgctxt without msgid"),
    ("missing_msgstr_before_comment", 'msgid "a"\n# note\nmsgid "b"\nmsgstr ""\n', 6, "missing msgstr"),
    ("missing_msgstr_before_msgctxt", 'msgid "a"\nmsgctxt "c"\nmsgid "b"\nmsgstr ""\n', 6, "missing msgstr"),
    ("plural_with_plain_msgstr", 'msgid "a"\nmsgid_plural "as"\nmsgstr "x"\n', 8, "msgstr[0]"),
    ("plural_index_without_plural", 'msgid "a"\nmsgstr[0] "x"\n', 7, "without msgid_plural"),
    ("plural_index_gap", 'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "x"\nmsgstr[2] "y"\n', 9, "expected msgstr[1]"),
    ("plural_index_not_zero", 'msgid "a"\nmsgid_plural "as"\nmsgstr[1] "x"\n', 8, "expected msgstr[0]"),
    ("domain", 'domain "x"\nmsgid "a"\nmsgstr ""\n', 6, "domain"),
    ("junk_character", 'msgid "a"\nmsgstr "b"\n@\n', 8, "unexpected '@'"),
    ("inconsistent_obsolete", '#~ msgid "a"\nmsgstr "b"\n', 7, "inconsistent use of #~"),
    ("inconsistent_obsolete_continuation", '#~ msgid "a"\n#~ msgstr ""\n"b"\n', 8, "inconsistent use of #~"),
    ("previous_without_prefix_continuation", '#| msgid "a"\n"b"\nmsgid "c"\nmsgstr ""\n', 7, "#| prefix"),
    ("previous_msgstr", '#| msgstr "a"\nmsgid "c"\nmsgstr ""\n', 6, "not msgstr"),
    ("previous_msgctxt_alone", '#| msgctxt "p"\nmsgid "c"\nmsgstr ""\n', 6, "#| msgid"),
    ("previous_then_comment", '#| msgid "p"\n#, fuzzy\nmsgid "c"\nmsgstr ""\n', 7, "#| previous strings"),
    ("previous_plural_first", '#| msgid_plural "p"\nmsgid "c"\nmsgstr ""\n', 6, "must follow #| msgid"),
    ("previous_in_obsolete_without_tilde", '#| msgid "p"\n#~ msgid "c"\n#~ msgstr "d"\n', 7,
     "inconsistent use of #~"),
    ("trailing_comment", 'msgid "a"\nmsgstr "b"\n\n# forgotten\n', 9, "belong to no entry"),
    # merge conflicts, with the diff3 base section too
    ("conflict_diff3", 'msgid "a"\nmsgstr "b"\n\n||||||| base\nmsgid "a"\n', 9, "merge-conflict"),
    ("conflict_separator", 'msgid "a"\nmsgstr "b"\n=======\n', 8, "merge-conflict"),
    # duplicates
    ("duplicate_with_context", 'msgctxt "x"\nmsgid "a"\nmsgstr ""\n\nmsgctxt "x"\nmsgid "a"\nmsgstr ""\n', 11,
     "in context 'x'"),
    ("duplicate_obsolete", '#~ msgid "a"\n#~ msgstr "b"\n\n#~ msgid "a"\n#~ msgstr "c"\n', 9, "duplicate"),
    ("duplicate_plural", 'msgid "a"\nmsgid_plural "b"\nmsgstr[0] ""\n\nmsgid "a"\nmsgstr ""\n', 10, "duplicate"),
    # plural forms against the header
    ("too_many_forms_continued", 'msgid "a"\nmsgid_plural "as"\nmsgstr[0] ""\n"x"\nmsgstr[1] "y"\nmsgstr[2] "z"\n',
     11, "one plural form too many"),
]


@pytest.mark.parametrize("body,line,words", [c[1:] for c in INLINE], ids=[c[0] for c in INLINE])
def test_malformed_inline(body: str, line: int, words: str) -> None:
    _assert_one_line(_error(HEADER + body), "t.po", line, words)


def test_string_without_keyword() -> None:
    # after the header a string would continue its msgstr (gettext's grammar), so this file has none
    _assert_one_line(_error('"orphan"\nmsgid "a"\nmsgstr ""\n'), "t.po", 1, "string without a keyword")


def test_header_must_come_first() -> None:
    _assert_one_line(_error('msgid "a"\nmsgstr "b"\n\nmsgid ""\nmsgstr "x"\n'), "t.po", 4, "header entry")


BAD_PLURAL_FORMS = [
    ("nplurals=2; plural=(n != 1", "expected ')'"),
    ("nplurals=2; plural=n != ;", "found the end"),
    ("nplurals=2; plural=n $ 1;", "unexpected '$'"),
    ("nplurals=2; plural=n ? 1;", "expected ':'"),
    ("nplurals=2; plural=n 1;", "unexpected '1'"),
    ("nplurals=2; plural=;", "empty plural expression"),
    ("nplurals=2;", "missing plural"),
    ("plural=n != 1;", "missing nplurals"),
    ("nplurals=0; plural=0;", "positive integer"),
    ("nplurals=two; plural=n != 1;", "positive integer"),
    ("nplurals=1.5; plural=0;", "positive integer"),
    ("nplurals=2; plural=n != 1; extra=1;", "expected nplurals=N"),
    ("nplurals=2; nplurals=3; plural=n;", "given twice"),
]


@pytest.mark.parametrize("value,words", BAD_PLURAL_FORMS)
def test_bad_plural_forms(value: str, words: str) -> None:
    text = (f'# comment\nmsgid ""\nmsgstr ""\n"Language: xx\\n"\n"Plural-Forms: {value}\\n"\n'
            f'"Content-Type: text/plain; charset=UTF-8\\n"\n')
    _assert_one_line(_error(text), "t.po", 5, words)


GOOD_PLURAL_FORMS = [
    "nplurals=1; plural=0;",
    "nplurals=2; plural=(n != 1);",
    "nplurals=2; plural=n>1",
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5;",
    "nplurals=4; plural=(n % 100 == 1 ? 0 : n % 100 == 2 ? 1 : n % 100 == 3 || n % 100 == 4 ? 2 : 3);",
    "nplurals=2; plural=!(n == 1) * 1 + 0 - 0 / 1;",
    "nplurals=INTEGER; plural=EXPRESSION;",  # xgettext's template placeholder
]


@pytest.mark.parametrize("value", GOOD_PLURAL_FORMS)
def test_valid_plural_forms_load(value: str) -> None:
    text = f'msgid ""\nmsgstr ""\n"Plural-Forms: {value}\\n"\n\nmsgid "a"\nmsgstr "b"\n'
    cat = pofile.loads(text.encode(), Path("t.po"))
    assert cat.header_field("Plural-Forms") == value


def test_plural_forms_within_nplurals_load() -> None:
    body = 'msgid "a"\nmsgid_plural "as"\nmsgstr[0] "x"\nmsgstr[1] "y"\n'
    cat = pofile.loads((HEADER + body).encode(), Path("t.po"))
    assert cat.entries[0].msgstr_plural == {0: "x", 1: "y"}


def test_obsolete_entries_are_not_held_to_the_current_nplurals() -> None:
    body = '#~ msgid "a"\n#~ msgid_plural "as"\n#~ msgstr[0] "x"\n#~ msgstr[1] "y"\n#~ msgstr[2] "z"\n'
    cat = pofile.loads((HEADER + body).encode(), Path("t.po"))
    assert cat.entries[0].msgstr_plural == {0: "x", 1: "y", 2: "z"}


def test_charset_errors() -> None:
    head = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset={}\\n"\n\nmsgid "a"\nmsgstr "{}"\n'
    _assert_one_line(_error(head.format("KLINGON", "b")), "t.po", 3, "unknown charset 'KLINGON'")
    _assert_one_line(_error(head.format("ASCII", "é")), "t.po", 6, "not valid ascii")
    bom = b"\xef\xbb\xbf" + head.format("ISO-8859-15", "b").encode()
    _assert_one_line(_error(bom), "t.po", 3, "byte-order mark")


def test_nul_character_in_file() -> None:
    _assert_one_line(_error(HEADER + 'msgid "a"\nmsgstr "b\x00"\n'), "t.po", 7, "NUL")


@pytest.mark.parametrize("data", [b"", b"\n\n  \n", b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n"])
def test_empty_files(data: bytes) -> None:
    _assert_one_line(_error(data), "t.po", 1, "empty file")


def test_comments_only() -> None:
    _assert_one_line(_error("# SOME DESCRIPTIVE TITLE.\n#\n"), "t.po", 1, "only comments")


def test_error_lines_count_crlf_and_bom() -> None:
    text = (HEADER + 'msgid "a"\nmsgstr "b"\n\nmsgid "c"\nmsgtsr "d"\n').replace("\n", "\r\n")
    _assert_one_line(_error(b"\xef\xbb\xbf" + text.encode()), "t.po", 10, "msgtsr")


def test_load_reports_unreadable_path(tmp_path: Path) -> None:
    with pytest.raises(CatalogError) as info:
        pofile.load(tmp_path / "missing.po")
    assert str(info.value).startswith(f"{tmp_path / 'missing.po'}: cannot read catalog")
