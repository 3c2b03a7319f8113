"""What each language's catalog of a document holds beyond the template: its header, the terminology l10n fills
(CLDR names, organisation names), and the inputs that tell whether merging the catalog again would change it. Shared
by the update and pretranslate stages."""

from __future__ import annotations

from pathlib import Path

from . import langs, provenance, state
from . import po as pofile
from .config import Config
from .digest import file_digest
from .document import COUNTRY, ORGANISATION, Document, Segment, load_document, territory_name, territory_naming
from .errors import L10nError
from .memo import Memo, same_catalog
from .paths import pot_path
from .po import Catalog, Entry
from .po.merge import merge
from .po.model import with_header_field
from .pot import header_text, keyed_segments, now, template

PROPER_NAME_NOTE = "proper name kept as in the source; change it only to the organisation's official name"


def po_header(config: Config, lang: str, doc_id: str, pot: Catalog, old: Catalog | None) -> Entry:
    fields = {
        "POT-Creation-Date": pot.header_field("POT-Creation-Date") or now(),
        "Language": langs.gettext_code(lang),
        "Plural-Forms": langs.plural_forms(lang),
    }
    if old is None:
        header = Entry(msgid="", translator_comments=[f"{langs.language_name(lang, 'en')} translation of {doc_id}."],
                       msgstr=header_text(doc_id, {**fields, "PO-Revision-Date": now(),
                                                    "Language-Team": langs.language_name(lang, "en")}))
        return header
    header = old.header.copy()
    for name, value in fields.items():
        header.msgstr = with_header_field(header.msgstr, name, value)
    return header


class UpdateInputs:
    """What `update` reads for one document, loaded only when a language needs merging; and the facts that let
    the next run skip a catalog `update` would leave as it is."""

    def __init__(self, config: Config, path: Path) -> None:
        self.config = config
        self.path = path
        self.source = file_digest(config.root / path)
        self.pot_sha = file_digest(pot_path(config, path))
        self._loaded: tuple[Document, Catalog, list[tuple[tuple[str | None, str], Segment]]] | None = None

    def load(self) -> tuple[Document, Catalog, list[tuple[tuple[str | None, str], Segment]]]:
        if self._loaded is None:
            doc = load_document(self.config, self.path)
            pot = pofile.load_or_none(pot_path(self.config, self.path)) or template(self.config, doc)
            self._loaded = (doc, pot, terminology_segments(doc, self.config))
        return self._loaded

    def _key(self, lang: str) -> str:
        return f"{lang}\t{self.path.as_posix()}"

    def known(self, memo: Memo, lang: str, po_sha: str | None) -> dict[str, int] | None:
        """The counts `update` would report for this catalog, when it is known to leave it unchanged."""
        fact = memo.get("update", self._key(lang))
        if fact is None or None in (self.source, self.pot_sha, po_sha):
            return None
        if (fact.get("source"), fact.get("pot"), fact.get("po")) != (self.source, self.pot_sha, po_sha):
            return None
        return dict(fact["counts"])

    def remember(self, memo: Memo, lang: str, po: Catalog) -> None:
        """After a catalog was written (or found current): if merging it again would change nothing, say so.

        Checked, not assumed: the merge runs once more in memory on the catalog as saved (cheap next to loading
        and writing it), and the fact is kept only if the result is the same catalog."""
        if self.source is None or self.pot_sha is None or po.loaded_digest is None:
            return
        try:
            doc, pot, terminology = self.load()
        except L10nError:
            return  # (pretranslate asks without having read the source) no fact, and no new error either
        if not pot.header_field("POT-Creation-Date"):
            return  # without it, every merge stamps the current time: nothing is a fixed point
        again = merge(pot, po, po.path, po_header(self.config, lang, doc.id, pot, po))
        filled = fill_terminology(again.catalog, doc, self.config, lang, terminology)
        if same_catalog(again.catalog, po):
            self.record(memo, lang, po.loaded_digest, {"kept": again.kept, "fuzzy": again.fuzzy,
                                                       "new": again.added, "obsolete": again.obsoleted,
                                                       "terminology": filled})

    def record(self, memo: Memo, lang: str, po_sha: str | None, counts: dict[str, int]) -> None:
        """`update` leaves the catalog with these bytes as it is, reporting these counts."""
        if None not in (self.source, self.pot_sha, po_sha):
            memo.put("update", self._key(lang), {"source": self.source, "pot": self.pot_sha, "po": po_sha,
                                                 "counts": counts})


def terminology_segments(doc: Document, config: Config) -> list[tuple[tuple[str | None, str], Segment]]:
    """The segments terminology can fill, whatever the language: country headings written as CLDR or l10n's
    alias table name them in the source language, and organisations. Found once per document, not once per
    language."""
    out = []
    for key, seg in keyed_segments(doc, config.segmentation):
        if seg.role == COUNTRY and seg.code and territory_naming(seg.code, seg.text, config.source_language):
            out.append((key, seg))
        elif seg.role == ORGANISATION:
            out.append((key, seg))
    return out


def fill_terminology(po: Catalog, doc: Document, config: Config, lang: str,
                     segments: list[tuple[tuple[str | None, str], Segment]] | None = None) -> int:
    """Country headings from CLDR (or the alias table's short names) where the source names the territory so,
    and organisation names as written, with a digest of the text (`# l10n: cldr DE sha:…`) so that a
    translator's change shows as theirs.

    Fills empty entries, and writes again what the tool wrote for an older source text (state.stale): a
    translator's choice always wins. A comment without a digest (catalogs of earlier versions) gets one while
    the text is still the tool's. `segments`: terminology_segments(doc, config), when the caller fills several
    languages."""
    index = po.index()
    filled = 0
    for key, seg in terminology_segments(doc, config) if segments is None else segments:
        entry = index.get(key)
        if entry is None:
            continue
        if seg.role == COUNTRY:
            assert seg.code is not None
            text, notes = territory_name(seg.code, seg.text, config.source_language, lang) or "", []
            short = territory_naming(seg.code, seg.text, config.source_language) == "short"
            detail = f"{seg.code} short-name" if short else seg.code  # from l10n's alias table, not CLDR's
            origin = provenance.Provenance(provenance.CLDR, detail, provenance.digest(text))
        else:
            text, notes = seg.text, [PROPER_NAME_NOTE]
            origin = provenance.Provenance(provenance.SOURCE_NAME, "", provenance.digest(text))
        if not text:
            continue
        if not entry.has_translation or state.stale(entry):
            entry.msgstr = text
            filled += 1
        elif not _undigested(entry, origin, text):
            continue
        comments = provenance.replace(entry.translator_comments, origin, notes)
        if comments != entry.translator_comments:
            entry.translator_comments = comments
        entry.set_fuzzy(False)
    return filled


def _undigested(entry: Entry, origin: provenance.Provenance, text: str) -> bool:
    """Terminology written by an earlier version, without a digest, and still exactly the tool's text."""
    found = provenance.parse(entry.translator_comments)
    return (found is not None and found.origin == origin.origin and not found.digest and not entry.fuzzy
            and entry.translation == text)
