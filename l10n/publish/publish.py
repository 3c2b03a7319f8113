"""Stage `build`: for every language that meets the publishing policy, write dist/<lang>/<doc>.{txt,md,html,pdf,eml}
or the formats asked for (the source language's too, as the original) and dist/index.html, and report how much of each fell back to
the source language or is unreviewed.

The policy decides per language: `publish.min_reviewed` with `publish.unreviewed: skip | banner` (or
`--min-complete`, which always skips) on the reviewed share, and `publish.source_fallback: skip | mark` on
title and body passages with no target-language text. A skipped language is removed from dist/ so that no
stale page outlives the decision, and the index lists it as not yet available. A notice on each page states
what the reader gets, from counts of passages."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable
from urllib.parse import quote

from .. import fsguard, furniture, langs
from .. import po as pofile
from ..config import Config, document_id
from ..errors import CatalogError
from ..digest import file_digest
from ..memo import Memo, code_digest, config_digest
from ..progress import remember_counts
from ..paths import po_path, pot_path
from ..state import count_shown, source_facts
from ..stamped import StampedSections
from . import FORMATS
from ..digest import sha256

if TYPE_CHECKING:
    from .. import render
    from ..assemble import Assembled
    from ..document import Document, Segment

SUFFIXES = tuple(f".{fmt}" for fmt in FORMATS)
INDEX = "index.html"


@dataclass
class LanguageBuild:
    lang: str
    document: str
    reviewed_percent: float
    fallback: int = 0
    unreviewed: int = 0
    skipped: bool = False
    banner: bool = False
    files: list[Path] = field(default_factory=list)
    #: why a skipped language is not published, for the build's report
    reason: str = ""


@dataclass
class BuildReport:
    languages: list[LanguageBuild] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)  # stale outputs not removed: l10n did not write them as they are


OUTPUTS_NAME = "outputs.json"


class Outputs(StampedSections):
    """Every file `build` wrote, by path inside the project, with the digest of what it wrote: a stale page is
    removed only if it is one of these and unchanged, so that a link, a hand-made file or an edit under dist/
    is never deleted. Kept in <cache_dir>/outputs.json, whatever the code or configuration (deleting it only
    means old pages stay until removed by hand)."""

    def __init__(self, config: Config) -> None:
        super().__init__(config.root / config.cache_dir / OUTPUTS_NAME, {"version": 1})
        self.root = config.root

    def _key(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def record(self, outputs: dict[str, str]) -> None:
        table = self.data.setdefault("files", {})
        for path, digest in outputs.items():
            key = self._key(Path(path))
            if table.get(key) != digest:
                table[key] = digest
                self.dirty = True

    def ours(self, path: Path) -> bool:
        digest = self.get("files", self._key(path))
        return digest is not None and file_digest(path) == digest

    def forget(self, path: Path) -> None:
        if self.data.get("files", {}).pop(self._key(path), None) is not None:
            self.dirty = True


@dataclass(frozen=True)
class Policy:
    """Below `threshold` percent of words reviewed a language is skipped, or published with a banner."""

    threshold: float
    skip: bool

    @classmethod
    def of(cls, config: Config, min_complete: float | None) -> Policy:
        if min_complete is not None:
            return cls(min_complete, True)
        return cls(config.publish.min_reviewed, config.publish.unreviewed == "skip")

    def below(self, percent: float) -> bool:
        return percent < self.threshold


@dataclass
class Published:
    """One language of one document that is (or stays) in dist/; `doc` is None when this run did not render it."""

    lang: str
    percent: float
    banner: bool
    complete: bool
    doc: Assembled | None = None
    item: LanguageBuild | None = None
    original: bool = False  # the source language itself
    drafts: bool = False
    date: dt.date | None = None  # when what it shows last changed (the PDF's footer and metadata)


def percent_text(percent: float, lang: str) -> str:
    """Rounded down, so that 99.6 % never reads as 100 %; digits and spacing from CLDR."""
    from babel.numbers import format_percent  # Babel's number formatting: only for the pages that show one

    return format_percent(math.floor(percent) / 100, locale=langs.locale(lang))


def number_text(n: int) -> Callable[[str], str]:
    """A count with the digits and grouping of the language the sentence turned out to be in."""
    from babel.numbers import format_decimal

    return lambda lang: format_decimal(n, locale=langs.locale(lang))


def source_name(source_lang: str) -> Callable[[str], str]:
    """The source language's name as used inside a sentence of the given language (CLDR: "francés")."""
    return lambda lang: langs.locale(source_lang).get_display_name(langs.locale(lang)) or source_lang


