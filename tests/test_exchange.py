"""`l10n export` / `l10n import`: XLIFF 2.0 and 1.2 valid against the OASIS schemas, spreadsheets a volunteer can
edit, and round trips that change nothing but what was edited."""

from __future__ import annotations

import csv
import fcntl
import io
import os
import shutil
from pathlib import Path

import pytest
from lxml import etree

from l10n import provenance

from l10n import po as pofile
from l10n.state import entry_state
from tests.conftest import run

DATA = Path(__file__).resolve().parent / "data"

XLIFF = DATA / "xliff"
FORMATS = {"xliff 2.0": ("xliff", "2.0", "es.xlf"), "xliff 1.2": ("xliff", "1.2", "es.xliff12.xlf"),
           "xlsx": ("xlsx", "2.0", "es.xlsx"), "ods": ("ods", "2.0", "es.ods"), "csv": ("csv", "2.0", "es.csv")}
NS20 = "{urn:oasis:names:tc:xliff:document:2.0}"
NS12 = "{urn:oasis:names:tc:xliff:document:1.2}"


@pytest.fixture
def spanish(project: Path, cli) -> Path:
    """A Spanish catalog with every state: machine drafts, a reviewed entry, a human fuzzy one, an empty one,
    terminology, a translation that a spreadsheet would take for a formula, and one with runs of spaces, a tab and
    a line break."""
    run(cli, "extract")
    run(cli, "update", "--lang", "es")
    run(cli, "pretranslate", "--lang", "es", "--engine", "pseudo")
    path = project / "locales" / "es" / "appeal.po"
    po = pofile.load(path)
    drafts = [e for e in po.active if entry_state(e) == "machine"]
    drafts[0].msgstr = "Texto revisado por una persona."
    drafts[0].set_fuzzy(False)
    drafts[1].msgstr = "Texto humano que necesita trabajo."
    drafts[2].msgstr = ""
    drafts[2].set_fuzzy(False)
    drafts[2].translator_comments = []
    drafts[3].msgstr = "=HYPERLINK(\"http://example.org\";\"clic\")"
    drafts[3].set_fuzzy(False)
    drafts[4].msgstr = "  Dos  espacios,\tun tabulador\ny dos líneas "  # what a careless cell would lose
    drafts[4].set_fuzzy(False)
    pofile.save(po)
    return path


def _export(cli, name: str) -> Path:
    fmt, version, filename = FORMATS[name]
    run(cli, "export", "--format", fmt, "--lang", "es", "--xliff-version", version)
    path = Path("dist/exchange") / filename
    assert path.exists()
    return path


def _changed_entries(before: bytes, after: bytes) -> list[str]:
    old, new = before.decode().split("\n\n"), after.decode().split("\n\n")
    return [b for b in new if b not in old]


# ---------------------------------------------------------------------------------------------------- XLIFF


@pytest.mark.parametrize("version, schema", [("2.0", "xliff_core_2.0.xsd"), ("1.2", "xliff-core-1.2-strict.xsd")])
def test_xliff_exports_are_valid_against_the_oasis_schemas(spanish: Path, cli, version: str, schema: str) -> None:
    path = _export(cli, f"xliff {version}")
    xsd = etree.XMLSchema(etree.parse(str(XLIFF / schema)))
    doc = etree.parse(str(path))
    assert xsd.validate(doc), xsd.error_log
    # and a file the schema rejects is rejected: the validation is not vacuous
    root = doc.getroot()
    unit = root.find(f".//{NS20}unit" if version == "2.0" else f".//{NS12}trans-unit")
    unit.append(etree.Element((NS20 if version == "2.0" else NS12) + "bogus"))
    assert not xsd.validate(doc)


def test_xliff20_maps_states_roles_and_provenance(spanish: Path, cli) -> None:
    root = etree.parse(str(_export(cli, "xliff 2.0"))).getroot()
    assert root.get("srcLang") == "fr" and root.get("trgLang") == "es"
    segments = {u.find(f"{NS20}segment/{NS20}source").text: u for u in root.iter(f"{NS20}unit")}
    po = pofile.load(spanish)
    seen = set()
    for entry in po.active:
        unit = segments[entry.msgid]
        segment = unit.find(f"{NS20}segment")
        state = entry_state(entry)
        seen.add(state)
        expected = {"untranslated": "initial", "machine": "initial", "fuzzy": "translated", "reviewed": "final",
                    "automatic": "reviewed"}[state]
        assert segment.get("state") == expected
        target = segment.find(f"{NS20}target")
        assert (target is None) == (state == "untranslated")
        notes = {n.get("category"): n.text for n in unit.iter(f"{NS20}note")}
        assert notes["role"] == "; ".join(entry.extracted_comments)
        if state == "machine":  # a draft: the target in state initial, and an mtc: match
            assert segment.get("subState") == "l10n:machine" and target.text == entry.msgstr
            assert unit.find("{urn:oasis:names:tc:xliff:matches:2.0}matches") is not None
            origin = provenance.parse(entry.translator_comments)
            assert notes["provenance"].startswith(origin.comment()[len(provenance.PREFIX):])
    assert {"untranslated", "machine", "fuzzy", "reviewed"} <= seen


