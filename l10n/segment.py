"""Sentence segmentation and its inverse: split a paragraph so that joining the parts restores it exactly."""

from __future__ import annotations

import re

# Words that end with a full stop without ending a sentence (French and the languages signatories write in).
ABBREVIATIONS = frozenset(
    """m mm mme mmes mlle mlles dr pr me st ste cf etc ex p pp vol no nos art av bd env min max
    mr mrs ms prof jr sr vs st inc ltd co corp dept univ approx fig ca e.v eg ie
    nr bzw usw z.b u.a d.h s.o ggf vgl""".split()
)

# A candidate boundary: terminal punctuation (French puts a space before ! and ?), closing quotes or brackets,
# then whitespace, then something that can start a sentence. A match starts only where a run of punctuation
# starts, and takes the run whole: a long run ("……" ×1000) is then read once, not once per position.
_BOUNDARY = re.compile(
    r"""(?<![.!?…])(?P<end>[.!?…]++(?:\s?[»"”’)\]])*)(?P<space>\s+)(?=[«"“‘(\[¿¡]?\s?[\w])""",
)
# What separates the word before a full stop from the text before it.
_TOKEN_START = frozenset(" \t\n\r\f\v(«\"“")


def _last_token(text: str, start: int, end: int) -> str:
    """The word that ends at `end` (not before `start`), found by walking back from the end: each boundary reads
    only its own word, so a paragraph of 30,000 abbreviations costs its length, not its length squared."""
    begin = end
    while begin > start and text[begin - 1] not in _TOKEN_START and not text[begin - 1].isspace():
        begin -= 1
    return text[begin:end]


def _is_abbreviation(token: str) -> bool:
    """True when the word before a full stop is an abbreviation, an initial, a day number or a dotted acronym."""
    if not token:
        return False
    bare = token.rstrip(".").lower()
    if bare in ABBREVIATIONS:
        return True
    if "." in bare:  # e.V, U.S, z.B: dotted abbreviations
        return all(len(part) <= 3 for part in bare.split("."))
    if bare.isdigit() and len(bare) <= 2:  # a day or an ordinal: "21. Mai", "1. Mai"
        return True
    return len(token) == 1 and token.isalpha() and token.isupper()  # an initial: "A. Miftakhov"


def split_sentences(text: str) -> list[tuple[str, str]]:
    """Split into (sentence, following whitespace) pairs; `join_sentences` restores the input exactly."""
    parts: list[tuple[str, str]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.group("end")
        following = text[match.end():match.end() + 1]
        if end == "." and _is_abbreviation(_last_token(text, start, match.start())):
            continue
        if end == "." and not following.isupper() and following not in "«\"“(¿¡":
            continue  # "2019. et" or a lower-case continuation is not a new sentence
        parts.append((text[start:match.start("space")], match.group("space")))
        start = match.end()
    parts.append((text[start:], ""))
    return [p for p in parts if p[0] or p[1]]


def join_sentences(parts: list[tuple[str, str]]) -> str:
    return "".join(sentence + space for sentence, space in parts)
