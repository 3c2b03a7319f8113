"""The l10n.po package as scripts use it: one public API, and polib for code written against polib."""

from __future__ import annotations

import subprocess
from pathlib import Path

import polib

from l10n import po

PO = Path(__file__).parent / "data" / "po"


def test_to_polib_hands_scripts_every_field_of_a_strictly_loaded_catalog(tmp_path: Path) -> None:
    """A catalog loaded by l10n (strict, file:line errors) as a polib.POFile: header fields as metadata, flags,
    comments, references, previous strings, plural forms and obsolete entries; what polib writes from it is a
    valid catalog that reads back as the same messages."""
    catalog = po.load(PO / "plurals.po")
    converted = po.to_polib(catalog)
    assert isinstance(converted, polib.POFile)
    assert converted.metadata["Plural-Forms"] == catalog.header_field("Plural-Forms")
    assert len(converted) == len(catalog.entries)
    for ours, theirs in zip(catalog.entries, converted):
        assert (theirs.msgid, theirs.msgctxt, theirs.msgid_plural or None, theirs.obsolete, theirs.flags) == \
               (ours.msgid, ours.msgctxt, ours.msgid_plural, ours.obsolete, ours.flags)
        assert {int(k): v for k, v in theirs.msgstr_plural.items()} == ours.msgstr_plural
        assert theirs.msgstr == ours.msgstr and theirs.previous_msgid == ours.previous_msgid
    written = tmp_path / "from-polib.po"
    converted.save(str(written))
    subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(written)], check=True)
    again = po.load(written)
    assert [(e.key, e.msgstr, e.msgstr_plural, e.obsolete) for e in again.entries] == \
           [(e.key, e.msgstr, e.msgstr_plural, e.obsolete) for e in catalog.entries]


def test_the_package_api_is_what_its_all_says() -> None:
    assert sorted(po.__all__) == sorted(name for name in dir(po) if not name.startswith("_")
                                        and not isinstance(getattr(po, name), type(po)))


def test_text_pages_wrap_with_libunistring_and_without_it_alike(monkeypatch) -> None:
    """The plain-text pages break lines at libunistring's break opportunities and count its widths (the
    dependency on a second UAX #14 library is gone); without libunistring they wrap after spaces and count East
    Asian widths, which gives the same lines for the appeal's kind of prose."""
    from l10n import render
    from l10n.po import unistring

    text = ("Nous, organisations signataires, exigeons la libération immédiate d'Azat Miftakhov : « Liberté ! » "
            "中文字日本語 — Привет мир, «тест».")
    with_library = render.wrap(text, 30)
    assert unistring.library() is not None and max(map(render.text_width, with_library)) <= 30
    assert render.text_width("中文") == 4 and render.text_width("e\u0301") == 1
    render._wrap.cache_clear()
    monkeypatch.setattr(unistring, "library", lambda: None)
    assert render.text_width("中文") == 4 and render.text_width("e\u0301") == 1
    assert render.wrap(text, 30) == with_library
    render._wrap.cache_clear()


def test_where_the_loader_read_things_is_not_part_of_what_a_catalog_is():
    """same_catalog (update's fixed point) sets aside the lines the loader recorded, header fields' included:
    a catalog merged in memory is the same as the file it was read from."""
    import dataclasses

    from l10n.memo import same_catalog
    from l10n.po import loads

    data = b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "a"\nmsgstr "b"\n'
    read = loads(data, Path("es.po"))
    assert read.field_lines == {"content-type": 3} and read.entries[0].line == 5
    assert same_catalog(read, dataclasses.replace(read, field_lines={}))
    assert not same_catalog(read, dataclasses.replace(read, bom=True))


def test_the_constructors_that_pass_fields_by_position_name_them_in_the_fields_order() -> None:
    """Entry.read and Entry.extracted call the dataclass by position: read's parameters are the fields in their
    declared order (all but `pristine`, which the parser sets after), and what each makes has every field where
    its keyword says."""
    import dataclasses
    import inspect

    from l10n.po.model import Entry

    names = [f.name for f in dataclasses.fields(Entry)]
    assert list(inspect.signature(Entry.read).parameters) == names[:-1] and names[-1] == "pristine"
    values = dict(zip(names, ["id", "str", "ctxt", "ids", {0: "a"}, ["fuzzy"], ["t"], ["e"], ["r:1"], "pc", "pi",
                              "pp", True, 7, None]))
    assert Entry.read(**values) == Entry(**values)
    assert Entry.extracted("id", "ctxt", ["e"], ["r:1"]) == Entry(msgid="id", msgctxt="ctxt", extracted_comments=["e"],
                                                                  references=["r:1"])
