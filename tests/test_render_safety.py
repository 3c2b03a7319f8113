"""Translations are untrusted: whatever a translator or an engine writes (markup, links, entities, line breaks)
must come out of build as inert text in HTML and Markdown, and read exactly as written."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from l10n import furniture

from l10n import po as pofile
from l10n import render
from l10n.assemble import FALLBACK, REVIEWED, Assembled, BodyBlock, GroupOut, Piece
from l10n.publish.publish import _lang_dir

# --------------------------------------------------------------------------------------------- hostile input

PAYLOADS = [
    "<script>document.title='pwned'</script>",
    "<img src=x onerror=\"document.title='pwned'\">",
    "[clic](javascript:alert(1))",
    "<a href=\"javascript:document.title='pwned'\">enlace</a>",
    "<div><b>raw</b> HTML</div>",
    "&lt;script&gt; &amp; &#106;avascript &#x3C;",
    "<javascript:alert(1)>",
    "[x]: javascript:alert(1)",
    "[x]\n\n[x]: javascript:alert(1)",
    "texto\n\n<script>alert(1)</script>\n# título\n- lista",
    "![img](javascript:alert(1))",
    "<!-- comentario --> <?php echo 1; ?> <![CDATA[x]]>",
    "`code` *em* _em_ __strong__ ~~tachado~~ snake_case",
    "\\[escapado](javascript:alert(1))",
    "2019. Una lista numerada",
    "1) otra",
    "- guion",
    "> cita",
    "=== setext",
    "# cierre ##",
    "    código indentado",
    "| a | b |\n|---|---|\n| c | d |",
    "línea\rcon\u2028separadores\u2029y\x0btabs\tvarios\x85",
    "control\x00\x1b[31mrojo\x7f",
    "<https://example.org> <mailto:a@example.org>",
    "http://example.org www.example.org a@example.org",
    "Tom & Jerry's <3 > 2",
]

#: msgid → hostile msgstr: the title, paragraphs, the dateline, the signatories heading, a country heading, a
#: committee heading and organisations; every one reviewed (not fuzzy), so build publishes it as is.
HOSTILE = {
    "TITLE": "</title><script>document.title='pwned'</script><img src=x onerror=\"document.title='pwned'\">"
             "Título <b>negrita</b>",
    "Nous exigeons l'arrêt des tortures et la libération d'Azat Miftakhov.":
        "<script>document.title='pwned'</script>Exigimos [clic](javascript:alert(1)) <javascript:alert(1)> fin.",
    "La vie d'Azat Miftakhov est en danger immédiat. Sauvons Azat avant qu'il ne soit trop tard !":
        "Vida\n\n[x]: javascript:alert(1)\n\n<a href=\"javascript:document.title='pwned'\">enlace</a> "
        "&lt;b&gt; &#106;avascript\n# no es un título",
    "Paris, le 21 mai 2026": "<details open ontoggle=\"document.title='pwned'\">París</details>",
    "Liste des signataires": "Firmantes <style>body{display:none}</style>\n\n- no es lista",
    "Allemagne": "<img src=x onerror=\"document.title='pwned'\">Alemania",
    "Etat espagnol": "<svg onload=\"document.title='pwned'\"></svg>Estado español",
    "Organisation internationale": "[Internacional](javascript:alert(1)) <iframe src=\"javascript:alert(1)\">",
    "Exil Solidaire": "<iframe srcdoc=\"<script>parent.document.title='pwned'</script>\"></iframe>Exilio",
    "Institut Sakharov": "<a href=\"javascript:document.title='pwned'\">Instituto</a> [y]: javascript:x",
    "LDH": "<form action=\"javascript:alert(1)\"><button>LDH</button></form>",
}


def write_hostile_catalog(project: Path, lang: str = "es") -> dict[str, str]:
    """Fill the catalog with HOSTILE (reviewed) and return msgid → msgstr for what was written."""
    path = project / "locales" / lang / "appeal.po"
    po = pofile.load(path)
    written = {}
    for i, entry in enumerate(po.active):
        key = "TITLE" if i == 0 else entry.msgid
        if key in HOSTILE:
            entry.msgstr = HOSTILE[key]
            entry.set_fuzzy(False)
            written[entry.msgid] = entry.msgstr
    assert len(written) == len(HOSTILE)
    pofile.save(po)
    return written


# --------------------------------------------------------------------------------------------- Markdown

MD = MarkdownIt("commonmark", {"html": True})
SAFE_SCHEMES = ("http://", "https://", "mailto:")


def md_problems(source: str) -> list[str]:
    """Live HTML and links to anything but http(s)/mailto, as markdown-it sees them."""
    problems = []
    for token in MD.parse(source):
        for t in [token, *(token.children or [])]:
            if t.type in ("html_inline", "html_block"):
                problems.append(f"{t.type}: {t.content!r}")
            if t.type in ("link_open", "image"):
                href = str(t.attrGet("href") or t.attrGet("src") or "")
                if not href.lower().startswith(SAFE_SCHEMES):
                    problems.append(f"{t.type}: {href!r}")
    return problems


def plain(inline) -> str:
    """The text an inline token renders as (its `content` is the escaped source)."""
    return "".join(c.content for c in inline.children or [] if c.type in ("text", "text_special"))


def inline_text(source: str) -> tuple[list[str], str, list[str]]:
    """Block token types, the inline text, and inline token types other than text."""
    tokens = MD.parse(source)
    blocks = [t.type for t in tokens if t.type != "inline"]
    children = [c for t in tokens if t.type == "inline" for c in (t.children or [])]
    text = "".join(c.content for c in children if c.type in ("text", "text_special"))
    return blocks, text, [c.type for c in children if c.type not in ("text", "text_special")]


CONTEXTS = {
    "paragraph": ("{}", render.md, ["paragraph_open", "paragraph_close"]),
    "heading": ("## {}", render.md_heading, ["heading_open", "heading_close"]),
    "list item": ("- {}", render.md,
                  ["bullet_list_open", "list_item_open", "paragraph_open", "paragraph_close", "list_item_close",
                   "bullet_list_close"]),
}


def assert_inert(text: str) -> None:
    for name, (shape, escape, blocks) in CONTEXTS.items():
        source = shape.format(escape(text))
        found_blocks, found_text, others = inline_text(source)
        expected = render.clean(text)
        assert md_problems(source) == [], (name, source)
        assert others == [], (name, source, others)  # no emphasis, code, links, breaks…
        if expected:
            assert found_blocks == blocks, (name, source, found_blocks)  # one block of the intended kind
        assert found_text == expected, (name, source)  # reads exactly as written


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_escaping_is_inert_and_faithful(payload):
    assert_inert(payload)


@settings(max_examples=400, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_markdown_escaping_holds_for_any_text(text):
    assert_inert(text)


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(list("<>[]()!&#;:*_`~\\-+=.|1 aj\n\t")), max_size=40))
def test_markdown_escaping_holds_for_markup_soup(text):
    assert_inert(text)


def test_markdown_leaves_ordinary_text_readable():
    assert render.md("Campagne #FREE120") == "Campagne #FREE120"
    assert render.md("Dialog und Solidarität e.V.") == "Dialog und Solidarität e.V."
    assert render.md("snake_case, Tom & Jerry, a > b, (IK-18), -50°C") == \
        "snake_case, Tom & Jerry, a > b, (IK-18), -50°C"
    assert render.md("2019. año") == "2019\\. año"
    assert render.md("<b>") == "\\<b>"
    assert render.md_heading("Campagne #") == "Campagne \\#"


def assert_links_only_to_the_web(text: str) -> None:
    """md_linked: inert like md, except http(s) addresses, which become autolinks showing the address."""
    source = render.md_linked(text)
    tokens = MD.parse(source)
    children = [c for t in tokens if t.type == "inline" for c in (t.children or [])]
    assert [t.type for t in tokens if t.type != "inline"] in ([], ["paragraph_open", "paragraph_close"]), source
    assert {c.type for c in children} <= {"text", "text_special", "link_open", "link_close"}, source
    for link in (c for c in children if c.type == "link_open"):
        assert re.match(r"https?://", str(link.attrGet("href"))), source
    assert "".join(c.content for c in children if c.type in ("text", "text_special")) == render.clean(text), source


@pytest.mark.parametrize("payload", PAYLOADS + [
    "Voir https://example.org/a_b?x=1&y=2. Et (http://example.org/p)", "https://x.org/*a*_b_ `c` [d](e)",
    "javascript:alert(1) https://ok.example/ <https://a.example/> data:text/html,x http:// https://",
    "# https://example.org", "1. https://example.org", "https://javascript:javascript:1", "http://a:1:b"])
def test_markdown_links_web_addresses_and_nothing_else(payload):
    assert_links_only_to_the_web(payload)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["https://", "http://", "a.b", "/", "<", ">", "[", "]", "(", ")", "*", "_", "`",
                                "&", "#", ";", ":", ".", " ", "javascript:", "\\", "\"", "'", "1"]), max_size=12))
def test_markdown_links_hold_for_address_soup(parts):
    assert_links_only_to_the_web("".join(parts))


def test_html_links_web_addresses_only():
    html = render.linked_html('Voir https://example.org/a?b=1&c=2. javascript:alert(1) '
                              '"https://x.example/"onmouseover=alert(1) http:// data:text/html,<b>')
    assert html == ('Voir <a href="https://example.org/a?b=1&amp;c=2">https://example.org/a?b=1&amp;c=2</a>. '
                    'javascript:alert(1) &#34;<a href="https://x.example/">https://x.example/</a>&#34;'
                    'onmouseover=alert(1) http:// data:text/html,&lt;b&gt;')
    assert render.linked_html("https://a.example/ https://b.example/", frozenset({"https://b.example/"})) == \
        'https://a.example/ <a href="https://b.example/">https://b.example/</a>'
    text = "(see https://en.wikipedia.org/wiki/A_(b)), or «https://x.org/» and https://a.example/x."
    assert [text[a:b] for a, b in render.urls(text)] == \
        ["https://en.wikipedia.org/wiki/A_(b)", "https://x.org/", "https://a.example/x"]


# --------------------------------------------------------------------------------------------- HTML

ALLOWED_TAGS = {"html", "head", "meta", "title", "link", "style", "body", "div", "p", "strong", "main", "article",
                "h1", "h2", "h3", "section", "ul", "li", "bdi", "nav", "a", "span"}


class Scan(HTMLParser):
    """Every start tag with its attributes, and the text inside each element of interest."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: dict[str, list[str]] = {}
        self._open: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in ("meta", "link"):
            self._open.append(tag)
            self.text.setdefault(tag, []).append("")

    def handle_endtag(self, tag):
        if tag in self._open:
            while self._open and self._open.pop() != tag:
                pass

    def handle_data(self, data):
        for tag in set(self._open):
            self.text[tag][-1] += data


