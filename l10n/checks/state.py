"""Checks on an entry's state rather than its text: not translated yet, or not reviewed yet."""

from __future__ import annotations

from typing import Iterator

from .. import provenance, state
from ..po import Entry
from .base import ENTRY, INFO, WARNING, CheckSettings, check, q

_ORIGIN_NAMES = {provenance.MACHINE: "machine translation", provenance.MEMORY: "translation-memory suggestion",
                 provenance.GLOSSARY: "glossary substitution"}


@check("untranslated", WARNING, ENTRY)
def untranslated(settings: CheckSettings, entry: Entry) -> Iterator[str]:
    """Entry has no translation

    An empty msgstr falls back to the French text in the published document, mixing languages mid-page."""
    if entry.msgid_plural is None:
        if not entry.msgstr:
            yield f"no translation yet; translate {q(entry.msgid)}"
        return
    if not entry.msgstr_plural or not any(entry.msgstr_plural.values()):
        yield f"no translation yet; translate {q(entry.msgid)} and its plural {q(entry.msgid_plural)}"
        return
    for n, text in sorted(entry.msgstr_plural.items()):
        if not text:
            yield f"plural form msgstr[{n}] is empty; translate {q(entry.msgid_plural)} for it"


@check("unreviewed", INFO, ENTRY)
def unreviewed(settings: CheckSettings, entry: Entry) -> Iterator[str]:
    """Entry is fuzzy: a draft nobody has accepted

    Machine and memory drafts are marked fuzzy until a person reviews them; telling them apart from entries a
    translator or a source change marked fuzzy shows reviewers where the untouched machine output is."""
    if not entry.fuzzy or not entry.has_translation:
        return
    if state.entry_state(entry) == state.MACHINE:
        origin = provenance.parse(entry.translator_comments)
        assert origin is not None
        what = _ORIGIN_NAMES.get(origin.origin, origin.origin)
        detail = f" ({origin.detail})" if origin.detail else ""
        yield (f"unreviewed {what}{detail} {q(entry.translation)}: check it against the source, correct it, "
               "then remove the fuzzy flag")
        return
    if state.stale(entry):
        yield (f"a draft of the previous source text {q(entry.previous_msgid or '')}: the next pretranslate "
               "redrafts it; or translate the current source and remove the fuzzy flag")
        return
    changed = f"; the source used to be {q(entry.previous_msgid)}" if entry.previous_msgid is not None else ""
    yield ("marked fuzzy by a translator or by a source change" + changed +
           ": check the translation against the current source, then remove the fuzzy flag")
