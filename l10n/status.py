"""Stage `status`: where each language stands (l10n.progress) as a table, JSON or CSV."""

from __future__ import annotations

import csv
import io
import json

from .progress import Counts, Row, count, status
from .state import STATES

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


__all__ = ["Counts", "Row", "count", "status", "to_csv", "to_json", "to_table"]
