"""Parsing a source text as people send it into a model: body blocks and the signatory list as structured data."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from . import langs
from .config import GROUP_KINDS, Config, GroupSpec, SignatoriesConfig, document_id, read_yaml
from .errors import L10nError, SourceError

# Roles name what a segment is; they reach translators as extracted comments.
TITLE, PARAGRAPH, DATELINE = "title", "paragraph", "dateline"
SIGNATORIES_HEADING, COUNTRY, GROUP, ORGANISATION = "signatories heading", "country", "group", "organisation"

# Where a group stands in a published list: among the countries, sorted by its published name (countries, and
# regions such as the Basque Country), or at the end in the committee's order (Europe, international groups).
REGION, LAST = GROUP_KINDS[1:]

# Check ids of the problems of a signatory list (`l10n check` reports them with the catalogs' issues).
UNKNOWN_GROUP, DUPLICATE_GROUP = "unknown-group", "duplicate-group"
DUPLICATE_ORGANISATION, SIMILAR_ORGANISATION = "duplicate-organisation", "similar-organisation"

_DEFAULT_HEADINGS = re.compile(r"^(liste des signataires|signataires|signatories|list of signatories)\s*:?$", re.I)
_DATELINE = re.compile(r"^\S.{0,80}\b\d{4}\.?$")


@dataclass(slots=True)
class Segment:
    """One translatable unit: the text, what it is, and where it stands in the source.

    Not frozen, though never changed: a frozen dataclass is slower to build, and a document makes one
    per paragraph and organisation at every stage."""

    text: str
    role: str
    line: int
    block: int = 0  # index of the body block (or group) it belongs to
    code: str | None = None  # territory code of a country heading
    space: str = ""  # whitespace that followed it inside its block (sentence mode)


@dataclass(slots=True)
class Block:
    """A body block: title, paragraph or dateline. Not frozen, though never changed, like Segment."""

    role: str
    text: str
    line: int


@dataclass(slots=True)
class Organisation:
    """One organisation of the signatory list, at its line of the source."""

    name: str
    line: int


@dataclass
class Group:
    """A heading of the signatory list (a territory, a region or a group kept last) and its organisations."""

    heading: str | None
    line: int
    code: str | None
    organisations: list[Organisation] = field(default_factory=list)
    kind: str = LAST

    @property
    def role(self) -> str:
        return COUNTRY if self.code else GROUP


@dataclass
class Signatories:
    """The signatory list: its heading and its groups in source order."""

    heading: str
    line: int
    groups: list[Group] = field(default_factory=list)

    @property
    def organisations(self) -> list[Organisation]:
        return [org for group in self.groups for org in group.organisations]


@dataclass
class Notice:
    """A problem in the source a coordinator should see, at a line of it; the message names the other line. Not
    frozen, though never changed, like the configuration's sections (schema.section)."""

    line: int
    check: str
    message: str
    text: str = ""  # the heading or organisation concerned


@dataclass
class Document:
    """A parsed source: body blocks, the signatory list, and the problems a coordinator should see."""

    path: Path
    id: str
    body: list[Block]
    signatories: Signatories | None = None
    notices: list[Notice] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        return [f"{self.path}:{n.line}: {n.message}" for n in self.notices]

    def segments(self, mode: str = "paragraph") -> list[Segment]:
        """All translatable units in source order; sentence mode splits body paragraphs, never list items."""
        out: list[Segment] = []
        if mode == "sentence":
            from .segment import split_sentences  # its patterns are compiled only for projects that use it
        for index, block in enumerate(self.body):
            if mode == "sentence" and block.role == PARAGRAPH:
                for sentence, space in split_sentences(block.text):
                    out.append(Segment(sentence, block.role, block.line, index, space=space))
            else:
                out.append(Segment(block.text, block.role, block.line, index))
        if self.signatories:
            sig = self.signatories
            out.append(Segment(sig.heading, SIGNATORIES_HEADING, sig.line))
            for index, group in enumerate(sig.groups):
                if group.heading is not None:
                    out.append(Segment(group.heading, group.role, group.line, index, group.code))
                for org in group.organisations:
                    out.append(Segment(org.name, ORGANISATION, org.line, index))
        return out


