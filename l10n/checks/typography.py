"""Typography: end punctuation, spacing before : ; ! ?, balanced brackets and quotes, stray whitespace."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator

from ..po import Entry
from . import locale_rules
from .base import WARNING, CheckSettings, Pair, check, q

# ---------------------------------------------------------------------------------------------------- punctuation

PERIOD, QUESTION, EXCLAMATION, COLON, ELLIPSIS = "full stop", "question mark", "exclamation mark", "colon", "ellipsis"
_END_CLASSES = {
    # Latin, CJK fullwidth and ideographic, Devanagari danda, Urdu, Armenian, Ethiopic, Myanmar, Khmer, Tibetan,
    # Canadian syllabics, Vai/Lisu, Syriac full stops
    **dict.fromkeys(".。．｡।۔։።။។།᙮꓿܂", PERIOD),
    **dict.fromkeys("?？؟՞፧", QUESTION),
    **dict.fromkeys("!！՜", EXCLAMATION),
    **dict.fromkeys(":：", COLON),
    "…": ELLIPSIS,
}
_CLOSERS = "»”’\"')]}›」』）】"
#: Scripts that may end a sentence without a mark.
_OPTIONAL_END = frozenset({"th", "lo"})


def end_mark(text: str, lang: str) -> tuple[str, str] | None:
    """(mark as written, class) of a text's final punctuation, looking through closing quotes and brackets."""
    stripped = text.rstrip().rstrip(_CLOSERS + " \u00a0\u202f").rstrip()
    if not stripped:
        return None
    if stripped.endswith("..."):
        return "...", ELLIPSIS
    last = stripped[-1]
    if last in (";", "\u037e") and lang == "el":
        return last, QUESTION  # the Greek question mark
    kind = _END_CLASSES.get(last)
    return (last, kind) if kind else None


def _equivalent(source: str, target: str, lang: str) -> bool:
    if source == target:
        return True
    # Armenian marks a question or exclamation on the stressed word and ends the sentence with "։".
    return lang == "hy" and target == PERIOD and source in (QUESTION, EXCLAMATION)


_SPACE = "[ \u00a0\u202f\u2009]"


@check("punctuation", WARNING)
def punctuation(settings: CheckSettings, entry: Entry, pair: Pair) -> Iterator[str]:
    """End punctuation or spacing before : ; ! ? differs from the source's conventions

    A paragraph that loses its final full stop or turns a "!" into "." changes the tone; French puts a (narrow)
    no-break space before : ; ! ? while English, Spanish, German and most others must not."""
    source_end = end_mark(pair.source, settings.source_primary)
    target_end = end_mark(pair.target, settings.primary)
    if pair.source.rstrip()[-1:] == pair.target.rstrip()[-1:]:
        pass  # ends as the source does (a Greek ";" copied from a French ";" is no question mark)
    elif source_end and not target_end:
        if settings.primary not in _OPTIONAL_END:
            yield f"the source ends with {q(source_end[0])} but the translation has no end punctuation; add it"
    elif target_end and not source_end:
        yield (f"the translation ends with {q(target_end[0])} but the source has no end punctuation; "
               "end it like the source")
    elif source_end and target_end and not _equivalent(source_end[1], target_end[1], settings.primary):
        yield (f"the source ends with a {source_end[1]} ({q(source_end[0])}) but the translation with "
               f"{q(target_end[0])}; end it the same way")
    yield from _spacing(settings, pair.source, pair.target)
    yield from locale_rules.punctuation(settings, pair)


def _words_before(text: str, index: int, words: int = 1) -> int:
    """Where the `words` words before `index` start (spaces between them included)."""
    start = index
    for _ in range(words):
        while start > 0 and text[start - 1].isspace():
            start -= 1
        while start > 0 and not text[start - 1].isspace():
            start -= 1
    return start


def _copied(source: str, target: str, match: re.Match[str]) -> bool:
    """The spot is copied from the source (a name written with French spacing): not the translator's typography."""
    return target[_words_before(target, match.start()):match.end()] in source


def _spacing(settings: CheckSettings, source: str, target: str) -> Iterator[str]:
    if settings.primary == "fr":
        marks = ":" if settings.lang.upper().endswith("-CA") else ":;!?"
        # Missing space: the mark directly after a word, and followed by a space or the end (not "10:30", URLs).
        missing = [m for m in re.finditer(rf"(?<=[^\s!?;:])([{marks}])(?=\s|$|[»”\"])", target)
                   if not _copied(source, target, m)]
        if missing:
            where = _context(target, missing[0].start())
            yield (f"French needs a no-break space before {q(missing[0].group(1))} in {q(where)}"
                   + (f" ({len(missing)} places)" if len(missing) > 1 else "") + "; add one (U+202F or U+00A0)")
        return
    if settings.primary == "el":
        marks = ":!?"
    else:
        marks = ":;!?"
    spaced = [m for m in re.finditer(rf"(?<=\S){_SPACE}+([{marks}؟])(?=\s|$|[{re.escape(_CLOSERS)}])", target)
              if not _copied(source, target, m)]
    if spaced:
        where = _context(target, spaced[0].start(1))
        yield (f"remove the space before {q(spaced[0].group(1))} in {q(where)}"
               + (f" ({len(spaced)} places)" if len(spaced) > 1 else "") + f": {settings.lang} does not use one")