def notices(doc: Assembled, furn: furniture.Furniture, source_lang: str) -> tuple[render.Notice, ...]:
    """What the reader gets, from counts of the passages that need a translator (terminology aside): machine
    drafts, passages still in the source language, or text reviewed by translators. None on the original."""
    from .. import render
    from ..assemble import FALLBACK, MACHINE, REVIEWED, UNREVIEWED

    if doc.lang == source_lang:
        return ()
    pieces = doc.text_pieces()
    total = len(pieces)
    reviewed = sum(p.state == REVIEWED for p in pieces)
    drafts = sum(p.state in (MACHINE, UNREVIEWED) for p in pieces)
    fallback = sum(p.state == FALLBACK for p in pieces)
    if not drafts and not fallback:
        return (render.Notice("reviewed", furn(furniture.REVIEWED_TITLE), ()),) if total else ()
    lines = []
    if reviewed:
        lines.append(furn(furniture.REVIEWED_COUNT, reviewed=number_text(reviewed), total=number_text(total)))
    if drafts:
        lines.append(furn(furniture.DRAFTS))
    if fallback:
        lines.append(furn(furniture.FALLBACK_COUNT, language=source_name(source_lang), count=number_text(fallback),
                          total=number_text(total)))
    kind, title = ("machine", furniture.MACHINE_TITLE) if drafts else ("fallback", furniture.PARTIAL_TITLE)
    return (render.Notice(kind, furn(title), tuple(lines)),)


def _lang_dir(dist: Path, lang: str) -> Path:
    """Only a canonical BCP 47 tag known to CLDR becomes a directory name (config validated it already)."""
    if langs.canonical(lang) != lang:
        raise ValueError(f"{lang!r} is not a canonical language tag")
    return dist / lang


def _write(path: Path, content: str | bytes, report: BuildReport, outputs: dict[str, str] | None = None) -> Path:
    data = content.encode("utf-8") if isinstance(content, str) else content
    if pofile.write_if_changed(path, data):
        report.written.append(path)
    if outputs is not None:
        outputs[str(path)] = sha256(data)
    return path


def _remove(directory: Path, doc_id: str, report: BuildReport, record: Outputs,
            absent: list[str] | None = None) -> None:
    """Delete a skipped language's outputs of one document, those l10n wrote as they still are, and its folder
    once empty; never outside the project (fsguard)."""
    if absent is not None:
        absent += [str(directory / f"{doc_id}{suffix}") for suffix in SUFFIXES] + [str(directory)]
    for suffix in SUFFIXES:
        path = directory / f"{doc_id}{suffix}"
        if path.is_file() or path.is_symlink():
            fsguard.inside(path)
            if path.is_symlink() or not record.ours(path):
                report.kept.append(path)
                continue
            path.unlink()
            record.forget(path)
            report.removed.append(path)
    if directory.is_dir() and not any(directory.iterdir()):
        fsguard.inside(directory).rmdir()


def _href(lang: str, doc_id: str, suffix: str, up: bool) -> str:
    return ("../" if up else "") + f"{quote(lang)}/{quote(doc_id)}{suffix}"


def _percent_of(config: Config, lang: str, doc_path: Path, memo: Memo | None = None, allow_fuzzy: bool = False,
                facts: dict[str, tuple[str, int]] | None = None
                ) -> tuple[pofile.Catalog | None, float, dict[tuple[str | None, str], str | None]]:
    """The catalog, its reviewed share, and what its pages show of each entry (state.count_shown; `facts`:
    state.source_facts of the document's texts)."""
    po = pofile.load_or_none(po_path(config, lang, doc_path), writable=False)  # a build never writes catalogs
    if po is None:
        return po, 0.0, {}
    counts, shown = count_shown(po.active, allow_fuzzy, facts)
    if memo is not None:
        remember_counts(memo, config, po, counts)  # `status` right after a build need not read it again
    return po, counts.percent, shown


