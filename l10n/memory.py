"""Translation memory: reviewed translations from the project's own catalogs and from compendia (PO or TMX),
looked up exactly first, then by fuzzy similarity (rapidfuzz) at or above a threshold."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from . import langs
from . import po as pofile
from . import errors
from .errors import CatalogError, ConfigError


@dataclass
class Memory:
    threshold: int = 85
    units: dict[str, str] = field(default_factory=dict)
    #: sources by length, each with its position in `units` (see _candidates)
    _by_length: dict[int, list[tuple[int, str]]] = field(default_factory=dict, init=False, repr=False,
                                                         compare=False)
    _keys: list[str] = field(default_factory=list, init=False, repr=False, compare=False)
    _indexed: int = field(default=-1, init=False, repr=False, compare=False)

    def add(self, source: str, target: str) -> None:
        if source and target and source not in self.units:
            self.units[source] = target

    def lookup(self, text: str) -> tuple[str, int] | None:
        """(translation, score 0–100); exact matches score 100."""
        if text in self.units:
            return self.units[text], 100
        if not self.units:
            return None
        from rapidfuzz import fuzz, process  # only a lookup past the exact matches needs it

        best = process.extractOne(text, self._candidates(len(text)), scorer=fuzz.ratio,
                                  score_cutoff=self.threshold)
        if best is None:
            return None
        return self.units[best[0]], int(best[1])

    def _candidates(self, n: int) -> list[str]:
        """The sources whose length allows a score at or above the threshold, in `units` order (ties go to the
        first, as before).

        fuzz.ratio is 100 × (1 − indel / (n + m)) and the indel distance is at least |n − m|, so a source of
        length m can only reach t = threshold / 100 when 2·min(n, m) / (n + m) ≥ t. Without this, every lookup
        compared the text with the whole memory: quadratic in the size of the project."""
        if self._indexed != len(self.units):
            self._keys = list(self.units)
            self._by_length = {}
            for position, source in enumerate(self._keys):
                self._by_length.setdefault(len(source), []).append((position, source))
            self._indexed = len(self.units)
        t = self.threshold / 100
        if not 0 < t < 1:
            return self._keys
        low, high = max(int(t * n / (2 - t)) - 1, 0), int(n * (2 - t) / t) + 2  # a margin against rounding
        lengths = [m for m in range(low, high + 1) if m in self._by_length]
        if sum(len(self._by_length[m]) for m in lengths) * 4 > len(self._keys):
            return self._keys  # most of the memory is in range: rapidfuzz is quicker at rejecting the rest
        return [source for _, source in sorted(item for m in lengths for item in self._by_length[m])]


def _tmx_units(path: Path, source: str, target: str) -> list[tuple[str, str]]:
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as exc:
        raise ConfigError(f"cannot read TMX compendium: {exc}", path) from None
    want_src, want_tgt = langs.locale(source).language, langs.locale(target)
    pairs = []
    for tu in root.iter("tu"):
        texts: dict[str, str] = {}
        for tuv in tu.iter("tuv"):
            code = tuv.get("{http://www.w3.org/XML/1998/namespace}lang") or tuv.get("lang") or ""
            seg = tuv.find("seg")
            if seg is not None:
                texts[code.replace("_", "-").lower()] = "".join(seg.itertext())
        src = next((t for c, t in texts.items() if c.split("-")[0] == want_src), None)
        tgt = texts.get(target.lower()) or next((t for c, t in texts.items() if c.split("-")[0] == want_tgt.language),
                                                None)
        if src and tgt:
            pairs.append((src, tgt))
    return pairs


def build_memory(threshold: int, catalogs: list[pofile.Catalog], compendia: list[Path], source: str,
                 target: str) -> Memory:
    """Reviewed entries only: a draft must never seed other drafts."""
    memory = Memory(threshold)
    for po in catalogs:
        for entry in po.active:
            if entry.translated:
                memory.add(entry.msgid, entry.translation)
    for path in compendia:
        if path.suffix.lower() == ".tmx":
            for src, tgt in _tmx_units(path, source, target):
                memory.add(src, tgt)
        else:
            try:
                pairs = pofile.read_compendium(path)
            except CatalogError as exc:  # a compendium only helps: a broken one is skipped, said where it is broken
                errors.warn(f"{exc}; compendium skipped")
                continue
            for src, tgt in pairs:
                memory.add(src, tgt)
    return memory
