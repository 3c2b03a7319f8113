"""Where each language stands: per language and document, entries and words in each of the five states
(l10n.state), the reviewed share of the text that needs a translator, msgfmt's own three counts, and when the
language was last published. Computed here once; the status stage prints it, the dashboard draws it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import state
from . import po as pofile
from .po import Catalog
from .config import Config, document_id
from .digest import file_digest
from .memo import Memo
from .paths import po_path, record_path
from .state import GETTEXT, STATES, Counts

if TYPE_CHECKING:
    from .document import Document


def count(po: Catalog) -> Counts:
    return state.count(po.active)


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


def status(config: Config, languages: tuple[str, ...], remember: bool = False) -> list[Row]:
    """`remember`: keep in the project memo what was worked out here (only under the project lock, as `run`
    reports status), so that `status` alone need not work it out again."""
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
    _published(config, rows, memo)
    if remember:
        memo.save()
    return rows


def _published(config: Config, rows: list[Row], memo: Memo) -> None:
    """Fill in when each language was last published and how many changes since (publication records): from
    the memo while the source, the catalog and the record are the bytes it was worked out from."""
    documents = {document_id(d): d for d in config.documents}
    loaded: dict[str, Document] = {}
    for row in rows:
        path = documents[row.document]
        record = record_path(config, row.lang, path)
        if not record.is_file():
            continue
        inputs = [file_digest(config.root / path), file_digest(config.root / row.path), file_digest(record)]
        fact = memo.get("published", row.path)
        if None not in inputs and isinstance(fact, dict) and fact.get("inputs") == inputs:
            row.published, row.changes = fact["published"], fact["changes"]
            continue
        from . import publication  # reads and compares documents: only when the memo does not know
        from .document import load_document

        if row.document not in loaded:
            loaded[row.document] = load_document(config, path)
        found = publication.compare(config, loaded[row.document], row.lang)
        row.published, row.changes = found.published, found.count
        if None not in inputs:
            memo.put("published", row.path, {"inputs": inputs, "published": found.published, "changes": found.count})
