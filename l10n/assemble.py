"""Turn a source document and one language's catalog into a translated document model, choosing per segment
between the reviewed translation, a draft, or the French original, and saying which."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import state
from .po import Catalog, Entry
from .document import (DATELINE, LAST, ORGANISATION, PARAGRAPH, SIGNATORIES_HEADING, TITLE, Document, Segment,
                       publication_order)
from .pot import keyed_segments

REVIEWED, AUTOMATIC, UNREVIEWED, MACHINE, FALLBACK = "reviewed", "automatic", "unreviewed", "machine", "fallback"
#: pieces shown without a mark: a translator's text, and terminology the tool filled (names, CLDR, glossary)
TRUSTED = (REVIEWED, AUTOMATIC)
BODY_ROLES = (TITLE, PARAGRAPH, DATELINE)


@dataclass(frozen=True)
class Piece:
    """A rendered segment: its text, how trustworthy it is, its language (the source's for a fallback), and the
    source text it stands for (whose web addresses the Markdown output lets link: render.md)."""

    text: str
    state: str
    lang: str
    source: str = ""

    @property
    def words(self) -> int:
        return state.words(self.text)


@dataclass
class BodyBlock:
    role: str
    parts: list[tuple[Piece, str]]  # (sentence or paragraph, whitespace after it)


@dataclass
class GroupOut:
    heading: Piece | None
    code: str | None
    organisations: list[Piece]
    kind: str = LAST  # document.Group.kind: where the group stands in the list


@dataclass
class Assembled:
    lang: str
    doc_id: str
    body: list[BodyBlock] = field(default_factory=list)
    signatories_heading: Piece | None = None
    groups: list[GroupOut] = field(default_factory=list)
    #: the translation shown for each catalog key (msgctxt, msgid), for the publication record
    shown: dict[tuple[str | None, str], str] = field(default_factory=dict)

    def pieces(self) -> list[Piece]:
        out = [p for block in self.body for p, _ in block.parts]
        if self.signatories_heading:
            out.append(self.signatories_heading)
        for group in self.groups:
            out += ([group.heading] if group.heading else []) + group.organisations
        return out

    def count(self, state: str) -> int:
        return sum(1 for p in self.pieces() if p.state == state)

    @property
    def has_unreviewed(self) -> bool:
        return any(p.state not in TRUSTED for p in self.pieces())

    def text_pieces(self) -> list[Piece]:
        """The pieces a translator has to translate (automatic terminology aside), for the notices' counts."""
        return [p for p in self.pieces() if p.state != AUTOMATIC]

    def body_fallback(self) -> int:
        """Title, paragraphs and dateline shown in the source language."""
        return sum(1 for block in self.body for p, _ in block.parts if p.state == FALLBACK)

    @property
    def title(self) -> Piece | None:
        return self.body[0].parts[0][0] if self.body and self.body[0].role == "title" else None


_PIECE_STATE = {state.REVIEWED: REVIEWED, state.AUTOMATIC: AUTOMATIC, state.MACHINE: MACHINE,
                state.FUZZY: UNREVIEWED}


def _choose(entry: Entry | None, source_text: str, lang: str, source_lang: str, shown: str | None) -> Piece:
    """The piece for a segment, `shown` being published(entry, allow_fuzzy)."""
    if lang == source_lang:  # the original itself
        return Piece(source_text, REVIEWED, lang, source_text)
    if entry is None or shown is None:
        return Piece(source_text, FALLBACK, source_lang, source_text)
    return Piece(entry.translation, _PIECE_STATE[shown], lang, source_text)


def assemble(doc: Document, po: Catalog | None, lang: str, source_lang: str, mode: str, allow_fuzzy: bool,
             order: str = "collation", shown: dict[tuple[str | None, str], str | None] | None = None,
             keyed: list[tuple[tuple[str | None, str], Segment]] | None = None) -> Assembled:
    """The document in `lang`; `shown`, when the caller decided it already (state.count_shown), is each catalog
    key's published state; `keyed`: keyed_segments(doc, mode), when the caller has them (a build assembles every
    language from the same)."""
    index = po.index() if po is not None else {}
    out = Assembled(lang=lang, doc_id=doc.id)
    blocks: dict[int, BodyBlock] = {}
    groups: dict[int, GroupOut] = {}
    for key, seg in keyed_segments(doc, mode) if keyed is None else keyed:
        entry = index.get(key)
        published = shown.get(key) if shown is not None else state.published(entry, allow_fuzzy)
        piece = _choose(entry, seg.text, lang, source_lang, published)
        if piece.state != FALLBACK and lang != source_lang:
            out.shown[key] = piece.text
        if seg.role in BODY_ROLES:
            blocks.setdefault(seg.block, BodyBlock(seg.role, [])).parts.append((piece, seg.space))
        elif seg.role == SIGNATORIES_HEADING:
            out.signatories_heading = piece
        else:
            assert doc.signatories is not None
            source_group = doc.signatories.groups[seg.block]
            group = groups.setdefault(seg.block, GroupOut(None, source_group.code, [], source_group.kind))
            if seg.role == ORGANISATION:
                group.organisations.append(piece)
            else:
                group.heading = piece
    out.body = [blocks[i] for i in sorted(blocks)]
    ordered = [groups[i] for i in sorted(groups)]
    out.groups = sort_groups(ordered, lang) if order == "collation" else ordered
    return out


def sort_groups(groups: list[GroupOut], lang: str) -> list[GroupOut]:
    """Countries and regions (Basque Country) in the target language's collation order of their localised
    names; groups kept last (Europe, international organisations) after them, in the committee's order."""
    return publication_order(groups, lambda g: g.kind, lambda g: g.heading.text if g.heading else None, lang)