def _inputs(config: Config, languages: tuple[str, ...], allow_fuzzy: bool, min_complete: float | None,
            order: list[str]) -> str:
    """A digest of everything a build reads: code, config, options, sources, catalogs, furniture catalogs,
    and which unselected languages have pages."""
    digest = hashlib.sha256(repr((code_digest(), config_digest(config), tuple(languages), allow_fuzzy,
                                  min_complete)).encode())
    dist = config.root / config.dist_dir
    for doc_path in config.documents:
        digest.update(f"\0{doc_path}\0{file_digest(config.root / doc_path)}".encode())
        for lang in order:
            po = po_path(config, lang, doc_path)
            digest.update(f"\0{lang}\0{file_digest(po) if po.exists() else 'absent'}".encode())
            if lang not in languages:  # its page, PDF and e-mail are linked from the index if present
                for suffix in (".html", ".pdf", ".eml"):
                    digest.update(f"\0{(dist / lang / f'{document_id(doc_path)}{suffix}').is_file()}".encode())
    locales = config.root / config.locales_dir
    for path in sorted(locales.glob(f"*/{furniture.PROJECT_FILE}")):
        digest.update(f"\0{path}\0{file_digest(path)}".encode())
    return digest.hexdigest()


def _unchanged(fact: dict, inputs: str) -> bool:
    """Same inputs as a build that ended with these outputs, still in place: building again writes nothing."""
    if fact.get("inputs") != inputs:
        return False
    if any(file_digest(Path(path)) != sha for path, sha in fact["outputs"].items()):
        return False
    for path in map(Path, fact["absent"]):
        if path.is_file() or (path.is_dir() and not any(path.iterdir())):
            return False  # a file to remove, or an empty folder the build would remove
    return True


MEMO_BUILDS = 8  # option sets remembered (all languages, --lang es, --allow-fuzzy…)


