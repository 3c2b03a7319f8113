"""Pseudo-localisation, like translate-toolkit's podebug: shows untranslated, truncated or mangled text at a glance.

Letters get accents (`Save Azat` → `[Šáṽé Azat ~~]`), the text grows by about 30 % (translations are often
longer than French) and is bracketed so clipping shows. Keep terms, numbers, URLs, e-mail addresses, hashtags,
printf/format placeholders, HTML tags and entities pass through untouched. Deterministic and offline.
"""

from __future__ import annotations

import math
import re

from .base import BatchResult, Translation

_ACCENTS = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "áƀçðéƒĝĥíĵķĺɱñóþǫŕšţúṽŵẋýžÁƁÇÐÉƑĜĤÍĴĶĹṀÑÓÞǪŔŠŢÚṼŴẊÝŽ",
)
_PROTECTED = (
    r"(?:https?://|www\.)\S+[^\s.,;:!?)\]'’»]"  # URLs
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail addresses
    r"|(?<![\w&])[#@]\w+"  # hashtags, @handles
    r"|%(?:\d+\$)?(?:\([^)]*\))?[-+ 0#]*\d*(?:\.\d+)?[a-zA-Z%]"  # printf: %s, %(name)s, %1$d
    r"|\{\{?[^{}\s]*\}?\}"  # {0}, {name}, {{var}}
    r"|<[^<>]+>|&#?\w+;"  # HTML tags and entities
    r"|[-+−]?\d+(?:[.,:\u00a0\u202f ]\d+)*(?:\s?[%°‰]\w?)?"  # numbers, with their unit sign: -50°C, 3,5 %
)
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
        keep_re = "|".join(rf"(?<!\w){re.escape(t)}(?!\w)" for t in terms)
        protected = re.compile(f"{keep_re}|{_PROTECTED}" if keep_re else _PROTECTED, re.IGNORECASE)
        result = BatchResult(results=[None] * len(texts))
        for i, text in enumerate(texts):
            core = text.strip()
            if not core:
                result.errors[i] = "empty source text"
                continue
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
