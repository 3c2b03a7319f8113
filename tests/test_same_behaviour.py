"""Faster code must answer as the code it replaced: each test here runs the earlier version (copied in as an
oracle, with the commit it comes from) against today's over every input that could tell them apart, either the
whole of Unicode at once or many generated inputs."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from l10n import document, terminal
from l10n.config import SignatoriesConfig
from l10n.document import Segment, SourceError, fold, read_lines, read_utf8
from l10n.pot import contexts

#: every character a Python string can hold but the surrogates
EVERY_CHARACTER = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)


# -- terminal.printable: one pattern of unsafe characters (9a0014e) instead of one per mode ---------------------

_OLD_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_OLD_UNSAFE_LINE = re.compile(_OLD_UNSAFE.pattern[:-1] + r"\n]")


def _old_escaped(match: re.Match[str]) -> str:
    char = match.group(0)
    return {"\n": "\\n", "\r": "\\r"}.get(char) or (f"\\x{ord(char):02x}" if ord(char) < 0x100
                                                    else f"\\u{ord(char):04x}")


def _old_printable(text: str, lines: bool = False, json: bool = False) -> str:
    """terminal.printable at 8439c29."""
    if json:
        return _OLD_UNSAFE.sub(terminal._json_escaped, text)
    return (_OLD_UNSAFE if lines else _OLD_UNSAFE_LINE).sub(_old_escaped, text)


@pytest.mark.parametrize("lines", [False, True])
@pytest.mark.parametrize("json", [False, True])
def test_printable_escapes_every_character_as_before(lines, json):
    text = "a\r\nb\n" + EVERY_CHARACTER + "\\n\n"
    assert terminal.printable(text, lines=lines, json=json) == _old_printable(text, lines=lines, json=json)


# -- document.fold: the words of the casefolded text (e58f876) instead of what lies between them replaced -------

_OLD_NON_WORD = re.compile(r"[^\w]+")


def _old_fold(text: str) -> str:
    """document.fold at 8439c29."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).translate(document._BARE)
    return " ".join(_OLD_NON_WORD.sub(" ", text.casefold()).split())


def test_fold_answers_as_before_for_every_character_inside_ascii_words_and_alone():
    """Each character between two letters, and next to nothing: a character \\w takes for a word's but
    str.split() for a space would make the two differ."""
    text = "".join(f"a{c}b {c} " for c in EVERY_CHARACTER)
    assert fold(text) == _old_fold(text)


@given(st.text(max_size=40))
@example("  Etats-Unis  d'Amérique\u00a0")
@settings(max_examples=100, deadline=None)
def test_fold_answers_as_before(text):
    assert fold(text) == _old_fold(text)


# -- document.read_text (now read_lines, the text decoded as it is read): CR and NUL as before (00b808d) -------


def _old_read_text(path: Path) -> str:
    """document.read_text at 8439c29 (the file named as given)."""
    text = read_utf8(path, path, SourceError, "source")[1]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    nul = text.find("\x00")
    if nul >= 0:
        raise SourceError("NUL character (U+0000) in the source: remove it", path, text.count("\n", 0, nul) + 1)
    return text


def _outcome(read, path: Path) -> tuple[str, str]:
    try:
        return "text", read(path)
    except SourceError as exc:
        return "error", str(exc)


@given(bom=st.booleans(), text=st.text(st.sampled_from("a\r\n\x00\u0d0d\u0a0d\u2028é\U0001f600"), max_size=30),
       tail=st.sampled_from([b"", b"\xff", b"\r", b"\x00", b"\xe2\x80"]))
@example(bom=False, text="\u0d0d\u000d", tail=b"")  # U+0D0D: a code point with 0x0D in it, no CR byte in UTF-8
@settings(max_examples=300, deadline=None)
def test_read_text_answers_as_before(tmp_path_factory, bom, text, tail):
    path = tmp_path_factory.mktemp("src") / "doc.fr.txt"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode() + tail)
    assert _outcome(lambda p: "\n".join(read_lines(p)), path) == _outcome(_old_read_text, path)


@pytest.mark.parametrize("end", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize("tail", ["", "\x00", "last line"])
def test_read_lines_across_blocks_answers_as_before(tmp_path, end, tail):
    """A source longer than the blocks read_lines decodes at a time: lines, CR LF pairs and the apostrophe that
    makes a block two bytes a character fall across block ends, a NUL stands in a later block."""
    line = "Libérez l’otage — Comité 75\t  fin"
    path = tmp_path / "doc.fr.txt"
    path.write_bytes(("\ufeff" + end.join(f"{line} {n}" for n in range(9000)) + end + tail).encode())
    assert path.stat().st_size > 4 * document._BLOCK
    assert _outcome(lambda p: "\n".join(read_lines(p)), path) == _outcome(_old_read_text, path)


# -- pot.contexts: the answer at once when no text plays two roles (00b808d) -------------------------------------


def _old_contexts(segments: list[Segment]) -> list[str | None]:
    """pot.contexts at 8439c29."""
    first: dict[str, str] = {}
    mixed: set[str] = set()
    for seg in segments:
        if first.setdefault(seg.text, seg.role) != seg.role:
            mixed.add(seg.text)
    return [seg.role if seg.text in mixed else None for seg in segments]


@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c"]), st.sampled_from(["title", "paragraph", "country"])),
                max_size=8))
def test_contexts_answer_as_before(pairs):
    segments = [Segment(text, role, line) for line, (text, role) in enumerate(pairs, 1)]
    assert contexts(segments) == _old_contexts(segments)


# -- extract: a template whose messages did not change keeps its creation date -----------------------------------