def build(config: Config, languages: tuple[str, ...], allow_fuzzy: bool = False,
          min_complete: float | None = None, formats: tuple[str, ...] = FORMATS) -> BuildReport:
    """Reassemble every document in the selected languages and the source language; a language the policy
    skips is removed (its old files too) or published with a notice. Languages not selected this run keep
    their pages, and stay linked while they still meet the policy. Every published translation gets its
    publication record (l10n.publication) when what it shows changed. Only the given `formats` are written;
    dist/index.html goes with the HTML."""
    formats = tuple(fmt for fmt in FORMATS if fmt in formats)
    report = BuildReport()
    dist = config.root / config.dist_dir
    locales = config.root / config.locales_dir
    policy = Policy.of(config, min_complete)
    source_lang = config.source_language
    selected = set(languages)
    order = list(dict.fromkeys([*config.languages, *languages]))
    memo = Memo(config)
    ours = Outputs(config)
    key = repr((tuple(languages), allow_fuzzy, min_complete) + ((formats,) if formats != FORMATS else ()))
    inputs = _inputs(config, languages, allow_fuzzy, min_complete, order)
    fact = memo.get("build", key)
    if fact is not None and _unchanged(fact, inputs):
        report.languages = [LanguageBuild(**{**item, "files": [Path(f) for f in item["files"]]})
                            for item in fact["languages"]]
        return report
    # what reads documents and renders pages, imported only now: a build with nothing to do needs none of it
    from .. import publication, render
    from ..assemble import FALLBACK, MACHINE, UNREVIEWED, assemble
    from ..document import load_document
    from ..pot import keyed_segments

    outputs: dict[str, str] = {}
    absent: list[str] = []
    furnitures: dict[str, furniture.Furniture] = {}

    def furn(lang: str) -> furniture.Furniture:
        if lang not in furnitures:
            furnitures[lang] = furniture.load(lang, locales)
        return furnitures[lang]

    dated = "pdf" in formats  # the date is the PDF's alone: no other format reads the template or the record

    def decide(doc: Document, lang: str, directory: Path, sources: Callable[[], publication.Sources],
               facts: dict[str, tuple[str, int]], keyed: list[tuple[tuple[str | None, str], Segment]]
               ) -> Published | None:
        """A selected language: its catalog read, its text assembled, and published (its publication record
        written) or skipped as the policy says. Its catalog lives in this call only, so that while the next
        language is read, and while the pages are rendered, only what is published is held."""
        po, percent, shown_states = _percent_of(config, lang, doc.path, memo, allow_fuzzy, facts)
        item = LanguageBuild(lang, doc.id, percent)
        report.languages.append(item)
        below = policy.below(percent)
        if below and policy.skip:
            item.skipped = True
            item.reason = f"{percent:.1f}% reviewed"
            _remove(directory, doc.id, report, ours, absent)
            return None
        out = assemble(doc, po, lang, source_lang, config.segmentation, allow_fuzzy, config.signatories.order,
                       shown_states, keyed)
        item.fallback = out.count(FALLBACK)
        item.unreviewed = out.count(MACHINE) + out.count(UNREVIEWED)
        item.banner = below
        missing = out.body_fallback()
        if missing and config.publish.source_fallback == "skip":
            item.skipped = True
            body = sum(len(block.parts) for block in out.body)
            item.reason = (f"{missing} of {body} title and body passage(s) have no "
                           f"{langs.language_name(lang, 'en')} text; publish.source_fallback: skip")
            _remove(directory, doc.id, report, ours, absent)
            return None
        written = publication.record(config, doc, out.shown, lang, allow_fuzzy, sources())
        if written is not None:
            report.written.append(written)
        record = publication.record_path(config, lang, doc.path)
        outputs[str(record)] = file_digest(record) or ""
        return Published(lang, percent, below, not out.has_unreviewed, out, item, drafts=bool(item.unreviewed),
                         date=_publication_date(po, record) if dated else None)

    index_lang = source_lang
    rows: list[render.IndexRow] = []
    for doc_path in config.documents:
        doc = load_document(config, doc_path)
        keyed = keyed_segments(doc, config.segmentation)  # every language is assembled from these
        original = assemble(doc, None, source_lang, source_lang, config.segmentation, False, config.signatories.order,
                            keyed=keyed)
        source_date = _publication_date(pofile.load_or_none(pot_path(config, doc_path)), None) if dated else None
        published: list[Published] = [Published(source_lang, 100.0, False, True, original, original=True,
                                                date=source_date)]
        # the records' source side, read at the first record (not at all when every language is skipped)
        sources = functools.cache(functools.partial(publication.sources, doc, config.segmentation))
        # what counting needs of each source text, the same in every language
        facts = source_facts(dict.fromkeys(seg.text for _, seg in keyed))
        for lang in order:
            directory = _lang_dir(dist, lang)
            if lang in selected:
                decided = decide(doc, lang, directory, sources, facts, keyed)
                if decided is not None:
                    published.append(decided)
            elif (directory / f"{doc.id}.html").is_file():
                try:
                    _, percent, _ = _percent_of(config, lang, doc_path, memo, facts=facts)
                except CatalogError:
                    continue  # not ours to rebuild this run; without its numbers it is not listed
                if not (policy.below(percent) and policy.skip):
                    published.append(Published(lang, percent, policy.below(percent), percent >= 100))
        alternates = tuple(render.Alternate(p.lang, _href(p.lang, doc.id, ".html", up=True),
                                            langs.language_name(p.lang), langs.direction(p.lang))
                           for p in published)
        shown = {p.lang: p for p in published}
        links: frozenset[str] = frozenset()
        if {"pdf", "eml"} & set(formats):
            from .pdf import own_links

            links = own_links([seg.text for seg in doc.segments()])
        output = Output(formats, config.publish.txt.wrap, config.publish.pdf.paper, links)
        for p in published:
            if p.doc is not None:
                files = _render(p, dist, alternates, furn(p.lang), source_lang, report, output, outputs)
                if p.item is not None:
                    p.item.files = files
        for lang in [source_lang, *order]:
            p = shown.get(lang)
            rows.append(_row(p, doc.id, index_lang, furn(index_lang), dist) if p is not None
                        else _unavailable_row(lang, doc.id, index_lang, furn(index_lang)))
    if "html" in formats:
        _write(dist / INDEX, render.render_index(rows, index_lang, furn(index_lang)), report, outputs)
    ours.record(outputs)
    ours.save()
    if inputs == _inputs(config, languages, allow_fuzzy, min_complete, order):  # nothing changed meanwhile
        memo.put("build", key, {"inputs": inputs, "outputs": outputs, "absent": absent,
                                "languages": [{**dataclasses.asdict(item), "files": [str(f) for f in item.files]}
                                              for item in report.languages]})
        table = memo.data["build"]
        for old in list(table)[:-MEMO_BUILDS]:
            del table[old]
    memo.save()
    return report


