"""Render assembled documents with Jinja2: HTML auto-escaped, Markdown neutralised, text wrapped for e-mail.

Translations are untrusted input (a translator or an engine can write markup, links, entities, even line breaks),
so every piece of text reaches a template only through a filter defined here: `clean` makes it one line of plain
characters, then the HTML filters escape it (Jinja's auto-escaping covers the rest), `md` makes it inert in
CommonMark, and the text filters only wrap it."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from . import langs, templating
from .po import unistring
from .furniture import Furniture, Text
from .assemble import TRUSTED, Assembled, BodyBlock, Piece

if TYPE_CHECKING:
    from jinja2 import Environment

TEXT_WIDTH = 72
ORG_INDENT, ORG_CONTINUATION = " " * 4, " " * 6

# ------------------------------------------------------------------------------------------------ plain text

# Line and paragraph breaks of every kind (what str.splitlines knows, plus tabs) become one space: a translation
# must not be able to end a heading or a list item and start a block of its own.
_BREAKS = re.compile(r"[ \t\n\v\f\r\x1c-\x1f\x85\u2028\u2029]+")


@lru_cache(maxsize=1 << 16)
def clean(text: str) -> str:
    """One line of printable text: breaks and runs of spaces become one space, control characters go.

    No-break spaces (U+00A0, U+202F) are kept: French and others need them before `:` and `%`. Cached: every
    piece is cleaned for each of three formats, and fallback passages recur in every language."""
    if text.isprintable() and "  " not in text:  # no break but single spaces, no control: most text
        return text.strip()
    return templating.printable(_BREAKS.sub(" ", text)).strip()  # other controls go, as from every page


# Web addresses in prose become links; nothing but http and https, so that no `javascript:` or `data:` can.
_URL = re.compile(r"https?://[^\s<>\"'`\\{}|^«»‹›“”‘’]+", re.IGNORECASE)
_URL_TRAILING = ".,;:!?"
# A host name: labels of letters, digits and inner hyphens. "https://(:1" names none, and CommonMark renderers
# rewrite such an autolink's text (markdown-it shows it as "https://:1(").
_HOST = re.compile(r"[^\W_](?:[\w-]*[^\W_])?(?:\.[^\W_](?:[\w-]*[^\W_])?)*\.?")


def urls(text: str) -> list[tuple[int, int]]:
    """(start, end) of every http(s) address in one line of text, without the sentence's punctuation after it
    (a closing parenthesis only when the address opened none) and only where it names a host."""
    found = []
    for match in _URL.finditer(text):
        url = match.group(0)
        while url and (url[-1] in _URL_TRAILING or (url[-1] == ")" and url.count("(") < url.count(")"))):
            url = url[:-1]
        try:
            parts = urlsplit(url)
            parts.port  # a port that is not a number raises: markdown-it rewrites "https://a:b:1" as "https://a:1:b"
        except ValueError:
            continue
        if parts.scheme.lower() in ("http", "https") and parts.hostname and _HOST.fullmatch(parts.hostname):
            found.append((match.start(), match.start() + len(url)))
    return found


def joined(block: BodyBlock) -> str:
    return clean("".join(clean(piece.text) + space for piece, space in block.parts))


def line_break_units(text: str) -> list[str]:
    """UAX #14 break opportunities from libunistring; where it is missing, after each run of spaces."""
    library = unistring.library()
    return library.line_break_units(text) if library is not None else re.findall(r"\S+\s*|\s+", text)


