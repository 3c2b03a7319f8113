"""Review sheets (`l10n review`): every segment with source, translation, state, provenance, QA issues and a real
Apertium back-translation into French (one batch per language, cached); no reverse engine and engine failures are
said in the sheet, never raised; untrusted text stays text."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from l10n import provenance

from l10n import po as pofile
from l10n.checks.registry import check_file
from l10n.config import load_config
from l10n.engines.apertium import ApertiumEngine
from l10n.errors import EngineError
from l10n.paths import po_path
from l10n.glossary import project_glossary
from l10n.review import build_review, build_reviews
from l10n.state import entry_state
from tests.test_dashboard import HOSTILE, write_hostile

CELLS = ("num", "source", "translation", "back", "state", "qa")


class ReviewPage(HTMLParser):
    """Rows `tr.segment`: their data-state and the text of each classed cell."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[dict] = []
        self.tags: list[str] = []
        self._cell: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        self.tags.append(tag)
        if tag == "tr" and "segment" in (a.get("class") or "").split():
            self.rows.append({"data-state": a["data-state"], "id": a["id"], "lang": {}})
        elif tag == "td" and self.rows:
            self._cell = next(c for c in (a.get("class") or "").split() if c in CELLS)
            self.rows[-1][self._cell] = ""
            if "lang" in a:
                self.rows[-1]["lang"][self._cell] = a["lang"]

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell:
            self.rows[-1][self._cell] += data


def read_sheet(path: Path) -> ReviewPage:
    page = ReviewPage()
    page.feed(path.read_text(encoding="utf-8"))
    return page



def test_spanish_sheet_has_french_back_translations(drafted: Path, cli) -> None:
    result = cli("review", "--lang", "es")
    assert result.exit_code == 0, result.output
    assert "es: 69 segment(s)" in result.output and "dist/review/es.html" in result.output
    page = read_sheet(drafted / "dist" / "review" / "es.html")
    config = load_config(drafted / "l10n.yaml")
    po = pofile.load(po_path(config, "es", config.documents[0]))
    assert [r["source"] for r in page.rows] == [e.msgid for e in po.active]  # every segment, in catalog order
    assert [r["data-state"] for r in page.rows] == [entry_state(e) for e in po.active]
    machine = [r for r in page.rows if r["data-state"] == "machine"]
    assert machine and all("apertium es>fr" in r["back"] for r in machine)
    assert all(r["lang"]["back"] == "fr" and r["lang"]["translation"] == "es" for r in machine)
    backs = " ".join(r["back"] for r in machine)
    assert "Azat Miftakhov" in backs
    assert " la " in backs and " est " in backs and " le " in backs  # French, not the Spanish draft
    assert " el " not in backs
    # provenance as the catalog records it
    first = next(e for e in po.active if entry_state(e) == "machine")
    origin = provenance.parse(first.translator_comments)
    row = page.rows[po.active.index(first)]
    assert origin is not None and origin.detail in row["state"] and "machine" in row["state"]


def test_one_batch_per_language_then_the_cache(drafted: Path) -> None:
    config = load_config(drafted / "l10n.yaml")
    first = build_review(config, "es")
    assert first.written and first.back_translated >= 13
    assert first.engine_calls == 1  # one apertium process for the whole language, not one per segment
    assert first.engines_used.keys() == {"apertium es>fr"}
    again = build_review(config, "es")
    assert again.engine_calls == 0 and again.cached >= first.back_translated
    assert not again.written  # same bytes: not rewritten


def test_pivot_through_spanish(project: Path, cli) -> None:
    assert cli("extract").exit_code == 0
    assert cli("update", "--lang", "pt").exit_code == 0
    assert cli("pretranslate", "--lang", "pt").exit_code == 0
    report = build_review(load_config(project / "l10n.yaml"), "pt")
    assert set(report.engines_used) == {"apertium pt>es>fr"}
    assert report.engine_calls == 2  # one process per pair of the chain
    backs = " ".join(s.back.text for s in report.segments if s.state == "machine" and s.back and s.back.text)
    assert "Azat Miftakhov" in backs and " la " in backs