def test_xliff12_machine_drafts_are_marked_as_machine_translation(spanish: Path, cli) -> None:
    root = etree.parse(str(_export(cli, "xliff 1.2"))).getroot()
    file = root.find(f"{NS12}file")
    assert file.get("source-language") == "fr" and file.get("target-language") == "es"
    targets = [t for t in root.iter(f"{NS12}target")]
    assert any(t.get("state") == "needs-review-translation" and t.get("state-qualifier") == "leveraged-mt"
               for t in targets)
    assert any(t.get("state") == "final" for t in targets)


# ---------------------------------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("name", FORMATS)
def test_export_then_import_without_edits_changes_no_byte(spanish: Path, cli, name: str) -> None:
    before = spanish.read_bytes()
    mtime = spanish.stat().st_mtime_ns
    path = _export(cli, name)
    result = run(cli, "import", str(path))
    assert "0 entries updated" in result.output and "0 not merged" in result.output
    assert spanish.read_bytes() == before and spanish.stat().st_mtime_ns == mtime


def _edit(path: Path, name: str, source: str, text: str) -> None:
    """Change one translation the way a translator's tool would save it."""
    if name.startswith("xliff"):
        tree = etree.parse(str(path))
        ns = NS20 if name == "xliff 2.0" else NS12
        for src in tree.iter(f"{ns}source"):
            if src.text == source and src.getparent().tag != "{urn:oasis:names:tc:xliff:matches:2.0}match":
                holder = src.getparent()
                target = holder.find(f"{ns}target")
                if target is None:
                    target = etree.SubElement(holder, f"{ns}target")
                target.text = text
                if name == "xliff 2.0":
                    holder.set("state", "translated")
                else:
                    target.set("state", "translated")
        tree.write(str(path), xml_declaration=True, encoding="UTF-8")
    elif name == "xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path)
        sheet = book.active
        for row in sheet.iter_rows(min_row=2):
            if row[2].value == source:
                row[3].value = text
        book.save(path)
    elif name == "ods":
        from odf.opendocument import load
        from odf.table import TableCell, TableRow
        from odf.text import P

        doc = load(str(path))
        for row in doc.spreadsheet.getElementsByType(TableRow):
            cells = row.getElementsByType(TableCell)
            if str(cells[2]) == source:
                for p in list(cells[3].childNodes):
                    cells[3].removeChild(p)
                cells[3].addElement(P(text=text))
        doc.save(str(path))
    else:
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
        for row in rows:
            if row[2] == source:
                row[3] = text
        out = io.StringIO(newline="")
        csv.writer(out, lineterminator="\r\n").writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8-sig")


@pytest.mark.parametrize("name", FORMATS)
def test_one_edited_row_changes_exactly_one_entry(spanish: Path, cli, name: str) -> None:
    before = spanish.read_bytes()
    po = pofile.load(spanish)
    draft = next(e for e in po.active if entry_state(e) == "machine")
    path = _export(cli, name)
    _edit(path, name, draft.msgid, "Una traducción de verdad, escrita por una voluntaria.")
    result = run(cli, "import", str(path))
    assert "1 entry updated" in result.output, result.output
    changed = _changed_entries(before, spanish.read_bytes())
    assert len(changed) == 1 and "Una traducción de verdad" in changed[0]
    after = pofile.load(spanish).index()[draft.key]
    assert after.msgstr == "Una traducción de verdad, escrita por una voluntaria."
    assert entry_state(after) == "reviewed"  # a human's text, accepted: provenance digest no longer matches
    assert pofile.load(spanish).header.msgstr == po.header.msgstr


