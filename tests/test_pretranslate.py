"""Pre-translation: the cascade, provenance, caching, and never touching human work."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from l10n import engines, provenance

from l10n import po as pofile
from l10n.config import load_config
from l10n.engines.base import BatchResult, Translation
from l10n.pretranslate import pretranslate
from l10n.state import entry_state

OFFLINE = ["es", "ca", "en", "pt", "it"]


def po(project: Path, lang: str) -> Path:
    return project / "locales" / lang / "appeal.po"


@pytest.fixture
def updated(project, cli):
    assert cli("extract").exit_code == 0
    assert cli("update").exit_code == 0
    return project


@pytest.mark.slow  # Apertium processes for every language
def test_offline_run_drafts_every_body_segment_and_names_missing_engines(updated, cli):
    result = cli("pretranslate")
    assert result.exit_code == 0, result.output
    body_roles = ("title", "paragraph", "dateline")
    for lang in OFFLINE:
        cat = pofile.load(po(updated, lang))
        body = [e for e in cat.active if any(c.split()[0] in body_roles for c in e.extracted_comments)]
        assert len(body) == 10
        for entry in body:
            assert entry.fuzzy and entry.msgstr, (lang, entry.msgid)
            origin = provenance.parse(entry.translator_comments)
            assert origin.origin in (provenance.MACHINE, provenance.GLOSSARY), entry.translator_comments
            if origin.origin == provenance.MACHINE:
                assert origin.detail.startswith("apertium fr>")
            assert entry_state(entry) == "machine"
    chains = {lang: provenance.parse(pofile.load(po(updated, lang)).active[1].translator_comments).detail
              for lang in OFFLINE}
    assert chains == {"es": "apertium fr>es", "ca": "apertium fr>ca", "en": "apertium fr>es>en",
                      "pt": "apertium fr>es>pt", "it": "apertium fr>es>it"}
    for lang in ("de", "ru", "uk"):
        assert re.search(rf"^{lang}: .*left empty\n  apertium: .*", result.output, re.M), result.output


def test_second_run_starts_no_engine_process(updated):
    config = load_config()
    first = pretranslate(config, ("en",))
    assert first.languages[0].engine_calls == 2  # fr→es, es→en: one process per pair of the chain
    again = pofile.load(po(updated, "en"))  # empty the drafts again: the cache must answer
    for entry in again.active:
        if entry.fuzzy:
            entry.msgstr, entry.flags = "", []
            entry.translator_comments = []
    pofile.save(again)
    second = pretranslate(config, ("en",))
    assert second.languages[0].engine_calls == 0
    assert second.languages[0].filled["apertium"] == first.languages[0].filled["apertium"]


def test_human_work_is_byte_identical_after_pretranslate(updated):
    path = po(updated, "es")
    cat = pofile.load(path)
    entries = [e for e in cat.active if not e.msgstr]
    human, human_fuzzy = entries[0], entries[1]
    human.msgstr = "Traducción humana."
    human_fuzzy.msgstr, human_fuzzy.flags = "Borrador humano.", ["fuzzy"]
    pofile.save(cat)
    config = load_config()
    pretranslate(config, ("es",))
    cat = pofile.load(path)
    edited = next(e for e in cat.active if entry_state(e) == "machine")
    edited.msgstr = edited.msgstr + " (revisado)"
    pofile.save(cat)
    before = path.read_text(encoding="utf-8")
    blocks = lambda text: {b for b in text.split("\n\n") if "Traducción humana" in b or "Borrador humano" in b
                           or "(revisado)" in b}  # noqa: E731
    for refresh in (False, True):
        pretranslate(config, ("es",), refresh_machine=refresh)
        after = path.read_text(encoding="utf-8")
        assert blocks(after) == blocks(before) and len(blocks(before)) == 3


def test_refresh_machine_replaces_only_untouched_drafts(updated, monkeypatch):
    config = load_config()
    pretranslate(config, ("es",), engine="pseudo")
    path = po(updated, "es")
    cat = pofile.load(path)
    drafts = [e for e in cat.active if entry_state(e) == "machine"]
    drafts[0].msgstr += " editado"
    pofile.save(cat)
    pretranslate(config, ("es",), engine="apertium", refresh_machine=True)
    cat = pofile.load(path)
    index = cat.index()
    assert index[drafts[0].key].msgstr.endswith(" editado")
    redone = [index[d.key] for d in drafts[1:] if provenance.parse(d.translator_comments).origin == "machine"]
    assert redone and all("apertium" in provenance.parse(e.translator_comments).detail for e in redone)


class SlowEditingEngine:
    """A fake engine that, while 'translating', lets a translator save the file (as Poedit would)."""

    name = "slow"
    on_translate = None

    def cache_key(self):
        return "slow:1"

    def route(self, source, target):
        return (source, target)

    def unavailable_reason(self, source, target):
        return ""

    def translate(self, texts, source, target, keep=None):
        if SlowEditingEngine.on_translate:
            SlowEditingEngine.on_translate()
        return BatchResult([Translation(f"<Entwurf {i}>", "slow", (source, target)) for i, _ in enumerate(texts)],
                           calls=1)


def test_edit_saved_during_a_slow_pretranslation_survives(updated, monkeypatch):
    monkeypatch.setitem(engines.REGISTRY, "slow", "base:Missing")
    monkeypatch.setattr(engines, "create", lambda name, options=None: SlowEditingEngine())
    path = po(updated, "de")
    target_msgid = "Nous exigeons l'arrêt des tortures et la libération d'Azat Miftakhov."

    def translator_saves():
        text = path.read_text(encoding="utf-8")
        marker = f'msgid "{target_msgid}"\nmsgstr ""'
        assert marker in text
        path.write_text(text.replace(marker, marker[:-2] + '"Wir fordern das Ende der Folter."'), encoding="utf-8")

    SlowEditingEngine.on_translate = translator_saves
    try:
        report = pretranslate(load_config(), ("de",), engine="slow")
    finally:
        SlowEditingEngine.on_translate = None
    cat = pofile.load(path)
    entry = cat.index()[(None, target_msgid)]
    assert entry.msgstr == "Wir fordern das Ende der Folter." and not entry.fuzzy
    drafts = [e for e in cat.active if e.msgstr.startswith("<")]
    assert len(drafts) == report.languages[0].filled["slow"] - 1
    assert any("changed on disk" in r for r in report.languages[0].reasons)


def test_memory_fills_exact_and_fuzzy_matches_with_score(updated, tmp_path):
    path = po(updated, "it")
    cat = pofile.load(path)
    source = "Nous exigeons l'arrêt des tortures et la libération d'Azat Miftakhov."
    compendium = updated / "compendium.it.po"
    comp = pofile.Catalog(path=compendium, header=pofile.Entry(msgid="", msgstr="Content-Type: text/plain; "
                                                                 "charset=UTF-8\n"),
                           entries=[pofile.Entry(msgid=source.replace("l'arrêt", "la fin"),
                                                  msgstr="Chiediamo la fine delle torture.")])
    pofile.save(comp)
    config_file = updated / "l10n.yaml"
    config_file.write_text(config_file.read_text() + "memory: {threshold: 80, compendia: ['compendium.{lang}.po']}\n")
    pretranslate(load_config(), ("it",))
    entry = pofile.load(path).index()[(None, source)]
    origin = provenance.parse(entry.translator_comments)
    assert entry.msgstr == "Chiediamo la fine delle torture." and entry.fuzzy
    assert origin.origin == "memory" and 80 <= int(origin.detail) < 100


def test_glossary_whole_segment_and_keep_terms(updated):
    pretranslate(load_config(), ("es",))
    index = pofile.load(po(updated, "es")).index()
    heading = index[(None, "Organisation internationale")]
    assert heading.msgstr == "Organizaciones internacionales"
    assert provenance.parse(heading.translator_comments).origin == "glossary"
    first = index[(None, next(k[1] for k in index if k[1].startswith("Depuis 2019")))]
    for term in ("Azat Miftakhov", "Kharp", "IK-18", "2019"):
        assert term in first.msgstr
    assert "juicio político" in first.msgstr  # the glossary's preferred term was applied


@pytest.mark.parametrize("target, text, expected", [
    ("es", "Salvemos a Azat antes de que sea demasiado tarde !", "Salvemos a Azat antes de que sea demasiado tarde!"),
    ("en", "Alert : Azat ; now ?", "Alert: Azat; now?"),
    ("en", "Time 10 : 30 stays", "Time 10: 30 stays"),
])
def test_drafts_follow_target_typography(target, text, expected):
    from l10n.pretranslate.drafting import typography

    assert typography(text, "fr", target) == expected
    assert typography(text, "fr", "fr-CA") == text


def test_an_engine_answering_in_another_script_is_refused(updated, monkeypatch):
    class Wrong(SlowEditingEngine):
        def translate(self, texts, source, target, keep=None):
            return BatchResult([Translation(f"We demand number {i}", "wrong", (source, target))
                                for i, _ in enumerate(texts)], calls=1)

    made: list[str] = []
    monkeypatch.setattr(engines, "create", lambda name, options=None: made.append(name) or Wrong())
    report = pretranslate(load_config(), ("ru",), engine="wrong").languages[0]
    assert report.filled["wrong"] == 0 and report.empty == 10
    assert any("another script" in r for r in report.reasons)
    assert not [e for e in pofile.load(po(updated, "ru")).active if e.msgstr.startswith("We demand")]
    # Every text was answered and refused: the same engines would answer the same, so the next run leaves the
    # catalog unread, until it changes, and reports what the run that settled it found.
    made.clear()
    again = pretranslate(load_config(), ("ru",), engine="wrong").languages[0]
    assert made == [] and again.engine_calls == 0
    assert (again.empty, again.reasons) == (10, list(dict.fromkeys(report.reasons)))
    assert pretranslate(load_config(), ("ru",), engine="other").languages[0].empty == 10
    assert made == ["other"]  # other engines: asked
    path = po(updated, "ru")
    path.write_bytes(path.read_bytes() + b"\n")
    made.clear()
    assert pretranslate(load_config(), ("ru",), engine="wrong").languages[0].empty == 10
    assert made == ["wrong"]


def test_an_engine_answering_in_the_source_language_is_refused(updated, monkeypatch):
    class Echo(SlowEditingEngine):
        def translate(self, texts, source, target, keep=None):
            return BatchResult([Translation(t.replace("Nous", "Vous"), "echo", (source, target)) for t in texts],
                               calls=1)

    monkeypatch.setattr(engines, "create", lambda name, options=None: Echo())
    report = pretranslate(load_config(), ("es",), engine="echo").languages[0]
    assert any("answered in the source language" in r for r in report.reasons)
    index = pofile.load(po(updated, "es")).index()
    assert index[(None, "Nous exigeons l'arrêt des tortures et la libération d'Azat Miftakhov.")].msgstr == ""