def text_width(text: str) -> int:
    """Columns in a terminal: libunistring's count (wide CJK characters two, combining marks none); where it is
    missing, East Asian width from unicodedata."""
    if text.isascii() and text.isprintable():  # one column each, whoever counts
        return len(text)
    library = unistring.library()
    if library is not None and "\0" not in text:
        return library.width(text.encode("utf-8"))
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _chunks(text: str) -> list[str]:
    """Pieces that may start a line: UAX #14 break opportunities (libunistring's, as in PO files), kept only where
    they follow a space. So nothing is cut inside a word or after a hyphen, and a line never starts with the `:`,
    `!` or `?` that French sets after a space."""
    library = unistring.library()
    if library is not None:
        chunks = library.space_break_units(text)
    else:
        chunks, current = [], ""
        for unit in line_break_units(text):
            current += unit
            if unit.endswith(" "):
                chunks.append(current.rstrip(" "))
                current = ""
        chunks += [current] if current else []
    glued: list[str] = []
    for chunk in chunks:  # « and » set apart by spaces stay with their word, whatever UAX #14 allows
        # (a chunk starting with a letter or digit is no punctuation: tested inline, it is most chunks)
        if glued and ((not chunk[:1].isalnum() and _only(chunk, "Pf", "Pe", "Po"))
                      or (not glued[-1][:1].isalnum() and _only(glued[-1], "Pi", "Ps"))):
            glued[-1] += " " + chunk
        else:
            glued.append(chunk)
    return glued


def _only(text: str, *categories: str) -> bool:
    """Punctuation of these Unicode categories and nothing else (spaces aside)."""
    marks = text.replace(" ", "")
    if not marks or marks[0].isalnum():  # a letter or digit is no punctuation: most chunks end here
        return False
    return all(unicodedata.category(c) in categories for c in marks)


def wrap(text: str, width: int = TEXT_WIDTH, first: str = "", rest: str = "") -> list[str]:
    """Greedy fill by display width (wide CJK characters count two), like textwrap but for any script; a chunk
    longer than the line gets a line of its own rather than being cut. Width 0: one line (`publish.txt.wrap`)."""
    return list(_wrap(text, width, first, rest))


@lru_cache(maxsize=1 << 16)
def _wrap(text: str, width: int, first: str, rest: str) -> tuple[str, ...]:
    """Cached: fallback passages and organisation names are the same text in every language's page."""
    cleaned = clean(text)
    # Chunks join back into the cleaned text with single spaces, and widths add up across them: a text that fits
    # on the first line is that line, without finding its break opportunities.
    if width <= 0 or text_width(first + cleaned) <= width:
        return (first + cleaned,)
    lines: list[str] = []
    prefix, current, used = first, "", text_width(first)  # used: the width of prefix + current
    for chunk in _chunks(cleaned):
        size = _chunk_width(chunk)
        if current and used + 1 + size > width:
            lines.append(prefix + current)
            prefix, current, used = rest, chunk, text_width(rest) + size
        else:
            current, used = (f"{current} {chunk}", used + 1 + size) if current else (chunk, used + size)
    if current or not lines:
        lines.append(prefix + current)
    return tuple(lines)


@lru_cache(maxsize=1 << 16)
def _chunk_width(chunk: str) -> int:
    """Cached: a language's words recur all through its page."""
    return text_width(chunk)


def wrap_block(block: BodyBlock, width: int = TEXT_WIDTH) -> str:
    return "\n".join(wrap(joined(block), width))


def wrap_text(text: str | Text, width: int = TEXT_WIDTH) -> str:
    return "\n".join(wrap(str(text), width))


def wrap_organisation(piece: Piece, width: int = TEXT_WIDTH) -> str:
    """An indented list entry; a name too long for the line continues further indented, so it reads as one."""
    return "\n".join(wrap(piece.text, width, ORG_INDENT, ORG_CONTINUATION))


def underline(text: str, char: str = "=", width: int = TEXT_WIDTH) -> str:
    """A heading, wrapped, with a rule as wide as its widest line."""
    lines = wrap(text, width)
    return "\n".join(lines + [char * max(text_width(line) for line in lines)])


# ------------------------------------------------------------------------------------------------ Markdown

