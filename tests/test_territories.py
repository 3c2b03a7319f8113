"""Group headings as committees write them: CLDR names, former and short names, regions, duplicates."""

from pathlib import Path

import pytest
import yaml

from l10n import langs
from l10n.config import GroupSpec, SignatoriesConfig, parse_config
from l10n.document import (ALIASES_DIR, DUPLICATE_GROUP, DUPLICATE_ORGANISATION, LAST, REGION, SIMILAR_ORGANISATION,
                           UNKNOWN_GROUP, _territories, aliases, duplicate_organisations, parse, parse_lines,
                           publication_order, read_lines, similar_organisations, territory_key, territory_name, territory_of)
from l10n.errors import ConfigError

APPEAL2 = Path(__file__).resolve().parent / "data" / "appeal2"


def second_appeal():
    config = parse_config(yaml.safe_load((APPEAL2 / "l10n.yaml").read_text()), APPEAL2 / "l10n.yaml")
    path = config.documents[0]
    return parse_lines(path, read_lines(APPEAL2 / path), "fr", config.signatories)


def _doc(groups: str, config: SignatoriesConfig | None = None):
    text = "Titre\n\nUn paragraphe.\n\nSignataires\n\n" + groups
    return parse(Path("x.txt"), text, "fr", config or SignatoriesConfig(heading="Signataires"))


@pytest.mark.parametrize("name, code", [
    ("République tchèque", "CZ"), ("Tchéquie", "CZ"), ("Palestine", "PS"), ("Etats-Unis", "US"), ("USA", "US"),
    ("Grande-Bretagne", "GB"), ("Grande Bretagne", "GB"), ("Russie", "RU"), ("Moldavie", "MD"),
    ("Macédoine", "MK"), ("Côte d'Ivoire", "CI"), ("Côte d’Ivoire", "CI"), ("COTE D IVOIRE", "CI"),
    ("Royaume Uni", "GB"), ("royaume-uni", "GB"), ("Vietnam", "VN"), ("Birmanie", "MM"),
])
def test_french_names_in_any_usual_spelling(name, code):
    assert territory_of(name, "fr") == code


def test_alias_tables_name_real_territories_and_never_contradict_cldr():
    files = sorted(ALIASES_DIR.glob("*.yaml"))
    assert {f.stem for f in files} >= {"fr", "en", "es", "de", "it", "pt", "ru", "uk", "ca"}
    for path in files:
        lang = path.stem
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert set(data) <= {"aliases", "short"}, path
        known = langs.territory_names(lang)
        table = aliases(lang)
        for code, names in data.get("aliases", {}).items():
            assert code in known, (path, code)
            for name in names:
                assert _territories(lang).get(territory_key(name), code) == code, (path, name)  # no other code
                assert table.names[territory_key(name)] == code
        for code, name in data.get("short", {}).items():
            assert code in known and table.short[code] == name


def test_second_appeal_resolves_and_merges_one_kingdom():
    doc = second_appeal()
    groups = {g.heading: (g.code, g.kind, [o.name for o in g.organisations]) for g in doc.signatories.groups}
    assert groups["République tchèque"][:2] == ("CZ", "country")
    assert groups["Palestine"][:2] == ("PS", "country")
    assert groups["Pays basque"][:2] == (None, REGION)
    assert groups["Europe"][:2] == ("150", LAST)
    assert groups["Organisations internationales"][:2] == (None, LAST)
    assert "Royaume Uni" not in groups
    assert groups["Royaume-Uni"] == ("GB", "country", ["Amnesty International UK", "Peace Pledge Union"])
    assert [(n.line, n.check) for n in doc.notices] == [(36, DUPLICATE_GROUP)]
    assert "'Royaume Uni'" in doc.notices[0].message and "'Royaume-Uni' at line 32" in doc.notices[0].message
    segments = [s.text for s in doc.segments()]
    assert "Royaume Uni" not in segments and segments.count("Royaume-Uni") == 1


@pytest.mark.parametrize("lang, czech, palestine", [
    ("en", "Czechia", "Palestine"), ("de", "Tschechien", "Palästina"), ("ru", "Чехия", "Палестина"),
    ("uk", "Чехія", "Палестина"), ("es", "Chequia", "Palestina")])
def test_former_names_publish_cldr_names_and_short_names_short_ones(lang, czech, palestine):
    assert territory_name("CZ", "République tchèque", "fr", lang) == czech
    assert territory_name("PS", "Palestine", "fr", lang) == palestine
    assert territory_name("PS", "Territoires palestiniens", "fr", lang) == langs.territory_name("PS", lang)
    assert territory_name("ES", "Etat espagnol", "fr", lang) is None  # the committee's wording: translators'
    assert territory_name("PS", "Palestine", "fr", "ja") is None  # no short name known: translators decide


def test_unknown_heading_is_a_region_reported_once_with_a_did_you_mean():
    doc = _doc("Allemagen\n\nOrg A\n\nPays basque\n\nOrg B\n\nAllemagen\n\nOrg C\n\nFrance\n\nOrg D")
    assert [(g.heading, g.kind) for g in doc.signatories.groups] == [
        ("Allemagen", REGION), ("Pays basque", REGION), ("France", "country")]
    assert [o.name for o in doc.signatories.groups[0].organisations] == ["Org A", "Org C"]
    unknown = [n for n in doc.notices if n.check == UNKNOWN_GROUP]
    assert [n.line for n in unknown] == [7, 11]
    assert "did you mean 'Allemagne'?" in unknown[0].message
    assert "did you mean" not in unknown[1].message  # nothing close enough: no wild guess
    assert "signatories.groups" in unknown[1].message
    assert [n.check for n in doc.notices if n.line == 15] == [DUPLICATE_GROUP]


