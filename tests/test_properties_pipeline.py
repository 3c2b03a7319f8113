"""Property tests across stages: text of any script survives extract → update → build, merges lose nothing."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from l10n import po as pofile
from l10n.po.merge import merge
from l10n.assemble import REVIEWED, assemble
from l10n.render import render_text
from l10n.config import SignatoriesConfig, parse_config
from l10n.document import fold, parse
from l10n.pot import template

# One line of text as a person could write it: any script, quotes, backslashes, tabs inside; the parser folds
# runs of white space, so generated lines are already folded.
line = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\ufeff"),
               min_size=1, max_size=120).map(lambda s: " ".join(s.split())).filter(bool)


def config_for(tmp: Path):
    return parse_config({"source_language": "fr", "documents": ["doc.fr.txt"], "languages": ["es"]},
                        tmp / "l10n.yaml")


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(paragraphs=st.lists(line, min_size=2, max_size=6, unique=True),
       orgs=st.lists(line, min_size=1, max_size=4, unique=True))
def test_identity_translation_survives_extract_update_build(tmp_path, paragraphs, orgs):
    paragraphs = [p for p in paragraphs if fold(p) != "liste des signataires"]
    text = "\n\n".join(paragraphs) + "\n\nListe des signataires\n\nFrance\n\n" + "\n".join(orgs) + "\n"
    config = config_for(tmp_path)
    doc = parse(Path("doc.fr.txt"), text, "fr", SignatoriesConfig(heading="Liste des signataires"))
    pot = template(config, doc)
    pot = pofile.loads(pofile.dumps(pot), Path("doc.pot"))
    po = merge(pot, None, tmp_path / "es.po", pofile.Entry(msgid="")).catalog
    for entry in po.active:
        entry.msgstr = entry.msgid
    po = pofile.loads(pofile.dumps(po), Path("es.po"))
    built = assemble(doc, po, "es", "fr", "paragraph", allow_fuzzy=False, order="source")
    assert [p.state for p in built.pieces()] == [REVIEWED] * len(built.pieces())
    assert [p.text for p in built.pieces()] == [s.text for s in doc.segments()]
    flat = " ".join(render_text(built).split())
    for seg in doc.segments():
        assert " ".join(seg.text.split()) in flat


@settings(max_examples=60, deadline=None)
@given(old=st.lists(line, min_size=1, max_size=12, unique=True), new=st.lists(line, max_size=12, unique=True))
def test_merge_never_loses_a_translation_whose_msgid_survives(old, new):
    source = pofile.Catalog(path=Path("t.pot"), header=pofile.Entry(msgid=""),
                             entries=[pofile.Entry(msgid=t) for t in old])
    po = merge(source, None, Path("x.po"), pofile.Entry(msgid="")).catalog
    for i, entry in enumerate(po.entries):
        entry.msgstr = f"T{i}:{entry.msgid}"
    po = pofile.loads(pofile.dumps(po), Path("x.po"))
    kept = list(dict.fromkeys(old[::2] + new))
    template_ = pofile.Catalog(path=Path("t.pot"), header=pofile.Entry(msgid=""),
                                entries=[pofile.Entry(msgid=t) for t in kept])
    merged = merge(template_, po, Path("x.po"), pofile.Entry(msgid="")).catalog
    before = {e.msgid: e.msgstr for e in po.entries}
    after = {e.msgid: e for e in merged.entries if not e.obsolete}
    for msgid, msgstr in before.items():
        if msgid in after:
            assert after[msgid].msgstr == msgstr and not after[msgid].fuzzy
        else:  # gone from the source: kept as obsolete, or inherited by a similar new entry
            assert any(e.msgstr == msgstr for e in merged.entries)
