"""The publication record: what `build` last published per language and document, kept next to the catalog
(`locales/<lang>/<doc>.published.json`, committed) so that "what changed since we published?" has an answer.

The record holds the date, the source file's digest and, per entry in document order, its role, msgctxt, a
digest of its source text and of the text the page showed (null where the page showed the source text), plus
the group and the name of each signatory so that removed ones can still be named. One entry per line, keys
sorted: diffs read line by line. It is rewritten only when what the pages show changed, so its date is the
date of the last publication that changed something."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from . import provenance, state
from . import po as pofile
from .po import Catalog
from .config import Config
from .document import COUNTRY, DATELINE, GROUP, ORGANISATION, PARAGRAPH, SIGNATORIES_HEADING, TITLE, Document
from .errors import CatalogError
from .digest import file_digest
from .paths import record_path
from .pot import keyed_segments, now

FORMAT = 1
TEXT_ROLES = (TITLE, PARAGRAPH, DATELINE, SIGNATORIES_HEADING)
GROUP_ROLES = (COUNTRY, GROUP)


def shown(po: Catalog | None, allow_fuzzy: bool) -> dict[tuple[str | None, str], str]:
    """The translation a page shows for each catalog key (what assemble.Assembled.shown holds after assembling)."""
    if po is None:
        return {}
    return {key: entry.translation for key, entry in po.index().items() if state.published(entry, allow_fuzzy)}


Key = tuple[str | None, str]


@dataclass(frozen=True)
class Sources:
    """By catalog key, in document order, what a record holds about each distinct segment but the text its page
    showed (`items`), and its line in the record up to that text's digest (`lines`: "str" is the last of the
    sorted keys): the same in every language, so that a build makes both once per document."""

    items: dict[Key, dict[str, Any]]
    lines: dict[Key, str]


def sources(doc: Document, mode: str) -> Sources:
    """What every language's record says of the document's segments (Sources)."""
    groups = doc.signatories.groups if doc.signatories is not None else []
    items: dict[Key, dict[str, Any]] = {}
    for key, seg in keyed_segments(doc, mode):
        if key in items:
            continue
        item: dict[str, Any] = {"role": seg.role, "ctxt": key[0], "id": provenance.digest(seg.text)}
        if seg.role in GROUP_ROLES or seg.role == ORGANISATION:
            item["group"] = groups[seg.block].heading
        if seg.role == ORGANISATION:
            item["name"] = seg.text
        items[key] = item
    encode = _encoder()
    return Sources(items, {key: encode(item)[:-1] + ', "str": ' for key, item in items.items()})


def _digests(source: Sources, shown: dict[Key, str]) -> dict[Key, str | None]:
    """The digest of the text each segment's page showed, None where it showed the source text."""
    return {key: provenance.digest(text) if (text := shown.get(key)) is not None else None for key in source.items}


def entries(doc: Document, mode: str, shown: dict[Key, str]) -> list[dict[str, Any]]:
    """One dict per distinct segment, in document order: what a record holds about it, `shown` being the
    translations the pages show by catalog key."""
    source = sources(doc, mode)
    return _entries(source, _digests(source, shown))


def _entries(source: Sources, digests: dict[Key, str | None]) -> list[dict[str, Any]]:
    return [{**source.items[key], "str": digest} for key, digest in digests.items()]


def _encoder() -> Callable[[Any], str]:
    return json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode


def dumps(head: dict[str, Any], lines: list[str]) -> str:
    """Valid JSON, keys sorted: the record's `head`, then its "entries", one per line as already encoded."""
    return _encoder()(head)[:-1] + ',\n"entries": [\n' + ",\n".join(lines) + "\n]}\n"


