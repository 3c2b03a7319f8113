"""Spreadsheets for volunteers: xlsx (openpyxl), ods (odfpy) and csv, one row per entry.

Only the translation and state columns can be edited (the sheet is protected, its other cells locked); cells
wrap; the key column is hidden. A cell is never a formula: text that a spreadsheet would take for one (`=`, `+`,
`-`, `@`, tab, carriage return first) is written as text (xlsx: a string cell with the quote prefix; ods: a
string cell; csv: behind an apostrophe, OWASP's advice against CSV injection), and a formula a volunteer typed is
read back as its literal text, never evaluated."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from . import ExchangeError, Incoming, Row

HEADER = ("id", "role", "source", "translation", "state", "provenance", "QA issues", "key")
EDITABLE = ("translation", "state")
WIDTHS = (6, 18, 60, 60, 14, 30, 40, 30)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_STATE_ASKS = {"reviewed": False, "automatic": False, "final": False, "machine": True, "fuzzy": True}


def _cells(row: Row, lang: str) -> tuple[str, ...]:
    return (str(row.number), row.role, row.source, row.translation, row.state, row.provenance, row.issues,
            f"{lang}/{row.document}#{row.key}")


def dumps(rows: list[Row], lang: str, fmt: str) -> bytes:
    table = [_cells(row, lang) for row in rows]
    if fmt == "xlsx":
        return _xlsx(table, lang)
    if fmt == "ods":
        return _ods(table, lang)
    return _csv(table)


def _csv(table: list[tuple[str, ...]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for cells in table:
        writer.writerow(["'" + c if c.startswith(_FORMULA_START) else c for c in cells])
    return out.getvalue().encode("utf-8-sig")  # the BOM lets Excel read UTF-8


def _xlsx(table: list[tuple[str, ...]], lang: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, Protection
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = lang
    sheet.append(HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, cells in enumerate(table, 2):
        for c, value in enumerate(cells, 1):
            cell = sheet.cell(row=r, column=c)
            cell.value = value
            cell.data_type = "s"  # text, even when it starts with "=": never a formula
            cell.alignment = wrap
            if value.startswith(_FORMULA_START):
                cell.quotePrefix = True
            if HEADER[c - 1] in EDITABLE:
                cell.protection = Protection(locked=False)
    for c, width in enumerate(WIDTHS, 1):
        sheet.column_dimensions[get_column_letter(c)].width = width
    sheet.column_dimensions[get_column_letter(len(HEADER))].hidden = True
    sheet.freeze_panes = "A2"
    sheet.protection.sheet = True
    sheet.protection.formatColumns = sheet.protection.formatRows = False  # widths and heights stay adjustable
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _ods(table: list[tuple[str, ...]], lang: str) -> bytes:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import ParagraphProperties, Style, TableCellProperties, TableColumnProperties, TextProperties
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    locked = Style(name="locked", family="table-cell")
    locked.addElement(TableCellProperties(wrapoption="wrap", cellprotect="protected", verticalalign="top"))
    open_ = Style(name="open", family="table-cell")
    open_.addElement(TableCellProperties(wrapoption="wrap", cellprotect="none", verticalalign="top"))
    head = Style(name="head", family="table-cell")
    head.addElement(TableCellProperties(cellprotect="protected"))
    head.addElement(TextProperties(fontweight="bold"))
    head.addElement(ParagraphProperties())
    for style in (locked, open_, head):
        doc.automaticstyles.addElement(style)
    sheet = Table(name=lang, protected="true")
    for n, width in enumerate(WIDTHS):
        column_style = Style(name=f"co{n}", family="table-column")
        column_style.addElement(TableColumnProperties(columnwidth=f"{width * 0.2:.1f}cm"))
        doc.automaticstyles.addElement(column_style)
        column = TableColumn(stylename=column_style, defaultcellstylename=locked)
        if n == len(WIDTHS) - 1:
            column.setAttribute("visibility", "collapse")
        sheet.addElement(column)
    for r, cells in enumerate([HEADER, *table]):
        row = TableRow()
        for c, value in enumerate(cells):
            style = head if r == 0 else open_ if HEADER[c] in EDITABLE else locked
            cell = TableCell(valuetype="string", stylename=style)
            for line in value.split("\n"):
                cell.addElement(_paragraph(line))
            row.addElement(cell)
        sheet.addElement(row)
    doc.spreadsheet.addElement(sheet)
    out = io.BytesIO()
    doc.write(out)
    return out.getvalue()


_SPACES = re.compile(r"( +|\t)")


def _paragraph(line: str):
    """A text:p that keeps every space: ODF collapses runs of spaces and ignores them at either end of a
    paragraph, so those are written as text:s (and tabs as text:tab); a single inner space stays a space."""
    from odf.text import P, S, Tab

    paragraph = P()
    pos = 0
    for match in _SPACES.finditer(line):
        if match.start() > pos:
            paragraph.addText(line[pos:match.start()])
        run, pos = match.group(), match.end()
        if run == "\t":
            paragraph.addElement(Tab())
        elif match.start() == 0 or pos == len(line):
            paragraph.addElement(S(c=len(run)))
        else:
            paragraph.addText(" ")
            if len(run) > 1:
                paragraph.addElement(S(c=len(run) - 1))
    if pos < len(line):
        paragraph.addText(line[pos:])
    return paragraph


# ---------------------------------------------------------------------------------------------------- reading


def loads(data: bytes, path: Path) -> tuple[str, list[Incoming]]:
    suffix = path.suffix.lower()
    try:
        if suffix == ".xlsx":
            table = _read_xlsx(data)
        elif suffix == ".ods":
            table = _read_ods(data)
        elif suffix == ".csv":
            table = _read_csv(data)
        else:
            raise ExchangeError("unknown file type: expected .xlf/.xliff, .xlsx, .ods or .csv", path)
    except ExchangeError:
        raise
    except Exception as exc:  # a damaged zip or XML inside: the libraries raise many kinds
        raise ExchangeError(f"cannot read the spreadsheet: {exc}", path) from None
    return _rows(table, path)


def _rows(table: list[list[str]], path: Path) -> tuple[str, list[Incoming]]:
    if not table or [h.strip() for h in table[0][:len(HEADER)]] != list(HEADER):
        raise ExchangeError(f"the first row must be the header l10n wrote: {', '.join(HEADER)}", path)
    column = {name: n for n, name in enumerate(HEADER)}
    langs: set[str] = set()
    out: list[Incoming] = []
    for number, cells in enumerate(table[1:], 2):
        cells = cells + [""] * (len(HEADER) - len(cells))
        if not any(cells):
            continue
        lang, _, rest = cells[column["key"]].partition("/")
        document, _, key = rest.rpartition("#")
        langs.add(lang)
        exported = key.rpartition(".")[2]
        state = cells[column["state"]].strip().lower()
        fuzzy = None if not state or state == exported else _STATE_ASKS.get(state)
        out.append(Incoming(f"{path.name}: row {number}", document, key, cells[column["source"]],
                            cells[column["translation"]], fuzzy))
    langs.discard("")
    if len(langs) != 1:
        raise ExchangeError("the key column must name one language (was it edited?)", path)
    return langs.pop(), out


def _text(value: object) -> str:
    """A cell's value as text: numbers as typed, a formula as its literal text."""
    if value is None:
        return ""
    text = getattr(value, "text", value)  # openpyxl's ArrayFormula keeps the formula in .text
    return str(text)


