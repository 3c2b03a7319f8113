"""msgmerge --previous semantics over the model: what `update` does to each language's catalog."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .model import FUZZY, Catalog, Entry

FUZZY_MATCH_CUTOFF = 60.0  # msgmerge's fuzzy threshold is a similarity of 0.6


@dataclass
class MergeResult:
    """The merged catalog and what the merge did, counted for the stage's report."""

    catalog: Catalog
    kept: int = 0
    fuzzy: int = 0
    added: int = 0
    obsoleted: int = 0


def merge(template: Catalog, old: Catalog | None, path: Path, header: Entry) -> MergeResult:
    """msgmerge --previous semantics: same msgid keeps its translation; a changed msgid inherits the closest old
    translation as fuzzy with `#|` previous strings; a vanished one becomes obsolete; a new one arrives empty."""
    result = MergeResult(Catalog(path=path, header=header))
    if old is not None:
        result.catalog.encoding, result.catalog.newline, result.catalog.bom = old.encoding, old.newline, old.bom
        result.catalog.loaded_digest = old.loaded_digest
    old_active = {e.key: e for e in old.entries if not e.obsolete} if old else {}
    old_obsolete = {e.key: e for e in old.entries if e.obsolete} if old else {}
    used: set[tuple[str | None, str]] = set()
    pending: list[tuple[int, Entry]] = []
    merged: list[Entry] = []
    for tentry in template.active:
        prior = old_active.get(tentry.key) or old_obsolete.get(tentry.key)
        new = _from_template(tentry)
        if prior is not None:
            used.add(prior.key)
            _inherit(new, prior, same=True)
            result.kept += 1
        else:
            pending.append((len(merged), new))
        merged.append(new)
    # Fuzzy matching only among old translated entries nobody claimed, so an insert cannot steal a neighbour's.
    candidates = {k: e.msgid for k, e in old_active.items() if k not in used and e.has_translation}
    if pending and candidates:
        from rapidfuzz import fuzz, process  # only a merge with changed messages needs it
    for _, new in pending:
        if candidates:
            best = process.extractOne(new.msgid, candidates, scorer=fuzz.ratio, score_cutoff=FUZZY_MATCH_CUTOFF)
            if best is not None:
                del candidates[best[2]]
                prior = old_active[best[2]]
                used.add(prior.key)
                _inherit(new, prior, same=False)
                result.fuzzy += 1
                continue
        result.added += 1
    result.catalog.entries = merged
    current = {m.key for m in merged}
    for e in old.entries if old else []:
        if e.key in used or e.key in current:
            continue
        if e.has_translation or e.obsolete:
            gone = e.copy()
            gone.obsolete = True
            gone.references = []
            result.catalog.entries.append(gone)
            result.obsoleted += 0 if e.obsolete else 1
    return result


def _from_template(t: Entry) -> Entry:
    flags = [f for f in t.flags if f != FUZZY]
    return Entry(msgid=t.msgid, msgctxt=t.msgctxt, msgid_plural=t.msgid_plural, flags=flags,
                 extracted_comments=list(t.extracted_comments), references=list(t.references),
                 msgstr_plural={})


def _inherit(new: Entry, prior: Entry, same: bool) -> None:
    new.raw, new.pristine = prior.raw, prior.pristine  # written as it was if the merge leaves it as it was
    new.msgstr = prior.msgstr
    new.msgstr_plural = dict(prior.msgstr_plural)
    new.translator_comments = list(prior.translator_comments)
    extra = [f for f in prior.flags if f not in new.flags and f != FUZZY]
    new.flags += extra
    if same:
        if prior.fuzzy:
            new.set_fuzzy(True)
            new.previous_msgctxt = prior.previous_msgctxt
            new.previous_msgid = prior.previous_msgid
            new.previous_msgid_plural = prior.previous_msgid_plural
    else:
        new.set_fuzzy(True)
        new.previous_msgctxt = prior.msgctxt
        new.previous_msgid = prior.msgid
        new.previous_msgid_plural = prior.msgid_plural
