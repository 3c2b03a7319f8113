"""Issue 16: the checks that catch what machine drafts get wrong. Spelling through Enchant and Debian's Hunspell
dictionaries, source-language and pivot-language leftovers, locale typography from CLDR, glossary variants, the
dateline's place, `check --summary`; zero warnings on a correct human Spanish translation of the whole appeal."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from l10n import po as pofile
from l10n.po import Catalog, Entry
from l10n.checks.registry import check_catalog, check_file
from l10n.checks.dictionary import Dictionary, dictionary
from l10n.config import load_config
from l10n.paths import po_path
from l10n.glossary import load_glossary

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
GLOSSARY = load_glossary(ROOT / "glossary.yaml")
HEADER = "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=2; plural=(n != 1);\n"


def run(*entries: Entry, lang: str = "es", accept=(), path: Path = Path("/nonexistent/l10n-test/es.po")):
    po = Catalog(path=path, header=Entry(msgid="", msgstr=HEADER), entries=list(entries))
    return check_catalog(po, lang, "fr", GLOSSARY, accept=accept)


def messages(check_id: str, msgid: str, msgstr: str, lang: str = "es", role: str = "paragraph",
             comments: list[str] = (), accept=()) -> list[str]:
    entry = Entry(msgid=msgid, msgstr=msgstr, extracted_comments=[role], translator_comments=list(comments))
    return [i.message for i in run(entry, lang=lang, accept=accept) if i.check == check_id]


# ---------------------------------------------------------------------------------------------------- dictionaries


def test_every_language_of_the_appeal_has_its_dictionary():
    """CI installs them with scripts/setup (hunspell-…): a missing one fails here rather than silencing a check."""
    config = load_config(ROOT / "l10n.yaml")
    for lang in config.languages:
        found = dictionary(lang)
        assert isinstance(found, Dictionary), found.reason


def test_bcp47_tags_map_to_enchant_dictionaries():
    assert dictionary("pt-BR").tags == ("pt_BR",)
    assert dictionary("pt").tags == ("pt_BR", "pt_PT")  # a bare tag chooses no norm: CLDR's likely region first
    assert dictionary("es").tags == ("es_ES",)
    assert dictionary("de-AT").tags == ("de_DE",)  # no Austrian dictionary: the language's likely region


# ---------------------------------------------------------------------------------------------------- spelling


def test_spelling_names_the_words():
    found = messages("spelling", "Il a été torturé.", "Ha sido torturrado y golpeadoo.")
    assert len(found) == 1
    assert '"torturrado", "golpeadoo"' in found[0] and "es dictionary" in found[0]


@pytest.mark.parametrize("msgid, msgstr", [
    ("Azat Miftakhov est à Kharp (IK-18).", "Azat Miftakhov está en Kharp (IK-18)."),  # keep terms, numbers
    ("L'opposant Alexei Navalny.", "El opositor Alekséi Navalni."),  # a keep term's variant
    ("Voir https://freeazat.org et #FREE120.", "Véase https://freeazat.org y #FREE120."),  # URL, hashtag
    ("Il est à Kharp, région de Iamalo.", "Está en Kharp, en la región de Yamalia."),  # a name, mid-sentence
    ("La CGT et la LDH l'exigent.", "La CGT y la LDH lo exigen."),  # acronyms
    ("Selon Memorial, la prison de Kharp.", "Según Memorial, la prisión de Kharp."),  # a name copied
])
def test_spelling_leaves_names_terms_and_tokens_alone(msgid, msgstr):
    entry = Entry(msgid=msgid, msgstr=msgstr, extracted_comments=["paragraph"])
    assert [i for i in run(entry) if i.check in ("spelling", "source-words")] == []


def test_project_word_list_and_language_file_silence_spelling(tmp_path):
    entry = Entry(msgid="Électrocution et coups.", msgstr="Electrocución y golpes.", extracted_comments=["paragraph"])
    words = [i.message for i in run(entry) if i.check == "spelling"]
    assert len(words) == 1 and words[0].startswith('not in the es dictionary: "Electrocución";')
    assert [i for i in run(entry, accept=["electrocución"]) if i.check == "spelling"] == []
    (tmp_path / "spelling.txt").write_text("# words the Spanish dictionary lacks\nElectrocución\n", encoding="utf-8")
    assert [i for i in run(entry, path=tmp_path / "appeal.po") if i.check == "spelling"] == []


def test_missing_dictionary_is_said_once_per_catalog_not_per_entry():
    entries = [Entry(msgid=f"Texte {n}.", msgstr=f"Tekst nummer {n}.", extracted_comments=["paragraph"])
               for n in range(3)]
    found = [i for i in run(*entries, lang="nl") if i.check == "spelling"]
    assert len(found) == 1
    assert found[0].msgid == "" and "no spelling dictionary for nl" in found[0].message
    assert "hunspell-nl" in found[0].message


def test_organisation_names_and_country_headings_are_not_spell_checked():
    org = Entry(msgid="Syndicat SYNTRASESH", msgstr="Sindicato Nacionalny SYNTRASESH",
                extracted_comments=["organisation: a proper name"])
    country = Entry(msgid="Bénin", msgstr="Benin", extracted_comments=["country (BJ)"])
    assert [i for i in run(org, country, lang="de") if i.check in ("spelling", "source-words")] == []


# ---------------------------------------------------------------------------------------------------- source words


def test_source_words_copied_by_a_human():
    found = messages("source-words", "Il subit des sévices atroces.", "Sufre sévices atroces.")
    assert found == ['"sévices" copied from the source (fr): not es words; translate them']
    assert messages("spelling", "Il subit des sévices atroces.", "Sufre sévices atroces.") == []  # reported once


def test_source_words_from_every_stage_of_a_pivot_chain():
    note = ["l10n: machine apertium fr>es>it sha:000000000000", "l10n: unknown words: dramatiquement, encarcelado, Europa"]
    found = messages("source-words", "Il est incarcéré et la situation s'est dramatiquement aggravée en Europe.",
                     "È encarcelado e la situazione si è dramatiquement aggravata in Europa.", lang="it",
                     comments=note)
    assert found == ['"dramatiquement" copied from the source (fr); "encarcelado" left untranslated by the engine '
                     '(apertium fr>es>it): not it words; translate them']  # "Europa" is Italian too


def test_source_words_in_capitals_and_at_a_sentence_start():
    title = messages("source-words", "MATHÉMATICIEN RUSSE DANS LES GEÔLES POUTINIENNES",
                     "MATEMÁTICO RUSO EN LAS GEÔLES POUTINIENNES",
                     comments=["l10n: unknown words: GEÔLES, POUTINIENNES"])
    assert title and '"GEÔLES", "POUTINIENNES"' in title[0]
    pt = messages("source-words", "Nous exhortons les gouvernements.", "Exhortamos os governos.", lang="pt",
                  comments=["l10n: unknown words: Exhortamos"])
    assert pt and '"Exhortamos" left untranslated' in pt[0]


# ---------------------------------------------------------------------------------------------------- dateline


def test_italian_dateline_gin_is_reported():
    """The rule: the dateline's place (before its first comma) passes when it is the source's name, a glossary
    form, CLDR's exemplar-city name in the target language, or a word the dictionary knows only as a name. "Gin"
    is a common Italian word (the drink), so the engine translated the city's name as a word."""
    issues = check_file(DATA / "po" / "dateline_gin.it.po", "it", "fr", GLOSSARY)
    found = [i for i in issues if i.check == "dateline"]
    assert len(found) == 1 and found[0].severity == "warning" and found[0].line == 17
    assert '"Gin"' in found[0].message and '"Genève"' in found[0].message


