"""Stage `signatories`: grow the signatory list from a form's CSV export or the command line, and list it as a
language publishes it.

The source document stays the one place signatories live: intake inserts lines into it (in the right group, at
its sorted place when the group is sorted), reads the result back to prove it parses as intended, and writes it
atomically; `update` then brings the new names to every catalog. What a form collects beyond the name and the
country (e-mail, contact) is private: it goes to `private/contacts.csv`, which git ignores, and nowhere else."""

from __future__ import annotations

import bisect
import csv
import io
import math
import os
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

from . import langs, state
from . import po as pofile
from .config import Config, GroupSpec
from .document import (DIGITS, LOOSE_SPACE, LAST, REGION, SIMILARITY, Document, Group, Organisation, fold,
                       load_document, organisation_key, parse, publication_order, territory_key, territory_naming,
                       read_utf8, territory_of, territory_suggestion)
from .errors import EXIT_ERROR, ConcurrentEditError, ConfigError, L10nError, SourceError
from .paths import po_path
from .pot import keyed_segments

MAX_NAME = 200  # characters: longer is a paste gone wrong, not an organisation's name
PRIVATE_DIR = Path("private")
CONTACTS = PRIVATE_DIR / "contacts.csv"
CONTACT_FIELDS = ("organisation", "group", "code", "email", "contact", "date", "url", "origin")

# Column headings a form export may use, folded (document.fold) → the field they fill.
COLUMNS = {
    "organisation": "organisation", "organization": "organisation", "org": "organisation", "name": "organisation",
    "nom": "organisation", "signataire": "organisation", "signatory": "organisation",
    "country": "country", "pays": "country", "group": "country", "groupe": "country", "territory": "country",
    "date": "date", "url": "url", "website": "url", "site": "url", "web": "url",
    "email": "email", "e mail": "email", "mail": "email", "courriel": "email", "contact email": "email",
    "contact": "contact", "phone": "contact", "telephone": "contact", "tel": "contact", "person": "contact",
    "contact person": "contact",
}
PRIVATE = ("email", "contact")
_FORMULA = ("=", "+", "-", "@")  # what spreadsheets run as a formula (OWASP "CSV injection")
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


class IntakeError(L10nError):
    """A signatory file that cannot be read as a table (encoding, missing columns)."""

    exit_code = EXIT_ERROR


@dataclass(frozen=True)
class Candidate:
    """One organisation to add: where it was asked for (`origin`: file:row, or the command line)."""

    name: str
    country: str
    origin: str
    extra: dict[str, str] = field(default_factory=dict)


@dataclass
class Addition:
    name: str
    group: str
    new_group: bool
    origin: str


@dataclass
class Outcome:
    """A row not added: skipped (a duplicate) or rejected (bad input), with the reason."""

    origin: str
    name: str
    reason: str


@dataclass
class IntakeReport:
    document: Path
    added: list[Addition] = field(default_factory=list)
    skipped: list[Outcome] = field(default_factory=list)
    rejected: list[Outcome] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    contacts: int = 0  # rows whose private columns were kept in private/contacts.csv
    written: bool = False

    @property
    def new_groups(self) -> list[str]:
        return list(dict.fromkeys(a.group for a in self.added if a.new_group))


# ---------------------------------------------------------------------------------------------------- reading


