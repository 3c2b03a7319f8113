"""`l10n signatories add/import/list` on the second appeal: intake into the right group, rejections by row,
private columns kept private, published order, and a document that is never half-written."""

from __future__ import annotations

import csv
import io
import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from l10n import signatories
from l10n.config import load_config
from l10n.document import load_document
from tests.faults import OPERATIONS, Faults

APPEAL2 = Path(__file__).resolve().parent / "data" / "appeal2"
SOURCE = Path("source/appel.fr.txt")
LANGS = ("en", "es", "de", "it", "ru", "uk")


@pytest.fixture
def appeal2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(APPEAL2, tmp_path, dirs_exist_ok=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def groups_of(project: Path) -> dict[str, list[str]]:
    doc = load_document(load_config(project / "l10n.yaml"), SOURCE)
    return {g.code or g.heading: [o.name for o in g.organisations] for g in doc.signatories.groups}


def headings(project: Path) -> list[str]:
    doc = load_document(load_config(project / "l10n.yaml"), SOURCE)
    return [g.heading for g in doc.signatories.groups]


def test_add_puts_names_in_their_group_whatever_language_names_it(appeal2, cli):
    before = (appeal2 / SOURCE).read_text()
    result = cli("signatories", "add", "--group", "Germany", "Aktion Freiheit e.V.", "  komitee FÜR grundrechte ")
    assert result.exit_code == 0, result.output
    assert "+ Allemagne: Aktion Freiheit e.V." in result.stdout
    assert "argument 2: 'komitee FÜR grundrechte' already listed ('Komitee für Grundrechte', line 13)" \
        in result.stdout
    # one organisation before: sorted so far, so the new one goes to its sorted place
    assert groups_of(appeal2)["DE"] == ["Aktion Freiheit e.V.", "Komitee für Grundrechte"]
    assert cli("signatories", "add", "-g", "fr", "Attac France").exit_code == 0  # ISO code; France is sorted
    assert groups_of(appeal2)["FR"] == ["Attac France", "Ligue des droits de l'homme", "Union syndicale Solidaires"]
    assert cli("signatories", "add", "-g", "Royaume Uni", "War on Want").exit_code == 0  # the merged group
    result = cli("signatories", "add", "-g", "France", "Union syndicale Solidaries")
    assert result.exit_code == 0  # a near-identical name is added, and said to look like the other
    assert result.stderr == ("l10n: warning: argument 1: 'Union syndicale Solidaries' looks like 'Union syndicale "
                             "Solidaires' at line 20 (96% alike)\n")
    assert (appeal2 / SOURCE).read_text().count("Union syndicale Solidaries") == 1
    (appeal2 / SOURCE).write_text((appeal2 / SOURCE).read_text().replace("Union syndicale Solidaries\n", ""))
    assert groups_of(appeal2)["GB"][-1] == "War on Want"
    after = (appeal2 / SOURCE).read_text()
    assert after.replace("Aktion Freiheit e.V.\n", "").replace("Attac France\n", "").replace(
        "\nWar on Want", "") == before  # nothing but the three lines changed


def test_new_groups_take_their_sorted_place_and_trailing_groups_stay_last(appeal2, cli):
    assert cli("signatories", "add", "-g", "Italia", "Arci").exit_code == 0
    assert cli("signatories", "add", "-g", "Espagne", "CGT").exit_code == 0
    result = cli("signatories", "add", "-g", "Kurdistan", "Kurdish Red Crescent")
    assert "new group 'Kurdistan' is not a territory: it is sorted with the countries" in result.stderr
    assert cli("signatories", "add", "-g", "Zambie", "ZCTU").exit_code == 0
    assert cli("signatories", "add", "-g", "Organisations internationales", "Amnesty International").exit_code == 0
    assert headings(appeal2) == ["Allemagne", "Espagne", "France", "Italie", "Kurdistan", "Palestine", "Pays basque",
                                 "République tchèque", "Royaume-Uni", "Zambie", "Europe",
                                 "Organisations internationales"]
    text = (appeal2 / SOURCE).read_text()
    assert "\n\nZambie\n\nZCTU\n\nEurope\n" in text and "\n\nEspagne\n\nCGT\n\nFrance\n" in text
    assert groups_of(appeal2)["Organisations internationales"] == ["Amnesty International", "Front Line Defenders"]


def test_source_order_appends_new_groups_after_the_last_sorted_one(appeal2, cli):
    config = appeal2 / "l10n.yaml"
    config.write_text(config.read_text().replace("  heading: Signataires", "  heading: Signataires\n  order: source"))
    assert cli("signatories", "add", "-g", "Italie", "Arci").exit_code == 0
    assert headings(appeal2)[-3:] == ["Italie", "Europe", "Organisations internationales"]


def test_dry_run_writes_nothing_and_bad_names_are_refused(appeal2, cli):
    before = (appeal2 / SOURCE).read_bytes()
    result = cli("signatories", "add", "--dry-run", "-g", "Italie", "Arci")
    assert result.exit_code == 0 and "would add 1 organisation(s) (1 new group(s): Italie)" in result.stdout
    assert "+ Italie: Arci" in result.stdout
    result = cli("signatories", "add", "-g", "Italie", "=cmd|' /C calc'!A0", "Bad\u202eName", "x" * 201, " ")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "l10n: error: argument 1: cell \"=cmd|' /C calc'!A0\" starts with '=': spreadsheet formulas are not imported",
        "l10n: error: argument 2: control character U+202E in the organisation name",
        "l10n: error: argument 3: organisation name is 201 characters long (at most 200)",
        "l10n: error: argument 4: empty organisation name",
        "rejected 4 row(s)"]
    result = cli("signatories", "add", "-g", "France", "Allemagne")  # a country's name would read as a heading
    assert result.exit_code == 1 and "would not read back as an organisation of 'France'" in result.stderr
    assert (appeal2 / SOURCE).read_bytes() == before
    assert not (appeal2 / "private").exists()


