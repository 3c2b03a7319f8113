"""Render assembled documents with Jinja2: HTML auto-escaped, Markdown neutralised, text wrapped for e-mail.

Translations are untrusted input (a translator or an engine can write markup), so nothing reaches the output
without going through an escaping filter."""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from .. import langs
from .assemble import FALLBACK, MACHINE, UNREVIEWED, Assembled, BodyBlock, Piece

TEXT_WIDTH = 72


def _joined(block: BodyBlock) -> str:
    return "".join(piece.text + space for piece, space in block.parts).strip()


def wrap_block(block: BodyBlock) -> str:
    return textwrap.fill(_joined(block), TEXT_WIDTH, break_long_words=False, break_on_hyphens=False)


# Markdown: characters that could open emphasis, links, code or strikethrough anywhere in a line…
_MD_INLINE = re.compile(r"([\\`*_\[\]~])")
# …and those that only matter at the start of a line (headings, lists, quotes, thematic breaks).
_MD_LINE_START = re.compile(r"^(\s*)([#>+\-=]|\d+[.)])", re.M)


def md(text: str) -> str:
    """Make untrusted text inert in CommonMark: no raw HTML, no links, no emphasis — it reads as written."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_INLINE.sub(r"\\\1", text)
    return _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def md_block(block: BodyBlock) -> str:
    return md(_joined(block))


def html_piece(piece: Piece) -> Markup:
    """Escape the text; mark French fallback with lang so screen readers switch voice, and drafts with a state."""
    if piece.state == FALLBACK:
        return Markup('<span lang="{}" data-state="fallback">{}</span>').format(piece.lang, piece.text)
    if piece.state in (MACHINE, UNREVIEWED):
        return Markup('<span data-state="{}">{}</span>').format(piece.state, piece.text)
    return escape(piece.text)


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(loader=PackageLoader("l10n", "templates"),
                      autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
                      undefined=StrictUndefined, keep_trailing_newline=True, trim_blocks=False)
    env.filters.update(wrap_block=wrap_block, md=md, md_block=md_block, html_piece=html_piece)
    return env


@dataclass(frozen=True)
class Alternate:
    lang: str
    href: str
    name: str


def render_text(doc: Assembled) -> str:
    return _tidy(environment().get_template("document.txt.j2").render(doc=doc))


def render_markdown(doc: Assembled) -> str:
    return _tidy(environment().get_template("document.md.j2").render(doc=doc))


def _tidy(text: str) -> str:
    """At most one blank line in a row (two before the signatories in text), one final newline."""
    text = re.sub(r"\n{4,}", "\n\n\n", text)
    return text.strip("\n") + "\n"


def render_html(doc: Assembled, notices: list[str], alternates: list[Alternate], furniture: dict[str, str]) -> str:
    title = doc.title.text if doc.title else doc.doc_id
    others = [a for a in alternates if a.lang != doc.lang]
    return environment().get_template("document.html.j2").render(
        doc=doc, dir=langs.direction(doc.lang), title=title, notices=notices, alternates=alternates,
        others=others, furniture=furniture)


def render_index(rows: list[dict], source_lang: str, title: str) -> str:
    return environment().get_template("index.html.j2").render(rows=rows, source_lang=source_lang, title=title)
