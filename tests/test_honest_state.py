"""Honest state (issue 15): five entry states in one place, figures that mean what they say, stale drafts
redrafted, provenance that follows the text, the publication record and `l10n changes`."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from l10n import provenance, publication, state

from l10n import po as pofile
from l10n.po import Entry
from l10n.config import load_config
from l10n.review import build_review
from tests.conftest import msgfmt_check, run

DRAFTED = ["en", "es", "it", "pt", "ca"]  # the languages Apertium drafts offline
NO_ENGINE = ["de", "ru", "uk"]
PARAGRAPH = "Nous exigeons l'arrêt des tortures et la libération d'Azat Miftakhov."
CHANGED = "Nous exigeons l'arrêt immédiat des tortures et la libération d'Azat Miftakhov."


def po_file(project: Path, lang: str) -> Path:
    return project / "locales" / lang / "appeal.po"


def edit_source(project: Path, old: str, new: str) -> None:
    path = project / "source" / "appeal.fr.txt"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def status_rows(cli) -> dict[str, dict]:
    return {row["lang"]: row for row in json.loads(run(cli, "status", "--format", "json").output)}


# ------------------------------------------------------------------------------------------------ the states


def entry(msgstr: str = "", origin: provenance.Provenance | None = None, fuzzy: bool = False,
          previous: str | None = None, msgid: str = "Allemagne") -> Entry:
    e = Entry(msgid=msgid, msgstr=msgstr, translator_comments=[origin.comment()] if origin else [],
              previous_msgid=previous)
    if fuzzy:
        e.flags.append("fuzzy")
    return e


def test_five_states_never_mixed():
    cldr = provenance.Provenance(provenance.CLDR, "DE", provenance.digest("Alemania"))
    name = provenance.Provenance(provenance.SOURCE_NAME, "", provenance.digest("Allemagne"))
    draft = provenance.Provenance(provenance.MACHINE, "apertium fr>es", provenance.digest("Alemania"),
                                  source=provenance.digest("Allemagne"))
    old_draft = provenance.Provenance(provenance.MACHINE, "apertium fr>es", provenance.digest("Alemania"),
                                      source=provenance.digest("Alemanya"))
    cases = {
        "automatic": [entry("Alemania", cldr), entry("Allemagne", name)],
        "reviewed": [entry("Alemania"), entry("Deutschland", cldr),  # a translator changed the CLDR name
                     entry("Alemania", draft)],  # a draft accepted (fuzzy removed)
        "machine": [entry("Alemania", draft, fuzzy=True)],
        "fuzzy": [entry("Alemania", fuzzy=True), entry("Alemania!", draft, fuzzy=True),  # edited draft
                  entry("Alemania", old_draft, fuzzy=True),  # a draft of an older source text
                  entry("Alemania", provenance.Provenance(provenance.MACHINE, "x", provenance.digest("Alemania")),
                        fuzzy=True, previous="Alemanya")],  # no src: the merge's #| says it is stale
        "untranslated": [entry(), entry(fuzzy=True)],
    }
    for expected, entries in cases.items():
        assert [state.entry_state(e) for e in entries] == [expected] * len(entries)
    assert state.stale(entry("Alemania", old_draft, fuzzy=True)) and not state.stale(entry("Alemania", draft, True))
    assert state.published(entry("Alemania", old_draft, fuzzy=True), allow_fuzzy=True) is None
    assert state.published(entry("Alemania", draft, fuzzy=True), allow_fuzzy=True) == "machine"
    assert state.published(entry("Alemania", draft, fuzzy=True), allow_fuzzy=False) is None
    assert state.published(entry("Alemania", cldr), allow_fuzzy=False) == "automatic"


def test_reviewed_share_leaves_automatic_words_out_of_both_sides():
    cldr = provenance.Provenance(provenance.CLDR, "DE", provenance.digest("Alemania"))
    counts = state.count([entry("Alemania", cldr, msgid="un deux trois"), entry("x", msgid="quatre cinq"),
                          entry(msgid="six sept")])
    assert counts.words == {"reviewed": 2, "automatic": 3, "machine": 0, "fuzzy": 0, "untranslated": 2}
    assert counts.percent == 50.0 and counts.words_left == 2
    assert counts.gettext == {"translated": 2, "fuzzy": 0, "untranslated": 1}
    assert state.count([entry("Alemania", cldr)]).percent == 100.0  # nothing needs a translator


# ------------------------------------------------------------------------------------------------ acceptance


@pytest.fixture
def appeal_run(prepared, cli) -> Path:
    """The main job as scripts/run-appeal does it: `l10n run --allow-fuzzy`, offline (Apertium)."""
    return prepared("run --allow-fuzzy", lambda project: run(cli, "run", "--allow-fuzzy"))


@pytest.mark.slow
def test_run_appeal_reports_nothing_reviewed_and_publishes_honestly(appeal_run: Path, cli):
    project = appeal_run
    rows = status_rows(cli)
    for lang, row in rows.items():
        assert row["percent"] == 0.0 and row["entries"]["reviewed"] == 0, lang
        assert row["entries"]["automatic"] > 50 and row["words"]["automatic"] > 180, lang  # names, CLDR, glossary
        assert row["words"]["left"] == row["words"]["total"] - row["words"]["automatic"]
        # gettext's own three figures, unchanged, next to the split
        stats = subprocess.run(["msgfmt", "--statistics", "-o", "/dev/null", row["path"]], capture_output=True,
                               text=True, cwd=project).stderr
        found = {k: int(v) for v, k in re.findall(r"(\d+) (translated|fuzzy|untranslated)", stats)}
        assert {k: row[k] for k in ("translated", "fuzzy", "untranslated")} == \
            {k: found.get(k, 0) for k in ("translated", "fuzzy", "untranslated")}, lang
    table = run(cli, "status").output
    assert table.splitlines()[0].split()[:7] == ["lang", "document", "reviewed", "automatic", "machine", "fuzzy",
                                                 "untransl."]
    result = run(cli, "build", "--allow-fuzzy")
    for lang in NO_ENGINE:
        assert re.search(rf"{lang}/appeal: skipped \(10 of 10 title and body passage\(s\) have no \w+ text; "
                         r"publish.source_fallback: skip\)", result.output), result.output
        assert not (project / "dist" / lang).exists()
    for lang in DRAFTED:
        html = (project / "dist" / lang / "appeal.html").read_text(encoding="utf-8")
        notice = html.split('<div class="notices">', 1)[1].split("<main>", 1)[0]
        assert 'notice-machine' in notice and "%" not in notice, lang  # no false percentage
        assert "Machine translation, not yet reviewed" in html if lang == "en" else "notice-title" in notice
    assert "Traducción automática, aún sin revisar" in (project / "dist" / "es" / "appeal.html").read_text("utf-8")
    assert sorted(p.name for p in (project / "dist" / "fr").iterdir()) == \
        ["appeal.eml", "appeal.html", "appeal.md", "appeal.pdf", "appeal.txt"]
    index = (project / "dist" / "index.html").read_text(encoding="utf-8")
    assert index.count("Pas encore disponible") == 3 and 'href="de/' not in index
    for lang in DRAFTED:
        assert publication.record_path(load_config(project / "l10n.yaml"), lang, Path("source/appeal.fr.txt")) \
            .is_file()


@pytest.mark.slow
def test_accepted_drafts_and_a_renamed_organisation_are_reviewed(appeal_run: Path, cli):
    project = appeal_run
    path = po_file(project, "es")
    po = pofile.load(path)
    drafts = [e for e in po.active if state.entry_state(e) == state.MACHINE][:3]
    for e in drafts:  # accepted by hand: fuzzy and #| removed, text untouched
        e.set_fuzzy(False)
    org = po.index()[(None, "Institut Sakharov")]
    org.msgstr = "Instituto Sájarov"  # the organisation's official Spanish name
    pofile.save(po)
    assert msgfmt_check(path).returncode == 0
    row = status_rows(cli)["es"]
    assert row["entries"]["reviewed"] == 4 and row["entries"]["machine"] == 7
    text_words = sum(len(e.msgid.split()) for e in drafts)
    assert row["words"]["reviewed"] == text_words + 2
    run(cli, "build", "--allow-fuzzy")
    html = (project / "dist" / "es" / "appeal.html").read_text(encoding="utf-8")
    # three passages and the renamed organisation (a translator's text now) of ten passages and that name
    assert "<p>Pasajes revisados por un traductor o una traductora: 4 de 11.</p>" in html
    index = (project / "dist" / "index.html").read_text(encoding="utf-8")
    es = index.split('<tr data-lang="es">', 1)[1].split("</tr>", 1)[0]
    assert f'value="{row["percent"]:.1f}"' in es and "Traduction automatique, pas encore relue" in es


@pytest.mark.slow
def test_a_changed_paragraph_is_redrafted_and_human_work_stays_fuzzy(appeal_run: Path, cli, tmp_path):
    project = appeal_run
    es = pofile.load(po_file(project, "es"))
    human = es.index()[(None, PARAGRAPH)]
    human.msgstr = "Exigimos el fin de las torturas y la liberación de Azat Miftakhov."
    human.set_fuzzy(False)
    human.translator_comments.append("revisado por Ana")
    pofile.save(es)
    run(cli, "run", "--allow-fuzzy")
    before = {lang: po_file(project, lang).read_text(encoding="utf-8") for lang in DRAFTED + NO_ENGINE}
    edit_source(project, PARAGRAPH, CHANGED)
    run(cli, "run", "--allow-fuzzy")
    for lang in DRAFTED + NO_ENGINE:
        po = pofile.load(po_file(project, lang))
        new = po.index()[(None, CHANGED)]
        if lang == "es":  # the translator's text stays as it is, for them to update
            assert new.fuzzy and new.previous_msgid == PARAGRAPH and new.msgstr == human.msgstr
            assert state.entry_state(new) == state.FUZZY and "revisado por Ana" in new.translator_comments
        elif lang in DRAFTED:  # redrafted from the new source, the old one kept for the reviewer
            assert state.entry_state(new) == state.MACHINE and new.previous_msgid == PARAGRAPH, lang
            origin = provenance.parse(new.translator_comments)
            assert origin.source == provenance.digest(CHANGED) and origin.matches(new.msgstr)
        else:
            assert not new.msgstr
        # nothing else changed but line references (none move here) and the header's dates
        old_blocks = [b for b in before[lang].split("\n\n")[1:] if PARAGRAPH not in b.replace('"\n"', "")]
        new_blocks = [b for b in po_file(project, lang).read_text(encoding="utf-8").split("\n\n")[1:]
                      if "immédiat des" not in b.replace('"\n"', "")]
        assert old_blocks == new_blocks, lang
    assert "immédiat" in (project / "dist" / "en" / "appeal.txt").read_text(encoding="utf-8").replace("\n", " ") \
        or "immediate" in (project / "dist" / "en" / "appeal.txt").read_text(encoding="utf-8")
    es_page = (project / "dist" / "es" / "appeal.html").read_text(encoding="utf-8")
    assert "Exigimos el fin" in es_page  # a human translation of nearly this text, marked unreviewed
    assert '<p data-state="unreviewed">Exigimos el fin' in es_page


@pytest.mark.slow
def test_changes_since_publication_lists_the_new_signatory_and_the_changed_paragraph(appeal_run: Path, cli):
    project = appeal_run
    assert "0 changes since" in run(cli, "status").output
    edit_source(project, "Demokrati-JA\n", "Demokrati-JA\nNeue Linke Gruppe e.V.\n")
    edit_source(project, PARAGRAPH, CHANGED)
    found = json.loads(run(cli, "changes", "--format", "json").output)
    by_lang = {item["lang"]: item for item in found["languages"]}
    assert sorted(found["stale"]) == sorted(DRAFTED)
    for lang in DRAFTED:
        item = by_lang[lang]
        assert item["changes"] == 2, (lang, item)
        assert [p["text"] for p in item["source_changed"]] == [CHANGED]
        assert [(s["group"], s["name"]) for s in item["signatories_added"]] == [("Allemagne",
                                                                                "Neue Linke Gruppe e.V.")]
        assert not (item["source_added"] or item["source_removed"] or item["translations_changed"]
                    or item["signatories_removed"])
    for lang in NO_ENGINE:
        assert by_lang[lang]["published"] is None and by_lang[lang]["changes"] == 0
    md = run(cli, "changes", "--lang", "es", "--format", "md").output
    assert re.search(r"New signatories since \d{1,2} \w+ \d{4}:\n\n- \*\*Alemania\*\*: Neue Linke Gruppe e\.V\.\n",
                     md), md
    text = run(cli, "changes", "--lang", "it").output
    assert "it/appeal: published " in text and "signatory added: Allemagne: Neue Linke Gruppe e.V." in text
    assert "2 changes since" in run(cli, "status", "--lang", "es").output
    # After the next publication, nothing is left to report.
    run(cli, "run", "--allow-fuzzy")
    assert json.loads(run(cli, "changes", "--format", "json").output)["stale"] == []


# ------------------------------------------------------------------------------------------------ record


def test_publication_record_is_stable_readable_json(project: Path, cli):
    config = project / "l10n.yaml"
    config.write_text(config.read_text().replace("languages: [en, es, de, it, pt, ru, uk, ca]", "languages: [es]")
                      + "publish: {source_fallback: mark}\n")
    run(cli, "extract")
    run(cli, "update")
    run(cli, "build")
    record = project / "locales" / "es" / "appeal.published.json"
    text = record.read_text(encoding="utf-8")
    data = json.loads(text)
    lines = text.splitlines()
    assert lines[1] == '"entries": [' and lines[-1] == "]}"
    assert len(lines) == 3 + len(data["entries"]) == 3 + 69  # one line per entry
    assert lines[2] == json.dumps(data["entries"][0], ensure_ascii=False, sort_keys=True) + ","
    assert data["entries"][0] == {"ctxt": None, "id": data["entries"][0]["id"], "role": "title", "str": None}
    organisation = next(e for e in data["entries"] if e["role"] == "organisation")
    assert organisation["group"] == "Allemagne" and organisation["name"] and organisation["str"]
    first = record.read_bytes()
    shutil.copy(record, project / "copy.json")
    run(cli, "build", "--lang", "es")
    run(cli, "build")  # nothing published changed: the record (and its date) stay as they were
    assert record.read_bytes() == first
    po = pofile.load(po_file(project, "es"))
    po.index()[(None, PARAGRAPH)].msgstr = "Exigimos el fin de las torturas."
    pofile.save(po)
    run(cli, "build")
    changed = json.loads(record.read_text(encoding="utf-8"))
    assert [a != b for a, b in zip(data["entries"], changed["entries"])].count(True) == 1


# ------------------------------------------------------------------------------------------------ provenance


def test_review_sheet_treats_an_edited_draft_as_human_work(project: Path, cli):
    run(cli, "extract")
    run(cli, "update", "--lang", "es")
    run(cli, "pretranslate", "--lang", "es")
    path = po_file(project, "es")
    po = pofile.load(path)
    title = po.active[0]
    note = next(c for c in title.translator_comments if "unknown words:" in c)
    unknown = note.split("unknown words: ", 1)[1].split(", ")
    assert len(unknown) >= 2 and all(w in title.msgstr for w in unknown)
    title.msgstr = title.msgstr.replace(unknown[0], "MATEMÁTICO")  # one of the unknown words fixed
    pofile.save(path and po)
    report = build_review(load_config(project / "l10n.yaml"), "es")
    segment = report.segments[0]
    assert segment.state == "fuzzy"
    assert segment.provenance.origin == "human" and "edited after a machine text" in segment.provenance.detail
    assert segment.notes == ["unknown words: " + ", ".join(unknown[1:])]
    html = report.path.read_text(encoding="utf-8")
    assert "edited after a machine text (apertium fr&gt;es)" in html
    untouched = report.segments[1]
    assert untouched.state == "machine" and untouched.provenance.origin == "machine"
    checks = run(cli, "check", "--lang", "es", "--format", "json").output
    first = [i for i in json.loads(checks) if i["msgid"] == title.msgid and i["check"] == "unreviewed"]
    assert first and "marked fuzzy by a translator" in first[0]["message"]


def test_pretranslate_that_changes_no_text_keeps_the_revision_date(project: Path, cli):
    config = project / "l10n.yaml"
    config.write_text(config.read_text().replace("engines: [apertium]", "engines: [pseudo]"))
    run(cli, "extract")
    run(cli, "update", "--lang", "es")
    run(cli, "pretranslate", "--lang", "es")
    path = po_file(project, "es")
    po = pofile.load(path)
    po.set_header_field("PO-Revision-Date", "2020-01-01 00:00+0000")
    pofile.save(po)
    before = path.read_bytes()
    run(cli, "pretranslate", "--lang", "es", "--refresh-machine")  # the same drafts again
    run(cli, "update", "--lang", "es")
    assert path.read_bytes() == before


def test_terminology_from_an_earlier_version_gets_its_digest(project: Path, cli):
    run(cli, "extract")
    run(cli, "update", "--lang", "es")
    path = po_file(project, "es")
    po = pofile.load(path)
    for e in po.active:  # as l10n wrote them before digests: `# l10n: cldr DE`, `# l10n: proper-name`
        origin = provenance.parse(e.translator_comments)
        if origin is not None:
            e.translator_comments = provenance.replace(e.translator_comments,
                                                       provenance.Provenance(origin.origin, origin.detail),
                                                       [c[len(provenance.PREFIX):] for c in e.translator_comments
                                                        if c.startswith(provenance.PREFIX)][1:])
    po.index()[(None, "Allemagne")].msgstr = "República Federal de Alemania"  # a translator's own choice
    pofile.save(po)
    run(cli, "update", "--lang", "es")
    po = pofile.load(path)
    states = {e.msgid: state.entry_state(e) for e in po.active}
    assert states["Allemagne"] == "reviewed" and states["Bénin"] == "automatic"
    assert states["Institut Sakharov"] == "automatic"


@pytest.mark.slow
def test_the_committed_catalogs_run_as_a_fresh_clone_would(project: Path, cli):
    """`bash scripts/run-appeal` on a fresh clone: the repository's own catalogs, run with --allow-fuzzy, report
    nothing reviewed, publish no language whose text is French, and a second run changes nothing."""
    from tests.conftest import ROOT

    shutil.copytree(ROOT / "locales", project / "locales")
    run(cli, "run", "--allow-fuzzy")
    first = {p: p.read_bytes() for p in sorted((project / "locales").rglob("*")) if p.is_file()}
    result = run(cli, "run", "--allow-fuzzy")
    assert {p: p.read_bytes() for p in sorted((project / "locales").rglob("*")) if p.is_file()} == first
    for lang, row in status_rows(cli).items():
        assert row["percent"] == 0.0 and row["entries"]["automatic"] > 50, lang
    for lang in NO_ENGINE:
        assert f"{lang}/appeal: skipped (10 of 10 title and body passage(s)" in result.output
    assert (project / "dist" / "fr" / "appeal.html").is_file()
    for lang in DRAFTED:
        assert (project / "locales" / lang / "appeal.published.json").is_file()
