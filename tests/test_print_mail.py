"""`l10n build` for print and mail: a PDF per language (WeasyPrint) and an e-mail per language (.eml), and plain
text without wrapping for web forms. The PDFs are read back with poppler's tools and pypdf, the e-mails with
Python's own parser."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import unicodedata
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from babel.dates import format_date
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject

from l10n import langs, publication

from l10n import po as pofile
from l10n import render
from l10n.publish.mail import sentence_case
from l10n.publish.pdf import css_string, own_links, publication_date
from l10n.config import load_config
from tests.conftest import DATA
from tests.test_publish import configure, read, run
from tests.test_render_safety import HOSTILE, write_hostile_catalog

pytestmark = pytest.mark.real_pdf  # these look at the PDFs themselves

RUSSIAN = yaml.safe_load((DATA / "print" / "ru.yaml").read_text(encoding="utf-8"))
#: where the page pictures go for the developer to look at: $L10N_TEST_ARTIFACTS, or pytest's temporary tree
#: (basetemp/pdf-pictures0/, kept for the last three runs)
ARTIFACTS = os.environ.get("L10N_TEST_ARTIFACTS")


def fill_russian(project: Path) -> None:
    """A translator's reviewed Russian text for the body; country names and organisations as `update` left them."""
    path = project / "locales" / "ru" / "appeal.po"
    po = pofile.load(path)
    for entry in po.active:
        if entry.msgid in RUSSIAN:
            entry.msgstr = RUSSIAN[entry.msgid]
        entry.set_fuzzy(False)
    pofile.save(po)


def tool(*args: str) -> str:
    """A poppler-utils command; CI installs them, so a missing one is a failure, not a skip."""
    assert shutil.which(args[0]), f"{args[0]} missing: install poppler-utils (scripts/setup)"
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def pdf_text(path: Path) -> str:
    """pdftotext's reading, whitespace folded (lines of a column join with a space, or nothing after a hyphen)."""
    text = tool("pdftotext", "-enc", "UTF-8", str(path), "-")
    return re.sub(r"\s+", " ", text)


def found(name: str, text: str) -> bool:
    squeezed = re.sub(r"- ", "-", text)
    return re.sub(r"\s+", " ", name) in text or name in squeezed


def page_count(path: Path) -> int:
    return int(re.search(r"(?m)^Pages:\s+(\d+)$", tool("pdfinfo", str(path))).group(1))


def signatories(project: Path, lang: str) -> list[str]:
    """Every organisation and country heading as the language's catalog has it (msgstr)."""
    po = pofile.load(project / "locales" / lang / "appeal.po")
    roles = ("organisation", "country", "group", "region")
    return [e.msgstr or e.msgid for e in po.active
            if any(c.startswith(roles) for c in e.extracted_comments)]


def resolve(obj):
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def walk(obj, seen: set[int] | None = None):
    """Every dictionary reachable from obj (the whole PDF from its trailer), each once."""
    seen = set() if seen is None else seen
    obj = resolve(obj)
    if id(obj) in seen:
        return
    seen.add(id(obj))
    if isinstance(obj, DictionaryObject):
        yield obj
        for value in obj.values():
            yield from walk(value, seen)
    elif isinstance(obj, list):
        for value in obj:
            yield from walk(value, seen)


def actions(path: Path) -> tuple[list[str], list[str]]:
    """(every /URI target, every other kind of action or script) anywhere in the PDF."""
    reader = PdfReader(path)
    uris, others = [], []
    for obj in walk(reader.trailer):
        if "/URI" in obj:
            uris.append(str(obj["/URI"]))
        for key in ("/JavaScript", "/JS", "/Launch", "/OpenAction", "/AA", "/EmbeddedFiles", "/SubmitForm",
                    "/ImportData", "/GoToR", "/AcroForm", "/RichMedia"):
            if key in obj:
                others.append(key)
        if "/A" in obj and resolve(obj["/A"]).get("/S") not in ("/URI", "/GoTo"):  # (a tag's /S is its role)
            others.append(str(resolve(obj["/A"]).get("/S")))
    return uris, others


def _cmap(data: bytes) -> dict[int, str]:
    """A ToUnicode CMap: glyph → text (bfchar and bfrange entries)."""
    out: dict[int, str] = {}
    text = data.decode("latin-1")

    def uni(hexa: str) -> str:
        return bytes.fromhex(hexa).decode("utf-16-be")

    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for cid, value in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            out[int(cid, 16)] = uni(value)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for low, high, value in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            for offset, cid in enumerate(range(int(low, 16), int(high, 16) + 1)):
                out[cid] = chr(ord(uni(value)) + offset)
    return out


