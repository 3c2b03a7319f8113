"""Stage `status`: per language and document, entries and words in each of the five states (l10n.state), the
reviewed share of the text that needs a translator, msgfmt's own three counts, and when the language was last
published; rendered as a table, JSON or CSV."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

from . import publication, state
from . import po as pofile
from .po import Catalog
from .config import Config, document_id
from .document import Document, load_document
from .extract import Memo, file_digest, po_path
from .state import GETTEXT, STATES, Counts, entry_state, words  # noqa: F401 (entry_state: l10n.status's API)


def count(po: Catalog) -> Counts:
    return state.count(po.active)


@dataclass
class Row:
    lang: str
    document: str
    path: str
    counts: Counts
    last_change: str | None = None
    exists: bool = True
    #: date of the last publication (its record), None when never published; changes since then
    published: str | None = None
    changes: int = 0
    min_confidence: float = 0.9  # pretranslate.min_confidence: drafts below it are counted as doubtful

    @property
    def published_text(self) -> str:
        """"published DATE, N changes since" or "not published"."""
        if self.published is None:
            return "not published"
        return f"published {self.published[:10]}, {self.changes} change{'' if self.changes == 1 else 's'} since"

    @property
    def percent(self) -> float:
        """Share reviewed; a catalog that does not exist has none reviewed (not "nothing to do")."""
        return self.counts.percent if self.exists else 0.0

    def as_dict(self) -> dict:
        c = self.counts
        return {
            "lang": self.lang, "document": self.document, "path": self.path, "exists": self.exists,
            "entries": {**c.entries, "total": c.total_entries},
            "words": {**c.words, "total": c.total_words, "needed": c.needed_words, "left": c.words_left},
            "percent": round(self.percent, 1), "last_change": self.last_change,
            "published": None if self.published is None else {"date": self.published, "changes": self.changes},
            # gettext's names and counts, exactly as msgfmt --statistics gives them
            **c.gettext,
            "confidence": {"drafts": sum(c.confidence.values()), "min_confidence": self.min_confidence,
                           "below": c.below(self.min_confidence), "by_value": dict(sorted(c.confidence.items()))},
        }


def status(config: Config, languages: tuple[str, ...]) -> list[Row]:
    rows = []
    memo = Memo(config)
    for doc in config.documents:
        for lang in languages:
            path = po_path(config, lang, doc)
            shown = str(path.relative_to(config.root))
            known = known_counts(memo, config, path)
            threshold = config.pretranslate.min_confidence
            if known is not None:  # counted when build (or another stage) last read these very bytes
                rows.append(Row(lang, document_id(doc), shown, known[0], known[1], min_confidence=threshold))
                continue
            po = pofile.load_or_none(path)
            if po is None:
                rows.append(Row(lang, document_id(doc), shown, Counts(), exists=False, min_confidence=threshold))
                continue
            rows.append(Row(lang, document_id(doc), shown, count(po), po.header_field("PO-Revision-Date"),
                            min_confidence=threshold))
    _published(config, rows)
    return rows


def _published(config: Config, rows: list[Row]) -> None:
    """Fill in when each language was last published and how many changes since (publication records)."""
    documents = {document_id(d): d for d in config.documents}
    loaded: dict[str, Document] = {}
    for row in rows:
        path = documents[row.document]
        if not publication.record_path(config, row.lang, path).is_file():
            continue
        if row.document not in loaded:
            loaded[row.document] = load_document(config, path)
        found = publication.compare(config, loaded[row.document], row.lang)
        row.published, row.changes = found.published, found.count


def remember_counts(memo: Memo, config: Config, po: Catalog, counts: Counts) -> None:
    """Record what `count` found in a catalog as loaded, for the next `status` to skip reading it."""
    if po.loaded_digest is None:
        return
    memo.put("counts", po.path.relative_to(config.root).as_posix(),
             {"sha": po.loaded_digest, "entries": dict(counts.entries), "words": dict(counts.words),
              "gettext": dict(counts.gettext), "confidence": dict(counts.confidence),
              "last_change": po.header_field("PO-Revision-Date")})


def known_counts(memo: Memo, config: Config, path: Path) -> tuple[Counts, str | None] | None:
    """(counts, PO-Revision-Date) of the catalog at `path` if its bytes are those counted before."""
    fact = memo.get("counts", path.relative_to(config.root).as_posix())
    if fact is None or not path.exists() or fact.get("sha") != file_digest(path):
        return None
    return (Counts({s: fact["entries"][s] for s in STATES}, {s: fact["words"][s] for s in STATES},
                   {s: fact["gettext"][s] for s in GETTEXT}, dict(fact.get("confidence") or {})), fact["last_change"])


def to_json(rows: list[Row]) -> str:
    return json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=2) + "\n"


def to_csv(rows: list[Row]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["lang", "document", "percent"] + [f"{s}_entries" for s in STATES]
                    + [f"{s}_words" for s in STATES] + ["words_left", "last_change", "published", "changes_since"])
    for r in rows:
        writer.writerow([r.lang, r.document, f"{r.percent:.1f}"] + [r.counts.entries[s] for s in STATES]
                        + [r.counts.words[s] for s in STATES] + [r.counts.words_left, r.last_change or "",
                                                                 r.published or "", r.changes])
    return out.getvalue()


def to_table(rows: list[Row]) -> str:
    header = ["lang", "document", "reviewed", "automatic", "machine", "fuzzy", "untransl.", "words left",
              "reviewed share", "publication"]
    lines = [header]
    for r in rows:
        c = r.counts
        cell = lambda s: f"{c.entries[s]} ({c.words[s]}w)"  # noqa: E731
        lines.append([r.lang, r.document, *map(cell, STATES), str(c.words_left),
                      f"{c.percent:5.1f}%" if r.exists else "missing", r.published_text])
    widths = [max(len(row[i]) for row in lines) for i in range(len(header))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in lines) + "\n"


__all__ = ["Counts", "Row", "count", "entry_state", "status", "to_csv", "to_json", "to_table"]