def test_crlf_bom_and_missing_final_newline_are_kept(appeal2, cli):
    text = (appeal2 / SOURCE).read_text().rstrip("\n")
    (appeal2 / SOURCE).write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    assert cli("signatories", "add", "-g", "Organisations internationales", "ZZ Aid").exit_code == 0
    data = (appeal2 / SOURCE).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.endswith(b"Front Line Defenders\r\nZZ Aid")
    assert b"\n" not in data.replace(b"\r\n", b"")


# ---------------------------------------------------------------------------------------------------- import

COUNTRIES = [  # (as a form's user writes it, the group it must land in)
    ("Allemagne", "DE"), ("Germany", "DE"), ("DE", "DE"), ("de", "DE"), ("Deutschland", "DE"), ("France", "FR"),
    ("FR", "FR"), ("Frankreich", "FR"), ("Italia", "IT"), ("IT", "IT"), ("Espagne", "ES"), ("Spain", "ES"),
    ("España", "ES"), ("Czech Republic", "CZ"), ("CZ", "CZ"), ("Tchéquie", "CZ"), ("Palestine", "PS"),
    ("PS", "PS"), ("Royaume Uni", "GB"), ("UK", "GB"), ("United Kingdom", "GB"), ("Pays basque", "Pays basque"),
    ("Japon", "JP"), ("日本", "JP"), ("Suisse", "CH"), ("Schweiz", "CH"), ("Europe", "150"),
]
WORDS = ["Liberté", "Solidarité", "Paix", "Justice", "Dignité", "Résistance", "Avenir", "Espoir", "Égalité",
         "Mémoire"]