@pytest.mark.parametrize("source, target, lang", [
    ("Genève, le 3 février 2027", "Ginevra, 3 febbraio 2027", "it"),  # a name the dictionary knows as a name
    ("Paris, le 21 mai 2026", "Parigi, 21 maggio 2026", "it"),  # CLDR's exemplar city
    ("Paris, le 21 mai 2026", "París, 21 de mayo de 2026", "es"),  # CLDR, though "parís" is a Spanish word too
    ("Genève, le 3 février 2027", "Genève, 3 febbraio 2027", "it"),  # the source's own name
])
def test_dateline_places_that_are_names_pass(source, target, lang):
    assert messages("dateline", source, target, lang=lang, role="dateline") == []


# ---------------------------------------------------------------------------------------------------- typography


@pytest.mark.parametrize("check_id, msgid, msgstr, lang, expected", [
    ("punctuation", "Sauvons Azat avant qu'il ne soit trop tard !", "Salvemos a Azat antes de que sea demasiado tarde!",
     "es", 'es opens an exclamation with "¡"'),
    ("punctuation", "Comment le sauver ?", "Cómo salvarlo?", "es", 'es opens a question with "¿"'),
    ("punctuation", "Azat, Kharp et IK-18.", "Azat , Kharp y IK-18.", "es", 'remove the space before ","'),
    ("punctuation", "Il a reçu 1 500 signatures.", "He received 1 500 signatures.", "en", '"1,500"'),
    ("punctuation", "Il a reçu 1 500 signatures.", "Er erhielt 1 500 Unterschriften.", "de", '"1.500"'),
    ("punctuation", "Azat alerte : danger.", "Azat warns : danger.", "en", 'remove the space before ":"'),
    ("brackets-quotes", "Il dit « non ».", "He says « no ».", "en", 'write "“…”"'),
    ("brackets-quotes", "Il dit « non ».", "Er sagt “nein”.", "de", 'write "„…“"'),
])
def test_locale_typography_is_caught(check_id, msgid, msgstr, lang, expected):
    found = messages(check_id, msgid, msgstr, lang=lang)
    assert any(expected in m for m in found), found


