"""A long document's PDF laid out in pieces, so that its memory is bounded and its time linear.

WeasyPrint keeps every laid-out page of a document (its boxes and each line's Pango layout, about 1.5 MB a page)
until the PDF is written, and its layout grows faster than the page count: one 20,000-segment appeal took 1.4 GB.
Here the page's blocks (paragraphs, headings, signatories) are laid out `PIECE_UNITS` at a time, each piece its
own WeasyPrint document written at once and dropped, and the pieces are joined with pypdf.

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
import hashlib
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from lxml.html import HtmlElement
    from weasyprint import Document

#: blocks laid out per piece; a page with fewer blocks takes the one-document path unchanged. 2,000 blocks are
#: 40 to 120 pages of the appeal and about 200 MB of layout
PIECE_UNITS = 2000
#: elements whose children are laid out as blocks of their own (the signatory list's sections, columns, lists)
_CONTAINERS = frozenset({"main", "article", "section", "ul", "ol", "div"})
#: the id given to a block without one, to find on which pages it was laid out
_MARK = "l10n-piece-"
#: the footers, drawn from another document: the pieces have none
_NO_FOOTERS = "<style>@page { @bottom-left { content: none } @bottom-right { content: none } }</style>\n"


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


def is_long(html: str) -> bool:
    """Whether the page has more blocks than one piece: only then is it parsed and laid out in pieces (a
    block is at least one tag, so a page with fewer tags is short without parsing it)."""
    if html.count("<") <= PIECE_UNITS:
        return False
    return len(blocks(_parse(html).body)) > PIECE_UNITS


def _parse(html: str) -> HtmlElement:
    import lxml.html

    return lxml.html.document_fromstring(html)


@dataclass
class _Piece:
    pdf: bytes
    #: (level, label, open) of each heading of its pages, in order: the outline is made again for the whole
    bookmarks: list[tuple[int, str, bool]] = field(default_factory=list)


def render_in_pieces(html: str, render: Callable[[str], Document], finish: Callable[[Document], bytes]) -> bytes:
    """The PDF of a long page: `render` lays out an HTML text, `finish` writes a document (links, metadata)."""
    root = _parse(html)
    units = blocks(root.body)
    ids = []
    for i, unit in enumerate(units):
        if not unit.get("id"):
            unit.set("id", f"{_MARK}{i}")
        ids.append(unit.get("id"))
    pieces: list[_Piece] = []
    start = 0
    while start < len(units):
        end = min(start + PIECE_UNITS, len(units))
        document = render(_piece_html(root, start, end))
        pages = document.pages
        following = end
        if end < len(units):
            cut = _last_clean_page(pages, ids, start, end)
            if cut:
                pages, following = pages[:cut[0]], cut[1]
        for page in pages:
            page.anchors = {name: place for name, place in page.anchors.items() if not name.startswith(_MARK)}
        bookmarks = [(level, label, state != "closed") for page in pages for level, label, _, state in page.bookmarks]
        pieces.append(_Piece(finish(document.copy(pages)), bookmarks))
        # the layout is a web of reference cycles and the command runs without the cyclic collector: freed now,
        # one piece's layout is gone before the next is laid out
        del document, pages
        gc.collect()
        start = following
    footers = render(_footers_html(root, sum(_page_count(p.pdf) for p in pieces))).write_pdf()
    return _join(pieces, footers)


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


def _piece_html(root: HtmlElement, start: int, end: int) -> str:
    """The page with only blocks start…end-1 (and the containers holding them). A piece that does not begin
    the page begins as a page after a break does: the top margins there are truncated to zero."""
    import lxml.html

    piece = copy.deepcopy(root)
    twins = blocks(piece.body)
    for i, unit in enumerate(twins):
        if not start <= i < end:
            unit.getparent().remove(unit)
    # containers left empty would still take their margins
    for element in reversed(list(piece.body.iterdescendants())):  # inner containers first
        if element.tag in _CONTAINERS and len(element) == 0 and not (element.text or "").strip():
            element.getparent().remove(element)
    if start:
        for element in [twins[start], *twins[start].iterancestors()]:
            if element.tag in ("body", "html"):
                break
            element.set("style", "margin-top: 0; " + (element.get("style") or ""))
    piece.head.append(lxml.html.fragment_fromstring(_NO_FOOTERS))
    return lxml.html.tostring(piece, encoding="unicode", doctype="<!DOCTYPE html>")


def _footers_html(root: HtmlElement, pages: int) -> str:
    """`pages` empty pages with the page's print style sheet: its footers alone, page numbers counted."""
    style = root.head.findall("style")[-1]
    blank = "<div></div>" + '<div style="break-before: page"></div>' * (pages - 1)
    attrs = " ".join(f'{name}="{value}"' for name, value in root.items() if name in ("lang", "dir"))
    return (f"<!DOCTYPE html><html {attrs}><head><style>{style.text}</style></head>"
            f"<body style='background: none'>{blank}</body></html>")


