"""Translation memory from the project's reviewed entries and from compendia (PO through the strict parser, TMX)."""

from pathlib import Path

from l10n import po as pofile
from l10n.memory import build_memory

COMPENDIUM = '''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Nous exigeons la libération d'Azat."
msgstr "Exigimos la liberación de Azat."

#, fuzzy
msgid "Un brouillon."
msgstr "Un borrador."

msgid "Vide."
msgstr ""

#~ msgid "Ancien."
#~ msgstr "Viejo."
'''

TMX = '''<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header srclang="fr" datatype="plaintext" segtype="sentence" adminlang="en"
 creationtool="t" creationtoolversion="1" o-tmf="t"/>
<body>
<tu><tuv xml:lang="fr-FR"><seg>Sauvons Azat avant qu'il ne soit trop tard !</seg></tuv>
<tuv xml:lang="es-ES"><seg>¡Salvemos a Azat antes de que sea demasiado tarde!</seg></tuv></tu>
<tu><tuv xml:lang="fr"><seg>Bonjour</seg></tuv><tuv xml:lang="de"><seg>Hallo</seg></tuv></tu>
</body></tmx>
'''


def test_compendia_give_reviewed_units_only_and_fuzzy_matches_score(tmp_path: Path):
    po = tmp_path / "c.po"
    po.write_text(COMPENDIUM, encoding="utf-8")
    tmx = tmp_path / "c.tmx"
    tmx.write_text(TMX, encoding="utf-8")
    project = pofile.Catalog(path=tmp_path / "p.po", header=pofile.Entry(msgid=""), entries=[
        pofile.Entry(msgid="Liste des signataires", msgstr="Lista de firmantes"),
        pofile.Entry(msgid="Brouillon du projet", msgstr="Borrador", flags=["fuzzy"]),
    ])
    memory = build_memory(85, [project], [po, tmx], "fr", "es")
    assert memory.units == {
        "Liste des signataires": "Lista de firmantes",
        "Nous exigeons la libération d'Azat.": "Exigimos la liberación de Azat.",
        "Sauvons Azat avant qu'il ne soit trop tard !": "¡Salvemos a Azat antes de que sea demasiado tarde!",
    }
    assert memory.lookup("Liste des signataires") == ("Lista de firmantes", 100)
    text, score = memory.lookup("Nous exigeons la libération d'Azat !")
    assert text == "Exigimos la liberación de Azat." and 85 <= score < 100
    assert memory.lookup("Un tout autre texte") is None


def test_a_malformed_compendium_is_a_warning_naming_file_and_line(tmp_path: Path):
    """Compendia are read by the catalogs' own strict parser: a broken one is skipped with a warning that says
    where (it only ever helps a draft), and the other compendia still count."""
    from l10n import errors

    good, bad = tmp_path / "good.po", tmp_path / "bad.po"
    good.write_text(COMPENDIUM, encoding="utf-8")
    bad.write_text(COMPENDIUM + '\nmsgid "Ouvert\nmsgstr "x"\n', encoding="utf-8")
    said: list[str] = []
    previous, errors.warning_sink = errors.warning_sink, said.append
    try:
        memory = build_memory(85, [], [bad, good], "fr", "es")
    finally:
        errors.warning_sink = previous
    assert memory.units == {"Nous exigeons la libération d'Azat.": "Exigimos la liberación de Azat."}
    assert len(said) == 1 and said[0].startswith(f"{bad}:{COMPENDIUM.count(chr(10)) + 2}: unterminated string") and said[0].endswith("; compendium skipped"), said