def test_regions_sort_with_countries_and_last_groups_stay_last_in_source_order():
    config = SignatoriesConfig(heading="Signataires", groups={
        "Europe": GroupSpec(code="150"), "Individuels": GroupSpec(kind="last"), "Catalogne": GroupSpec(kind="region"),
        "Organisation internationale": None})
    doc = _doc("Organisation internationale\n\nA\n\nFrance\n\nB\n\nIndividuels\n\nC\n\nCatalogne\n\nD\n\n"
               "Europe\n\nE\n\nAllemagne\n\nF\n\nKurdistan\n\nG", config)
    ordered = publication_order(doc.signatories.groups, lambda g: g.kind, lambda g: g.heading, "fr")
    assert [g.heading for g in ordered] == ["Allemagne", "Catalogne", "France", "Kurdistan",
                                            "Organisation internationale", "Individuels", "Europe"]


def test_group_forms_in_config():
    raw = {"source_language": "fr", "documents": ["a.txt"], "languages": ["en"], "signatories": {"groups": {
        "Etat espagnol": "ES", "Europe": {"code": "150"}, "Amérique": {"code": 19, "kind": "region"},
        "Pays basque": {"kind": "region"}, "Individus": {"kind": "last"}, "Organisation internationale": None}}}
    groups = parse_config(raw, Path("/p/l10n.yaml")).signatories.groups
    assert groups == {"Etat espagnol": GroupSpec(code="ES"), "Europe": GroupSpec(code="150"),
                      "Amérique": GroupSpec(code="19", kind="region"), "Pays basque": GroupSpec(kind="region"),
                      "Individus": GroupSpec(kind="last"), "Organisation internationale": GroupSpec()}
    assert [g.placement for g in groups.values()] == ["country", "last", "region", "region", "last", "last"]
    for bad, message in [({"kind": "regoin"}, "signatories.groups.X.kind must be one of country, region, last"),
                         ({"cdoe": "ES"}, "unknown key 'cdoe' in signatories.groups.X (did you mean 'code'?)"),
                         ([1], "signatories.groups.X must be a territory code, null, or a mapping")]:
        raw["signatories"]["groups"] = {"X": bad}
        with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)").replace("?", r"\?")):
            parse_config(raw, Path("/p/l10n.yaml"))


def test_same_organisation_twice_and_near_identical_names_name_both_lines():
    doc = _doc("France\n\nLigue des droits de l'homme\nUnion syndicale Solidaires\nFO 35\nFO 36\n\n"
               "Allemagne\n\nligue des DROITS de l’Homme\nUnion syndicale Solidaries\nKomitee für Grundrechte")
    assert not doc.notices  # parsing does not fold every name: check and the signatories commands ask
    exact = duplicate_organisations(doc)
    assert {n.check for n in exact} == {DUPLICATE_ORGANISATION}
    assert [(n.line, n.text) for n in exact] == [(16, "ligue des DROITS de l’Homme")]
    assert "also at line 9 (\"Ligue des droits de l'homme\")" in exact[0].message
    similar = similar_organisations(doc)
    assert [(n.line, n.check) for n in similar] == [(17, SIMILAR_ORGANISATION)]
    assert "'Union syndicale Solidaries' looks like 'Union syndicale Solidaires' at line 10 (96% alike)" \
        in similar[0].message  # FO 35 and FO 36 differ by their numbers: two organisations


def test_near_identical_names_are_found_at_either_end_among_many():
    import random

    rng = random.Random(18)
    names = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(24)).capitalize() for _ in range(2000)]
    start, end = names[500], names[1500]
    doc = _doc("France\n\n" + "\n".join(names + ["Q" + start[1:], end[:-1] + "q"]))
    found = {n.text: n.message for n in similar_organisations(doc)}
    assert set(found) == {"Q" + start[1:], end[:-1] + "q"}
    assert f"looks like {start!r} at line 509" in found["Q" + start[1:]]


def test_check_reports_the_source_problems_at_their_lines(tmp_path, monkeypatch, cli):
    import shutil

    shutil.copytree(APPEAL2, tmp_path, dirs_exist_ok=True)
    source = tmp_path / "source" / "appel.fr.txt"
    source.write_text(source.read_text().replace("Union syndicale Solidaires",
                                                 "Union syndicale Solidaires\nUnion Syndicale SOLIDAIRES\n"
                                                 "Ligue des droits de l'hommes"))
    monkeypatch.chdir(tmp_path)
    result = cli("check")
    lines = [line for line in result.stdout.splitlines() if line.startswith("source/")]
    assert lines == [
        "source/appel.fr.txt:19: warning [duplicate-organisation] organisation 'Union Syndicale SOLIDAIRES' is "
        "listed twice: also at line 18 ('Union syndicale Solidaires')",
        "source/appel.fr.txt:20: warning [similar-organisation] organisation \"Ligue des droits de l'hommes\" looks "
        "like \"Ligue des droits de l'homme\" at line 17 (98% alike)",
        "source/appel.fr.txt:38: warning [duplicate-group] group heading 'Royaume Uni' is the same territory (GB) "
        "as 'Royaume-Uni' at line 34: one group, its organisations listed in source order"]
    assert result.exit_code == 0
    (tmp_path / "l10n.yaml").write_text((tmp_path / "l10n.yaml").read_text() +
                                        "checks: {disable: [similar-organisation, duplicate-group]}\n")
    assert [line for line in cli("check").stdout.splitlines() if line.startswith("source/")] == lines[:1]
