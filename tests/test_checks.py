"""Quality checks: each check passes a good translation and catches a bad one, silencing works, and the appeal's
Spanish catalog with six injected mistakes yields exactly those mistakes, at the right PO lines."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from l10n import provenance
from l10n.po import Catalog, Entry, atomic_write, dumps, load
from l10n.po.plural import compile_plural
from l10n.checks.base import Issue
from l10n.checks.registry import CHECKS, check_catalog, check_file, ignored_checks
from l10n.checks import povalid
from l10n.glossary import load_glossary

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = load_glossary(ROOT / "glossary.yaml")
#: The project's accepted words (checks.spelling.accept): right, though a dictionary lacks them.
ACCEPT = tuple(yaml.safe_load((ROOT / "tests" / "data" / "project" / "l10n.yaml").read_text(encoding="utf-8"))
               ["checks"]["spelling"]["accept"]["es"])
HEADER = "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=2; plural=(n != 1);\n"
PARAGRAPH = ["paragraph"]


def catalog(*entries: Entry, header: str = HEADER) -> Catalog:
    return Catalog(path=Path("/nonexistent/l10n-test/es.po"), header=Entry(msgid="", msgstr=header),
                   entries=list(entries))


def issues(*entries: Entry, lang: str = "es", source_lang: str = "fr", disabled=(), header: str = HEADER,
           glossary=GLOSSARY) -> list[Issue]:
    return check_catalog(catalog(*entries, header=header), lang, source_lang, glossary, disabled)


def found(check_id: str, msgid: str, msgstr: str, lang: str = "es", source_lang: str = "fr",
          comments=PARAGRAPH, **fields) -> list[str]:
    """Messages of one check for one entry."""
    entry = Entry(msgid=msgid, msgstr=msgstr, extracted_comments=list(comments), **fields)
    return [i.message for i in issues(entry, lang=lang, source_lang=source_lang) if i.check == check_id]


# ---------------------------------------------------------------------------------------------------- registry


def test_registry_has_every_check_with_its_severity_and_a_docstring_title():
    expected = {"po-valid": "error", "untranslated": "warning", "unreviewed": "info", "numbers": "error",
                "keep-terms": "error", "glossary": "warning", "source-words": "warning", "spelling": "warning",
                "dateline": "warning", "mt-marks": "error", "markup": "error", "bidi": "error",
                "punctuation": "warning", "brackets-quotes": "warning", "whitespace": "warning",
                "sentences": "warning", "length": "warning", "unchanged": "warning"}
    assert {k: v.severity for k, v in CHECKS.items()} == expected
    assert list(CHECKS) == list(expected)
    for info in CHECKS.values():
        assert info.title and info.description
        assert info.title == info.function.__doc__.strip().splitlines()[0].rstrip(".")


def test_issue_as_dict():
    issue = Issue("a.po", 3, "es", None, "x", "numbers", "error", "fix it")
    assert issue.as_dict() == {"file": "a.po", "line": 3, "lang": "es", "msgctxt": None, "msgid": "x",
                               "check": "numbers", "severity": "error", "message": "fix it"}


# ---------------------------------------------------------------------------------------------------- pass / fail

# (check, msgid, msgstr, lang, source_lang, extracted comments)
PASSING = [
    ("numbers", "Depuis 2019, il fait -50°C à Kharp (IK-18).", "Desde 2019, hace −50 °C en Kharp (IK-18).", "es"),
    ("numbers", "Il a reçu 1 000 signatures et 2,5 millions.", "Recibió 1.000 firmas y 2,5 millones.", "es"),
    ("numbers", "Il a reçu 2,5 millions le 03 mai.", "He received 2.5 million on 3 May.", "en"),
    ("numbers", "Procès de Nuremberg 2.0", "Juicio de Núremberg 2.0", "es"),
    ("numbers", "Depuis 2019.", "منذ ٢٠١٩.", "ar"),
    ("keep-terms", "Azat est à Kharp (IK-18).", "Azat está en Kharp (IK-18).", "es"),
    ("keep-terms", "L'opposant Alexei Navalny.", "El opositor Alekséi Navalni.", "es"),
    ("keep-terms", "Azat est à Kharp.", "Азата перевели в Харп.", "ru"),
    ("keep-terms", "L'ASSOCIATION SOLIDARITÉ FREEAZAT ALERTE", "LA ASOCIACIÓN SOLIDARITÉ FREEAZAT ALERTA", "es"),
    ("glossary", "C'est un procès politique.", "Es un juicio político.", "es"),
    ("glossary", "Organisation internationale", "Organizaciones internacionales", "es"),
    ("mt-marks", "Campagne #FREE120", "Campaña #FREE120", "es"),
    ("mt-marks", "Écrivez à contact@freeazat.org.", "Escriba a contact@freeazat.org.", "es"),
    ("markup", "Lisez <b>ceci</b> et [l'appel](https://example.org).",
     "Lea <b>esto</b> y [el llamamiento](https://example.org).", "es"),
    ("markup", "Si a < b alors b > a.", "Si a < b entonces b > a.", "es"),
    ("punctuation", "Sauvons Azat avant qu'il ne soit trop tard !", "¡Salvemos a Azat antes de que sea tarde!", "es"),
    ("punctuation", "Azat est en danger.", "阿扎特处于危险之中。", "zh"),
    ("punctuation", "Où est Azat ?", "أين آزات؟", "ar"),
    ("punctuation", "Où est Azat ?", "Πού είναι ο Αζάτ;", "el"),
    ("punctuation", "Ils alertent : Azat est torturé.", "Alertan: Azat es torturado.", "es"),
    ("punctuation", "Warning: Azat is in danger!", "Attention\u202f: Azat est en danger\u202f!", "fr", "en"),
    ("brackets-quotes", "Kharp (IK-18), dit « l'enfer ».", "Kharp (IK-18), llamado “el infierno”.", "es"),
    ("brackets-quotes", "Il dit « non ».", "Er sagt „nein“.", "de"),
    ("brackets-quotes", "L'arrêt d'Azat.", "L’arrêt d’Azat, el ‘caso’.", "es"),
    ("whitespace", "Azat est libre.", "Azat está libre.", "es"),
    ("whitespace", " Azat  est libre. ", " Azat  está libre. ", "es"),
    ("sentences", "Azat est en danger. Sauvons Azat !", "Azat está en peligro. ¡Salvemos a Azat!", "es"),
    ("length", "Nous exigeons la libération d'Azat Miftakhov.", "Exigimos la liberación de Azat Miftakhov.", "es"),
    ("length", "Nous exigeons la libération d'Azat Miftakhov.", "我们要求释放米夫塔霍夫。", "zh"),
    ("unchanged", "Allemagne", "Alemania", "es"),
    ("unchanged", "Nous exigeons la libération d'Azat.", "Exigimos la liberación de Azat.", "es"),
]

FAILING = [
    ("numbers", "Depuis 2019, Azat est incarcéré.", "Desde 2018, Azat está encarcelado.", "es",
     '"2019" from the source is missing; the translation has "2018"'),
    ("numbers", "Il fait jusqu'à -50°C d'octobre à mai.", "Hace un frío extremo de octubre a mayo.", "es",
     '"-50°C" from the source is missing'),
    ("numbers", "Il fait -50°C.", "Hace 50 °C.", "es", '"-50°C" from the source is missing'),
    ("numbers", "Le 21 avril 2026.", "El 21 de abril de 2026 y 2027.", "es", '"2027", which is not in the source'),
    ("keep-terms", "Azat est à Kharp (IK-18).", "Azat está en Jarp (IK-18).", "es", '"Kharp"'),
    ("keep-terms", "Signé : Solidarité FreeAzat.", "Firmado: Solidaridad FreeAzat.", "es", '"Solidarité FreeAzat"'),
    ("glossary", "C'est un procès politique.", "Es un proceso político.", "es", '"juicio político"'),
    ("mt-marks", "Azat est à Kharp.", "Azat está en *Kharp.", "es", '"*Kharp"'),
    ("mt-marks", "Azat est à Kharp.", "@Azat está en Kharp.", "es", '"@Azat"'),
    ("markup", "Azat est en danger.", "Azat está en peligro.<script>alert(1)</script>", "es",
     '"<script>alert(1)</script>"'),
    ("markup", "Azat est en danger.", 'Azat está <img src=x onerror="alert(1)"> en peligro.', "es", "<img"),
    ("markup", "Lisez l'appel.", "Lea [el llamamiento](javascript:alert(1)).", "es", "Markdown link"),
    ("markup", "Lisez l'appel.", "Lea el llamamiento javascript:alert(1).", "es", '"javascript:alert(1)"'),
    ("punctuation", "Azat est en danger.", "Azat está en peligro", "es", "no end punctuation"),
    ("punctuation", "Sauvons Azat !", "Salvemos a Azat.", "es", '"!"'),
    ("punctuation", "Ils alertent : Azat est torturé.", "Alertan : Azat es torturado.", "es",
     'remove the space before ":"'),
    ("punctuation", "Warning: Azat is in danger!", "Attention: Azat est en danger\u202f!", "fr",
     'French needs a no-break space before ":"'),
    ("brackets-quotes", "Kharp (IK-18).", "Kharp (IK-18.", "es", '1 "(" but 0 ")"'),
    ("brackets-quotes", "Il dit « non ».", "Dice « no.", "es", '"«"'),
    ("whitespace", "Azat est libre.", " Azat está libre.", "es", "starts with whitespace"),
    ("whitespace", "Azat est libre.", "Azat está  libre.", "es", "double space"),
    ("whitespace", "Azat est libre. ", "Azat está libre.", "es", "the source ends with whitespace"),
    ("sentences", "Azat y a déjà été victime de tortures. Selon un témoignage, il a été battu. Ces actes "
                  "avaient pour unique objectif de briser sa volonté.",
     "Azat ya ha sido víctima de torturas allí. Según un testimonio, fue golpeado.", "es",
     'probably missing: "Ces actes avaient pour unique objectif de briser sa volonté."'),
    ("length", "Nous exigeons l'arrêt des tortures et la libération d'Azat Miftakhov.", "Exigimos.", "es",
     "check that nothing is missing"),
    ("length", "Nous exigeons la libération d'Azat Miftakhov.", "Exigimos la liberación de Azat Miftakhov.", "zh",
     "check that nothing was added"),
    ("unchanged", "Nous exigeons la libération d'Azat.", "Nous exigeons la libération d'Azat.", "es",
     "identical to the source"),
]


@pytest.mark.parametrize("case", PASSING, ids=lambda c: f"{c[0]}:{c[2][:20]}")
def test_check_passes_good_translation(case):
    check_id, msgid, msgstr, lang, *rest = case
    source_lang = rest[0] if rest else "fr"
    assert found(check_id, msgid, msgstr, lang, source_lang) == []


@pytest.mark.parametrize("case", FAILING, ids=lambda c: f"{c[0]}:{c[2][:20]}")
def test_check_catches_bad_translation(case):
    check_id, msgid, msgstr, lang, expected = case
    source_lang = "en" if lang == "fr" else "fr"
    messages = found(check_id, msgid, msgstr, lang, source_lang)
    assert messages, f"{check_id} missed {msgstr!r}"
    assert any(expected in m for m in messages), messages


def test_failing_cases_raise_only_their_own_check():
    """The injected mistake is reported by its check alone: no spurious extra findings on the same entry."""
    noisy = {}
    for check_id, msgid, msgstr, lang, _ in FAILING:
        source_lang = "en" if lang == "fr" else "fr"
        entry = Entry(msgid=msgid, msgstr=msgstr, extracted_comments=list(PARAGRAPH))
        # (an entry's issues only: "no dictionary for zh" is about the catalog)
        others = {i.check for i in issues(entry, lang=lang, source_lang=source_lang) if i.msgid} - {check_id}
        if check_id == "length" and msgstr == "Exigimos.":
            others -= {"keep-terms"}  # the truncated text lost the names too
        if others:
            noisy[msgstr] = others
    assert noisy == {}


def test_numbers_and_keep_terms_do_not_report_the_same_name_twice():
    entry = Entry(msgid="La prison IK-18.", msgstr="La prisión IK-19.")
    assert {i.check for i in issues(entry)} == {"keep-terms"}
    without_glossary = [i for i in issues(entry, glossary=None) if i.check == "numbers"]
    assert [i.message for i in without_glossary] == ['"IK-18" from the source is missing; the translation has '
                                                     '"IK-19"']


def test_unchanged_accepts_organisation_names_but_not_prose_without_comment():
    org = "Syndicat national de travailleurs des services de la santé humaine SYNTRASESH"
    assert found("unchanged", org, org, comments=["organisation: a proper name"]) == []
    assert found("unchanged", "Exil Solidaire", "Exil Solidaire", comments=[]) == []
    assert found("unchanged", "Nous appelons les citoyens à agir", "Nous appelons les citoyens à agir",
                 comments=[]) != []


# ---------------------------------------------------------------------------------------------------- state


def test_untranslated():
    assert found("untranslated", "Azat", "Azat") == []
    assert found("untranslated", "Azat est libre.", "") == ['no translation yet; translate "Azat est libre."']
    plural = Entry(msgid="%d prisoner", msgid_plural="%d prisoners", msgstr_plural={0: "%d preso", 1: ""})
    assert [i.message for i in issues(plural) if i.check == "untranslated"] == [
        'plural form msgstr[1] is empty; translate "%d prisoners" for it']


def test_unreviewed_tells_machine_drafts_from_human_fuzzy():
    text = "Azat está libre."
    machine = provenance.Provenance(provenance.MACHINE, "apertium", provenance.digest(text)).comment()
    assert found("unreviewed", "Azat est libre.", text) == []
    draft = found("unreviewed", "Azat est libre.", text, flags=["fuzzy"], translator_comments=[machine])
    assert len(draft) == 1 and "unreviewed machine translation (apertium)" in draft[0]
    edited = found("unreviewed", "Azat est libre.", "Azat ya está libre.", flags=["fuzzy"],
                   translator_comments=[machine])
    assert len(edited) == 1 and "marked fuzzy by a translator or by a source change" in edited[0]
    human = found("unreviewed", "Azat est libre.", text, flags=["fuzzy"], previous_msgid="Azat est là.")
    assert "marked fuzzy by a translator or by a source change" in human[0] and '"Azat est là."' in human[0]


def test_fuzzy_entries_are_checked_too():
    entry = Entry(msgid="Depuis 2019.", msgstr="Desde 2018.", flags=["fuzzy"])
    assert {i.check for i in issues(entry)} == {"unreviewed", "numbers"}


# ---------------------------------------------------------------------------------------------------- po-valid


def po_valid(*entries: Entry, header: str = HEADER) -> list[str]:
    return [i.message for i in issues(*entries, header=header) if i.check == "po-valid"]


def test_po_valid_passes_a_sound_catalog():
    assert po_valid(Entry(msgid="a", msgstr="b"),
                    Entry(msgid="%d file", msgid_plural="%d files", msgstr_plural={0: "%d f", 1: "%d fs"},
                          flags=["c-format"]),
                    Entry(msgid="a", msgctxt="other", msgstr="c"),
                    Entry(msgid="line\n", msgstr="línea\n")) == []


@pytest.mark.parametrize("entries, header, expected", [
    ([Entry(msgid="a\n", msgstr="b")], HEADER, "do not both end with a newline"),
    ([Entry(msgid="a", msgstr="\nb")], HEADER, "do not both begin with a newline"),
    ([Entry(msgid="%d file", msgid_plural="%d files", msgstr_plural={0: "x", 1: "y", 2: "z"})], HEADER,
     "3 plural translations but the header says nplurals = 2"),
    ([Entry(msgid="%d file", msgid_plural="%d files", msgstr_plural={0: "x", 1: "y"})],
     "Content-Type: text/plain; charset=UTF-8\n", "no Plural-Forms header"),
    ([Entry(msgid="a", msgstr="b")], "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=2; plural=n;\n",
     "can produce 2"),
    ([Entry(msgid="a", msgstr="b")],
     "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=2; plural=(n != 1;\n", "invalid plural"),
    ([Entry(msgid="a", msgstr="b")],
     "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=3; plural=n/0;\n", "divide by zero"),
    ([Entry(msgid="a", msgstr="é")], "Content-Type: text/plain\n", "no charset"),
    ([Entry(msgid="a", msgstr="b")], "", "no header entry"),
    ([Entry(msgid="%d files", msgstr="%s fichiers", flags=["c-format"])], HEADER, "c-format directives"),
    ([Entry(msgid="%(n)d files", msgstr="%(m)d fichiers", flags=["python-format"])], HEADER, "python-format"),
    ([Entry(msgid="{n} files", msgstr="{m} fichiers", flags=["python-brace-format"])], HEADER, "python-brace"),
])
def test_po_valid_finds_what_msgfmt_rejects(entries, header, expected):
    messages = po_valid(*entries, header=header)
    assert any(expected in m for m in messages), messages


def test_plural_expression_evaluates_like_c():
    spanish = compile_plural("(n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2)")
    assert [spanish(n) for n in (0, 1, 2, 1000000)] == [2, 0, 2, 1]
    russian = compile_plural("(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) "
                                   "? 1 : 2)")
    assert [russian(n) for n in (1, 3, 5, 11, 21, 22)] == [0, 1, 2, 2, 0, 1]
    assert compile_plural("!(n == 1)")(1) == 0


BROKEN_PO = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "a"\nmsgstr "b\n'
DUPLICATE_PO = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n#. first\nmsgid "a"\n'
                'msgstr "b"\n\n#. second\n#: x.txt:1\nmsgid "a"\nmsgstr "c"\n')
NEWLINE_PO = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n#. x\nmsgid "a\\n"\nmsgstr "b"\n'


def test_check_file_turns_a_load_error_into_one_po_valid_issue(tmp_path):
    path = tmp_path / "broken.po"
    path.write_text(BROKEN_PO, encoding="utf-8")
    result = check_file(path, "es")
    assert len(result) == 1
    assert (result[0].check, result[0].severity, result[0].file) == ("po-valid", "error", str(path))
    assert result[0].line >= 5 and result[0].message


def test_check_file_native_po_valid_works_without_msgfmt(tmp_path, monkeypatch):
    monkeypatch.setattr(povalid, "msgfmt_available", lambda: False)
    monkeypatch.setattr(povalid, "start_msgfmt", lambda path: pytest.fail("msgfmt must not run"))
    path = tmp_path / "newline.po"
    path.write_text(NEWLINE_PO, encoding="utf-8")
    result = [i for i in check_file(path, "es") if i.check == "po-valid"]
    assert [(i.line, i.msgid) for i in result] == [(6, "a\n")]
    assert "end with a newline" in result[0].message
    path = tmp_path / "dup.po"
    path.write_text(DUPLICATE_PO, encoding="utf-8")  # refused by the loader or found natively: same report
    result = [i for i in check_file(path, "es") if i.check == "po-valid"]
    assert [(i.line, i.severity) for i in result] == [(11, "error")]
    assert "line 6" in result[0].message


def test_check_file_reports_what_only_msgfmt_finds(tmp_path, monkeypatch):
    info = CHECKS["po-valid"]
    monkeypatch.setitem(CHECKS, "po-valid", dataclasses.replace(info, function=lambda *args: iter(())))
    path = tmp_path / "format.po"
    path.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n#, c-format\n'
                    'msgid "%d files"\nmsgstr "%s fichiers"\n', encoding="utf-8")
    result = [i for i in check_file(path, "es") if i.check != "spelling"]  # "fichiers" is no Spanish word
    assert [(i.check, i.line, i.msgid) for i in result] == [("po-valid", 7, "%d files")]
    assert result[0].message.startswith("msgfmt -c: ")


# ---------------------------------------------------------------------------------------------------- silencing


def test_flag_silences_one_check_only():
    flagged = Entry(msgid="Depuis 2019 à Kharp.", msgstr="Desde 2018 en *Kharp.", flags=["l10n-ignore: numbers"])
    assert {i.check for i in issues(flagged)} == {"mt-marks"}


@pytest.mark.parametrize("flags", [["l10n-ignore: numbers mt-marks"], ["l10n-ignore: numbers", "mt-marks"],
                                   ["fuzzy", "l10n-ignore: numbers", "l10n-ignore: mt-marks"],
                                   ["l10n-ignore:numbers,mt-marks"]])
def test_flag_silences_several_checks(flags):
    entry = Entry(msgid="Depuis 2019 à Kharp.", msgstr="Desde 2018 en *Kharp.", flags=flags)
    assert ignored_checks(entry) >= {"numbers", "mt-marks"}
    assert {i.check for i in issues(entry)} - {"unreviewed"} == set()


def test_unrelated_flags_after_ignore_are_not_check_ids():
    entry = Entry(msgid="x", flags=["l10n-ignore: numbers", "c-format", "markup"])
    assert ignored_checks(entry) == {"numbers"}


def test_disabled_checks_do_not_run():
    entry = Entry(msgid="Depuis 2019 à Kharp.", msgstr="Desde 2018 en *Kharp.")
    assert {i.check for i in issues(entry, disabled=["numbers"])} == {"mt-marks"}
    assert issues(entry, disabled=("numbers", "mt-marks")) == []


def test_flag_in_a_po_file_silences(tmp_path, monkeypatch):
    monkeypatch.setattr(povalid, "msgfmt_available", lambda: False)
    path = tmp_path / "es.po"
    path.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                    '#, l10n-ignore: numbers\nmsgid "Depuis 2019."\nmsgstr "Desde 2018."\n\n'
                    'msgid "Depuis 2019 !"\nmsgstr "¡Desde 2018!"\n', encoding="utf-8")
    assert [(i.check, i.line) for i in check_file(path, "es", disabled=["punctuation"])] == [("numbers", 9)]


# ---------------------------------------------------------------------------------------------------- property


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aé Z09.,;:!?-−°()«»\"“”'’*#@<>[]\n\u00a0\u202f")), max_size=60))
def test_a_copy_of_the_source_raises_no_comparison_issue(text):
    entry = Entry(msgid=text, msgstr=text, extracted_comments=["organisation"])
    comparison = {"numbers", "keep-terms", "mt-marks", "markup", "punctuation", "brackets-quotes", "whitespace",
                  "sentences", "length", "unchanged"}
    assert {i.check for i in issues(entry)} & comparison == set()


# ---------------------------------------------------------------------------------------------------- acceptance

TITLE = ("L'ASSOCIATION SOLIDARITÉ FREEAZAT ET SON COMITÉ DE SOUTIEN ALERTENT : AZAT MIFTAKHOV, MATHÉMATICIEN "
         "RUSSE ET DISSIDENT, EST SOUMIS À LA TORTURE DANS LES GEÔLES POUTINIENNES")
SPANISH = {
    TITLE: "LA ASOCIACIÓN SOLIDARITÉ FREEAZAT Y SU COMITÉ DE APOYO ALERTAN: AZAT MIFTAKHOV, MATEMÁTICO RUSO Y "
           "DISIDENTE, ES SOMETIDO A TORTURA EN LAS CÁRCELES DE PUTIN",
    "Depuis 2019": "Desde 2019, Azat Miftakhov está encarcelado en el marco de un procedimiento judicial fabricado, "
                   "reconocido como un juicio político por numerosas organizaciones internacionales. En los últimos "
                   "días, la situación se ha agravado dramáticamente: Azat ha sido trasladado a la fuerza a la "
                   "prisión de alta seguridad de Kharp (IK-18).",
    "Située": "Situada en el círculo polar ártico (distrito autónomo de Yamalia-Nenetsia), esta prisión está aislada "
              "en una zona inhóspita de temperaturas extremas (que descienden hasta −50 °C de octubre a mayo). Es "
              "tristemente célebre por sus condiciones carcelarias inhumanas y se encuentra en la misma ciudad "
              "donde fue asesinado el opositor Alekséi Navalni.",
    "Azat y a": "Azat ya ha sido víctima de torturas allí. Según un testimonio directo fechado el 21 de abril de "
                "2026, Azat fue sometido a atroces abusos físicos y psicológicos: desnudez forzada, ataduras, "
                "asfixia, golpes repetidos, electrocución e inicios de violación. Estos actos de barbarie tenían "
                "como único objetivo quebrar su voluntad.",
    "Le comité": "El comité de apoyo, ya movilizado por la liberación inmediata de Azat, denuncia con firmeza estos "
                 "actos criminales, en total violación del derecho internacional y de las convenciones contra la "
                 "tortura. Estos métodos demuestran la voluntad del régimen actual de eliminar toda disidencia.",
    "Nous exigeons": "Exigimos el fin de las torturas y la liberación de Azat Miftakhov.",
    "Nous appelons": "Hacemos un llamamiento a las ciudadanas y los ciudadanos, sea cual sea su nacionalidad, para "
                     "que apoyen y difundan nuestro llamamiento.",
    "Nous exhortons": "Instamos a los gobiernos, a la Unión Europea, al Consejo de Europa y a las Naciones Unidas a "
                      "intervenir para la liberación de Azat.",
    "La vie": "La vida de Azat Miftakhov corre un peligro inmediato. ¡Salvemos a Azat antes de que sea demasiado "
              "tarde!",
    "Paris, le": "París, 21 de mayo de 2026",
    "Liste des signataires": "Lista de firmantes",
    "Etat espagnol": "Estado español",
    "Organisation internationale": "Organizaciones internacionales",
}

# What each injected mistake is, and the checks that must report it (and nothing else in the file).
INJECTED = {
    "Depuis 2019": (lambda s: s.replace("Desde 2019", "Desde 2018").replace("de Kharp", "de *Kharp"),
                    {"numbers", "mt-marks"}),
    "Située": (lambda s: s.replace(" (que descienden hasta −50 °C de octubre a mayo)", ""), {"numbers"}),
    "Azat y a": (lambda s: s.replace(" Estos actos de barbarie tenían como único objetivo quebrar su voluntad.", ""),
                 {"sentences"}),
    "Le comité": (lambda s: s + "<script>alert(1)</script>", {"markup"}),
    "Nous appelons": (lambda s: "", {"untranslated"}),
}


def _translation(msgid: str) -> str | None:
    return next((t for start, t in SPANISH.items() if msgid.startswith(start)), None)


def _msgid_lines(text: str) -> dict[str, int]:
    """msgid → line of its `msgid` keyword, read straight from the PO text (independently of polib)."""
    lines = text.split("\n")
    result = {}
    for index, line in enumerate(lines):
        if line.startswith("msgid "):
            parts = [line[len("msgid "):]]
            follow = index + 1
            while follow < len(lines) and lines[follow].startswith('"'):
                parts.append(lines[follow])
                follow += 1
            value = "".join(p.strip()[1:-1] for p in parts).replace('\\"', '"').replace("\\n", "\n")
            result[value] = index + 1
    return result


@pytest.fixture
def fresh_es(project: Path, cli) -> Path:
    """The appeal's Spanish catalog as `l10n update` makes it: countries and organisations filled, prose empty."""
    assert cli("extract").exit_code == 0
    assert cli("update", "--lang", "es").exit_code == 0
    return project / "locales" / "es" / "appeal.po"