def _page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def _join(pieces: list[_Piece], footers: bytes) -> bytes:
    """One PDF of the pieces' pages, each with its footer drawn on top; one structure tree, one outline."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (ArrayObject, ByteStringObject, DecodedStreamObject, DictionaryObject, Fit,
                               NameObject, NumberObject, TextStringObject)

    writer = PdfWriter()
    readers = [PdfReader(io.BytesIO(piece.pdf)) for piece in pieces]
    first = readers[0]
    writer.pdf_header = first.pdf_header
    tree = first.root_object["/StructTreeRoot"]
    document = DictionaryObject({NameObject("/Type"): NameObject("/StructElem"),
                                 NameObject("/S"): NameObject("/Document"), NameObject("/K"): ArrayObject()})
    document_ref = writer._add_object(document)
    page_nums: list = []
    annotations: list = []
    outline: list[tuple[int, str, bool, int, object]] = []
    names: list[tuple[str, int, object]] = []
    for piece, reader in zip(pieces, readers):
        offset = len(writer.pages)
        for page in reader.pages:
            writer.add_page(page)
        structure = reader.root_object["/StructTreeRoot"]
        (piece_document,) = structure["/K"]
        for kid in piece_document.get_object()["/K"]:
            clone = kid.clone(writer, ignore_fields=["/P"])
            _set_parents(clone, document_ref)
            document["/K"].append(clone)
        nums = structure["/ParentTree"]["/Nums"]
        count = len(reader.pages)
        for key, value in zip(nums[::2], nums[1::2]):
            value = value.clone(writer, ignore_fields=["/P"])
            if key < count:
                page_nums.append(value)
            else:
                annotations.append(value)
        destinations = _flat(reader.outline)
        for (level, label, is_open), destination in zip(piece.bookmarks, destinations):
            outline.append((level, label, is_open, offset + reader.get_destination_page_number(destination),
                            destination))
        for name, destination in reader.named_destinations.items():
            names.append((name, offset + reader.get_destination_page_number(destination), destination))
    total = len(writer.pages)
    for number, page in enumerate(writer.pages):
        page[NameObject("/StructParents")] = NumberObject(number)
    for key, annotation in enumerate(annotations, start=total):
        annotation.get_object()[NameObject("/StructParent")] = NumberObject(key)
    keys = [item for number, value in enumerate(page_nums) for item in (NumberObject(number), value)]
    keys += [item for key, ref in enumerate(annotations, start=total) for item in (NumberObject(key), ref)]
    parent_tree = writer._add_object(DictionaryObject({NameObject("/Nums"): ArrayObject(keys)}))
    root = DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot"),
                             NameObject("/ParentTree"): parent_tree, NameObject("/K"): ArrayObject([document_ref])})
    for name in ("/Namespaces",):
        if name in tree:
            root[NameObject(name)] = tree[name].clone(writer)
    root_ref = writer._add_object(root)
    document[NameObject("/P")] = root_ref
    catalog = writer.root_object
    catalog[NameObject("/StructTreeRoot")] = root_ref
    for name in ("/Lang", "/MarkInfo", "/ViewerPreferences", "/PageMode", "/PageLayout"):
        if name in first.root_object:
            catalog[NameObject(name)] = first.root_object[name].clone(writer)
    _overlay(writer, PdfReader(io.BytesIO(footers)))
    stack: list[tuple[int, object]] = []
    for level, label, is_open, number, destination in outline:
        while stack and stack[-1][0] >= level:
            stack.pop()
        item = writer.add_outline_item(label, number, parent=stack[-1][1] if stack else None, is_open=is_open,
                                       fit=Fit.xyz(destination.left, destination.top, destination.zoom))
        stack.append((level, item))
    for name, number, destination in names:
        writer.add_named_destination_object(_destination(name, writer.pages[number], destination))
    writer.add_metadata({key: value for key, value in (first.metadata or {}).items()})
    # pypdf draws a random file identifier; the pieces' bytes decide it, so a build writes the same bytes again
    digest = ByteStringObject(hashlib.md5(b"".join(piece.pdf for piece in pieces)).digest())
    writer._ID = ArrayObject([digest, digest])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _set_parents(element, parent) -> None:
    """/P of each structure element below `element` (cloned without it)."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject

    obj = element.get_object()
    if not isinstance(obj, DictionaryObject) or "/S" not in obj:  # a marked-content id, an annotation's OBJR
        return
    obj[NameObject("/P")] = parent
    kids = obj.get("/K", ArrayObject())
    for kid in (kids if isinstance(kids, ArrayObject) else [kids]):
        _set_parents(kid, element)


def _flat(outline: list) -> list:
    """An outline's destinations in reading order (pypdf nests children as a list after their parent)."""
    return [d for item in outline for d in (_flat(item) if isinstance(item, list) else [item])]


def _destination(name: str, page, destination):
    from pypdf.generic import Destination, Fit, TextStringObject

    return Destination(TextStringObject(name), page.indirect_reference,
                       Fit.xyz(destination.left, destination.top, destination.zoom))


def _overlay(writer, footers) -> None:
    """Each page's footer (the same page of `footers`) drawn last, as a form XObject marked as an artifact."""
    from pypdf.generic import (ArrayObject, DecodedStreamObject, DictionaryObject, NameObject)

    save = writer._add_object(_stream(b"q\n"))
    for number, (page, footer) in enumerate(zip(writer.pages, footers.pages)):
        form = _stream(footer.get_contents().get_data())
        form.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
                     NameObject("/BBox"): footer.mediabox,
                     NameObject("/Resources"): footer["/Resources"].clone(writer)})
        name = NameObject("/L10nFooter")
        resources = DictionaryObject(page["/Resources"].get_object())
        xobjects = DictionaryObject(resources.get("/XObject", DictionaryObject()).get_object())
        xobjects[name] = writer._add_object(form)
        resources[NameObject("/XObject")] = xobjects
        page[NameObject("/Resources")] = resources
        draw = writer._add_object(_stream(b"Q\n/Artifact BMC\nq\n/L10nFooter Do\nQ\nEMC\n"))
        contents = page["/Contents"]
        contents = list(contents) if isinstance(contents, ArrayObject) else [contents]
        page[NameObject("/Contents")] = ArrayObject([save, *contents, draw])


def _stream(data: bytes):
    from pypdf.generic import DecodedStreamObject

    stream = DecodedStreamObject()
    stream.set_data(data)
    return stream