def _read_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), data_only=False)  # formulas as written, never their cached results
    sheet = book.worksheets[0]
    return [[_text(cell.value) for cell in row] for row in sheet.iter_rows()]


def _read_ods(data: bytes) -> list[list[str]]:
    from odf.namespaces import TABLENS
    from odf.opendocument import load
    from odf.table import Table, TableCell, TableRow

    doc = load(io.BytesIO(data))
    sheet = doc.spreadsheet.getElementsByType(Table)[0]
    table: list[list[str]] = []
    for row in sheet.getElementsByType(TableRow):
        cells: list[str] = []
        for cell in row.getElementsByType(TableCell):
            repeat = int(cell.getAttrNS(TABLENS, "number-columns-repeated") or 1)
            formula = cell.getAttrNS(TABLENS, "formula")
            if formula:
                text = formula.partition(":")[2] if formula.startswith("of:") else formula
            else:
                text = "\n".join(_odf_text(p) for p in cell.childNodes if p.qname[1] == "p")
            cells += [text] * min(repeat, len(HEADER))
        table.append(cells)
    return table


def _odf_text(node) -> str:
    """Text of a paragraph, spaces (text:s) and tabs included."""
    out = []
    for child in node.childNodes:
        if child.nodeType == child.TEXT_NODE:
            out.append(str(child.data))
        elif child.qname[1] == "s":
            out.append(" " * int(child.getAttribute("c") or 1))
        elif child.qname[1] == "tab":
            out.append("\t")
        elif child.qname[1] == "line-break":
            out.append("\n")
        else:
            out.append(_odf_text(child))
    return "".join(out)


def _read_csv(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ExchangeError(f"the CSV file is not UTF-8 (byte {exc.start})") from None
    table = list(csv.reader(io.StringIO(text, newline="")))
    return [[_unescape(c) for c in row] for row in table]


def _unescape(cell: str) -> str:
    """Drop the apostrophe export put before formula-like text."""
    return cell[1:] if cell.startswith("'") and cell[1:2] and cell[1] in "=+-@\t\r" else cell

