"""Quality checks on translated catalogs, in the spirit of translate-toolkit's pofilter: one function per check id,
registered with a severity, documented by its docstring.

Checks run on every non-obsolete entry with a translation, fuzzy drafts included (reviewers need to see their
problems), except `untranslated` and `unreviewed`, which look at an entry's state. A translator silences a check
for one entry with a flag, `#, l10n-ignore: numbers markup` (ids separated by spaces, or following as further
flags: `#, l10n-ignore: numbers, markup`); a project turns one off with `disabled` (l10n.yaml `checks.disable`).

This module registers every check (importing their modules) and runs them on a catalog; `l10n check` imports it
only when a catalog must really be checked, not when the check memo knows every answer (l10n/checks/__init__.py)."""

from __future__ import annotations

import dataclasses
import re
import sys
from pathlib import Path
from typing import Iterable

from ..po import Catalog, Entry, load
from ..errors import CatalogError
from ..glossary import Glossary
from . import numbers, povalid, safety, state, structure, terms, typography, words  # noqa: F401  (registers checks)
from .base import CATALOG, CHECKS, ENTRY, ERROR, PAIR, CheckInfo, CheckSettings, Issue, Pair, line_of

#: The order checks run and are listed in (and, for one line, the order of their issues).
ORDER = ("po-valid", "untranslated", "unreviewed", "numbers", "keep-terms", "glossary", "source-words", "spelling",
         "dateline", "mt-marks", "markup", "bidi", "punctuation", "brackets-quotes", "whitespace", "sentences",
         "length", "unchanged")
_registered = dict(CHECKS)
CHECKS.clear()
CHECKS.update({check_id: _registered.pop(check_id) for check_id in ORDER})
CHECKS.update(_registered)  # any check registered beyond the documented ones runs last

__all__ = ["CHECKS", "CheckInfo", "Issue", "check_catalog", "check_file", "entry_pairs", "ignored_checks"]

_IGNORE = re.compile(r"^l10n-ignore\s*[:=]?\s*(?P<ids>.*)$")


def ignored_checks(entry: Entry) -> frozenset[str]:
    """Check ids an entry's flags silence: `l10n-ignore: a b`, plus check ids given as the flags that follow it."""
    ignored: set[str] = set()
    continuing = False
    for flag in entry.flags:
        flag = flag.strip()
        match = _IGNORE.match(flag)
        if match:
            ignored.update(i for i in re.split(r"[\s,]+", match.group("ids")) if i)
            continuing = True
        elif continuing and flag in CHECKS:
            ignored.add(flag)
        else:
            continuing = False
    return frozenset(ignored)


def check_catalog(catalog: Catalog, lang: str, source_lang: str = "fr", glossary: Glossary | None = None,
                  disabled: Iterable[str] = (), accept: Iterable[str] = ()) -> list[Issue]:
    """Run every enabled check on a loaded catalog; issues are sorted by line. `accept`: words the spelling
    checks take as right (l10n.yaml `checks.spelling.accept`)."""
    return _run(catalog, lang, source_lang, glossary, disabled, str(catalog.path), accept)


def check_file(path: Path, lang: str, source_lang: str = "fr", glossary: Glossary | None = None,
               disabled: Iterable[str] = (), accept: Iterable[str] = (), name: str | None = None) -> list[Issue]:
    """Load a PO file and check it; a file that cannot be loaded becomes one po-valid error, not an exception.
    Issues name the file `name` (default: the path as given).

    When msgfmt is installed and the native checks found nothing wrong with the file's structure, `msgfmt -c`
    gets the last word, so a rule gettext has that we lack still stops publication."""
    path = Path(path)
    shown = name if name is not None else str(path)
    try:
        catalog = load(path)
    except CatalogError as exc:
        return [Issue(shown, exc.line or 1, lang, None, "", "po-valid", ERROR, exc.message)]
    disabled = frozenset(disabled)
    # msgfmt runs on another core while the native checks run; its verdict is only read if they pass the file
    msgfmt = povalid.start_msgfmt(path) if "po-valid" not in disabled and povalid.msgfmt_available() else None
    try:
        issues = _run(catalog, lang, source_lang, glossary, disabled, shown, accept)
    except BaseException:
        povalid.cancel_msgfmt(msgfmt)
        raise
    if msgfmt is not None and any(i.check == "po-valid" for i in issues):
        povalid.cancel_msgfmt(msgfmt)
    elif msgfmt is not None:
        for line, message in povalid.finish_msgfmt(msgfmt):
            entry = _entry_at(catalog, line)
            if entry is not None and "po-valid" in ignored_checks(entry):
                continue
            issues.append(Issue(shown, line, lang, entry.msgctxt if entry else None,
                                entry.msgid if entry else "", "po-valid", ERROR, f"msgfmt -c: {message}"))
        issues.sort(key=lambda i: i.line)
    return issues


