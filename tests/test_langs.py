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