def scan(html: str) -> Scan:
    parser = Scan()
    parser.feed(html)
    return parser


def html_problems(html: str) -> list[str]:
    found = scan(html)
    problems = [f"tag {t}" for t, _ in found.tags if t not in ALLOWED_TAGS]
    problems += [f"{t} {k}" for t, a in found.tags for k in a if k.startswith("on") or k in ("srcdoc", "src")]
    problems += [f"{t} href={a['href']}" for t, a in found.tags
                 if a.get("href") is not None and ":" in a["href"].split("/")[0]
                 and not (t == "a" and re.match(r"https?://[^/\s]", a["href"]))]  # web addresses are linked
    problems += ["second style"] if sum(t == "style" for t, _ in found.tags) != 1 else []
    return problems


def hostile_document(text: str) -> Assembled:
    def piece(state: str = REVIEWED) -> Piece:
        return Piece(text, state, "fr" if state == FALLBACK else "es")

    return Assembled(
        lang="es", doc_id="appeal",
        body=[BodyBlock("title", [(piece(), "")]), BodyBlock("paragraph", [(piece(), " "), (piece(FALLBACK), "")]),
              BodyBlock("dateline", [(piece(FALLBACK), "")])],
        signatories_heading=piece(),
        groups=[GroupOut(piece(), "ES", [piece(), piece(FALLBACK)]), GroupOut(None, None, [piece()])])


