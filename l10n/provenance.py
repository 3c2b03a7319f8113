"""Where a translation came from, recorded in a translator comment (`# l10n: …`) that Poedit, Lokalize and Weblate
keep, with a digest of the text written so that a later human edit is recognisable, and for drafts a digest of the
source text they translate, so that a draft of an older source is recognisable too."""

from __future__ import annotations

from dataclasses import dataclass

from .digest import sha256

PREFIX = "l10n: "

CLDR, SOURCE_NAME, MACHINE, MEMORY, GLOSSARY = "cldr", "proper-name", "machine", "memory", "glossary"
#: drafts a translator has to review: an engine's or the memory's
DRAFTS = (MACHINE, MEMORY)
#: terminology the tool fills and nobody needs to translate: CLDR names, names kept as written, glossary terms
TERMINOLOGY = (CLDR, SOURCE_NAME, GLOSSARY)


def digest(text: str) -> str:
    return sha256(text, 12)


@dataclass
class Provenance:
    """What a `# l10n:` comment records: where the text came from, digests of it and of its source, confidence.
    Not frozen, though never changed, like the configuration's sections (schema.section): reading a catalog
    makes one per comment."""

    origin: str
    detail: str = ""
    digest: str = ""
    #: how far the tool trusts a machine draft, 0–1 (l10n/confidence.py says how each engine's is made)
    confidence: float | None = None
    #: digest of the source text the tool translated (`src:`), empty when not recorded
    source: str = ""

    def comment(self) -> str:
        parts = [self.origin] + ([self.detail] if self.detail else [])
        if self.confidence is not None:
            parts.append(f"conf:{self.confidence:.2f}")
        parts += [f"src:{self.source}"] if self.source else []
        parts += [f"sha:{self.digest}"] if self.digest else []
        return PREFIX + " ".join(parts)

    def matches(self, text: str) -> bool:
        """True while the translation is still exactly what the tool wrote."""
        return bool(self.digest) and digest(text) == self.digest


def parse(comments: list[str]) -> Provenance | None:
    for line in comments:
        if line.startswith(PREFIX):
            words = line[len(PREFIX):].split()
            if not words:
                continue
            sha = src = ""
            confidence: float | None = None
            detail = []
            for i, word in enumerate(words):  # the first of each kind counts; any other word after the origin
                kind = word[:4]               # is the detail (an unreadable confidence too)
                if kind == "sha:":
                    sha = sha or word[4:]
                elif kind == "src:":
                    src = src or word[4:]
                elif kind == "conf" and (value := _confidence(word)) is not None:
                    confidence = value if confidence is None else confidence
                elif i:
                    detail.append(word)
            return Provenance(words[0], " ".join(detail), sha, confidence, src)
    return None


def _confidence(word: str) -> float | None:
    """The value of a `conf:0.82` word; None for any other word (an unreadable one stays in the detail)."""
    if not word.startswith("conf:"):
        return None
    try:
        value = float(word[5:])
    except ValueError:
        return None
    return value if 0.0 <= value <= 1.0 else None


def replace(comments: list[str], new: Provenance | None, notes: list[str] = ()) -> list[str]:
    """Swap our own comment lines for new ones, leaving every comment a translator wrote."""
    kept = [c for c in comments if not c.startswith(PREFIX)]
    ours = [new.comment()] if new else []
    ours += [PREFIX + note for note in notes]
    return ours + kept