def generated_csv(rows: int = 200, seed: int = 18) -> tuple[str, list[tuple[str, str]], list[int], str]:
    """A form export: valid rows, duplicates, unknown countries, formulas, a control character, an overlong and an
    empty name, e-mails. Returns (text, expected additions (name, group), rejected row numbers, one e-mail)."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["Organisation", "Country", "Date", "URL", "E-mail", "Contact"])
    added: list[tuple[str, str]] = []
    rejected: list[int] = []
    email = "secret.person@example.org"
    for row in range(2, rows + 2):
        kind = rng.random()
        if row == 7:
            writer.writerow(['=HYPERLINK("http://evil.example/","click")', "France", "", "", "", ""])
            rejected.append(row)
        elif row == 8:
            writer.writerow(["Comité Vérité", "France", "", "", email, "Jeanne Dupont"])
            added.append(("Comité Vérité", "FR"))
        elif row == 9:
            writer.writerow(["Bad\x07Bell", "France", "", "", "", ""])
            rejected.append(row)
        elif row == 10:
            writer.writerow(["y" * 300, "France", "", "", "", ""])
            rejected.append(row)
        elif row == 11:
            writer.writerow(["", "France", "", "", "", ""])
            rejected.append(row)
        elif row == 12:
            writer.writerow(["Harmless name", "France", "", "", "", "@SUM(A1:A2)"])
            rejected.append(row)
        elif kind < 0.08:
            writer.writerow([f"Groupe {rng.choice(WORDS)} {row}", rng.choice(["Atlantis", "Narnia", "Mordor"]),
                             "", "", "", ""])
            rejected.append(row)
        elif kind < 0.16 and added:
            name, _ = rng.choice(added)  # a repeat within the file, spelled otherwise
            writer.writerow([name.upper(), "France", "", "", "", ""])
        elif kind < 0.2:
            writer.writerow(["ligue des droits de l’homme", "France", "", "", "", ""])  # already in the document
        else:
            spelled, code = rng.choice(COUNTRIES)
            name = f"{rng.choice(['Collectif', 'Comité', 'Union', 'Réseau'])} {rng.choice(WORDS)} {row}"
            contact = f"person{row}@example.net" if rng.random() < 0.3 else ""
            writer.writerow([name, spelled, "2026-03-01", f"https://example.org/{row}", contact, ""])
            added.append((name, code))
    return out.getvalue(), added, rejected, email


@pytest.mark.slow
def test_importing_200_rows_adds_exactly_the_valid_new_ones_and_reports_every_rejected_row(appeal2, cli):
    text, added, rejected, email = generated_csv()
    (appeal2 / "signatures.csv").write_text(text, encoding="utf-8", newline="")
    before = groups_of(appeal2)
    dry = cli("signatories", "import", "--dry-run", "signatures.csv")
    assert dry.exit_code == 1 and f"would add {len(added)} organisation(s)" in dry.stdout
    assert groups_of(appeal2) == before and not (appeal2 / "private").exists()

    result = cli("signatories", "import", "signatures.csv")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("l10n: error: ")]
    assert [int(line.split(":")[3]) for line in errors] == rejected
    assert "signatures.csv:7: cell '=HYPERLINK(\"http://evil.example/\",\"clic…' starts with '='" in result.stderr
    assert "signatures.csv:12: cell '@SUM(A1:A2)' starts with '@'" in result.stderr
    assert "signatures.csv:9: control character U+0007" in result.stderr
    assert "unknown country 'Atlantis'" in result.stderr
    assert f"rejected {len(rejected)} row(s)" in result.stderr
    assert f"added {len(added)} organisation(s)" in result.stdout
    assert "'LIGUE DES DROITS DE L’HOMME' already listed" not in result.stdout
    assert "'ligue des droits de l’homme' already listed (\"Ligue des droits de l'homme\", line 17)" in result.stdout

    after = groups_of(appeal2)
    for name, code in added:
        assert name in after[code], (name, code)
    assert sum(map(len, after.values())) == sum(map(len, before.values())) + len(added)
    assert "Comité Vérité" in after["FR"]

    private = (appeal2 / "private" / "contacts.csv").read_text(encoding="utf-8")
    assert email in private and "Jeanne Dupont" in private
    assert (appeal2 / "private" / ".gitignore").read_text().splitlines()[-1] == "*"
    if shutil.which("git"):  # git itself says the contacts are ignored
        subprocess.run(["git", "init", "-q"], cwd=appeal2, check=True)
        ignored = subprocess.run(["git", "check-ignore", "private/contacts.csv"], cwd=appeal2)
        assert ignored.returncode == 0

    assert cli("extract").exit_code == 0
    assert cli("update").exit_code == 0
    assert cli("build").exit_code == 0
    for lang in LANGS:
        listing = json.loads(cli("signatories", "list", "--lang", lang, "--format", "json").stdout)[0]
        by_code = {g["code"] or g["heading"]: g for g in listing["groups"]}
        published = _published_groups((appeal2 / "dist" / lang / "appel.txt").read_text(encoding="utf-8"))
        assert list(published) == [g["heading"] for g in listing["groups"]]  # the order build used
        for name, code in added:
            heading = by_code[code if code != "Pays basque" else "Pays basque"]["heading"]
            assert name in published[heading], (lang, name)
        assert list(published)[-2:] == [by_code["150"]["heading"], "Organisations internationales"]
    for folder in ("locales", "source", "dist"):
        for path in (appeal2 / folder).rglob("*"):
            if path.is_file():
                content = path.read_bytes()
                assert email.encode() not in content and b"example.net" not in content, path


def _published_groups(text: str) -> dict[str, list[str]]:
    """Group heading → organisations, from a published appel.txt (headings flush left, organisations indented)."""
    groups: dict[str, list[str]] = {}
    current: list[str] = []
    for line in text.split("\n\n\n", 1)[1].splitlines()[2:]:
        if line.startswith("    "):
            current.append(line.strip())
        elif line.strip():
            current = groups.setdefault(line, [])
    return groups


def test_a_table_that_is_not_one_is_one_clear_error(appeal2, cli):
    (appeal2 / "a.csv").write_bytes("Organisation;Pays\nCGT;Espagne\n".encode("cp1252"))
    assert cli("signatories", "import", "a.csv").exit_code == 0  # semicolons, French headings: a French export
    assert "CGT" in groups_of(appeal2)["ES"]
    (appeal2 / "b.csv").write_bytes("Organisation,Pays\nCGT,Espa\xf1a\n".encode("cp1252"))
    result = cli("signatories", "import", "b.csv")
    assert result.exit_code == 1
    assert result.stderr == "l10n: error: b.csv:2: signatory file is not valid UTF-8 (export it as CSV UTF-8)\n"
    (appeal2 / "c.csv").write_text("Name,Email\nX,y@z\n")
    result = cli("signatories", "import", "c.csv")
    assert result.exit_code == 1 and result.stderr == ("l10n: error: c.csv:1: no 'country' column (the first row "
                                                       "must name the columns)\n")


def test_list_shows_each_language_its_own_headings_order_and_totals(appeal2, cli):
    assert cli("extract").exit_code == 0
    assert cli("update", "--lang", "de").exit_code == 0
    result = cli("signatories", "list", "--lang", "de")
    assert result.exit_code == 0
    assert result.stderr == ("l10n: warning: source/appel.fr.txt:36: group heading 'Royaume Uni' is the same "
                             "territory (GB) as 'Royaume-Uni' at line 32: one group, its organisations listed in "
                             "source order\n")
    lines = result.stdout.splitlines()
    assert lines[0] == "appel (de): 8 group(s), 10 organisation(s)"
    assert [line.split(" [")[0].split(":")[0] for line in lines[1:] if not line.startswith("  ")] == [
        "Deutschland", "Frankreich", "Palästina", "Pays basque", "Tschechien", "Vereinigtes Königreich", "Europa",
        "Organisations internationales"]
    rows = list(csv.DictReader(io.StringIO(cli("signatories", "list", "--format", "csv").stdout)))
    assert len(rows) == 10 and rows[0] == {"document": "appel", "language": "fr", "group": "Allemagne",
                                           "code": "DE", "kind": "country",
                                           "organisation": "Komitee für Grundrechte"}
    assert [r["organisation"] for r in rows if r["code"] == "GB"] == ["Amnesty International UK",
                                                                      "Peace Pledge Union"]
    assert cli("signatories", "list", "--lang", "xx").exit_code == 2
    assert cli("signatories", "list", "--lang", "fr").stdout.startswith("appel (fr): 8 group(s), 10 organisation(s)\n"
                                                                       "Allemagne [DE]: 1\n")


def test_second_appeal_publishes_one_kingdom_and_the_basque_country_among_countries(appeal2, cli):
    """Acceptance: CZ and PS resolved, the Basque Country sorted by its translated name in every language, one
    United Kingdom group, Europe and the international organisations last."""
    from l10n import langs
    from l10n import po as pofile

    assert cli("extract").exit_code == 0
    assert cli("update").exit_code == 0
    basque = {"en": "Basque Country", "es": "País Vasco", "de": "Baskenland", "it": "Paesi Baschi",
              "ru": "Страна Басков", "uk": "Країна Басків"}
    for lang, name in basque.items():
        po = pofile.load(appeal2 / "locales" / lang / "appel.po")
        entry = next(e for e in po.entries if e.msgid == "Pays basque")
        assert not entry.msgstr  # not a territory: translators translate it
        entry.msgstr = name
        pofile.save(po)
    assert cli("build").exit_code == 0
    for lang in LANGS:
        groups = list(_published_groups((appeal2 / "dist" / lang / "appel.txt").read_text(encoding="utf-8")))
        cldr = langs.territory_names(lang)
        assert cldr["CZ"] in groups and cldr["GB"] in groups and groups.count(cldr["GB"]) == 1
        assert groups[-2:] == [cldr["150"], "Organisations internationales"]
        countries = groups[:-2]
        assert basque[lang] in countries
        key = langs.collation_key(lang)
        assert countries == sorted(countries, key=key), lang
    assert "Palestine" in _published_groups((appeal2 / "dist" / "en" / "appel.txt").read_text())
    assert "Палестина" in _published_groups((appeal2 / "dist" / "ru" / "appel.txt").read_text())


# ---------------------------------------------------------------------------------------------------- crash safety


@pytest.mark.parametrize("operation", OPERATIONS)
def test_a_run_stopped_at_any_write_leaves_the_document_unchanged_or_fully_updated(appeal2, operation):
    text, added, _, _ = generated_csv(rows=40, seed=5)
    table = appeal2 / "signatures.csv"
    table.write_text(text, encoding="utf-8")
    config = load_config(appeal2 / "l10n.yaml")
    original = (appeal2 / SOURCE).read_bytes()
    signatories.import_file(config, table)
    final = (appeal2 / SOURCE).read_bytes()
    contacts = (appeal2 / "private" / "contacts.csv").read_bytes()
    assert final != original and added
    outcomes = set()
    k = 0
    while True:
        k += 1
        (appeal2 / SOURCE).write_bytes(original)
        shutil.rmtree(appeal2 / "private")
        with pytest.MonkeyPatch.context() as patch:
            faults = Faults(patch, operation, k)
            try:
                signatories.import_file(config, table)
            except Exception as exc:  # noqa: BLE001 (the point: whatever stops it)
                assert "injected failure" in str(exc)
        now = (appeal2 / SOURCE).read_bytes()
        assert now in (original, final), (operation, k)
        outcomes.add(now == final)
        assert not [p for p in appeal2.rglob("*.tmp")], (operation, k)  # no temporary file left
        if faults.exhausted:  # the run got through every call: all points tried
            assert (appeal2 / "private" / "contacts.csv").read_bytes() == contacts
            break
    assert outcomes == {False, True} and k > 3


def test_a_large_import_parses_the_document_a_constant_number_of_times(appeal2, monkeypatch):
    """Linear: every row is planned, the new text written in one pass and read back once (each row read back
    on its own made 2,000 rows take 2.7 s and 20,000 minutes). A row that would not read back as its name
    costs a bisection, still names its row, and the rest goes in."""
    config = load_config(appeal2 / "l10n.yaml")
    parses = []
    real = signatories.parse
    monkeypatch.setattr(signatories, "parse", lambda *a, **k: parses.append(1) or real(*a, **k))
    rows = [signatories.Candidate(f"Collectif {n:05d}", code, f"big.csv:{n + 2}")
            for n, code in enumerate(["Espagne", "Allemagne", "Italie", "Pologne"] * 500)]
    report = signatories.intake(config, rows)
    assert len(report.added) == 2000 and not report.rejected
    assert len(parses) == 2  # the document as it was, the document as written
    after = groups_of(appeal2)
    assert [n for n in after["DE"] if n.startswith("Collectif")] == [f"Collectif {n:05d}" for n in range(1, 2000, 4)]

    parses.clear()
    bad = signatories.Candidate("Allemagne", "France", "big.csv:4000")  # a country's name reads as a heading
    more = [signatories.Candidate(f"Réseau {n:05d}", "Espagne", f"big.csv:{n + 2002}") for n in range(2000)]
    report = signatories.intake(config, more[:1000] + [bad] + more[1000:])
    assert len(report.added) == 2000
    assert [(o.origin, o.reason) for o in report.rejected] == [
        ("big.csv:4000", "'Allemagne' would not read back as an organisation of 'France' (a line that reads as a "
                         "group heading or the list's heading?)")]
    assert len(parses) <= 2 + 2 * 12  # a bisection over 2,001 rows for the one bad row, not a parse per row
    assert "Allemagne" not in groups_of(appeal2)["FR"]