def fold(text: str) -> str:
    """Compare names the way people spell them: no accents, no case, hyphens as spaces (Etats-Unis = États-Unis)."""
    if not text.isascii():  # ASCII has nothing to decompose
        text = unicodedata.normalize("NFKD", text).translate(_BARE)
    return " ".join(_WORD.findall(text.casefold()))


class _Bare(dict):
    """str.translate table dropping combining marks, filled as characters are met (Unicode has too many)."""

    def __missing__(self, code: int) -> int | None:
        self[code] = kept = None if unicodedata.combining(chr(code)) else code
        return kept


_BARE = _Bare()
_WORD = re.compile(r"\w+")


def territory_key(text: str) -> str:
    """A name as territory names are compared: folded, and without the spaces, hyphens and apostrophes between
    words (Royaume-Uni = Royaume Uni, Côte d'Ivoire = Côte d’Ivoire, Viêt Nam = Vietnam)."""
    return fold(text).replace(" ", "")


@lru_cache(maxsize=None)
def _territories(source_language: str) -> dict[str, str]:
    """CLDR territory names in the source language, keyed (territory_key) → code (countries and UN M.49 regions)."""
    return {territory_key(name): code for code, name in langs.territory_names(source_language).items()
            if "-" not in code}


ALIASES_DIR = Path(__file__).parent / "data" / "territories"


@dataclass
class Aliases:
    """A language's names of territories beyond CLDR's own (l10n/data/territories/<language>.yaml); not frozen,
    though never changed, like Notice."""

    names: dict[str, str]  # territory_key(name) → code, short names included
    spelled: dict[str, str]  # territory_key(name) → the name as listed (for "did you mean")
    short: dict[str, str]  # code → the language's short name where CLDR has only a long one


@lru_cache(maxsize=None)
def aliases(tag: str) -> Aliases:
    """The alias table of a language (its bare language subtag's file); empty when l10n ships none."""
    path = ALIASES_DIR / f"{tag.split('-')[0].lower()}.yaml"
    if not path.is_file():
        return Aliases({}, {}, {})
    data = read_yaml(path, "invalid alias table", "cannot read alias table") or {}
    names: dict[str, str] = {}
    spelled: dict[str, str] = {}
    short = {str(code): str(name) for code, name in (data.get("short") or {}).items()}
    listed = [(str(code), str(name)) for code, group in (data.get("aliases") or {}).items() for name in group]
    for code, name in listed + [(code, name) for code, name in short.items()]:
        key = territory_key(name)
        names[key] = code
        spelled[key] = name
    return Aliases(names, spelled, short)


def territory_of(text: str, language: str) -> str | None:
    """The territory a name stands for in a language: CLDR's names, then l10n's alias table."""
    key = territory_key(text)
    return _territories(language).get(key) or aliases(language).names.get(key)


def territory_suggestion(text: str, language: str) -> str | None:
    """The closest CLDR name or alias of the language, for a "did you mean" (difflib, 85 % alike)."""
    import difflib  # only a heading nobody knows needs it

    names = {territory_key(name): name for code, name in langs.territory_names(language).items() if "-" not in code}
    names.update(aliases(language).spelled)
    match = difflib.get_close_matches(territory_key(text), list(names), n=1, cutoff=0.85)
    return names[match[0]] if match else None


def territory_name(code: str, heading: str, source_language: str, lang: str) -> str | None:
    """What `lang` publishes for a heading that names territory `code` the way CLDR or the alias table does in
    the source language: CLDR's name in `lang`, or `lang`'s short name when the heading is the source's short
    name (Palestine → Palästina, not "Palestinian Territories"). None when the heading is the committee's own
    wording (Etat espagnol) or `lang` has no short name: then translators decide."""
    kind = territory_naming(code, heading, source_language)
    if kind == "short":
        return aliases(lang).short.get(code)
    return langs.territory_name(code, lang) if kind == "cldr" else None