def read_csv(path: Path, shown: Path | None = None) -> tuple[list[Candidate], list[Outcome], list[str]]:
    """Rows of a form export (UTF-8, a BOM accepted; comma, semicolon or tab separated, as spreadsheets in
    different locales write them): candidates, rows rejected on sight, and warnings (columns ignored). Row
    numbers are the spreadsheet's: the heading row is row 1."""
    shown = shown or path
    text = read_utf8(path, shown, IntakeError, "signatory file", " (export it as CSV UTF-8)")[1]
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise IntakeError(f"not a CSV table: {exc}", shown, 1) from None
    if not header:
        raise IntakeError("signatory file is empty", shown)
    fields = [COLUMNS.get(fold(name)) for name in header]
    warnings = [f"{shown}:1: column {name!r} ignored (known columns: organisation, country, date, url, email, "
                "contact)" for name, known in zip(header, fields) if known is None and name.strip()]
    for needed in ("organisation", "country"):
        if needed not in fields:
            raise IntakeError(f"no {needed!r} column (the first row must name the columns)", shown, 1)
    candidates: list[Candidate] = []
    rejected: list[Outcome] = []
    row_number = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise IntakeError(f"not a CSV table: {exc}", shown, reader.line_num) from None
        row_number += 1
        if not any(cell.strip() for cell in row):
            continue
        origin = f"{shown}:{row_number}"
        values: dict[str, str] = {}
        for name, cell in zip(fields, row):
            if name is not None and name not in values:
                values[name] = cell
        problem = next((_formula(cell) for cell in row if _formula(cell)), None)
        if problem:
            rejected.append(Outcome(origin, values.get("organisation", ""), problem))
            continue
        extra = {k: v.strip() for k, v in values.items() if k not in ("organisation", "country") and v.strip()}
        candidates.append(Candidate(values.get("organisation", ""), values.get("country", ""), origin, extra))
    return candidates, rejected, warnings


def _formula(cell: str) -> str | None:
    stripped = cell.lstrip()
    if stripped.startswith(_FORMULA):
        return f"cell {_short(stripped)!r} starts with {stripped[0]!r}: spreadsheet formulas are not imported"
    return None


def _short(text: str, room: int = 40) -> str:
    return text if len(text) <= room else text[: room - 1] + "…"


def clean_name(raw: str) -> tuple[str | None, str | None]:
    """(name, None) as the document will hold it, or (None, why it cannot be one)."""
    bad = next((c for c in raw if unicodedata.category(c) == "Cc" or c in "\u2028\u2029" or c in _BIDI_CONTROLS),
               None)
    if bad is not None:
        return None, f"control character U+{ord(bad):04X} in the organisation name"
    formula = _formula(raw)
    if formula:
        return None, formula
    name = LOOSE_SPACE.sub(" ", raw).strip()
    if not name:
        return None, "empty organisation name"
    if len(name) > MAX_NAME:
        return None, f"organisation name is {len(name)} characters long (at most {MAX_NAME})"
    return name, None


# ---------------------------------------------------------------------------------------------------- groups


@dataclass(frozen=True)
class Target:
    """The group a candidate goes to: an existing one (its index), or a new one with this heading."""

    heading: str
    code: str | None
    kind: str
    index: int | None = None


class GroupFinder:
    """Which group a country names: a heading of the document or of `signatories.groups`, CLDR's names and the
    alias table in the source language, an ISO 3166 / UN M.49 code, then the names of any language CLDR knows."""

    def __init__(self, config: Config, groups: list[Group]) -> None:
        self.config = config
        self.source = config.source_language
        self.by_key = {territory_key(g.heading): i for i, g in enumerate(groups) if g.heading is not None}
        self.by_code = {g.code: i for i, g in enumerate(groups) if g.code}
        self.groups = groups
        self.declared = {territory_key(name): (name, GroupSpec.of(spec))
                         for name, spec in config.signatories.groups.items()}

    def find(self, text: str, allow_new_heading: bool = False) -> Target | None:
        key = territory_key(text)
        if not key:
            return None
        if key in self.by_key:
            return self._existing(self.by_key[key])
        if key in self.declared:
            name, spec = self.declared[key]
            if spec.code and spec.code in self.by_code:
                return self._existing(self.by_code[spec.code])
            return Target(name, spec.code, spec.placement)
        code = self._code(text)
        if code is None:
            if not allow_new_heading or clean_name(text)[0] is None:  # a new heading is a line of the source too
                return None
            return Target(" ".join(text.split()), None, REGION)
        if code in self.by_code:
            return self._existing(self.by_code[code])
        declared = next(((name, spec) for name, spec in self.declared.values() if spec.code == code), None)
        if declared is not None:
            return Target(declared[0], code, declared[1].placement)
        naming = territory_naming(code, text, self.source)
        heading = " ".join(text.split()) if naming == "short" else langs.territory_name(code, self.source)
        return Target(heading or code, code, GroupSpec(code=code).placement)

    def _existing(self, index: int) -> Target:
        group = self.groups[index]
        return Target(group.heading or "", group.code, group.kind, index)

    def _code(self, text: str) -> str | None:
        code = territory_of(text, self.source)
        if code is not None:
            return code
        bare = text.strip()
        names = langs.territory_names(self.source)
        if re.fullmatch(r"[A-Za-z]{2}|\d{3}", bare) and bare.upper() in names:
            return bare.upper()
        for lang in dict.fromkeys(("en", *self.config.languages)):
            code = territory_of(text, lang)
            if code is not None:
                return code
        return _every_language().get(territory_key(text))

    def suggestion(self, text: str) -> str | None:
        return territory_suggestion(text, self.source)


