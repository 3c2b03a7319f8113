"""The engine interface: a batch of texts in, one result (or None) per text out."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from typing import Protocol

from ..errors import EngineError


class EngineUnavailable(EngineError):
    """The engine cannot serve this run (missing program, pair, key, or it refused our credentials)."""


#: characters that show nothing yet are not whitespace to str.strip(): format controls (U+200B, U+2060, U+FEFF…)
#: are found by category; these are letters or symbols that render blank
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def unusable(source: str, text: str) -> str | None:
    """Why an engine's answer for `source` is no translation (empty, only invisible characters, or far longer
    than any translation of it: 10× + 1,000 characters), else None. The words complete "<engine> …"."""
    if all(c.isspace() or c in _BLANK_LETTERS or unicodedata.category(c) in ("Cc", "Cf", "Zs") for c in text):
        return "returned an empty translation" if not text else "returned only invisible characters"
    if len(text) > 10 * len(source) + 1000:
        return f"returned {len(text):,} characters for {len(source):,}, more than a translation can be"
    return None


@dataclass(frozen=True)
class Translation:
    text: str
    engine: str
    chain: tuple[str, ...]  # languages the text went through, source first: ("fr", "es", "en")
    unknown: tuple[str, ...] = ()  # words the engine did not know (Apertium's * marks), for the translator


@dataclass
class BatchResult:
    """Per-text results in input order; None where the engine gave nothing usable, with the reason in `errors`."""

    results: list[Translation | None]
    errors: dict[int, str] = field(default_factory=dict)
    calls: int = 0  # processes started or HTTP requests made, so tests and reports can count them


class Engine(Protocol):
    name: str

    def cache_key(self) -> str:
        """The engine's name and every setting that changes its output (not secrets)."""

    def route(self, source: str, target: str) -> tuple[str, ...] | None:
        """The language chain this engine would use, or None when it cannot translate the pair."""

    def unavailable_reason(self, source: str, target: str) -> str:
        """Why route() is None, and what would enable it (a package to install, a key to set)."""

    def translate(self, texts: list[str], source: str, target: str, keep: list[str] | None = None) -> BatchResult:
        """Translate a batch; `keep` lists terms that must come out exactly as they went in."""
