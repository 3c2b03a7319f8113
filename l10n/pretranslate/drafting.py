"""Drafting the languages `pretranslate` found work for (l10n/pretranslate/__init__.py): memory, glossary,
reviewed sibling languages, then machine engines, one language at a time except for engines that wait on a
server."""

from __future__ import annotations

import contextlib
import dataclasses
import re
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from .. import brief, confidence, langs, provenance, siblings, state
from .. import po as pofile
from ..po import Catalog, Entry
from ..config import Config
from ..engines import validate
from ..engines.base import Translation
from ..engines.cache import Cache
from ..engines.pool import EnginePool, PoolResult
from ..errors import ConcurrentEditError
from ..memo import Memo
from ..paths import po_path
from ..catalogs import UpdateInputs
from ..pot import now
from ..glossary import Glossary
from ..matching import contains, keep_terms_in, replace, translations_in, with_variants
from ..memory import build_memory
from . import LanguageReport, Progress, compendia, digests, memo_key, serving


class Drafter:
    """What drafting shares in one run: the engines and their cache, the glossary, the sibling languages read
    and what the next `update` may leave unread."""

    def __init__(self, config: Config, glossary: Glossary, glossary_file: Path | None, engine: str | None,
                 refresh_machine: bool, min_confidence: float | None, memo: Memo) -> None:
        self.config, self.glossary, self.glossary_file, self.memo = config, glossary, glossary_file, memo
        self.engine, self.refresh_machine, self.min_confidence = engine, refresh_machine, min_confidence
        self.cache = Cache(config.root / config.cache_dir / "cache.sqlite")
        self.pool = EnginePool(config, self.cache)
        self.inputs = {doc: UpdateInputs(config, doc) for doc in config.documents}
        self.others = siblings.Siblings(config)

    def one(self, lang: str) -> LanguageReport:
        with _WORKING:
            return _language(self.config, lang, self.glossary, self.pool, self.engine, self.refresh_machine,
                             self.memo, self.inputs, self.others, self.min_confidence, self.glossary_file)

    def wave(self, languages: list[str], progress: Progress | None) -> dict[str, LanguageReport]:
        """Draft `languages`, none of which is drafted from another."""
        done: dict[str, LanguageReport] = {}
        remote = [lang for lang in languages
                  if _waits_on_network(self.pool, (self.engine,) if self.engine else self.config.engines_for(lang))]
        if len(remote) > 1:
            # Engines that wait on a server (their `concurrency` setting) draft several languages at once:
            # a request's latency, not the CPU, is what they cost. Apertium stays one language at a time.
            with ThreadPoolExecutor(max_workers=min(len(remote), PARALLEL_LANGUAGES)) as workers:
                try:
                    for lang, result in zip(remote, workers.map(self.one, remote)):
                        done[lang] = result
                        if progress:
                            progress(lang)
                except KeyboardInterrupt:  # Ctrl-C: the languages under way stop now, the others never start
                    workers.shutdown(wait=False, cancel_futures=True)
                    self.pool.interrupt()
                    raise
        for lang in languages:
            if lang not in done:
                done[lang] = self.one(lang)
                if progress:
                    progress(lang)
        return done

    def remember_siblings(self, done: dict[str, LanguageReport]) -> None:
        """What each language's drafts depend on, as it is now: the next run skips a language only while those
        catalogs are unchanged. A sibling read before this run wrote its machine drafts counts as now: only its
        reviewed entries matter, and a run writes none (a forced pivot is drafted before, in its wave)."""
        for lang, result in done.items():
            if result.consulted is not None:
                self.memo.put("siblings", lang, {s: self.others.read.get(s) or digests(self.config, s)
                                                 for s in result.consulted})

    def close(self) -> None:
        self.cache.close()