_ALL: dict[str, str] | None = None


def _every_language() -> dict[str, str]:
    """Territory names in every language CLDR has (about 330), for the rare country written in none of the
    project's languages; names that stand for two territories are left out. Each language's names come from its
    own CLDR file (langs.territory_names), not from a whole locale Babel would keep for the rest of the process."""
    global _ALL
    if _ALL is None:
        from babel import localedata

        found: dict[str, set[str]] = {}
        for ident in localedata.locale_identifiers():
            if "_" in ident:
                continue
            try:
                names = langs.territory_names(ident)
            except (ValueError, LookupError):
                continue
            for code, name in names.items():
                if "-" not in code:
                    found.setdefault(territory_key(name), set()).add(code)
        _ALL = {key: next(iter(codes)) for key, codes in found.items() if len(codes) == 1}
    return _ALL


# ---------------------------------------------------------------------------------------------------- editing


@dataclass
class _Source:
    """The document's text as lines, with what writing it back must keep: BOM, line ending, final newline."""

    path: Path
    data: bytes
    lines: list[str]
    bom: bool
    newline: str

    @classmethod
    def read(cls, config: Config, path: Path) -> _Source:
        full = config.root / path
        data, text = read_utf8(full, path, SourceError, "source")
        newline = "\r\n" if "\r\n" in text else "\r" if "\r" in text else "\n"
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        return cls(full, data, text.split("\n"), data.startswith(b"\xef\xbb\xbf"), newline)

    def text(self) -> str:
        return "\n".join(self.lines)

    def encoded(self) -> bytes:
        body = self.newline.join(self.lines).encode("utf-8")
        return b"\xef\xbb\xbf" + body if self.bom else body


def _identity(group: Group) -> str:
    return group.code or "\0" + territory_key(group.heading or "")


def _shape(doc: Document) -> tuple[list[str], dict[str, list[str]]]:
    groups = doc.signatories.groups if doc.signatories else []
    return [b.text for b in doc.body], {_identity(g): [o.name for o in g.organisations] for g in groups}


@dataclass
class _Slot:
    """A group as the intake grows it: its organisations in document order, each original one with its line."""

    group: Group  # as parsed; a new group's has no line
    names: list[str]
    original: list[Organisation | None]  # None: added by this intake
    keys: list | None  # the names' collation keys while they are in collation order (new ones go in by bisection)
    new: bool = False
    at_end: bool = False  # a new group after every group of the document


