"""Property tests: any text survives dumps → loads → dumps, our output is msgcat's, and no input, however
mangled, gets past the loader as anything but a CatalogError."""

from __future__ import annotations

import random
import subprocess
import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from l10n import po as pofile

from l10n.po import unistring
from l10n.po import Catalog, Entry
from l10n.errors import CatalogError

PO = Path(__file__).resolve().parent / "data" / "po"
NPLURALS = 3
PLURAL_FORMS = f"nplurals={NPLURALS}; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 ? 1 : 2);"
SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])

needs_msgcat = pytest.mark.slow  # a msgcat process per example; without gettext these fail, as they should

# Any script, quotes, backslashes, newlines, tabs, control characters; not NUL (gettext cuts strings there),
# not EOT (gettext's context separator, refused in strings) and not lone surrogates (no encoding holds them).
_CHARS = st.characters(exclude_categories=["Cs"], exclude_characters="\x00\x04")
TEXT = st.text(_CHARS, max_size=100)
# Words and spaces, so that long strings and wrapping get exercised often.
WORDY = st.lists(st.sampled_from(["a", "word", "longer-word", " ", " ", "\n", "\t", '"', "\\", "é", "日本語",
                                  "Привет", "x.y", "%d", "https://example.org/a/b", "\u00a0", "\u200b"]),
                 max_size=40).map("".join)
STRING = st.one_of(TEXT, WORDY)
GETTEXT_STRING = st.one_of(st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00\x04"),
                                   max_size=100), WORDY)
# A comment line: anything but a line break, and not ending in a backslash, which gettext (and our loader)
# reads as joining the next line: such a comment cannot be written to a PO file at all.
COMMENT = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00\n"),
                  max_size=60).filter(lambda c: not c.endswith("\\"))
# File positions as gettext writes them (msgcat would drop a leading "./").
REFERENCE = st.from_regex(r"[A-Za-z0-9_][A-Za-z0-9_./-]{0,19}(:[1-9][0-9]{0,3})?", fullmatch=True)
FORMAT_FLAGS = ["c-format", "python-format", "no-c-format", "python-brace-format"]


@st.composite
def entries(draw: st.DrawFn, msgcat_safe: bool, strings: st.SearchStrategy[str]) -> list[Entry]:
    """Entries with unique keys; `msgcat_safe` leaves out what msgcat would legitimately drop or reorder
    (fuzzy or obsolete untranslated entries, unknown flags, flag order, previous strings on non-fuzzy ones)."""
    result: list[Entry] = []
    seen: set[tuple[str | None, str]] = set()
    for _ in range(draw(st.integers(0, 5))):
        obsolete = draw(st.booleans()) if draw(st.integers(0, 3)) == 0 else False
        msgctxt = draw(st.none() | strings)
        msgid = draw(strings)
        if (msgctxt is None and msgid == "") or (msgctxt, msgid) in seen:
            continue
        seen.add((msgctxt, msgid))
        entry = Entry(msgid=msgid, msgctxt=msgctxt, obsolete=obsolete)
        if draw(st.booleans()):
            entry.msgid_plural = draw(strings)
            forms = draw(st.lists(strings, min_size=1, max_size=NPLURALS))
            entry.msgstr_plural = dict(enumerate(forms))
        else:
            entry.msgstr = draw(strings)
        entry.translator_comments = draw(st.lists(COMMENT, max_size=3))
        entry.extracted_comments = draw(st.lists(COMMENT, max_size=2))
        if not obsolete:  # the writer drops references of obsolete entries, as msgcat does
            entry.references = list(dict.fromkeys(draw(st.lists(REFERENCE, max_size=12))))
        translated = entry.has_translation
        if msgcat_safe:
            if obsolete and not translated:
                continue  # msgcat drops obsolete entries without a translation
            fuzzy = translated and draw(st.booleans())  # msgcat drops fuzzy from untranslated entries
            fmt = draw(st.none() | st.sampled_from(FORMAT_FLAGS))
            entry.flags = ["fuzzy"] * fuzzy + ([fmt] if fmt else [])
        else:
            entry.flags = list(dict.fromkeys(draw(st.lists(
                st.from_regex(r"[a-z][a-z0-9-]{0,15}", fullmatch=True), max_size=3))))
            fuzzy = entry.fuzzy
        if (fuzzy or not msgcat_safe) and draw(st.booleans()):
            entry.previous_msgid = draw(strings)
            entry.previous_msgctxt = draw(st.none() | strings)
            entry.previous_msgid_plural = draw(st.none() | strings)
        result.append(entry)
    return result


