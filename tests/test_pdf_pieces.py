"""A long page's PDF is laid out in pieces (l10n/publish/pieces.py) and must be the PDF of the page laid out
whole: every page's text and picture, its page numbers counted on across the pieces, one structure tree, the
outline, the named destinations and the metadata."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from l10n.publish import pieces
from l10n.publish.pdf import publication_date, render_pdf
from tests.test_print_mail import fill_russian, page_count, tool
from tests.test_publish import configure, read

pytestmark = [pytest.mark.real_pdf, pytest.mark.slow]


@pytest.fixture(scope="module")
def long_page(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The Russian page with its body sixteen times over and its signatory list eight times: 630 blocks on 15
    pages, the signatories in three columns from the eleventh."""
    from click.testing import CliRunner

    from l10n.cli import main
    from tests.conftest import _appeal_project

    project = tmp_path_factory.mktemp("long-page")
    _appeal_project(project)
    runner = CliRunner()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(project)
        configure(project, languages=["ru"], publish="{source_fallback: mark}")
        for args in (["extract"], ["update"]):
            assert runner.invoke(main, args, catch_exceptions=False).exit_code == 0
        fill_russian(project)
        assert runner.invoke(main, ["build", "--format", "html"], catch_exceptions=False).exit_code == 0
    html = read(project, "ru/appeal.html")
    body = re.search(r"(?s)<article>\n(.*?)<section class=\"signatories\"", html).group(1)
    groups = re.search(r"(?s)<div class=\"groups\">\n(.*?)</div>\n</section>", html).group(1)
    return html.replace(body, body * 16, 1).replace(groups, groups * 8, 1)


DATE = publication_date("2026-05-21 10:00+0000")


@pytest.fixture(scope="module")
def whole(long_page: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The page laid out whole, as one document: what every piece size must give. Laid out once for the
    module (a third of each case's time)."""
    pdf = tmp_path_factory.mktemp("whole") / "whole.pdf"
    with pytest.MonkeyPatch.context() as patch:
        sizes, layouts = renders(patch)
        patch.setattr(pieces, "PIECE_UNITS", 1000)
        pdf.write_bytes(render_pdf(long_page, "ru", "a4", DATE, frozenset()))
    assert (sizes, layouts) == ([], [1])  # up to one piece: the one-document path
    return pdf


@pytest.fixture(scope="module")
def whole_read(whole: Path) -> dict:
    """What the tests compare of the whole page's PDF, read once."""
    reader = PdfReader(whole)
    return {"pages": page_count(whole), "seen": pages_of(whole, whole.parent / "w"),
            "root": {key: reader.trailer["/Root"][key] for key in ("/Lang", "/MarkInfo", "/ViewerPreferences")},
            "metadata": reader.metadata, "struct": tool("pdfinfo", "-struct-text", str(whole)),
            "outline": outline(reader),
            "destinations": {k: reader.get_destination_page_number(v) for k, v in reader.named_destinations.items()}}


def renders(monkeypatch: pytest.MonkeyPatch) -> tuple[list[int], list[int]]:
    """(blocks of each piece laid out, one entry per WeasyPrint layout), filled as the PDF is made."""
    from weasyprint import HTML

    sizes: list[int] = []
    layouts: list[int] = []
    piece_html, render = pieces._piece_html, HTML.render

    def spy_piece(root, units, start: int, end: int) -> str:
        sizes.append(end - start)
        return piece_html(root, units, start, end)

    def spy_render(self, *args, **kwargs):
        layouts.append(1)
        return render(self, *args, **kwargs)

    monkeypatch.setattr(pieces, "_piece_html", spy_piece)
    monkeypatch.setattr(HTML, "render", spy_render)
    return sizes, layouts


def pages_of(pdf: Path, folder: Path) -> list[tuple[str, bytes]]:
    """Each page's text and picture."""
    folder.mkdir()
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(folder / "page")], check=True)
    pictures = sorted(folder.glob("page-*.png"))
    return [(tool("pdftotext", "-layout", "-f", str(n), "-l", str(n), "-enc", "UTF-8", str(pdf), "-"),
             picture.read_bytes()) for n, picture in enumerate(pictures, start=1)]


def outline(reader: PdfReader, items: list | None = None) -> list:
    """The outline as nested (title, page, left, top)."""
    return [outline(reader, item) if isinstance(item, list) else
            (item.title, reader.get_destination_page_number(item), item.left, item.top)
            for item in (reader.outline if items is None else items)]


@pytest.mark.parametrize("piece", [200, 60])
def test_a_page_longer_than_a_piece_is_the_pdf_of_the_page_laid_out_whole(long_page, whole_read, tmp_path,
                                                                           monkeypatch, piece):
    """200 blocks: four pieces, two of them cut inside the signatories' columns; 60: pieces of the list that fill
    a page or less, laid out again with twice as many blocks until they fill more than one."""
    single = whole_read
    pieced = tmp_path / "pieced.pdf"
    sizes, layouts = renders(monkeypatch)
    monkeypatch.setattr(pieces, "PIECE_UNITS", piece)
    pieced.write_bytes(render_pdf(long_page, "ru", "a4", DATE, frozenset()))
    # memory bounded: a layout holds one piece's blocks (doubled only while they fill no more than a page), and
    # one more lays out the footers
    assert len(sizes) >= 4 and len(layouts) == len(sizes) + 1
    assert max(sizes) == piece if piece == 200 else max(sizes) > piece

    total = single["pages"]
    assert total == 15 and page_count(pieced) == total
    seen = pages_of(pieced, tmp_path / "p")
    assert len(seen) == total
    for number, ((text, picture), (text_found, picture_found)) in enumerate(zip(single["seen"], seen), start=1):
        assert re.search(rf"(?m)\b{number} ?/ ?{total}$", text_found), number  # numbered on, never restarted
        assert text_found == text, number  # every word, where one document puts it
        assert picture_found == picture, number
    # one document for readers and assistive technology: language, title, tags, the headings' outline
    reader = PdfReader(pieced)
    for key in ("/Lang", "/MarkInfo", "/ViewerPreferences"):
        assert reader.trailer["/Root"][key] == single["root"][key]
    assert reader.metadata == single["metadata"]
    assert tool("pdfinfo", "-struct-text", str(pieced)) == single["struct"]
    assert outline(reader) == single["outline"] and len(single["outline"]) > 10
    assert {k: reader.get_destination_page_number(v) for k, v in reader.named_destinations.items()} == \
        single["destinations"] == {"signatories": 10}
    # and the same bytes again
    assert render_pdf(long_page, "ru", "a4", DATE, frozenset()) == pieced.read_bytes()
