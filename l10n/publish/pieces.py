"""A long document's PDF laid out in pieces, so that its memory is bounded and its time linear.

WeasyPrint keeps every laid-out page of a document (its boxes and each line's Pango layout, about 1.5 MB a page)
until the PDF is written, and its layout grows faster than the page count: one 20,000-segment appeal took 1.4 GB.
Here the page's blocks (paragraphs, headings, signatories) are laid out `PIECE_UNITS` at a time, each piece its
own WeasyPrint document written at once and dropped, and the pieces are joined with qpdf (join.py, in a child
process).

A piece never ends where its HTML ends: its last page, laid out short of what follows, is dropped, and the next
piece starts with the block that opened the last page that began with a whole block. So every page is laid out
from the same content as in one document, and no page is cut short at a piece boundary. The footers (language,
date, "page n / total") are not in the pieces, which cannot know the total: they are laid out in one document of
empty pages and drawn on top of each page. The joined file keeps what WeasyPrint writes for one document: the
tagged structure (one Document element, one parent tree), the outline of headings, named destinations, language,
metadata."""

from __future__ import annotations

import copy
import gc
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from .join import join

if TYPE_CHECKING:
    from lxml.html import HtmlElement
    from weasyprint import Document

#: blocks laid out per piece; a page with no more takes the one-document path unchanged. 500 blocks are 10 to 30
#: pages of the appeal; on the 20,000-segment page 250 saved no memory and 1,000 or 2,000 needed more, in about
#: the same time (bench/README.md, session 9)
PIECE_UNITS = 500
#: elements whose children are laid out as blocks of their own (the signatory list's sections, columns, lists)
_CONTAINERS = frozenset({"main", "article", "section", "ul", "ol", "div"})
#: the id given to a block without one, to find on which pages it was laid out
_MARK = "l10n-piece-"
#: the footers, drawn from another document: the pieces have none
_NO_FOOTERS = "<style>@page { @bottom-left { content: none } @bottom-right { content: none } }</style>\n"
#: a piece but the last lays its columns out unbalanced: its full pages are the same, and the columns of its last
#: page, dropped, are not balanced for nothing (WeasyPrint lays them out again and again to balance them: a
#: third of the time of the signatory list's pieces)
_UNBALANCED = "<style>* { column-fill: auto !important }</style>\n"


def blocks(body: HtmlElement) -> list[HtmlElement]:
    """The page's blocks in document order: the children of the body, descending into containers (a <div>
    with block children, <section>, lists), so that a paragraph, a heading or one signatory is one block."""
    found: list[HtmlElement] = []

    def walk(element: HtmlElement) -> None:
        for child in element:
            if not isinstance(child.tag, str):  # a comment
                continue
            if child.tag in _CONTAINERS and len(child) and not (child.text or "").strip():
                walk(child)
            else:
                found.append(child)

    walk(body)
    return found


def long_page(html: str) -> HtmlElement | None:
    """The page's parsed tree when it has more blocks than one piece, to be laid out in pieces; None for a
    shorter page (a block is at least one tag, so a page with fewer tags is short without parsing it)."""
    if html.count("<") <= PIECE_UNITS:
        return None
    root = _parse(html)
    return root if len(blocks(root.body)) > PIECE_UNITS else None


def _parse(html: str) -> HtmlElement:
    import lxml.html

    return lxml.html.document_fromstring(html)


@dataclass
class _Piece:
    pdf: bytes
    pages: int
    #: (level, label, open) of each heading of its pages, in order: the outline is made again for the whole
    bookmarks: list[tuple[int, str, bool]]


def render_in_pieces(root: HtmlElement, render: Callable[[str], Document], finish: Callable[[Document], bytes]
                     ) -> bytes:
    """The PDF of a long page (`long_page`'s tree, which this changes): `render` lays out an HTML text, `finish`
    writes a document (links, metadata).

    Each piece's layout is freed by a collection of the cyclic collector. What was alive before the first piece
    (the catalogs, the page's text) is set aside first (`gc.freeze`), so that a collection looks at one piece's
    objects only: otherwise every collection walked everything the command holds, and the pieces' collections
    cost pieces × heap, a time that grew faster than the page (bench/README.md, session 9)."""
    gc.collect()
    gc.freeze()
    try:
        return _render_in_pieces(root, render, finish)
    finally:
        gc.unfreeze()


