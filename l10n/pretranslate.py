"""Stage `pretranslate`: give every empty entry a draft — memory, then glossary, then a reviewed sibling
language (l10n/siblings.py), then machine engines in the configured order — marked fuzzy with its provenance
and confidence. Untouched machine drafts are redone when a sibling's review offers a better way to make them.
Human work is never touched."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import os
import re
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from . import brief, confidence, langs, provenance, siblings, state
from . import po as pofile
from .po import Catalog, Entry
from .config import Config
from .engines import installed, validate
from .engines.base import Translation
from .engines.cache import Cache
from .engines.pool import EnginePool, PoolResult
from .errors import ConcurrentEditError
from .digest import file_digest
from .memo import Memo
from .paths import po_path
from .pot import UpdateInputs, now
from .glossary import Glossary, glossary_path, load_glossary
from .matching import contains, keep_terms_in, replace, translations_in, with_variants
from .memory import build_memory

Progress = Callable[[str], None]  # called with the language code once a language is done


@dataclass
class LanguageReport:
    lang: str
    filled: Counter = field(default_factory=Counter)  # by source: memory, glossary, apertium, …
    empty: int = 0
    reasons: list[str] = field(default_factory=list)  # why entries stayed empty
    engine_calls: int = 0
    written: list[Path] = field(default_factory=list)
    redrafted: int = 0  # machine drafts made again from a reviewed sibling language
    consulted: list[str] | None = None  # sibling languages it could be drafted from; None: not even read
    below_confidence: int = 0  # left empty because every draft offered was below --min-confidence


@dataclass
class PretranslateReport:
    languages: list[LanguageReport] = field(default_factory=list)


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


def pretranslate(config: Config, languages: tuple[str, ...], engine: str | None = None,
                 refresh_machine: bool = False, progress: Progress | None = None,
                 min_confidence: float | None = None) -> PretranslateReport:
    """`min_confidence`: leave an entry empty rather than write a draft trusted less than this."""
    report = PretranslateReport()
    memo = Memo(config)
    glossary_file = glossary_path(config)
    glossary = functools.cache(lambda: load_glossary(glossary_file))  # read when a language has work, and:
    if glossary_file is not None and memo.get("glossary", "valid") != (digest := file_digest(glossary_file)):
        glossary()  # a glossary not read before is checked first: a broken one stops the command unwritten
        memo.put("glossary", "valid", digest)
    inputs = {doc: UpdateInputs(config, doc) for doc in config.documents}
    others = siblings.Siblings(config)
    done: dict[str, LanguageReport] = {}
    cache: Cache | None = None  # the engines' cache is opened once a language needs them

    def one(lang: str) -> LanguageReport:
        with _WORKING:
            return _language(config, lang, glossary(), pool, engine, refresh_machine, memo, inputs, others,
                             min_confidence, glossary_file)

    try:
        for wave in _waves(config, languages, memo):
            for lang in wave:  # languages with nothing to do are done without creating an engine
                names = (engine,) if engine else config.engines_for(lang)
                if not refresh_machine and _idle(config, lang, memo, names, glossary_file):
                    done[lang] = _nothing_to_do(config, lang, memo)
                    if progress:
                        progress(lang)
            if all(lang in done for lang in wave):
                continue
            if cache is None:
                cache = Cache(config.root / config.cache_dir / "cache.sqlite")
                pool = EnginePool(config, cache)
            remote = [lang for lang in wave if lang not in done
                      and _waits_on_network(pool, (engine,) if engine else config.engines_for(lang))]
            if len(remote) > 1:
                # Engines that wait on a server (their `concurrency` setting) draft several languages at once:
                # a request's latency, not the CPU, is what they cost. Apertium stays one language at a time.
                with ThreadPoolExecutor(max_workers=min(len(remote), PARALLEL_LANGUAGES)) as workers:
                    try:
                        for lang, result in zip(remote, workers.map(one, remote)):
                            done[lang] = result
                            if progress:
                                progress(lang)
                    except KeyboardInterrupt:  # Ctrl-C: the languages under way stop now, the others never start
                        workers.shutdown(wait=False, cancel_futures=True)
                        pool.interrupt()
                        raise
            for lang in wave:
                if lang not in done:
                    done[lang] = one(lang)
                    if progress:
                        progress(lang)
        # What each language's drafts depend on, as it is now: the next run skips a language only while those
        # catalogs are unchanged. A sibling read before this run wrote its machine drafts counts as now: only
        # its reviewed entries matter, and a run writes none (a forced pivot is drafted before, in its wave).
        for lang, result in done.items():
            if result.consulted is not None:
                memo.put("siblings", lang, {s: others.read.get(s) or _digests(config, s) for s in result.consulted})
    finally:
        if cache is not None:
            cache.close()
        memo.save()
    report.languages = [done[lang] for lang in languages if lang in done]
    return report


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


def _waves(config: Config, languages: tuple[str, ...], memo: Memo) -> list[list[str]]:
    """The languages in groups, in the order asked, except that a language others are drafted from (a forced
    pivot, or a sibling the last run consulted) comes in an earlier group than they, so that they see its
    drafts of this very run."""
    needs = {lang: set(memo.get("siblings", lang) or {}) | ({config.pivots[lang]} if lang in config.pivots else set())
             for lang in languages}
    depth: dict[str, int] = {}

    def level(lang: str, path: tuple[str, ...]) -> int:
        if lang not in depth:
            firsts = [n for n in needs.get(lang, ()) if n in languages and n not in path]
            depth[lang] = 1 + max((level(n, path + (lang,)) for n in firsts), default=-1)
        return depth[lang]

    for lang in languages:
        level(lang, ())
    return [[lang for lang in languages if depth[lang] == n] for n in range(max(depth.values(), default=-1) + 1)]


def _idle(config: Config, lang: str, memo: Memo, names: tuple[str, ...], glossary_file: Path | None) -> bool:
    """Every catalog of the language is missing or known to have nothing to fill (its digest was recorded when
    it was last written or read with nothing left to fill, or with only texts these very engines, installed as
    they are now, answered unusably or could not take), so it need not even be read."""
    serving: dict[str, object] | None = None
    for doc in config.documents:
        path = po_path(config, lang, doc)
        if not path.exists():
            continue
        key, digest = _memo_key(config, path), file_digest(path)
        if digest is None:
            return False
        if memo.get("idle", key) != digest:
            settled = memo.get("settled", key)
            if settled is None or settled.get("sha") != digest:
                return False
            serving = serving or _serving(config, lang, names, glossary_file)
            if any(settled.get(k) != v for k, v in serving.items()):
                return False
    consulted = memo.get("siblings", lang)
    return isinstance(consulted, dict) and all(
        file_digest(config.root / path) == digest for paths in consulted.values() for path, digest in paths.items())


def _serving(config: Config, lang: str, names: tuple[str, ...], glossary_file: Path | None) -> dict[str, object]:
    """What a settled catalog's entries were refused or left by: the engines, their installation (a new
    Apertium pair, a key exported: l10n/engines/installed.py) and the inputs besides the catalog that decide
    what they are asked or what fills an entry first (the glossary, the compendia)."""
    inputs = [glossary_file, *_compendia(config, lang)] if glossary_file is not None else _compendia(config, lang)
    return {"engines": list(names),
            "installation": installed.identity(names, {n: s.options for n, s in config.engine_settings.items()}),
            "inputs": {os.path.relpath(p, config.root): file_digest(p) for p in inputs}}


def _compendia(config: Config, lang: str) -> list[Path]:
    """The language's compendia; a `{lang}` one need not exist for every language (the configuration checked it
    exists for one)."""
    return [path for path, pattern in ((Path(str(config.root / c).replace("{lang}", lang)), str(c))
                                       for c in config.memory.compendia)
            if "{lang}" not in pattern or path.is_file()]


def _nothing_to_do(config: Config, lang: str, memo: Memo) -> LanguageReport:
    """The report of a language `_idle` says has nothing to fill, as the run that settled its catalogs gave it
    (entries left empty, and why); its compendia are still read, for the same errors as ever."""
    build_memory(config.memory.threshold, [], _compendia(config, lang), config.source_language, lang)
    report = LanguageReport(lang)
    for doc in config.documents:
        path = po_path(config, lang, doc)
        settled = memo.get("settled", _memo_key(config, path))
        if settled is not None and memo.get("idle", _memo_key(config, path)) != settled["sha"]:
            report.empty += settled["empty"]
            report.reasons += [r for r in settled["reasons"] if r not in report.reasons]
    return report


def _memo_key(config: Config, path: Path) -> str:
    return path.relative_to(config.root).as_posix()


def _language(config: Config, lang: str, glossary: Glossary, pool: EnginePool, engine: str | None,
              refresh_machine: bool, memo: Memo, inputs: dict[Path, UpdateInputs], others: siblings.Siblings,
              min_confidence: float | None, glossary_file: Path | None) -> LanguageReport:
    report = LanguageReport(lang)
    compendia = _compendia(config, lang)
    names = (engine,) if engine else config.engines_for(lang)
    loaded = [(d, pofile.load_or_none(po_path(config, lang, d))) for d in config.documents]
    catalogs = [c for _, c in loaded if c]
    memory = build_memory(config.memory.threshold, catalogs, compendia, config.source_language, lang)
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
            memo.put("idle", _memo_key(config, po.path), po.loaded_digest)
        elif settled:
            memo.put("settled", _memo_key(config, po.path), {
                "sha": po.loaded_digest, **_serving(config, lang, names, glossary_file),
                "empty": sum(p is po for p, _ in pending), "reasons": list(dict.fromkeys(report.reasons))})
        if written:
            inputs[doc].remember(memo, lang, po)  # so that the next `update` can leave the drafts unread
    if any(fills.values()):
        others.forget(lang)  # read again if asked; what was read before these machine drafts no longer counts
    report.consulted = [p.lang for p in candidates]
    return report


def _digests(config: Config, lang: str) -> dict[str, str | None]:
    paths = [po_path(config, lang, doc) for doc in config.documents]
    return {p.relative_to(config.root).as_posix(): file_digest(p) for p in paths}


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
