"""Stage `pretranslate`: give every empty entry a draft — memory, then glossary, then machine engines in the
configured order — marked fuzzy with its provenance. Human work is never touched."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable

from . import catalog, langs, provenance, state
from .catalog import Catalog, Entry
from .config import Config
from .engines.cache import Cache
from .engines.pool import EnginePool
from .errors import ConcurrentEditError
from .extract import Memo, UpdateInputs, file_digest, now, po_path
from .glossary import Glossary, project_glossary
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
    if origin.origin == provenance.GLOSSARY and entry.fuzzy:
        return True  # a term earlier versions left fuzzy: terminology now, like CLDR names
    return refresh_machine and origin.origin == provenance.MACHINE and state.entry_state(entry) == state.MACHINE


@lru_cache(maxsize=4096)
def _word(term: str) -> re.Pattern[str]:
    """The glossary's matching rule (whole word, any case), compiled once per term rather than once per entry."""
    return re.compile(rf"(?<!\w){re.escape(term)}(?!\w)", re.IGNORECASE)


def _glossary_source(text: str, glossary: Glossary, lang: str) -> tuple[str, list[str]]:
    """Substitute preferred translations into the source and protect them, so engines keep the committee's terms.

    Same as Glossary.keep_in / terms_in followed by re.sub, with the patterns compiled once."""
    found = [k for k in glossary.keep if _word(k.text).search(text) is not None]
    keep = [k.text for k in sorted(found, key=lambda k: -len(k.text))]
    terms = [(t, t.translations[lang]) for t in glossary.terms
             if lang in t.translations and _word(t.source).search(text) is not None]
    for term, translation in terms:
        text = _word(term.source).sub(translation, text)
        keep.append(translation)
    return text, keep


class _Exact:
    """Glossary.exact for one language as two dictionaries: it is asked once per empty entry."""

    def __init__(self, glossary: Glossary, lang: str) -> None:
        self.terms: dict[str, str] = {}
        for term in glossary.terms:
            if lang in term.translations:
                self.terms.setdefault(term.source.casefold(), term.translations[lang])
        self.keep: dict[str, str] = {}
        for keep in glossary.keep:
            self.keep.setdefault(keep.text, keep.forms(lang)[-1] if keep.variants.get(lang) else keep.text)

    def __call__(self, text: str) -> str | None:
        stripped = text.strip()
        found = self.terms.get(stripped.casefold())
        return found if found is not None else self.keep.get(stripped)


# Spaces (plain, no-break, narrow no-break) French puts before : ; ! ? — engines copy them into languages that
# use none.
_SPACE_BEFORE_PUNCT = re.compile(r"[ \u00a0\u202f]+(?=[:;!?](?:\s|$))")


def typography(text: str, source: str, target: str) -> str:
    """Follow the target language's spacing before high punctuation, not the source's."""
    if langs.locale(target).language == "fr" or langs.locale(source).language != "fr":
        return text
    return _SPACE_BEFORE_PUNCT.sub("", text)


_WORD = re.compile(r"[^\W\d_]{3,}")


def _echoes_source(text: str, source: str) -> bool:
    """A 'translation' whose words are nearly all the source's words is the source language coming back (an
    engine that gave up, or detected the wrong language), not a draft."""
    words = [w.casefold() for w in _WORD.findall(text)]
    known = {w.casefold() for w in _WORD.findall(source)}
    return len(words) >= 4 and sum(w in known for w in words) >= 0.8 * len(words)


def _in_target_script(text: str, lang: str) -> bool:
    """Refuse a draft written mostly in another script than the target's: another language came back (names in
    Latin letters inside a Russian sentence are fine, a sentence in Latin letters is not)."""
    share = langs.script_share(text, lang)
    return share is None or share >= 0.3


def _fill(entry: Entry, text: str, origin: provenance.Provenance, notes: list[str] = (), fuzzy: bool = True) -> None:
    """Write a draft (fuzzy; a redraft keeps `#| msgid`, the source the reviewer last saw) or a glossary term
    (terminology: not fuzzy, like CLDR names), with its provenance and the digest of the source it translates."""
    entry.msgstr = text
    if entry.msgid_plural is not None:
        entry.msgstr_plural = {0: text}
    entry.set_fuzzy(fuzzy)
    origin = dataclasses.replace(origin, source=provenance.digest(entry.msgid))
    entry.translator_comments = provenance.replace(entry.translator_comments, origin, list(notes))


def pretranslate(config: Config, languages: tuple[str, ...], engine: str | None = None,
                 refresh_machine: bool = False, progress: Progress | None = None) -> PretranslateReport:
    report = PretranslateReport()
    glossary = project_glossary(config)
    cache = Cache(config.root / config.cache_dir / "cache.sqlite")
    pool = EnginePool(config, cache)
    memo = Memo(config)
    inputs = {doc: UpdateInputs(config, doc) for doc in config.documents}
    try:
        for lang in languages:
            report.languages.append(_language(config, lang, glossary, pool, engine, refresh_machine, memo, inputs))
            if progress:
                progress(lang)
    finally:
        cache.close()
        memo.save()
    return report


def _idle(config: Config, lang: str, memo: Memo, names: tuple[str, ...]) -> bool:
    """Every catalog of the language is missing or known to have nothing to fill (its digest was recorded when
    it was last written or read with nothing left to fill, or with only texts these very engines were asked
    and answered unusably), so it need not even be read."""
    for doc in config.documents:
        path = po_path(config, lang, doc)
        if not path.exists():
            continue
        key, digest = _memo_key(config, path), file_digest(path)
        if digest is None or (memo.get("idle", key) != digest
                              and memo.get("settled", key) != {"sha": digest, "engines": list(names)}):
            return False
    return True


