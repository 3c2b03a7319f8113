"""Drafts from reviewed sibling languages: which language a draft should come from, and what the other
languages' catalogs say about a segment.

Once a segment's Spanish translation is reviewed, a language Apertium reaches through Spanish (fr→es→it) is
better drafted from that Spanish (es→it): one machine step instead of two, starting from a translator's text.
The chooser ranks the ways to draft a segment by (forced by `pivots:` first, then the number of machine steps)
and keeps the first usable one: the source itself through the configured engines, a sibling's reviewed
translation, or — only for a pivot forced in l10n.yaml — a sibling's untouched machine draft (its steps count
too). A draft already written is redone only when a strictly better way exists, or when the sibling text it
was made from has changed since (its digest is the `via:` word of the provenance), so nothing churns.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from . import provenance
from . import po as pofile
from .po import Entry
from .config import Config
from .digest import file_digest
from .paths import po_path
from .state import entry_state

Key = tuple[str | None, str]
Route = Callable[[str, str, str], tuple[str, ...] | None]  # (engine, source, target) → chain or None

REVIEWED, MACHINE = "reviewed", "machine"
_FROM = re.compile(r"^([A-Za-z0-9-]+)\((reviewed|machine)\)$")


@dataclass(frozen=True)
class SiblingText:
    text: str
    state: str  # reviewed | machine
    confidence: float | None = None
    steps: int = 1  # machine steps behind a machine draft


@dataclass(frozen=True)
class Pivot:
    """A sibling language a target can be drafted from, and the engine that does it."""

    lang: str
    engine: str
    hops: int
    forced: bool


@dataclass(frozen=True)
class Way:
    """How one draft was or would be made: from the source (pivot None) or a sibling, and its rank."""

    pivot: str | None
    state: str  # of what it starts from: the source counts as reviewed
    steps: int  # machine steps, including those behind a machine sibling
    forced: bool = False
    via: str = ""  # digest of the sibling text it starts from

    @property
    def rank(self) -> tuple[int, int]:
        return (0 if self.forced else 1, self.steps)


def recorded_way(origin: provenance.Provenance, forced: str | None) -> Way | None:
    """The way an untouched machine draft was made, read from its provenance (`apertium fr>es>it`,
    `apertium es(reviewed)>it`); None when it says nothing we can compare."""
    if origin.origin != provenance.MACHINE:
        return None
    words = origin.detail.split()
    chain = next((w.split(">") for w in words if ">" in w), [])  # `llm <model> fr>de` too
    if len(chain) < 2:
        return None
    match = _FROM.match(chain[0])
    if match is None:
        return Way(None, REVIEWED, len(chain) - 1)
    lang, state = match.groups()
    steps = len(chain) - 1 + (1 if state == MACHINE else 0)
    via = next((w[4:] for w in words if w.startswith("via:")), "")
    return Way(lang, state, steps, forced=lang == forced, via=via)


def via(text: str) -> str:
    """The digest of a sibling text, as the `via:` word records it."""
    return provenance.digest(text)[:8]


class Siblings:
    """The other languages' catalogs, read once per run and only when asked: reviewed translations and
    untouched machine drafts by entry key."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._texts: dict[str, dict[Key, SiblingText]] = {}
        self.read: dict[str, dict[str, str | None]] = {}  # language → catalog path → digest when read

    def texts(self, lang: str) -> dict[Key, SiblingText]:
        if lang not in self._texts:
            found: dict[Key, SiblingText] = {}
            digests: dict[str, str | None] = {}
            for doc in self.config.documents:
                path = po_path(self.config, lang, doc)
                digests[path.relative_to(self.config.root).as_posix()] = file_digest(path)
                po = pofile.load_or_none(path)
                for entry in po.active if po is not None else ():
                    state = entry_state(entry)
                    if state == REVIEWED:
                        found[entry.key] = SiblingText(entry.translation, REVIEWED)
                    elif state == MACHINE:
                        origin = provenance.parse(entry.translator_comments)
                        if origin is not None and origin.origin == provenance.MACHINE:
                            way = recorded_way(origin, None)
                            found[entry.key] = SiblingText(entry.translation, MACHINE, origin.confidence,
                                                           way.steps if way else 1)
            self._texts[lang] = found
            self.read[lang] = digests
        return self._texts[lang]

    def forget(self, lang: str) -> None:
        """The language's catalogs were just written: read them again if asked."""
        self._texts.pop(lang, None)
        self.read.pop(lang, None)

    def reviewed(self, key: Key, languages: list[str]) -> list[tuple[str, str]]:
        """(language, reviewed translation) of one segment in the given languages."""
        out = []
        for lang in languages:
            sib = self.texts(lang).get(key)
            if sib is not None and sib.state == REVIEWED:
                out.append((lang, sib.text))
        return out


def pivots(config: Config, target: str, engines: tuple[str, ...], route: Route) -> tuple[int | None, list[Pivot]]:
    """(machine steps of the source's own route, the sibling languages worth drafting `target` from, best
    first). A sibling is worth it when forced by `pivots:`, or when one engine reaches the target from it in
    fewer steps than the source's route takes (es→it rather than fr→es→it)."""
    own = next((len(chain) - 1 for name in engines if (chain := route(name, config.source_language, target))),
               None)
    forced = config.pivots.get(target)
    found: list[Pivot] = []
    for lang in config.languages:
        if lang == target:
            continue
        for name in engines:
            chain = route(name, lang, target)
            if chain is None:
                continue
            hops = len(chain) - 1
            if lang == forced or own is None or hops < own:
                found.append(Pivot(lang, name, hops, lang == forced))
            break
    found.sort(key=lambda p: (not p.forced, p.hops))  # stable: config order among equals
    return own, found


def best_way(key: Key, candidates: list[Pivot], siblings: Siblings) -> tuple[Pivot, SiblingText, Way] | None:
    """The best usable sibling draft source for one segment: a reviewed translation, or a forced pivot's
    untouched machine draft."""
    best = None
    for pivot in candidates:
        sib = siblings.texts(pivot.lang).get(key)
        if sib is None or (sib.state != REVIEWED and not pivot.forced):
            continue
        way = Way(pivot.lang, sib.state, pivot.hops + (sib.steps if sib.state == MACHINE else 0), pivot.forced,
                  via(sib.text))
        if best is None or way.rank < best[2].rank:
            best = (pivot, sib, way)
    return best


def improves(way: Way, entry: Entry, forced: str | None) -> bool:
    """Whether drafting an untouched machine draft again this way would be strictly better than how it was made."""
    origin = provenance.parse(entry.translator_comments)
    if origin is None or origin.origin != provenance.MACHINE:
        return False
    before = recorded_way(origin, forced)
    if before is None or way.rank < before.rank:
        return True
    return (way.rank == before.rank and (way.pivot, way.state) == (before.pivot, before.state)
            and way.via != before.via)  # the same sibling, whose text has changed since