class _Editor:
    """Plans where each organisation goes without touching the text, then writes every line in one pass and
    reads the result back once (`reads_back`): parsing the whole document again for every row made an import
    quadratic (2,000 rows took 2.7 s, 20,000 several minutes)."""

    def __init__(self, config: Config, path: Path, source: _Source, doc: Document) -> None:
        self.config = config
        self.path = path
        self.source = source
        self.key = langs.collation_key(config.source_language)
        self.doc = doc
        assert doc.signatories is not None
        self.separated = self._separated()
        self.slots: list[_Slot] = []
        for group in doc.signatories.groups:
            names = [o.name for o in group.organisations]
            keys = [self.key(n) for n in names]
            self.slots.append(_Slot(group, names, list(group.organisations),
                                    keys if all(a <= b for a, b in zip(keys, keys[1:])) else None))
        self.order = list(self.slots)  # groups in document order, new ones in their place
        self.groups = [slot.group for slot in self.slots]  # by index, as GroupFinder and Target know them

    def _separated(self) -> bool:
        """Whether the document puts a blank line between a heading and its organisations (the appeal does)."""
        assert self.doc.signatories is not None
        for group in self.doc.signatories.groups:
            if group.heading is not None and group.organisations:
                return group.organisations[0].line > group.line + 1
        return True

    def insert(self, name: str, target: Target) -> None:
        """Add one organisation to the plan: at its sorted place when the group is sorted, else last."""
        if target.index is None:
            self._new_group(target, name)
            return
        slot = self.slots[target.index]
        if slot.keys is None:
            position = len(slot.names)
        else:
            mine = self.key(name)
            position = bisect.bisect_right(slot.keys, mine)
            slot.keys.insert(position, mine)
        slot.names.insert(position, name)
        slot.original.insert(position, None)

    def _new_group(self, target: Target, name: str) -> None:
        """A new group goes at its sorted place among the groups sorted by name when the document keeps them
        sorted, else after the last of them; groups kept last stay last."""
        headed = [s for s in self.order if s.group.heading is not None]
        named = [s for s in headed if s.group.kind != LAST]
        before: _Slot | None = None
        if target.kind != LAST:
            if self.config.signatories.order == "collation" and self._sorted([s.group.heading or "" for s in named]):
                mine = self.key(target.heading)
                before = next((s for s in named if self.key(s.group.heading or "") > mine), None)
            if before is None and named:
                after = headed.index(named[-1]) + 1
                before = headed[after] if after < len(headed) else None
            elif before is None:
                before = next(iter(headed), None)
        group = Group(target.heading, 0, target.code, kind=target.kind)
        slot = _Slot(group, [name], [None], [self.key(name)], new=True, at_end=before is None)
        self.order.insert(self.order.index(before) if before is not None else len(self.order), slot)
        self.slots.append(slot)
        self.groups.append(group)

    def _sorted(self, names: list[str]) -> bool:
        """In the source language's collation order (a list of one is: it may have been sorted)."""
        keys = [self.key(n) for n in names]
        return all(a <= b for a, b in zip(keys, keys[1:]))

    def lines(self) -> list[str]:
        """The document's lines with the plan applied, in one pass."""
        old = self.source.lines
        after: dict[int, list[str]] = {}  # before line index i, first: names that end a group
        before: dict[int, list[str]] = {}  # then: names above an original organisation, new groups above a heading
        end: list[str] = []
        waiting: list[_Slot] = []  # new groups until the next original group
        for slot in self.order:
            if slot.new:
                waiting.append(slot)
                continue
            if waiting and slot.group.heading is not None:
                for new in waiting:
                    before.setdefault(slot.group.line - 1, []).extend(self._block(new))
                waiting = []
            pending: list[str] = []
            for name, org in zip(slot.names, slot.original):
                if org is None:
                    pending.append(name)
                elif pending:
                    before.setdefault(org.line - 1, []).extend(pending)
                    pending = []
            if pending:
                last = next((o for o in reversed(slot.original) if o is not None), None)
                if last is not None:
                    after.setdefault(last.line, []).extend(pending)
                else:
                    after.setdefault(slot.group.line, []).extend(([""] if self.separated else []) + pending)
        for new in waiting:
            end.extend([""] + self._block(new)[:-1])
        stop = len(old)
        while stop > 0 and not old[stop - 1].strip():
            stop -= 1
        out: list[str] = []
        for i in range(len(old) + 1):
            out.extend(after.get(i, ()))
            out.extend(before.get(i, ()))
            if i == stop:
                out.extend(end)
            if i < len(old):
                out.append(old[i])
        return out

    def _block(self, slot: _Slot) -> list[str]:
        return [slot.group.heading or ""] + ([""] if self.separated else []) + slot.names + [""]

    def reads_back(self, lines: list[str]) -> bool:
        """Whether the new text parses as the old one plus exactly the planned organisations, each in its group."""
        doc = parse(self.path, "\n".join(lines), self.config.source_language, self.config.signatories)
        body, _ = _shape(self.doc)
        expected = {_identity(slot.group): list(slot.names) for slot in self.slots}
        return _shape(doc) == (body, expected)


