"""Counting what is done per language and document, the way msgfmt --statistics does, with machine drafts
told apart from human fuzzy entries; and renderers for the table, JSON and CSV forms."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from . import catalog, provenance
from .catalog import Catalog, Entry
from .config import Config, document_id
from .extract import Memo, file_digest, po_path

STATES = ("reviewed", "machine", "fuzzy", "untranslated")


def words(text: str) -> int:
    return len(text.split())


def entry_state(entry: Entry) -> str:
    """reviewed | machine (a draft still exactly as the tool wrote it) | fuzzy (human or source change) | untranslated.

    As in msgfmt, an empty entry is untranslated even when flagged fuzzy."""
    if not entry.translation:
        return "untranslated"
    if not entry.fuzzy:
        return "reviewed"
    origin = provenance.parse(entry.translator_comments)
    if origin is not None and origin.origin in provenance.AUTOMATIC and origin.matches(entry.translation):
        return "machine"
    return "fuzzy"


@dataclass
class Counts:
    entries: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATES, 0))
    words: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATES, 0))
    #: machine drafts by their confidence ("0.82" → how many), for those whose provenance gives one
    confidence: dict[str, int] = field(default_factory=dict)

    def below(self, threshold: float) -> int:
        """Machine drafts whose confidence is under the threshold."""
        return sum(n for value, n in self.confidence.items() if float(value) < threshold - 1e-9)

    @property
    def total_entries(self) -> int:
        return sum(self.entries.values())

    @property
    def total_words(self) -> int:
        return sum(self.words.values())

    @property
    def percent(self) -> float:
        """Share of source words whose translation is reviewed."""
        return 100.0 * self.words["reviewed"] / self.total_words if self.total_words else 100.0

    def add(self, entry: Entry) -> None:
        state = entry_state(entry)
        self.entries[state] += 1
        self.words[state] += words(entry.msgid)
        if state == "machine":
            origin = provenance.parse(entry.translator_comments)
            if origin is not None and origin.confidence is not None:
                key = f"{origin.confidence:.2f}"
                self.confidence[key] = self.confidence.get(key, 0) + 1


def count(po: Catalog) -> Counts:
    counts = Counts()
    for entry in po.active:
        counts.add(entry)
    return counts


@dataclass
class Row:
    lang: str
    document: str
    path: str
    counts: Counts
    last_change: str | None = None
    exists: bool = True
    min_confidence: float = 0.9  # pretranslate.min_confidence: drafts below it are counted as doubtful

    def as_dict(self) -> dict:
        return {
            "lang": self.lang, "document": self.document, "path": self.path, "exists": self.exists,
            "entries": {**self.counts.entries, "total": self.counts.total_entries},
            "words": {**self.counts.words, "total": self.counts.total_words},
            "percent": round(self.counts.percent, 1), "last_change": self.last_change,
            # gettext's names, so scripts can compare with msgfmt --statistics
            "translated": self.counts.entries["reviewed"],
            "fuzzy": self.counts.entries["machine"] + self.counts.entries["fuzzy"],
            "untranslated": self.counts.entries["untranslated"],
            "confidence": {"drafts": sum(self.counts.confidence.values()), "min_confidence": self.min_confidence,
                           "below": self.counts.below(self.min_confidence),
                           "by_value": dict(sorted(self.counts.confidence.items()))},
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
            po = catalog.load_or_none(path)
            if po is None:
                rows.append(Row(lang, document_id(doc), shown, Counts(), exists=False, min_confidence=threshold))
                continue
            rows.append(Row(lang, document_id(doc), shown, count(po), po.header_field("PO-Revision-Date"),
                            min_confidence=threshold))
    return rows


def remember_counts(memo: Memo, config: Config, po: Catalog, counts: Counts) -> None:
    """Record what `count` found in a catalog as loaded, for the next `status` to skip reading it."""
    if po.loaded_digest is None:
        return
    memo.put("counts", po.path.relative_to(config.root).as_posix(),
             {"sha": po.loaded_digest, "entries": dict(counts.entries), "words": dict(counts.words),
              "confidence": dict(counts.confidence), "last_change": po.header_field("PO-Revision-Date")})


def known_counts(memo: Memo, config: Config, path: Path) -> tuple[Counts, str | None] | None:
    """(counts, PO-Revision-Date) of the catalog at `path` if its bytes are those counted before."""
    fact = memo.get("counts", path.relative_to(config.root).as_posix())
    if fact is None or not path.exists() or fact.get("sha") != file_digest(path):
        return None
    return (Counts({s: fact["entries"][s] for s in STATES}, {s: fact["words"][s] for s in STATES},
                   dict(fact.get("confidence") or {})), fact["last_change"])


def to_json(rows: list[Row]) -> str:
    return json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=2) + "\n"


def to_csv(rows: list[Row]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["lang", "document", "percent"] + [f"{s}_entries" for s in STATES]
                    + [f"{s}_words" for s in STATES] + ["last_change"])
    for r in rows:
        writer.writerow([r.lang, r.document, f"{r.counts.percent:.1f}"] + [r.counts.entries[s] for s in STATES]
                        + [r.counts.words[s] for s in STATES] + [r.last_change or ""])
    return out.getvalue()


def to_table(rows: list[Row]) -> str:
    header = ["lang", "document", "reviewed", "machine", "fuzzy", "untransl.", "words left", "done"]
    lines = [header]
    for r in rows:
        c = r.counts
        cell = lambda s: f"{c.entries[s]} ({c.words[s]}w)"  # noqa: E731
        left = c.total_words - c.words["reviewed"]
        lines.append([r.lang, r.document, cell("reviewed"), cell("machine"), cell("fuzzy"), cell("untranslated"),
                      str(left), f"{c.percent:5.1f}%" if r.exists else "missing"])
    widths = [max(len(row[i]) for row in lines) for i in range(len(header))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in lines) + "\n"


__all__ = ["Counts", "Row", "count", "entry_state", "status", "to_csv", "to_json", "to_table"]
