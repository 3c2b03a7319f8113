"""Locale typography for `punctuation` and `brackets-quotes`: what each target language writes, from CLDR where
CLDR has the data (quotation marks through ICU's locale data, digit grouping through Babel) and a small table of
rules where it has none (Spanish opening ¡ and ¿; no space before a comma or full stop anywhere).

Engines copy the source's typography: French « » reach English, "1 500" stays as written, and Apertium drops the
Spanish "¡" that French does not have. Spots copied from the source inside a name are left alone."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator

from .base import CheckSettings, Pair, q

#: Languages that open an exclamation or a question with an inverted mark (CLDR has no such data).
INVERTED_MARKS = {"es": (("¡", "!", "an exclamation"), ("¿", "?", "a question"))}

_QUOTES = "«»„“”‹›"  # single quotes are left out: ’ is also the apostrophe, ‘…’ a third level CLDR does not list
_SPACES = " \u00a0\u202f\u2009"
_SPACE_BEFORE = re.compile(r"(?<=[^\W\d_])[ \u00a0\u202f\u2009]+([,.])(?=\s|$)")
_SPACE_GROUPED = re.compile(r"(?<![\d.,])\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?![\d]|[.,]\d)")


def _copied(source: str, target: str, start: int, end: int) -> bool:
    """The spot, with the word before it, is as the source writes it: a name, not the translator's typography."""
    left = start
    while left > 0 and target[left - 1].isspace():
        left -= 1
    while left > 0 and not target[left - 1].isspace():
        left -= 1
    return target[left:end] in source


def _context(text: str, index: int) -> str:
    """The two words before a mark, and the mark."""
    return " ".join(text[:index].split()[-2:]) + text[index]


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?…])\s+", text) if s.strip()]


def punctuation(settings: CheckSettings, pair: Pair) -> Iterator[str]:
    """Inverted opening marks, spaces before a comma or full stop, and digit grouping of the target language."""
    target = pair.target
    for opener, closer, name in INVERTED_MARKS.get(settings.primary, ()):
        missing = [s for s in _sentences(target) if closer in s and opener not in s]
        if missing and not any(s in pair.source for s in missing):
            yield (f"{settings.lang} opens {name} with {q(opener)}: {q(missing[0])} ends with {q(closer)} but has "
                   f"no {q(opener)}")
    spaced = [m for m in _SPACE_BEFORE.finditer(target) if not _copied(pair.source, target, m.start(), m.end())]
    if spaced:
        yield (f"remove the space before {q(spaced[0].group(1))} in {q(_context(target, spaced[0].start(1)))}"
               + (f" ({len(spaced)} places)" if len(spaced) > 1 else "") + ": no language puts one there")
    group = _group_symbol(settings.lang)
    if group is not None and group not in _SPACES:
        for match in _SPACE_GROUPED.finditer(target):
            value = int(re.sub(r"\D", "", match.group(0)))
            yield (f"{q(match.group(0))} is grouped with a space as in {settings.source_lang}; {settings.lang} writes "
                   f"{q(_formatted(value, settings.lang))}")


def quotes(settings: CheckSettings, pair: Pair) -> Iterator[str]:
    """Quotation marks the target language does not use (« » in English, “ ” in German), from CLDR."""
    used = [c for c in dict.fromkeys(pair.target) if c in _QUOTES]
    if not used:
        return
    own = quotation_marks(settings.lang)
    if own is None:
        return
    foreign = [c for c in used if c not in own
               and not all(_copied(pair.source, pair.target, m.start(), m.end())
                           for m in re.finditer(re.escape(c), pair.target))]
    if foreign:
        primary = f"{own[0]}…{own[1]}"
        secondary = f"{own[2]}…{own[3]}"
        yield (f"the translation uses {', '.join(q(c) for c in foreign)}, which {settings.lang} does not use as "
               f"quotation marks; write {q(primary)} (inside a quotation {q(secondary)})")


@lru_cache(maxsize=64)
def quotation_marks(lang: str) -> tuple[str, str, str, str] | None:
    """CLDR's quotation start, end, alternate start and alternate end for a language, through ICU."""
    from .. import langs

    try:
        code = langs.gettext_code(lang)
    except ValueError:
        return None
    import icu  # PyICU: ICU's copy of CLDR's delimiters (Babel does not ship them)

    data = icu.LocaleData(code)
    kind = icu.ULocaleDataDelimiterType
    marks = tuple(data.getDelimiter(k) for k in (kind.QUOTATION_START, kind.QUOTATION_END,
                                                 kind.ALT_QUOTATION_START, kind.ALT_QUOTATION_END))
    return marks if all(marks) else None  # type: ignore[return-value]


@lru_cache(maxsize=64)
def _group_symbol(lang: str) -> str | None:
    from babel.numbers import get_group_symbol

    from .. import langs

    try:
        return get_group_symbol(langs.locale(lang))
    except ValueError:
        return None


def _formatted(value: int, lang: str) -> str:
    from babel.numbers import format_decimal

    from .. import langs

    return format_decimal(value, locale=langs.locale(lang))
