"""Structure of a translation compared with its source: sentences dropped, a length far off, prose left in French."""

from __future__ import annotations

import math
import re
from functools import lru_cache
from itertools import combinations
from typing import Iterator

from .. import provenance
from ..po import Entry
from ..segment import split_sentences
from .base import WARNING, CheckSettings, Pair, check, q


def sentences(text: str) -> list[str]:
    return list(_sentences(text))


@lru_cache(maxsize=1 << 16)
def _sentences(text: str) -> tuple[str, ...]:
    """Cached: every language's translation is compared with the same source sentences."""
    return tuple(s.strip() for s, _ in split_sentences(text.strip()) if s.strip())


def _dropped(source: list[str], target: list[str]) -> list[str]:
    """The source sentences whose removal best explains the translation's sentence lengths (Gale–Church style)."""
    missing = len(source) - len(target)
    if missing <= 0 or len(source) > 16:
        return []
    best: tuple[float, tuple[int, ...]] | None = None
    for removed in combinations(range(len(source)), missing):
        kept = [s for i, s in enumerate(source) if i not in removed]
        ratio = sum(map(len, target)) / max(1, sum(map(len, kept)))
        cost = sum(abs(math.log(max(1, len(t)) / max(1.0, ratio * len(s)))) for s, t in zip(kept, target))
        if best is None or cost < best[0]:
            best = (cost, removed)
    return [source[i] for i in best[1]] if best else []


@check("sentences", WARNING)
def sentence_count(settings: CheckSettings, entry: Entry, pair: Pair) -> Iterator[str]:
    """Translation has a different number of sentences than the source

    Engines silently drop sentences of long paragraphs; a count that differs is the cheapest way to notice a
    missing sentence (or two sentences run together)."""
    source, target = sentences(pair.source), sentences(pair.target)
    if len(source) == len(target):
        return
    if len(target) < len(source):
        dropped = _dropped(source, target)
        likely = f"; probably missing: {q(dropped[0], 120)}" if dropped else ""
        yield (f"the source has {len(source)} sentences but the translation {len(target)}{likely}; "
               "translate every sentence")
    else:
        yield (f"the source has {len(source)} sentence(s) but the translation {len(target)}; check that nothing "
               "was added and that no sentence was split by mistake")


#: Characters per source character relative to Latin/Cyrillic/Greek text: ideographic scripts need far fewer.
_DENSITY = {"zh": 0.35, "yue": 0.35, "ja": 0.5, "ko": 0.55}
MIN_LENGTH = 20
LOW, HIGH = 0.5, 2.0


def expected_ratio(source_lang: str, lang: str) -> float:
    return _DENSITY.get(lang.split("-")[0].lower(), 1.0) / _DENSITY.get(source_lang.split("-")[0].lower(), 1.0)


@check("length", WARNING)
def length(settings: CheckSettings, entry: Entry, pair: Pair) -> Iterator[str]:
    """Translation length is far outside the normal ratio for this language pair

    Half or double the expected length usually means a dropped clause or an engine that rambled (or answered a
    different text); the expected ratio is per script, since Chinese or Japanese text is much shorter."""
    source, target = pair.source.strip(), pair.target.strip()
    if len(source) <= MIN_LENGTH or not target:
        return
    expected = expected_ratio(settings.source_lang, settings.lang)
    ratio = len(target) / len(source)
    if ratio < LOW * expected:
        yield (f"the translation is {ratio:.0%} of the source's length ({len(target)} vs {len(source)} characters); "
               "check that nothing is missing")
    elif ratio > HIGH * expected:
        yield (f"the translation is {ratio:.0%} of the source's length ({len(target)} vs {len(source)} characters); "
               "check that nothing was added")


_PROSE_ROLES = re.compile(r"\b(paragraph|title|heading|sentence|prose)\b", re.I)
_NAME_ROLES = re.compile(r"\b(organi[sz]ation|country|name|proper|signatory|person|place)\b", re.I)


def is_prose(entry: Entry, source: str) -> bool:
    """A paragraph or title (by its extracted comment), else any text of four or more words that is not a name."""
    comments = " ".join(entry.extracted_comments)
    if _PROSE_ROLES.search(comments):
        return True
    if _NAME_ROLES.search(comments):
        return False
    origin = provenance.parse(entry.translator_comments)
    if origin is not None and origin.origin in (provenance.CLDR, provenance.SOURCE_NAME):
        return False
    return len(re.findall(r"[^\W\d_]+", source)) >= 4


@check("unchanged", WARNING)
def unchanged(settings: CheckSettings, entry: Entry, pair: Pair) -> Iterator[str]:
    """Prose is left identical to the source

    An engine that failed, or a translator who skipped a paragraph, leaves the French text in place; names of
    organisations and countries may stay as written, paragraphs and titles may not."""
    if settings.primary == settings.source_primary or " ".join(pair.source.split()) != " ".join(pair.target.split()):
        return
    if not re.search(r"[^\W\d_]", pair.source) or not is_prose(entry, pair.source):
        return
    if settings.glossary.exact(pair.source, settings.lang) == pair.target.strip():
        return
    yield f"the translation is identical to the source {q(pair.source)}; translate it"
