"""The coordinator dashboard (`l10n status --format html`) and its chart: the numbers are l10n.status's and the
checks', the SVG is well-formed with one bar group per language, untrusted text stays text, --fail-under holds."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from l10n import dashboard

from l10n import po as pofile
from l10n.checks.registry import CHECKS, check_file
from l10n.config import load_config
from l10n.paths import po_path
from l10n.glossary import project_glossary
from l10n.state import STATES
from l10n.status import status

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "<script>document.title='pwned'</script><img src=x onerror=\"document.title='pwned'\"> & Co"


class DashboardPage(HTMLParser):
    """Per `tr[data-lang]`: the words of each bar segment and the numeric cells (`td[data-col]`)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: dict[tuple[str, str], dict] = {}
        self.links: list[str] = []
        self._row: dict | None = None
        self._col: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "tr" and "data-lang" in a:
            self._row = {"words": {}, "cells": {}}
            self.rows[(a["data-lang"], a["data-document"])] = self._row
        elif self._row is not None and "data-state" in a and "data-words" in a:
            self._row["words"][a["data-state"]] = int(a["data-words"])
        elif tag == "td" and "data-col" in a:
            self._col = a["data-col"]
        elif tag == "a":
            self.links.append(a.get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self._col = None
        elif tag == "tr":
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._row is not None and self._col and data.strip():
            self._row["cells"][self._col] = int(data.strip())


def read_page(path: Path) -> DashboardPage:
    page = DashboardPage()
    page.feed(path.read_text(encoding="utf-8"))
    return page



def write_hostile(project: Path, lang: str = "es") -> str:
    """A translator's reviewed translation that is markup, on the first paragraph; returns its source text."""
    config = load_config(project / "l10n.yaml")
    po = pofile.load(po_path(config, lang, config.documents[0]))
    entry = next(e for e in po.active if "paragraph" in e.extracted_comments)
    entry.msgstr = HOSTILE
    entry.set_fuzzy(False)
    po.set_header_field("PO-Revision-Date", "<b>2026-01-01</b>")
    pofile.save(po)
    return entry.msgid


def test_status_html_writes_dashboard_and_chart(drafted: Path, cli) -> None:
    result = cli("status", "--format", "html")
    assert result.exit_code == 0, result.output
    assert "dist/status.html" in result.output and "dist/status.svg" in result.output
    html = (drafted / "dist" / "status.html").read_text(encoding="utf-8")
    assert (drafted / "dist" / "status.svg").is_file()
    # Self-contained: inline CSS only, no script, no external resource.
    assert "<script" not in html and "<link" not in html and "http://" not in html and "https://" not in html
    page = read_page(drafted / "dist" / "status.html")
    config = load_config(drafted / "l10n.yaml")
    assert [lang for lang, _ in page.rows] == list(config.languages)
    assert not any(link.startswith("review/") for link in page.links)  # no sheet written yet: no dead link
    assert html.count("no sheet yet") == len(config.languages)
    assert cli("review", "--lang", "es").exit_code == 0
    assert cli("status", "--format", "html").exit_code == 0
    assert [link for link in read_page(drafted / "dist" / "status.html").links if "review/" in link] == \
        ["review/es.html"]
    for state in STATES:
        assert dashboard.STATE_LABELS[state] in html  # the legend


def test_dashboard_counts_equal_status_counts(drafted: Path, cli) -> None:
    assert cli("status", "--format", "html").exit_code == 0
    config = load_config(drafted / "l10n.yaml")
    page = read_page(drafted / "dist" / "status.html")
    rows = status(config, config.languages)
    assert len(page.rows) == len(rows)
    for row in rows:
        shown = page.rows[(row.lang, row.document)]
        assert shown["words"] == {s: n for s, n in row.counts.words.items() if n}
        assert shown["cells"]["words-left"] == \
            row.counts.total_words - row.counts.words["reviewed"] - row.counts.words["automatic"]
        assert shown["cells"]["automatic"] == row.counts.words["automatic"] > 0
    es = next(r for r in rows if r.lang == "es")
    assert es.counts.words["machine"] > 0  # the pre-translated language really has machine drafts to show


def test_dashboard_qa_counts_equal_check_file(drafted: Path, cli) -> None:
    write_hostile(drafted)  # adds a markup error to Spanish
    assert cli("status", "--format", "html").exit_code == 0
    config = load_config(drafted / "l10n.yaml")
    glossary = project_glossary(config)
    page = read_page(drafted / "dist" / "status.html")
    for lang in config.languages:
        issues = check_file(po_path(config, lang, config.documents[0]), lang, config.source_language, glossary,
                            config.checks_disabled, config.accepted_words(lang))
        cells = page.rows[(lang, "appeal")]["cells"]
        assert cells["errors"] == sum(i.severity == "error" for i in issues), lang
        assert cells["warnings"] == sum(i.severity == "warning" for i in issues), lang
    assert page.rows[("es", "appeal")]["cells"]["errors"] > 0


def test_disabled_checks_are_not_counted(drafted: Path, cli) -> None:
    write_hostile(drafted)
    report = dashboard.build_dashboard(load_config(drafted / "l10n.yaml"), ("es",))
    assert report.rows[0].errors > 0
    config_file = drafted / "l10n.yaml"
    errors = [c.id for c in CHECKS.values() if c.severity == "error"]
    config_file.write_text(config_file.read_text() + f"checks: {{disable: [{', '.join(errors)}]}}\n")
    report = dashboard.build_dashboard(load_config(config_file), ("es",))
    assert report.rows[0].errors == 0


def test_svg_is_well_formed_with_one_bar_group_per_language(drafted: Path, cli) -> None:
    assert cli("status", "--format", "html").exit_code == 0
    config = load_config(drafted / "l10n.yaml")
    root = ET.parse(drafted / "dist" / "status.svg").getroot()
    assert root.tag == f"{SVG}svg"
    assert root.find(f"{SVG}title") is not None and root.find(f"{SVG}desc") is not None
    bars = [g for g in root.iter(f"{SVG}g") if g.get("class") == "bar"]
    assert [g.get("data-lang") for g in bars] == list(config.languages)
    rows = {r.lang: r for r in status(config, config.languages)}
    for g in bars:
        segments = [r for r in g.iter(f"{SVG}rect") if r.get("class") == "segment"]
        widths = {r.get("data-state"): float(r.get("width")) for r in segments}
        assert sum(widths.values()) == pytest.approx(440, abs=0.05)  # the stacked bar is full width
        counts = rows[g.get("data-lang")].counts
        for state, width in widths.items():
            assert width == pytest.approx(440 * counts.words[state] / counts.total_words, abs=0.01)
        labels = "".join(g.itertext())
        assert g.get("data-lang") in labels and "% reviewed" in labels
    legend = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "legend")
    assert [t.text for t in legend.iter(f"{SVG}text")] == [dashboard.STATE_LABELS[s] for s in STATES]
    text = (drafted / "dist" / "status.svg").read_text(encoding="utf-8")
    assert "href" not in text and "<script" not in text  # self-contained


