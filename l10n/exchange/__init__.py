"""Stages `export` and `import`: a language's catalogs as XLIFF (2.0 or 1.2) for CAT tools, or as a spreadsheet
(xlsx, ods, csv) for volunteers, and back.

Every row or unit carries a key: the digest of its entry's msgctxt and msgid, the digest of the translation as
exported and the state as exported. On import the key finds the entry again and tells what the translator did:
a row whose translation and state are as exported changes nothing (an export imported untouched changes no
byte); an edited row goes through the rules of a human edit (the translation is set, the fuzzy flag follows the
state asked, our provenance comment stays, its digest now telling a human wrote the text). A row whose source
changed since the export (its entry is gone, or the source cell was edited) is reported, not merged; so is a row
whose entry someone else changed in the catalog meanwhile."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import provenance
from .. import po as pofile
from ..po import Catalog, Entry
from ..config import Config, document_id
from ..errors import EXIT_ERROR, ConfigError, L10nError
from ..paths import po_path
from ..state import entry_state

FORMATS = ("xliff", "xlsx", "ods", "csv")
SUFFIXES = {"xliff": ".xlf", "xlsx": ".xlsx", "ods": ".ods", "csv": ".csv"}
#: states whose entries carry the fuzzy flag (a draft or text that needs work)
FUZZY_STATES = ("machine", "fuzzy")
_KEY = re.compile(r"([0-9a-f]{12})\.([0-9a-f]{12})\.([a-z]+)")
#: characters XML 1.0 (XLIFF, and xlsx inside) cannot carry at all: a PO string may hold them
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


class ExchangeError(L10nError):
    """A file to import that l10n cannot read, or that is not one of its exports."""

    exit_code = EXIT_ERROR


@dataclass
class Row:
    """One entry as exported."""

    number: int
    document: str
    key: str
    role: str
    source: str
    translation: str
    state: str
    provenance: str
    issues: str
    where: tuple[Path, int] | None = None  # the entry's catalog and line, for an error message


@dataclass
class Incoming:
    """One row or unit read back: `state` is the file's own state value (None where the format has none or the
    cell is empty); `fuzzy` what that state asks for, None for "as exported"."""

    where: str
    document: str
    key: str
    source: str | None
    translation: str
    fuzzy: bool | None


@dataclass
class ImportReport:
    lang: str
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    rejected: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)


def source_digest(entry: Entry) -> str:
    return provenance.digest(entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}")


def key(entry: Entry) -> str:
    """An XML NMTOKEN (letters, digits, dots) so that it serves as an XLIFF unit id as it is."""
    return f"{source_digest(entry)}.{provenance.digest(entry.translation)}.{entry_state(entry)}"


def rows(config: Config, lang: str) -> list[Row]:
    """Every active singular entry of the language's catalogs, in catalog order, with its QA issues."""
    from ..checks.registry import check_catalog
    from ..glossary import project_glossary

    glossary = project_glossary(config)
    out: list[Row] = []
    for doc in config.documents:
        po = pofile.load_or_none(po_path(config, lang, doc))
        if po is None:
            continue
        issues: dict[tuple[str | None, str], list[str]] = {}
        for issue in check_catalog(po, lang, config.source_language, glossary, config.checks_disabled):
            if issue.check not in ("untranslated", "unreviewed"):  # the state column says those
                issues.setdefault((issue.msgctxt, issue.msgid), []).append(f"{issue.severity} [{issue.check}] "
                                                                           f"{issue.message}")
        for entry in po.active:
            if entry.msgid_plural is not None:
                continue  # documents have no plural messages; a hand-added one stays for PO editors
            origin = [c[len(provenance.PREFIX):] for c in entry.translator_comments
                      if c.startswith(provenance.PREFIX)]
            out.append(Row(len(out) + 1, document_id(doc), key(entry), "; ".join(entry.extracted_comments),
                           entry.msgid, entry.translation, entry_state(entry), "; ".join(origin),
                           "\n".join(issues.get(entry.key, [])), (po.path, entry.line)))
    return out


def default_path(config: Config, lang: str, fmt: str, xliff_version: str = "2.0") -> Path:
    suffix = SUFFIXES[fmt] if fmt != "xliff" or xliff_version == "2.0" else ".xliff12.xlf"
    return config.root / config.dist_dir / "exchange" / f"{lang}{suffix}"


