"""Pseudo-localisation, like translate-toolkit's podebug: shows untranslated, truncated or mangled text at a glance.

Letters get accents (`Save Azat` → `[Šáṽé Azat ~~]`), the text grows by about 30 % (translations are often
longer than French) and is bracketed so clipping shows. Keep terms, numbers, URLs, e-mail addresses, hashtags,
printf/format placeholders, HTML tags and entities pass through untouched. Deterministic and offline.
"""

from __future__ import annotations

import math
import re
from typing import Callable

from ..matching import any_of
from .base import BatchResult, Translation

_ACCENTS = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "áƀçðéƒĝĥíĵķĺɱñóþǫŕšţúṽŵẋýžÁƁÇÐÉƑĜĤÍĴĶĹṀÑÓÞǪŔŠŢÚṼŴẊÝŽ",
)
# What passes through untouched, each with a test no text it can match fails: most texts hold no URL, e-mail
# address or markup, and leaving out alternatives that cannot match changes no match but saves trying them at
# every position (the e-mail one rescans each word).
_ALTERNATIVES: tuple[tuple[str, Callable[[str], bool]], ...] = (
    (r"(?:https?://|www\.)\S+[^\s.,;:!?)\]'’»]",  # URLs
     lambda t: "://" in t or "www." in t.casefold()),
    (r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", lambda t: "@" in t),  # e-mail addresses
    (r"(?<![\w&])[#@]\w+", lambda t: "#" in t or "@" in t),  # hashtags, @handles
    (r"%(?:\d+\$)?(?:\([^)]*\))?[-+ 0#]*\d*(?:\.\d+)?[a-zA-Z%]", lambda t: "%" in t),  # printf: %s, %(name)s
    (r"\{\{?[^{}\s]*\}?\}", lambda t: "{" in t),  # {0}, {name}, {{var}}
    (r"<[^<>]+>|&#?\w+;", lambda t: "<" in t or "&" in t),  # HTML tags and entities
    (r"[-+−]?\d+(?:[.,:\u00a0\u202f ]\d+)*(?:\s?[%°‰]\w?)?", lambda t: True),  # numbers, with their unit sign
)
_PROTECTED = "|".join(pattern for pattern, _ in _ALTERNATIVES)
PADDING = "~"
EXPANSION = 0.3


class PseudoEngine:
    """For testing the pipeline and layouts without a real engine; any language pair works."""

    name = "pseudo"

    def __init__(self, expansion: float = EXPANSION) -> None:
        self.expansion = expansion

    def cache_key(self) -> str:
        return f"pseudo:v1:{self.expansion:g}"

    def route(self, source: str, target: str) -> tuple[str, ...] | None:
        return (source, target)

    def unavailable_reason(self, source: str, target: str) -> str:
        return ""

    def translate(self, texts: list[str], source: str, target: str, keep: list[str] | None = None) -> BatchResult:
        terms = sorted({k for k in keep or [] if k.strip()}, key=len, reverse=True)
        # Keep terms first, longest first; one word-boundary test around the group matches exactly what a
        # boundary test around each term would, at a fraction of the cost.
        keep_re = any_of(terms) if terms else ""
        patterns: dict[tuple[bool, ...], re.Pattern[str]] = {}
        result = BatchResult(results=[None] * len(texts))
        for i, text in enumerate(texts):
            core = text.strip()
            if not core:
                result.errors[i] = "empty source text"
                continue
            wanted = tuple(test(core) for _, test in _ALTERNATIVES)
            protected = patterns.get(wanted)
            if protected is None:
                chosen = [pattern for (pattern, _), on in zip(_ALTERNATIVES, wanted) if on]
                protected = patterns[wanted] = re.compile("|".join(([keep_re] if keep_re else []) + chosen),
                                                          re.IGNORECASE)
            lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()):]
            pieces, pos = [], 0
            for match in protected.finditer(core):
                pieces.append(core[pos:match.start()].translate(_ACCENTS))
                pieces.append(match.group(0))
                pos = match.end()
            pieces.append(core[pos:].translate(_ACCENTS))
            padding = PADDING * max(1, math.ceil(len(core) * self.expansion) - 3)
            pseudo = f"{lead}[{''.join(pieces)} {padding}]{trail}"
            result.results[i] = Translation(pseudo, self.name, (source, target))
        return result
