"""Glossary checks: names that must survive translation, and the project's preferred translations."""

from __future__ import annotations

from typing import Iterator

from ..po import Entry
from ..glossary import KeepTerm
from ..matching import inflected, keep_terms_in, loose, term_spans, translations_in
from .base import ERROR, WARNING, CheckSettings, Pair, check, q


def missing_keep_terms(settings: CheckSettings, source: str, target: str
                       ) -> list[tuple[KeepTerm, str, list[tuple[int, int]]]]:
    """Keep terms of the source absent from the translation, as (term, text as in the source, source spans).

    Longest first, and a shorter term wholly inside a longer one is judged with it ("FreeAzat" inside
    "Solidarité FreeAzat"), so one missing name is reported once."""
    handled: list[tuple[int, int]] = []
    missing = []
    for term in keep_terms_in(settings.glossary, source):
        spans = term_spans(source, term.text)
        if not spans or all(any(a <= s and e <= b for a, b in handled) for s, e in spans):
            continue
        handled += spans
        if not any(inflected(form).search(target) for form in term.forms(settings.lang)):
            start, end = spans[0]
            missing.append((term, source[start:end], spans))
    return missing


@check("keep-terms", ERROR)
def keep_terms(settings: CheckSettings, entry: Entry, pair: Pair) -> Iterator[str]:
    """A name the glossary keeps is missing from the translation

    Names of people, prisons and organisations ("Kharp", "IK-18", "Solidarité FreeAzat") must reach readers
    exactly, or in a transliteration the glossary accepts; engines tend to translate or drop them."""
    for term, shown, _ in missing_keep_terms(settings, pair.source, pair.target):
        others = [f for f in term.forms(settings.lang) if f != term.text]
        alternative = f" (or an accepted form: {', '.join(q(f) for f in others)})" if others else ""
        yield f"the name {q(shown)} from the source is missing; keep it as written{alternative}"


@check("glossary", WARNING)
def glossary(settings: CheckSettings, entry: Entry, pair: Pair) -> Iterator[str]:
    """A glossary term is not translated the way the glossary prefers

    The same expression ("procès politique") translated differently from one paragraph to the next reads as
    different things; the glossary records the wording the team agreed on. A name kept with the source's spelling
    where the glossary gives the language's own ("Alexei Navalny", Spanish "Alekséi Navalni") is reported too."""
    for term in keep_terms_in(settings.glossary, pair.source):
        variants = term.variants.get(settings.lang, ())
        if not variants or term.text in variants or any(inflected(v).search(pair.target) for v in variants):
            continue
        if inflected(term.text).search(pair.target):
            yield (f"the glossary writes {q(term.text)} as {q(variants[0])} in {settings.lang}; "
                   f"use that form instead of the source's")
    for term, preferred in translations_in(settings.glossary, pair.source, settings.lang):
        if not loose(preferred).search(pair.target):
            spans = term_spans(pair.source, term.source)
            shown = pair.source[spans[0][0]:spans[0][1]] if spans else term.source
            yield f"the source has {q(shown)}; translate it as the glossary prefers: {q(preferred)}"
