"""Checks a machine draft must pass before it is written, and the score of the softer ones.

Hard checks refuse the draft with a reason a translator can read (numbers, keep terms or their accepted
variants, URLs and hashtags present; the target's script; not the source coming back; a sane length). The soft
score (0–1) is what validation alone can justify about a draft that passed: glossary terms used, source words
not left behind, a length close to the source's. l10n/confidence.py turns it into a draft's confidence.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from .. import langs
from ..matching import contains

_DIGITS = re.compile(r"\d+")
_WORD = re.compile(r"[^\W\d_]{3,}")
_LONG_WORD = re.compile(r"[^\W\d_]{4,}")
MIN_RATIO, MAX_RATIO = 0.33, 3.0  # beyond these a "translation" is a summary, a ramble or another text
SHORT = 20  # characters: below this the length ratio says nothing


@dataclass(frozen=True)
class Expect:
    """What a draft of one source text must contain, for one target language."""

    keep: Sequence[tuple[str, Sequence[str]]] = ()  # (keep term, accepted forms in the target) present in source
    terms: Sequence[str] = ()  # the glossary's target translations of expressions present in the source


def echoes_source(draft: str, source: str) -> bool:
    """A 'translation' whose words are nearly all the source's words is the source language coming back (an
    engine that gave up, or detected the wrong language), not a draft."""
    words = [w.casefold() for w in _WORD.findall(draft)]
    known = {w.casefold() for w in _WORD.findall(source)}
    return len(words) >= 4 and sum(w in known for w in words) >= 0.8 * len(words)


def in_target_script(draft: str, lang: str) -> bool:
    """Refuse a draft written mostly in another script than the target's: another language came back (names in
    Latin letters inside a Russian sentence are fine, a sentence in Latin letters is not)."""
    share = langs.script_share(draft, lang)
    return share is None or share >= 0.3


def refusal(source: str, draft: str, target: str, expect: Expect = Expect()) -> str | None:
    """Why the draft must not be written, or None when it passes every hard check."""
    core = draft.strip()
    if not core:
        return "empty translation"
    if core == source.strip():
        return "the source came back unchanged"
    for term, forms in expect.keep:
        if not any(contains(draft, f) for f in (term, *forms)):
            return f"keep term {term} missing"
    from .apertium import _PROTECTED  # the spans Apertium protects; imported here, not with every command

    lost = [m.group(0) for m in _PROTECTED.finditer(source) if m.group(0) not in draft]
    if lost:
        return f"URL, address or hashtag missing: {', '.join(lost)}"
    missing = Counter(_DIGITS.findall(source)) - Counter(_DIGITS.findall(draft))
    if missing:
        return f"number(s) missing: {', '.join(sorted(missing))}"
    if echoes_source(draft, source):
        return "answered in the source language"
    if not in_target_script(draft, target):
        return f"answered in another script than {target} uses"
    if len(source.strip()) >= SHORT and not MIN_RATIO <= len(core) / len(source.strip()) <= MAX_RATIO:
        return f"length {len(core) / len(source.strip()):.1f}× the source's"
    return None


def score(source: str, draft: str, expect: Expect = Expect()) -> float:
    """What validation alone can say of a draft that passed: 1.0 minus 0.1 per glossary term not used, minus
    half the share of its long words copied from the source (keep terms aside), minus 0.1 when its length is
    outside half to twice the source's."""
    value = 1.0
    value -= 0.1 * sum(not contains(draft, t) for t in expect.terms)
    kept = {w.casefold() for term, forms in expect.keep for f in (term, *forms) for w in _LONG_WORD.findall(f)}
    source_words = {w.casefold() for w in _LONG_WORD.findall(source)} - kept
    words = [w.casefold() for w in _LONG_WORD.findall(draft) if w.casefold() not in kept]
    if words:
        value -= 0.5 * sum(w in source_words for w in words) / len(words)
    if len(source.strip()) >= SHORT and not 0.5 <= len(draft.strip()) / len(source.strip()) <= 2.0:
        value -= 0.1
    return round(max(0.0, min(1.0, value)), 2)