def test_a_row_whose_source_changed_since_the_export_is_reported_not_merged(spanish: Path, cli) -> None:
    path = _export(cli, "xliff 2.0")
    po = pofile.load(spanish)
    target = next(e for e in po.active if entry_state(e) == "machine")
    _edit(path, "xliff 2.0", target.msgid, "Traducción para un texto que ya no existe.")
    target.msgid += " (texte modifié)"  # what `update` does after the source changed: a new msgid
    pofile.save(po)
    before = spanish.read_bytes()
    result = run(cli, "import", str(path))
    assert "the source changed since the export: not merged" in result.stderr
    assert "0 entries updated" in result.output and "1 not merged" in result.output
    assert spanish.read_bytes() == before


def test_an_entry_changed_in_the_catalog_meanwhile_is_not_overwritten(spanish: Path, cli) -> None:
    path = _export(cli, "csv")
    po = pofile.load(spanish)
    entry = next(e for e in po.active if entry_state(e) == "machine")
    _edit(path, "csv", entry.msgid, "Versión de la hoja de cálculo.")
    entry.msgstr = "Versión que otra persona guardó en Poedit."
    entry.set_fuzzy(False)
    pofile.save(po)
    before = spanish.read_bytes()
    result = run(cli, "import", str(path))
    assert "changed in the catalog since the export: not merged" in result.stderr
    assert spanish.read_bytes() == before


def test_approving_a_draft_in_the_state_column(spanish: Path, cli) -> None:
    from openpyxl import load_workbook

    path = _export(cli, "xlsx")
    book = load_workbook(path)
    sheet = book.active
    row = next(r for r in sheet.iter_rows(min_row=2) if r[4].value == "machine")
    source = row[2].value
    row[4].value = "reviewed"
    book.save(path)
    run(cli, "import", str(path))
    entry = next(e for e in pofile.load(spanish).active if e.msgid == source)
    assert entry_state(entry) == "reviewed" and not entry.fuzzy


# ---------------------------------------------------------------------------------------------------- CAT tools


def test_an_okapi_shaped_xliff12_updates_exactly_the_edited_units(project: Path, cli) -> None:
    """tests/data/xliff/okapi/: a catalog and the XLIFF 1.2 a CAT tool gave back for it, in the shape Okapi's
    and OmegaT's XLIFF filters write (header with tool, group, xml:lang on source and target, alt-trans, the
    translator's own states): two units translated, one left as exported, one whose source was changed."""
    po = project / "locales" / "es" / "appeal.po"
    po.parent.mkdir(parents=True)
    shutil.copy(XLIFF / "okapi" / "appeal.es.po", po)
    before = po.read_bytes()
    result = run(cli, "import", str(XLIFF / "okapi" / "appeal.es.xlf"))
    assert "2 entries updated" in result.output and "1 not merged" in result.output, result.output
    assert "the source changed since the export" in result.stderr
    changed = _changed_entries(before, po.read_bytes())
    assert len(changed) == 2
    index = pofile.load(po).index()
    assert index[(None, "Nous exigeons l'arrêt des tortures et la libération d'Azat Miftakhov.")].msgstr == \
        "Exigimos el fin de las torturas y la liberación de Azat Miftakhov."
    sauvons = index[(None, "La vie d'Azat Miftakhov est en danger immédiat. Sauvons Azat avant qu'il ne soit "
                           "trop tard !")]
    assert sauvons.msgstr == "La vida de Azat Miftakhov corre un peligro inmediato. ¡Salvemos a Azat!"
    assert entry_state(sauvons) == "fuzzy"  # the tool said needs-review-translation
    schema = etree.XMLSchema(etree.parse(str(XLIFF / "xliff-core-1.2-strict.xsd")))
    assert schema.validate(etree.parse(str(XLIFF / "okapi" / "appeal.es.xlf"))), schema.error_log


# ---------------------------------------------------------------------------------------------------- spreadsheets


def test_xlsx_is_laid_out_for_a_volunteer(spanish: Path, cli) -> None:
    from openpyxl import load_workbook

    sheet = load_workbook(_export(cli, "xlsx")).active
    header = [c.value for c in sheet[1]]
    assert header == ["id", "role", "source", "translation", "state", "provenance", "QA issues", "key"]
    assert sheet[1][0].font.b and sheet.freeze_panes == "A2"
    assert sheet.protection.sheet
    assert sheet.column_dimensions["H"].hidden
    row = sheet[2]
    assert row[2].protection.locked and not row[3].protection.locked and not row[4].protection.locked
    assert all(c.alignment.wrap_text for c in row)
    assert row[7].value.startswith("es/appeal#")
    assert any(r[6].value for r in sheet.iter_rows(min_row=2))  # QA issues from the checks


