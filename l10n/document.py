"""Parsing a source text as people send it into a model: body blocks and the signatory list as structured data."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from . import langs
from .config import Config, SignatoriesConfig, document_id
from .errors import SourceError

# Roles name what a segment is; they reach translators as extracted comments.
TITLE, PARAGRAPH, DATELINE = "title", "paragraph", "dateline"
SIGNATORIES_HEADING, COUNTRY, GROUP, ORGANISATION = "signatories heading", "country", "group", "organisation"

_DEFAULT_HEADINGS = re.compile(r"^(liste des signataires|signataires|signatories|list of signatories)\s*:?$", re.I)
_DATELINE = re.compile(r"^\S.{0,80}\b\d{4}\.?$")


@dataclass(slots=True)
class Segment:
    """One translatable unit: the text, what it is, and where it stands in the source.

    Not frozen, though never changed: a frozen dataclass is built three times slower, and a document makes one
    per paragraph and organisation at every stage."""

    text: str
    role: str
    line: int
    code: str | None = None  # territory code of a country heading
    block: int = 0  # index of the body block (or group) it belongs to
    space: str = ""  # whitespace that followed it inside its block (sentence mode)


@dataclass(frozen=True)
class Block:
    role: str
    text: str
    line: int


@dataclass(slots=True)
class Organisation:
    name: str
    line: int


@dataclass
class Group:
    heading: str | None
    line: int
    code: str | None
    organisations: list[Organisation] = field(default_factory=list)

    @property
    def role(self) -> str:
        return COUNTRY if self.code else GROUP

    @property
    def is_country(self) -> bool:
        """Regions such as Europe (150) and non-territory groups are sorted last, in source order."""
        return bool(self.code) and self.code.isalpha()


@dataclass
class Signatories:
    heading: str
    line: int
    groups: list[Group] = field(default_factory=list)

    @property
    def organisations(self) -> list[Organisation]:
        return [org for group in self.groups for org in group.organisations]


@dataclass
class Document:
    path: Path
    id: str
    body: list[Block]
    signatories: Signatories | None = None
    warnings: list[str] = field(default_factory=list)

    def segments(self, mode: str = "paragraph") -> list[Segment]:
        """All translatable units in source order; sentence mode splits body paragraphs, never list items."""
        out: list[Segment] = []
        if mode == "sentence":
            from .segment import split_sentences  # its patterns are compiled only for projects that use it
        for index, block in enumerate(self.body):
            if mode == "sentence" and block.role == PARAGRAPH:
                for sentence, space in split_sentences(block.text):
                    out.append(Segment(sentence, block.role, block.line, block=index, space=space))
            else:
                out.append(Segment(block.text, block.role, block.line, block=index))
        if self.signatories:
            sig = self.signatories
            out.append(Segment(sig.heading, SIGNATORIES_HEADING, sig.line))
            for index, group in enumerate(sig.groups):
                if group.heading is not None:
                    out.append(Segment(group.heading, group.role, group.line, code=group.code, block=index))
                for org in group.organisations:
                    out.append(Segment(org.name, ORGANISATION, org.line, block=index))
        return out


def _fold(text: str) -> str:
    """Compare names the way people spell them: no accents, no case, hyphens as spaces (Etats-Unis = États-Unis)."""
    if not text.isascii():  # ASCII has nothing to decompose
        text = unicodedata.normalize("NFKD", text).translate(_BARE)
    return " ".join(_NON_WORD.sub(" ", text.casefold()).split())


class _Bare(dict):
    """str.translate table dropping combining marks, filled as characters are met (Unicode has too many)."""

    def __missing__(self, code: int) -> int | None:
        self[code] = kept = None if unicodedata.combining(chr(code)) else code
        return kept


_BARE = _Bare()
_NON_WORD = re.compile(r"[^\w]+")


@lru_cache(maxsize=None)
def _territories(source_language: str) -> dict[str, str]:
    """CLDR territory names in the source language, folded → code (countries and UN M.49 regions)."""
    return {_fold(name): code for code, name in langs.territory_names(source_language).items() if "-" not in code}


# Runs of the white space a line may break at (tabs, repeated spaces, stray separators) become one space. No-break
# spaces are the writer's typography (French puts one before : ; ! ? and inside « »): they stay as sent.
_NO_BREAK = ("\u00a0", "\u2007", "\u202f")
_LOOSE_SPACE = re.compile(r"[^\S\u00a0\u2007\u202f]+")


def _chunks(text: str) -> list[list[tuple[int, str]]]:
    """Runs of non-blank lines, each line with its 1-based number: blank-line runs of any length separate them.
    Most lines need no tidying: their only white space is single spaces between words (str.isprintable rejects
    every other white space character), and they are kept as they are. Others are tidied by str.split(), or by
    the pattern (about 85 ns a character, several times slower) when they hold a no-break space, which split()
    would break at."""
    chunks: list[list[tuple[int, str]]] = []
    current: list[tuple[int, str]] = []
    no_break = any(c in text for c in _NO_BREAK)
    for number, line in enumerate(text.split("\n"), 1):
        if line.strip():
            if line.isprintable() and "  " not in line and line[0] != " " and line[-1] != " ":
                current.append((number, line))  # its only white space is single spaces inside: nothing to do
            elif no_break and any(c in line for c in _NO_BREAK):
                current.append((number, _LOOSE_SPACE.sub(" ", line).strip()))
            else:
                current.append((number, " ".join(line.split())))
        elif current:
            chunks.append(current)
            current = []
    if current:
        chunks.append(current)
    return chunks


def read_text(path: Path, shown: Path | None = None) -> str:
    """Read a source as UTF-8 (a BOM and any line endings accepted); a clear error, naming the file as the
    user wrote it (`shown`), otherwise."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read source: {exc.strerror or exc}", shown or path) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceError("source is not valid UTF-8", shown or path, line) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