def territory_naming(code: str, heading: str, source_language: str) -> str | None:
    """How a heading names its territory: "cldr" (CLDR's name, a former name, an abbreviation), "short" (the
    source language's short name from the alias table) or None (another wording)."""
    key = territory_key(heading)
    if _territories(source_language).get(key) == code:
        return "cldr"
    table = aliases(source_language)
    if code in table.short and territory_key(table.short[code]) == key:
        return "short"
    return "cldr" if table.names.get(key) == code else None


def publication_order(items: list, kind: Callable[[Any], str], heading: Callable[[Any], str | None],
                      lang: str) -> list:
    """Groups as a language publishes them: countries and regions in the language's collation of their published
    headings (ICU/CLDR), then the groups kept last (and a list's headless first group), in source order."""
    key = langs.collation_key(lang)
    named = [item for item in items if kind(item) != LAST and heading(item) is not None]
    rest = [item for item in items if kind(item) == LAST or heading(item) is None]
    return sorted(named, key=lambda item: key(heading(item))) + rest


# Runs of the white space a line may break at (tabs, repeated spaces, stray separators) become one space. No-break
# spaces are the writer's typography (French puts one before : ; ! ? and inside « »): they stay as sent.
_NO_BREAK = ("\u00a0", "\u2007", "\u202f")
LOOSE_SPACE = re.compile(r"[^\S\u00a0\u2007\u202f]+")


def _chunks(lines: list[str]) -> list[tuple[int, list[str]]]:
    """Runs of non-blank lines, each with the 1-based number of its first line (the others follow it): blank-line
    runs of any length separate them. Most lines need no tidying: their only white space is single spaces between
    words (str.isprintable rejects every other white space character), and they are kept as they are. Others are
    tidied by str.split(), or by the pattern (slower) when they hold a no-break space, which split() would break
    at."""
    chunks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    for number, line in enumerate(lines, 1):
        trimmed = line.strip()
        if trimmed:
            if not current:
                chunks.append((number, current))
            if trimmed == line and line.isprintable() and "  " not in line:
                current.append(line)  # its only white space is single spaces inside: nothing to do
            elif any(c in line for c in _NO_BREAK):
                current.append(LOOSE_SPACE.sub(" ", line).strip())
            else:
                current.append(" ".join(line.split()))
        elif current:
            current = []
    return chunks


def read_utf8(path: Path, shown: Path, error: type[L10nError], what: str, hint: str = "") -> tuple[bytes, str]:
    """A text file's bytes and its text as UTF-8 (a BOM accepted), or `error` naming the file as the user wrote
    it (`shown`), and for bad UTF-8 the line: what every file a person writes (sources, signatory lists) needs."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise error(f"cannot read {what}: {exc.strerror or exc}", shown) from None
    try:
        return data, data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(f"{what} is not valid UTF-8{hint}", shown, data[: exc.start].count(b"\n") + 1) from None


def read_lines(path: Path, shown: Path | None = None) -> list[str]:
    """A source's lines, without their ends, read as UTF-8 (a BOM and any line endings accepted); a clear error,
    naming the file as the user wrote it (`shown`), otherwise. Decoded as it is read: neither the file's bytes
    nor its whole text are held beside the lines (a single character beyond Latin-1, a typographic apostrophe,
    would have Python store every character of that text in two bytes)."""
    shown = shown or path
    lines: list[str] = []
    rest, nul = "", False  # the line a block ends inside of; whether a block held a NUL
    try:
        with open(path, encoding="utf-8-sig", newline=None) as handle:  # newline=None: CR LF and CR read as LF
            while block := handle.read(_BLOCK):
                nul = nul or "\x00" in block
                lines += (rest + block).split("\n")
                rest = lines.pop()
    except OSError as exc:
        raise SourceError(f"cannot read source: {exc.strerror or exc}", shown) from None
    except UnicodeDecodeError:
        read_utf8(path, shown, SourceError, "source")  # reads the file whole, to name the line: raises
        raise
    lines.append(rest)
    if nul:  # no PO string can hold it: refused here, where the line is the source's
        number = next(number for number, line in enumerate(lines, 1) if "\x00" in line)
        raise SourceError("NUL character (U+0000) in the source: remove it", shown, number)
    return lines


_BLOCK = 1 << 13  # characters split at a time: small next to the lines, yet few Python steps for a long source


class _GroupNames:
    """Recognises group headings: the project's `signatories.groups` first, then CLDR's territory names in the
    source language, then l10n's alias table of that language."""

    def __init__(self, config: SignatoriesConfig, source_language: str) -> None:
        self.overrides = {territory_key(name): GroupSpec.of(spec) for name, spec in config.groups.items()}
        self.territories = _territories(source_language)
        self.source_language = source_language

    def lookup(self, text: str) -> tuple[bool, str | None, str]:
        """(known, territory code, kind); an unknown heading is a region, sorted with the countries."""
        key = territory_key(text)
        spec = self.overrides.get(key)
        if spec is not None:
            return True, spec.code, spec.placement
        code = self.territories.get(key) or aliases(self.source_language).names.get(key)
        if code is not None:
            return True, code, GroupSpec(code=code).placement
        return False, None, REGION