def _render_in_pieces(root: HtmlElement, render: Callable[[str], Document], finish: Callable[[Document], bytes]
                      ) -> bytes:
    units = blocks(root.body)
    ids = []
    for i, unit in enumerate(units):
        if not unit.get("id"):
            unit.set("id", f"{_MARK}{i}")
        ids.append(unit.get("id"))
    pieces = _laid_out(root, units, ids, render, finish)
    footers = render(_footers_html(root, sum(piece.pages for piece in pieces))).write_pdf()
    del root, units  # the page's tree and the footers' layout, freed now rather than at a later collection
    gc.collect()
    return join([(piece.pdf, piece.bookmarks) for piece in pieces], footers)


def _laid_out(root: HtmlElement, units: list[HtmlElement], ids: list[str], render: Callable[[str], Document],
              finish: Callable[[Document], bytes]) -> list[_Piece]:
    """The pieces, each laid out, written and freed before the next."""
    pieces: list[_Piece] = []
    start = 0
    size = PIECE_UNITS
    while start < len(units):
        end = min(start + size, len(units))
        document = render(_piece_html(root, units, start, end))
        pages = document.pages
        following = end
        if end < len(units):
            cut = _last_clean_page(pages, ids, start, end)
            if cut is None:  # the blocks fill no page but the last one: laid out again with twice as many
                del document, pages
                gc.collect()
                size *= 2
                continue
            pages, following = pages[:cut[0]], cut[1]
        size = PIECE_UNITS
        for page in pages:
            page.anchors = {name: place for name, place in page.anchors.items() if not name.startswith(_MARK)}
        bookmarks = [(level, label, state != "closed") for page in pages for level, label, _, state in page.bookmarks]
        pieces.append(_Piece(finish(document.copy(pages)), len(pages), bookmarks))
        # the layout is a web of reference cycles and the command runs without the cyclic collector: freed now,
        # one piece's layout is gone before the next is laid out
        del document, pages
        gc.collect()
        start = following
    return pieces


def _last_clean_page(pages: list, ids: list[str], start: int, end: int) -> tuple[int, int] | None:
    """(page, block): the last page but the first that begins with a whole block (none of the blocks on it
    began on an earlier page), and that block; None when no page does."""
    first_page: dict[int, int] = {}
    on_page: list[list[int]] = []
    index = {ids[i]: i for i in range(start, end)}
    for number, page in enumerate(pages):
        here = sorted(index[name] for name in page.anchors if name in index)
        on_page.append(here)
        for unit in here:
            first_page.setdefault(unit, number)
    for number in range(len(pages) - 1, 0, -1):
        here = on_page[number]
        if here and first_page[here[0]] == number:
            return number, here[0]
    return None


def _piece_html(root: HtmlElement, units: list[HtmlElement], start: int, end: int) -> str:
    """The page with only blocks start…end-1, in copies of the containers holding them (built from the blocks
    up, so that a piece costs its own size, not the page's). A piece that does not begin the page begins as a
    page after a break does: the top margins there are truncated to zero."""
    import lxml.html
    from lxml import etree

    # the children of <html>: lxml's .head and .body search the whole tree for them, the page's at every piece
    body = root.find("body")
    head = copy.deepcopy(root.find("head"))
    piece = lxml.html.Element(root.tag, dict(root.attrib))
    piece.append(head)
    copies = {body: etree.SubElement(piece, body.tag, dict(body.attrib))}

    def copied(element: HtmlElement) -> HtmlElement:
        if element not in copies:
            twin = etree.SubElement(copied(element.getparent()), element.tag, dict(element.attrib))
            twin.text = element.text
            copies[element] = twin
        return copies[element]

    first = None
    for unit in units[start:end]:
        twin = copy.deepcopy(unit)
        twin.tail = None
        copied(unit.getparent()).append(twin)
        first = twin if first is None else first
    if start and first is not None:
        for element in [first, *first.iterancestors()]:
            if element.tag in ("body", "html"):
                break
            element.set("style", "margin-top: 0; " + (element.get("style") or ""))
    head.append(lxml.html.fragment_fromstring(_NO_FOOTERS))
    if end < len(units):
        head.append(lxml.html.fragment_fromstring(_UNBALANCED))
    return lxml.html.tostring(piece, encoding="unicode", doctype="<!DOCTYPE html>")


def _footers_html(root: HtmlElement, pages: int) -> str:
    """`pages` empty pages with the page's print style sheet: its footers alone, page numbers counted."""
    style = root.head.findall("style")[-1]
    blank = "<div></div>" + '<div style="break-before: page"></div>' * (pages - 1)
    attrs = " ".join(f'{name}="{value}"' for name, value in root.items() if name in ("lang", "dir"))
    return (f"<!DOCTYPE html><html {attrs}><head><style>{style.text}</style></head>"
            f"<body style='background: none'>{blank}</body></html>")