def export(config: Config, lang: str, fmt: str, path: Path | None = None, xliff_version: str = "2.0") -> Path:
    """Write the language's export atomically; returns its path."""
    if path is not None and Path(path).suffix.lower() not in _ACCEPTED_SUFFIXES[fmt]:
        # a mistyped -o (`-o locales/es/appeal.po`) would otherwise replace a catalog with a spreadsheet
        raise ConfigError(f"--output for {fmt} must end in {' or '.join(_ACCEPTED_SUFFIXES[fmt])}", path)
    table = rows(config, lang)
    if not table:
        raise ExchangeError(f"no catalog for {lang}: run `l10n update --lang {lang}` first")
    if fmt in ("xliff", "xlsx", "ods"):  # odfpy would write U+FFFD, and the import take that for an edit
        _refuse_non_xml(table, fmt)
    target = Path(path) if path is not None else default_path(config, lang, fmt, xliff_version)
    if fmt == "xliff":
        from . import xliff

        data = xliff.dumps(table, config.source_language, lang, xliff_version)
    else:
        from . import sheets

        data = sheets.dumps(table, lang, fmt)
    pofile.atomic_write(target, data, confined=path is None)  # a path named with --output is the user's choice
    return target


_ACCEPTED_SUFFIXES = {"xliff": (".xlf", ".xliff"), "xlsx": (".xlsx",), "ods": (".ods",), "csv": (".csv",)}


def _refuse_non_xml(table: list[Row], fmt: str) -> None:
    """XML formats cannot hold a control character such as ESC that a PO string may (libraries raise deep inside
    their writers): name the entry instead, so that whoever put it there can remove it."""
    for row in table:
        for text in (row.source, row.translation, row.role, row.provenance, row.issues):
            bad = _NOT_XML.search(text)
            if bad is not None:
                path, line = row.where if row.where else (None, None)
                raise ExchangeError(f"the control character U+{ord(bad.group(0)):04X} cannot be written to {fmt} "
                                    "(XML has no way to carry it): remove it from the entry, or export as csv",
                                    path, line)


def read(path: Path) -> tuple[str, list[Incoming]]:
    """The language and rows of an export, by the file's content (XML) or name (spreadsheets)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ExchangeError(f"cannot read: {exc.strerror or exc}", path) from None
    if data.lstrip().startswith(b"<"):
        from . import xliff

        return xliff.loads(data, path)
    from . import sheets

    return sheets.loads(data, path)


def import_file(config: Config, path: Path) -> ImportReport:
    """Merge an edited export back into the catalogs, each saved atomically and only where a row changed."""
    lang, incoming = read(path)
    if lang not in config.languages:
        raise ExchangeError(f"the file is for {lang!r}, which l10n.yaml does not list", path)
    report = ImportReport(lang)
    by_doc: dict[str, list[Incoming]] = {}
    for row in incoming:
        by_doc.setdefault(row.document, []).append(row)
    docs = {document_id(d): d for d in config.documents}
    for name, items in by_doc.items():
        doc = docs.get(name)
        if doc is None:
            report.rejected += [f"{r.where}: document {name!r} is not in l10n.yaml: not merged" for r in items]
            continue
        po = pofile.load(po_path(config, lang, doc))
        if _merge(po, items, report) and pofile.save(po):
            report.written.append(po.path)
    return report


def _merge(po: Catalog, items: list[Incoming], report: ImportReport) -> bool:
    index = {source_digest(e): e for e in po.active if e.msgid_plural is None}
    changed = False
    for row in items:
        match = _KEY.fullmatch(row.key)
        if match is None:
            report.rejected.append(f"{row.where}: no l10n key (was the key column or the unit id changed?): "
                                   f"not merged")
            continue
        sdig, tdig, state = match.groups()
        entry = index.get(sdig)
        if entry is None or (row.source is not None and row.source != entry.msgid):
            report.rejected.append(f"{row.where}: the source changed since the export: not merged")
            continue
        edited = provenance.digest(row.translation) != tdig
        fuzzy = row.fuzzy
        if not edited and (fuzzy is None or fuzzy == (state in FUZZY_STATES) or not row.translation):
            report.unchanged += 1
            continue
        if provenance.digest(entry.translation) != tdig or entry_state(entry) != state:
            report.rejected.append(f"{row.where}: changed in the catalog since the export: not merged")
            continue
        if edited and not row.translation.strip():
            report.rejected.append(f"{row.where}: translation emptied: not merged (clear it in the catalog)")
            continue
        _human_edit(entry, row.translation, bool(fuzzy))
        report.updated.append(row.where)
        changed = True
    return changed


def _human_edit(entry: Entry, text: str, fuzzy: bool) -> None:
    """What a translator's save in a PO editor does: the text, and the fuzzy flag as they left it. Our
    provenance comment stays; its digest no longer matching says a human wrote the text."""
    entry.msgstr = text
    entry.set_fuzzy(fuzzy)
