"""The appeal as an e-mail (`dist/<lang>/<doc>.eml`) for a mail client or a mailing-list tool to import.

A multipart/alternative message built with Python's `email` package: the plain text that `build` publishes, and an
HTML part rendered from the same document model and filters as the web page, with its styles inline (mail clients
drop style sheets) and nothing to fetch. No sender or recipients: whoever sends it sets those."""

from __future__ import annotations

import html as htmllib
import re
from email.message import EmailMessage
from email.policy import default

from .. import langs
from ..assemble import Assembled
from ..render import Page, clean, environment, joined
from ..digest import sha256

# A start tag as our templates write them: attribute values are escaped, so they hold no `"` and no `>`.
_TAG = re.compile(r"<[a-z][a-z0-9]*(?: [a-z-]+=\"[^\"]*\")*>")
_STATE = re.compile(r' data-state="([a-z]+)"')
_STYLE = re.compile(r' style="([^"]*)"')
_URL_ATTR = re.compile(r' (?:href|src)="([^"]*)"')
#: what the web page's stylesheet does to passages that are not reviewed translations, as inline styles
STATE_STYLES = {"fallback": "background: #fff3d6; border-bottom: 1px dotted #8a4b00;"}
DRAFT_STYLE = "background: #fff3d6;"


def _inline(tag: re.Match, links: frozenset[str]) -> str:
    """Give a tag with `data-state` the highlight the page's `[data-state]` rule would, merged into its style; drop
    any address that is not one of the appeal's own links."""
    text = _URL_ATTR.sub(lambda m: m.group(0) if htmllib.unescape(m.group(1)) in links else "", tag.group(0))
    state = _STATE.search(text)
    if state is None:
        return text
    mark = STATE_STYLES.get(state.group(1), DRAFT_STYLE)
    if _STYLE.search(text):
        return _STYLE.sub(lambda m: f' style="{m.group(1)} {mark}"', text, count=1)
    return text[:-1] + f' style="{mark}">'


def render_mail_html(doc: Assembled, page: Page, links: frozenset[str] = frozenset()) -> str:
    title = joined(doc.body[0]) if doc.title else doc.doc_id
    html = environment().get_template("document.mail.html.j2").render(
        doc=doc, dir=langs.direction(doc.lang), title=title, notices=page.notices)
    return _TAG.sub(lambda tag: _inline(tag, links), html)


_WORD = re.compile(r"\w+(?:['’]\w+)*")


def sentence_case(title: str, body: list[str]) -> str:
    """A title as a subject line in sentence case: "L'ASSOCIATION ALERTE : AZAT MIFTAKHOV…" → "L'association alerte :
    Azat Miftakhov…". A word keeps capitals only where the body writes it so in mid-sentence (names, German
    nouns, acronyms) and never in lower case; every other word is lower-cased, the first letter raised."""
    seen: dict[str, set[str]] = {}
    for text in body:
        for sentence in re.split(r"(?<=[.!?:;])\s+", text):
            for i, match in enumerate(_WORD.finditer(sentence)):
                word = match.group(0)
                if i or word.islower():  # the first word of a sentence is capitalised anyway: it says nothing
                    seen.setdefault(word.lower(), set()).add(word)

    def case(match: re.Match) -> str:
        word = match.group(0)
        forms = seen.get(word.lower(), set())
        capitalised = sorted(f for f in forms if not f.islower())
        return capitalised[0] if capitalised and word.lower() not in forms else word.lower()

    text = _WORD.sub(case, clean(title))
    return text[:1].upper() + text[1:]


def render_eml(doc: Assembled, page: Page, text: str, links: frozenset[str] = frozenset()) -> bytes:
    """The message, with `text` (the published plain text) as its first alternative; `links` are the appeal's
    own web addresses, the only ones the HTML part may link to."""
    title = joined(doc.body[0]) if doc.title else doc.doc_id
    body = [piece.text for piece in doc.pieces() if piece is not doc.title]
    message = EmailMessage(policy=default)
    message["Subject"] = sentence_case(title, body)
    message.set_content(text, subtype="plain", charset="utf-8")
    html = render_mail_html(doc, page, links)
    message.add_alternative(html, subtype="html", charset="utf-8")
    message["Content-Language"] = doc.lang  # after the parts: setting content clears a part's Content-* headers
    # A boundary derived from the content: the same appeal gives the same bytes (no churn in dist/), and a digest
    # of the parts cannot occur inside them.
    message.set_boundary("=_l10n_" + sha256((text + "\0" + html), 32))
    return message.as_bytes()