def _wanted(entry: Entry, refresh_machine: bool) -> bool:
    """Empty entries; drafts and glossary terms the tool wrote for an older source text (state.stale), untouched
    since; and with --refresh-machine, drafts still exactly as an engine wrote them."""
    if entry.obsolete:
        return False
    if not entry.has_translation:
        return not entry.fuzzy  # someone flagged it: theirs to deal with
    origin = state.untouched(entry)
    if origin is None:
        return False
    if state.stale(entry):
        return origin.origin in (*provenance.DRAFTS, provenance.GLOSSARY)
    if origin.origin == provenance.GLOSSARY and entry.fuzzy and not origin.source:
        return True  # a term earlier versions (no src:) left fuzzy: terminology now, like CLDR names
    return refresh_machine and origin.origin == provenance.MACHINE and state.entry_state(entry) == state.MACHINE


def _glossary_source(text: str, glossary: Glossary, lang: str) -> tuple[str, list[str]]:
    """Substitute preferred translations into the source and protect them, so engines keep the committee's terms.

    The terms are found by the glossary's one matching rule (l10n.matching)."""
    keep = [k.text for k in keep_terms_in(glossary, text)]
    for term, translation in translations_in(glossary, text, lang):
        text = replace(text, term.source, translation)
        keep.append(translation)
    return text, keep


# Spaces (plain, no-break, narrow no-break) French puts before : ; ! ? — engines copy them into languages that
# use none.
_SPACE_BEFORE_PUNCT = re.compile(r"[ \u00a0\u202f]+(?=[:;!?](?:\s|$))")


def typography(text: str, source: str, target: str) -> str:
    """Follow the target language's spacing before high punctuation, not the source's."""
    if langs.locale(target).language == "fr" or langs.locale(source).language != "fr":
        return text
    return _SPACE_BEFORE_PUNCT.sub("", text)


def _fill(entry: Entry, text: str, origin: provenance.Provenance, notes: list[str] = ()) -> None:
    """Write a draft (fuzzy; a redraft keeps `#| msgid`, the source the reviewer last saw) or a glossary term
    (terminology: not fuzzy, like CLDR names), with its provenance and the digest of the source it translates."""
    entry.msgstr = text
    if entry.msgid_plural is not None:
        entry.msgstr_plural = {0: text}
    entry.set_fuzzy(origin.origin != provenance.GLOSSARY)
    origin = dataclasses.replace(origin, source=provenance.digest(entry.msgid))
    entry.translator_comments = provenance.replace(entry.translator_comments, origin, list(notes))


PARALLEL_LANGUAGES = 8
# One language at a time does anything but wait for an engine: the catalog writer (it cut a UTF-8 sequence in
# two when two threads saved at once) and the memo are not made for threads. A thread
# lets go only while an engine works.
_WORKING = threading.Lock()


@contextlib.contextmanager
def _waiting() -> Iterator[None]:
    _WORKING.release()
    try:
        yield
    finally:
        _WORKING.acquire()


def _translate(pool: EnginePool, *args: Any, **kwargs: Any) -> PoolResult:
    """pool.translate, letting another language's thread work meanwhile."""
    with _waiting():
        return pool.translate(*args, **kwargs)


def _waits_on_network(pool: EnginePool, names: tuple[str, ...]) -> bool:
    """Engines with a `concurrency` setting spend their time waiting for a server."""
    return any(hasattr(pool.get(name), "concurrency") for name in names)


