"""The dashboard, a review sheet and the chart in a real browser: headless Chromium renders them (offline, fresh
profile) and the DOM it dumps has a row per configured language, review rows with source, translation and
back-translation cells, and none of a hostile translator's markup as elements."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from l10n.config import load_config
from tests.conftest import dump_dom
from tests.test_dashboard import write_hostile

pytestmark = pytest.mark.slow  # Chromium




class Dom(HTMLParser):
    """Elements with their attributes, the title, and the text of each `td` by class within `tr.segment` rows."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.title = ""
        self.segments: list[dict[str, str]] = []
        self._in_title = False
        self._cell: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.elements.append((tag, a))
        self._in_title = tag == "title"
        classes = (a.get("class") or "").split()
        if tag == "tr" and "segment" in classes:
            self.segments.append({})
        elif tag == "td" and self.segments and classes:
            self._cell = classes[0]
            self.segments[-1][self._cell] = ""

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        elif tag == "td":
            self._cell = None

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if self._cell:
            self.segments[-1][self._cell] += data

    def having(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.elements if t == tag and all(a.get(k.replace("_", "-")) == v
                                                                 for k, v in attrs.items())]


def parse(dom: str) -> Dom:
    parser = Dom()
    parser.feed(dom)
    return parser


def test_dashboard_and_review_sheet_render_in_chromium(project: Path, cli) -> None:
    assert cli("extract").exit_code == 0
    assert cli("update").exit_code == 0
    assert cli("pretranslate", "--lang", "es").exit_code == 0
    write_hostile(project)
    assert cli("review", "--lang", "es", "--lang", "de").exit_code == 0
    assert cli("status", "--format", "html").exit_code == 0
    config = load_config(project / "l10n.yaml")

    dashboard = parse(dump_dom(project / "dist" / "status.html"))
    assert dashboard.title == "Translation status"
    for lang in config.languages:
        assert len(dashboard.having("tr", data_lang=lang)) == 1, lang
        # a link only where a sheet was written
        assert bool(dashboard.having("a", href=f"review/{lang}.html")) == (lang in ("es", "de")), lang
    bars = [a for t, a in dashboard.elements if t == "div" and a.get("class") == "bar"]
    assert len(bars) == len(config.languages) and all(a.get("role") == "img" and a.get("aria-label") for a in bars)
    assert {a["data-state"] for a in dashboard.having("span") if a.get("data-state")} == {
        "reviewed", "automatic", "machine", "untranslated"}
    assert not {t for t, _ in dashboard.elements} & {"script", "img", "iframe", "link", "object", "embed"}

    sheet = parse(dump_dom(project / "dist" / "review" / "es.html"))
    assert sheet.title == "Review sheet: Spanish (es)"  # no payload ran
    assert not {t for t, _ in sheet.elements} & {"script", "img", "iframe", "object", "embed"}
    assert not [a for _, a in sheet.elements if any(k.startswith("on") for k in a)]
    assert len(sheet.segments) == 69
    for row in sheet.segments:
        assert {"source", "translation", "back"} <= row.keys()
    machine = [r for r in sheet.segments if "apertium es>fr" in r["back"]]
    assert machine and any("Azat Miftakhov" in r["back"] for r in machine)
    assert any("<script>" in r["translation"] for r in sheet.segments)  # the payload is shown as text

    german = parse(dump_dom(project / "dist" / "review" / "de.html"))
    assert german.segments and all({"source", "translation", "back"} <= r.keys() for r in german.segments)
    translated = [r for r in german.segments if r["translation"] != r["source"] and "(untranslated)" not in
                  r["translation"]]
    assert translated and all("no engine can translate de→fr here" in r["back"] for r in translated)


def test_chart_renders_in_chromium(project: Path, cli) -> None:
    assert cli("extract").exit_code == 0
    assert cli("update").exit_code == 0
    assert cli("status", "--format", "html").exit_code == 0
    dom = dump_dom(project / "dist" / "status.svg")
    parsed = parse(dom)
    groups = [a for t, a in parsed.elements if t == "g" and a.get("class") == "bar"]
    assert [a["data-lang"] for a in groups] == list(load_config(project / "l10n.yaml").languages)


PROBE = """<script>
function lines(node) {  // the distinct line boxes of a node's text
  const range = document.createRange(); range.selectNodeContents(node);
  return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
}
const cell = document.querySelector("tbody tr").lastElementChild;  // the review sheet column
document.body.dataset.probe = JSON.stringify({
  overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  words: lines(cell.firstElementChild), command: lines(cell.querySelector("code")),
  command_text: cell.querySelector("code").textContent});
</script>"""


def layout(page: Path, width: int) -> dict:
    """How the dashboard lays out in a window `width` pixels wide: the page's horizontal overflow, and the lines
    the first "no sheet yet" cell takes (a copy of the page, with a measuring script the real CSP forbids)."""
    import json
    import re
    import shutil
    import subprocess
    import tempfile

    from tests.conftest import CHROMIUM_FLAGS

    html = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page.read_text(encoding="utf-8"))
    probe = page.with_name("probe.html")
    probe.write_text(html.replace("</body>", PROBE + "</body>"), encoding="utf-8")
    with tempfile.TemporaryDirectory() as profile:
        result = subprocess.run([shutil.which("chromium"), *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
                                 f"--window-size={width},1600", "--dump-dom", probe.as_uri()],
                                capture_output=True, text=True, timeout=120)
    found = re.search(r'data-probe="([^"]*)"', result.stdout)
    assert found, result.stderr[-2000:]
    return json.loads(found.group(1).replace("&quot;", '"'))


def test_the_review_sheet_column_reads_well_at_1200_and_600_pixels(project: Path, cli) -> None:
    """The last column once wrapped word by word and pushed the table past a 1200 px window; on a narrow
    screen the table scrolls in its own box rather than the page."""
    assert cli("update").exit_code == 0
    assert cli("status", "--format", "html").exit_code == 0
    wide = layout(project / "dist" / "status.html", 1200)
    assert wide["overflow"] <= 0  # the whole table is in the window
    assert wide["words"] == 1  # "no sheet yet" on one line
    assert wide["command"] <= 2 and wide["command_text"] == "l10n review --lang en"  # wrapped at a space at most
    narrow = layout(project / "dist" / "status.html", 600)
    assert narrow["overflow"] <= 0  # the page does not scroll sideways
    assert narrow["words"] == 1 and narrow["command"] <= 2
