"""Language facts from CLDR, and what `status` leaves unloaded: the heavy libraries only some stages need."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from l10n import langs

ROOT = Path(__file__).resolve().parent.parent


def test_cldr_answers_canonical_tags_and_territory_names():
    assert langs.canonical("pt-br") == "pt-BR" and langs.canonical("es") == "es"
    assert langs.territory_name("BJ", "fr") == "Bénin"
    assert langs.plural_forms("ru").startswith("nplurals=3;")


def _same_territory_names_as_babel(tags):
    from babel import Locale, localedata

    for tag in tags:
        localedata.clear_caches()  # each locale alone: 1,100 merged locales would hold a gigabyte
        langs.territory_names.cache_clear()
        mine = langs.territory_names(tag.replace("_", "-"))
        assert mine == dict(Locale.parse(tag).territories), tag
    localedata.clear_caches()


def test_territory_names_are_babels():
    """territory_names reads a bare language's own CLDR file (langs.py): the same names as Babel's whole locale;
    Babel's own cache of the locale is left as Babel fills it (root's data merged in)."""
    from babel import Locale
    from babel.core import get_global

    assert langs._CHILDREN_OF_A_LANGUAGE == {name for name in get_global("parent_exceptions") if "_" not in name}
    _same_territory_names_as_babel(["fr", "en", "ru", "ar", "nb", "nn", "pt_BR", "sr_Latn", "en_GB", "es_419"])
    assert langs.territory_names("fr")["BJ"] == "Bénin"
    assert Locale("fr").character_order == "left-to-right"  # root's, merged: Babel's cache was not touched


@pytest.mark.slow
def test_territory_names_are_babels_for_every_language_cldr_has():
    from babel import localedata

    _same_territory_names_as_babel([i for i in localedata.locale_identifiers() if "_" not in i])


@pytest.mark.parametrize("tag", ["es_ES/../x", "xx-QQ-zzzzzzzzz", "klingon", ""])
def test_a_bad_tag_is_refused(tag):
    with pytest.raises(ValueError):
        langs.canonical(tag)


# Libraries that cost a noticeable start-up and that only building, spelling, drafting or exchanging needs.
HEAVY = ("weasyprint", "enchant", "openai", "lxml", "openpyxl")


@pytest.mark.slow
def test_status_does_not_load_the_heavy_libraries(project, cli):
    assert cli("run", "--engine", "pseudo", "--allow-fuzzy", "--lang", "es").exit_code == 0
    script = ("import atexit, sys\nfrom l10n.cli import entry\n"
              f"atexit.register(lambda: print(sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r})))\n"
              "entry()")
    done = subprocess.run([sys.executable, "-c", script, "status"], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.endswith("\n[]\n") and "es" in done.stdout
