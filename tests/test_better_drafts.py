"""Issue 17 end to end: the llm engine in a project, drafts from reviewed sibling languages, draft confidence."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from conftest import msgfmt_check
from fakes.openai_server import FakeOpenAI, Script
from l10n import provenance
from l10n import po as pofile
from l10n.config import load_config
from l10n.pretranslate import pretranslate
from l10n.state import entry_state

KEEP_ANY = ("IK-18", "Azat", "Азат", "Kharp", "Харп", "Alexei Navalny", "Алексей Навальный", "Олексій Навальний",
            "Alexej Nawalny")


def po(project: Path, lang: str) -> Path:
    return project / "locales" / lang / "appeal.po"


def configure(project: Path, **changes) -> None:
    path = project / "l10n.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(changes)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def with_llm(project: Path, server: FakeOpenAI, **settings) -> None:
    configure(project, engines_by_language={"de": ["llm"], "ru": ["llm"], "uk": ["llm"]},
              engine_settings={"llm": {"base_url": server.base_url, "model": "fake-7b", "backoff": 0.01,
                                       "purpose": "an appeal to free a political prisoner", **settings}})


def paragraphs(cat: pofile.Catalog) -> list[pofile.Entry]:
    return [e for e in cat.active if "paragraph" in e.extracted_comments]


def origin(entry: pofile.Entry) -> provenance.Provenance:
    found = provenance.parse(entry.translator_comments)
    assert found is not None, entry
    return found


@pytest.fixture
def updated(project, cli):
    assert cli("extract").exit_code == 0
    assert cli("update").exit_code == 0
    return project


# -- the llm engine in a project -----------------------------------------------------------------------------------


@pytest.mark.slow
def test_run_with_the_fake_server_drafts_every_text_segment_of_de_ru_uk(project, cli):
    with FakeOpenAI() as server:
        with_llm(project, server)
        result = cli("run", "--allow-fuzzy")
    assert result.exit_code == 0, result.output
    for lang in ("de", "ru", "uk"):
        assert re.search(rf"^{lang}: 3 from glossary, 10 from llm; 0 left empty$", result.output, re.M)
        cat = pofile.load(po(project, lang))
        assert all(entry_state(e) != "untranslated" for e in cat.active)
        for entry in cat.active:
            found = origin(entry)
            if found.origin != "machine":
                continue
            assert found.detail == f"llm fake-7b fr>{lang}" and found.confidence is not None
            assert 0 < found.confidence <= 1 and found.matches(entry.msgstr)
            assert re.findall(r"\d+", entry.msgid) == re.findall(r"\d+", entry.msgstr)
            for term in ("IK-18", "#FREE120"):
                assert (term in entry.msgid) == (term in entry.msgstr)
    ru = pofile.load(po(project, "ru")).active
    first = next(e for e in ru if "IK-18" in e.msgid)
    assert "Азат Мифтахов" in first.msgstr and "Харп (IK-18)" in first.msgstr  # the glossary's ru variants
    assert "Алексей Навальный" in next(e.msgstr for e in ru if "Navalny" in e.msgid)
    # the prompt carried roles, neighbours, the glossary, the purpose and the title
    de = [s for s in server.seen if s.payload["target_language"] == "German (de)"]
    segments = {s["text"]: s for seen in de for s in seen.payload["segments"]}
    paragraph = next(s for text, s in segments.items() if "IK-18" in text)
    assert paragraph["role"] == "paragraph" and paragraph["before"].startswith("L'ASSOCIATION SOLIDARITÉ")
    assert paragraph["after"].startswith("Située sur le cercle polaire")
    assert next(s for t, s in segments.items() if t.startswith("L'ASSOCIATION"))["role"] == "title"
    assert next(s for t, s in segments.items() if t.startswith("Paris, le"))["role"] == "dateline"
    payload = next(seen.payload for seen in de if any("IK-18" in s["text"] for s in seen.payload["segments"]))
    assert {"source": "procès politique", "translation": "politischer Prozess"} in payload["glossary"]
    assert {"term": "Alexei Navalny", "accepted": ["Alexej Nawalny"]} in payload["keep"]
    assert payload["document"]["purpose"] == "an appeal to free a political prisoner"
    assert payload["document"]["title"].startswith("L'ASSOCIATION SOLIDARITÉ FREEAZAT")
    assert "„…“" in payload["typography"]
    # the examples are the reviewed entries of the German catalog (CLDR country names…)
    assert {"source": "Allemagne", "translation": "Deutschland"} in payload["reviewed_examples"]


def test_eight_languages_drafted_in_parallel_give_sound_catalogs(updated, cli):
    languages = ["en", "es", "de", "it", "pt", "ru", "uk", "ca"]
    with FakeOpenAI(Script(delay=0.05)) as server:
        configure(updated, engines=["llm"], engine_settings={"llm": {"base_url": server.base_url, "model": "m"}})
        result = cli("pretranslate")
    assert result.exit_code == 0, result.output
    assert [line.split(":")[0] for line in result.output.splitlines()] == languages  # reported in config order
    for lang in languages:
        assert f"{lang}: 3 from glossary, 10 from llm; 0 left empty" in result.output
        path = po(updated, lang)
        assert msgfmt_check(path).returncode == 0, msgfmt_check(path).stderr
        assert pofile.dumps(pofile.load(path)) == path.read_bytes()  # written whole, in the writer's layout


def test_a_response_that_drops_a_keep_term_is_refused(updated, cli):
    with FakeOpenAI(Script(drop="IK-18")) as server:
        with_llm(updated, server)
        result = cli("pretranslate", "--lang", "de")
    assert result.exit_code == 0
    assert "de: 3 from glossary, 9 from llm; 1 left empty" in result.output
    entry = next(e for e in pofile.load(po(updated, "de")).active if "IK-18" in e.msgid)
    assert "  source/appeal.fr.txt:5: llm: draft refused: keep term IK-18 missing\n" in result.output
    assert entry.msgstr == "" and not entry.fuzzy


def test_the_llm_is_told_the_reviewed_sibling_translations(updated, cli):
    assert cli("pretranslate", "--lang", "es").exit_code == 0
    review(updated, "es", [0])
    spanish = paragraphs(pofile.load(po(updated, "es")))[0].msgstr
    with FakeOpenAI() as server:
        with_llm(updated, server)
        assert cli("pretranslate", "--lang", "de").exit_code == 0
    sent = {s["text"]: s for seen in server.seen for s in seen.payload["segments"]}
    first = next(s for t, s in sent.items() if "IK-18" in t)
    assert first["other_languages"] == {"es": spanish}
    assert all("other_languages" not in s for t, s in sent.items() if "IK-18" not in t)


def test_agreement_with_a_second_engine_lowers_confidence(updated, cli):
    with FakeOpenAI() as server:
        with_llm(updated, server, confirm_with="pseudo")
        assert cli("pretranslate", "--lang", "de").exit_code == 0
    drafts = [origin(e) for e in pofile.load(po(updated, "de")).active if origin(e).origin == "machine"]
    # the fake reverses words, pseudo-translation decorates them: they agree little
    assert drafts and all(0.5 <= d.confidence < 0.8 for d in drafts)


# -- drafts from reviewed sibling languages -----------------------------------------------------------------------


def review(project: Path, lang: str, numbers: list[int], texts: dict[int, str] | None = None) -> None:
    """Accept paragraphs by number (0-based) as a translator would: text kept (or written), fuzzy removed."""
    path = po(project, lang)
    cat = pofile.load(path)
    found = paragraphs(cat)
    for n in numbers:
        if texts and n in texts:
            found[n].msgstr = texts[n]
        found[n].set_fuzzy(False)
    pofile.save(cat)


SPANISH = {  # what a Spanish translator made of the first three paragraphs' drafts
    0: "Desde 2019, Azat Miftakhov está encarcelado en el marco de un proceso judicial fabricado, reconocido como "
       "un juicio político por numerosas organizaciones internacionales. En los últimos días, la situación se ha "
       "agravado dramáticamente: Azat ha sido trasladado a la fuerza a la prisión de alta seguridad de Kharp "
       "(IK-18).",
    1: "Situada en el círculo polar ártico (región autónoma de Yamalia-Nenetsia), esta prisión está aislada en una "
       "zona inhóspita de temperaturas extremas (que bajan hasta -50°C de octubre a mayo). Es tristemente célebre "
       "por sus condiciones inhumanas y se encuentra en la misma ciudad donde fue asesinado el opositor Alexei "
       "Navalny.",
    2: "Azat ya ha sido víctima de torturas allí. Según un testimonio directo del 21 de abril de 2026, Azat fue "
       "sometido a atroces abusos físicos y psicológicos: desnudo forzado, ataduras, asfixia, golpes repetidos, "
       "electrocución y amenazas de violación. Estos actos de barbarie tenían como único objetivo quebrar su "
       "voluntad.",
}


@pytest.mark.slow  # Apertium processes for every language
def test_reviewed_spanish_redrafts_untouched_pivot_drafts_and_never_human_text(updated, cli):
    assert cli("pretranslate").exit_code == 0
    it_path = po(updated, "it")
    it = pofile.load(it_path)
    human = paragraphs(it)[2]
    human.msgstr = "Testo scritto da una traduttrice."  # edited by hand, still flagged fuzzy
    pofile.save(it)
    before = {lang: [e.msgstr for e in paragraphs(pofile.load(po(updated, lang)))] for lang in ("en", "it", "pt")}
    ca_before = po(updated, "ca").read_bytes()
    review(updated, "es", [0, 1, 2], SPANISH)
    result = cli("pretranslate")
    assert result.exit_code == 0, result.output
    spanish = paragraphs(pofile.load(po(updated, "es")))
    for lang in ("en", "it", "pt"):
        after = paragraphs(pofile.load(po(updated, lang)))
        redone = [0, 1] if lang == "it" else [0, 1, 2]
        assert f"{lang}: {len(redone)} from apertium es(reviewed)" in result.output
        for n in redone:
            found = origin(after[n])
            assert found.detail.startswith(f"apertium es(reviewed)>{lang} via:") and found.confidence is not None
            assert entry_state(after[n]) == "machine" and after[n].msgstr != before[lang][n]
        assert [e.msgstr for e in after[3:]] == before[lang][3:]
        assert all(origin(e).detail == f"apertium fr>es>{lang}" for e in after[3:])
    assert paragraphs(pofile.load(it_path))[2].msgstr == "Testo scritto da una traduttrice."
    assert po(updated, "ca").read_bytes() == ca_before  # drafted fr>ca directly: nothing shorter exists
    assert [e.msgstr for e in spanish[:3]] == list(SPANISH.values())
    again = cli("pretranslate")
    assert "es(reviewed)" not in again.output and "redrafted" not in again.output  # nothing churns
    # the translator corrects a reviewed paragraph again: what was drafted from it follows
    review(updated, "es", [1], {1: SPANISH[1].replace("Es tristemente célebre", "Es famosa")})
    third = cli("pretranslate")
    assert "it: 1 from apertium es(reviewed)" in third.output and "en: 1 from apertium es(reviewed)" in third.output
    assert "famos" in paragraphs(pofile.load(po(updated, "it")))[1].msgstr


def test_ukrainian_from_reviewed_russian_through_rus_ukr(updated, cli):
    russian = "С 2019 года Азат Мифтахов находится в заключении. Его перевели в тюрьму Харп (ИК-18)."
    cat = pofile.load(po(updated, "ru"))
    entry = paragraphs(cat)[0]
    entry.msgstr = russian
    pofile.save(cat)
    result = cli("pretranslate", "--lang", "uk")
    assert result.exit_code == 0 and "uk: 1 from apertium ru(reviewed), 3 from glossary; 9 left empty" in result.output
    drafted = paragraphs(pofile.load(po(updated, "uk")))[0]
    assert origin(drafted).detail.startswith("apertium ru(reviewed)>uk via:")
    assert "Азат Міфтахов" in drafted.msgstr and "2019" in drafted.msgstr and "Харп" in drafted.msgstr
    assert drafted.msgstr.startswith("З 2019 року Азат Міфтахов")  # Ukrainian, not the Russian text


def test_a_forced_pivot_uses_the_sibling_draft_then_its_review(updated, cli):
    configure(updated, pivots={"it": "ca"})
    assert cli("pretranslate", "--lang", "ca").exit_code == 0
    result = cli("pretranslate", "--lang", "it")
    assert "it: 10 from apertium ca(machine)" in result.output
    it = paragraphs(pofile.load(po(updated, "it")))
    ca = paragraphs(pofile.load(po(updated, "ca")))
    first = origin(it[0])
    assert first.detail.startswith("apertium ca(machine)>it via:")
    assert first.confidence <= origin(ca[0]).confidence  # the product of both steps' confidences
    review(updated, "ca", [0])
    result = cli("pretranslate", "--lang", "it")
    assert "it: 1 from apertium ca(reviewed)" in result.output and "1 untouched draft(s) redrafted" in result.output
    assert origin(paragraphs(pofile.load(po(updated, "it")))[0]).detail.startswith("apertium ca(reviewed)>it via:")


def test_pivots_must_name_project_languages(updated, cli):
    configure(updated, pivots={"uk": "pl"})
    result = cli("pretranslate")
    assert result.exit_code == 2
    assert "pivots.uk: pl must be another of the project's languages" in result.output


# -- confidence -----------------------------------------------------------------------------------------------------


def test_min_confidence_leaves_doubtful_drafts_empty_and_says_how_many(updated, cli):
    result = cli("pretranslate", "--lang", "es", "--min-confidence", "0.95")
    assert result.exit_code == 0
    match = re.search(r"^es: (\d+) from apertium, 3 from glossary; (\d+) left empty$", result.output, re.M)
    assert match, result.output
    drafted, empty = map(int, match.groups())
    assert empty > 0 and drafted + empty == 10
    assert f"  {empty} left empty: no draft reached confidence 0.95" in result.output
    cat = pofile.load(po(updated, "es"))
    title = next(e for e in cat.active if "title" in e.extracted_comments)
    assert title.msgstr == ""  # MATHÉMATICIEN, GEÔLES, POUTINIENNES unknown
    kept = [origin(e) for e in cat.active if e.msgstr and origin(e).origin == "machine"]
    assert len(kept) == drafted and all(o.confidence >= 0.95 for o in kept)
    full = cli("pretranslate", "--lang", "es")
    assert f"es: {empty} from apertium; 0 left empty" in full.output


def test_apertium_confidence_is_the_share_of_known_words(updated):
    pretranslate(load_config(), ("es",))
    cat = pofile.load(po(updated, "es"))
    title = next(e for e in cat.active if "title" in e.extracted_comments)
    words = re.findall(r"[^\W\d_]+", title.msgstr)
    assert origin(title).confidence == round(1 - 3 / len(words), 2)  # three unknown words
    assert "unknown words: MATHÉMATICIEN, GEÔLES, POUTINIENNES" in " ".join(title.translator_comments)
    assert re.match(r"l10n: machine apertium fr>es conf:0\.\d\d src:[0-9a-f]{12} sha:[0-9a-f]{12}$",
                    title.translator_comments[0])


def test_confidence_in_status_json_dashboard_and_review(updated, cli):
    configure(updated, pretranslate={"min_confidence": 0.95})
    assert cli("pretranslate", "--lang", "es").exit_code == 0
    cat = pofile.load(po(updated, "es"))
    values = [origin(e).confidence for e in cat.active if entry_state(e) == "machine" and origin(e).origin == "machine"]
    low = sum(v < 0.95 for v in values)
    assert 0 < low < len(values)
    rows = json.loads(cli("status", "--lang", "es", "--format", "json").output)
    conf = rows[0]["confidence"]
    assert conf["drafts"] == len(values) and conf["below"] == low and conf["min_confidence"] == 0.95
    assert sum(conf["by_value"].values()) == len(values)
    assert cli("status", "--lang", "es", "--format", "html").exit_code == 0
    page = (updated / "dist" / "status.html").read_text(encoding="utf-8")
    assert f'data-col="below-confidence"><span class="warn">{low}</span>' in page
    assert f"<strong class=\"warn\">{low}</strong> machine draft(s) below confidence 0.95" in page
    assert cli("review", "--lang", "es").exit_code == 0
    sheet = (updated / "dist" / "review" / "es.html").read_text(encoding="utf-8")
    assert sheet.count('class="conf low"') == low and sheet.count('class="conf"') == len(values) - low
    assert "(below 0.95)" in sheet


@pytest.mark.slow  # Apertium processes for every language
def test_italian_and_portuguese_from_reviewed_catalan_without_any_pivot_setting(updated, cli):
    assert cli("pretranslate", "--lang", "ca", "--lang", "it", "--lang", "pt").exit_code == 0
    catalan = "Des de 2019, Azat Miftakhov és empresonat en un procés judicial fabricat (IK-18)."
    review(updated, "ca", [0], {0: catalan})
    result = cli("pretranslate")
    assert result.exit_code == 0, result.output
    for lang in ("it", "pt"):  # fr>es>it: two machine steps; ca(reviewed)>it: one
        assert f"{lang}: 1 from apertium ca(reviewed)" in result.output
        first = paragraphs(pofile.load(po(updated, lang)))[0]
        assert origin(first).detail.startswith(f"apertium ca(reviewed)>{lang} via:")
        assert "2019" in first.msgstr and "IK-18" in first.msgstr
    english = paragraphs(pofile.load(po(updated, "en")))[0]
    assert origin(english).detail == "apertium fr>es>en"  # no Catalan→English pair: ca>it>es>en would be longer