# ---------------------------------------------------------------------------------------------------- intake


def intake(config: Config, candidates: list[Candidate], document: Path | None = None, dry_run: bool = False,
           allow_new_heading: bool = False, rejected: list[Outcome] | None = None) -> IntakeReport:
    """Merge candidates into the source document: each valid new organisation in its group, duplicates skipped,
    bad rows rejected. Writes private/contacts.csv (when a row has private columns), then the document, each
    atomically: a run killed at any moment leaves the document as it was or fully updated.

    The new text is read back once to prove it parses as the old one plus exactly the organisations added. When
    it does not, a name reads as something else (a heading): bisection over the rows finds the first one that
    breaks the reading, which is rejected, and the plan is made again without it."""
    path = _document(config, document)
    source = _Source.read(config, path)
    doc = parse(path, source.text(), config.source_language, config.signatories)
    if doc.signatories is None:
        raise SourceError("the document has no signatory list (no line reads as its heading; see "
                          "signatories.heading in l10n.yaml)", path)
    candidates = list(candidates)
    unreadable: set[int] = set()

    def plan(count: int, look_alike: bool = False) -> tuple[IntakeReport, _Editor, list[dict[str, str]]]:
        return _plan(config, path, source, doc, candidates[:count], unreadable, allow_new_heading, rejected,
                     look_alike)

    while True:
        report, editor, private_rows = plan(len(candidates), look_alike=True)
        lines = editor.lines()
        if not report.added or editor.reads_back(lines):
            break
        good, bad = 0, len(candidates)  # plan(good) reads back, plan(bad) does not
        while bad - good > 1:
            middle = (good + bad) // 2
            _, trial, _ = plan(middle)
            good, bad = (middle, bad) if trial.reads_back(trial.lines()) else (good, middle)
        unreadable.add(bad - 1)
    if dry_run:
        report.contacts = sum(1 for row in private_rows if any(row.get(k) for k in PRIVATE))
        return report
    try:
        report.contacts = _save_contacts(config, private_rows)  # first: a run stopped after it can be run again
        if report.added:
            source.lines = lines
            _write(source)
            report.written = True
    except OSError as exc:
        raise IntakeError(f"cannot write: {exc.strerror or exc}", exc.filename2 or exc.filename or path) from None
    return report