@pytest.mark.parametrize("msgid, msgstr, lang", [
    ("Sauvons Azat avant qu'il ne soit trop tard !", "¡Salvemos a Azat antes de que sea demasiado tarde!", "es"),
    ("Il a reçu 1 500 signatures.", "He received 1,500 signatures.", "en"),
    ("Il a reçu 1 500 signatures.", "Recibió 1500 firmas.", "es"),
    ("Il a reçu 1 500 signatures.", "Recibió 1.500 firmas.", "es"),
    ("Il a reçu 1 500 signatures.", "Он получил 1 500 подписей.", "ru"),  # Russian groups with a space
    ("Il dit « non ».", "He says “no”.", "en"),
    ("Il dit « non ».", "Er sagt „nein“.", "de"),
    ("Il dit « non ».", "Dice «no».", "es"),
])
def test_locale_typography_passes(msgid, msgstr, lang):
    entry = Entry(msgid=msgid, msgstr=msgstr, extracted_comments=["paragraph"])
    assert [i.message for i in run(entry, lang=lang) if i.check in ("punctuation", "brackets-quotes")] == []


# ---------------------------------------------------------------------------------------------------- glossary


def test_glossary_variant_is_checked():
    found = messages("glossary", "L'opposant Alexei Navalny.", "El opositor Alexei Navalny.")
    assert found == ['the glossary writes "Alexei Navalny" as "Alekséi Navalni" in es; use that form instead of '
                     "the source's"]
    assert messages("glossary", "L'opposant Alexei Navalny.", "The opponent Alexei Navalny.", lang="en") == []


def test_glossary_variant_is_applied_in_drafts(drafted: Path):
    config = load_config(drafted / "l10n.yaml")
    po = pofile.load(po_path(config, "es", config.documents[0]))
    entry = next(e for e in po.active if "Navalny" in e.msgid)
    assert "Alekséi Navalni" in entry.msgstr and "Alexei Navalny" not in entry.msgstr
    assert entry.fuzzy  # still a machine draft, with its provenance matching the text written
    assert not [i for i in check_file(po.path, "es", "fr", GLOSSARY) if i.check == "glossary"
                and i.msgid == entry.msgid]


# ---------------------------------------------------------------------------------------------------- the appeal


def _translated_appeal(project: Path, cli) -> Path:
    """The fixture's reviewed Spanish catalog, merged into the project's own catalog of the current source."""
    assert cli("extract").exit_code == 0
    assert cli("update", "--lang", "es").exit_code == 0
    path = project / "locales" / "es" / "appeal.po"
    fixture = pofile.load(DATA / "po" / "appeal.es.reviewed.po").index()
    po = pofile.load(path)
    for entry in po.active:
        assert entry.key in fixture, f"the fixture lacks {entry.msgid!r}: translate it"
        entry.msgstr = fixture[entry.key].msgstr
        entry.set_fuzzy(False)
    pofile.save(po)
    return path


def test_human_spanish_translation_of_the_appeal_raises_no_warning(project: Path, cli):
    """False positives counted on a correct human translation of the whole appeal: zero. (The project's word
    list accepts "electrocución", which Debian's Spanish dictionary lacks.)"""
    path = _translated_appeal(project, cli)
    result = cli("check", "--lang", "es")
    assert result.exit_code == 0
    assert result.stdout == "" and "0 issue(s), 0 error(s)" in result.stderr
    assert check_file(path, "es", "fr", GLOSSARY, accept=("electrocución",)) == []


def test_check_summary_counts_entries_per_check(drafted: Path, cli):
    result = cli("check", "--summary", "--lang", "es", "--lang", "de")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    header = lines[0].split()
    assert header[:2] == ["language", "texts"] and "source-words" in header and "untranslated" in header
    rows = {line.split()[0]: line for line in lines[1:]}
    assert set(rows) == {"es", "de"}
    data = json.loads(cli("check", "--summary", "--format", "json", "--lang", "es", "--lang", "de").stdout)
    by_lang = {row["lang"]: row for row in data}
    assert by_lang["es"]["texts"] == by_lang["de"]["texts"] == 13  # entries but the names `update` filled
    assert by_lang["es"]["entries"]["source-words"] >= 5
    assert by_lang["de"]["entries"] == {"untranslated": 13}
    assert f"{by_lang['es']['entries']['source-words']} of 13" in rows["es"]
    issues = json.loads(cli("check", "--format", "json", "--lang", "es").stdout)
    source_words = {(i["msgctxt"], i["msgid"]) for i in issues if i["check"] == "source-words"}
    assert len(source_words) == by_lang["es"]["entries"]["source-words"]
    assert set(issues[0]) == {"file", "line", "lang", "msgctxt", "msgid", "check", "severity", "message"}


def test_word_list_is_per_language_or_for_all(project: Path, cli):
    config = load_config(project / "l10n.yaml")
    assert config.accepted_words("es") == ("electrocución",) and config.accepted_words("it") == ()
    text = (project / "l10n.yaml").read_text(encoding="utf-8")
    (project / "l10n.yaml").write_text(text.replace("accept: {es: [electrocución]}", "accept: [Kharpien]"),
                                       encoding="utf-8")
    assert load_config(project / "l10n.yaml").accepted_words("it") == ("Kharpien",)
    (project / "l10n.yaml").write_text(text.replace("accept: {es: [electrocución]}", "acept: [x]"), encoding="utf-8")
    result = cli("check")
    assert result.exit_code == 2
    assert "unknown key 'acept' in checks.spelling (did you mean 'accept'?)" in result.stderr