@pytest.mark.parametrize("name", ["appel.fr.txt", "mon appel.fr.txt"])
@pytest.mark.parametrize("segmentation", ["paragraph", "sentence"])
def test_extract_again_without_its_memo_keeps_the_pot_as_it_was(tmp_path, monkeypatch, name, segmentation):
    """The memo gone (a fresh clone), extract compares the template it makes with the one on disk: the same
    messages keep the POT's bytes, its date too, whatever the file's name (a blank in it splits the `#:` line
    when the POT is read back) and however often a sentence repeats on one line (the same reference twice)."""
    from l10n import pot
    from l10n.config import load_config
    from l10n.extract import extract

    (tmp_path / "source").mkdir()
    (tmp_path / "source" / name).write_text("Titre\n\nLibérez-le. Libérez-le.\n\nAutre paragraphe.\n",
                                            encoding="utf-8")
    (tmp_path / "l10n.yaml").write_text(f'source_language: fr\ndocuments: ["source/{name}"]\nlanguages: [es]\n'
                                        f"segmentation: {segmentation}\n", encoding="utf-8")
    config = load_config(tmp_path / "l10n.yaml")
    monkeypatch.setattr(pot, "now", lambda: "2026-01-01 10:00+0000")
    extract(config)
    [written] = (tmp_path / "locales").glob("*.pot")
    before = written.read_bytes()
    for memo in (tmp_path / ".l10n").rglob("memo.json"):
        memo.unlink()
    monkeypatch.setattr(pot, "now", lambda: "2026-01-01 10:01+0000")
    report = extract(config)
    assert written.read_bytes() == before and report.unchanged == [written]


# -- document.parse: a chunk is its first line's number and its lines (00b808d) ------------------------------------

_NAME = st.text(st.sampled_from("abcdé -"), min_size=1, max_size=12).map(lambda s: " ".join(s.split())).filter(bool)


@given(st.lists(st.tuples(st.sampled_from(["France", "Allemagne", "Etats-Unis", "Régions lointaines", None]),
                          st.booleans(), st.lists(_NAME, max_size=3), st.integers(1, 3)), min_size=1, max_size=5),
       st.integers(1, 3))
@settings(max_examples=150, deadline=None)
def test_every_line_number_is_where_its_text_stands(groups, gap):
    """Each block, heading and organisation points at the line it was read from, whether a heading's
    organisations follow it at once or after a blank line (the line numbers are counted from a chunk's first)."""
    lines = ["Titre", "", "Premier paragraphe,", "sur deux lignes.", "", "Liste des signataires"]
    for heading, blank_after, organisations, blanks in groups:
        lines += [""] * gap
        if heading is not None:
            lines += [heading] + [""] * blank_after
        lines += organisations
        lines += [""] * blanks
    doc = document.parse(Path("d.fr.txt"), "\n".join(lines), "fr", SignatoriesConfig(heading="Liste des signataires"))
    assert [(b.text.split(" ")[0], b.line) for b in doc.body] == [("Titre", 1), ("Premier", 3)]
    assert doc.signatories is not None and lines[doc.signatories.line - 1] == "Liste des signataires"
    for group in doc.signatories.groups:
        assert group.heading is None or lines[group.line - 1] == group.heading
        for org in group.organisations:
            assert lines[org.line - 1] == org.name
    for seg in doc.segments("paragraph"):
        assert lines[seg.line - 1] == seg.text or seg.role != "organisation"


# -- schema.Schema: one __repr__ and __eq__ for every section (session 13) instead of a dataclass's generated pair ---

def _twins():
    """The same section twice: as l10n declares one (`@section`, Schema's methods) and as a plain dataclass,
    whose generated methods are the oracle; fields of every kind a section has, one hidden from repr and
    comparison (as `field(repr=False, compare=False)` does)."""
    import dataclasses

    from l10n.schema import Schema, section

    def body():
        return {"__annotations__": {"code": "str | None", "ratio": "float", "names": "tuple[str, ...]",
                                    "nested": "object", "hidden": "int"},
                "code": None, "ratio": 0.5, "names": (), "nested": None,
                "hidden": dataclasses.field(default=0, repr=False, compare=False)}

    ours = section(type("Twin", (Schema,), {"__module__": __name__, **body()}))
    oracle = dataclasses.dataclass(kw_only=True)(type("Twin", (), {"__module__": __name__, **body()}))
    return ours, oracle


_SECTION_VALUES = st.fixed_dictionaries({
    "code": st.one_of(st.none(), st.sampled_from(["ES", "150", "l'Union"])),
    "ratio": st.sampled_from([0.0, 0.5, 1.0, float("nan")]),
    "names": st.lists(st.sampled_from(["a", "é", "\u202e"]), max_size=2).map(tuple),
    "nested": st.one_of(st.none(), st.just({"k": [1, "v"]})),
    "hidden": st.integers(0, 2)})


@given(_SECTION_VALUES, _SECTION_VALUES)
@settings(max_examples=200, deadline=None)
def test_a_section_shows_and_compares_itself_as_a_dataclass(a, b):
    """config_digest hashes repr(config), and sections are compared (GroupSpec in tests, engine options): both
    must answer as the dataclass methods they replace, NaN and fields hidden from both included."""
    ours, oracle = _twins()
    assert repr(ours(**a)) == repr(oracle(**a))
    shared_nan = float("nan")  # one NaN object in both: a tuple comparison finds it equal to itself
    same = {**a, "ratio": shared_nan}
    assert (ours(**same) == ours(**same)) == (oracle(**same) == oracle(**same))
    assert (ours(**a) == ours(**b)) == (oracle(**a) == oracle(**b))
    assert (ours(**a) != ours(**b)) == (oracle(**a) != oracle(**b))
    assert ours(**a).__eq__(oracle(**a)) is NotImplemented
    with pytest.raises(TypeError):
        hash(ours(**a))