def _context(text: str, index: int) -> str:
    """The two words before a punctuation mark, and the mark."""
    return text[_words_before(text, index, 2):index + 1].strip()


# ---------------------------------------------------------------------------------------------------- brackets

_PAIRS = [("(", ")"), ("[", "]"), ("{", "}"), ("«", "»")]
_DOUBLE_CURLY = "„“”"  # English “…”, German „…“, Polish „…”, Swedish ”…”: balanced when their count is even
_SINGLE_CURLY = "‚‘"


@lru_cache(maxsize=None)
def _bracket_chars(opener: str, closer: str) -> re.Pattern[str]:
    return re.compile(f"[{re.escape(opener)}{re.escape(closer)}]")


def _bracket_problem(text: str, opener: str, closer: str) -> str | None:
    if opener not in text and closer not in text:
        return None  # the common case, decided in C rather than character by character
    depth = 0
    for char in _bracket_chars(opener, closer).findall(text):  # the pair's characters in order, not every one
        if char == opener:
            depth += 1
        elif char == closer:
            depth -= 1
            if depth < 0:
                return f"{q(closer)} comes before its {q(opener)}"
    if depth:
        return f"{text.count(opener)} {q(opener)} but {text.count(closer)} {q(closer)}"
    return None


def _single_quotes(text: str) -> int:
    """Single curly quotes, not counting ’ used as an apostrophe (between letters: l’arrêt, don’t)."""
    count = sum(text.count(c) for c in _SINGLE_CURLY)
    count += len(re.findall(r"’(?![^\W_])|(?<![^\W_])’", text))
    return count


def quote_problems(text: str) -> dict[str, str]:
    """Unbalanced groups of a text: group name → what is wrong with it."""
    problems = {}
    for opener, closer in _PAIRS:
        if opener == "«":
            if text.count("«") != text.count("»"):
                problems["«»"] = f"{text.count('«')} \"«\" but {text.count('»')} \"»\""
            continue
        problem = _bracket_problem(text, opener, closer)
        if problem:
            problems[opener + closer] = problem
    double = sum(text.count(c) for c in _DOUBLE_CURLY)
    if double % 2:
        problems["“”"] = f"an odd number ({double}) of curly double quotes"
    if any(c in text for c in _SINGLE_CURLY) and _single_quotes(text) % 2:
        problems["‘’"] = "an unmatched single curly quote"
    if text.count('"') % 2:
        problems['"'] = f"an odd number ({text.count(chr(34))}) of straight double quotes"
    return problems


@check("brackets-quotes", WARNING)
def brackets_quotes(settings: CheckSettings, entry: Entry, pair: Pair) -> Iterator[str]:
    """Brackets or quotes are unbalanced in the translation

    An unclosed parenthesis or quotation swallows the rest of the paragraph for the reader; only reported when
    the source itself is balanced, so quoting styles may differ between languages."""
    source = quote_problems(pair.source)
    for group, problem in quote_problems(pair.target).items():
        if group not in source:
            yield f"the translation has {problem}; balance the {group} pair as in the source"
    yield from locale_rules.quotes(settings, pair)


# ---------------------------------------------------------------------------------------------------- whitespace

_HSPACE = " \t\u00a0\u202f\u2009\u3000"


def _leading(text: str) -> str:
    return re.sub(f"[{_HSPACE}]", " ", text[: len(text) - len(text.lstrip(_HSPACE))])


def _trailing(text: str) -> str:
    return re.sub(f"[{_HSPACE}]", " ", text[len(text.rstrip(_HSPACE)):])


def _double_spaces(text: str) -> list[re.Match[str]]:
    return list(re.finditer(rf"(?<=\S)[{_HSPACE}]{{2,}}(?=\S)", text))


@check("whitespace", WARNING)
def whitespace(settings: CheckSettings, entry: Entry, pair: Pair) -> Iterator[str]:
    """Leading, trailing or double spaces differ from the source

    Stray spaces show up as gaps or misaligned text in the published page and are invisible in most editors.
    (Leading and trailing newlines are po-valid's business, since msgfmt rejects them.)"""
    source, target = pair.source.strip("\n"), pair.target.strip("\n")
    for edge, get in (("starts", _leading), ("ends", _trailing)):
        want, have = get(source), get(target)
        if want == have:
            continue
        if not want:
            yield f"the translation {edge} with whitespace {q(have)} the source does not have; remove it"
        elif not have:
            yield f"the source {edge} with whitespace {q(want)}; the translation should too"
        else:
            yield f"the translation {edge} with {len(have)} space(s) but the source with {len(want)}; match it"
    doubles = _double_spaces(target)
    if len(doubles) > len(_double_spaces(source)):
        first = doubles[0]
        where = target[max(0, first.start() - 12):first.end() + 12].strip()
        yield f"the translation has a double space in {q(where)}; use a single space"