@st.composite
def catalogs(draw: st.DrawFn, msgcat_safe: bool = False, strings: st.SearchStrategy[str] = STRING) -> Catalog:
    header = Entry(msgid="")
    if msgcat_safe or draw(st.integers(0, 4)) > 0:
        note = draw(st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00\x04\n"),
                            max_size=80))
        header.msgstr = (f"Project-Id-Version: test\nX-Note: {note}\nContent-Type: text/plain; charset=UTF-8\n"
                         f"Plural-Forms: {PLURAL_FORMS}\n")
        header.translator_comments = draw(st.lists(COMMENT, max_size=3))
        header.flags = ["fuzzy"] if draw(st.booleans()) else []
    cat = Catalog(path=Path("t.po"), header=header, entries=draw(entries(msgcat_safe, strings)))
    assume(header.msgstr or cat.entries)  # an empty catalog is written as an empty file, which loads refuses
    assume(cat.entries or not msgcat_safe)  # msgcat writes nothing at all for a lone header
    if not msgcat_safe:  # msgcat writes neither a BOM nor CRLF
        cat.newline = draw(st.sampled_from(["\n", "\r\n"]))
        cat.bom = draw(st.booleans())
    return cat


def _fields(entry: Entry) -> tuple[object, ...]:
    return (entry.msgid, entry.msgstr, entry.msgctxt, entry.msgid_plural, entry.msgstr_plural, entry.flags,
            entry.translator_comments, entry.extracted_comments, entry.references, entry.previous_msgctxt,
            entry.previous_msgid, entry.previous_msgid_plural, entry.obsolete)


def _msgcat(data: bytes) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "in.po"
        path.write_bytes(data)
        done = subprocess.run(["msgcat", str(path)], capture_output=True, check=False)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return done.stdout


# ---------------------------------------------------------------------------------------------------- round trip


@SETTINGS
@given(catalogs())
def test_dumps_loads_dumps_is_stable_and_keeps_every_string(cat: Catalog) -> None:
    data = pofile.dumps(cat)
    again = pofile.loads(data, Path("t.po"))
    assert pofile.dumps(again) == data
    assert (again.newline, again.bom, again.encoding) == (cat.newline, cat.bom, cat.encoding)
    if cat.header.msgstr or cat.header.translator_comments:
        assert _fields(again.header) == _fields(cat.header)
    written = [e for e in cat.entries if not e.obsolete] + [e for e in cat.entries if e.obsolete]
    assert [_fields(e) for e in again.entries] == [_fields(e) for e in written]
    lines = data.decode("utf-8-sig").split(cat.newline)
    for entry in again.entries:  # Entry.line is the line of the msgid keyword
        assert lines[entry.line - 1].startswith("#~ msgid " if entry.obsolete else "msgid ")


LATIN9 = st.text(st.characters(codec="iso8859-15", exclude_characters="\x00\x04"), max_size=80)


