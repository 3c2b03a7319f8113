"""Issue 16's review sheet: a back-translation through the engine that made the draft says so on every such row and
highlights the words the engine did not know in either direction; another configured engine is preferred for the
way back; changed entries show the word diff against the previous source; the QA column lists each draft's issues.
Read in headless Chromium, as a coordinator's browser shows it."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fakes.libre_server import FakeLibre

from l10n import po as pofile
from l10n.config import load_config
from l10n.paths import po_path
from l10n.review import SAME_ENGINE, marked, word_diff
from tests.conftest import dump_dom


class Rows(HTMLParser):
    """Each `tr.segment`: the text of its cells by class, and the pieces inside <mark>, <del> and <ins> per cell."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[dict] = []
        self.cell: str | None = None
        self.inside: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "tr" and "segment" in (a.get("class") or "").split():
            self.rows.append({"state": a["data-state"], "text": {}, "mark": {}, "del": [], "ins": []})
        elif tag == "td" and self.rows:
            self.cell = (a.get("class") or "").split()[0]
            self.rows[-1]["text"][self.cell] = ""
            self.rows[-1]["mark"][self.cell] = []
        elif tag in ("mark", "del", "ins") and self.cell:
            self.inside.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "td":
            self.cell = None
        elif tag in ("mark", "del", "ins") and self.inside:
            self.inside.pop()

    def handle_data(self, data: str) -> None:
        if not self.cell:
            return
        row = self.rows[-1]
        row["text"][self.cell] += data
        if self.inside and self.inside[-1] == "mark":
            row["mark"][self.cell].append(data)
        elif self.inside:
            row[self.inside[-1]].append(data)


def sheet(path: Path) -> list[dict]:
    parser = Rows()
    parser.feed(dump_dom(path))
    return parser.rows


@pytest.fixture
def italian(prepared, cli) -> Path:
    def steps(project: Path) -> None:
        assert cli("extract").exit_code == 0
        assert cli("update", "--lang", "it").exit_code == 0
        assert cli("pretranslate", "--lang", "it").exit_code == 0

    return prepared("italian drafts", steps)


@pytest.mark.slow
def test_italian_sheet_marks_same_engine_rows_unknown_words_and_qa(italian: Path, cli):
    result = cli("review", "--lang", "it")
    assert result.exit_code == 0, result.output
    assert "(10 by the engine that drafted them)" in result.output
    rows = sheet(italian / "dist" / "review" / "it.html")
    # the engine's drafts: the prose (title, paragraphs, dateline); names and headings came from CLDR or the glossary
    machine = [r for r in rows if re.search(r"title|paragraph|dateline", r["text"]["num"])]
    assert len(machine) == 10
    # only Apertium is configured: every draft went back through it, and every such row says so
    for row in machine:
        assert SAME_ENGINE in row["text"]["back"], row["text"]["back"]
    assert all(SAME_ENGINE not in r["text"].get("back", "") for r in rows if r not in machine)
    first = next(r for r in machine if r["text"]["source"].startswith("Depuis 2019"))
    # words the engine did not know, highlighted in the draft (fr>es>it) and in the way back (it>…>fr)
    assert {"encarcelado", "dramatiquement"} <= set(first["mark"]["translation"])
    assert "dramatiquement" in first["mark"]["back"]
    # the QA column lists the draft's issues
    assert "[source-words]" in first["text"]["qa"] and '"encarcelado" left untranslated' in first["text"]["qa"]
    title = next(r for r in machine if r["text"]["source"].startswith("L'ASSOCIATION"))
    assert "POUTINIENNES" in title["text"]["qa"]
    page = (italian / "dist" / "review" / "it.html").read_text(encoding="utf-8")
    assert "went back through the engine that wrote the draft" in page


def test_another_configured_engine_is_preferred_for_the_way_back(italian: Path, cli):
    config = (italian / "l10n.yaml").read_text(encoding="utf-8")
    with FakeLibre() as server:
        (italian / "l10n.yaml").write_text(
            config.replace("engines: [apertium]", f"engines: [apertium, libre]\nengine_settings: "
                                                  f"{{libre: {{url: \"{server.url}\", retries: 0}}}}"),
            encoding="utf-8")
        result = cli("review", "--lang", "it")
        assert result.exit_code == 0, result.output
        assert server.requests and all(r.params["source"] == "it" and r.params["target"] == "fr"
                                       for r in server.requests)
    page = (italian / "dist" / "review" / "it.html").read_text(encoding="utf-8")
    assert SAME_ENGINE not in page and "libre it&gt;fr" in page
    assert "<fr> Dal 2019" in page.replace("&lt;", "<").replace("&gt;", ">")


@pytest.mark.slow
def test_changed_entry_shows_the_word_diff(italian: Path, cli):
    source = italian / "source" / "appeal.fr.txt"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("Nous exigeons l'arrêt des tortures", "Nous exigeons l'arrêt immédiat des tortures"),
                      encoding="utf-8")
    assert cli("extract").exit_code == 0 and cli("update", "--lang", "it").exit_code == 0
    config = load_config(italian / "l10n.yaml")
    changed = [e for e in pofile.load(po_path(config, "it", config.documents[0])).active if e.previous_msgid]
    assert len(changed) == 1
    assert cli("review", "--lang", "it").exit_code == 0
    row = next(r for r in sheet(italian / "dist" / "review" / "it.html")
               if r["text"]["source"].startswith("Nous exigeons"))
    assert row["ins"] == ["immédiat "] and row["del"] == []
    assert "Source changed; previous text" in row["text"]["source"]


def test_word_diff_and_marks_give_the_texts_back():
    old, new = "Nous exigeons l'arrêt des tortures.", "Nous exigeons la fin des tortures et la libération."
    pieces = word_diff(old, new)
    assert "".join(t for op, t in pieces if op != "insert") == old
    assert "".join(t for op, t in pieces if op != "delete") == new
    assert ("delete", "l'arrêt ") in pieces and ("insert", "la fin ") in pieces
    assert marked("Sta encarcelado, encarcelados.", ("encarcelado",)) == [
        ("Sta ", False), ("encarcelado", True), (", encarcelados.", False)]
    assert re.search("x", "x")  # the pattern escapes words: no regular expression leaks from a note
    assert marked("a.b a*b", ("a.b",)) == [("a.b", True), (" a*b", False)]
