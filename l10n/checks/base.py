"""The pieces every check shares: the Issue a reviewer reads, the registry, and small text helpers.

Like translate-toolkit's pofilter, a check is one function; its docstring's first line is the title shown to users
and the rest says why the check exists, so documentation cannot drift from the code."""

from __future__ import annotations

import inspect
import json
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

from ..po import Catalog, Entry
from ..glossary import Glossary

ERROR, WARNING, INFO = "error", "warning", "info"
SEVERITIES = (ERROR, WARNING, INFO)

#: Where a check looks: the whole catalog, an entry's state, or each source/translation pair of a translated entry.
CATALOG, ENTRY, PAIR = "catalog", "entry", "pair"


@dataclass(frozen=True, slots=True)  # slots: a project of 20,000 segments × 10 languages has 175,000 of them
class Issue:
    """One problem a translator can fix, located by PO file and line so editors can jump to it."""

    file: str
    line: int
    lang: str
    msgctxt: str | None
    msgid: str
    check: str
    severity: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}  # asdict would deep-copy every string

    def as_json(self) -> str:
        """json.dumps(self.as_dict(), ensure_ascii=False, indent=2), written without json's indenting encoder:
        that one is Python whose closures make reference cycles at each call, and l10n runs without the cyclic
        collector (cli.entry): 175,000 issues printed left 450 MB of them behind."""
        fields = (f"{json.dumps(name)}: {json.dumps(getattr(self, name), ensure_ascii=False)}"
                  for name in self.__slots__)
        return "{\n  " + ",\n  ".join(fields) + "\n}"


@dataclass(frozen=True)
class CheckInfo:
    """A registered check: its function, how serious its findings are, and the docs taken from its docstring."""

    id: str
    function: Callable[..., Iterable[Any]]
    severity: str
    kind: str
    title: str
    description: str


@dataclass(frozen=True)
class Finding:
    """What a catalog-level check reports: a line, a message and, when there is one, the entry concerned."""

    line: int
    message: str
    entry: Entry | None = None


@dataclass(frozen=True)
class Pair:
    """A source text and its translation; plural entries give one pair per translated form.

    `target` has foreign markup and engine marks removed so that only the markup and mt-marks checks report them
    (a `<script>` tag must not also count as a changed number or a missing full stop); `raw` is as written."""

    source: str
    target: str
    raw: str
    form: int | None = None


@dataclass(frozen=True)
class CheckSettings:
    """What a check runs under besides the text, for one catalog: its languages, the glossary, the words the
    project accepts, and which checks are on (narrowed per entry by its `l10n-ignore` flag)."""

    lang: str
    source_lang: str
    glossary: Glossary
    enabled: frozenset[str]
    catalog: Catalog | None = None
    accept: frozenset[str] = frozenset()  # words the project accepts whatever the dictionary says (spelling)
    #: work several checks of this catalog need, done once by the first (the word checks' analyses): kept with
    #: the catalog's run, not in a bounded cache that a catalog with more texts than it holds empties every time
    shared: dict[Any, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)

    def once(self, key: Any, work: Callable[[], Any]) -> Any:
        """`work()`, done by the first check of this catalog run that asks for `key`, shared with the others."""
        if key not in self.shared:
            self.shared[key] = work()
        return self.shared[key]

    @property
    def primary(self) -> str:
        return self.lang.split("-")[0].lower()

    @property
    def source_primary(self) -> str:
        return self.source_lang.split("-")[0].lower()


CHECKS: dict[str, CheckInfo] = {}


def check(check_id: str, severity: str, kind: str = PAIR) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a check function under its id; title and description come from its docstring."""
    if severity not in SEVERITIES:
        raise ValueError(f"unknown severity {severity!r}")

    def register(function: Callable[..., Any]) -> Callable[..., Any]:
        doc = inspect.cleandoc(function.__doc__ or check_id)
        title, _, description = doc.partition("\n")
        CHECKS[check_id] = CheckInfo(check_id, function, severity, kind, title.strip().rstrip("."),
                                     " ".join(description.split()))
        return function

    return register


# ---------------------------------------------------------------------------------------------------- helpers

QUOTE_LIMIT = 60


def line_of(entry: Entry) -> int:
    """Where an issue about `entry` points: the line of its msgid, as the loader recorded it (1 for an entry made
    in memory)."""
    return max(entry.line, 1)


def q(text: str, limit: int = QUOTE_LIMIT) -> str:
    """Quote a bit of text for a message: one line, shortened in the middle of nothing the reader needs."""
    shown = text.replace("\n", "\\n").replace("\t", "\\t")
    if len(shown) > limit:
        shown = shown[: limit - 1].rstrip() + "…"
    return f'"{shown}"'