def _language(config: Config, lang: str, glossary: Glossary, pool: EnginePool, engine: str | None,
              refresh_machine: bool, memo: Memo, inputs: dict[Path, UpdateInputs], others: siblings.Siblings,
              min_confidence: float | None, glossary_file: Path | None) -> LanguageReport:
    report = LanguageReport(lang)
    compendium_files = compendia(config, lang)
    names = (engine,) if engine else config.engines_for(lang)
    loaded = [(d, pofile.load_or_none(po_path(config, lang, d))) for d in config.documents]
    catalogs = [c for _, c in loaded if c]
    memory = build_memory(config.memory.threshold, catalogs, compendium_files, config.source_language, lang)
    todo = [(po, e) for po in catalogs for e in po.active if _wanted(e, refresh_machine)]
    fills: dict[int, list[tuple[Entry, str, provenance.Provenance, list[str]]]] = {id(po): [] for po in catalogs}
    pending: list[tuple[Catalog, Entry]] = []
    for po, entry in todo:
        hit = memory.lookup(entry.msgid) if not refresh_machine else None
        if hit is not None and hit[0] != entry.msgid:
            text, score = hit
            fills[id(po)].append((entry, text, provenance.Provenance(provenance.MEMORY, str(score),
                                                                     provenance.digest(text)), []))
            report.filled["memory"] += 1
            continue
        exact = glossary.exact(entry.msgid, lang)
        if exact is not None and exact != entry.msgid:
            fills[id(po)].append((entry, exact, provenance.Provenance(provenance.GLOSSARY, "",
                                                                      provenance.digest(exact)), []))
            report.filled["glossary"] += 1
            continue
        pending.append((po, entry))
    # Drafts from reviewed sibling languages: for the empty entries, and for untouched machine drafts a
    # sibling's review can now improve (es reviewed: fr>es>it becomes es(reviewed)>it).
    route = _router(pool)
    _, candidates = siblings.pivots(config, lang, names, route)
    if candidates:
        wanted = {id(e) for _, e in pending}
        improvable = [(po, e) for po in catalogs for e in po.active
                      if id(e) not in wanted and not e.obsolete and state.entry_state(e) == state.MACHINE]
        pending = _from_siblings(config, lang, glossary, pool, candidates, others, pending, improvable, fills,
                                 report, min_confidence)
    low: set[int] = set()  # entries an engine offered only drafts below min_confidence
    # Settled: every text left was answered by a working engine and the answer refused (source echoed, wrong
    # script), or no engine serves the language as installed (no Apertium pair, no key). Asking again would give
    # the same answers, so the catalogs count as having nothing to fill until the inputs or the engines'
    # installation change. Anything else (an engine failing, or silent on a text) may change, and is tried
    # again next run.
    settled = bool(names) and min_confidence is None
    for name in names:
        if not pending:
            break
        reads = pool.uses_context(name)
        expects = [brief.expect(glossary, e.msgid, lang) for _, e in pending]
        if reads:
            prepared = [(e.msgid, [k for k, _ in x.keep]) for (_, e), x in zip(pending, expects)]
            context = brief.build(catalogs, [e for _, e in pending], glossary, lang, others,
                                         getattr(pool.get(name), "purpose", ""))
        else:
            prepared, context = [_glossary_source(e.msgid, glossary, lang) for _, e in pending], None
        outcome = _translate(pool, name, prepared, config.source_language, lang, context=context)
        report.engine_calls += outcome.calls
        report.reasons += outcome.reasons
        # A refused draft is about its segment: say which (its place in the source, which line numbers of the
        # catalog being written do not keep). Other errors (a server down) are the same for every text.
        report.reasons += [f"{_where(pending[i][1])}: {error}" if "draft refused" in error else error
                           for i, error in outcome.errors.items()]
        settled = settled and not (outcome.failed or outcome.errors)  # reasons alone: the engine cannot serve
        results = outcome.results
        second = _second_opinion(pool, name, pending, results, glossary, config.source_language, lang, report)
        left = []
        for i, (po, entry) in enumerate(pending):
            result = results.get(i)
            if result is None or not result.text.strip() or result.text == entry.msgid:
                left.append((po, entry))  # no result or an empty one is in outcome.errors: not settled
                continue
            if validate.echoes_source(result.text, entry.msgid):
                report.reasons.append(f"{name}: answered in the source language; draft refused")
                left.append((po, entry))
                continue
            if not validate.in_target_script(result.text, lang):
                report.reasons.append(f"{name}: answered in another script than {lang} uses; draft refused")
                left.append((po, entry))
                continue
            text = with_variants(glossary, typography(result.text, config.source_language, lang), lang)
            conf = _confidence(pool, name, result, entry.msgid, expects[i], second.get(i))
            if min_confidence is not None and confidence.below(conf, min_confidence):
                low.add(id(entry))
                left.append((po, entry))
                continue
            low.discard(id(entry))
            detail = f"{result.engine} {'>'.join(result.chain)}"
            notes = [f"unknown words: {', '.join(result.unknown)}"] if result.unknown else []
            fills[id(po)].append((entry, text, provenance.Provenance(provenance.MACHINE, detail,
                                                                     provenance.digest(text), conf), notes))
            report.filled[name] += 1
        pending = left
    report.empty = len(pending)
    report.below_confidence = sum(id(e) in low for _, e in pending)
    if pending and not names:
        report.reasons.append("no engine configured")
    for doc, po in loaded:
        if po is None:
            continue
        written = bool(fills[id(po)])
        if written and not _save(po, fills[id(po)], report, refresh_machine):
            continue  # merged into a file a translator saved meanwhile: nothing known about the result
        if not any(_wanted(e, False) for e in po.active):
            memo.put("idle", memo_key(config, po.path), po.loaded_digest)
        elif settled:
            memo.put("settled", memo_key(config, po.path), {
                "sha": po.loaded_digest, **serving(config, lang, names, glossary_file),
                "empty": sum(p is po for p, _ in pending), "reasons": list(dict.fromkeys(report.reasons))})
        if written:
            inputs[doc].remember(memo, lang, po)  # so that the next `update` can leave the drafts unread
    if any(fills.values()):
        others.forget(lang)  # read again if asked; what was read before these machine drafts no longer counts
    report.consulted = [p.lang for p in candidates]
    return report


