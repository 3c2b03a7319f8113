"""Word-level checks: `spelling` (words the target language's dictionary does not know), `source-words` (words left
in the source language, or in a pivot language, by an engine or a hurried translator) and `dateline` (a place
name an engine translated as a common word).

They catch what machine drafts get wrong most often and what the other checks cannot see: a French word left in
Spanish changes no number, name or punctuation. One analysis per entry feeds both word checks, so a word is
reported once, by the more specific one: a leftover source word is `source-words`, not also `spelling`.

What is never reported: keep terms and their variants, the glossary's translations, the project's accepted words
(`checks.spelling.accept` in l10n.yaml, and `spelling.txt` beside a language's catalogs, one word a line),
URLs, e-mail addresses, hashtags, words with digits, acronyms, names (a capitalised word inside a sentence),
and entries whose translation is the source itself (organisation names kept as they are; `unchanged` judges those).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator, NamedTuple

from .. import provenance
from ..paths import WORDS_FILE
from ..po import Catalog, Entry
from ..glossary import Glossary
from .base import CATALOG, WARNING, CheckSettings, Finding, check, line_of, q
from .dictionary import Dictionary, Missing, dictionary, release

#: The note an engine's draft carries (l10n/pretranslate.py) naming the words the engine did not know.
UNKNOWN_NOTE = "unknown words:"

_WORD = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
# numbers, IK-18, e-mail, hashtags, URLs: a whole run of non-spaces holding one (tried from a run's start only,
# which finds the same runs as trying every position, without scanning the rest of each run again)
_SKIPPED_CHUNK = re.compile(r"(?<!\S)\S*(?:\d|@|#|://|www\.)\S*")
_SENTENCE_END = ".!?…\n"
_OPENERS = " \t\u00a0\u202f\"'«“„‘‚([{¡¿-–—"
_ELISION = 5  # letters of an elided article or preposition: l', d', dell', sull', quest'


class Token(NamedTuple):  # a tuple: a catalog's texts make millions
    word: str
    name_position: bool  # capitalised inside a sentence: a name, in a text that is not all capitals


def shouting(text: str) -> bool:
    """All capitals (a title): case then tells nothing about names."""
    return not any(map(str.islower, text)) and sum(map(str.isupper, text)) >= 4


def tokens(text: str) -> list[Token]:
    masked = _SKIPPED_CHUNK.sub(lambda m: " " * len(m.group(0)), text)
    caps = shouting(text)
    found = []
    for match in _WORD.finditer(masked):
        word = match.group(0).strip("-")
        name = False
        if not caps and word[:1].isupper() and not word.isupper():  # capitalised: a name unless it starts a sentence
            before = match.start() - 1
            while before >= 0 and text[before] in _OPENERS:
                before -= 1
            name = before >= 0 and text[before] not in _SENTENCE_END
        found.append(Token(word, name))
    return found


def acronym(word: str, text_shouts: bool) -> bool:
    return not text_shouts and len(word) >= 2 and word.replace("-", "").isupper()


def engine_unknown(entry: Entry) -> tuple[str, ...]:
    """Words the engine that drafted the entry did not know, from its `unknown words:` note, at every stage of
    a pivot chain (Apertium fr→es→it names the French words and the Spanish words the second pair missed)."""
    found: list[str] = []
    for comment in entry.translator_comments:
        if comment.startswith(provenance.PREFIX) and comment[len(provenance.PREFIX):].startswith(UNKNOWN_NOTE):
            found += [w.strip() for w in comment[len(provenance.PREFIX) + len(UNKNOWN_NOTE):].split(",")]
    return tuple(w for w in found if w)


_PROTECTED: dict[tuple[int, str, frozenset[str]], tuple[Glossary, frozenset[str]]] = {}


def _protected(glossary: Glossary, lang: str, accepted: frozenset[str]) -> frozenset[str]:
    """Case-folded words never reported: keep terms in every accepted form, glossary translations, accepted words.
    Kept per glossary object (a glossary holds dictionaries, so it cannot be an lru_cache key)."""
    key = (id(glossary), lang, accepted)
    known = _PROTECTED.get(key)
    if known is not None and known[0] is glossary:
        return known[1]
    words: set[str] = set(accepted)
    texts = [form for k in glossary.keep for form in (k.text, *k.variants.get(lang, ()))]
    texts += [t.translations[lang] for t in glossary.terms if lang in t.translations]
    for text in texts:
        words.update(t.casefold() for t in _WORD.findall(text))
    if len(_PROTECTED) > 64:
        _PROTECTED.clear()
    _PROTECTED[key] = (glossary, frozenset(words))
    return _PROTECTED[key][1]


@lru_cache(maxsize=16)
def _words_file(path: Path) -> frozenset[str]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return frozenset()
    return frozenset(w.strip().casefold() for w in lines if w.strip() and not w.lstrip().startswith("#"))


def accepted_words(settings: CheckSettings) -> frozenset[str]:
    words = {w.casefold() for w in settings.accept}
    if settings.catalog is not None:
        words |= _words_file(settings.catalog.path.parent / WORDS_FILE)
    return frozenset(words)


@dataclass(frozen=True)
class WordFindings:
    copied: tuple[str, ...]  # source-language words copied unchanged
    leftovers: tuple[str, ...]  # words an engine did not know, left as they came (pivot language included)
    misspelt: tuple[str, ...]


def _known(dic: Dictionary, word: str) -> bool:
    """The dictionary accepts the word, or each part of a compound; an elided article needs no entry (d'Azat)."""
    if dic.known(word) or (word.isupper() and dic.known(word.capitalize())):
        return True
    if "-" in word:
        return all(_known(dic, part) for part in word.split("-") if part)
    for mark in ("'", "’"):
        if mark in word:
            head, _, rest = word.partition(mark)
            return (len(head) <= _ELISION or dic.known(head)) and (not rest or _known(dic, rest))
    return False


def _bare(word: str) -> str:
    """The word after an elided article: "d'Azat" → "Azat", "l'opposant" → "opposant"."""
    if "'" not in word and "’" not in word:
        return word
    for mark in ("'", "’"):
        head, sep, rest = word.partition(mark)
        if sep and len(head) <= _ELISION and rest:
            return rest
    return word


def analyse(lang: str, dic: Dictionary | None, protected: frozenset[str], source: str, target: str,
            unknown: tuple[str, ...]) -> WordFindings:
    """Sort the target's suspicious words into copies of the source, engine leftovers and misspellings."""
    if target.strip() == source.strip():
        return WordFindings((), (), ())
    source_caps, target_caps = shouting(source), shouting(target)
    fold = source_caps or target_caps
    in_source: set[str] = set()
    names: set[str] = set()
    for token in tokens(source):
        word = token.word
        bare = _bare(word)
        in_source.update((word.casefold(), bare.casefold()) if fold else (word, bare))
        if token.name_position:
            names.add(word)
        if bare[:1].isupper() and not source_caps:
            names.add(bare)
    unknown_folded = {u.casefold() for u in unknown}
    copied: list[str] = []
    leftovers: list[str] = []
    misspelt: list[str] = []
    seen: set[tuple[str, bool]] = set()
    for token in tokens(target):
        word = token.word
        if (word, token.name_position) in seen:  # met again where a name could stand or not: judged the same
            continue
        seen.add((word, token.name_position))
        bare = _bare(word)
        if word.casefold() in protected or bare.casefold() in protected or acronym(bare, target_caps):
            continue
        if dic is not None and _known(dic, word):
            continue
        name = token.name_position or (bare != word and bare[:1].isupper() and not target_caps)
        copy = (word.casefold() if fold else word) in in_source or (bare.casefold() if fold else bare) in in_source
        if copy and (bare in names or (name and not source_caps and bare[:1].isupper())):
            continue  # a name written as the source writes it
        flagged = word.casefold() in unknown_folded or bare.casefold() in unknown_folded
        if dic is None:  # without a dictionary only the engine's own word is evidence
            if flagged and copy and not name:
                copied.append(word)
        elif copy:
            copied.append(word)
        elif flagged:
            if not name:
                leftovers.append(word)
        elif not name and not target_caps:  # in capitals, a name looks like any word
            misspelt.append(word)
    unique = lambda words: tuple(dict.fromkeys(words))  # noqa: E731
    return WordFindings(unique(copied), unique(leftovers), unique(misspelt))


def _pair_texts(settings: CheckSettings, entry: Entry) -> list[tuple[str, str]]:
    """(source, translation) pairs, the translation without foreign markup or engine marks (their own checks
    report those)."""
    from .registry import entry_pairs

    return [(pair.source, pair.target) for pair in entry_pairs(settings, entry)]


def _role(entry: Entry) -> str:
    return " ".join(entry.extracted_comments)


def _quoted(words: tuple[str, ...]) -> str:
    return ", ".join(q(w) for w in words)


#: Roles (extracted comments) whose entries are names: organisation names and country headings, which CLDR or
#: the organisation itself spells, and which dictionaries mostly lack ("Benin" in German).
NAME_ROLES = ("organisation", "country")


def _entries(catalog: Catalog) -> list[Entry]:
    """Translated entries, drafts included, but names (an `l10n-ignore` flag silences a check through the runner)."""
    return [e for e in catalog.active if e.has_translation and not _role(e).startswith(NAME_ROLES)]


def _findings(settings: CheckSettings, entry: Entry, dic: Dictionary | None) -> WordFindings:
    """The entry's word findings, worked out once per catalog run: source-words and spelling both read them."""
    # the catalog holds its entries for the whole run
    return settings.once(("words", id(entry), dic is None), lambda: _work_findings(settings, entry, dic))


def _work_findings(settings: CheckSettings, entry: Entry, dic: Dictionary | None) -> WordFindings:
    protected = _protected(settings.glossary, settings.lang, accepted_words(settings))
    unknown = engine_unknown(entry)
    copied: list[str] = []
    leftovers: list[str] = []
    misspelt: list[str] = []
    skip_place = "dateline" in _role(entry)
    for source, target in _pair_texts(settings, entry):
        if skip_place and "," in target:  # the place is the dateline check's business
            head, _, rest = target.partition(",")
            target = " " * len(head) + "," + rest
        found = analyse(settings.lang, dic, protected, source, target, unknown)
        copied += found.copied
        leftovers += found.leftovers
        misspelt += found.misspelt
    unique = lambda words: tuple(dict.fromkeys(words))  # noqa: E731
    return WordFindings(unique(copied), unique(leftovers), unique(misspelt))


def done_with(lang: str) -> None:
    """The checks are done with a language's catalogs: its dictionaries can go."""
    release(lang)


def _engine(entry: Entry) -> str:
    origin = provenance.parse(entry.translator_comments)
    return f" ({origin.detail})" if origin is not None and origin.origin == provenance.MACHINE and origin.detail else ""


@check("spelling", WARNING, CATALOG)
def spelling(settings: CheckSettings, catalog: Catalog) -> Iterator[Finding]:
    """Words of the translation that the target language's dictionary does not know

    Misspellings, and words of a third language an engine passed through, are invisible to every other check;
    checked with Enchant and the Hunspell dictionary of the target language, the way pofilter spell-checks."""
    dic = dictionary(settings.lang)
    entries = _entries(catalog)
    if isinstance(dic, Missing):
        if entries:
            yield Finding(1, dic.reason)  # once per catalog, not once per entry
        return
    from .registry import ignored_checks

    for entry in entries:
        found = _findings(settings, entry, dic)
        words = found.misspelt
        if "source-words" not in settings.enabled or "source-words" in ignored_checks(entry):
            words = found.copied + found.leftovers + words
        if words:
            yield Finding(line_of(entry),
                          f"not in the {settings.lang} dictionary: {_quoted(words)}; correct the spelling, or add the "
                          f"word to checks.spelling.accept (or {catalog.path.parent / WORDS_FILE}) if it is right",
                          entry)


@check("source-words", WARNING, CATALOG)
def source_words(settings: CheckSettings, catalog: Catalog) -> Iterator[Finding]:
    """Words left untranslated: copied from the source, or left by an engine that did not know them

    An engine that does not know a word copies it ("sévices" in Spanish), and in a pivot chain the middle
    language's leftovers reach the target ("encarcelado" in Italian after fr→es→it). Readers meet a foreign word
    in the middle of a sentence; names, keep terms and words the target language shares with the source pass."""
    found_dic = dictionary(settings.lang)
    dic = found_dic if isinstance(found_dic, Dictionary) else None
    for entry in _entries(catalog):
        found = _findings(settings, entry, dic)
        parts = []
        if found.copied:
            parts.append(f"{_quoted(found.copied)} copied from the source ({settings.source_lang})")
        if found.leftovers:
            parts.append(f"{_quoted(found.leftovers)} left untranslated by the engine{_engine(entry)}")
        if parts:
            yield Finding(line_of(entry),
                          "; ".join(parts) + f": not {settings.lang} words; translate them", entry)


# ---------------------------------------------------------------------------------------------------- dateline


@lru_cache(maxsize=64)
def _cldr_cities(source_lang: str, lang: str) -> dict[str, str]:
    """CLDR's exemplar city names (time zone data): source-language name → target-language name."""
    from .. import langs

    try:
        src, tgt = langs.locale(source_lang).time_zones, langs.locale(lang).time_zones
    except ValueError:
        return {}
    cities = {}
    for zone in set(src) | set(tgt):
        # CLDR leaves a city out where it is the zone's own name ("Europe/Paris" in French and English)
        default = zone.rsplit("/", 1)[-1].replace("_", " ")
        cities[src.get(zone, {}).get("city", default).casefold()] = tgt.get(zone, {}).get("city", default)
    return cities


@check("dateline", WARNING, CATALOG)
def dateline(settings: CheckSettings, catalog: Catalog) -> Iterator[Finding]:
    """The dateline's place is translated as a common word, not as a place name

    An engine that does not know a city's name translates it as the word it resembles: Apertium turns "Genève"
    into Italian "Gin" (the drink). The place (the dateline's text before its first comma) passes when it is the
    source's own name, a glossary form, CLDR's name for the city in the target language, or a word the target
    dictionary knows only as a name (capitalised); a place the dictionary knows as a lower-case common word is
    reported."""
    found_dic = dictionary(settings.lang)
    dic = found_dic if isinstance(found_dic, Dictionary) else None
    cities = _cldr_cities(settings.source_lang, settings.lang)
    protected = _protected(settings.glossary, settings.lang, accepted_words(settings))
    for entry in _entries(catalog):
        if "dateline" not in _role(entry):
            continue
        for source, target in _pair_texts(settings, entry):
            if "," not in source or "," not in target:
                continue
            place, target_place = source.partition(",")[0].strip(), target.partition(",")[0].strip()
            if not target_place or target_place.casefold() == place.casefold():
                continue
            cldr = cities.get(place.casefold())
            if cldr is not None and cldr.casefold() == target_place.casefold():
                continue
            words = [t.word for t in tokens(target_place)]
            if not words or all(w.casefold() in protected for w in words):
                continue
            common = dic is not None and all(dic.known(w.lower()) for w in words)
            if common or (cldr is not None and dic is None):
                better = q(cldr) if cldr else f"the city's {settings.lang} name or {q(place)}"
                yield Finding(line_of(entry),
                              f"the place {q(target_place)} (source: {q(place)}) is a common {settings.lang} word, "
                              f"not a place name: an engine translated the city's name; write {better}", entry)
