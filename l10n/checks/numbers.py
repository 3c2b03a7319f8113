"""numbers: every number of the source (years, dates, temperatures, prison numbers) must reach the translation."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

from ..po import Entry
from .base import ERROR, CheckSettings, Pair, check, q
from .terms import missing_keep_terms

_POINTS = ".,\u066b\u066c"  # full stop, comma, Arabic decimal and thousands separators
# A sign only where a word does not precede it: "-50°C", "−50 °C", but not "IK-18" or "2019-2020".
_NUMBER = re.compile(
    r"(?P<sign>(?<![\w.,])[-\u2212\u2013\u2011\u2012](?=\d))?"
    r"(?P<body>\d+(?:(?:[.,\u066b\u066c'\u2019]|[ \u00a0\u202f\u2009](?=\d{3}(?!\d)))\d+)*)"
)
_SEPARATOR = re.compile(r"(\D)")
_EDGE_PUNCTUATION = "()[]{}«»\"“”„‘’'.,;:!?¿¡…"
_UNIT = re.compile(r"\s?°\s?[CF]?|\s?%")


@dataclass(frozen=True)
class Number:
    """A number as written, and the values it can stand for ("1.000" is a thousand or one, by locale)."""

    readings: frozenset[str]
    shown: str
    start: int
    end: int


def _ascii_digits(text: str) -> str:
    return "".join(str(unicodedata.decimal(c)) for c in text)


def _integer(digits: str, sign: str) -> str:
    value = str(int(digits))
    return value if not sign or value == "0" else "-" + value


def _readings(groups: list[str], separators: list[str], sign: str) -> set[str]:
    """Every locale reading of a grouped or decimal number; empty when it is neither (a dotted date)."""
    if not separators:
        return {_integer(groups[0], sign)}
    readings = set()
    points = {s for s in separators if s in _POINTS}
    grouped = lambda parts: 1 <= len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:])  # noqa: E731
    if grouped(groups) and len(points) <= 1:
        readings.add(_integer("".join(groups), sign))
    last = separators[-1]
    if last in _POINTS and last not in separators[:-1]:
        whole = groups[:-1]
        if len(whole) == 1 or grouped(whole):
            readings.add(_integer("".join(whole), sign) + "." + groups[-1])
    return readings


def _shown(text: str, start: int, end: int) -> str:
    """The word around a number, for messages: "IK-18", "-50°C", "2019"."""
    left = start
    while left > 0 and not text[left - 1].isspace():
        left -= 1
    right = end
    while right < len(text) and not text[right].isspace():
        right += 1
    word = text[left:right]
    prefix = len(word) - len(word.lstrip(_EDGE_PUNCTUATION))
    word = word.strip(_EDGE_PUNCTUATION)
    if word and left + prefix + len(word) == end:
        unit = _UNIT.match(text, end)
        if unit:
            word += unit.group(0)
    return word or text[start:end]


def numbers_in(text: str) -> list[Number]:
    """Numbers of a text in order; one that is no grouped or decimal number ("03.05.2026") counts part by part."""
    return list(_numbers_in(text))


@lru_cache(maxsize=1 << 16)
def _numbers_in(text: str) -> tuple[Number, ...]:
    """Cached: every language's entry is checked against the same source text."""
    found = []
    for match in _NUMBER.finditer(text):
        sign = "-" if match.group("sign") else ""
        raw = match.group("body")
        # ASCII digits are their own value: only other scripts' digits need converting
        body = raw if raw.isascii() else "".join(_ascii_digits(c) if c.isdigit() else c for c in raw)
        pieces = _SEPARATOR.split(body)
        groups, separators = pieces[0::2], pieces[1::2]
        readings = _readings(groups, separators, sign)
        if readings:
            found.append(Number(frozenset(readings), _shown(text, match.start(), match.end()), match.start(),
                                match.end()))
            continue
        for index, part in enumerate(re.finditer(r"\d+", match.group("body"))):
            start, end = match.start("body") + part.start(), match.start("body") + part.end()
            found.append(Number(frozenset({_integer(_ascii_digits(part.group()), sign if index == 0 else "")}),
                                part.group(), start, end))
    return tuple(found)


@check("numbers", ERROR)
def numbers(settings: CheckSettings, entry: Entry, pair: Pair) -> Iterator[str]:
    """A number of the source is missing or changed in the translation

    A wrong year, date or temperature is a factual error readers cannot spot; numbers are compared by value, so
    locale digit grouping, a decimal comma, "−50 °C" for "-50°C" and leading zeros ("03" for "3") are accepted."""
    source, target = numbers_in(pair.source), numbers_in(pair.target)
    unmatched_target = list(target)
    unmatched_source = []
    for number in source:
        partner = next((t for t in unmatched_target if t.readings & number.readings), None)
        if partner is None:
            unmatched_source.append(number)
        else:
            unmatched_target.remove(partner)
    if "keep-terms" in settings.enabled and unmatched_source:
        # "IK-18" missing is the keep-terms check's finding; do not report its 18 a second time.
        spans = [s for _, _, term_spans in missing_keep_terms(settings, pair.source, pair.target) for s in term_spans]
        kept = [n for n in unmatched_source if not any(a <= n.start and n.end <= b for a, b in spans)]
        dropped = len(unmatched_source) - len(kept)
        unmatched_source = kept
        glued = [t for t in unmatched_target if re.search(r"[^\W\d_]", t.shown)][:dropped]
        unmatched_target = [t for t in unmatched_target if t not in glued]
    for index in range(max(len(unmatched_source), len(unmatched_target))):
        old = unmatched_source[index] if index < len(unmatched_source) else None
        new = unmatched_target[index] if index < len(unmatched_target) else None
        if old and new:
            yield f"{q(old.shown)} from the source is missing; the translation has {q(new.shown)}"
        elif old:
            yield f"{q(old.shown)} from the source is missing; add it to the translation"
        elif new:
            yield f"the translation has {q(new.shown)}, which is not in the source; check the number"
