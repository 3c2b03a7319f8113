"""Translation memory: reviewed translations from the project's own catalogs and from compendia (PO or TMX),
looked up exactly first, then by fuzzy similarity (rapidfuzz) at or above a threshold."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz, process

from . import catalog, langs
from .errors import ConfigError


@dataclass
class Memory:
    threshold: int = 85
    units: dict[str, str] = field(default_factory=dict)

    def add(self, source: str, target: str) -> None:
        if source and target and source not in self.units:
            self.units[source] = target

    def lookup(self, text: str) -> tuple[str, int] | None:
        """(translation, score 0–100); exact matches score 100."""
        if text in self.units:
            return self.units[text], 100
        if not self.units:
            return None
        best = process.extractOne(text, self.units.keys(), scorer=fuzz.ratio, score_cutoff=self.threshold)
        if best is None:
            return None
        return self.units[best[0]], int(best[1])


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


def build_memory(threshold: int, catalogs: list[catalog.Catalog], compendia: list[Path], source: str,
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
            for src, tgt in catalog.read_compendium(path):
                memory.add(src, tgt)
    return memory