def drawn_characters(path: Path) -> tuple[set[str], set[str]]:
    """(characters drawn with a real glyph of an embedded font, characters drawn with .notdef or an empty glyph).

    WeasyPrint writes CID fonts with an identity CID → glyph map: the ToUnicode CMap says which text each glyph
    stands for, and the embedded font program says whether that glyph has an outline."""
    reader = PdfReader(path)
    good, bad = set(), set()
    for page in reader.pages:
        for font in resolve(page["/Resources"]["/Font"]).values():
            font = resolve(font)
            descendant = resolve(font["/DescendantFonts"][0])
            assert descendant["/CIDToGIDMap"] == "/Identity"
            program = resolve(descendant["/FontDescriptor"])["/FontFile2"]  # embedded, or KeyError
            ttf = TTFont(io.BytesIO(resolve(program).get_data()))
            order = ttf.getGlyphOrder()
            glyf = ttf["glyf"]
            for gid, chars in _cmap(resolve(font["/ToUnicode"]).get_data()).items():
                outline = gid and gid < len(order) and glyf[order[gid]].numberOfContours != 0
                for char in chars:
                    (good if outline or char.isspace() else bad).add(char)
    return good, bad - good


class BodyText(HTMLParser):
    """The text of an HTML document's <body>, and every URL an attribute or a style names."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text, self.urls, self.tags, self._in_body = [], [], [], False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self._in_body = self._in_body or tag == "body"
        for name, value in attrs:
            value = value or ""
            if name in ("href", "src", "srcset", "action", "background", "poster", "data", "cite"):
                self.urls.append(value)
            self.urls += re.findall(r"url\(([^)]*)\)", value)

    def handle_data(self, data):
        if self._in_body:
            self.text.append(data)


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def html_of(message: EmailMessage) -> tuple[str, str]:
    plain, html = (part.get_content() for part in message.iter_parts())
    return plain, html


@pytest.fixture
def printed(prepared, cli) -> Path:
    """es (Apertium drafts, published with --allow-fuzzy), ru (reviewed body), ar (right to left, French
    fallback), built in every format."""
    def steps(project: Path) -> None:
        configure(project, languages=["es", "ru", "ar"], publish="{source_fallback: mark}")
        run(cli, "extract")
        run(cli, "update")
        run(cli, "pretranslate", "--lang", "es")
        fill_russian(project)
        run(cli, "build", "--allow-fuzzy")

    return prepared("printed", steps)


def lines_of(pdf: Path) -> list[list[tuple[float, float, float, str]]]:
    """Per page, every line poppler finds: (x min, y min, x max, text)."""
    layout = tool("pdftotext", "-bbox-layout", str(pdf), "-")
    return [[(float(x0), float(y0), float(x1), " ".join(re.findall(r">([^<]*)</word>", xml)))
             for x0, y0, x1, xml in re.findall(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                                               r'yMax="[\d.]+">(.*?)</line>', page, re.S)]
            for page in layout.split("<page ")[1:]]


def headings_left_alone(pdf: Path, headings: list[str]) -> list[str]:
    """Headings with nothing set right below them in their column on the same page (at the foot of a column or a
    page, away from the organisations they head)."""
    alone = []
    for page in lines_of(pdf):
        for x0, y0, _, text in page:
            if text in headings and not any(abs(x - x0) < 15 and 0 < y - y0 < 30 for x, y, _, _ in page):
                alone.append(text)
    return alone


def keep_picture(pdf: Path, name: str, folder: Path) -> Path:
    """Page 1 as a PNG, kept for the developer to see."""
    tool("pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(folder / name))
    picture = folder / f"{name}.png"
    assert picture.stat().st_size > 10_000
    return picture


# --------------------------------------------------------------------------------------------- PDF


@pytest.mark.slow
def test_spanish_and_russian_pdfs_hold_the_whole_appeal_as_text(printed, tmp_path_factory):
    pictures = Path(ARTIFACTS) if ARTIFACTS else tmp_path_factory.mktemp("pdf-pictures")
    pictures.mkdir(parents=True, exist_ok=True)
    for lang in ("es", "ru"):
        pdf = printed / "dist" / lang / "appeal.pdf"
        text = pdf_text(pdf)
        missing = [name for name in signatories(printed, lang) if not found(name, text)]
        assert missing == [], (lang, missing)
        assert page_count(pdf) <= 3
        assert "A4" in tool("pdfinfo", str(pdf))
        keep_picture(pdf, f"{lang}-page1", pictures)
        html = read(printed, f"{lang}/appeal.html")
        headings = [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<h[23][^>]*>(.*?)</h[23]>", html)]
        assert len(headings) > 10 and headings_left_alone(pdf, headings) == []
    ru = pdf_text(printed / "dist" / "ru" / "appeal.pdf")
    for source, russian in RUSSIAN.items():  # the Russian text is text: extracted exactly as written
        assert re.sub(r"\s+", " ", russian) in ru, source
    assert "Германия" in ru and "Соединенные Штаты" in ru  # country headings from CLDR
    es = pdf_text(printed / "dist" / "es" / "appeal.pdf")
    assert "Traducción automática, aún sin revisar" in es  # the HTML's machine-translation notice


@pytest.mark.slow
def test_headings_stay_with_what_they_head_wherever_the_page_ends(printed, tmp_path):
    """The body grows a paragraph at a time, moving every page and column break through the list: the
    signatories heading and each country heading always have their first organisation below them."""
    from l10n.publish.pdf import render_pdf

    html = read(printed, "es/appeal.html")
    headings = [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<h[23][^>]*>(.*?)</h[23]>", html)]
    paragraph = re.search(r"<p[^>]*>Exigimos.*?</p>\n", html).group(0)
    pdf = tmp_path / "grown.pdf"
    for extra in range(12):
        pdf.write_bytes(render_pdf(html.replace(paragraph, paragraph * (1 + extra), 1), "es", "a4",
                                   publication_date(None), frozenset()))
        assert headings_left_alone(pdf, headings) == [], extra


@pytest.mark.slow
def test_russian_pdf_draws_every_character_with_an_embedded_glyph(printed):
    pdf = printed / "dist" / "ru" / "appeal.pdf"
    fonts = tool("pdffonts", str(pdf)).splitlines()[2:]
    assert fonts and all(re.search(r"\byes\s+yes\s+yes\b", line) for line in fonts), fonts  # emb, sub, uni
    good, bad = drawn_characters(pdf)
    assert bad == set()
    cyrillic = {c for text in RUSSIAN.values() for c in text if "CYRILLIC" in unicodedata.name(c, "")}
    assert len(cyrillic) > 40 and cyrillic <= good, cyrillic - good


@pytest.mark.slow
def test_pdf_metadata_footer_page_numbers_and_paper(printed, cli):
    pdf = printed / "dist" / "ru" / "appeal.pdf"
    reader = PdfReader(pdf)
    assert reader.trailer["/Root"]["/Lang"] == "ru"
    assert reader.metadata.title == re.sub(r"\s+", " ", RUSSIAN[next(iter(RUSSIAN))])
    record = publication.load(publication.record_path(load_config(printed / "l10n.yaml"), "ru",
                                                      Path("source/appeal.fr.txt")))
    day = publication_date(record["date"])  # the day of the last publication that changed the Russian text
    assert reader.metadata["/CreationDate"] == f"D:{day:%Y%m%d}"
    pages = page_count(pdf)
    for number in range(1, pages + 1):
        page = tool("pdftotext", "-f", str(number), "-l", str(number), "-enc", "UTF-8", str(pdf), "-")
        assert re.search(rf"(?m)^{number} ?/ ?{pages}$", page)  # pdftotext may drop the spaces
        assert re.sub(r"\s+", " ", f"Русский · {format_date(day, format='long', locale='ru')}") in \
            re.sub(r"\s+", " ", page)
    # letter paper, and a build repeated writes the same bytes
    before = pdf.read_bytes()
    configure(printed, publish="{source_fallback: mark, pdf: {paper: letter}}")
    run(cli, "build", "--allow-fuzzy", "--format", "pdf", "--lang", "ru")
    assert "letter" in tool("pdfinfo", str(pdf))
    configure(printed, publish="{source_fallback: mark, pdf: {paper: a4}}")
    run(cli, "build", "--allow-fuzzy", "--format", "pdf", "--lang", "ru")
    assert pdf.read_bytes() == before


@pytest.mark.slow
def test_arabic_pdf_runs_right_to_left(printed):
    pdf = printed / "dist" / "ar" / "appeal.pdf"
    layout = tool("pdftotext", "-f", "1", "-l", "1", "-bbox-layout", str(pdf), "-")
    width, height = (float(v) for v in re.search(r'<page width="([\d.]+)" height="([\d.]+)"', layout).groups())
    lines = [(float(x0), float(y0), float(x1), " ".join(re.findall(r">([^<]*)</word>", xml)))
             for x0, y0, x1, xml in re.findall(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">'
                                               r'(.*?)</line>', layout, re.S)]
    footer = [line for line in lines if line[1] > height - 60]
    date = [line for line in footer if "2026" in line[3]]
    number = [line for line in footer if re.search(r"\d ?/ ?\d", line[3])]
    assert date and date[0][0] > width / 2  # the language and the date on the right, where a line starts
    assert number and number[0][2] < width / 2  # page numbers on the left
    title = min(y for _, y, _, text in lines if "ASSOCIATION SOLIDARITÉ" in text)
    notice = [line for line in lines if re.search(r"[\u0600-\u06ff]", line[3]) and line[1] < title]
    assert notice and all(x1 > width - 80 for _, _, x1, _ in notice)  # the Arabic notice is set flush right
    french = [line for line in lines if line[3].startswith("Depuis 2019")]
    assert french and french[0][0] < 80  # the French fallback paragraph keeps its own direction


@pytest.mark.slow
def test_a_hostile_catalog_gives_a_pdf_with_no_action_but_the_appeals_own_links(project, cli):
    configure(project, languages=["es"], publish="{source_fallback: mark}")
    source = project / "source" / "appeal.fr.txt"
    own = "https://freeazat.example/appel"
    text = source.read_text(encoding="utf-8")
    source.write_text(text.replace("Paris, le 21 mai 2026", f"Plus d'informations : {own}\n\nParis, le 21 mai 2026"),
                      encoding="utf-8")
    run(cli, "extract")
    run(cli, "update")
    write_hostile_catalog(project)
    po = pofile.load(project / "locales" / "es" / "appeal.po")
    extra = {
        f"Plus d'informations : {own}": f"Más información: {own} https://evil.example/phish "
                                        "<a href=\"https://evil.example/a\">a</a>",
        "Zone de Liberté": "<link rel=\"attachment\" href=\"file:///etc/passwd\"><img src=\"http://127.0.0.1:9/x\">"
                           "<object data=\"javascript:alert(1)\"></object>Zona",
    }
    for entry in po.active:
        if entry.msgid in extra:
            entry.msgstr = extra[entry.msgid]
            entry.set_fuzzy(False)
    pofile.save(po)
    run(cli, "build", "--format", "pdf", "--format", "eml")
    assert not (project / "dist" / "es" / "appeal.html").exists()  # only what was asked for
    pdf = project / "dist" / "es" / "appeal.pdf"
    uris, others = actions(pdf)
    assert others == []
    assert set(uris) <= {own}, uris
    reader = PdfReader(pdf)
    assert "/EmbeddedFiles" not in str(reader.trailer["/Root"].get("/Names", {}))
    text = pdf_text(pdf)
    assert "<script>document.title='pwned'</script>" in text  # shown as the text it is
    assert "https://evil.example/phish" in text
    # every organisation and heading, hostile ones included, as the text it is (spaces aside: a long run without
    # one, such as document.title='pwned', is cut to fit its column)
    solid = re.sub(r"\s+", "", text)
    missing = [name for name in signatories(project, "es") if re.sub(r"\s+", "", render.clean(name)) not in solid]
    assert missing == []
    assert page_count(pdf) <= 3
    message = message_from_bytes((project / "dist" / "es" / "appeal.eml").read_bytes(), policy=default)
    plain, html = html_of(message)
    parsed = BodyText()
    parsed.feed(html)
    assert "script" not in parsed.tags and "link" not in parsed.tags and "img" not in parsed.tags
    assert set(parsed.urls) <= {own}, parsed.urls
    assert HOSTILE["LDH"] in "".join(parsed.text)
    assert words("".join(parsed.text)) == words(plain)


# --------------------------------------------------------------------------------------------- e-mail


@pytest.mark.slow
def test_email_has_two_alternatives_with_the_same_words_and_nothing_to_fetch(printed):
    for lang in ("es", "ru", "ar"):
        raw = (printed / "dist" / lang / "appeal.eml").read_bytes()
        message = message_from_bytes(raw, policy=default)
        assert message.get_content_type() == "multipart/alternative"
        parts = list(message.iter_parts())
        assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
        assert all(p.get_content_charset() == "utf-8" for p in parts)
        assert message["Content-Language"] == lang
        plain, html = html_of(message)
        assert plain == read(printed, f"{lang}/appeal.txt")
        parsed = BodyText()
        parsed.feed(html)
        assert "script" not in parsed.tags and "style" not in parsed.tags and "link" not in parsed.tags
        assert parsed.urls == []  # the appeal has no links of its own: nothing external at all
        assert words("".join(parsed.text)) == words(plain), lang
        assert 'style="' in html  # inline styles, which mail clients keep
    ru = message_from_bytes((printed / "dist" / "ru" / "appeal.eml").read_bytes(), policy=default)
    assert ru["Subject"] == ("Ассоциация «солидарность FreeAzat» и её комитет поддержки бьют тревогу: Азат "
                             "Мифтахов, российский математик и диссидент, подвергается пыткам в путинских застенках")
    assert "dir=\"rtl\"" in html_of(message_from_bytes((printed / "dist" / "ar" / "appeal.eml").read_bytes(),
                                                       policy=default))[1]


def test_subject_is_the_title_in_sentence_case_keeping_names_the_body_capitalises():
    body = ["Depuis 2019, Azat Miftakhov est incarcéré à Kharp (IK-18) par le régime.", "Solidarité FreeAzat"]
    assert sentence_case("L'ASSOCIATION SOLIDARITÉ FREEAZAT ALERTE : AZAT MIFTAKHOV EST À KHARP (IK-18) ET LE "
                         "RÉGIME", body) == \
        "L'association solidarité FreeAzat alerte : Azat Miftakhov est à Kharp (IK-18) et le régime"
    assert sentence_case("Die Linke fordert Freiheit", ["Wir fordern Freiheit für alle."]) == \
        "Die linke fordert Freiheit"
    assert sentence_case("عنوان", []) == "عنوان"


# --------------------------------------------------------------------------------------------- text, config


def test_unwrapped_text_keeps_each_paragraph_on_one_line(project, cli):
    configure(project, languages=["es"])
    configure(project, publish="{source_fallback: mark, txt: {wrap: 0}}")
    run(cli, "extract")
    run(cli, "update")
    run(cli, "build", "--format", "txt")
    text = read(project, "es/appeal.txt")
    source = (project / "source" / "appeal.fr.txt").read_text(encoding="utf-8")
    for paragraph in [p for p in source.split("\n\n") if len(p) > 200 and "\n" not in p.strip()]:
        assert f"\n{paragraph.strip()}\n" in text
    assert "    BAG Russischsprachige Linke (Bundesarbeitsgemeinschaft der Partei Die Linke in Gründung)\n" in text
    assert sorted(str(p.relative_to(project / "dist")) for p in (project / "dist").rglob("*") if p.is_file()) == \
        ["es/appeal.txt", "fr/appeal.txt"]  # --format txt: nothing else, not even the index


@pytest.mark.parametrize("publish, message", [
    ("{pdf: {paper: a3}}", "publish.pdf.paper must be one of a4, letter, not 'a3'"),
    ("{txt: {wrap: 10}}", "publish.txt.wrap must be a number of columns from 20 to 1000, or 0 not to wrap"),
    ("{txt: {wrap: yes}}", "publish.txt.wrap must be a number of columns from 20 to 1000, or 0 not to wrap"),
    ("{pdf: {size: a4}}", "unknown key 'size' in publish.pdf"),
    ("{txt: 72}", "publish.txt: expected a mapping of keys to values"),
])
def test_print_and_text_settings_are_checked(project, cli, publish, message):
    configure(project, publish=publish)
    result = cli("build")
    assert result.exit_code == 2
    assert message in result.stderr


def test_build_format_rejects_an_unknown_format(project, cli):
    result = cli("build", "--format", "docx")
    assert result.exit_code == 2
    assert "docx" in result.stderr


def test_without_weasyprint_the_pdf_is_one_clear_error(project, cli, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_pango(name, *args, **kwargs):
        if name.startswith("weasyprint"):
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)

    configure(project, languages=["es"])
    run(cli, "extract")
    monkeypatch.setattr(builtins, "__import__", no_pango)
    result = cli("build", "--format", "pdf")
    assert result.exit_code == 1
    assert result.stderr == ("l10n: error: cannot write PDF: WeasyPrint or Pango is missing (cannot load library "
                             "'libpango-1.0-0'); run scripts/setup, or build other formats with --format\n")
    monkeypatch.setattr(builtins, "__import__", real_import)
    run(cli, "build", "--format", "eml")  # the other formats need neither


def test_helpers_for_the_pdf():
    assert css_string('Esp"añol\\ · <x>\n') == '"Esp\\22 añol\\5c  · \\3c x\\3e \\a "'
    assert own_links(["Voir https://a.example/x. Et http://b.example/y?z=1, fin", "rien"]) == \
        frozenset({"https://a.example/x", "http://b.example/y?z=1"})
    assert str(publication_date("2026-05-21 10:00+0000")) == "2026-05-21"
    assert publication_date(None) is not None
