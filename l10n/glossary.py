"""The project glossary: terms that must pass through untranslated ("keep"), and preferred translations."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from . import langs
from .config import read_yaml
from .errors import ConfigError


@dataclass(frozen=True)
class KeepTerm:
    """A name that must survive translation; `variants` lists accepted spellings per language (transliterations)."""

    text: str
    variants: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def forms(self, lang: str) -> tuple[str, ...]:
        return (self.text,) + self.variants.get(lang, ())


@dataclass(frozen=True)
class Term:
    """A source expression and the translation each language prefers for it."""

    source: str
    translations: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Glossary:
    keep: tuple[KeepTerm, ...] = ()
    terms: tuple[Term, ...] = ()

    def keep_in(self, text: str) -> list[KeepTerm]:
        """Keep terms present in a source text, longest first so that overlapping names protect the whole."""
        found = [k for k in self.keep if _contains(text, k.text)]
        return sorted(found, key=lambda k: -len(k.text))

    def terms_in(self, text: str, lang: str) -> list[tuple[Term, str]]:
        return [(t, t.translations[lang]) for t in self.terms if lang in t.translations and _contains(text, t.source)]

    def with_variants(self, text: str, lang: str) -> str:
        """Keep terms written in the language's own form ("Alexei Navalny" → es "Alekséi Navalni"): engines copy
        a protected name exactly, so a draft would otherwise show the source spelling."""
        swaps = {k.text: k.variants[lang][0] for k in self.keep
                 if k.variants.get(lang) and k.text not in k.variants[lang]}
        if not swaps:
            return text
        pattern = "|".join(rf"(?<!\w){re.escape(t)}(?!\w)" for t in sorted(swaps, key=len, reverse=True))
        return re.sub(pattern, lambda m: swaps.get(m.group(0), m.group(0)), text)

    def exact(self, text: str, lang: str) -> str | None:
        """A whole segment the glossary translates (a heading such as "Organisation internationale")."""
        for term in self.terms:
            if term.source.casefold() == text.strip().casefold() and lang in term.translations:
                return term.translations[lang]
        for keep in self.keep:
            if keep.text == text.strip():
                return keep.forms(lang)[-1] if keep.variants.get(lang) else keep.text
        return None


def _contains(text: str, term: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(term)}(?!\w)", text, re.IGNORECASE) is not None


def load_glossary(path: Path | None) -> Glossary:
    """Read the YAML glossary; a missing optional file is an empty glossary."""
    if path is None or not path.exists():
        return Glossary()
    raw = read_yaml(path, "invalid glossary YAML", "cannot read glossary") or {}
    if not isinstance(raw, dict) or set(raw) - {"keep", "terms"}:
        raise ConfigError("glossary must be a mapping with the keys 'keep' and 'terms'", path)
    keep = []
    for item in raw.get("keep") or []:
        if isinstance(item, str):
            keep.append(KeepTerm(item))
        elif isinstance(item, dict) and isinstance(item.get("term"), str):
            variants = item.get("variants") or {}
            keep.append(KeepTerm(item["term"], {_tag(k, path): tuple([v] if isinstance(v, str) else v)
                                                for k, v in variants.items()}))
        else:
            raise ConfigError(f"glossary keep entry {item!r} must be a string or a mapping with 'term'", path)
    terms = []
    for source, translations in (raw.get("terms") or {}).items():
        if not isinstance(translations, dict):
            raise ConfigError(f"glossary term {source!r} must map language codes to translations", path)
        terms.append(Term(str(source), {_tag(k, path): str(v) for k, v in translations.items()}))
    return Glossary(tuple(keep), tuple(terms))


def project_glossary(config) -> Glossary:
    """The configured glossary, else l10n/glossary.yaml when the project has one."""
    if config.glossary is not None:
        return load_glossary(config.root / config.glossary)
    default = config.root / "l10n" / "glossary.yaml"
    return load_glossary(default if default.exists() else None)


def _tag(code: str, path: Path) -> str:
    try:
        return langs.canonical(code)
    except ValueError as exc:
        raise ConfigError(f"glossary: {exc}", path) from None