# ---------------------------------------------------------------------------------------------------- internals


def _entry_at(catalog: Catalog, line: int) -> Entry | None:
    """The entry a line of the file belongs to (the last one starting at or before it)."""
    candidates = [e for e in catalog.entries if 0 < e.line <= line]
    return max(candidates, key=lambda e: e.line) if candidates else None


def _pairs(entry: Entry) -> list[Pair]:
    """Source/translation pairs of an entry; a plural's forms after the first pair with msgid_plural."""
    if entry.msgid_plural is None:
        texts = [(entry.msgid, entry.msgstr, None)]
    else:
        single = len(entry.msgstr_plural) == 1  # one form only (Japanese, Chinese…): it stands for the plural
        texts = [(entry.msgid if n == 0 and not single else entry.msgid_plural, text, n)
                 for n, text in sorted(entry.msgstr_plural.items())]
    return [Pair(source, safety.clean_target(source, target), target, form)
            for source, target, form in texts if target]


def entry_pairs(settings: CheckSettings, entry: Entry) -> list[Pair]:
    """The entry's pairs, made once per catalog run (settings.shared): the word checks read them before the
    entry's own checks do, and cleaning a translation looks for markup in it."""
    return settings.once(("pairs", id(entry)), lambda: _pairs(entry))  # the catalog holds its entries for the run


def _run(catalog: Catalog, lang: str, source_lang: str, glossary: Glossary | None, disabled: Iterable[str],
         file: str, accept: Iterable[str] = ()) -> list[Issue]:
    off = frozenset(disabled)
    enabled = [info for info in CHECKS.values() if info.id not in off]
    base = CheckSettings(lang, source_lang, glossary or Glossary(), frozenset(i.id for i in enabled), catalog,
                         frozenset(accept))
    found: list[tuple[int, int, Issue]] = []
    order = {check_id: n for n, check_id in enumerate(CHECKS)}

    def add(line: int, entry: Entry | None, info: CheckInfo, message: str) -> None:
        # interned: every language's issues on one source text then share one copy of it, not one per catalog
        issue = Issue(file, line, lang, entry.msgctxt if entry else None, sys.intern(entry.msgid) if entry else "",
                      info.id, info.severity, message)
        found.append((line, order[info.id], issue))

    for info in enabled:
        if info.kind == CATALOG:
            for finding in info.function(base, catalog):
                if finding.entry is None or info.id not in ignored_checks(finding.entry):
                    add(finding.line, finding.entry, info, finding.message)
    for entry in catalog.active:
        ignored = ignored_checks(entry)
        checks = [info for info in enabled if info.id not in ignored and info.kind != CATALOG]
        if not checks:
            continue
        settings = dataclasses.replace(base, enabled=base.enabled - ignored) if ignored else base
        line = line_of(entry)
        pairs = entry_pairs(base, entry)
        for info in checks:
            messages: list[str] = []
            if info.kind == ENTRY:
                messages = list(info.function(settings, entry))
            elif info.kind == PAIR:
                for pair in pairs:
                    messages += [m for m in info.function(settings, entry, pair) if m not in messages]
            for message in messages:
                add(line, entry, info, message)
    found.sort(key=lambda item: (item[0], item[1]))
    return [issue for _, _, issue in found]