def test_ods_is_laid_out_for_a_volunteer(spanish: Path, cli) -> None:
    from odf.namespaces import STYLENS, TABLENS
    from odf.opendocument import load
    from odf.style import Style, TableCellProperties
    from odf.table import Table, TableColumn, TableRow

    doc = load(str(_export(cli, "ods")))
    table = doc.spreadsheet.getElementsByType(Table)[0]
    assert table.getAttrNS(TABLENS, "protected") == "true"
    columns = table.getElementsByType(TableColumn)
    assert columns[-1].getAttrNS(TABLENS, "visibility") == "collapse"
    styles = {s.getAttrNS(STYLENS, "name"): s.getElementsByType(TableCellProperties)
              for s in doc.automaticstyles.getElementsByType(Style)}
    protect = {name: props[0].getAttrNS(STYLENS, "cell-protect") for name, props in styles.items() if props}
    assert protect["locked"] == "protected" and protect["open"] == "none"
    first = table.getElementsByType(TableRow)[0]
    assert [str(c) for c in first.childNodes] == ["id", "role", "source", "translation", "state", "provenance",
                                                  "QA issues", "key"]


def test_formula_like_text_is_escaped_on_export(spanish: Path, cli) -> None:
    from openpyxl import load_workbook

    csv_text = _export(cli, "csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK(" in csv_text
    sheet = load_workbook(_export(cli, "xlsx")).active
    cell = next(r[3] for r in sheet.iter_rows(min_row=2) if str(r[3].value).startswith("=HYPERLINK"))
    assert cell.data_type == "s" and cell.quotePrefix
    assert b"<f>" not in _zip_member(Path("dist/exchange/es.xlsx"), "xl/worksheets/sheet1.xml")


def _zip_member(path: Path, name: str) -> bytes:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return archive.read(name)


def test_xlsx_acceptance_edit_formula_and_changed_source(spanish: Path, cli) -> None:
    """One edited cell, one formula typed into a cell, one row whose source changed since the export: one entry
    updated, the formula imported as its literal text (never evaluated), the row reported."""
    from openpyxl import load_workbook

    path = _export(cli, "xlsx")
    book = load_workbook(path)
    sheet = book.active
    rows = [r for r in sheet.iter_rows(min_row=2) if r[4].value == "machine"]
    edited, formula, moved = rows[0], rows[1], rows[2]
    edited[3].value = "Una traducción revisada."
    formula[3].value = "=SUM(A1:A3)"
    formula[3].data_type = "f"  # what a spreadsheet stores when a volunteer types it
    moved[3].value = "Traducción de una frase que ya cambió."
    book.save(path)
    assert b"<f>SUM(A1:A3)</f>" in _zip_member(path, "xl/worksheets/sheet1.xml")
    po = pofile.load(spanish)
    moved_entry = po.index()[(None, moved[2].value)]
    moved_entry.msgid = moved_entry.msgid + " (modifié)"
    pofile.save(po)
    before = spanish.read_bytes()

    result = run(cli, "import", str(path))
    assert "2 entries updated" in result.output and "1 not merged" in result.output, result.output
    assert f"{path.name}: row {moved[0].row}: the source changed since the export" in result.stderr
    index = pofile.load(spanish).index()
    assert index[(None, edited[2].value)].msgstr == "Una traducción revisada."
    assert index[(None, formula[2].value)].msgstr == "=SUM(A1:A3)"
    assert len(_changed_entries(before, spanish.read_bytes())) == 2


def test_a_formula_typed_in_an_ods_cell_is_read_as_its_text(spanish: Path, cli) -> None:
    from odf.namespaces import TABLENS
    from odf.opendocument import load
    from odf.table import TableCell, TableRow

    path = _export(cli, "ods")
    doc = load(str(path))
    row = next(r for r in doc.spreadsheet.getElementsByType(TableRow)[1:]
               if str(r.getElementsByType(TableCell)[4]) == "machine")
    cell = row.getElementsByType(TableCell)[3]
    cell.setAttrNS(TABLENS, "formula", "of:=[.A1]+[.A2]")
    cell.setAttrNS("urn:oasis:names:tc:opendocument:xmlns:office:1.0", "value-type", "float")
    doc.save(str(path))
    run(cli, "import", str(path))
    source = str(row.getElementsByType(TableCell)[2])
    assert pofile.load(spanish).index()[(None, source)].msgstr == "=[.A1]+[.A2]"


# ---------------------------------------------------------------------------------------------------- safety


def test_import_waits_for_no_one_it_stops_when_another_process_writes(spanish: Path, cli) -> None:
    path = _export(cli, "csv")
    fd = os.open(".l10n/lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = cli("import", str(path))
        assert result.exit_code == 6 and "another l10n process" in result.stderr
        result = cli("export", "--format", "csv", "--lang", "es")
        assert result.exit_code == 6
    finally:
        os.close(fd)


@pytest.mark.parametrize("content, message", [
    (b"<xliff xmlns='urn:oasis:names:tc:xliff:document:2.0' version='2.0' srcLang='fr'", "not well-formed XML"),
    (b"<html/>", "not an XLIFF 2.0 or 1.2 document"),
])
def test_a_file_that_is_not_an_export_is_one_clear_error(spanish: Path, cli, content: bytes, message: str) -> None:
    bad = Path("bad.xlf")
    bad.write_bytes(content)
    before = spanish.read_bytes()
    result = cli("import", str(bad))
    assert result.exit_code == 1 and result.stderr.startswith("l10n: error: bad.xlf") and message in result.stderr
    assert spanish.read_bytes() == before


def test_a_spreadsheet_without_our_header_is_refused(spanish: Path, cli) -> None:
    Path("x.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    result = cli("import", "x.csv")
    assert result.exit_code == 1 and "the first row must be the header" in result.stderr


def test_a_cat_tool_review_approves_a_fuzzy_unit_and_a_reset_makes_a_reviewed_one_fuzzy(spanish: Path, cli) -> None:
    path = _export(cli, "xliff 2.0")
    tree = etree.parse(str(path))
    po = pofile.load(spanish)
    fuzzy = next(e for e in po.active if entry_state(e) == "fuzzy")
    reviewed = next(e for e in po.active if entry_state(e) == "reviewed")
    for segment in tree.iter(f"{NS20}segment"):
        source = segment.find(f"{NS20}source").text
        if source == fuzzy.msgid:
            assert segment.get("state") == "translated"
            segment.set("state", "final")  # the reviewer signs it off, text untouched
        elif source == reviewed.msgid:
            segment.set("state", "initial")  # sent back to work
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")
    result = run(cli, "import", str(path))
    assert "2 entries updated" in result.output
    index = pofile.load(spanish).index()
    assert entry_state(index[fuzzy.key]) == "reviewed" and index[fuzzy.key].msgstr == fuzzy.msgstr
    assert entry_state(index[reviewed.key]) == "fuzzy" and index[reviewed.key].msgstr == reviewed.msgstr


def test_a_resegmented_xliff20_unit_is_read_whole(spanish: Path, cli) -> None:
    """Export forbids resegmentation (canResegment="no"); a tool that splits a unit anyway gives it back as
    several segments, read as the unit's one text, its state the least advanced of them."""
    path = _export(cli, "xliff 2.0")
    tree = etree.parse(str(path))
    assert all(f.get("canResegment") == "no" for f in tree.iter(f"{NS20}file"))
    po = pofile.load(spanish)
    entry = next(e for e in po.active if entry_state(e) == "machine" and ". " in e.msgid)
    unit = next(u for u in tree.iter(f"{NS20}unit") if u.find(f"{NS20}segment/{NS20}source").text == entry.msgid)
    segment = unit.find(f"{NS20}segment")
    cut = entry.msgid.index(". ") + 2
    first, second = etree.SubElement(unit, f"{NS20}segment"), etree.SubElement(unit, f"{NS20}segment")
    unit.remove(segment)
    for part, (src, tgt) in zip((first, second), ((entry.msgid[:cut], "Primera frase. "),
                                                   (entry.msgid[cut:], "Segunda frase."))):
        part.set("state", "translated")
        etree.SubElement(part, f"{NS20}source").text = src
        etree.SubElement(part, f"{NS20}target").text = tgt
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")
    result = run(cli, "import", str(path))
    assert "1 entry updated" in result.output
    after = pofile.load(spanish).index()[entry.key]
    assert after.msgstr == "Primera frase. Segunda frase." and entry_state(after) == "reviewed"


def test_xliff12_approved_without_a_state_signs_a_draft_off(spanish: Path, cli) -> None:
    path = _export(cli, "xliff 1.2")
    tree = etree.parse(str(path))
    po = pofile.load(spanish)
    entry = next(e for e in po.active if entry_state(e) == "machine")
    unit = next(u for u in tree.iter(f"{NS12}trans-unit") if u.find(f"{NS12}source").text == entry.msgid)
    del unit.find(f"{NS12}target").attrib["state"]
    unit.set("approved", "yes")
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")
    run(cli, "import", str(path))
    after = pofile.load(spanish).index()[entry.key]
    assert after.msgstr == entry.msgstr and entry_state(after) == "reviewed"