def load(path: Path) -> dict[str, Any] | None:
    """The record at path, None when there is none; a damaged one is a CatalogError naming it."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except UnicodeDecodeError as exc:  # what the system refuses (a folder in its place…) is exit 1, its path named
        raise CatalogError(f"cannot read the publication record: {exc}", path) from None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise CatalogError(f"malformed publication record: {exc.args[0]}", path, getattr(exc, "lineno", None)) \
            from None
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise CatalogError("malformed publication record: no list of entries", path)
    return data


def record(config: Config, doc: Document, shown: dict[tuple[str | None, str], str], lang: str,
           allow_fuzzy: bool, source: Sources | None = None) -> Path | None:
    """Write the record of what this build published in `lang` (`shown`: the translations on its pages, by
    catalog key; `source`: sources(doc, mode), when the caller has it); the path when the file changed, else
    None. An unchanged publication keeps its record (and date) as it is."""
    path = record_path(config, lang, doc.path)
    source = sources(doc, config.segmentation) if source is None else source
    digests = _digests(source, shown)
    new = {"document": doc.id, "lang": lang, "format": FORMAT, "allow_fuzzy": allow_fuzzy,
           "source": file_digest(config.root / doc.path)}
    try:
        old = load(path)
    except CatalogError:
        old = None  # a damaged record is replaced by the publication that just happened
    if old is not None and {k: v for k, v in old.items() if k != "date"} == {**new,
                                                                          "entries": _entries(source, digests)}:
        return None
    # each entry's line: its source side as encoded once per document, then the digest (hex, or null)
    lines = [source.lines[key] + ("null}" if digest is None else f'"{digest}"}}') for key, digest in digests.items()]
    return path if pofile.write_if_changed(path, dumps({**new, "date": now()}, lines)) else None


@dataclass
class Changes:
    """What changed in one language since its last publication: source passages, translations, signatories."""

    lang: str
    document: str
    published: str | None  # date of the record; None: never published
    changed: list[dict[str, Any]] = field(default_factory=list)  # passages whose source text changed
    added: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    translations: list[dict[str, Any]] = field(default_factory=list)  # same source, other published text
    signatories_added: list[dict[str, Any]] = field(default_factory=list)
    signatories_removed: list[dict[str, Any]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return (len(self.changed) + len(self.added) + len(self.removed) + len(self.translations)
                + len(self.signatories_added) + len(self.signatories_removed))

    @property
    def stale(self) -> bool:
        """Published, and the published text no longer is what a build would publish."""
        return self.published is not None and self.count > 0

    def as_dict(self) -> dict[str, Any]:
        return {"lang": self.lang, "document": self.document, "published": self.published, "changes": self.count,
                "stale": self.stale, "source_changed": self.changed, "source_added": self.added,
                "source_removed": self.removed, "translations_changed": self.translations,
                "signatories_added": self.signatories_added, "signatories_removed": self.signatories_removed}


def _texts(doc: Document, mode: str) -> dict[str, tuple[str, int]]:
    """Source digest → (text, line) of every segment, to show what a digest stands for."""
    return {provenance.digest(seg.text): (seg.text, seg.line) for _, seg in keyed_segments(doc, mode)}


def _group_names(doc: Document, po: Catalog | None, lang: str) -> dict[str | None, str]:
    """Source group heading → its name in the language: the catalog's translation, else the heading."""
    index = po.index() if po is not None else {}
    names: dict[str | None, str] = {}
    for key, seg in keyed_segments(doc, "paragraph"):
        if seg.role in GROUP_ROLES:
            entry = index.get(key)
            names[seg.text] = entry.translation if entry is not None and entry.translation else seg.text
    return names


def compare(config: Config, doc: Document, lang: str) -> Changes:
    """What changed in `lang` since its record: the source document as it is now against the record, and what a
    build would publish now (same --allow-fuzzy as the record's) against what was published."""
    old = load(record_path(config, lang, doc.path))
    result = Changes(lang, doc.id, old.get("date") if old is not None else None)
    if old is None:
        return result
    po = pofile.load_or_none(config.root / config.locales_dir / lang / f"{doc.id}.po")
    new = entries(doc, config.segmentation, shown(po, bool(old.get("allow_fuzzy"))))
    texts = _texts(doc, config.segmentation)
    describe = lambda e: {"role": e["role"], "text": texts[e["id"]][0], "line": texts[e["id"]][1]}  # noqa: E731
    before = [e for e in old["entries"] if e.get("role") in TEXT_ROLES]
    after = [e for e in new if e["role"] in TEXT_ROLES]
    matcher = difflib.SequenceMatcher(None, [e.get("id") for e in before], [e["id"] for e in after],
                                      autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        pairs = min(i2 - i1, j2 - j1) if op == "replace" else 0
        result.changed += [describe(e) for e in after[j1:j1 + pairs]]
        result.added += [describe(e) for e in after[j1 + pairs:j2]]
        result.removed += [{"role": e.get("role"), "position": i + 1} for i, e in enumerate(before) if i1 + pairs <= i < i2]
    names = _group_names(doc, po, lang)
    was = {(e.get("group"), e.get("name")) for e in old["entries"] if e.get("role") == ORGANISATION}
    now_ = {(e["group"], e["name"]) for e in new if e["role"] == ORGANISATION}
    signatory = lambda g, n: {"group": g, "group_name": names.get(g, g), "name": n}  # noqa: E731
    result.signatories_added = [signatory(g, n) for g, n in sorted(now_ - was, key=_order(new))]
    result.signatories_removed = [signatory(g, n) for g, n in sorted(was - now_, key=_order(old["entries"]))]
    published = {(e.get("ctxt"), e.get("id")): e.get("str") for e in old["entries"]}
    for e in new:
        key = (e["ctxt"], e["id"])
        if key in published and published[key] != e["str"]:
            result.translations.append({**describe(e), "published": published[key] is not None,
                                        "now": e["str"] is not None})
    return result


def _order(items: list[dict[str, Any]]):
    """Sort signatories as the document lists them."""
    position = {(e.get("group"), e.get("name")): i for i, e in enumerate(items)}
    return lambda pair: position.get(pair, len(position))


__all__ = ["Changes", "compare", "dumps", "entries", "load", "record", "record_path", "shown"]
