"""Spelling dictionaries per language: Enchant (PyPI `pyenchant`) over Debian's Hunspell dictionaries.

A BCP 47 tag is mapped to Enchant's tags with langcodes rather than a table: a tag with a region asks for that
region's dictionary; a bare language asks for CLDR's likely region (`pt` → pt_BR, `en` → en_US) and, where it is
installed and different, the language's home-country dictionary (`pt` → pt_PT too), since a bare tag does not choose
one norm over the other. Enchant and its dictionaries are loaded once per process, only when a check asks, and
let go when the checks are done with a language (Hunspell's tables take tens of MB per language)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Dictionary:
    """One language's spelling dictionaries; `known` is true when any of them accepts the word. Answers are kept:
    a catalog repeats its words, and a Hunspell lookup through Enchant is not free."""

    lang: str
    tags: tuple[str, ...]
    _dicts: tuple
    _answers: dict[str, bool] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def known(self, word: str) -> bool:
        answer = self._answers.get(word)
        if answer is None:
            spelt = word.replace("’", "'")
            answer = self._answers[word] = any(d.check(spelt) for d in self._dicts)
        return answer


@dataclass(frozen=True)
class Missing:
    """Why a language has no dictionary here, and what would give it one."""

    lang: str
    reason: str


def _candidates(tag: str) -> list[str]:
    """Regional Enchant tags wanted: `pt-BR` → pt_BR; `pt` → pt_BR (CLDR's likely region) and pt_PT."""
    import langcodes  # its data tables: only when a spelling check runs

    language = langcodes.Language.get(tag)
    base = language.language or tag
    if language.territory:
        return [f"{base}_{language.territory}"]
    likely = language.maximize().territory
    return list(dict.fromkeys(t for t in (f"{base}_{likely}" if likely else "", f"{base}_{base.upper()}") if t))


_loaded: dict[str, Dictionary | Missing] = {}


def dictionary(tag: str) -> Dictionary | Missing:
    """The language's dictionaries, loaded on the first question until `release`."""
    found = _loaded.get(tag)
    if found is None:
        found = _loaded[tag] = _load(tag)
    return found


def release(tag: str) -> None:
    _loaded.pop(tag, None)


def _load(tag: str) -> Dictionary | Missing:
    try:
        import enchant  # loads libenchant: only when a spelling check runs
    except ImportError as exc:
        return Missing(tag, f"Enchant is not available ({exc}); install libenchant-2-2 and hunspell dictionaries")
    import langcodes

    base = langcodes.Language.get(tag).language or tag
    installed = set(enchant.list_languages())
    tags = [t for t in _candidates(tag) if t in installed]
    if not tags:  # another region's (de-AT → de_DE), the language's own (ca, fr), else any region's
        tags = ([t for t in _candidates(base) if t in installed][:1] or ([base] if base in installed else [])
                or sorted(t for t in installed if t.split("_")[0] == base)[:1])
    if not tags:
        return Missing(tag, f"no spelling dictionary for {tag} (install hunspell-{base}, or the hunspell-{base}-… "
                            "package for your region); words are not spell-checked")
    return Dictionary(tag, tuple(tags), tuple(enchant.Dict(t) for t in tags))