def _memo_key(config: Config, path: Path) -> str:
    return path.relative_to(config.root).as_posix()


def _language(config: Config, lang: str, glossary: Glossary, pool: EnginePool, engine: str | None,
              refresh_machine: bool, memo: Memo, inputs: dict[Path, UpdateInputs]) -> LanguageReport:
    report = LanguageReport(lang)
    # (a `{lang}` compendium need not exist for every language: the configuration checked it exists for one)
    compendia = [path for path, pattern in ((Path(str(config.root / c).replace("{lang}", lang)), str(c))
                                            for c in config.memory.compendia)
                 if "{lang}" not in pattern or path.is_file()]
    names = (engine,) if engine else config.engines_for(lang)
    if not refresh_machine and _idle(config, lang, memo, names):
        build_memory(config.memory.threshold, [], compendia, config.source_language, lang)  # same errors as ever
        return report
    loaded = [(d, catalog.load_or_none(po_path(config, lang, d))) for d in config.documents]
    catalogs = [c for _, c in loaded if c]
    memory = build_memory(config.memory.threshold, catalogs, compendia, config.source_language, lang)
    todo = [(po, e) for po in catalogs for e in po.active if _wanted(e, refresh_machine)]
    fills: dict[int, list[tuple[Entry, str, provenance.Provenance, list[str], bool]]] = {id(po): [] for po in catalogs}
    pending: list[tuple[Catalog, Entry]] = []
    exact_for = _Exact(glossary, lang)
    for po, entry in todo:
        hit = memory.lookup(entry.msgid) if not refresh_machine else None
        if hit is not None and hit[0] != entry.msgid:
            text, score = hit
            fills[id(po)].append((entry, text, provenance.Provenance(provenance.MEMORY, str(score),
                                                                     provenance.digest(text)), [], True))
            report.filled["memory"] += 1
            continue
        exact = exact_for(entry.msgid)
        if exact is not None and exact != entry.msgid:
            fills[id(po)].append((entry, exact, provenance.Provenance(provenance.GLOSSARY, "",
                                                                      provenance.digest(exact)), [], False))
            report.filled["glossary"] += 1
            continue
        pending.append((po, entry))
    # Settled: every text left was answered by a working engine and the answer refused (source echoed, wrong
    # script). Asking again would give the same answers, so the catalogs count as having nothing to fill.
    # Anything else (an engine missing, failing, or silent on a text) may change, and is tried again next run.
    settled = bool(names)
    for name in names:
        if not pending:
            break
        prepared = [_glossary_source(e.msgid, glossary, lang) for _, e in pending]
        outcome = pool.translate(name, prepared, config.source_language, lang)
        report.engine_calls += outcome.calls
        report.reasons += outcome.reasons + list(outcome.errors.values())
        settled = settled and not (outcome.failed or outcome.reasons or outcome.errors)
        results = outcome.results
        left = []
        for i, (po, entry) in enumerate(pending):
            result = results.get(i)
            if result is None or not result.text.strip() or result.text == entry.msgid:
                left.append((po, entry))  # no result or an empty one is in outcome.errors: not settled
                continue
            if _echoes_source(result.text, entry.msgid):
                report.reasons.append(f"{name}: answered in the source language; draft refused")
                left.append((po, entry))
                continue
            if not _in_target_script(result.text, lang):
                report.reasons.append(f"{name}: answered in another script than {lang} uses; draft refused")
                left.append((po, entry))
                continue
            text = typography(result.text, config.source_language, lang)
            detail = f"{result.engine} {'>'.join(result.chain)}"
            notes = [f"unknown words: {', '.join(result.unknown)}"] if result.unknown else []
            fills[id(po)].append((entry, text, provenance.Provenance(provenance.MACHINE, detail,
                                                                     provenance.digest(text)), notes, True))
            report.filled[name] += 1
        pending = left
    report.empty = len(pending)
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
            memo.put("settled", _memo_key(config, po.path), {"sha": po.loaded_digest, "engines": list(names)})
        if written:
            inputs[doc].remember(memo, lang, po)  # so that the next `update` can leave the drafts unread
    return report


def _save(po: Catalog, fills: list, report: LanguageReport, refresh_machine: bool) -> bool:
    """Apply drafts and save; if a translator saved the file meanwhile, apply them to the new file instead, and
    only where that file still wants one. False in that second case (`po` is then not what the file holds).
    PO-Revision-Date moves only when a translation's text changes."""
    changed = any(entry.translation != text for entry, text, *_ in fills)
    for entry, text, origin, notes, fuzzy in fills:
        _fill(entry, text, origin, notes, fuzzy)
    if changed:
        po.set_header_field("PO-Revision-Date", now())
    try:
        if catalog.save(po):
            report.written.append(po.path)
        return True
    except ConcurrentEditError:
        pass
    fresh = catalog.load(po.path)
    index = fresh.index()
    applied = 0
    for entry, text, origin, notes, fuzzy in fills:
        target = index.get(entry.key)
        if target is not None and _wanted(target, refresh_machine):
            _fill(target, text, origin, notes, fuzzy)
            applied += 1
    if applied:
        fresh.set_header_field("PO-Revision-Date", now())
        catalog.save(fresh)
        report.written.append(po.path)
    report.reasons.append(f"{po.path.name} changed on disk during the run: drafts merged into the new file, "
                          f"{len(fills) - applied} skipped where a translator had written")
    return False
