"""extract → update → build on the appeal: the backbone, checked against gettext's own tools."""

from __future__ import annotations

import os
import re
from pathlib import Path

from l10n import po as pofile
from tests.conftest import DATA, msgcat, msgfmt_check, run

LANGS = ["en", "es", "de", "it", "pt", "ru", "uk", "ca"]


def body(path: Path) -> str:
    """A catalog without its header, whose dates change from run to run."""
    return path.read_text(encoding="utf-8").split("\n\n", 1)[1]


def mark_fallback(project: Path) -> None:
    """Publish languages whose text is still French (marked as such), as these tests look at the layout."""
    config = project / "l10n.yaml"
    config.write_text(config.read_text() + "publish: {source_fallback: mark}\n")


def test_extract_writes_the_pot_golden_and_is_byte_stable(project, cli):
    run(cli, "extract")
    pot = project / "locales" / "appeal.pot"
    assert body(pot) == (DATA / "golden" / "appeal.pot.body").read_text(encoding="utf-8")
    first = pot.read_bytes()
    mtime = pot.stat().st_mtime_ns
    run(cli, "extract")
    assert pot.read_bytes() == first
    assert pot.stat().st_mtime_ns == mtime  # not even rewritten


def test_every_catalog_passes_msgfmt_and_msgcat_changes_nothing(project, cli):
    run(cli, "extract")
    run(cli, "update")
    paths = [project / "locales" / "appeal.pot"] + [project / "locales" / l / "appeal.po" for l in LANGS]
    for path in paths:
        check = msgfmt_check(path)
        assert check.returncode == 0, check.stderr
        if path.suffix == ".po":
            assert check.stderr == ""  # not even a warning
        assert msgcat(path) == path.read_bytes(), path


def test_update_headers_and_terminology(project, cli):
    run(cli, "extract")
    run(cli, "update")
    ru = pofile.load(project / "locales" / "ru" / "appeal.po")
    assert ru.header_field("Language") == "ru"
    assert ru.header_field("Plural-Forms").startswith("nplurals=3;")
    assert ru.header_field("Content-Type") == "text/plain; charset=UTF-8"
    index = ru.index()
    germany = index[(None, "Allemagne")]
    assert germany.msgstr == "Германия" and not germany.fuzzy
    assert any("cldr DE" in c for c in germany.translator_comments)
    assert index[(None, "Etat espagnol")].msgstr == ""  # the committee's wording is for translators
    org = index[(None, "Dialog und Solidarität e.V.")]
    assert org.msgstr == "Dialog und Solidarität e.V." and not org.fuzzy
    assert any("proper name" in c for c in org.translator_comments)
    pt_br_like = pofile.load(project / "locales" / "en" / "appeal.po")
    assert pt_br_like.header_field("Plural-Forms") == "nplurals=2; plural=(n != 1);"


def test_po_golden_for_english_after_update(project, cli):
    run(cli, "extract")
    run(cli, "update", "--lang", "en")
    assert body(project / "locales" / "en" / "appeal.po") == \
        (DATA / "golden" / "en.appeal.po.body").read_text(encoding="utf-8")


def _translate_all(project: Path, lang: str) -> None:
    """Stand-in for a translator: every empty entry gets a reviewed translation."""
    path = project / "locales" / lang / "appeal.po"
    po = pofile.load(path)
    for entry in po.active:
        if not entry.msgstr:
            entry.msgstr = f"[{lang}] {entry.msgid}"
    pofile.save(po)


