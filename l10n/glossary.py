"""The project glossary: terms that must pass through untranslated ("keep"), and preferred translations."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, ClassVar

from pydantic import PlainValidator

from . import errors
from .config import Key, Tag, read_yaml
from .matching import contains, word_pattern
from .schema import EXPECTED, WHOLE, Schema, Text, fail, is_texts, mapping, nested, texts, validate, value

DEFAULT_GLOSSARY = "glossary.yaml"  # at the project root, read when l10n.yaml names none

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

    def keep_in(self, text: str) -> list[KeepTerm]:
        """Keep terms present in a source text, longest first so that overlapping names protect the whole."""
        found = [k for k in self.keep if contains(text, k.text)]
        return sorted(found, key=lambda k: -len(k.text))

    def terms_in(self, text: str, lang: str) -> list[tuple[Term, str]]:
        return [(t, t.translations[lang]) for t in self.terms if lang in t.translations and contains(text, t.source)]

    def with_variants(self, text: str, lang: str) -> str:
        """Keep terms written in the language's own form ("Alexei Navalny" → es "Alekséi Navalni"): engines copy
        a protected name exactly, so a draft would otherwise show the source spelling."""
        swaps = {k.text: k.variants[lang][0] for k in self.keep
                 if k.variants.get(lang) and k.text not in k.variants[lang]}
        if not swaps:
            return text
        pattern = "|".join(word_pattern(t).pattern for t in sorted(swaps, key=len, reverse=True))
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


class _KeepEntry(Schema):
    term: Text
    variants: Annotated[dict[Tag, Spellings], mapping("must map language codes to spellings")] = {}


def _keep(raw: Any) -> tuple[KeepTerm, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise fail(EXPECTED, "expected a list of names (text, or a mapping with 'term' and 'variants')")
    out = []
    for i, item in enumerate(raw):
        if isinstance(item, str):
            out.append(KeepTerm(item))
        elif isinstance(item, dict):
            entry = nested(_KeepEntry, item, ("keep", i))
            out.append(KeepTerm(entry.term, entry.variants))
        else:
            raise fail(WHOLE, f"keep[{i}]: expected a name, or a mapping with 'term' and 'variants'")
    return tuple(out)


class _GlossaryFile(Schema):
    """glossary.yaml: `keep` names (with accepted spellings per language), `terms` source → language → text."""

    not_a_mapping: ClassVar[tuple[str, str]] = (WHOLE, "glossary must be a mapping with the keys 'keep' and 'terms'")

    keep: Annotated[Any, PlainValidator(_keep)] = ()
    terms: Annotated[dict[Key, Annotated[dict[Tag, Text], mapping("must map language codes to translations")]],
                     mapping("must map source expressions to translations")] = {}


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


def glossary_path(config) -> Path | None:
    """The configured glossary, else glossary.yaml at the project root when there is one (beside l10n.yaml, not
    inside a folder named like the Python package). One at the former default place is named in a warning."""
    if config.glossary is not None:
        return config.root / config.glossary
    default = config.root / DEFAULT_GLOSSARY
    if not default.exists() and (config.root / "l10n" / DEFAULT_GLOSSARY).exists():
        errors.warn(f"{config.root / 'l10n' / DEFAULT_GLOSSARY}: not read any more; move it to the project root "
                    f"({DEFAULT_GLOSSARY}) or name it with `glossary:` in l10n.yaml")
    return default if default.exists() else None
