"""The five states of an entry, decided in this one place for every view (status, dashboard, review sheets,
checks, gates, banners, the index): what a figure says is what this module counted.

- *reviewed*: a translator's text, or a draft a translator accepted;
- *automatic*: terminology the tool filled (CLDR country names, organisation names kept as written, exact
  glossary terms), still exactly as written (its provenance digest matches). A translator's change makes it
  reviewed. It needs no translator, so it counts on neither side of the reviewed share;
- *machine*: an engine's or the memory's draft of the current source text, untouched;
- *fuzzy*: a human translation whose source changed, a translator's own "needs work", or a draft of an older
  source text (which `pretranslate` redrafts);
- *untranslated*: empty (as in msgfmt, even when flagged fuzzy)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from . import provenance
from .po import Entry

REVIEWED, AUTOMATIC, MACHINE, FUZZY, UNTRANSLATED = "reviewed", "automatic", "machine", "fuzzy", "untranslated"
STATES = (REVIEWED, AUTOMATIC, MACHINE, FUZZY, UNTRANSLATED)

#: What each state means to a coordinator, in the order bars stack them.
STATE_LABELS = {REVIEWED: "reviewed", AUTOMATIC: "automatic (names, terms)", MACHINE: "machine, unreviewed",
                FUZZY: "fuzzy (changed, needs work)", UNTRANSLATED: "untranslated"}
#: Okabe–Ito-like colours that stay apart for the common colour-vision deficiencies, with a text colour each that
#: keeps the in-bar numbers readable (WCAG contrast ≥ 4.5).
STATE_COLOURS = {REVIEWED: ("#1b7a3d", "#ffffff"), AUTOMATIC: ("#a9d3f0", "#1a1a1a"),
                 MACHINE: ("#0a5fa8", "#ffffff"), FUZZY: ("#e69f00", "#1a1a1a"), UNTRANSLATED: ("#d5d8dc", "#1a1a1a")}

#: gettext's three counts, as msgfmt --statistics gives them
GETTEXT = ("translated", "fuzzy", "untranslated")


def words(text: str) -> int:
    return len(text.split())


def untouched(entry: Entry) -> provenance.Provenance | None:
    """The entry's provenance while its text is still exactly what the tool wrote; None once a person edited it
    (or when the tool never wrote it)."""
    origin = provenance.parse(entry.translator_comments)
    return origin if origin is not None and origin.matches(entry.translation) else None


def _stale(entry: Entry, origin: provenance.Provenance | None, source: str | None = None) -> bool:
    """Written by the tool for another source text than the entry's: the recorded source digest differs, or
    without one, the merge kept the old source (`#| msgid`). False without an untouched provenance. `source`:
    provenance.digest(entry.msgid), where the caller has it."""
    if origin is None:
        return False
    if origin.source:
        return origin.source != (source if source is not None else provenance.digest(entry.msgid))
    return entry.previous_msgid is not None


def entry_state(entry: Entry) -> str:
    """One of STATES; see the module's docstring."""
    if not entry.translation:
        return UNTRANSLATED
    origin = untouched(entry)
    return _state(entry, origin, _stale(entry, origin))


def _state(entry: Entry, origin: provenance.Provenance | None, stale: bool) -> str:
    """entry_state of a translated entry whose untouched provenance is `origin`, `stale` being _stale()'s
    answer."""
    current = origin is not None and not stale
    if current and origin.origin in provenance.TERMINOLOGY and not entry.fuzzy:
        return AUTOMATIC  # (flagged fuzzy, it is a translator's "needs work")
    if not entry.fuzzy:
        return REVIEWED
    if current and origin.origin in provenance.DRAFTS:
        return MACHINE
    return FUZZY


def stale(entry: Entry) -> bool:
    """A fuzzy text the tool wrote (a draft, or terminology) for an older source text, untouched since: the tool
    writes it again, and no page shows it."""
    return entry.fuzzy and _stale(entry, untouched(entry))


def published(entry: Entry | None, allow_fuzzy: bool) -> str | None:
    """The state under which a page shows this entry's translation, or None when the page shows the source text
    instead: reviewed and automatic text always; with `allow_fuzzy`, drafts and human fuzzy text, but never a
    draft of an older source text."""
    if entry is None or not entry.translation:
        return None
    origin = untouched(entry)  # read once: entry_state and stale both need it
    is_stale = _stale(entry, origin)
    return _shown(entry, _state(entry, origin, is_stale), allow_fuzzy, is_stale)


