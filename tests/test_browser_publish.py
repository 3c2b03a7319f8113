"""The built HTML in a real browser: headless Chromium loads a page built from a hostile Spanish catalog and runs
no script of the translator's. A control page with the same payload unescaped proves the harness would notice."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from l10n import po as pofile
from l10n import render
from tests.conftest import dump_dom
from tests.test_render_safety import HOSTILE, md_problems, write_hostile_catalog

pytestmark = pytest.mark.slow  # Chromium

PAYLOAD_TAGS = {"script", "img", "svg", "iframe", "details", "form", "button", "object", "embed", "input", "b"}



class Dom(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        self._in_title = False if tag == "title" else self._in_title

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def parse(dom: str) -> Dom:
    parser = Dom()
    parser.feed(dom)
    return parser


def test_the_harness_sees_a_payload_that_runs(tmp_path):
    control = tmp_path / "control.html"
    control.write_text("<!DOCTYPE html><html><head><title>original</title></head><body>"
                       "<img src=x onerror=\"document.title='pwned'\"></body></html>", encoding="utf-8")
    dom = parse(dump_dom(control))
    assert dom.title == "pwned"
    assert "img" in {t for t, _ in dom.tags}


def test_hostile_spanish_catalog_runs_no_script_in_chromium(project, cli):
    config = project / "l10n.yaml"
    config.write_text(config.read_text() + "publish: {source_fallback: mark}\n")  # the rest is French, marked
    assert cli("extract").exit_code == 0
    assert cli("update", "--lang", "es").exit_code == 0
    write_hostile_catalog(project)
    po = pofile.load(project / "locales" / "es" / "appeal.po")
    linked = next(e for e in po.active if e.msgid.startswith("Nous appelons"))
    linked.msgstr = ('Véase https://example.org/llamamiento?a=1&b="x"onmouseover=alert(1) javascript:alert(1) '
                     '<a href="https://evil.example/">enlace</a>')
    pofile.save(po)
    result = cli("build", "--lang", "es")
    assert result.exit_code == 0, result.output

    page = project / "dist" / "es" / "appeal.html"
    dom = parse(dump_dom(page))
    expected_title = render.clean(HOSTILE["TITLE"])
    assert dom.title == expected_title  # unchanged by any payload, and shown as the text the translator typed
    assert "pwned" != dom.title
    tags = {t for t, _ in dom.tags}
    assert not tags & PAYLOAD_TAGS, tags & PAYLOAD_TAGS
    assert [t for t, _ in dom.tags].count("style") == 1
    for tag, attrs in dom.tags:
        assert not [name for name in attrs if name.startswith("on") or name in ("src", "srcdoc", "action")], tag
        assert not (attrs.get("href") or "").lower().startswith("javascript:"), (tag, attrs)
    # Web addresses the translator added (the source paragraph has none) stay text, as in the Markdown output;
    # javascript: and the markup itself are text too: the only links are the page's own.
    assert sorted({attrs["href"] for tag, attrs in dom.tags if tag == "a"}) == ["../fr/appeal.html", "../index.html"]
    html = page.read_text(encoding="utf-8")
    assert "https://evil.example/" in html and '<a href="https://evil' not in html and "&lt;a href=&#34;" in html

    markdown = (project / "dist" / "es" / "appeal.md").read_text(encoding="utf-8")
    assert md_problems(markdown) == []
