"""A Weblate commit as Weblate makes it: translate-toolkit loads the catalog, the editor sets one unit's target and
its "needs editing" state, ttk saves. l10n must read the change for what it is, and `update` must not touch the
file afterwards (docs/weblate.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from translate.storage import po as ttk_po  # what Weblate loads: ttk picks its PO backend (pypo)

from l10n import provenance

from l10n import po as pofile
from l10n.state import entry_state
from tests.conftest import run


def _unit(store: ttk_po.pofile, source: str) -> ttk_po.pounit:
    return next(u for u in store.units if u.source == source)


def test_a_weblate_edit_reads_right_and_update_leaves_the_file_alone(project: Path, cli) -> None:
    run(cli, "extract")
    run(cli, "update", "--lang", "es")
    run(cli, "pretranslate", "--lang", "es", "--engine", "pseudo")
    path = project / "locales" / "es" / "appeal.po"
    before = pofile.load(path)
    drafts = [e for e in before.active if entry_state(e) == "machine"]
    approved, needs_work = drafts[0], drafts[1]
    reviewed = next(e for e in before.active if entry_state(e) == "automatic")  # a CLDR name

    # What Weblate's PoUnit does: set_target() then set_state() (markfuzzy), and the store serialises itself.
    store = ttk_po.pofile.parsefile(str(path))
    unit = _unit(store, approved.msgid)
    unit.target = "Desde 2019, Azat Miftakhov está encarcelado — texto revisado en Weblate."
    unit.markfuzzy(False)
    other = _unit(store, needs_work.msgid)
    other.target = other.target + " (corregido a medias)"
    other.markfuzzy(True)
    third = _unit(store, reviewed.msgid)
    third.markfuzzy(True)  # "needs editing" ticked on a reviewed entry, text untouched
    # and the header fields Weblate maintains on every commit (PoFormat.update_header)
    store.updateheader(add=True, Last_Translator="Ana García <ana@example.org>",
                       PO_Revision_Date="2026-05-22 10:15+0000", X_Generator="Weblate 5.8",
                       Language_Team="Spanish <https://hosted.weblate.org/projects/appeal/appeal/es/>")
    store.savefile(str(path))
    saved = path.read_bytes()
    assert b"X-Generator: Weblate 5.8" in saved

    after = pofile.load(path).index()
    edited = after[approved.key]
    assert edited.msgstr == "Desde 2019, Azat Miftakhov está encarcelado — texto revisado en Weblate."
    assert entry_state(edited) == "reviewed"
    origin = provenance.parse(edited.translator_comments)
    assert origin is not None and origin.origin == provenance.MACHINE  # Weblate keeps our comment
    assert not origin.matches(edited.msgstr)  # and its digest tells the text is no longer the draft
    assert entry_state(after[needs_work.key]) == "fuzzy"  # a human touched the draft: no longer "machine"
    assert entry_state(after[reviewed.key]) == "fuzzy"
    untouched = [e for e in before.active if e.key not in {approved.key, needs_work.key, reviewed.key}]
    assert all(after[e.key].msgstr == e.msgstr and entry_state(after[e.key]) == entry_state(e) for e in untouched)

    run(cli, "update", "--lang", "es")
    assert path.read_bytes() == saved
    run(cli, "pretranslate", "--lang", "es", "--engine", "pseudo")  # nothing to fill: nothing written
    assert path.read_bytes() == saved
