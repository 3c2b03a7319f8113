"""Quality checks on translated catalogs, in the spirit of translate-toolkit's pofilter (what they are, and how a
translator silences one: l10n/checks/registry.py, which registers and runs them).

`check_project` is `l10n check`: it answers from the check memo (l10n/checks/memo.py) what it can, and loads the
checks only for a catalog that must really be checked."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from ..config import Config
    from .base import Issue
    from .summary import QualityRow


def check_project(config: Config, languages: Iterable[str], summary: bool = False
                  ) -> tuple[list[Issue], dict[str, QualityRow]]:
    """`l10n check`: the source's signatory list, then every catalog of the languages; files named as the
    project names them (relative to its root, wherever the command runs). With `summary`, also the per-language
    counts of texts with issues."""
    from ..glossary import load_glossary
    from ..paths import glossary_path, po_path
    from ..po import load_or_none
    from . import summary as quality
    from .memo import CheckMemo, catalog_key, documents_key, glossary_digest

    languages = tuple(languages)
    memo = CheckMemo(config)  # what earlier checks found in files that have not changed since (checks/memo.py)
    chosen = glossary_path(config)
    glossary_key = glossary_digest(chosen)
    catalogs = []
    for doc in config.documents:
        for lang in languages:
            path = po_path(config, lang, doc)
            if path.exists():
                name = path.relative_to(config.root).as_posix()
                catalogs.append((lang, path, name, catalog_key(path, lang, glossary_key)))
    glossary = functools.cache(lambda: load_glossary(chosen))  # read once, and only to check a catalog
    if not catalogs or not all(memo.knows(name, key) for _, _, name, key in catalogs):
        glossary()  # first, as before: its errors come before the source's

    checked: set[str] = set()  # languages whose catalogs were really checked, so whose dictionaries were loaded

    def check(lang: str, path: Path, name: str) -> list[Issue]:
        from . import registry  # the checks themselves: only for a catalog the memo has no answer for

        checked.add(lang)
        return registry.check_file(path, lang, config.source_language, glossary(), config.checks_disabled,
                                   config.accepted_words(lang), name=name)

    def source_issues() -> list[Issue]:
        from .signatories import document_issues  # parses the source: only when the memo has no answer

        return document_issues(config, config.checks_disabled)

    # the source's signatory list, once
    issues = memo.issues("source documents", documents_key(config), source_issues)
    rows = {lang: quality.QualityRow(lang) for lang in languages}
    last = {lang: n for n, (lang, *_) in enumerate(catalogs)}
    for n, (lang, path, name, key) in enumerate(catalogs):
        found = memo.issues(name, key, lambda: check(lang, path, name),
                            still=lambda: catalog_key(path, lang, glossary_key))
        if last[lang] == n and lang in checked:
            from .words import done_with

            done_with(lang)  # one language's dictionaries at a time, not ten
        issues += found
        if summary:
            quality.add(rows[lang], load_or_none(path), found)
    memo.save()
    return issues, rows