def _plan(config: Config, path: Path, source: _Source, doc: Document, candidates: list[Candidate],
          unreadable: set[int], allow_new_heading: bool, rejected: list[Outcome] | None,
          look_alike: bool) -> tuple[IntakeReport, _Editor, list[dict[str, str]]]:
    """Where each candidate goes (or why it does not), the document untouched; `unreadable`: the indices of
    candidates whose line would not read back as their name. `look_alike`: warn of names a few typing errors
    from one listed (a bisection's trial plans need no warnings)."""
    report = IntakeReport(path, rejected=list(rejected or []))
    editor = _Editor(config, path, source, doc)
    finder = GroupFinder(config, editor.groups)
    organisations = doc.signatories.organisations  # type: ignore[union-attr]
    listed = {organisation_key(o.name): o for o in organisations}
    looks = LookAlikes(organisations) if look_alike else None
    private_rows: list[dict[str, str]] = []
    for number, candidate in enumerate(candidates):
        name, problem = clean_name(candidate.name)
        if name is None:
            report.rejected.append(Outcome(candidate.origin, candidate.name, problem or ""))
            continue
        target = finder.find(candidate.country, allow_new_heading)
        if target is None:
            hint = finder.suggestion(candidate.country) if candidate.country.strip() else None
            what = f"unknown country {candidate.country!r}" if candidate.country.strip() else "no country given"
            report.rejected.append(Outcome(candidate.origin, name, what + (f" (did you mean {hint!r}?)" if hint
                                                                           else "")))
            continue
        key = organisation_key(name)
        if key in listed:
            known = listed[key]
            where = f"line {known.line}" if known.line else "earlier in this intake"
            report.skipped.append(Outcome(candidate.origin, name, f"already listed ({known.name!r}, {where})"))
            _keep_private(private_rows, candidate, name, target)
            continue
        if number in unreadable:
            report.rejected.append(Outcome(candidate.origin, name, f"{name!r} would not read back as an organisation "
                                           f"of {target.heading!r} (a line that reads as a group heading or the "
                                           "list's heading?)"))
            continue
        folded = fold(name)
        similar = looks.similar(folded) if looks else None
        editor.insert(name, target)
        if similar:
            report.warnings.append(f"{candidate.origin}: {name!r} looks like {similar}")
        if target.index is None:
            if target.code is None and target.kind != LAST and territory_key(target.heading) not in finder.declared:
                report.warnings.append(f"{candidate.origin}: new group {target.heading!r} is not a territory: it is "
                                       "sorted with the countries (declare it in signatories.groups to say otherwise)")
            finder = GroupFinder(config, editor.groups)
        listed[key] = added = Organisation(name, 0)
        if looks:
            looks.add(added, folded)
        report.added.append(Addition(name, target.heading, target.index is None, candidate.origin))
        _keep_private(private_rows, candidate, name, target)
    return report, editor, private_rows


def _document(config: Config, document: Path | None) -> Path:
    """The document to add to: the one named as l10n.yaml names it, or the first."""
    if document is None:
        return config.documents[0]
    wanted = Path(os.path.normpath(document))
    if wanted not in config.documents:
        raise ConfigError(f"{document} is not one of the project's documents "
                          f"({', '.join(map(str, config.documents))})", config.path)
    return wanted


class LookAlikes:
    """Listed organisations (by folded name, in listing order), indexed to find the one a new name is a few
    typing errors away from (see document.SIMILARITY) without comparing it with every name: an import of
    20,000 rows compared 2·10⁸ pairs. A name is compared with the names whose words it shares all but at most
    two of, each way (typos in two words; a word added, dropped or changed), and with those whose letters,
    spaces aside, are one typo away (a space dropped or added, which changes two words, and one more typo); the
    best match and the order of ties are those of a comparison with every name (tests/test_look_alikes.py). A
    look-alike further away than that (three words changed) is not found."""

    def __init__(self, organisations: list[Organisation]) -> None:
        self.orgs: dict[str, Organisation] = {}
        self.order: dict[str, int] = {}
        self.blocks: defaultdict[object, list[str]] = defaultdict(list)
        for org in organisations:
            self.add(org)

    def add(self, org: Organisation, name: str | None = None) -> None:
        """List `org`, whose folded name (document.fold) is `name` when the caller has it."""
        name = fold(org.name) if name is None else name
        if name not in self.orgs:
            self.order[name] = len(self.order)
            for key in self._keys(name, (0,)):
                self.blocks[key].append(name)
        self.orgs[name] = org

    def similar(self, mine: str) -> str | None:
        """The listed organisation a folded name (document.fold) looks like, as `'Name' at line N (93% alike)`;
        names whose numbers differ are different organisations."""
        from rapidfuzz import fuzz, process

        blocks = self.blocks
        found: list[str] = []  # with repeats: cheaper than a set, and extract's answers are few
        for key in self._keys(mine, (-1, 0, 1)):
            if key in blocks:
                found += blocks[key]
        matches = process.extract(mine, found, scorer=fuzz.ratio, score_cutoff=SIMILARITY, limit=None)
        best = sorted({(-score, self.order[match], match) for match, score, _ in matches})[:5]
        for score, _, match in best:  # as compared with every name: the best five, the first listed of equals
            if DIGITS.findall(match) == DIGITS.findall(mine):
                org = self.orgs[match]
                where = f" at line {org.line}" if org.line else ""
                return f"{org.name!r}{where} ({-score:.0f}% alike)"
        return None

    @staticmethod
    def _keys(name: str, spread: tuple[int, ...]) -> list[object]:
        """Where a name is listed (`spread` (0,)) or looked for ((-1, 0, 1)).

        Words: the name's word set less up to two words, as the sum of their hashes (a collision only adds a
        comparison); a set of fewer than two words, which many names share, with the name's length class as
        well (a ratio of 1.25 a class: names 90 % alike are less than 11/9 apart), looked for a class either way.
        Letters: one typo leaves intact either the letters before the middle but one or those after it but one,
        at the start or the end; looked for as if the listed name were a letter longer, as long, or shorter."""
        words = list({hash(word) for word in name.split()})
        whole, size = sum(words), len(words)
        keys: list[object] = [whole, *(whole - a for a in words), *(whole - a - b for a, b in combinations(words, 2))]
        if size < 4:  # some sets have fewer than two words
            left = [size, *[size - 1] * size, *[size - 2] * (len(keys) - 1 - size)]
            length = int(math.log(max(len(name), 1), 1.25))
            keys = [rest if n >= 2 else (rest, length + s) for rest, n in zip(keys, left)
                    for s in ((0,) if n >= 2 else spread)]
        flat = name.replace(" ", "")
        for other in (len(flat) + s for s in spread):
            middle = other // 2
            keys += ("<" + flat[:max(middle - 1, 0)], ">" + flat[len(flat) - max(other - middle - 1, 0):])
        return list(dict.fromkeys(keys))


