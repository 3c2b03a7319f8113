"""`l10n build`: the publishing policy, the three formats and the index, localised furniture, golden output."""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from l10n import furniture, provenance
from l10n.render import text_width

from l10n import po as pofile
from l10n.publish.publish import percent_text
from l10n.status import count
from tests.conftest import DATA, msgcat, msgfmt_check, run

GOLDEN = DATA / "golden" / "render"
UPDATE_GOLDEN = os.environ.get("L10N_UPDATE_GOLDEN") == "1"
FURNITURE = Path(str(resources.files("l10n").joinpath("data", "furniture")))
TEMPLATES = Path(str(resources.files("l10n").joinpath("templates")))
ENGLISH_GROUPS = ["Benin", "Brazil", "Cameroon", "Canada", "Cyprus", "Etat espagnol", "Finland", "France", "Germany",
                  "Italy", "Kazakhstan", "Moldova", "United States", "Europe", "Organisation internationale"]


def configure(project: Path, languages: list[str] | None = None, publish: str | None = None) -> None:
    config = project / "l10n.yaml"
    text = config.read_text(encoding="utf-8")
    if languages is not None:
        text = re.sub(r"(?m)^languages: .*$", f"languages: [{', '.join(languages)}]", text)
    if publish is not None:
        text = re.sub(r"(?m)^publish: .*\n", "", text) + f"publish: {publish}\n"
    config.write_text(text, encoding="utf-8")


def translate_all(project: Path, lang: str) -> None:
    """Stand-in for a translator who reviewed everything."""
    path = project / "locales" / lang / "appeal.po"
    po = pofile.load(path)
    for entry in po.active:
        if not entry.msgstr:
            entry.msgstr = f"[{lang}] {entry.msgid}"
        entry.set_fuzzy(False)
    pofile.save(po)


def read(project: Path, rel: str) -> str:
    return (project / "dist" / rel).read_text(encoding="utf-8")


