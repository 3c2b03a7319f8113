"""The pieces of a long page's PDF are joined in a child process (l10n/publish/join.py): qpdf's memory for the
joined file is not added to what the command holds. What the join makes is tested in tests/test_pdf_pieces.py."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from l10n.errors import L10nError
from l10n.publish import join


def _tagged(text: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=f"<html lang='fr'><body><h1>{text}</h1><p>{text}</p></body></html>").write_pdf(pdf_tags=True)


@pytest.mark.real_pdf
@pytest.mark.slow
def test_the_pieces_are_joined_by_another_process(monkeypatch, tmp_path) -> None:
    def here(*args: object) -> bytes:
        raise AssertionError("joined in the command's own process")

    monkeypatch.setattr(join, "joined", here)
    pdf = tmp_path / "joined.pdf"
    pdf.write_bytes(join.join([(_tagged("Un"), [(1, "Un", True)]), (_tagged("Deux"), [(1, "Deux", True)])],
                              _footers(2)))
    reader = PdfReader(pdf)
    assert [page.extract_text().split("\n")[0] for page in reader.pages] == ["Un", "Deux"]
    assert [item.title for item in reader.outline] == ["Un", "Deux"]


def _footers(pages: int) -> bytes:
    from weasyprint import HTML

    return HTML(string="<div></div>" + '<div style="break-before: page"></div>' * (pages - 1)).write_pdf()


def test_a_join_that_fails_is_one_line_naming_why() -> None:
    with pytest.raises(L10nError) as caught:
        join.join([(b"%PDF-1.7 not a PDF", [])], b"")
    message = str(caught.value)
    assert message.startswith("cannot write PDF: joining its pieces failed (") and "\n" not in message
    assert "Traceback" not in message and "pikepdf" in message