def test_changing_one_paragraph_makes_exactly_that_entry_fuzzy_everywhere(project, cli):
    run(cli, "extract")
    run(cli, "update")
    for lang in LANGS:
        _translate_all(project, lang)
    before = {l: pofile.load(project / "locales" / l / "appeal.po") for l in LANGS}
    source = project / "source" / "appeal.fr.txt"
    old = "Nous exigeons l'arrêt des tortures et la libération d'Azat Miftakhov."
    new = "Nous exigeons l'arrêt immédiat des tortures et la libération d'Azat Miftakhov."
    source.write_text(source.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    run(cli, "extract")
    run(cli, "update")
    for lang in LANGS:
        after = pofile.load(project / "locales" / lang / "appeal.po")
        changed = [e for e in after.active if e.fuzzy]
        assert [e.msgid for e in changed] == [new]
        assert changed[0].previous_msgid == old
        assert changed[0].msgstr == f"[{lang}] {old}"
        old_index = before[lang].index()
        for entry in after.active:
            if entry.msgid != new:
                assert entry.msgstr == old_index[entry.key].msgstr and not entry.fuzzy
        assert not [e for e in after.entries if e.obsolete]
        assert "#| msgid" in (project / "locales" / lang / "appeal.po").read_text(encoding="utf-8")


def test_adding_an_organisation_under_benin_touches_nothing_else(project, cli):
    run(cli, "extract")
    run(cli, "update")
    for lang in LANGS:
        _translate_all(project, lang)
    before = {l: (project / "locales" / l / "appeal.po").read_text(encoding="utf-8") for l in LANGS}
    source = project / "source" / "appeal.fr.txt"
    text = source.read_text(encoding="utf-8")
    anchor = "Syndicat national de travailleurs des services de la santé humaine SYNTRASESH"
    source.write_text(text.replace(anchor, anchor + "\nCollectif béninois pour Azat"), encoding="utf-8")
    run(cli, "extract")
    run(cli, "update")
    run(cli, "build")
    for lang in LANGS:
        after = pofile.load(project / "locales" / lang / "appeal.po")
        old = pofile.loads(before[lang].encode(), Path("x"))
        old_index = old.index()
        new_entries = [e for e in after.active if e.key not in old_index]
        assert [e.msgid for e in new_entries] == ["Collectif béninois pour Azat"]
        for entry in after.active:
            if entry.key in old_index:
                assert (entry.msgstr, entry.fuzzy) == (old_index[entry.key].msgstr, old_index[entry.key].fuzzy)
        for ext in ("txt", "md", "html"):
            assert "Collectif béninois pour Azat" in (project / "dist" / lang / f"appeal.{ext}").read_text("utf-8")


def test_removed_segment_becomes_obsolete(project, cli):
    run(cli, "extract")
    run(cli, "update", "--lang", "es")
    _translate_all(project, "es")
    source = project / "source" / "appeal.fr.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("Exil Solidaire\n", ""), encoding="utf-8")
    run(cli, "extract")
    run(cli, "update", "--lang", "es")
    text = (project / "locales" / "es" / "appeal.po").read_text(encoding="utf-8")
    assert '#~ msgid "Exil Solidaire"' in text
    assert msgfmt_check(project / "locales" / "es" / "appeal.po").returncode == 0


def test_sentence_mode_segments_and_reassembles(project, cli):
    mark_fallback(project)
    config = project / "l10n.yaml"
    config.write_text(config.read_text().replace("segmentation: paragraph", "segmentation: sentence"))
    run(cli, "extract")
    pot = pofile.load(project / "locales" / "appeal.pot")
    assert len(pot.active) == 69 + 6  # six paragraphs hold two or three sentences
    run(cli, "update", "--lang", "en")
    run(cli, "build", "--lang", "en")
    text = (project / "dist" / "en" / "appeal.md").read_text(encoding="utf-8")
    assert "Depuis 2019, Azat Miftakhov est incarcéré dans le cadre d'une procédure judiciaire fabriquée, " \
           "reconnue comme un procès politique par de nombreuses organisations internationales. " \
           "Ces derniers jours" in text


def test_every_organisation_in_every_built_document(project, cli):
    from l10n.document import parse_lines, read_lines
    from l10n.config import load_config

    mark_fallback(project)
    run(cli, "extract")
    run(cli, "update")
    run(cli, "build")
    config = load_config()
    doc = parse_lines(config.documents[0], read_lines(project / config.documents[0]), "fr", config.signatories)
    for lang in LANGS:
        for ext in ("txt", "md", "html"):
            out = (project / "dist" / lang / f"appeal.{ext}").read_text(encoding="utf-8")
            if ext == "txt":  # long names wrap onto an indented second line
                out = " ".join(out.split())
            for org in doc.signatories.organisations:
                shown = org.name
                if ext == "html":
                    shown = shown.replace("&", "&amp;").replace("'", "&#39;")
                assert shown in out, (lang, ext, org.name)
    assert (project / "dist" / "index.html").exists()


def test_english_groups_in_english_collation_order_regions_last(project, cli):
    mark_fallback(project)
    run(cli, "extract")
    run(cli, "update", "--lang", "en")
    run(cli, "build", "--lang", "en")
    text = (project / "dist" / "en" / "appeal.txt").read_text(encoding="utf-8")
    headings = [line for line in text.split("\n\n\n", 1)[1].splitlines()
                if line and not line.startswith((" ", "="))][1:]
    assert headings == ["Benin", "Brazil", "Cameroon", "Canada", "Cyprus", "Etat espagnol", "Finland", "France",
                        "Germany", "Italy", "Kazakhstan", "Moldova", "United States", "Europe",
                        "Organisation internationale"]


def test_source_order_when_configured(project, cli):
    mark_fallback(project)
    config = project / "l10n.yaml"
    config.write_text(config.read_text().replace("  heading: Liste des signataires",
                                                 "  heading: Liste des signataires\n  order: source"))
    run(cli, "extract")
    run(cli, "update", "--lang", "en")
    run(cli, "build", "--lang", "en")
    text = (project / "dist" / "en" / "appeal.txt").read_text(encoding="utf-8").split("\n\n\n", 1)[1]
    assert text.index("Germany") < text.index("Benin") < text.index("Moldova") < text.index("Europe")


def test_build_policy_reviewed_only_fallback_and_min_complete(project, cli):
    mark_fallback(project)
    run(cli, "extract")
    run(cli, "update", "--lang", "es", "--lang", "de")
    po_path = project / "locales" / "es" / "appeal.po"
    po = pofile.load(po_path)
    entry = po.index()[(None, "Nous exigeons l'arrêt des tortures et la libération d'Azat Miftakhov.")]
    entry.msgstr = "Exigimos el fin de las torturas y la liberación de Azat Miftakhov."
    entry.set_fuzzy(True)
    pofile.save(po)
    result = run(cli, "build", "--lang", "es")
    assert re.search(r"es/appeal: .*13 segment\(s\) fell back", result.output)
    assert "Exigimos" not in (project / "dist" / "es" / "appeal.txt").read_text(encoding="utf-8")
    result = run(cli, "build", "--lang", "es", "--allow-fuzzy")
    assert "12 segment(s) fell back" in result.output
    assert "Exigimos" in (project / "dist" / "es" / "appeal.txt").read_text(encoding="utf-8")
    result = run(cli, "build", "--min-complete", "50", "--lang", "es", "--lang", "de")
    assert "es/appeal: skipped" in result.output and "de/appeal: skipped" in result.output


def test_build_never_publishes_a_draft_of_an_older_source_text(project, cli):
    """A machine draft whose source changed is not shown even with --allow-fuzzy (the source is, marked), while a
    human translation whose source changed is: it was somebody's translation of nearly this text."""
    mark_fallback(project)
    config = project / "l10n.yaml"
    config.write_text(config.read_text().replace("engines: [apertium]", "engines: [pseudo]"))
    run(cli, "extract")
    run(cli, "update", "--lang", "es")
    run(cli, "pretranslate", "--lang", "es")
    source = project / "source" / "appeal.fr.txt"
    old = "Nous exigeons l'arrêt des tortures et la libération d'Azat Miftakhov."
    source.write_text(source.read_text(encoding="utf-8").replace(old, old[:-1] + " immédiate."), encoding="utf-8")
    run(cli, "extract")
    run(cli, "update", "--lang", "es")
    po = pofile.load(project / "locales" / "es" / "appeal.po")
    stale = po.index()[(None, old[:-1] + " immédiate.")]
    assert stale.fuzzy and stale.previous_msgid == old
    result = run(cli, "build", "--lang", "es", "--allow-fuzzy")
    assert "1 segment(s) fell back" in result.output
    html = (project / "dist" / "es" / "appeal.html").read_text(encoding="utf-8")
    assert stale.msgstr not in html and '<p lang="fr" data-state="fallback">Nous exigeons' in html


def test_status_json_matches_msgfmt_statistics(project, cli):
    import json
    import subprocess

    run(cli, "extract")
    run(cli, "update")
    po = pofile.load(project / "locales" / "it" / "appeal.po")
    entries = po.active
    entries[1].msgstr, entries[1].flags = "Bozza", ["fuzzy"]
    entries[2].msgstr = "Tradotto"
    pofile.save(po)
    rows = json.loads(run(cli, "status", "--format", "json").output)
    for row in rows:
        stats = subprocess.run(["msgfmt", "--statistics", "-o", "/dev/null", row["path"]], capture_output=True,
                               text=True).stderr
        numbers = {k: int(v) for v, k in re.findall(r"(\d+) (translated|fuzzy|untranslated)", stats)}
        assert {k: row[k] for k in ("translated", "fuzzy", "untranslated")} == \
            {k: numbers.get(k, 0) for k in ("translated", "fuzzy", "untranslated")}


def test_the_code_digest_sees_every_source_file_and_ignores_bytecode(tmp_path):
    """Memos are forgotten when l10n's code changes (as Python sees it: size or time): any file under the package,
    at any depth, but not .pyc."""
    import hashlib

    from l10n.memo import _update_with_tree

    (tmp_path / "engines" / "__pycache__").mkdir(parents=True)
    (tmp_path / "a.py").write_text("A = 1\n")
    (tmp_path / "engines" / "b.py").write_text("B = 1\n")

    def digest() -> str:
        h = hashlib.sha256()
        _update_with_tree(h, str(tmp_path))
        return h.hexdigest()

    def edit(path: Path, text: str, when: int) -> None:
        path.write_text(text)
        os.utime(path, ns=(when, when))

    b = tmp_path / "engines" / "b.py"
    edit(b, "B = 1\n", 1_700_000_000_000_000_000)
    first = digest()
    (tmp_path / "engines" / "__pycache__" / "b.cpython-311.pyc").write_bytes(b"\0bytecode")
    (tmp_path / "engines" / "__pycache__" / "b.cpython-311.opt-1.pyc.12345").write_bytes(b"a compiler's temp file")
    (tmp_path / "engines" / "c.pyc").write_bytes(b"\0bytecode")
    assert digest() == first
    edit(b, "B = 2\n", 1_700_000_000_000_000_000)  # Python, too, would run b's old bytecode: same size and time
    assert digest() == first
    edit(b, "B = 2\n", 1_700_000_001_000_000_000)  # saved a second later
    assert digest() != first
    edit(b, "B = 1\n", 1_700_000_000_000_000_000)
    assert digest() == first
    edit(b, "B = 10\n", 1_700_000_000_000_000_000)  # another size
    assert digest() != first
    edit(b, "B = 1\n", 1_700_000_000_000_000_000)
    (tmp_path / "engines" / "b2.py").write_text("")
    assert digest() != first