def parse(path: Path, text: str, source_language: str, signatories: SignatoriesConfig) -> Document:
    """Build the model from a text (parse_lines)."""
    return parse_lines(path, text.split("\n"), source_language, signatories)


def parse_lines(path: Path, lines: list[str], source_language: str, signatories: SignatoriesConfig) -> Document:
    """Build the model. Body: title, paragraphs, dateline. After the signatories heading: groups of organisations."""
    chunks = _chunks(lines)
    if not chunks:
        raise SourceError("source document is empty", path)
    doc = Document(path=path, id=document_id(path), body=[])
    heading_at = None
    for index, (_, lines) in enumerate(chunks):
        if len(lines) == 1 and _is_heading(lines[0], signatories):
            heading_at = index
            break
    body_chunks = chunks if heading_at is None else chunks[:heading_at]
    last = len(body_chunks) - 1
    for index, (line, lines) in enumerate(body_chunks):
        text_ = " ".join(lines)
        role = PARAGRAPH
        if index == 0 and last > 0:
            role = TITLE
        elif index == last and len(lines) == 1 and _DATELINE.match(text_) and index > 0:
            role = DATELINE
        doc.body.append(Block(role, text_, line))
    if heading_at is not None:
        line, (heading,) = chunks[heading_at]
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
        # fold works character by character, so the fold of a prefix is a prefix of the fold: most paragraphs
        # are told apart by their first words, without folding them whole (the cost grew with the document).
        return heading.startswith(fold(text[:_PREFIX])) and fold(text) == heading
    return bool(_DEFAULT_HEADINGS.match(text))


_PREFIX = 16  # characters: the first words, enough to tell most paragraphs from the heading


@lru_cache(maxsize=64)
def _folded(text: str) -> str:
    return fold(text)


def _parse_groups(doc: Document, chunks: list[tuple[int, list[str]]], names: _GroupNames) -> None:
    """Headings and organisation lists alternate; a recognised name is a heading wherever it stands. Two
    headings for one territory (or one heading twice) make one group, its organisations in source order."""
    sig = doc.signatories
    assert sig is not None
    expecting_heading = True
    found = [names.lookup(lines[0]) for _, lines in chunks]
    groups: dict[str, Group] = {}  # territory code, or folded heading of a group without one → its group
    current: Group | None = None
    for index, (first_line, lines) in enumerate(chunks):
        first = lines[0]
        known, code, kind = found[index]
        following = chunks[index + 1] if index + 1 < len(chunks) else None
        next_is_heading = following is not None and found[index + 1][0]
        is_heading = known or (expecting_heading and len(lines) == 1 and following is not None
                               and not next_is_heading)
        if is_heading:
            identity = code or "\0" + territory_key(first)
            current = groups.get(identity)
            if current is not None:
                what = f"territory ({code})" if code else "group"
                doc.notices.append(Notice(first_line, DUPLICATE_GROUP, f"group heading {first!r} is the same {what} "
                                          f"as {current.heading!r} at line {current.line}: one group, its "
                                          "organisations listed in source order", first))
            else:
                current = groups[identity] = Group(first, first_line, code, kind=kind)
                sig.groups.append(current)
                if not known:
                    doc.notices.append(Notice(first_line, UNKNOWN_GROUP, _unknown_heading(first, names), first))
            start, rest = first_line + 1, lines[1:]
        else:
            if current is None:
                current = Group(None, first_line, None)
                sig.groups.append(current)
            start, rest = first_line, lines
        current.organisations.extend([Organisation(name, line) for line, name in enumerate(rest, start)])
        expecting_heading = bool(rest)