def test_hostile_translation_and_header_are_escaped(drafted: Path, cli) -> None:
    write_hostile(drafted)
    assert cli("status", "--format", "html").exit_code == 0
    html = (drafted / "dist" / "status.html").read_text(encoding="utf-8")
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    ET.parse(drafted / "dist" / "status.svg")  # still well-formed


def test_missing_catalogs_are_rows_that_say_so(project: Path, cli) -> None:
    assert cli("extract").exit_code == 0
    result = cli("status", "--format", "html")
    assert result.exit_code == 0, result.output
    html = (project / "dist" / "status.html").read_text(encoding="utf-8")
    assert html.count("no catalog yet") == 8
    root = ET.parse(project / "dist" / "status.svg").getroot()
    assert len([g for g in root.iter(f"{SVG}g") if g.get("class") == "bar"]) == 8


def test_fail_under_exits_4_and_still_writes(drafted: Path, cli) -> None:
    result = cli("status", "--format", "html", "--fail-under", "1")
    assert result.exit_code == 4  # nothing is reviewed: names and CLDR countries do not count as review
    assert "below 1%" in result.stderr
    assert (drafted / "dist" / "status.html").is_file() and (drafted / "dist" / "status.svg").is_file()
    assert cli("status", "--format", "html", "--fail-under", "0").exit_code == 0