def _where(entry: Entry) -> str:
    return entry.references[0] if entry.references else repr(entry.msgid[:40])


def _router(pool: EnginePool) -> siblings.Route:
    def route(name: str, source: str, target: str) -> tuple[str, ...] | None:
        engine = pool.get(name)
        return engine.route(source, target) if engine is not None else None

    return route


def _confidence(pool: EnginePool, name: str, result: Translation, source: str, expect: validate.Expect,
                similarity: float | None) -> float:
    """l10n/confidence.py: known words for engines that report unknown ones, else validation (and agreement)."""
    if getattr(pool.get(name), "reports_unknown", False):
        return confidence.known_share(result.text, result.unknown)
    return confidence.confirmed(validate.score(source, result.text, expect), similarity)


def _second_opinion(pool: EnginePool, name: str, pending: list[tuple[Catalog, Entry]],
                    results: dict[int, Translation], glossary: Glossary, source: str, lang: str,
                    report: LanguageReport) -> dict[int, float]:
    """Similarity of each draft to the draft of the engine `confirm_with` names (the llm engine's setting)."""
    other = getattr(pool.get(name), "confirm_with", None)
    if not other or not results:
        return {}
    indices = sorted(results)
    outcome = _translate(pool, other, [_glossary_source(pending[i][1].msgid, glossary, lang) for i in indices],
                         source, lang)
    report.engine_calls += outcome.calls
    return {indices[n]: confidence.agreement(results[indices[n]].text, r.text)
            for n, r in outcome.results.items()}