@pytest.fixture
def spanish_po(fresh_es: Path) -> Path:
    """The appeal's Spanish catalog, every entry filled with a faithful translation, then the six mistakes."""
    path = fresh_es
    cat = load(path)
    for entry in cat.active:
        if not entry.msgstr:
            entry.msgstr = _translation(entry.msgid) or entry.msgid
        for start, (inject, _) in INJECTED.items():
            if entry.msgid.startswith(start):
                entry.msgstr = inject(entry.msgstr)
    atomic_write(path, dumps(cat))
    return path


def test_faithful_translation_raises_nothing(fresh_es):
    path = fresh_es
    cat = load(path)
    for entry in cat.active:
        entry.msgstr = entry.msgstr or _translation(entry.msgid) or entry.msgid
    atomic_write(path, dumps(cat))
    assert check_file(path, "es", "fr", GLOSSARY, accept=ACCEPT) == []


def test_acceptance_exactly_the_injected_mistakes_at_their_msgid_lines(spanish_po):
    result = check_file(spanish_po, "es", "fr", GLOSSARY, accept=ACCEPT)
    lines = _msgid_lines(spanish_po.read_text(encoding="utf-8"))
    expected = {}
    for start, (_, checks) in INJECTED.items():
        msgid = next(m for m in lines if m.startswith(start))
        expected[(lines[msgid], msgid)] = checks
    got: dict[tuple[int, str], set[str]] = {}
    for issue in result:
        got.setdefault((issue.line, issue.msgid), set()).add(issue.check)
        assert issue.file == str(spanish_po) and issue.lang == "es"
    assert got == expected
    severities = {(i.check, i.severity) for i in result}
    assert severities == {("numbers", "error"), ("mt-marks", "error"), ("markup", "error"),
                          ("untranslated", "warning"), ("sentences", "warning")}
    by_check = {i.check: i.message for i in result if i.msgid.startswith("Depuis")}
    assert by_check["numbers"] == '"2019" from the source is missing; the translation has "2018"'
    assert '"*Kharp"' in by_check["mt-marks"]
    minus = [i.message for i in result if i.msgid.startswith("Située")]
    assert minus == ['"-50°C" from the source is missing; add it to the translation']
    dropped = [i.message for i in result if i.check == "sentences"]
    assert "Ces actes de barbarie avaient pour unique objectif de briser sa volonté." in dropped[0]


