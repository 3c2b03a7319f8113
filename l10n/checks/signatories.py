"""Problems in the source's signatory list, reported by `l10n check` beside the catalogs' issues: group headings
nobody knows, two headings for one territory, an organisation listed twice or under a near-identical name."""

from __future__ import annotations

from typing import Iterable

from ..config import Config
from ..document import duplicate_organisations, load_document, similar_organisations
from .base import WARNING, Issue


def document_issues(config: Config, disabled: Iterable[str] = ()) -> list[Issue]:
    """Warnings at the source's lines (`source/appeal.fr.txt:93: warning [duplicate-group] …`), by line."""
    off = frozenset(disabled)
    issues = []
    for path in config.documents:
        doc = load_document(config, path)
        notices = sorted([*doc.notices, *duplicate_organisations(doc), *similar_organisations(doc)],
                         key=lambda n: n.line)
        issues += [Issue(str(path), n.line, config.source_language, None, n.text, n.check, WARNING, n.message)
                   for n in notices if n.check not in off]
    return issues