def _unknown_heading(heading: str, names: _GroupNames) -> str:
    hint = territory_suggestion(heading, names.source_language)
    did_you_mean = f" (did you mean {hint!r}?)" if hint else ""
    return (f"group heading {heading!r} is not a territory known to CLDR or l10n's aliases{did_you_mean}; it is "
            "sorted with the countries by its translated name: declare it in signatories.groups in l10n.yaml "
            "(a code, {kind: region} or {kind: last})")


def organisation_key(name: str) -> str:
    """Organisation names compared without case, accents, spaces or punctuation (L.D.H. = LDH)."""
    return fold(name).replace(" ", "")


def duplicate_organisations(doc: Document) -> list[Notice]:
    """Organisations listed twice, whatever their case, accents or spacing, at the second line. Asked by `check`
    and the signatories commands rather than found at every parse: folding every name would cost a large
    document's `extract` more than a third of its time."""
    if doc.signatories is None:
        return []
    seen: dict[str, Organisation] = {}
    notices = []
    for org in doc.signatories.organisations:
        first = seen.setdefault(organisation_key(org.name), org)
        if first is not org:
            notices.append(Notice(org.line, DUPLICATE_ORGANISATION, f"organisation {org.name!r} is listed twice: "
                                  f"also at line {first.line} ({first.name!r})", org.name))
    return notices


SIMILARITY = 90  # rapidfuzz ratio (0–100) of folded names from which two organisations look like one
_NEIGHBOURS = 8
DIGITS = re.compile(r"\d+")


def similar_organisations(doc: Document, threshold: float = SIMILARITY) -> list[Notice]:
    """Organisations whose names are a few typing errors apart (rapidfuzz ratio of the folded names at least
    `threshold`), exact duplicates aside (duplicate_organisations reports those). Names whose numbers differ are
    different organisations (FO 35, FO 36). Compared by sorted neighbourhood: each name with its next neighbours in
    alphabetical order, forwards and reversed, so an error at either end keeps the pair adjacent; a list of
    thousands is checked in linear time instead of comparing every pair."""
    if doc.signatories is None:
        return []
    from rapidfuzz.fuzz import ratio

    buckets: dict[tuple[str, ...], list[tuple[str, Organisation]]] = {}
    known: set[str] = set()
    for org in doc.signatories.organisations:
        folded = fold(org.name)
        if folded.replace(" ", "") in known:  # organisation_key: an exact duplicate, reported as such
            continue
        known.add(folded.replace(" ", ""))
        buckets.setdefault(tuple(DIGITS.findall(folded)), []).append((folded, org))
    pairs: dict[tuple[int, int], tuple[float, Organisation, Organisation]] = {}
    for bucket in buckets.values():
        for reverse in (False, True):
            ordered = sorted(bucket, key=lambda item: item[0][::-1] if reverse else item[0])
            for i, (name, org) in enumerate(ordered):
                for other_name, other in ordered[i + 1:i + 1 + _NEIGHBOURS]:
                    score = ratio(name, other_name, score_cutoff=threshold)
                    if score:
                        first, second = sorted((org, other), key=lambda o: o.line)
                        pairs[(first.line, second.line)] = (score, first, second)
    return [Notice(second.line, SIMILAR_ORGANISATION, f"organisation {second.name!r} looks like {first.name!r} at "
                   f"line {first.line} ({score:.0f}% alike)", second.name)
            for score, first, second in (pairs[k] for k in sorted(pairs))]


def load_document(config: Config, path: Path) -> Document:
    return parse_lines(path, read_lines(config.root / path, path), config.source_language, config.signatories)
