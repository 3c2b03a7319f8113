"""The one rule by which a glossary term is found in a text: as a whole word (no word character just before or
after), in any case. The glossary, the checks, pretranslate and the engines' draft validation all ask here, so a
term the checks see is the term pretranslate protected."""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=4096)
def word_pattern(term: str) -> re.Pattern[str]:
    """The rule for one term, compiled once: checks apply it to every entry of every language."""
    return re.compile(rf"(?<!\w){re.escape(term)}(?!\w)", re.IGNORECASE)


def contains(text: str, term: str) -> bool:
    return word_pattern(term).search(text) is not None


def any_of(terms: list[str]) -> str:
    """The rule for several terms at once, as a pattern to compile case-insensitively: longest first, so that a
    term inside a longer one never wins; one boundary test around the group is the same as one around each."""
    alternatives = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    return rf"(?<!\w)(?:{alternatives})(?!\w)"


def term_spans(text: str, term: str) -> list[tuple[int, int]]:
    return [m.span() for m in word_pattern(term).finditer(text)]
