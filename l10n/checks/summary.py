"""The per-language quality table for coordinators (`l10n check --summary`, the dashboard): for each language, how
many of its translated texts have issues of each check, so that "Italian: 9 of 13 drafts keep source-language
words" shows without reading the review sheet."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .. import provenance
from ..po import Catalog
from .base import ERROR, INFO, WARNING, Issue


@dataclass
class QualityRow:
    lang: str
    texts: int = 0  # entries but the names the tool filled (CLDR countries, organisations): what counts are out of
    entries: Counter = field(default_factory=Counter)  # check id → entries with at least one such issue

    def cell(self, check_id: str) -> str:
        return f"{self.entries[check_id]} of {self.texts}" if self.entries[check_id] else "–"

    def as_dict(self) -> dict:
        return {"lang": self.lang, "texts": self.texts, "entries": dict(sorted(self.entries.items()))}


def texts(catalog: Catalog) -> int:
    """Entries but the names `update` filled (CLDR's country names, organisation names kept as written): the texts
    translators and engines write."""
    names = (provenance.CLDR, provenance.SOURCE_NAME)
    return sum(1 for e in catalog.active
               if (origin := provenance.parse(e.translator_comments)) is None or origin.origin not in names)


def add(row: QualityRow, catalog: Catalog | None, issues: list[Issue]) -> None:
    """Count one catalog's issues into its language's row: entries per check, infos (the state) left out."""
    if catalog is not None:
        row.texts += texts(catalog)
    seen: set[tuple[str, str | None, str]] = set()
    for issue in issues:
        key = (issue.check, issue.msgctxt, issue.msgid)
        if issue.severity == INFO or not issue.msgid or key in seen:
            continue
        seen.add(key)
        row.entries[issue.check] += 1


def columns(rows: list[QualityRow], order: list[str]) -> list[str]:
    """Check ids with at least one finding somewhere, in the checks' order."""
    found = {c for r in rows for c, n in r.entries.items() if n}
    return [c for c in order if c in found] + sorted(found - set(order))


def render_text(rows: list[QualityRow], order: list[str]) -> str:
    cols = columns(rows, order)
    table = [["language", "texts", *cols]] + [[r.lang, str(r.texts), *(r.cell(c) for c in cols)] for r in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(table[0]))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(line, widths)).rstrip() for line in table)


def qa_counts(issues: list[Issue]) -> tuple[int, int]:
    """(errors, warnings): infos (such as "unreviewed") are what the state bars already show."""
    return sum(i.severity == ERROR for i in issues), sum(i.severity == WARNING for i in issues)