def _keep_private(rows: list[dict[str, str]], candidate: Candidate, name: str, target: Target) -> None:
    if not any(candidate.extra.get(k) for k in PRIVATE):
        return
    rows.append({"organisation": name, "group": target.heading, "code": target.code or "",
                 **{k: candidate.extra.get(k, "") for k in ("email", "contact", "date", "url")},
                 "origin": candidate.origin})


def _save_contacts(config: Config, rows: list[dict[str, str]]) -> int:
    """Append rows to private/contacts.csv (atomically, rows already there kept once); the folder gets a
    .gitignore of `*` so no commit of any project carries it."""
    if not rows:
        return 0
    folder = config.root / PRIVATE_DIR
    folder.mkdir(exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        pofile.atomic_write(ignore, b"# Contacts collected by l10n signatories import: never committed.\n*\n")
    path = config.root / CONTACTS
    existing: list[dict[str, str]] = []
    if path.exists():
        with path.open(encoding="utf-8", newline="") as handle:
            existing = [dict(row) for row in csv.DictReader(handle)]
    seen = {tuple(row.get(k, "") for k in CONTACT_FIELDS if k != "origin") for row in existing}
    new = [row for row in rows if tuple(row[k] for k in CONTACT_FIELDS if k != "origin") not in seen]
    if not new:
        return 0
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, CONTACT_FIELDS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(existing + new)
    pofile.atomic_write(path, out.getvalue().encode("utf-8"))
    os.chmod(path, 0o600)
    return len(new)


def _write(source: _Source) -> None:
    """The new text in place of the old, atomically; refused if someone changed the file since it was read."""
    try:
        now = source.path.read_bytes()
    except OSError:
        now = None
    if now != source.data:
        raise ConcurrentEditError("the source changed on disk during the intake; nothing was written: run it "
                                  "again", source.path)
    pofile.atomic_write(source.path, source.encoded())


def import_file(config: Config, file: Path, document: Path | None = None, dry_run: bool = False) -> IntakeReport:
    candidates, rejected, warnings = read_csv(file)
    report = intake(config, candidates, document, dry_run, rejected=rejected)
    report.warnings[:0] = warnings
    report.rejected.sort(key=lambda o: _row(o.origin))
    return report


def _row(origin: str) -> int:
    tail = origin.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def add(config: Config, group: str, names: list[str], document: Path | None = None,
        dry_run: bool = False) -> IntakeReport:
    """Add organisations by name to one group (a heading of the document, or a country in any language); a
    heading nobody knows makes a new group, sorted with the countries."""
    candidates = [Candidate(name, group, f"argument {n}") for n, name in enumerate(names, 1)]
    return intake(config, candidates, document, dry_run, allow_new_heading=True)


# ---------------------------------------------------------------------------------------------------- listing


@dataclass
class ListedGroup:
    heading: str | None
    code: str | None
    kind: str
    organisations: list[str]


@dataclass
class Listing:
    document: str
    lang: str
    groups: list[ListedGroup]

    @property
    def organisations(self) -> int:
        return sum(len(g.organisations) for g in self.groups)


def listing(config: Config, lang: str | None = None, allow_fuzzy: bool = False) -> list[Listing]:
    """Each document's groups and organisations as `lang` publishes them (the source language by default):
    headings and names from its catalog (reviewed translations; drafts too with `allow_fuzzy`), falling back to
    the source as `build` does, in the published order."""
    out = []
    for path in config.documents:
        doc = load_document(config, path)
        shown = lang or config.source_language
        index = {}
        if lang is not None:
            po = pofile.load_or_none(po_path(config, lang, path))
            index = po.index() if po is not None else {}
        texts: dict[tuple[int, str, int], str] = {}
        for key, seg in keyed_segments(doc, config.segmentation):
            entry = index.get(key)
            translated = entry is not None and state.published(entry, allow_fuzzy) is not None
            texts[(seg.block, seg.role, seg.line)] = entry.translation if translated else seg.text  # type: ignore
        groups = []
        for number, group in enumerate(doc.signatories.groups if doc.signatories else []):
            heading = texts.get((number, group.role, group.line)) if group.heading is not None else None
            groups.append(ListedGroup(heading, group.code, group.kind,
                                      [texts.get((number, "organisation", o.line), o.name)
                                       for o in group.organisations]))
        if config.signatories.order == "collation":
            groups = publication_order(groups, lambda g: g.kind, lambda g: g.heading, shown)
        out.append(Listing(doc.id, shown, groups))
    return out


def to_rows(listings: list[Listing]) -> list[dict[str, object]]:
    return [{"document": item.document, "language": item.lang, "group": g.heading or "", "code": g.code or "",
             "kind": g.kind, "organisation": name}
            for item in listings for g in item.groups for name in g.organisations]


def to_csv(listings: list[Listing]) -> str:
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, ["document", "language", "group", "code", "kind", "organisation"],
                            lineterminator="\n")
    writer.writeheader()
    writer.writerows(to_rows(listings))
    return out.getvalue()