def test_german_sheet_says_no_reverse_engine(drafted: Path, cli) -> None:
    config = load_config(drafted / "l10n.yaml")
    po = pofile.load(po_path(config, "de", config.documents[0]))
    entry = next(e for e in po.active if "paragraph" in e.extracted_comments)
    entry.msgstr = "Seit 2019 ist Azat Miftakhov inhaftiert."
    pofile.save(po)
    result = cli("review", "--lang", "de")
    assert result.exit_code == 0, result.output
    assert "no engine can translate de→fr here" in result.output
    html = (drafted / "dist" / "review" / "de.html").read_text(encoding="utf-8")
    assert "no engine can translate de→fr here: apertium: no Apertium pair or chain from de to fr" in html
    row = next(r for r in read_sheet(drafted / "dist" / "review" / "de.html").rows if "Seit 2019" in r["translation"])
    assert "no engine can translate de→fr here" in row["back"]


def test_engine_failure_is_shown_not_raised(drafted: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self, texts, source, target, keep=None):
        raise EngineError("apertium es-fr crashed: segmentation fault")

    monkeypatch.setattr(ApertiumEngine, "translate", broken)
    report = build_review(load_config(drafted / "l10n.yaml"), "es")
    failures = [s for s in report.segments if s.state == "machine"]
    assert failures and all(s.back.text is None and "segmentation fault" in s.back.note for s in failures)
    assert "segmentation fault" in report.path.read_text(encoding="utf-8")


def test_missing_apertium_is_a_reason(drafted: Path) -> None:
    config_file = drafted / "l10n.yaml"
    config_file.write_text(config_file.read_text()
                           + "engine_settings: {apertium: {binary: /nonexistent/apertium}}\n")
    report = build_review(load_config(config_file), "es")
    assert "apertium is not installed" in report.unavailable
    assert all(s.back.text is None for s in report.segments if s.state == "machine")


def test_issues_are_those_of_check_file(drafted: Path) -> None:
    write_hostile(drafted)
    config = load_config(drafted / "l10n.yaml")
    report = build_review(config, "es")
    issues = check_file(po_path(config, "es", config.documents[0]), "es", "fr", project_glossary(config),
                        config.checks_disabled, config.accepted_words("es"))
    assert sorted((i.line, i.check, i.message) for i in report.issues) == \
        sorted((i.line, i.check, i.message) for i in issues)
    hostile = next(s for s in report.segments if s.translation == HOSTILE)
    assert "markup" in {i.check for i in hostile.issues}


def test_hostile_translation_is_escaped(drafted: Path, cli) -> None:
    write_hostile(drafted)
    assert cli("review", "--lang", "es").exit_code == 0
    path = drafted / "dist" / "review" / "es.html"
    text = path.read_text(encoding="utf-8")
    assert "<script" not in text and "<img" not in text
    assert "&lt;script&gt;" in text
    page = read_sheet(path)
    assert "script" not in page.tags and "img" not in page.tags
    row = next(r for r in page.rows if r["translation"] == HOSTILE)  # shown exactly as the translator typed it
    assert row["back"]


@pytest.mark.slow  # Apertium processes for every language
def test_default_is_every_language_and_one_engine_run(drafted: Path, cli) -> None:
    result = cli("review")
    assert result.exit_code == 0, result.output
    config = load_config(drafted / "l10n.yaml")
    assert sorted(p.name for p in (drafted / "dist" / "review").iterdir()) == sorted(
        f"{lang}.html" for lang in config.languages)
    for lang in ("ru", "uk", "de"):
        assert f"no engine can translate {lang}→fr here" in result.output


def test_untranslated_rows_have_nothing_to_back_translate(drafted: Path) -> None:
    reports = build_reviews(load_config(drafted / "l10n.yaml"), ("en",))
    untranslated = [s for s in reports[0].segments if s.state == "untranslated"]
    assert untranslated and all(s.back is None for s in untranslated)
    html = reports[0].path.read_text(encoding="utf-8")
    assert len(re.findall("nothing to back-translate", html)) == len(untranslated)
