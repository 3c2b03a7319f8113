"""Stage `build`: for every language that meets the publishing policy, write dist/<lang>/<doc>.{txt,md,html}
and dist/index.html, and report how much of each fell back to French or is unreviewed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .. import catalog, langs
from ..config import Config
from ..document import load_document
from ..extract import po_path
from ..status import count
from . import render
from .assemble import FALLBACK, MACHINE, UNREVIEWED, Assembled, assemble


@dataclass
class LanguageBuild:
    lang: str
    document: str
    reviewed_percent: float
    fallback: int = 0
    unreviewed: int = 0
    skipped: bool = False
    files: list[Path] = field(default_factory=list)


@dataclass
class BuildReport:
    languages: list[LanguageBuild] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)


def furniture(lang: str) -> dict[str, str]:
    """Words around the appeal: language names come from CLDR."""
    return {"other_languages": "Other languages"}


def notices(doc: Assembled, source_lang: str) -> list[str]:
    out = []
    if any(p.state in (MACHINE, UNREVIEWED) for p in doc.pieces()):
        out.append("Machine translation, not yet reviewed.")
    if doc.count(FALLBACK):
        out.append(f"Some passages are not yet translated and appear in the original "
                   f"({langs.language_name(source_lang, doc.lang)}).")
    return out


def _write(path: Path, text: str, report: BuildReport) -> Path:
    data = text.encode("utf-8")
    if not path.exists() or path.read_bytes() != data:
        catalog.atomic_write(path, data)
        report.written.append(path)
    return path


def build(config: Config, languages: tuple[str, ...], allow_fuzzy: bool = False,
          min_complete: float | None = None) -> BuildReport:
    """Reassemble every document in every language; below the threshold a language is skipped (policy
    `skip`) or published with a notice (policy `banner`)."""
    report = BuildReport()
    dist = config.root / config.dist_dir
    threshold = min_complete
    if threshold is None and config.publish.unreviewed == "skip":
        threshold = config.publish.min_reviewed
    index_rows = []
    for doc_path in config.documents:
        doc = load_document(config, doc_path)
        built: list[tuple[Assembled, LanguageBuild]] = []
        for lang in languages:
            po = catalog.load_or_none(po_path(config, lang, doc_path))
            percent = count(po).percent if po is not None else 0.0
            item = LanguageBuild(lang, doc.id, percent)
            report.languages.append(item)
            if threshold is not None and percent < threshold:
                item.skipped = True
                continue
            out = assemble(doc, po, lang, config.source_language, config.segmentation, allow_fuzzy,
                           config.signatories.order)
            item.fallback = out.count(FALLBACK)
            item.unreviewed = out.count(MACHINE) + out.count(UNREVIEWED)
            built.append((out, item))
        alternates = [render.Alternate(o.lang, f"../{o.lang}/{doc.id}.html", langs.language_name(o.lang))
                      for o, _ in built]
        for out, item in built:
            base = dist / out.lang / doc.id
            item.files = [
                _write(base.with_suffix(".txt"), render.render_text(out), report),
                _write(base.with_suffix(".md"), render.render_markdown(out), report),
                _write(base.with_suffix(".html"), render.render_html(out, notices(out, config.source_language),
                                                                     alternates, furniture(out.lang)), report),
            ]
            index_rows.append({"lang": out.lang, "doc": doc.id, "name": langs.language_name(out.lang),
                               "dir": langs.direction(out.lang), "reviewed": item.reviewed_percent})
    _write(dist / "index.html", render.render_index(index_rows, config.source_language, "Translations"), report)
    return report