@SETTINGS
@given(st.lists(st.tuples(LATIN9, LATIN9), min_size=1, max_size=5, unique_by=lambda t: t[0]))
def test_latin9_catalogs_keep_their_encoding(pairs: list[tuple[str, str]]) -> None:
    pairs = [(k or "empty", v) for k, v in pairs]
    assume(len({k for k, _ in pairs}) == len(pairs))
    header = Entry(msgid="", msgstr="Content-Type: text/plain; charset=ISO-8859-15\n")
    cat = Catalog(path=Path("t.po"), header=header, entries=[Entry(msgid=k, msgstr=v) for k, v in pairs],
                  encoding="iso8859-15")
    data = pofile.dumps(cat)
    again = pofile.loads(data, Path("t.po"))
    assert again.encoding == "iso8859-15"
    assert [(e.msgid, e.msgstr) for e in again.entries] == pairs
    assert pofile.dumps(again) == data


# ---------------------------------------------------------------------------------------------------- msgcat


def _one_entry(entry: Entry) -> Catalog:
    return Catalog(path=Path("t.po"), header=Entry(msgid="", msgstr="Content-Type: text/plain; charset=UTF-8\n"),
                   entries=[entry])


@needs_msgcat
@SETTINGS
@given(catalogs(msgcat_safe=True, strings=GETTEXT_STRING))
@example(_one_entry(Entry(msgid="a " * 50, msgstr="\n\nb\n", references=["x.c:1"])))
def test_dumps_is_what_msgcat_writes(cat: Catalog) -> None:
    data = pofile.dumps(cat)
    assert _msgcat(data) == data


@needs_msgcat
@SETTINGS
@given(catalogs(msgcat_safe=True, strings=st.text(st.sampled_from("ab \x01\x7f\x85\u2028"), max_size=200)))
@example(_one_entry(Entry(msgid="0", msgstr="a " + "b" * 68 + "\x01")))  # msgcat: one line of 79 columns
def test_dumps_is_what_msgcat_writes_with_raw_control_characters(cat: Catalog) -> None:
    data = pofile.dumps(cat)
    assert _msgcat(data) == data


@needs_msgcat
def test_no_wrap_flag_is_honoured_as_msgcat_does() -> None:
    data = pofile.dumps(_one_entry(Entry(msgid="word " * 20, msgstr="x", flags=["no-wrap"])))
    assert _msgcat(data) == data


# Scripts whose line breaking or widths an emulation of libunistring got wrong (session 5, why the writer now
# refuses without the library): the Arabic comma before a letter, CJK punctuation, combining marks after
# punctuation, emoji; and scripts it got right.
SCRIPTS = {
    "arabic": "كلمة عربية، ؟ ab ", "cjk": "中文字日本語「」、。（）：！？ab ", "combining": "ae\u0301\u0308 b.",
    "emoji": "ab 😀👍🏽 ❤️ ✓ c.", "french": "aé b.,:;!?«» \u00a0\u202f’'-–—()", "cyrillic": "Привет мир, «тест» — ab.",
    "thai": "ภาษาไทย ๆ่้ ab", "hangul": "한국어 텍스트 ab.", "devanagari": "हिन्दी पाठ । ab",
    "escapes": 'ab "c\\ d\t\n\u2028\x85\u200b',
}


def _random_catalog(alphabet: str, seed: int, count: int = 300) -> Catalog:
    rng = random.Random(seed)

    def text() -> str:
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 260)))

    entries = [Entry(msgid=text(), msgstr=text(), msgctxt=str(n), flags=["no-wrap"] if n % 10 == 0 else [],
                     previous_msgid=text() if n % 5 == 1 else None) for n in range(count)]
    for entry in entries:
        if entry.previous_msgid is not None:
            entry.flags.insert(0, "fuzzy")
    return Catalog(path=Path("t.po"), header=_one_entry(Entry(msgid="")).header, entries=entries)


@needs_msgcat
@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_dumps_is_what_msgcat_writes_in_every_script(script: str) -> None:
    assert unistring.library() is not None  # gettext's own line breaking, not the fallback
    data = pofile.dumps(_random_catalog(SCRIPTS[script], seed=len(script)))
    assert _msgcat(data) == data