# Anywhere in a line: what opens code spans, emphasis (`*` works inside words), links and images, raw HTML and
# autolinks, GFM strikethrough; and the backslash itself, so that a translator's `\[` cannot undo our escape.
_MD_ANYWHERE = re.compile(r"[\\`*\[\]<~]")
# `_` opens emphasis only next to spaces or punctuation: "snake_case" stays readable.
_MD_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
# `&` only where it would start an entity (`&lt;`, `&#106;`): "Tom & Jerry" stays as written.
_MD_ENTITY = re.compile(r"&(?=#?\w+;)")
# At the start of a line (always our line: the text is one line): headings, quotes, list items, thematic breaks…
_MD_START = re.compile(r"[#>+=\-]")
# …and ordered list markers (`2019. ` or `1) `): the delimiter is escaped, the number stays readable.
_MD_ORDERED = re.compile(r"(\d+)([.)])")
# An ATX heading's closing sequence (` ##` at the end) would be dropped.
_MD_CLOSING = re.compile(r"(?<= )#+$")
# GitHub's extended autolinks: a bare address (http, https, ftp: any case) or `www.` becomes a link with no
# markup at all. The group is where an escape stops one: before the scheme's `:`, or the `.` after www.
_MD_AUTOLINK = re.compile(r"(?i:https?|ftp)(:)//[^\s<]*|(?<![\w.-])www(\.)[^\s<]*")
_MD_URL_END = ".,:;!?\"')*_~"  # what GitHub leaves out of a link at its end
_NO_URLS: frozenset[str] = frozenset()


def _addresses(text: str) -> frozenset[str]:
    """Web addresses in a text, as both `urls` and GitHub's autolinks delimit them."""
    if ":" not in text and "www" not in text:
        return _NO_URLS
    found = {text[a:b] for a, b in urls(text)}
    return frozenset(found | {m.group(0).rstrip(_MD_URL_END) for m in _MD_AUTOLINK.finditer(text)})


def _text_and_addresses(item: str | Text | Piece | BodyBlock) -> tuple[str, frozenset[str] | None]:
    """What to render, and the web addresses its source has (None: a text without a source, whose addresses
    md_linked links)."""
    if isinstance(item, Piece):
        return item.text, _addresses(clean(item.source))
    if isinstance(item, BodyBlock):
        return joined(item), frozenset().union(*(_addresses(clean(p.source)) for p, _ in item.parts))
    return str(item), None


def _stop_autolinks(text: str, allowed: frozenset[str]) -> str:
    """Where GitHub would turn an address that is not `allowed` into a link, a NUL, which `_md_done` makes a
    backslash once the other escapes are done (`https\\://…`, `www\\.…`: rendered as written, not linked)."""
    if ":" not in text and "www" not in text:
        return text

    def stop(match: re.Match[str]) -> str:
        token = match.group(0)
        if _addresses(token) & allowed:
            return token
        at = (match.start(1) if match.group(1) else match.start(2)) - match.start()
        return token[:at] + "\0" + token[at:]

    return _MD_AUTOLINK.sub(stop, text)


def _md_done(text: str) -> str:
    return text.replace("\0", "\\")


def md(item: str | Text | Piece | BodyBlock) -> str:
    """Untrusted text as one inert CommonMark line: it renders exactly as written (no HTML, no links, no
    emphasis, no entities, no block of its own), and stays readable where nothing needed escaping. A bare web
    address stays one GitHub links only where the source has it too."""
    text, allowed = _text_and_addresses(item)
    return _md(text, allowed or _NO_URLS)


@lru_cache(maxsize=1 << 16)
def _md(text: str, allowed: frozenset[str] = _NO_URLS) -> str:
    """Cached, like _wrap: the same passages recur in every language."""
    return _md_done(_md_start(_md_inline(_stop_autolinks(clean(text), allowed))))


def _md_inline(text: str) -> str:
    """What may open inline markup anywhere in a line, escaped."""
    text = _MD_ANYWHERE.sub(lambda m: "\\" + m.group(0), text)
    text = _MD_UNDERSCORE.sub(r"\\_", text)
    return _MD_ENTITY.sub(r"\\&", text)


def _md_start(text: str) -> str:
    """What would open a block at the start of a line, escaped."""
    if _MD_START.match(text):
        return "\\" + text
    return _MD_ORDERED.sub(r"\1\\\2", text, count=1) if _MD_ORDERED.match(text) else text


