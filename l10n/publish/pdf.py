"""The printable appeal: the published HTML page laid out by WeasyPrint with a print stylesheet, as a PDF.

The PDF is made from the very HTML that `build` publishes, so that the two never say different things; only the
stylesheet differs (paper, columns for the signatory list, a footer with the language and the date, page numbers).
A translation is untrusted: the HTML already escapes it, WeasyPrint may fetch nothing (no file, no network), and
only links to the appeal's own http(s) addresses may become link annotations."""

from __future__ import annotations

import datetime as dt
import gc
import re
from functools import lru_cache
from typing import TYPE_CHECKING

from .. import langs
from ..errors import L10nError

if TYPE_CHECKING:
    from weasyprint import Document
    from weasyprint.text.fonts import FontConfiguration

    from ..po import Catalog

_URL = re.compile(r"https?://[^\s<>\"'«»]+[^\s<>\"'«».,;:!?)\]]")
_HEADER_DATE = re.compile(r"(\d{4})-(\d\d)-(\d\d)")


def own_links(texts: list[str]) -> frozenset[str]:
    """The http(s) addresses written in the source document: the only links a PDF may carry."""
    return frozenset(url for text in texts for url in _URL.findall(text))


def publication_date(stamp: str | None, po: Catalog | None = None) -> dt.date:
    """The day of `stamp` (a publication record's date, "2026-05-21 10:00+0000"); without one, the newest of the
    catalog's PO-Revision-Date and POT-Creation-Date (a changed source brings a new template date). Read from
    files, so a build repeated on another day writes the same bytes; today's date only when none holds a date."""
    stamps = [stamp] if stamp else []
    if not stamps and po is not None:
        stamps = [po.header_field(name) or "" for name in ("PO-Revision-Date", "POT-Creation-Date")]
    dates = []
    for text in stamps:
        match = _HEADER_DATE.match(text)
        if match:
            try:
                dates.append(dt.date(*map(int, match.groups())))
            except ValueError:
                pass
    return max(dates) if dates else dt.date.today()


def css_string(text: str) -> str:
    """A CSS string literal holding `text` exactly: quotes, backslashes, angle brackets (it goes inside a <style>
    element) and anything unprintable escaped."""
    return '"' + "".join(c if c.isprintable() and c not in '"\\<>' else f"\\{ord(c):x} " for c in text) + '"'


def footer_text(lang: str, published: dt.date) -> str:
    """"Español · 21 de mayo de 2026": the language's own name and the date, both from CLDR."""
    from babel.dates import format_date

    return f"{langs.language_name(lang)} · {format_date(published, format='long', locale=langs.locale(lang))}"


def stylesheet(lang: str, paper: str, footer: str) -> str:
    from ..render import environment

    return environment().get_template("print.css.j2").render(
        paper=paper, footer=css_string(footer), rtl=langs.direction(lang) == "rtl")


@lru_cache(maxsize=1)
def _fonts() -> FontConfiguration:
    """One font configuration for every language of a build: finding the system fonts is WeasyPrint's slow part."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def render_pdf(html: str, lang: str, paper: str, published: dt.date, allowed_links: frozenset[str]) -> bytes:
    """The PDF of one published page. Its creation date is the publication date, so the bytes depend only on the
    page, the paper and that date."""
    try:
        from weasyprint import HTML
        from weasyprint.urls import URLFetcher
    except (ImportError, OSError) as exc:  # OSError: WeasyPrint is there but Pango (a C library) is not
        raise L10nError(f"cannot write PDF: WeasyPrint or Pango is missing ({exc}); run scripts/setup, or build "
                        "other formats with --format") from None

    # After the page's own styles, as the last author style sheet: it must win over them (WeasyPrint's
    # `stylesheets` are user style sheets, which lose). The page has one </head>: translations are escaped.
    style = f"<style>\n{stylesheet(lang, paper, footer_text(lang, published))}</style>\n"
    html = html.replace("</head>", style + "</head>", 1)
    fetcher = URLFetcher(allowed_protocols=())  # nothing to fetch: fonts are the system's, styles inline

    def render(page: str) -> Document:
        return HTML(string=page, url_fetcher=fetcher, base_url="about:blank").render(font_config=_fonts())

    def finish(document: Document) -> bytes:
        for page in document.pages:
            page.links = [link for link in page.links if _allowed(link, allowed_links)]
        stamp = published.isoformat()
        document.metadata.created = document.metadata.modified = stamp
        document.metadata.generator = "l10n"
        return document.write_pdf(pdf_tags=True)

    from .pieces import long_page, render_in_pieces

    root = long_page(html)
    if root is not None:  # laid out a piece at a time: WeasyPrint holds every page of a document until written
        return render_in_pieces(root, render, finish)
    document = render(html)
    pdf = finish(document)
    # The laid-out document (every page's boxes, each line's Pango layout) is a web of
    # reference cycles, and the l10n command runs without the cyclic collector (cli.entry): freed here, one
    # language's layout is gone before the next is laid out, so a build's memory is that of its longest page,
    # not of all of them.
    del document
    gc.collect()
    return pdf


def _allowed(link: tuple, allowed: frozenset[str]) -> bool:
    """A jump inside the document, or one of the appeal's own web addresses; nothing else becomes an action."""
    kind, target = link[0], link[1]
    if kind == "internal":
        return True
    return kind == "external" and target in allowed