def page(lang: str = "es") -> render.Page:
    furn = furniture.load(lang)
    notice = render.Notice("machine", furn(furniture.MACHINE_TITLE), (furn(furniture.DRAFTS),))
    return render.Page(furn, (notice,), (render.Alternate("es", "../es/appeal.html", "Español"),
                                         render.Alternate("en", "../en/appeal.html", "English")))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_html_escapes_every_payload(payload):
    html = render.render_html(hostile_document(payload), page())
    assert html_problems(html) == []
    found = scan(html)
    expected = render.clean(payload)
    assert [t.strip() for t in found.text["title"]] == [expected]
    assert found.text["h1"] == [expected]
    assert found.text["h2"] == [expected]
    assert found.text["h3"] == [expected]
    assert [t for t in found.text["bdi"]] == [expected] * 3


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_and_text_documents_stay_well_formed(payload):
    doc = hostile_document(payload)
    markdown = render.render_markdown(doc, page())
    assert md_problems(markdown) == []
    kinds = [t.tag for t in MD.parse(markdown) if t.type == "heading_open"]
    if render.clean(payload):
        assert kinds == ["h1", "h2", "h3"]
    text = render.render_text(doc)
    assert "\x1b" not in text and "\x00" not in text and "\r" not in text


def test_sentences_in_other_states_are_spans_with_their_language():
    doc = hostile_document("<b>x</b>")
    html = render.render_html(doc, page())
    assert '<p><b>x</b>' not in html
    assert '&lt;b&gt;x&lt;/b&gt; <span lang="fr" data-state="fallback">&lt;b&gt;x&lt;/b&gt;</span></p>' in html
    assert '<p class="dateline" lang="fr" data-state="fallback">' in html


