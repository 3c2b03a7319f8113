"""Things an engine or a hostile contributor can slip into a translation: leftover engine marks, markup (HTML
tags, scripts, event handlers, javascript: links, Markdown links) the published page would render, and
bidirectional controls that make text display otherwise than it reads."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

from ..po import Entry
from .base import ERROR, CheckSettings, Pair, check, q

# ---------------------------------------------------------------------------------------------------- markup


@dataclass(frozen=True)
class Markup:
    key: str          # what is compared with the source: "<script>", "<b>", "onerror=", "javascript:", a link URL
    text: str         # as written
    start: int
    end: int
    replacement: str  # what the other checks see instead (a Markdown link keeps its text)
    kind: str


_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("script", re.compile(r"<script\b[^>]*>.*?(?:</script\s*>|$)", re.I | re.S)),
    ("comment", re.compile(r"<!--.*?(?:-->|$)", re.S)),
    ("tag", re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>]*)?/?>")),
    ("link", re.compile(r"!?\[([^\]\n]*)\]\(([^()\s]*(?:\([^()\s]*\)[^()\s]*)*)(?:\s+\"[^\"]*\")?\)")),
    ("handler", re.compile(r"(?<![\w-])(on[a-z]{3,})\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+)", re.I)),
    ("scheme", re.compile(r"(?<![\w-])(javascript|vbscript|data)\s*:(?:[^\s\"'<>]*[^\s\"'<>.,;:!?])?", re.I)),
]


#: a character each pattern cannot match without, so that most texts skip most patterns
_TRIGGERS = {"script": "<", "comment": "<", "tag": "<", "link": "]", "handler": "=", "scheme": ":"}


def markup_in(text: str) -> list[Markup]:
    """Markup in a text, the first pattern winning where two overlap (a handler inside a tag is the tag)."""
    return list(_markup_in(text))


@lru_cache(maxsize=1 << 16)
def _markup_in(text: str) -> tuple[Markup, ...]:
    """Cached: several checks and the word checks' cleaning ask about the same entry's texts, and every language's
    entry about the same source text (as many texts as numbers_in keeps, so a large catalog does not empty it)."""
    found: list[Markup] = []
    for kind, pattern in _PATTERNS:
        if _TRIGGERS[kind] not in text:
            continue
        for match in pattern.finditer(text):
            if any(m.start < match.end() and match.start() < m.end for m in found):
                continue
            if kind == "scheme" and match.group(1).lower() == "data" and "text/html" not in match.group(0).lower():
                continue
            if kind == "script":
                key, replacement = "<script>", ""
            elif kind == "comment":
                key, replacement = "<!--", ""
            elif kind == "tag":
                key, replacement = ("</" if match.group(0).startswith("</") else "<") + match.group(1).lower() + ">", ""
            elif kind == "link":
                key, replacement = f"]({match.group(2)})", match.group(1)
            elif kind == "handler":
                key, replacement = match.group(1).lower() + "=", ""
            else:
                key, replacement = match.group(1).lower() + ":", ""
            found.append(Markup(key, match.group(0), match.start(), match.end(), replacement, kind))
    return tuple(sorted(found, key=lambda m: m.start))


def foreign_markup(source: str, target: str) -> list[Markup]:
    """Markup of the translation the source does not have (by kind and name, so translated link text is fine)."""
    found = markup_in(target)
    if not found:
        return []
    allowed = Counter(m.key for m in markup_in(source))
    foreign = []
    for item in found:
        if allowed[item.key] > 0:
            allowed[item.key] -= 1
        else:
            foreign.append(item)
    return foreign


def _remove(text: str, spans: list[tuple[int, int, str]]) -> str:
    """Replace spans, without leaving a double space or a space before punctuation where one was cut out."""
    out = ""
    position = 0
    for start, end, replacement in sorted(spans):
        left, right = out + text[position:start], text[end:]
        if not replacement and left.endswith((" ", "\u00a0")) and (not right or right[0].isspace()
                                                                   or right[0] in ".,;:!?)]»”"):
            left = left.rstrip(" \u00a0")
        out, position = left + replacement, end
    return out + text[position:]


def strip_foreign_markup(source: str, target: str) -> str:
    return _remove(target, [(m.start, m.end, m.replacement) for m in foreign_markup(source, target)])


_DESCRIPTIONS = {"script": "a script", "comment": "an HTML comment", "tag": "the HTML tag", "link": "the Markdown link",
                 "handler": "the event handler", "scheme": "the script link"}


@check("markup", ERROR)
def markup(settings: CheckSettings, entry: Entry, pair: Pair) -> Iterator[str]:
    """Translation contains markup the source does not have

    Published pages render the translation as HTML or Markdown: an injected `<script>`, an `onerror=` handler,
    a `javascript:` link or a Markdown link would run or point readers somewhere the authors never chose."""
    for item in foreign_markup(pair.source, pair.raw):
        yield (f"the translation contains {_DESCRIPTIONS[item.kind]} {q(item.text)}, which the source does not "
               "have; remove it" + (" (keep only the link text)" if item.kind == "link" else ""))


# ---------------------------------------------------------------------------------------------------- bidi controls

#: embeddings and overrides (U+202A–U+202E) and isolates (U+2066–U+2069): the "Trojan Source" characters
BIDI_CONTROLS = {chr(c): name for c, name in zip(
    [*range(0x202A, 0x202F), *range(0x2066, 0x206A)],
    ["LRE", "RLE", "PDF", "LRO", "RLO", "LRI", "RLI", "FSI", "PDI"])}


@check("bidi", ERROR)
def bidi(settings: CheckSettings, entry: Entry, pair: Pair) -> Iterator[str]:
    """Translation has bidirectional controls the source does not have

    An override or an isolate reorders what is displayed after it: a reviewer, the review sheet and the
    published page then show text in another order than the one it is stored and read in ("Trojan Source").
    Right-to-left languages need none of them in prose; the Unicode algorithm orders their text by itself."""
    if not any(c in pair.raw for c in BIDI_CONTROLS):  # most translations: one pass per control, in C
        return
    allowed = Counter(c for c in pair.source if c in BIDI_CONTROLS)
    found = Counter(c for c in pair.raw if c in BIDI_CONTROLS)
    extra = found - allowed
    if extra:
        shown = ", ".join(f"U+{ord(c):04X} {BIDI_CONTROLS[c]}" + (f" ×{n}" if n > 1 else "")
                          for c, n in sorted(extra.items()))
        yield f"the translation contains bidirectional controls the source does not have ({shown}); remove them"


# ---------------------------------------------------------------------------------------------------- engine marks

# A mark glued to the start of a word: "*Kharp", "@Azat", "#prison"; not e-mail addresses, "C#" or "&#39;".
_MARK = re.compile(r"(?<![\w*@#&/])([*@#]+)([^\W_]\w*(?:-\w+)*)")


def _marks(text: str) -> list[re.Match[str]]:
    if "*" not in text and "@" not in text and "#" not in text:  # most texts: no mark can start
        return []
    return list(_MARK.finditer(text))


def foreign_marks(source: str, target: str) -> list[re.Match[str]]:
    """Marked words of the translation that the source does not have ("#FREE120" in both is a hashtag)."""
    known = {m.group(0).casefold() for m in _marks(source)}
    emphasis = re.search(r"\*[^\W_][^*\n]*\*", source) is not None
    foreign = []
    for match in _marks(target):
        if match.group(0).casefold() in known:
            continue
        closing = target[match.end():match.end() + len(match.group(1))]
        if emphasis and match.group(1).startswith("*") and closing == match.group(1):
            continue  # Markdown emphasis the source uses too: "*palabra*"
        foreign.append(match)
    return foreign


def strip_foreign_marks(source: str, target: str) -> str:
    return _remove(target, [(m.start(1), m.end(1), "") for m in foreign_marks(source, target)])


@check("mt-marks", ERROR)
def mt_marks(settings: CheckSettings, entry: Entry, pair: Pair) -> Iterator[str]:
    """Translation has leftover machine-translation marks

    Engines flag words they could not translate with a leading * (Apertium) or leave @ and # prefixes; glued to
    a word and absent from the source, they are debris the reader should never see."""
    marks = foreign_marks(pair.source, pair.raw)
    if len(marks) == 1:
        yield (f"{q(marks[0].group(0))} looks like a leftover machine-translation mark; remove the "
               f"{q(marks[0].group(1))} and check the word")
    elif marks:  # one finding per entry: an engine that marks unknown words usually marks many
        shown = ", ".join(q(m.group(0)) for m in marks[:5]) + (", …" if len(marks) > 5 else "")
        chars = "".join(dict.fromkeys(c for m in marks for c in m.group(1)))
        yield (f"{len(marks)} words carry leftover machine-translation marks ({shown}); remove the "
               f"{q(chars)} and check each word")


def clean_target(source: str, target: str) -> str:
    """The translation as the other checks should judge it: without foreign markup and engine marks."""
    return strip_foreign_marks(source, strip_foreign_markup(source, target))