def md_linked(text: str, allowed: frozenset[str] | None = None) -> str:
    """Like md, with web addresses as CommonMark autolinks (`<https://…>`): the only markup a text can get.
    With `allowed` (the addresses of the source), only those: an address a translation adds stays text."""
    text = clean(text)
    spans = [(a, b) for a, b in urls(text) if allowed is None or text[a:b] in allowed]
    if not spans:
        return _md(text, allowed or _NO_URLS)
    out, position = [], 0
    for start, end in spans:
        out.append(_md_inline(_stop_autolinks(text[position:start], allowed or _NO_URLS)) + f"<{text[start:end]}>")
        position = end
    return _md_done(_md_start("".join(out) + _md_inline(_stop_autolinks(text[position:], allowed or _NO_URLS))))


def md_heading(item: str | Text | Piece | BodyBlock) -> str:
    return _MD_CLOSING.sub(lambda m: "\\" + m.group(0), md(item))


def md_block(block: BodyBlock) -> str:
    """A paragraph or the dateline: inert, but with the web addresses of its source linked."""
    text, allowed = _text_and_addresses(block)
    return md_linked(text, allowed)


# ------------------------------------------------------------------------------------------------ HTML


def _other_language(lang: str, page_lang: str) -> bool:
    """Only a different language (not `pt` on a `pt-BR` page) needs its own lang attribute."""
    return langs.locale(lang).language != langs.locale(page_lang).language


@lru_cache(maxsize=1024)
def lang_attrs(lang: str, page_lang: str) -> Markup:
    """` lang="fr"`, plus `dir` when the direction differs (French on an Arabic page), or nothing.

    Cached: it is asked for every segment, with a handful of distinct languages."""
    if not _other_language(lang, page_lang):
        return Markup("")
    out = Markup(' lang="{}"').format(lang)
    if langs.direction(lang) != langs.direction(page_lang):
        out += Markup(' dir="{}"').format(langs.direction(lang))
    return out


def piece_attrs(piece: Piece, page_lang: str) -> Markup:
    """French fallback carries the source language (screen readers switch voice); drafts say what they are; text
    that runs the other way from the page (a Latin organisation name on an Arabic page) says so, for renderers
    without <bdi> isolation, such as WeasyPrint's PDF."""
    out = _piece_attrs(piece.lang, piece.state, page_lang)
    if ' dir="' not in out:
        runs = _strong_direction(piece.text)
        if runs is not None and runs != langs.direction(page_lang):
            out += Markup(' dir="{}"').format(runs)
    return out


