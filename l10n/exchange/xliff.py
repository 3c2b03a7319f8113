"""XLIFF 2.0 and 1.2 for CAT tools (OmegaT, Okapi, memoQ, Trados…), written and read with lxml.

States, exported so that a file imported untouched changes nothing and a translator's confirmation reads as one:

| l10n         | XLIFF 2.0 `state` (`subState`)   | XLIFF 1.2 target `state` (`state-qualifier`)  |
|--------------|----------------------------------|-----------------------------------------------|
| untranslated | initial, no target               | no target                                     |
| machine      | initial (l10n:machine), target;  | needs-review-translation (leveraged-mt)       |
|              | the draft also as an mtc: match  |                                               |
| fuzzy        | translated (l10n:fuzzy)          | needs-review-translation                      |
| automatic    | reviewed (l10n:automatic)        | signed-off                                    |
| reviewed     | final                            | final                                         |

Read back, a unit whose state is as exported leaves the entry's flag as it was (a fuzzy entry stays fuzzy until
someone reviews it); otherwise 2.0's initial and 1.2's new/needs-* states ask for fuzzy, and translated,
reviewed, final and signed-off for a reviewed entry (a translator's text)."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from . import ExchangeError, Incoming, Row

NS20 = "urn:oasis:names:tc:xliff:document:2.0"
NS12 = "urn:oasis:names:tc:xliff:document:1.2"
MTC = "urn:oasis:names:tc:xliff:matches:2.0"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

_STATE20 = {"untranslated": ("initial", None), "machine": ("initial", "l10n:machine"),
            "fuzzy": ("translated", "l10n:fuzzy"), "automatic": ("reviewed", "l10n:automatic"),
            "reviewed": ("final", None)}
_STATE12 = {"machine": ("needs-review-translation", "leveraged-mt"), "fuzzy": ("needs-review-translation", None),
            "automatic": ("signed-off", None), "reviewed": ("final", None)}
_DONE12 = ("translated", "signed-off", "final")
_ORDER20 = ("initial", "translated", "reviewed", "final")


def dumps(rows: list[Row], source_lang: str, lang: str, version: str) -> bytes:
    if version == "2.0":
        root = _xliff20(rows, source_lang, lang)
    elif version == "1.2":
        root = _xliff12(rows, source_lang, lang)
    else:
        raise ExchangeError(f"XLIFF version {version} is not supported (2.0 or 1.2)")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _by_document(rows: list[Row]) -> dict[str, list[Row]]:
    out: dict[str, list[Row]] = {}
    for row in rows:
        out.setdefault(row.document, []).append(row)
    return out


def _notes(row: Row) -> list[tuple[str, str]]:
    return [(name, text) for name, text in (("role", row.role), ("provenance", row.provenance),
                                            ("state", row.state), ("qa", row.issues)) if text]


def _xliff20(rows: list[Row], source_lang: str, lang: str) -> etree._Element:
    root = etree.Element(f"{{{NS20}}}xliff", nsmap={None: NS20, "mtc": MTC},
                         version="2.0", srcLang=source_lang, trgLang=lang)
    for n, (doc, items) in enumerate(_by_document(rows).items(), 1):
        # one segment per unit, as exported: a tool that split one would leave half a translation per entry
        file = etree.SubElement(root, f"{{{NS20}}}file", id=f"f{n}", original=doc, canResegment="no")
        for row in items:
            unit = etree.SubElement(file, f"{{{NS20}}}unit", id=row.key, name=str(row.number))
            if row.state == "machine":
                matches = etree.SubElement(unit, f"{{{MTC}}}matches")
                match = etree.SubElement(matches, f"{{{MTC}}}match", ref="#s1", type="mt",
                                         origin=row.provenance.split(" sha:")[0] or "machine")
                etree.SubElement(match, f"{{{NS20}}}source").text = row.source
                etree.SubElement(match, f"{{{NS20}}}target").text = row.translation
            notes = _notes(row)
            if notes:
                holder = etree.SubElement(unit, f"{{{NS20}}}notes")
                for category, text in notes:
                    etree.SubElement(holder, f"{{{NS20}}}note", category=category).text = text
            state, sub = _STATE20.get(row.state, ("initial", None))
            segment = etree.SubElement(unit, f"{{{NS20}}}segment", id="s1", state=state)
            if sub:
                segment.set("subState", sub)
            source = etree.SubElement(segment, f"{{{NS20}}}source")
            source.set(XML_SPACE, "preserve")
            source.text = row.source
            if row.translation:
                target = etree.SubElement(segment, f"{{{NS20}}}target")
                target.set(XML_SPACE, "preserve")
                target.text = row.translation
    return root


def _xliff12(rows: list[Row], source_lang: str, lang: str) -> etree._Element:
    root = etree.Element(f"{{{NS12}}}xliff", nsmap={None: NS12}, version="1.2")
    for doc, items in _by_document(rows).items():
        file = etree.SubElement(root, f"{{{NS12}}}file", original=doc, datatype="plaintext")
        file.set("source-language", source_lang)
        file.set("target-language", lang)
        body = etree.SubElement(file, f"{{{NS12}}}body")
        for row in items:
            unit = etree.SubElement(body, f"{{{NS12}}}trans-unit", id=row.key, resname=row.key)
            unit.set(XML_SPACE, "preserve")
            etree.SubElement(unit, f"{{{NS12}}}source").text = row.source
            if row.translation:
                target = etree.SubElement(unit, f"{{{NS12}}}target")
                target.text = row.translation
                state, qualifier = _STATE12.get(row.state, ("needs-review-translation", None))
                target.set("state", state)
                if qualifier:
                    target.set("state-qualifier", qualifier)
            for category, text in _notes(row):
                etree.SubElement(unit, f"{{{NS12}}}note", {"from": "l10n"}).text = f"{category}: {text}"
    return root


def _text(element: etree._Element | None) -> str:
    """The text of a source or target; inline codes a CAT tool added contribute their own text only."""
    return "" if element is None else "".join(element.itertext())


def loads(data: bytes, path: Path) -> tuple[str, list[Incoming]]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ExchangeError(f"not well-formed XML: {exc}", path, exc.lineno) from None
    if root.tag == f"{{{NS20}}}xliff":
        return _load20(root, path)
    if root.tag == f"{{{NS12}}}xliff":
        return _load12(root, path)
    raise ExchangeError("not an XLIFF 2.0 or 1.2 document", path)


def _load20(root: etree._Element, path: Path) -> tuple[str, list[Incoming]]:
    lang = root.get("trgLang")
    if not lang:
        raise ExchangeError("the xliff element has no trgLang", path)
    out: list[Incoming] = []
    for file in root.iter(f"{{{NS20}}}file"):
        for unit in file.iter(f"{{{NS20}}}unit"):
            segments = unit.findall(f"{{{NS20}}}segment")
            if not segments:
                continue
            # a tool that resegmented anyway: the unit's text is its segments' (and ignorables') in order
            parts = [p for p in unit if p.tag in (f"{{{NS20}}}segment", f"{{{NS20}}}ignorable")]
            source = "".join(_text(p.find(f"{{{NS20}}}source")) for p in parts)
            target = "".join(_text(p.find(f"{{{NS20}}}target")) for p in parts)
            states = {s.get("state", "initial") for s in segments}
            state = "initial" if "initial" in states else min(states, key=_ORDER20.index)
            exported = _STATE20.get(unit.get("id", "").rpartition(".")[2], ("initial", None))[0]
            fuzzy = None if state == exported else state == "initial"
            out.append(Incoming(f"{path.name}:{unit.sourceline}: unit {unit.get('name') or unit.get('id')}",
                                file.get("original", ""), unit.get("id", ""), source, target, fuzzy))
    return lang, out


def _load12(root: etree._Element, path: Path) -> tuple[str, list[Incoming]]:
    out: list[Incoming] = []
    lang = None
    for file in root.iter(f"{{{NS12}}}file"):
        lang = lang or file.get("target-language")
        for unit in file.iter(f"{{{NS12}}}trans-unit"):
            target = unit.find(f"{{{NS12}}}target")
            key = unit.get("resname") or unit.get("id", "")
            exported = _STATE12.get(key.rpartition(".")[2], (None, None))[0]
            state = target.get("state") if target is not None else None
            if state is None and unit.get("approved") == "yes":
                state = "signed-off"  # approved in the tool, which wrote no state
            if state is None or state == exported:
                fuzzy = None
            else:
                fuzzy = state not in _DONE12
            out.append(Incoming(f"{path.name}:{unit.sourceline}: trans-unit {unit.get('id')}",
                                file.get("original", ""), key, _text(unit.find(f"{{{NS12}}}source")),
                                _text(target), fuzzy))
    if not lang:
        raise ExchangeError("no file element names a target-language", path)
    return lang, out
