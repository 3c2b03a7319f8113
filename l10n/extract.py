"""Stage `extract` (source → POT): one template per document; an unchanged source leaves the file as it was."""

from __future__ import annotations

from pathlib import Path

from . import po as pofile
from .config import Config
from .digest import file_digest
from .document import load_document
from .memo import Memo
from .paths import pot_path
from .po import Catalog, Entry
from .pot import StageReport, template

def extract(config: Config) -> StageReport:
    """Write each document's POT; an unchanged source leaves the file (and its creation date) as it was."""
    report = StageReport()
    memo = Memo(config)
    for path in config.documents:
        target = pot_path(config, path)
        facts = {"source": file_digest(config.root / path), "pot": file_digest(target)}
        known = memo.get("extract", path.as_posix())
        if known is not None and None not in facts.values() and {k: known.get(k) for k in facts} == facts:
            report.warnings.extend(known["warnings"])  # this source made this POT: extracting it again writes nothing
            report.record(target, False)
            continue
        pot, warnings = _template(config, path)
        report.warnings.extend(warnings)
        _take_over(pot)
        report.record(pot.path, pofile.save(pot))
        if facts["source"] is not None and pot.header_field("POT-Creation-Date"):
            # A dated POT made from this source is kept as it is by the next extract (README: byte-identical).
            memo.put("extract", path.as_posix(), {"source": facts["source"], "pot": pot.loaded_digest,
                                                  "warnings": warnings})
    memo.save()
    return report


def _template(config: Config, path: Path) -> tuple[Catalog, list[str]]:
    """A document's template and the warnings its source gave; the parsed document itself is let go before the
    template is written, so that the writer reuses its memory."""
    doc = load_document(config, path)
    return template(config, doc), doc.warnings


def _take_over(pot: Catalog) -> None:
    """Take over from the POT on disk, if any, what the new one keeps: its digest (an edit made meanwhile is not
    overwritten) and, when the messages are the same, its creation date. The old catalog is let go before the
    new one is written, so that the two are not held at once."""
    old = pofile.load_or_none(pot.path)
    if old is not None:
        pot.loaded_digest = old.loaded_digest
        date = old.header_field("POT-Creation-Date")
        if date and _same_entries(old, pot):
            pot.set_header_field("POT-Creation-Date", date)


def _same_entries(a: Catalog, b: Catalog) -> bool:
    """Whether two templates hold the same messages, headers aside, as their files would show them. A msgid that
    changed, the usual edit of a source, answers without writing either template out: a file gives back each
    msgid it was written with, so different msgids are different bytes."""
    if [entry.msgid for entry in a.entries] != [entry.msgid for entry in b.entries]:
        return False
    strip = lambda c: Catalog(path=c.path, header=Entry(msgid=""), entries=c.entries)  # noqa: E731
    return pofile.dumps(strip(a)) == pofile.dumps(strip(b))