@needs_msgcat
def test_every_character_is_as_wide_and_breaks_as_msgcat_says() -> None:
    """Each assigned code point in a string that ends near the right margin, a different distance from it by
    code point: one wrong width or break opportunity moves a line break."""
    codes = [c for c in range(0x20, 0x32000) if unicodedata.category(chr(c)) not in ("Cn", "Cs", "Co")
             and chr(c) not in '\\"']
    entries = [Entry(msgid="a" * (72 + c % 4) + chr(c) + " bb cc", msgctxt=f"{c:x}") for c in codes]
    data = pofile.dumps(Catalog(path=Path("t.po"), header=_one_entry(Entry(msgid="")).header, entries=entries))
    assert _msgcat(data) == data


def test_without_libunistring_the_writer_refuses_rather_than_guess(tmp_path: Path, monkeypatch) -> None:
    """Where libunistring is missing no line break can be promised to be msgcat's: a line that needs the library
    is a one-line CatalogError naming it, and the file on disk keeps its bytes (an emulation used to write lines
    msgcat would not, in Arabic, CJK, emoji…)."""
    from l10n.errors import CatalogError
    from l10n.po import layout

    monkeypatch.setattr(unistring, "library", lambda: None)
    monkeypatch.setattr(layout, "_last_write", {})  # no layout from an earlier test's write
    cat = _one_entry(Entry(msgid="word " * 20, msgstr="x"))
    cat.path = tmp_path / "x.po"
    cat.path.write_bytes(b"before")
    with pytest.raises(CatalogError, match=r"cannot write PO files: GNU libunistring .* was not found"):
        pofile.save(cat)
    assert cat.path.read_bytes() == b"before"


@pytest.mark.xfail(strict=True, reason="writer gap: a comment ending in a backslash is written as is, and gettext "
                                       "(like our loader) reads that backslash as joining the next line")
def test_comment_ending_in_backslash_survives() -> None:
    cat = _one_entry(Entry(msgid="x", msgstr="y", translator_comments=["C:\\dir\\"]))
    again = pofile.loads(pofile.dumps(cat), Path("t.po"))
    assert again.entries[0].translator_comments == ["C:\\dir\\"]


# ---------------------------------------------------------------------------------------------------- robustness


def _fixture_texts() -> list[bytes]:
    return [p.read_bytes() for p in sorted(PO.glob("*.po")) if p.stat().st_size]


@SETTINGS
@given(st.sampled_from(_fixture_texts()), st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 30),
                                                             st.binary(max_size=4)), min_size=1, max_size=4))
def test_mangled_files_load_or_raise_catalog_error(data: bytes, edits: list[tuple[int, int, bytes]]) -> None:
    """Cut, insert and overwrite bytes anywhere: the loader either reads the file or says why, in one line."""
    for position, cut, insert in edits:
        position %= len(data) + 1
        data = data[:position] + insert + data[position + cut:]
    try:
        cat = pofile.loads(data, Path("t.po"))
    except CatalogError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("t.po:")
        return
    assert pofile.loads(pofile.dumps(cat), Path("t.po")) is not None


@SETTINGS
@given(st.sampled_from(_fixture_texts()), st.integers(0, 10_000),
       st.sampled_from(['"', "\\", "\n", "#", "#~ ", "#| ", "msgid ", "msgstr ", "msgstr[7] ", "msgctxt ",
                        "\\x", "\\7", "<<<<<<< ours\n", "\r", "msgid_plural ", '""', "[", "\\q"]))
def test_grammar_mutations_load_or_raise_catalog_error(data: bytes, position: int, token: str) -> None:
    position %= len(data) + 1
    data = data[:position] + token.encode() + data[position:]
    try:
        cat = pofile.loads(data, Path("t.po"))
    except CatalogError as exc:
        assert "\n" not in str(exc) and exc.line is not None and exc.line >= 1
        return
    again = pofile.loads(pofile.dumps(cat), Path("t.po"))
    assert [_fields(e) for e in again.entries] == \
        [_fields(e) for e in [e for e in cat.entries if not e.obsolete] + [e for e in cat.entries if e.obsolete]]