def _from_siblings(config: Config, lang: str, glossary: Glossary, pool: EnginePool,
                   candidates: list[siblings.Pivot], others: siblings.Siblings,
                   pending: list[tuple[Catalog, Entry]], improvable: list[tuple[Catalog, Entry]],
                   fills: dict[int, list], report: LanguageReport, min_confidence: float | None,
                   ) -> list[tuple[Catalog, Entry]]:
    """Draft from the best sibling each entry has; return the pending entries still without a draft."""
    forced = config.pivots.get(lang)
    jobs: dict[tuple[str, str], list[tuple[Catalog, Entry, siblings.SiblingText, bool]]] = {}
    rest = []
    for po, entry in pending:
        best = siblings.best_way(entry.key, candidates, others)
        if best is None:
            rest.append((po, entry))
        else:
            jobs.setdefault((best[0].lang, best[0].engine), []).append((po, entry, best[1], False))
    for po, entry in improvable:
        best = siblings.best_way(entry.key, candidates, others)
        if best is not None and siblings.improves(best[2], entry, forced):
            jobs.setdefault((best[0].lang, best[0].engine), []).append((po, entry, best[1], True))
    for (pivot, name), items in jobs.items():
        outcome = _translate(pool, name, [_sibling_source(sib.text, glossary, pivot, lang)
                                          for _, _, sib, _ in items], pivot, lang)
        report.engine_calls += outcome.calls
        report.reasons += outcome.reasons
        for i, (po, entry, sib, again) in enumerate(items):
            result = outcome.results.get(i)
            usable = (result is not None and result.text.strip() and result.text != sib.text
                      and not validate.echoes_source(result.text, sib.text)
                      and validate.in_target_script(result.text, lang))
            conf = None
            if usable:
                conf = confidence.known_share(result.text, result.unknown) \
                    if getattr(pool.get(name), "reports_unknown", False) else validate.score(sib.text, result.text)
                if sib.state == siblings.MACHINE and sib.confidence is not None:
                    conf = round(conf * sib.confidence, 2)
                usable = min_confidence is None or not confidence.below(conf, min_confidence)
            if not usable:
                if not again:
                    rest.append((po, entry))  # the engines may still draft it from the source
                continue
            text = result.text
            chain = ">".join(result.chain[1:])
            detail = f"{result.engine} {pivot}({sib.state})>{chain} via:{siblings.via(sib.text)}"
            notes = [f"unknown words: {', '.join(result.unknown)}"] if result.unknown else []
            fills[id(po)].append((entry, text, provenance.Provenance(provenance.MACHINE, detail,
                                                                     provenance.digest(text), conf), notes))
            report.filled[f"{name} {pivot}({sib.state})"] += 1
            report.redrafted += again
    return rest


def _sibling_source(text: str, glossary: Glossary, pivot: str, lang: str) -> tuple[str, list[str]]:
    """A sibling's text ready for an engine: the glossary's `pivot` translations swapped for `lang`'s, keep
    terms (and the pivot's variants of them, turned into the target's) protected."""
    keep: list[str] = []
    for term in glossary.keep:
        forms = term.forms(pivot)
        target = term.forms(lang)[-1] if term.variants.get(lang) else term.text
        for form in sorted(set(forms), key=len, reverse=True):
            if contains(text, form):
                text = replace(text, form, target)
                keep.append(target)
    for term in glossary.terms:
        if pivot in term.translations and lang in term.translations \
                and contains(text, term.translations[pivot]):
            text = replace(text, term.translations[pivot], term.translations[lang])
            keep.append(term.translations[lang])
    return text, keep


def _save(po: Catalog, fills: list, report: LanguageReport, refresh_machine: bool) -> bool:
    """Apply drafts and save; if a translator saved the file meanwhile, apply them to the new file instead, and
    only where that file still wants one. False in that second case (`po` is then not what the file holds).
    PO-Revision-Date moves only when a translation's text changes."""
    changed = any(entry.translation != text for entry, text, *_ in fills)
    for entry, text, origin, notes in fills:
        _fill(entry, text, origin, notes)
    if changed:
        po.set_header_field("PO-Revision-Date", now())
    try:
        if pofile.save(po):
            report.written.append(po.path)
        return True
    except ConcurrentEditError:
        pass
    fresh = pofile.load(po.path)
    index = fresh.index()
    applied = 0
    for entry, text, origin, notes in fills:
        target = index.get(entry.key)
        if target is not None and _wanted(target, refresh_machine):
            _fill(target, text, origin, notes)
            applied += 1
    if applied:
        fresh.set_header_field("PO-Revision-Date", now())
        pofile.save(fresh)
        report.written.append(po.path)
    report.reasons.append(f"{po.path.name} changed on disk during the run: drafts merged into the new file, "
                          f"{len(fills) - applied} skipped where a translator had written")
    return False