def test_french_fallback_on_a_right_to_left_page_also_says_ltr():
    doc = hostile_document("Texte")
    doc.lang = "ar"
    html = render.render_html(doc, page("ar"))
    assert '<html lang="ar" dir="rtl">' in html
    assert '<p class="dateline" lang="fr" dir="ltr" data-state="fallback">Texte</p>' in html


def test_clean_makes_one_line_and_drops_controls_but_keeps_no_break_spaces():
    assert render.clean(" a\r\nb\tc\u2028d\x85e\x00f\x1b[0m  g ") == "a b c d ef[0m g"
    assert render.clean("46\u00a0% ; Azat\u202f:") == "46\u00a0% ; Azat\u202f:"


# --------------------------------------------------------------------------------------------- furniture


def test_hostile_project_furniture_is_escaped_and_cannot_reach_attributes(tmp_path):
    locales = tmp_path / "locales"
    (locales / "es").mkdir(parents=True)
    po = pofile.Catalog(path=locales / "es" / "furniture.po", header=pofile.Entry(
        msgid="", msgstr="Content-Type: text/plain; charset=UTF-8\nLanguage: es\n"), entries=[
        pofile.Entry(msgid=furniture.OTHER_LANGUAGES, msgstr="<script>alert(1)</script>Idiomas"),
        pofile.Entry(msgid=furniture.REVIEWED_COUNT,
                      msgstr="{reviewed.__class__} {reviewed} {total} <b>revisado</b>"),
    ])
    pofile.save(po)
    furn = furniture.load("es", locales)
    # Its fields differ from the msgid's ({reviewed.__class__} is none of ours): ignored, the shipped text is used.
    assert furn(furniture.REVIEWED_COUNT, reviewed="5", total="9") == \
        furniture.load("es")(furniture.REVIEWED_COUNT, reviewed="5", total="9")
    notice = render.Notice("machine", furn(furniture.MACHINE_TITLE), (furn(furniture.OTHER_LANGUAGES),))
    html = render.render_html(hostile_document("x"), render.Page(furn, (notice,)))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Idiomas" in html
    assert html_problems(html) == []


def test_fill_substitutes_plain_fields_only():
    assert furniture.fill("{a} {a.b} {0} {b}", {"a": "A", "b": "<B>"}) == "A {a.b} {0} <B>"


def test_output_directories_come_only_from_canonical_tags(tmp_path):
    assert _lang_dir(tmp_path, "pt-BR") == tmp_path / "pt-BR"
    for bad in ("../etc", "es/../..", "pt_BR", "EN", "xx"):
        with pytest.raises(ValueError):
            _lang_dir(tmp_path, bad)


# --------------------------------------------------------------------------------------------- whole build


def test_hostile_catalog_builds_inert_markdown_and_html(project, cli):
    config = project / "l10n.yaml"
    config.write_text(config.read_text() + "publish: {source_fallback: mark}\n")  # the rest of the text is French
    assert cli("extract").exit_code == 0
    assert cli("update", "--lang", "es").exit_code == 0
    written = write_hostile_catalog(project)
    result = cli("build", "--lang", "es")
    assert result.exit_code == 0, result.output
    markdown = (project / "dist" / "es" / "appeal.md").read_text(encoding="utf-8")
    assert md_problems(markdown) == []
    assert "javascript:" in markdown  # kept as readable text…
    rendered = MD.render(markdown)
    assert "<script" not in rendered and "<a " not in rendered and "<img" not in rendered  # …never as markup
    tokens = MD.parse(markdown)
    headings = [(t.tag, plain(tokens[i + 1])) for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings[0] == ("h1", render.clean(HOSTILE["TITLE"]))
    assert ("h2", render.clean(HOSTILE["Liste des signataires"])) in headings
    assert ("h3", render.clean(HOSTILE["Allemagne"])) in headings
    items = [plain(tokens[i + 2]) for i, t in enumerate(tokens) if t.type == "list_item_open"]
    assert render.clean(HOSTILE["Exil Solidaire"]) in items
    html = (project / "dist" / "es" / "appeal.html").read_text(encoding="utf-8")
    assert html_problems(html) == []
    found = scan(html)
    for msgstr in written.values():
        assert any(render.clean(msgstr) in " ".join(texts) for texts in found.text.values()), msgstr
    text = (project / "dist" / "es" / "appeal.txt").read_text(encoding="utf-8")
    assert all(len(line) <= 72 for line in text.splitlines() if " " in line.strip())
