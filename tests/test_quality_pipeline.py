"""Issue 16's acceptance on the appeal itself: after the offline run (`l10n run --allow-fuzzy`, what
scripts/run-appeal does after its set-up), `check` names the French words Apertium left in the Spanish drafts, the
Spanish words the fr→es→it and fr→es→pt chains left in Italian and Portuguese, the missing Spanish "¡", and
reports nothing on organisation names or country headings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from l10n import po as pofile
from l10n.config import load_config
from l10n.paths import po_path

pytestmark = pytest.mark.slow

WORD_CHECKS = {"spelling", "source-words"}


_ISSUES: list[list[dict]] = []  # `check --format json` on the project below, the same in every copy of it


@pytest.fixture
def after_run(prepared, cli):
    """The appeal project after the offline pipeline (prepared once per test process, as tests/test_honest_state.py
    has it), and `check --format json` on it: (project, issues)."""
    from tests.conftest import run

    project = prepared("run --allow-fuzzy", lambda project: run(cli, "run", "--allow-fuzzy"))
    if not _ISSUES:
        checked = cli("check", "--format", "json")
        assert checked.exit_code == 0, checked.output
        _ISSUES.append(json.loads(checked.stdout))
    return project, _ISSUES[0]


def _words(issues: list[dict], lang: str, start: str) -> str:
    """The word checks' messages on the entry whose source starts with `start`."""
    return " ".join(i["message"] for i in issues
                    if i["lang"] == lang and i["msgid"].startswith(start) and i["check"] in WORD_CHECKS)


def test_french_words_left_in_spanish_are_named(after_run):
    _, issues = after_run
    expected = {"L'ASSOCIATION": ["MATHÉMATICIEN", "GEÔLES", "POUTINIENNES"],
                "Depuis 2019": ["dramatiquement"],
                "Située": ["inhospitalière", "tristement"],
                "Azat y a": ["sévices", "déshabillage"],
                "Le comité": ["fermement", "agissements"]}
    for start, words in expected.items():
        found = _words(issues, "es", start)
        assert all(f'"{w}"' in found for w in words), (start, found)


def test_spanish_words_left_in_italian_and_portuguese_are_named(after_run):
    _, issues = after_run
    assert '"encarcelado" left untranslated by the engine (apertium fr>es>it)' in _words(issues, "it", "Depuis")
    assert '"carcelarias"' in _words(issues, "it", "Située")
    assert '"electrocución"' in _words(issues, "it", "Azat y a")
    assert '"Exhortamos" left untranslated by the engine (apertium fr>es>pt)' in _words(issues, "pt", "Nous exhortons")
    assert '"carcelarias"' in _words(issues, "pt", "Située")


def test_missing_inverted_exclamation_mark_in_spanish(after_run):
    _, issues = after_run
    last = [i for i in issues if i["lang"] == "es" and i["msgid"].startswith("La vie") and i["check"] == "punctuation"]
    assert len(last) == 1 and '"¡"' in last[0]["message"]


def test_glossary_variant_reaches_the_spanish_draft(after_run):
    project, issues = after_run
    config = load_config(project / "l10n.yaml")
    po = pofile.load(po_path(config, "es", config.documents[0]))
    assert any("Alekséi Navalni" in e.msgstr for e in po.active)
    assert not [i for i in issues if i["lang"] == "es" and i["check"] in ("glossary", "keep-terms")]


def test_no_warning_on_organisation_names_or_country_headings(after_run):
    project, issues = after_run
    config = load_config(project / "l10n.yaml")
    names = set()
    for lang in config.languages:
        for entry in pofile.load(po_path(config, lang, config.documents[0])).active:
            role = " ".join(entry.extracted_comments)
            if role.startswith(("organisation", "country")):
                names.add((lang, entry.msgctxt, entry.msgid))
    assert len(names) > 400  # 57 names in each of eight languages
    on_names = [i for i in issues if (i["lang"], i["msgctxt"], i["msgid"]) in names and i["severity"] != "info"
                and i["check"] != "untranslated"]
    assert on_names == []