def to_json(listings: list[Listing]) -> str:
    import json

    return json.dumps([{"document": item.document, "language": item.lang,
                        "groups": [{"heading": g.heading, "code": g.code, "kind": g.kind,
                                    "organisations": g.organisations} for g in item.groups],
                        "totals": {"groups": len(item.groups), "organisations": item.organisations}}
                       for item in listings], ensure_ascii=False, indent=2) + "\n"


def to_text(listings: list[Listing]) -> str:
    lines = []
    for item in listings:
        lines.append(f"{item.document} ({item.lang}): {len(item.groups)} group(s), {item.organisations} "
                     "organisation(s)")
        for group in item.groups:
            code = f" [{group.code}]" if group.code else ""
            lines.append(f"{group.heading or '(no heading)'}{code}: {len(group.organisations)}")
            lines += [f"  {name}" for name in group.organisations]
    return "\n".join(lines) + "\n"


def sweep(config: Config, document: Path | None) -> None:
    """Remove the temporary files an intake killed mid-write left beside the document and the contacts (the
    project's writing commands sweep locales/, dist/ and the cache the same way)."""
    folder = (config.root / _document(config, document)).parent
    for where in (folder, config.root / PRIVATE_DIR):
        if where != config.root and where.is_dir():
            pofile.remove_leftovers(where)
