"""The project glossary: terms that must pass through untranslated ("keep"), and preferred translations."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from .config import Tag, read_yaml
from .paths import DEFAULT_GLOSSARY, glossary_path  # noqa: F401  (the glossary's place: paths)
from .schema import (EXPECTED, WHOLE, Key, Schema, Text, build, fail, is_texts, key, mapping, section, texts,
                     validate, value, within)


#: accepted spellings of a kept name in one language: one, or a list
Spellings = value("expected a spelling or a list of spellings", is_texts, texts)


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
    _segments: dict[str, tuple[dict[str, str], dict[str, str]]] = field(default_factory=dict, init=False,
                                                                       repr=False, compare=False)
    #: per source text, the keep terms and expressions it contains (l10n.matching): every language's catalog and
    #: several checks ask about the same sources
    found_in_sources: dict[str, tuple[tuple[KeepTerm, ...], tuple[Term, ...]]] = field(
        default_factory=dict, init=False, repr=False, compare=False)

    def exact(self, text: str, lang: str) -> str | None:
        """A whole segment the glossary translates (a heading such as "Organisation internationale"): its
        expressions in any case, then its kept names as written, the first entry winning. Two dictionaries per
        language, made once: pretranslate asks for every empty entry, a check for every translated one."""
        if lang not in self._segments:
            terms: dict[str, str] = {}
            for term in self.terms:
                if lang in term.translations:
                    terms.setdefault(term.source.casefold(), term.translations[lang])
            keep: dict[str, str] = {}
            for name in self.keep:
                keep.setdefault(name.text, name.forms(lang)[-1] if name.variants.get(lang) else name.text)
            self._segments[lang] = (terms, keep)
        terms, keep = self._segments[lang]
        stripped = text.strip()
        found = terms.get(stripped.casefold())
        return found if found is not None else keep.get(stripped)


@section
class _KeepEntry(Schema):
    """A kept name with the spellings accepted for it per language."""

    term: str = key(Text, required=True)
    variants: dict[str, tuple[str, ...]] = key(mapping(Tag, Spellings, "must map language codes to spellings"), {})


def _keep(raw: Any, context: dict[str, Any]) -> tuple[KeepTerm, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise fail(EXPECTED, "expected a list of names (text, or a mapping with 'term' and 'variants')")
    out = []
    for i, item in enumerate(raw):
        if isinstance(item, str):
            out.append(KeepTerm(item))
        elif isinstance(item, dict):
            entry = within((i,), lambda: build(_KeepEntry, item, context))
            out.append(KeepTerm(entry.term, entry.variants))
        else:
            raise fail(WHOLE, f"keep[{i}]: expected a name, or a mapping with 'term' and 'variants'")
    return tuple(out)


@section
class _GlossaryFile(Schema):
    """glossary.yaml: `keep` names (with accepted spellings per language), `terms` source → language → text."""

    not_a_mapping: ClassVar[tuple[str, str]] = (WHOLE, "glossary must be a mapping with the keys 'keep' and 'terms'")

    keep: tuple[KeepTerm, ...] = key(_keep, ())
    terms: dict[str, dict[str, str]] = key(
        mapping(Key, mapping(Tag, Text, "must map language codes to translations"),
                "must map source expressions to translations"), {})


def load_glossary(path: Path | None) -> Glossary:
    """Read the YAML glossary; a missing optional file is an empty glossary."""
    if path is None or not path.exists():
        return Glossary()
    raw = read_yaml(path, "invalid glossary YAML", "cannot read glossary")
    checked = validate(_GlossaryFile, raw, path, "glossary")
    return Glossary(checked.keep, tuple(Term(source, translations) for source, translations in checked.terms.items()))


def project_glossary(config) -> Glossary:
    """The project's glossary (see glossary_path)."""
    return load_glossary(glossary_path(config))
