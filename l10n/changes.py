"""Stage `changes`: per language, what changed since its last publication (l10n.publication's records): source
passages changed, added or removed, translations changed, signatories added or removed by group, and which
languages' published text is now stale. As text for a terminal, JSON for scripts, Markdown for a newsletter."""

from __future__ import annotations

import json
from datetime import datetime

from . import langs, publication
from .config import Config
from .document import load_document
from .publication import Changes


def changes(config: Config, languages: tuple[str, ...]) -> list[Changes]:
    out = []
    for path in config.documents:
        doc = load_document(config, path)
        out += [publication.compare(config, doc, lang) for lang in languages]
    return out


def _short(text: str, width: int = 70) -> str:
    return text if len(text) <= width else text[:width - 1].rstrip() + "…"


def to_text(items: list[Changes]) -> str:
    lines = []
    for c in items:
        name = f"{c.lang}/{c.document}"
        if c.published is None:
            lines.append(f"{name}: never published")
            continue
        lines.append(f"{name}: published {c.published}, {c.count} change(s) since")
        for label, passages in (("source changed", c.changed), ("source added", c.added)):
            lines += [f"  {label}: {p['role']} (line {p['line']}): {_short(p['text'])}" for p in passages]
        lines += [f"  source removed: {p['role']} #{p['position']}" for p in c.removed]
        lines += [f"  translation changed: {p['role']} (line {p['line']}): {_short(p['text'])}"
                  for p in c.translations]
        lines += [f"  signatory added: {s['group']}: {s['name']}" for s in c.signatories_added]
        lines += [f"  signatory removed: {s['group']}: {s['name']}" for s in c.signatories_removed]
    stale = sorted({c.lang for c in items if c.stale})
    lines.append(f"stale: {', '.join(stale)}" if stale else "no published language is stale")
    return "\n".join(lines) + "\n"


def to_json(items: list[Changes]) -> str:
    data = {"languages": [c.as_dict() for c in items], "stale": sorted({c.lang for c in items if c.stale})}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _date(value: str) -> str:
    """A record's date as people write it in English ("21 May 2026"); as stored when it is not a date."""
    from babel.dates import format_date  # Babel's date formatting: only for the records that show one

    try:
        day = datetime.strptime(value[:10], "%Y-%m-%d").date()
    except ValueError:
        return value
    return format_date(day, "d MMMM y", locale="en")


def _md(text: str) -> str:
    """Text from the document or a catalog, inert in Markdown (the publishing code's escaping)."""
    from .render import md

    return md(text)


def to_markdown(items: list[Changes]) -> str:
    """A newsletter's raw material: new signatories under their localised country names, then the rest."""
    out = ["# Changes since publication", ""]
    for c in items:
        heading = f"## {_md(langs.language_name(c.lang))} ({c.lang}) · {_md(c.document)}"
        out += [heading, ""]
        if c.published is None:
            out += ["Not published yet.", ""]
            continue
        since = _date(c.published)
        if not c.count:
            out += [f"No change since {since}.", ""]
            continue
        if c.signatories_added:
            out += [f"New signatories since {since}:", ""]
            out += [f"- **{_md(s['group_name'] or '')}**: {_md(s['name'])}" for s in c.signatories_added] + [""]
        if c.signatories_removed:
            out += [f"Signatories withdrawn since {since}:", ""]
            out += [f"- **{_md(s['group_name'] or '')}**: {_md(s['name'])}" for s in c.signatories_removed] + [""]
        passages = [("Passage changed in the source", p) for p in c.changed]
        passages += [("New passage", p) for p in c.added] + [("Translation changed", p) for p in c.translations]
        if passages or c.removed:
            out += [f"Text changed since {since}:", ""]
            out += [f"- {label} ({p['role']}, line {p['line']}): {_md(_short(p['text']))}" for label, p in passages]
            out += [f"- Passage removed ({p['role']} #{p['position']})" for p in c.removed]
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


__all__ = ["changes", "to_json", "to_markdown", "to_text"]