@lru_cache(maxsize=1 << 16)
def _strong_direction(text: str) -> str | None:
    """The direction of the first strongly directional character (as `dir="auto"` decides), if any."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return None


@lru_cache(maxsize=1024)
def _piece_attrs(lang: str, state: str, page_lang: str) -> Markup:
    out = lang_attrs(lang, page_lang)
    if state not in TRUSTED:
        out += Markup(' data-state="{}"').format(state)
    return out


def text_attrs(text: Text, page_lang: str) -> Markup:
    return lang_attrs(text.lang, page_lang)


def piece_html(piece: Piece) -> Markup:
    return _piece_html(piece.text)


@lru_cache(maxsize=1 << 16)
def _piece_html(text: str) -> Markup:
    return escape(clean(text))


def linked_html(text: str, allowed: frozenset[str] | None = None) -> Markup:
    """Escaped text with its http(s) addresses as links (the address is the link's text: nothing hidden); with
    `allowed`, only those addresses, as in the Markdown output: an address a translation adds to its source
    stays text, so no translator or engine can slip a link into a page."""
    text = clean(text)
    out, position = Markup(""), 0
    for start, end in urls(text):
        if allowed is not None and text[start:end] not in allowed:
            continue
        out += escape(text[position:start]) + Markup('<a href="{0}">{0}</a>').format(text[start:end])
        position = end
    return out + escape(text[position:])


def block_attrs(block: BodyBlock, page_lang: str) -> Markup:
    """A block made of one segment carries that segment's attributes on its own element."""
    return piece_attrs(block.parts[0][0], page_lang) if len(block.parts) == 1 else Markup("")


def block_html(block: BodyBlock, page_lang: str) -> Markup:
    """The block's text; in sentence mode every sentence that is not reviewed is a span with its attributes. Web
    addresses of the source in paragraphs and the dateline are links; the title (a heading) stays text."""
    html = piece_html if block.role == "title" else (lambda piece: linked_html(*_text_and_addresses(piece)))
    if len(block.parts) == 1:
        return html(block.parts[0][0])
    out = Markup("")
    for piece, space in block.parts:
        attrs = piece_attrs(piece, page_lang)
        out += Markup("<span{}>{}</span>").format(attrs, html(piece)) if attrs else html(piece)
        out += escape(" " if space else "")
    return Markup(out.strip())


# ------------------------------------------------------------------------------------------------ pages


@dataclass(frozen=True)
class Alternate:
    """The same document in another language, as a page links to it."""

    lang: str
    href: str
    name: str  # autonym, from CLDR
    dir: str = "ltr"


@dataclass(frozen=True)
class Notice:
    """A warning above the appeal: a title (or none) and sentences, all from the furniture catalogs."""

    kind: str  # "machine" | "fallback" | "reviewed"
    title: Text | None
    lines: tuple[Text, ...]


@dataclass(frozen=True)
class Page:
    """What surrounds one rendered document."""

    furniture: Furniture
    notices: tuple[Notice, ...] = ()
    alternates: tuple[Alternate, ...] = ()
    index_href: str = "../index.html"


@dataclass(frozen=True)
class IndexRow:
    lang: str
    doc: str
    name: str  # autonym
    local_name: str  # the language's name in the index page's language
    dir: str
    percent: float | None  # None for the original and for a language not published
    reviewed: str  # percent formatted for the index language
    status: Text
    links: tuple[tuple[Text, str, str], ...] = field(default_factory=tuple)  # (label, href, media type)
    available: bool = True


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = templating.environment()  # with the published documents' own filters
    env.filters.update(
        clean=clean, joined=joined, wrap_block=wrap_block, wrap_text=wrap_text, wrap_organisation=wrap_organisation,
        underline=underline, md=md, md_heading=md_heading, md_block=md_block, piece_attrs=piece_attrs,
        piece_html=piece_html, block_attrs=block_attrs, block_html=block_html, text_attrs=text_attrs,
        lang_attrs=lang_attrs)
    return env


def _tidy(text: str) -> str:
    """At most two blank lines in a row (they set the signatories apart in text), one final newline. (A run of
    four line breaks loses one until none is left: str.replace searches a whole page much faster than a
    regular expression.)"""
    while "\n\n\n\n" in text:
        text = text.replace("\n\n\n\n", "\n\n\n")
    return text.strip("\n") + "\n"


def render_text(doc: Assembled, page: Page | None = None, width: int = TEXT_WIDTH) -> str:
    notices = page.notices if page else ()
    return _tidy(environment().get_template("document.txt.j2").render(doc=doc, notices=notices, width=width))


def render_markdown(doc: Assembled, page: Page | None = None) -> str:
    notices = page.notices if page else ()
    return _tidy(environment().get_template("document.md.j2").render(doc=doc, notices=notices))


def render_html(doc: Assembled, page: Page) -> str:
    title = joined(doc.body[0]) if doc.title else doc.doc_id
    others = [a for a in page.alternates if a.lang != doc.lang]
    return environment().get_template("document.html.j2").render(
        doc=doc, dir=langs.direction(doc.lang), title=title, notices=page.notices, alternates=page.alternates,
        others=others, f=page.furniture, index_href=page.index_href)


def render_index(rows: list[IndexRow], lang: str, furniture: Furniture) -> str:
    """The index; it says so when no translation is published (the original alone is not a translation)."""
    translated = [r for r in rows if r.available and r.percent is not None]
    return environment().get_template("index.html.j2").render(rows=rows, lang=lang, dir=langs.direction(lang),
                                                              f=furniture, nothing_published=not translated)