def _publication_date(po: pofile.Catalog | None, record: Path | None) -> dt.date:
    """The date of the language's publication record (the last build that changed what its pages show); for the
    original, or without a record, its catalog's dates."""
    from .. import publication
    from .pdf import publication_date

    try:
        data = publication.load(record) if record is not None else None
    except CatalogError:
        data = None
    stamp = data.get("date") if data is not None else None
    return publication_date(stamp if isinstance(stamp, str) else None, po)


@dataclass(frozen=True)
class Output:
    """What to write for each published language, and how."""

    formats: tuple[str, ...]
    wrap: int  # publish.txt.wrap
    paper: str  # publish.pdf.paper
    links: frozenset[str]  # the source's own web addresses, the only links a PDF or an e-mail keeps


def _render(p: Published, dist: Path, alternates: tuple[render.Alternate, ...], furn: furniture.Furniture,
            source_lang: str, report: BuildReport, output: Output,
            outputs: dict[str, str] | None = None) -> list[Path]:
    """The language's files in the formats asked for; the e-mail carries the text and the PDF is the HTML page."""
    from .. import render
    assert p.doc is not None
    page = render.Page(furn, notices(p.doc, furn, source_lang), alternates, index_href=f"../{INDEX}")
    base = _lang_dir(dist, p.lang) / p.doc.doc_id
    formats = output.formats
    text = render.render_text(p.doc, page, output.wrap) if {"txt", "eml"} & set(formats) else ""
    html = render.render_html(p.doc, page) if {"html", "pdf"} & set(formats) else ""
    files = []
    for fmt in formats:
        if fmt == "txt":
            content: str | bytes = text
        elif fmt == "md":
            content = render.render_markdown(p.doc, page)
        elif fmt == "html":
            content = html
        elif fmt == "pdf":
            from .pdf import render_pdf

            content = render_pdf(html, p.lang, output.paper, p.date or dt.date.today(), output.links)
        else:
            from .mail import render_eml

            content = render_eml(p.doc, page, text, output.links)
        files.append(_write(base.with_name(f"{base.name}.{fmt}"), content, report, outputs))
    return files


#: the index's links: label, suffix, media type; the PDF and the e-mail only where they were built
_INDEX_FORMATS = ((furniture.FORMAT_HTML, ".html", "text/html"), (furniture.FORMAT_MARKDOWN, ".md", "text/markdown"),
                  (furniture.FORMAT_TEXT, ".txt", "text/plain"), (furniture.FORMAT_PDF, ".pdf", "application/pdf"),
                  (furniture.FORMAT_EMAIL, ".eml", "message/rfc822"))


def _row(p: Published, doc_id: str, index_lang: str, furn: furniture.Furniture, dist: Path) -> render.IndexRow:
    from .. import render

    if p.original:
        status = furniture.STATUS_ORIGINAL
    elif p.drafts:
        status = furniture.MACHINE_TITLE
    elif p.complete and not p.banner:
        status = furniture.STATUS_COMPLETE
    else:  # nothing reviewed is no partial review
        status = furniture.STATUS_PARTIAL if p.percent > 0 else furniture.PARTIAL_TITLE
    links = tuple((furn(label), _href(p.lang, doc_id, suffix, up=False), media)
                  for label, suffix, media in _INDEX_FORMATS
                  if suffix not in (".pdf", ".eml") or (dist / p.lang / f"{doc_id}{suffix}").is_file())
    return render.IndexRow(lang=p.lang, doc=doc_id, name=langs.language_name(p.lang),
                           local_name=langs.language_name(p.lang, index_lang), dir=langs.direction(p.lang),
                           percent=None if p.original else p.percent,
                           reviewed="" if p.original else percent_text(p.percent, index_lang), status=furn(status),
                           links=links)


def _unavailable_row(lang: str, doc_id: str, index_lang: str, furn: furniture.Furniture) -> render.IndexRow:
    """A configured language with no page: listed, without a link (never a link to the source text)."""
    from .. import render

    return render.IndexRow(lang=lang, doc=doc_id, name=langs.language_name(lang),
                           local_name=langs.language_name(lang, index_lang), dir=langs.direction(lang),
                           percent=None, reviewed="", status=furn(furniture.STATUS_UNAVAILABLE), links=(),
                           available=False)