class Tags(HTMLParser):
    """(tag, attributes, text) of every element, text flattened."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[list] = []
        self._open: list[list] = []

    def handle_starttag(self, tag, attrs):
        element = [tag, dict(attrs), ""]
        self.elements.append(element)
        if tag not in ("meta", "link", "br"):
            self._open.append(element)

    def handle_endtag(self, tag):
        while self._open:
            if self._open.pop()[0] == tag:
                break

    def handle_data(self, data):
        for element in self._open:
            element[2] += data


def elements(html: str, tag: str | None = None) -> list[tuple[str, dict, str]]:
    parser = Tags()
    parser.feed(html)
    return [(t, a, x) for t, a, x in parser.elements if tag is None or t == tag]


# ------------------------------------------------------------------------------------------------ furniture


def shipped_catalogs() -> list[Path]:
    return sorted(FURNITURE.glob("*.po"))


def test_every_expected_furniture_language_is_shipped():
    assert {p.stem for p in shipped_catalogs()} >= {"fr", "en", "es", "de", "it", "pt", "ru", "uk", "ca", "ar"}


@pytest.mark.parametrize("path", shipped_catalogs(), ids=lambda p: p.name)
def test_shipped_furniture_passes_msgfmt_and_translates_every_message(path):
    check = msgfmt_check(path)
    assert check.returncode == 0 and check.stderr == "", check.stderr
    assert msgcat(path) == path.read_bytes()  # laid out as gettext writes it: clean diffs for translators
    po = pofile.load(path)
    assert [e.msgid for e in po.active] == list(furniture.MESSAGES)
    assert all(e.translated for e in po.active)
    for entry in po.active:
        assert ("python-brace-format" in entry.flags) == ("{" in entry.msgid)
    assert po.header_field("Language") == path.stem.replace("-", "_")


def test_template_lists_every_message_and_templates_use_no_other():
    pot = FURNITURE / "furniture.pot"
    assert msgfmt_check(pot).returncode == 0
    assert [e.msgid for e in pofile.load(pot).active] == list(furniture.MESSAGES)
    used = {m for t in TEMPLATES.glob("*.j2") for m in re.findall(r'f\("([^"]+)"\)', t.read_text("utf-8"))}
    assert used and used <= set(furniture.MESSAGES)
    index = (TEMPLATES / "index.html.j2").read_text("utf-8")
    for heading in re.findall(r'"(\w+)"', index.split("{% for h in [", 1)[1].split("]", 1)[0]):
        assert heading in furniture.MESSAGES


def test_furniture_fallback_chain_and_languages():
    assert furniture.chain("pt-BR") == ["pt-BR", "pt"]
    assert furniture.chain("zh-Hant-TW") == ["zh-Hant-TW", "zh-Hant"]  # plain zh is Hans: no fallback for Hant
    assert furniture.load("pt-BR")(furniture.OTHER_LANGUAGES) == furniture.Text("Outras línguas", "pt")
    assert furniture.load("sw")(furniture.OTHER_LANGUAGES) == furniture.Text("Other languages", "en")
    share = furniture.load("ar")(furniture.REVIEWED_COUNT, reviewed="5", total="9")
    assert share == furniture.Text("المقاطع التي راجعها مترجم: 5 من 9.", "ar")


def test_percentages_are_rounded_down_and_localised():
    assert percent_text(99.6, "en") == "99%"
    assert percent_text(38.8, "fr") == "38\u00a0%"
    assert percent_text(100.0, "de") == "100\u00a0%"


def test_a_language_without_furniture_builds_in_english_marked_as_such(project, cli):
    configure(project, languages=["es", "sw"], publish="{source_fallback: mark}")
    run(cli, "extract")
    run(cli, "update")
    run(cli, "build")
    html = read(project, "sw/appeal.html")
    assert '<html lang="sw" dir="ltr">' in html
    assert '<p id="other-languages" lang="en">Other languages</p>' in html
    # The English sentence names French in English, to match it.
    assert '<p lang="en">Passages still in the original language (French): 13 of 13.</p>' in html
    assert ">Kiswahili</a>" in read(project, "es/appeal.html")  # autonym from CLDR, no code, no catalog


def test_a_project_catalog_overrides_and_extends_the_shipped_furniture(project, cli):
    configure(project, languages=["es", "sw"], publish="{source_fallback: mark}")
    run(cli, "extract")
    run(cli, "update")
    for lang, text in (("es", "Más idiomas"), ("sw", "Lugha nyingine")):
        po = pofile.Catalog(path=project / "locales" / lang / furniture.PROJECT_FILE, header=pofile.Entry(
            msgid="", msgstr=f"Content-Type: text/plain; charset=UTF-8\nLanguage: {lang}\n"),
            entries=[pofile.Entry(msgid=furniture.OTHER_LANGUAGES, msgstr=text)])
        pofile.save(po)
    run(cli, "build")
    assert '<p id="other-languages">Más idiomas</p>' in read(project, "es/appeal.html")
    assert '<p id="other-languages">Lugha nyingine</p>' in read(project, "sw/appeal.html")
    assert "Otros idiomas" not in read(project, "es/appeal.html")
    assert "Todos los idiomas" in read(project, "es/appeal.html")  # the rest still shipped


# ------------------------------------------------------------------------------------------------ formats

MD = MarkdownIt("commonmark", {"html": True})


def test_markdown_has_title_paragraphs_signatories_groups_and_lists(project, cli):
    run(cli, "extract")
    run(cli, "update", "--lang", "es")
    translate_all(project, "es")
    run(cli, "build", "--lang", "es")
    tokens = MD.parse(read(project, "es/appeal.md"))
    blocks = [t for t in tokens if t.nesting == 1 and t.level == 0 and t.tag != "blockquote"]
    kinds = [t.tag for t in blocks]
    assert "> **Revisada por traductores y traductoras**\n" in read(project, "es/appeal.md")  # all reviewed
    assert kinds[0] == "h1"
    assert kinds[1:10] == ["p"] * 9  # eight paragraphs and the dateline (the notice is a quote)
    assert kinds[10] == "h2"
    assert kinds[11:] == ["h3", "ul"] * 15
    inline = {id(t): "".join(c.content for c in tokens[i + 1].children)
              for i, t in enumerate(tokens) if t.type == "heading_open"}
    assert inline[id(blocks[10])] == "[es] Liste des signataires"
    items = [t for t in tokens if t.type == "list_item_open"]
    assert len(items) == 43
    assert all(t.type not in ("html_block", "html_inline") for t in tokens)


def test_text_is_wrapped_at_72_columns_with_the_list_grouped_and_indented(project, cli):
    configure(project, publish="{source_fallback: mark}")
    run(cli, "extract")
    run(cli, "update", "--lang", "en")
    run(cli, "build", "--lang", "en")
    text = read(project, "en/appeal.txt")
    assert max(text_width(line) for line in text.splitlines()) <= 72
    signatories = text.split("\n\n\n", 1)[1]
    assert signatories.startswith("Liste des signataires\n=====================\n\nBenin\n    Syndicat national")
    assert "    BAG Russischsprachige Linke (Bundesarbeitsgemeinschaft der Partei\n      Die Linke in Gründung)\n" \
        in signatories
    headings = [line for line in signatories.splitlines() if line and not line.startswith((" ", "="))][1:]
    assert headings == ENGLISH_GROUPS


def test_english_html_groups_in_english_order_and_arabic_is_right_to_left(project, cli):
    configure(project, languages=["en", "es", "ar"], publish="{source_fallback: mark}")
    run(cli, "extract")
    run(cli, "update")
    run(cli, "build")
    html = read(project, "en/appeal.html")
    assert [text for _, _, text in elements(html, "h3")] == ENGLISH_GROUPS
    assert [a.get("lang") for _, a, _ in elements(html, "h3")][-2:] == [None, "fr"]  # Europe from CLDR; fallback
    assert html.startswith('<!DOCTYPE html>\n<html lang="en" dir="ltr">')
    assert read(project, "ar/appeal.html").startswith('<!DOCTYPE html>\n<html lang="ar" dir="rtl">')
    ar = elements(read(project, "ar/appeal.html"))
    assert ("p", {"lang": "fr", "dir": "ltr", "data-state": "fallback"},
            "Nous exigeons l'arrêt des tortures et la libération d'Azat Miftakhov.") in ar
    assert ("a", {"href": "../ar/appeal.html", "hreflang": "ar", "lang": "ar", "dir": "rtl"}, "العربية") \
        in elements(html, "a")


def test_html_links_alternates_nav_and_index(project, cli):
    configure(project, languages=["en", "es", "de"], publish="{source_fallback: mark}")
    run(cli, "extract")
    run(cli, "update")
    run(cli, "build")
    html = read(project, "es/appeal.html")
    links = [(a["hreflang"], a["href"]) for _, a, _ in elements(html, "link") if a.get("rel") == "alternate"]
    assert links == [("fr", "../fr/appeal.html"), ("en", "../en/appeal.html"), ("es", "../es/appeal.html"),
                     ("de", "../de/appeal.html"), ("x-default", "../index.html")]
    nav = [(a["href"], text) for _, a, text in elements(html, "a")]
    assert nav == [("../fr/appeal.html", "Français"), ("../en/appeal.html", "English"),
                   ("../de/appeal.html", "Deutsch"), ("../index.html", "Todos los idiomas")]
    index = read(project, "index.html")
    assert '<html lang="fr" dir="ltr">' in index and "<title>Traductions</title>" in index
    rows = [a["data-lang"] for _, a, _ in elements(index, "tr") if "data-lang" in a]
    assert rows == ["fr", "en", "es", "de"]
    hrefs = [a["href"] for _, a, _ in elements(index, "a")]
    assert hrefs == [f"{lang}/appeal.{ext}" for lang in ("fr", "en", "es", "de")
                     for ext in ("html", "md", "txt", "pdf", "eml")]
    # Nothing is reviewed yet: country names and organisation names kept as written are no review.
    assert "Español" in index and "Espagnol" in index and "0\u00a0%" in index and "Texte original" in index
    original = read(project, "fr/appeal.html")
    assert original.startswith('<!DOCTYPE html>\n<html lang="fr" dir="ltr">') and "notice" not in \
        original.split("<body>", 1)[1]
    assert "<h1>L&#39;ASSOCIATION SOLIDARITÉ FREEAZAT" in original
    assert [(a["hreflang"], a["href"]) for _, a, _ in elements(original, "link") if a.get("rel") == "alternate"] == \
        links


def test_a_page_with_no_other_language_has_no_empty_heading_and_an_empty_index_says_so(project, cli):
    configure(project, languages=["de"])
    run(cli, "extract")
    run(cli, "update")
    result = run(cli, "build")
    assert "de/appeal: skipped (10 of 10 title and body passage(s) have no German text; " \
           "publish.source_fallback: skip)" in result.output
    original = read(project, "fr/appeal.html")
    assert "other-languages" not in original and "Autres langues" not in original  # nothing to list
    assert '<a href="../index.html">Toutes les langues</a>' in original
    index = read(project, "index.html")
    assert "Aucune langue n&#39;a encore été publiée." in index
    rows = [(a["data-lang"], a.get("class")) for _, a, _ in elements(index, "tr") if "data-lang" in a]
    assert rows == [("fr", None), ("de", "unavailable")]
    assert "Pas encore disponible" in index and "de/" not in index  # never a link to French under another name


def test_french_fallback_and_drafts_are_marked_and_announced(project, cli):
    configure(project, publish="{source_fallback: mark}")
    run(cli, "extract")
    run(cli, "update", "--lang", "es")
    po = pofile.load(project / "locales" / "es" / "appeal.po")
    entry = po.index()[(None, "Nous exigeons l'arrêt des tortures et la libération d'Azat Miftakhov.")]
    entry.msgstr = "Exigimos el fin de las torturas y la liberación de Azat Miftakhov."
    entry.translator_comments = [provenance.Provenance(provenance.MACHINE, "apertium fr>es",
                                                       provenance.digest(entry.msgstr)).comment()]
    entry.set_fuzzy(True)
    pofile.save(po)
    run(cli, "build", "--lang", "es")
    html = read(project, "es/appeal.html")
    assert "Exigimos" not in html  # reviewed only by default
    assert '<p class="notice-title"><strong>Traducción en curso</strong></p>' in html
    # 10 passages of text and 3 headings (the list, Etat espagnol, Organisation internationale) need a
    # translator; country names from CLDR and organisation names do not count.
    assert "<p>Pasajes aún en el idioma original (francés): 13 de 13.</p>" in html
    assert "Solo el" not in html and "%" not in html.split("<body>", 1)[1]  # counts, no percentage
    assert '<h1 lang="fr" data-state="fallback">' in html
    run(cli, "build", "--lang", "es", "--allow-fuzzy")
    html = read(project, "es/appeal.html")
    assert '<p data-state="machine">Exigimos el fin' in html
    assert '<p class="notice-title"><strong>Traducción automática, aún sin revisar</strong></p>' in html
    assert "Los pasajes resaltados son traducción automática" in html
    assert "Pasajes aún en el idioma original (francés): 12 de 13." in html
    md = read(project, "es/appeal.md")
    assert "> **Traducción automática, aún sin revisar**" in md
    text = read(project, "es/appeal.txt")
    assert text.startswith("Traducción automática, aún sin revisar\nLos pasajes resaltados son traducción")


def test_banner_counts_reviewed_passages_and_agrees_with_the_index(project, cli):
    configure(project, languages=["es"])
    run(cli, "extract")
    run(cli, "update")
    run(cli, "pretranslate")
    po = pofile.load(project / "locales" / "es" / "appeal.po")
    for entry in [e for e in po.active if e.fuzzy][:3]:  # a translator accepts three drafts
        entry.set_fuzzy(False)
    pofile.save(po)
    run(cli, "build", "--allow-fuzzy")
    html = read(project, "es/appeal.html")
    assert "<p>Pasajes revisados por un traductor o una traductora: 3 de 10.</p>" in html
    assert "Traducción automática, aún sin revisar" in html
    counts = count(pofile.load(po.path))
    assert counts.entries["reviewed"] == 3 and counts.percent > 0
    index = read(project, "index.html")
    row = next(x for _, a, x in elements(index, "tr") if a.get("data-lang") == "es")
    assert "Traduction automatique, pas encore relue" in row
    assert percent_text(counts.percent, "fr") in row  # the index's share is status's


def test_sentence_mode_marks_each_fallback_sentence(project, cli):
    configure(project, publish="{source_fallback: mark}")
    config = project / "l10n.yaml"
    config.write_text(config.read_text().replace("segmentation: paragraph", "segmentation: sentence"))
    run(cli, "extract")
    run(cli, "update", "--lang", "es")
    po = pofile.load(project / "locales" / "es" / "appeal.po")
    first = po.index()[(None, "Depuis 2019, Azat Miftakhov est incarcéré dans le cadre d'une procédure judiciaire "
                              "fabriquée, reconnue comme un procès politique par de nombreuses organisations "
                              "internationales.")]
    first.msgstr = "Desde 2019, Azat Miftakhov está encarcelado."
    pofile.save(po)
    run(cli, "build", "--lang", "es")
    html = read(project, "es/appeal.html")
    assert '<p>Desde 2019, Azat Miftakhov está encarcelado. <span lang="fr" data-state="fallback">Ces derniers ' \
           'jours' in html


# ------------------------------------------------------------------------------------------------ policy


def test_fresh_project_publishes_only_the_original_and_says_why(project, cli):
    run(cli, "extract")
    run(cli, "update")
    result = run(cli, "build")
    languages = ["en", "es", "de", "it", "pt", "ru", "uk", "ca"]
    for lang in languages:
        assert f"{lang}/appeal: skipped (10 of 10 title and body passage(s) have no " in result.output
        assert not (project / "dist" / lang).exists()
    assert (project / "dist" / "fr" / "appeal.html").is_file()
    index = read(project, "index.html")
    assert [a["data-lang"] for _, a, _ in elements(index, "tr") if "data-lang" in a] == ["fr", *languages]
    assert index.count("Pas encore disponible") == len(languages)
    assert "Aucune langue n&#39;a encore été publiée." in index

    configure(project, publish="{source_fallback: mark}")  # publish them anyway, marked
    run(cli, "build")
    for lang in languages:
        html = read(project, f"{lang}/appeal.html")
        assert 'class="notice notice-fallback"' in html
        assert furniture.load(lang)(furniture.PARTIAL_TITLE).text in html
        assert "data-state=\"machine\"" not in html
    index = read(project, "index.html")
    assert index.count("Traduction en cours") == len(languages) and "Aucune langue" not in index


def test_skip_policy_removes_a_language_below_the_threshold_and_banner_keeps_it(project, cli):
    configure(project, publish="{source_fallback: mark}")
    run(cli, "extract")
    run(cli, "update", "--lang", "es", "--lang", "de")
    translate_all(project, "es")  # 100 %; de has only CLDR names and organisations: 0 % of its text
    run(cli, "build", "--lang", "es", "--lang", "de")
    assert (project / "dist" / "de" / "appeal.html").exists()  # default: banner
    (project / "dist" / "de" / "notes.txt").write_text("not ours")

    configure(project, publish="{min_reviewed: 50, unreviewed: skip}")
    result = run(cli, "build", "--lang", "es", "--lang", "de")
    assert "de/appeal: skipped (0.0% reviewed)" in result.output
    assert sorted(p.name for p in (project / "dist" / "de").iterdir()) == ["notes.txt"]  # stale outputs gone
    (project / "dist" / "de" / "notes.txt").unlink()
    run(cli, "build", "--lang", "es", "--lang", "de")
    assert not (project / "dist" / "de").exists()
    es = read(project, "es/appeal.html")
    assert "../de/" not in es and 'hreflang="de"' not in es
    assert '<div class="notice notice-reviewed" role="note">' in es  # fully reviewed: says so, nothing else
    assert "Revisada por traductores y traductoras" in es and "notice-machine" not in es
    index = read(project, "index.html")
    assert "de/appeal" not in index and "Pas encore disponible" in index
    assert "Entièrement relue" in index

    configure(project, publish="{min_reviewed: 50, unreviewed: banner, source_fallback: mark}")
    run(cli, "build", "--lang", "es", "--lang", "de")
    de = read(project, "de/appeal.html")
    assert "Übersetzung in Arbeit" in de and "Abschnitte noch in der Originalsprache (Französisch): 13 von 13." in de
    assert 'hreflang="de"' in read(project, "es/appeal.html")
    assert 'data-lang="de"' in read(project, "index.html")

    result = run(cli, "build", "--lang", "es", "--lang", "de", "--min-complete", "40")
    assert "de/appeal: skipped" in result.output and not (project / "dist" / "de").exists()


def test_above_the_threshold_no_banner_but_fallback_still_announced(project, cli):
    run(cli, "extract")
    run(cli, "update", "--lang", "es")
    translate_all(project, "es")
    po = pofile.load(project / "locales" / "es" / "appeal.po")
    heading = po.index()[(None, "Liste des signataires")]
    heading.msgstr = ""  # one heading left to translate; title and body are reviewed
    pofile.save(po)
    configure(project, publish="{min_reviewed: 30, unreviewed: skip}")
    run(cli, "build", "--lang", "es")
    html = read(project, "es/appeal.html")
    assert "notice-machine" not in html and "notice-fallback" in html
    assert "Pasajes revisados por un traductor o una traductora: 12 de 13." in html
    assert "Partiellement relue" in read(project, "index.html")


def test_building_one_language_keeps_the_others_linked(project, cli):
    configure(project, languages=["en", "es", "de"], publish="{source_fallback: mark}")
    run(cli, "extract")
    run(cli, "update")
    run(cli, "build")
    run(cli, "build", "--lang", "es")
    index = read(project, "index.html")
    assert [a["data-lang"] for _, a, _ in elements(index, "tr") if "data-lang" in a] == ["fr", "en", "es", "de"]
    assert 'hreflang="de"' in read(project, "es/appeal.html")


# ------------------------------------------------------------------------------------------------ golden


def deterministic_spanish(project: Path) -> None:
    """Every state a segment can be in, by position: reviewed, machine draft, human draft, empty (fallback);
    plus markup characters a translator might type, to pin their escaping in each format."""
    path = project / "locales" / "es" / "appeal.po"
    po = pofile.load(path)
    empty = [e for e in po.active if not e.msgstr]
    for i, entry in enumerate(empty):
        text = f"ES{i:02d} {entry.msgid}"
        if i % 4 == 0:
            entry.msgstr = text
        elif i % 4 == 1:
            entry.msgstr = text
            entry.translator_comments = [provenance.Provenance(provenance.MACHINE, "apertium fr>es",
                                                               provenance.digest(text)).comment()]
            entry.set_fuzzy(True)
        elif i % 4 == 2:
            entry.msgstr = text
            entry.set_fuzzy(True)
    index = po.index()
    index[(None, "Etat espagnol")].msgstr = "Estado <i>español</i> & *CGT* [1]"
    index[(None, "Etat espagnol")].set_fuzzy(False)
    index[(None, "Campagne #FREE120")].msgstr = "Campaña #FREE120 #"
    pofile.save(po)


@pytest.mark.parametrize("name", ["es/appeal.txt", "es/appeal.md", "es/appeal.html", "index.html"])
def test_golden_spanish_output(project, cli, name):
    configure(project, languages=["es", "en"], publish="{source_fallback: mark}")
    run(cli, "extract")
    run(cli, "update", "--lang", "es")
    deterministic_spanish(project)
    run(cli, "build", "--allow-fuzzy")
    out = read(project, name)
    golden = GOLDEN / name.replace("/", ".")
    if UPDATE_GOLDEN:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(out, encoding="utf-8")
    assert out == golden.read_text(encoding="utf-8"), f"regenerate with L10N_UPDATE_GOLDEN=1 if intended: {name}"
