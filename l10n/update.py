"""Stage `update` (POT → PO per language): msgmerge semantics, then the terminology that needs no translator."""

from __future__ import annotations

from .config import Config, document_id
from .digest import file_digest
from .errors import ConcurrentEditError
from . import po as pofile
from .memo import Memo
from .paths import po_path
from .po.merge import merge
from .catalogs import UpdateInputs, fill_terminology, po_header
from .pot import StageReport

MERGE_ATTEMPTS = 3  # a catalog saved by a translator during each of them: exit 7, "run the command again"


def update(config: Config, languages: tuple[str, ...]) -> StageReport:
    """Create or merge every language's PO from the POT, then fill terminology that needs no translator."""
    report = StageReport()
    memo = Memo(config)
    for path in config.documents:
        inputs = UpdateInputs(config, path)
        if not languages:
            inputs.load()  # an unreadable source or template is reported even with nothing to merge
        for lang in languages:
            target = po_path(config, lang, path)
            known = inputs.known(memo, lang, file_digest(target))
            if known is not None:  # a fixed point of update: merging it again changes nothing
                report.counts[f"{lang}/{document_id(path)}"] = known
                report.record(target, False)
                continue
            doc, pot, terminology = inputs.load()
            for attempt in range(MERGE_ATTEMPTS):
                old = pofile.load_or_none(target)
                result = merge(pot, old, target, po_header(config, lang, doc.id, pot, old))
                filled = fill_terminology(result.catalog, doc, config, lang, terminology)
                counts = {"kept": result.kept, "fuzzy": result.fuzzy, "new": result.added,
                          "obsolete": result.obsoleted, "terminology": filled}
                try:
                    wrote = pofile.save(result.catalog)
                    break
                except ConcurrentEditError:  # a translator saved meanwhile: merge their file instead
                    if attempt == MERGE_ATTEMPTS - 1:
                        raise
            report.counts[f"{lang}/{doc.id}"] = counts
            report.record(target, wrote)
            if not wrote and pot.header_field("POT-Creation-Date"):
                # seen to be a fixed point (a catalog just written is checked by pretranslate, which rewrites it)
                inputs.record(memo, lang, result.catalog.loaded_digest, counts)
    memo.save()
    return report
