"""The writer lays out a long string once for catalogs written one after another (each language's catalog repeats
the msgids of the one before), and keeps no more than the last write's layouts: a command that writes every
language's catalog does not hold every catalog's strings afterwards (l10n/po/layout.py, _Layouts)."""

from __future__ import annotations

from pathlib import Path

import pytest

from l10n import po as pofile
from l10n.po import Catalog, Entry, layout

SOURCES = [f"{'Une phrase assez longue pour passer à la ligne, ' * 2}numéro {n}." for n in range(4)]


def catalog(lang: str) -> Catalog:
    return Catalog(path=Path(f"{lang}.po"),
                   header=Entry(msgid="", msgstr=f"Language: {lang}\nContent-Type: text/plain; charset=UTF-8\n"),
                   entries=[Entry(msgid=text, msgstr=f"{lang}: {text}") for text in SOURCES])


@pytest.fixture
def laid_out(monkeypatch) -> list[str]:
    """The strings libunistring lays out, as they are laid out; no layouts kept from an earlier test."""
    seen: list[str] = []
    real = layout._laid_out

    def spy(keyword: str, portions: tuple[tuple[str, bool], ...], prefix: str, wrap: bool) -> tuple[str, ...]:
        seen.append("".join(text for text, _ in portions))
        return real(keyword, portions, prefix, wrap)

    monkeypatch.setattr(layout, "_laid_out", spy)
    monkeypatch.setattr(layout, "_last_write", {})
    return seen


def test_the_next_catalog_reuses_the_layouts_of_the_one_before(laid_out) -> None:
    spanish, german = pofile.dumps(catalog("es")), catalog("de")
    assert sorted(laid_out) == sorted(SOURCES + [f"es: {text}" for text in SOURCES]
                                      + ["Language: es\\nContent-Type: text/plain; charset=UTF-8\\n"])
    laid_out.clear()
    written = pofile.dumps(german)
    assert sorted(laid_out) == sorted([f"de: {text}" for text in SOURCES]
                                      + ["Language: de\\nContent-Type: text/plain; charset=UTF-8\\n"])
    assert written == spanish.replace(b"es: ", b"de: ").replace(b"Language: es", b"Language: de")


def test_only_the_last_write_s_layouts_are_kept(laid_out) -> None:
    first = pofile.dumps(catalog("es"))
    other = Catalog(path=Path("other.po"), header=Entry(msgid="", msgstr=""),
                    entries=[Entry(msgid=f"{'Tout autre chose, sur plus d’une ligne. ' * 3}{n}") for n in range(3)])
    pofile.dumps(other)
    assert len(layout._last_write) == 3  # the other catalog's three msgids, nothing of the Spanish one
    laid_out.clear()
    assert pofile.dumps(catalog("es")) == first
    assert len(laid_out) == 2 * len(SOURCES) + 1  # the Spanish catalog's strings laid out again, every one
