"""Reading the appeal as the committee sent it."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from l10n.config import SignatoriesConfig
from l10n.document import LOOSE_SPACE, _chunks, COUNTRY, DATELINE, GROUP, ORGANISATION, PARAGRAPH, TITLE, parse, parse_lines, read_lines
from l10n.errors import SourceError

ROOT = Path(__file__).resolve().parent.parent
APPEAL = ROOT / "source" / "appeal.fr.txt"
OVERRIDES = SignatoriesConfig(heading="Liste des signataires",
                              groups={"Etat espagnol": "ES", "Europe": "150", "Organisation internationale": None})


@pytest.fixture
def appeal():
    return parse_lines(Path("source/appeal.fr.txt"), read_lines(APPEAL), "fr", OVERRIDES)


def test_source_is_committed_verbatim():
    data = APPEAL.read_bytes()
    assert data.startswith(b"\n\nL'ASSOCIATION")  # leading blank lines kept
    assert not data.endswith(b"\n")  # no final newline, as sent


def test_appeal_has_10_body_blocks_1_heading_15_groups_43_organisations(appeal):
    assert len(appeal.body) == 10
    assert [b.role for b in appeal.body] == [TITLE] + [PARAGRAPH] * 8 + [DATELINE]
    assert appeal.signatories.heading == "Liste des signataires"
    assert len(appeal.signatories.groups) == 15
    assert len(appeal.signatories.organisations) == 43


def test_group_headings_map_to_territory_codes(appeal):
    codes = {g.heading: g.code for g in appeal.signatories.groups}
    assert codes["Allemagne"] == "DE"
    assert codes["Bénin"] == "BJ"
    assert codes["Etats-Unis"] == "US"  # written without the accent CLDR uses
    assert codes["Etat espagnol"] == "ES"  # config override, the committee's wording kept
    assert codes["Europe"] == "150"
    assert codes["Organisation internationale"] is None
    roles = {g.heading: g.role for g in appeal.signatories.groups}
    assert roles["Organisation internationale"] == GROUP and roles["Allemagne"] == COUNTRY


def test_lines_point_at_the_source(appeal):
    lines = APPEAL.read_text(encoding="utf-8").split("\n")
    for seg in appeal.segments():
        assert lines[seg.line - 1].strip().startswith(seg.text[:20])


def test_france_has_21_organisations_in_order(appeal):
    france = next(g for g in appeal.signatories.groups if g.heading == "France")
    assert len(france.organisations) == 21
    assert france.organisations[0].name == "Arguments pour la lutte sociale"
    assert france.organisations[-1].name == "Vesna France"


def test_segments_roles(appeal):
    segments = appeal.segments()
    assert len(segments) == 10 + 1 + 15 + 43
    assert sum(s.role == ORGANISATION for s in segments) == 43


def test_crlf_bom_and_extra_blank_lines_parse_the_same(appeal, tmp_path):
    text = "\ufeff" + APPEAL.read_text(encoding="utf-8").replace("\n\n", "\n \n\n\t\n").replace("\n", "\r\n")
    (tmp_path / "x").write_bytes(text.encode("utf-8"))
    again = parse_lines(Path("x"), read_lines(tmp_path / "x"), "fr", OVERRIDES)
    assert [s.text for s in again.segments()] == [s.text for s in appeal.segments()]


def test_unknown_group_heading_is_a_group_with_a_warning():
    text = "Titre\n\nUn paragraphe.\n\nListe des signataires\n\nAllemagne\n\nOrg A\n\nAmis du monde\n\nOrg B\nOrg C"
    doc = parse(Path("x.txt"), text, "fr", SignatoriesConfig(heading="Liste des signataires"))
    assert [g.heading for g in doc.signatories.groups] == ["Allemagne", "Amis du monde"]
    assert doc.signatories.groups[1].code is None
    assert doc.warnings and "x.txt:11" in doc.warnings[0]


def test_organisations_separated_by_blank_lines_stay_in_their_group():
    text = "Titre\n\nTexte.\n\nListe des signataires\n\nFrance\n\nOrg A\n\nOrg B\n\nItalie\n\nOrg C"
    doc = parse(Path("x.txt"), text, "fr", SignatoriesConfig(heading="Liste des signataires"))
    assert [(g.heading, [o.name for o in g.organisations]) for g in doc.signatories.groups] == [
        ("France", ["Org A", "Org B"]), ("Italie", ["Org C"])]


def test_empty_and_invalid_sources_are_clear_errors(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n  \n")
    with pytest.raises(SourceError, match="empty"):
        parse_lines(empty, read_lines(empty), "fr", SignatoriesConfig())
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"ok\nline two \xff\n")
    with pytest.raises(SourceError) as err:
        read_lines(bad)
    assert str(err.value) == f"{bad}:2: source is not valid UTF-8"
    with pytest.raises(SourceError, match="cannot read source"):
        read_lines(tmp_path / "missing.txt")


def test_white_space_is_tidied_and_no_break_spaces_stay_as_sent():
    text = ("Titre\n\nLibérez\tAzat   Miftakhov\u00a0! Il est «\u202fprisonnier\u202f» depuis 2019.  \n"
            "  Suite\u2028du paragraphe.\t\n\u00a0\u00a0\nAutre paragraphe\u00a0: fin.\n\n"
            "Liste des signataires\n\nFrance\n\nOrg\u00a0A \t\nOrg  B")
    doc = parse(Path("x.txt"), text, "fr", SignatoriesConfig(heading="Liste des signataires"))
    assert [b.text for b in doc.body] == [
        "Titre",
        "Libérez Azat Miftakhov\u00a0! Il est «\u202fprisonnier\u202f» depuis 2019. Suite du paragraphe.",
        "Autre paragraphe\u00a0: fin.",  # a line of no-break spaces is blank: it ends the paragraph before
    ]
    assert [(o.name, o.line) for o in doc.signatories.organisations] == [("Org\u00a0A", 12), ("Org B", 13)]


@given(st.lists(st.text(alphabet=st.sampled_from("ab é.\t\x0b\x0c\x1c\x85\u00a0\u1680\u2007\u2028\u202f\u3000"),
                        max_size=12), max_size=8))
@settings(max_examples=400, deadline=None)
def test_lines_are_tidied_as_the_definition_says(lines):
    """Every line, however it reaches _chunks' shortcuts: runs of white space that may break become one space,
    no-break spaces stay, the ends are trimmed; blank lines (only white space) separate chunks."""
    expected, current = [], []
    for number, line in enumerate(lines, 1):
        tidy = LOOSE_SPACE.sub(" ", line).strip()  # the definition, one pattern for every line
        if tidy:
            current.append((number, tidy))
        elif current:
            expected.append(current)
            current = []
    expected += [current] if current else []
    assert [[(first + i, line) for i, line in enumerate(chunk)] for first, chunk in _chunks(lines)] \
        == expected