def test_unchanged_dashboard_is_not_rewritten(drafted: Path, cli) -> None:
    assert cli("status", "--format", "html").exit_code == 0
    html = drafted / "dist" / "status.html"
    os.utime(html, (1_000_000, 1_000_000))
    result = cli("status", "--format", "html")
    assert "2 file(s) unchanged" in result.output
    assert html.stat().st_mtime == 1_000_000


def test_last_change_follows_an_edit_made_without_the_header(drafted: Path, cli) -> None:
    """A text editor does not touch PO-Revision-Date: the file's time still moves the column."""
    path = drafted / "locales" / "es" / "appeal.po"
    os.utime(path, (1_000_000, 1_000_000))
    before = dashboard.build_dashboard(load_config(drafted / "l10n.yaml"), ("es",)).rows[0].last_change
    assert before is not None and not before.startswith("1970")  # the header (pretranslate's) is newer
    os.utime(path, (4_102_444_800, 4_102_444_800))  # 2100-01-01: an edit after the header's date
    after = dashboard.build_dashboard(load_config(drafted / "l10n.yaml"), ("es",)).rows[0].last_change
    assert after == "2100-01-01 00:00 +0000"


def test_review_link_notes_sheets_not_written_yet(drafted: Path, cli) -> None:
    assert cli("review", "--lang", "de").exit_code == 0
    report = dashboard.build_dashboard(load_config(drafted / "l10n.yaml"), ("de", "es"))
    assert [(r.lang, r.review_href, r.review_exists) for r in report.rows] == [
        ("de", "review/de.html", True), ("es", "review/es.html", False)]


def test_last_change_is_the_newest_of_the_header_and_the_file_time(tmp_path: Path) -> None:
    path = tmp_path / "x.po"
    path.write_text("")
    os.utime(path, (0, 86400 * 365))
    assert dashboard.last_change("2026-05-21 10:04+0200", path) == ("2026-05-21 10:04 +0200", "2026-05-21T10:04+02:00")
    os.utime(path, (0, 1_779_400_000))  # 2026-05-21 21:46 UTC, after the header's 08:04 UTC
    assert dashboard.last_change("2026-05-21 10:04+0200", path) == ("2026-05-21 21:46 +0000", "2026-05-21T21:46Z")
    os.utime(path, (0, 86400 * 365))
    assert dashboard.last_change("YEAR-MO-DA HO:MI+ZONE", path) == ("1971-01-01 00:00 +0000", "1971-01-01T00:00Z")
    assert dashboard.last_change(None, tmp_path / "gone.po") == (None, None)


def test_dashboard_and_csv_show_the_last_publication_and_changes_since(drafted: Path, cli) -> None:
    config_file = drafted / "l10n.yaml"
    config_file.write_text(config_file.read_text() + "publish: {source_fallback: mark}\n")
    assert cli("build", "--lang", "es", "--allow-fuzzy").exit_code == 0
    source = drafted / "source" / "appeal.fr.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("Demokrati-JA\n", "Demokrati-JA\nNeu e.V.\n"),
                      encoding="utf-8")
    assert cli("status", "--format", "html").exit_code == 0
    html = (drafted / "dist" / "status.html").read_text(encoding="utf-8")
    es = html.split('<tr data-lang="es"', 1)[1].split("</tr>", 1)[0]
    de = html.split('<tr data-lang="de"', 1)[1].split("</tr>", 1)[0]
    assert '<span class="time">1 change since</span>' in es and "not published" in de
    rows = cli("status", "--format", "csv", "--lang", "es").output.splitlines()
    header, values = rows[0].split(","), rows[1].split(",")
    assert header[-3:] == ["last_change", "published", "changes_since"] and values[-1] == "1"
    assert "automatic_words" in header and values[header.index("percent")] == "0.0"