LINES_PO = r'''# Spanish translation.
#, fuzzy
msgid ""
msgstr ""
"Project-Id-Version: appeal\n"
"Content-Type: text/plain\n"
"Plural-Forms: nplurals=2; plural=n>1?2:0;\n"

# translator comment
#. paragraph
#: appeal.md:3
#, fuzzy
#| msgid "Old text 12 with Kharp"
msgid "Texte 12 avec Kharp"
msgstr "Texto 13 sin nombre"

#. paragraph
msgctxt "ctx"
msgid "Deux 1\n"
msgstr "Dos 1"

#. paragraph
msgid "Un prisonnier, 5 ans"
msgid_plural "%d prisonniers, 5 ans"
msgstr[0] "Un preso, 6 años"
msgstr[1] "%d presos, 5 años"

#. title
msgid ""
"Un long titre "
"sur deux lignes, 2024"
msgstr ""
"Un título largo "
"en dos líneas, 2023"

   msgid "Décalé 7"
   msgstr "Desplazado 8"

#~ msgid "Obsolète 9"
#~ msgstr "Obsoleto 10"
'''


def test_issue_lines_are_the_loader_s_lines_of_the_file(tmp_path):
    """Every issue points at its entry's msgid keyword in the file's text (comments, #| previous msgids, msgctxt,
    plurals, a msgid over several lines, an indented one before an obsolete entry), a header issue at its
    field's line; the loader records them, so an entry changed in memory after loading still points at its line,
    and one made in memory at line 1."""
    path = tmp_path / "es.po"
    path.write_text(LINES_PO, encoding="utf-8")
    text = LINES_PO.split("\n")
    keyword = {token: next(n for n, line in enumerate(text, 1) if line.lstrip().startswith("msgid ")
                           and token in line + text[n])
               for token in ("12", "Deux", "prisonnier,", "long titre", "Décalé")}
    assert keyword["Décalé"] == 36 and text[keyword["long titre"] - 1] == 'msgid ""'  # what the file holds
    expected = {(keyword["12"], "numbers"), (keyword["Deux"], "po-valid"), (keyword["prisonnier,"], "numbers"),
                (keyword["long titre"], "numbers"), (keyword["Décalé"], "numbers"),
                (text.index(r'"Content-Type: text/plain\n"') + 1, "po-valid"),  # no charset for non-ASCII text
                (text.index(r'"Plural-Forms: nplurals=2; plural=n>1?2:0;\n"') + 1, "po-valid")}

    def located(issues: list[Issue]) -> set[tuple[int, str]]:
        return {(i.line, i.check) for i in issues if i.check in ("numbers", "po-valid")}

    assert located(check_file(path, "es", "fr", GLOSSARY)) == expected
    cat = load(path)
    edited = next(e for e in cat.active if e.msgid.startswith("Texte 12"))
    edited.msgstr = "Texto 14 sin nombre"
    cat.entries.insert(0, Entry(msgid="Nouveau 3", msgstr="Nuevo 4", extracted_comments=["paragraph"]))
    path.write_text("", encoding="utf-8")  # nothing is read again: the lines are the loader's
    assert located(check_catalog(cat, "es", "fr", GLOSSARY)) == expected | {(1, "numbers")}