class _GroupNames:
    """Recognises group headings: config overrides first, then CLDR territory names in the source language."""

    def __init__(self, config: SignatoriesConfig, source_language: str) -> None:
        self.overrides = {_fold(name): code for name, code in config.groups.items()}
        self.territories = _territories(source_language)

    def lookup(self, text: str) -> tuple[bool, str | None]:
        key = _fold(text)
        if key in self.overrides:
            return True, self.overrides[key]
        if key in self.territories:
            return True, self.territories[key]
        return False, None


def parse(path: Path, text: str, source_language: str, signatories: SignatoriesConfig) -> Document:
    """Build the model. Body: title, paragraphs, dateline. After the signatories heading: groups of organisations."""
    chunks = _chunks(text)
    if not chunks:
        raise SourceError("source document is empty", path)
    doc = Document(path=path, id=document_id(path), body=[])
    heading_at = next((i for i, chunk in enumerate(chunks) if len(chunk) == 1 and _is_heading(chunk[0][1], signatories)),
                      None)
    body_chunks = chunks if heading_at is None else chunks[:heading_at]
    for index, chunk in enumerate(body_chunks):
        line, text_ = chunk[0][0], " ".join(t for _, t in chunk)
        role = PARAGRAPH
        if index == 0 and len(body_chunks) > 1:
            role = TITLE
        elif index == len(body_chunks) - 1 and len(chunk) == 1 and _DATELINE.match(text_) and index > 0:
            role = DATELINE
        doc.body.append(Block(role, text_, line))
    if heading_at is not None:
        line, heading = chunks[heading_at][0]
        doc.signatories = Signatories(heading, line)
        _parse_groups(doc, chunks[heading_at + 1:], _GroupNames(signatories, source_language))
    return doc


def _is_heading(text: str, config: SignatoriesConfig) -> bool:
    if config.heading is not None:
        heading = _folded(config.heading)
        # An ASCII letter folds to itself in lower case: a paragraph opening with another letter is not it.
        first = text[:1]
        if first.isascii() and first.isalpha() and first.lower() != heading[:1]:
            return False
        # _fold works character by character, so the fold of a prefix is a prefix of the fold: most paragraphs
        # are told apart by their first words, without folding them whole (the cost grew with the document).
        return heading.startswith(_fold(text[:_PREFIX])) and _fold(text) == heading
    return bool(_DEFAULT_HEADINGS.match(text))


_PREFIX = 48


@lru_cache(maxsize=64)
def _folded(text: str) -> str:
    return _fold(text)


def _parse_groups(doc: Document, chunks: list[list[tuple[int, str]]], names: _GroupNames) -> None:
    """Headings and organisation lists alternate; a recognised name is a heading wherever it stands."""
    sig = doc.signatories
    assert sig is not None
    expecting_heading = True
    found = [names.lookup(chunk[0][1]) for chunk in chunks]
    for index, chunk in enumerate(chunks):
        first_line, first = chunk[0]
        known, code = found[index]
        following = chunks[index + 1] if index + 1 < len(chunks) else None
        next_is_heading = following is not None and found[index + 1][0]
        is_heading = known or (expecting_heading and len(chunk) == 1 and following is not None
                               and not next_is_heading)
        if is_heading:
            if not known:
                doc.warnings.append(f"{doc.path}:{first_line}: group heading {first!r} is not a territory known to "
                                    "CLDR; add it to signatories.groups in l10n.yaml to give it a code")
            sig.groups.append(Group(first, first_line, code))
            rest = chunk[1:]
        else:
            if not sig.groups:
                sig.groups.append(Group(None, first_line, None))
            rest = chunk
        sig.groups[-1].organisations.extend(Organisation(name, line) for line, name in rest)
        expecting_heading = bool(rest)


def load_document(config: Config, path: Path) -> Document:
    return parse(path, read_text(config.root / path, path), config.source_language, config.signatories)