def _shown(entry: Entry, state: str, allow_fuzzy: bool, stale: bool) -> str | None:
    """published() of an entry in `state`, `stale` being _stale()'s answer."""
    if state in (REVIEWED, AUTOMATIC):
        return state
    if allow_fuzzy and state != UNTRANSLATED and not (entry.fuzzy and stale):
        return state  # MACHINE or FUZZY, not a draft of an older source text
    return None


def gettext_state(entry: Entry) -> str:
    """translated | fuzzy | untranslated, as msgfmt --statistics counts."""
    if not entry.translation:
        return "untranslated"
    return "fuzzy" if entry.fuzzy else "translated"


@dataclass
class Counts:
    """Entries and words of a catalog by state, gettext's own counts, and the machine drafts' confidences."""

    entries: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATES, 0))
    words: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATES, 0))
    gettext: dict[str, int] = field(default_factory=lambda: dict.fromkeys(GETTEXT, 0))
    #: machine drafts by their confidence ("0.82" → how many), for those whose provenance gives one
    confidence: dict[str, int] = field(default_factory=dict)

    def below(self, threshold: float) -> int:
        """Machine drafts whose confidence is under the threshold."""
        return sum(n for value, n in self.confidence.items() if float(value) < threshold - 1e-9)

    @property
    def total_entries(self) -> int:
        return sum(self.entries.values())

    @property
    def total_words(self) -> int:
        return sum(self.words.values())

    @property
    def needed_words(self) -> int:
        """Source words that need a translator: all but automatic terminology."""
        return self.total_words - self.words[AUTOMATIC]

    @property
    def words_left(self) -> int:
        """Source words that need a translator and have no reviewed translation yet."""
        return self.needed_words - self.words[REVIEWED]

    @property
    def percent(self) -> float:
        """Share of the words that need a translator whose translation is reviewed (automatic terminology on
        neither side); 100 when nothing needs a translator."""
        needed = self.needed_words
        return 100.0 * self.words[REVIEWED] / needed if needed else 100.0

    def add(self, entry: Entry, allow_fuzzy: bool = False, source: tuple[str, int] | None = None) -> str | None:
        """Count the entry; what published(entry, allow_fuzzy) says, from the same reading of its provenance.
        `source`: the digest and word count of its msgid, where the caller has them."""
        origin = untouched(entry) if entry.translation else None
        is_stale = _stale(entry, origin, source[0] if source is not None else None)
        state = _state(entry, origin, is_stale) if entry.translation else UNTRANSLATED  # entry_state, read once
        self.entries[state] += 1
        self.words[state] += source[1] if source is not None else words(entry.msgid)
        self.gettext[gettext_state(entry)] += 1
        if state == MACHINE:  # a machine draft is untouched: `origin` is its provenance
            if origin is not None and origin.confidence is not None:
                key = f"{origin.confidence:.2f}"
                self.confidence[key] = self.confidence.get(key, 0) + 1
        return _shown(entry, state, allow_fuzzy, is_stale)


def count(entries: list[Entry]) -> Counts:
    counts = Counts()
    for entry in entries:
        counts.add(entry)
    return counts


def source_facts(texts: Iterable[str]) -> dict[str, tuple[str, int]]:
    """By source text, its provenance digest and word count: what counting needs of each msgid, the same in every
    language's catalog, for a caller that counts several."""
    return {text: (provenance.digest(text), words(text)) for text in texts}


def count_shown(entries: list[Entry], allow_fuzzy: bool, facts: dict[str, tuple[str, int]] | None = None
                ) -> tuple[Counts, dict[tuple[str | None, str], str | None]]:
    """The counts and, by catalog key, published(entry, allow_fuzzy): a build decides each entry's state once for
    the policy's share and for its pages. `facts`: source_facts() of the msgids, where the caller has them."""
    counts = Counts()
    if facts is None:
        return counts, {entry.key: counts.add(entry, allow_fuzzy) for entry in entries}
    return counts, {entry.key: counts.add(entry, allow_fuzzy, facts.get(entry.msgid)) for entry in entries}


__all__ = ["AUTOMATIC", "Counts", "FUZZY", "GETTEXT", "MACHINE", "REVIEWED", "STATES", "STATE_COLOURS",
           "STATE_LABELS", "UNTRANSLATED", "count", "count_shown", "entry_state", "gettext_state", "published",
           "source_facts", "stale", "untouched", "words"]
