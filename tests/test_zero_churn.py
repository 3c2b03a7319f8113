"""Zero churn with any editor: a catalog laid out by another tool (translate-toolkit as Weblate saves, msgcat with
other widths, msgmerge, Poedit's layout) goes through `update` byte-identical, and after one source change only
that entry's lines (and the header's POT-Creation-Date) differ. Real tools, no imitation of their layout."""

from __future__ import annotations

import difflib
import re
import subprocess
from pathlib import Path
from typing import Callable

import pytest

from l10n import po as pofile
from tests.conftest import run

pytestmark = pytest.mark.slow  # several gettext and l10n runs per case

OLD = "Nous exigeons l'arrêt des tortures et la libération d'Azat Miftakhov."
NEW = "Nous exigeons l'arrêt immédiat des tortures et la libération d'Azat Miftakhov."


def _tool(*args: str) -> Callable[[Path, Path], bytes]:
    def apply(po: Path, pot: Path) -> bytes:
        return subprocess.run([a.replace("{po}", str(po)).replace("{pot}", str(pot)) for a in args],
                              capture_output=True, check=True).stdout
    return apply


def ttk_pypo(po: Path, pot: Path) -> bytes:
    """What Weblate does to a file: parse it with translate-toolkit's PO storage, set units (ttk lays out anew
    the strings of a unit it sets, with its own wrapping) and serialise it again. Every unit is set here."""
    from translate.storage import pypo

    store = pypo.pofile.parsefile(str(po))
    for unit in store.units:
        if not unit.isheader():
            source, target = unit.source, unit.target
            unit.source, unit.target = "", ""
            unit.source, unit.target = source, target
    return bytes(store)


def poedit_style(po: Path, pot: Path) -> bytes:
    """Poedit's layout: entries wrapped at 79 columns, the header's fields never wrapped, its own X-Generator."""
    text = subprocess.run(["msgcat", "-w", "79", str(po)], capture_output=True, check=True, text=True).stdout
    head, sep, rest = text.partition("\n\n")
    lines = head.split("\n")
    at = lines.index('msgstr ""')
    fields = "".join(line[1:-1] for line in lines[at + 1:]).split("\\n")[:-1]
    fields.append("X-Generator: Poedit 3.4.2")
    return ("\n".join(lines[:at + 1] + [f'"{f}\\n"' for f in fields]) + sep + rest).encode()


TOOLS = {
    "translate-toolkit pypo (Weblate)": ttk_pypo,
    "msgcat --no-wrap": _tool("msgcat", "--no-wrap", "{po}"),
    "msgcat -w 60": _tool("msgcat", "-w", "60", "{po}"),
    "msgmerge -w 70": _tool("msgmerge", "--previous", "-w", "70", "-q", "-o", "-", "{po}", "{pot}"),
    "Poedit": poedit_style,
}


@pytest.fixture
def worked(project: Path, cli) -> Path:
    """A Spanish catalog as a team leaves it: drafts with provenance, reviewed text, a fuzzy entry, a long
    Language-Team that wraps, and a translator's comment."""
    run(cli, "extract")
    run(cli, "update", "--lang", "es")
    run(cli, "pretranslate", "--lang", "es", "--engine", "pseudo")
    path = project / "locales" / "es" / "appeal.po"
    po = pofile.load(path)
    po.set_header_field("Language-Team", "Spanish volunteers of the support committee "
                                         "<https://example.org/a/very/long/address/for/the/team>")
    for n, entry in enumerate(po.active[:12]):
        entry.msgstr = (f"Texto revisado {n}: {'ab ' * n}(región autónoma de Jamalo-Nénétsie, -50°C, IK-18) "
                        f"{entry.msgid} — con un añadido bastante largo para que se parta.")
        entry.set_fuzzy(n == 3)
        if n == 5:
            entry.translator_comments.append("revisado por Ana, 2026")
    pofile.save(po)
    return project


def _changed_blocks(before: str, after: str) -> tuple[list[str], list[str]]:
    """Entries (blocks between blank lines) present only before, and only after."""
    old, new = before.split("\n\n"), after.split("\n\n")
    return [b for b in old if b not in new], [b for b in new if b not in old]


