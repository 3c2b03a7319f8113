"""Stage `pretranslate`: give every empty entry a draft — memory, then glossary, then a reviewed sibling
language (l10n/siblings.py), then machine engines in the configured order — marked fuzzy with its provenance
and confidence. Untouched machine drafts are redone when a sibling's review offers a better way to make them.
Human work is never touched.

This module decides, from the project memo, which languages have work; l10n/pretranslate/drafting.py drafts
them, and is imported only then, so that a run with nothing to draft loads no engine, matcher or memory."""

from __future__ import annotations

import functools
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..config import Config
from ..digest import file_digest
from ..engines import installed
from ..glossary import load_glossary
from ..memo import Memo
from ..paths import glossary_path, po_path

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
    done: dict[str, LanguageReport] = {}
    drafter = None  # l10n/pretranslate/drafting.py, once a language has work
    try:
        for wave in _waves(config, languages, memo):
            for lang in wave:  # languages with nothing to do are done without creating an engine
                names = (engine,) if engine else config.engines_for(lang)
                if not refresh_machine and _idle(config, lang, memo, names, glossary_file):
                    done[lang] = _nothing_to_do(config, lang, memo)
                    if progress:
                        progress(lang)
            busy = [lang for lang in wave if lang not in done]
            if busy and drafter is None:
                from .drafting import Drafter

                drafter = Drafter(config, glossary(), glossary_file, engine, refresh_machine, min_confidence, memo)
            if busy:
                done.update(drafter.wave(busy, progress))
        if drafter is not None:
            drafter.remember_siblings(done)
    finally:
        if drafter is not None:
            drafter.close()
        memo.save()
    report.languages = [done[lang] for lang in languages if lang in done]
    return report


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
    current: dict[str, object] | None = None
    for doc in config.documents:
        path = po_path(config, lang, doc)
        if not path.exists():
            continue
        key, digest = memo_key(config, path), file_digest(path)
        if digest is None:
            return False
        if memo.get("idle", key) != digest:
            settled = memo.get("settled", key)
            if settled is None or settled.get("sha") != digest:
                return False
            current = current or serving(config, lang, names, glossary_file)
            if any(settled.get(k) != v for k, v in current.items()):
                return False
    consulted = memo.get("siblings", lang)
    return isinstance(consulted, dict) and all(
        file_digest(config.root / path) == digest for paths in consulted.values() for path, digest in paths.items())


def serving(config: Config, lang: str, names: tuple[str, ...], glossary_file: Path | None) -> dict[str, object]:
    """What a settled catalog's entries were refused or left by: the engines, their installation (a new
    Apertium pair, a key exported: l10n/engines/installed.py) and the inputs besides the catalog that decide
    what they are asked or what fills an entry first (the glossary, the compendia)."""
    inputs = [glossary_file, *compendia(config, lang)] if glossary_file is not None else compendia(config, lang)
    return {"engines": list(names),
            "installation": installed.identity(names, {n: s.options for n, s in config.engine_settings.items()}),
            "inputs": {os.path.relpath(p, config.root): file_digest(p) for p in inputs}}


def compendia(config: Config, lang: str) -> list[Path]:
    """The language's compendia; a `{lang}` one need not exist for every language (the configuration checked it
    exists for one)."""
    return [path for path, pattern in ((Path(str(config.root / c).replace("{lang}", lang)), str(c))
                                       for c in config.memory.compendia)
            if "{lang}" not in pattern or path.is_file()]


def _nothing_to_do(config: Config, lang: str, memo: Memo) -> LanguageReport:
    """The report of a language `_idle` says has nothing to fill, as the run that settled its catalogs gave it
    (entries left empty, and why); its compendia are still read, for the same errors as ever."""
    if config.memory.compendia:
        from ..memory import build_memory

        build_memory(config.memory.threshold, [], compendia(config, lang), config.source_language, lang)
    report = LanguageReport(lang)
    for doc in config.documents:
        path = po_path(config, lang, doc)
        settled = memo.get("settled", memo_key(config, path))
        if settled is not None and memo.get("idle", memo_key(config, path)) != settled["sha"]:
            report.empty += settled["empty"]
            report.reasons += [r for r in settled["reasons"] if r not in report.reasons]
    return report


def memo_key(config: Config, path: Path) -> str:
    return path.relative_to(config.root).as_posix()


def digests(config: Config, lang: str) -> dict[str, str | None]:
    paths = [po_path(config, lang, doc) for doc in config.documents]
    return {p.relative_to(config.root).as_posix(): file_digest(p) for p in paths}


