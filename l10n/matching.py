"""The one rule by which a term is found in a text: as a whole word (no word character just before or after), in
any case unless asked otherwise. The glossary, the checks, pretranslate, review and the engines all ask here, so a
term the checks see is the term pretranslate protected.

A term of the source is found exactly (`word_pattern`, `contains`, `term_spans`); the glossary's terms present in
a source are `keep_terms_in` and `translations_in`, and `with_variants` writes its kept names in a language's own
form; in a translation, a kept name may carry a case ending (`inflected`) and a preferred translation an
inflected ending (`loose`)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from .glossary import Glossary, KeepTerm, Term

_BEFORE, _AFTER = r"(?<!\w)", r"(?!\w)"  # the whole-word boundaries


@lru_cache(maxsize=4096)
def word_pattern(term: str, case: bool = False) -> re.Pattern[str]:
    """The rule for one term, compiled once: checks apply it to every entry of every language. `case`: the case
    must match too (words an engine reported as unknown are words as written)."""
    return re.compile(_BEFORE + re.escape(term) + _AFTER, 0 if case else re.IGNORECASE)


def contains(text: str, term: str, case: bool = False) -> bool:
    return word_pattern(term, case).search(text) is not None


def term_spans(text: str, term: str) -> list[tuple[int, int]]:
    return [m.span() for m in word_pattern(term).finditer(text)]


def replace(text: str, term: str, by: str) -> str:
    """Every occurrence of `term` replaced by `by`, taken literally."""
    return word_pattern(term).sub(lambda _: by, text)


def any_of(terms: Iterable[str]) -> str:
    """The rule for several terms at once, as a pattern to compile (with re.IGNORECASE unless the case must
    match): longest first, so that a term inside a longer one never wins; one boundary test around the group is
    the same as one around each."""
    alternatives = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    return rf"{_BEFORE}(?:{alternatives}){_AFTER}"


def keep_terms_in(glossary: Glossary, text: str) -> list[KeepTerm]:
    """The glossary's keep terms present in a source text, longest first so that overlapping names protect the
    whole."""
    return list(_found_in(glossary, text)[0])


def translations_in(glossary: Glossary, text: str, lang: str) -> list[tuple[Term, str]]:
    """The glossary's expressions present in a source text, with the translation `lang` prefers for each."""
    return [(t, t.translations[lang]) for t in _found_in(glossary, text)[1] if lang in t.translations]


def _found_in(glossary: Glossary, text: str) -> tuple[tuple[KeepTerm, ...], tuple[Term, ...]]:
    """The keep terms (longest first) and the expressions a source text contains, remembered by the glossary."""
    found = glossary.found_in_sources.get(text)
    if found is None:
        keep = sorted((k for k in glossary.keep if contains(text, k.text)), key=lambda k: -len(k.text))
        terms = tuple(t for t in glossary.terms if contains(text, t.source))
        found = glossary.found_in_sources[text] = (tuple(keep), terms)
    return found


def with_variants(glossary: Glossary, text: str, lang: str) -> str:
    """Keep terms written in the language's own form ("Alexei Navalny" → es "Alekséi Navalni"): engines copy
    a protected name exactly, so a draft would otherwise show the source spelling."""
    swaps = {k.text: k.variants[lang][0] for k in glossary.keep
             if k.variants.get(lang) and k.text not in k.variants[lang]}
    if not swaps:
        return text
    return re.sub(any_of(swaps), lambda m: swaps.get(m.group(0), m.group(0)), text)  # as written: case matters


@lru_cache(maxsize=4096)
def inflected(form: str) -> re.Pattern[str]:
    """A kept name in a translation, allowing a case ending where the language declines names ("Азата", "Azata")."""
    ending = r"\w{0,3}" if form[-1:].isalpha() else ""
    return re.compile(_BEFORE + re.escape(form) + ending + _AFTER, re.IGNORECASE)


@lru_cache(maxsize=4096)
def loose(phrase: str) -> re.Pattern[str]:
    """A preferred translation in a translation, allowing inflected endings (plural, gender): "juicios políticos"."""
    parts = []
    for word in phrase.split():
        stem = word[:-2] if len(word) > 4 and word[-1].isalpha() and word[-2].isalpha() else word
        parts.append(re.escape(stem) + (r"\w{0,4}" if stem != word else ""))
    return re.compile(_BEFORE + r"\s+".join(parts) + _AFTER, re.IGNORECASE)