@pytest.mark.parametrize("tool", TOOLS)
def test_update_keeps_every_byte_of_another_tools_layout(worked: Path, cli, tool: str) -> None:
    po = worked / "locales" / "es" / "appeal.po"
    pot = worked / "locales" / "appeal.pot"
    laid_out = TOOLS[tool](po, pot)
    assert laid_out != po.read_bytes(), "the tool must lay the file out differently for the test to mean much"
    po.write_bytes(laid_out)
    run(cli, "update", "--lang", "es")
    assert po.read_bytes() == laid_out

    source = worked / "source" / "appeal.fr.txt"
    source.write_text(source.read_text(encoding="utf-8").replace(OLD, NEW), encoding="utf-8")
    run(cli, "extract")
    run(cli, "update", "--lang", "es")
    after = po.read_text(encoding="utf-8")
    gone, came = _changed_blocks(laid_out.decode(), after)
    header_before, header_after = laid_out.decode().split("\n\n")[0], after.split("\n\n")[0]
    header_diff = [line for line in difflib.unified_diff(header_before.split("\n"), header_after.split("\n"),
                                                         lineterm="", n=0)
                   if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert all("POT-Creation-Date" in line for line in header_diff), header_diff
    gone = [b for b in gone if b != header_before]
    came = [b for b in came if b != header_after]
    assert len(gone) == 1 and len(came) == 1, (gone, came)
    assert OLD in re.sub(r'"\n"', "", gone[0])
    entry = pofile.loads(("\n\n".join([header_after, came[0]]) + "\n").encode(), Path("x.po")).entries[0]
    assert entry.msgid == NEW and entry.previous_msgid == OLD and entry.fuzzy
    # the one entry l10n wrote is in msgcat's layout
    assert came[0] + "\n" == subprocess.run(["msgcat", "-"], input=("\n\n".join([header_after, came[0]]) + "\n"),
                                            capture_output=True, text=True, check=True).stdout.split("\n\n", 1)[1]


def test_pretranslate_changes_one_header_field_and_the_drafted_entries(worked: Path, cli) -> None:
    """pretranslate owns PO-Revision-Date: that line changes, Poedit's unwrapped header lines do not."""
    po = worked / "locales" / "es" / "appeal.po"
    pot = worked / "locales" / "appeal.pot"
    cat = pofile.load(po)
    emptied = cat.active[20]
    emptied.msgstr, emptied.translator_comments = "", []
    emptied.set_fuzzy(False)
    pofile.save(cat)
    laid_out = re.sub(rb'"PO-Revision-Date: [^"]*"', rb'"PO-Revision-Date: 2020-01-01 00:00+0000\\n"',
                      poedit_style(po, pot))
    po.write_bytes(laid_out)
    run(cli, "pretranslate", "--lang", "es", "--engine", "pseudo")
    after = po.read_text(encoding="utf-8")
    gone, came = _changed_blocks(laid_out.decode(), after)
    assert len(gone) == len(came) == 2  # the header and the entry drafted
    header = difflib.unified_diff(gone[0].split("\n"), came[0].split("\n"), lineterm="", n=0)
    changed = [line for line in header if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    assert len(changed) == 2 and all(line[1:].startswith('"PO-Revision-Date: ') for line in changed), changed
    assert "X-Generator: Poedit" in came[0] and "<https://example.org/a/very/long/address/for/the/team>" in came[0]
    assert "# l10n: machine pseudo" in came[1] and emptied.msgid[:20] in came[1]


def test_import_into_a_weblate_file_changes_only_the_imported_entry(worked: Path, cli) -> None:
    """`l10n import` is a writer too: in a file translate-toolkit laid out, only the entry edited in the
    spreadsheet changes."""
    from openpyxl import load_workbook

    po = worked / "locales" / "es" / "appeal.po"
    laid_out = ttk_pypo(po, worked / "locales" / "appeal.pot")
    po.write_bytes(laid_out)
    run(cli, "export", "--format", "xlsx", "--lang", "es")
    book = load_workbook("dist/exchange/es.xlsx")
    row = next(r for r in book.active.iter_rows(min_row=2) if r[4].value == "automatic")  # a glossary term
    row[3].value = "Una traducción hecha en la hoja de cálculo, bastante larga para que el escritor la parta."
    book.save("dist/exchange/es.xlsx")
    run(cli, "import", "dist/exchange/es.xlsx")
    gone, came = _changed_blocks(laid_out.decode(), po.read_text(encoding="utf-8"))
    assert len(gone) == len(came) == 1 and "hoja de c" in came[0]
