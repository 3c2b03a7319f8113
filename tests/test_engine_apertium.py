"""Apertium engine: the real program on the real appeal, plus routing over a scripted pair list."""

from __future__ import annotations

import shutil
import stat
import sys
import time
from pathlib import Path

import pytest

from l10n.engines import create
from l10n.engines.base import EngineUnavailable
from l10n.engines.apertium import ApertiumEngine, _parse_mode
from l10n.glossary import load_glossary

pytestmark = pytest.mark.slow  # Apertium's pipelines, real processes

ROOT = Path(__file__).resolve().parent.parent
APPEAL = [p.strip() for p in (ROOT / "source" / "appeal.fr.txt").read_text(encoding="utf-8").split("\n\n") if p.strip()]
KEEP = [k.text for k in load_glossary(ROOT / "glossary.yaml").keep]
TITLE = APPEAL[0]
DEPUIS = next(p for p in APPEAL if p.startswith("Depuis 2019"))
SITUEE = next(p for p in APPEAL if p.startswith("Située"))
PARIS = next(p for p in APPEAL if p.startswith("Paris, le 21"))
GERMANY = next(p for p in APPEAL if "#FREE120" in p)

@pytest.fixture(scope="module")
def engine() -> ApertiumEngine:
    return ApertiumEngine()


def _script(path: Path, body: str) -> str:
    path.write_text(body, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return str(path)


def test_appeal_fr_is_as_expected():
    assert TITLE.startswith("L'ASSOCIATION SOLIDARITÉ FREEAZAT") and TITLE == TITLE.upper()
    assert "IK-18" in DEPUIS and "-50°C" in SITUEE


# -- real apertium -----------------------------------------------------------------------------------------------


def test_fr_es_keeps_names_numbers_and_reports_unknown_words(engine):
    result = engine.translate([DEPUIS, SITUEE, PARIS], "fr", "es", KEEP)
    assert result.errors == {} and result.calls == 1
    depuis, situee, paris = result.results
    assert "Azat Miftakhov" in depuis.text and "IK-18" in depuis.text and "2019" in depuis.text
    assert "Kharp" in depuis.text and "encarcelado" in depuis.text
    assert "-50°C" in situee.text and "Alexei Navalny" in situee.text
    assert "21" in paris.text and "2026" in paris.text and "mayo" in paris.text
    for tr in result.results:
        assert not any(mark in tr.text for mark in "*#@"), tr.text
        assert tr.chain == ("fr", "es") and tr.engine == "apertium"
    assert "dramatiquement" in depuis.unknown  # Apertium's *dramatiquement, stripped from the text
    assert "dramatiquement" in depuis.text and "*dramatiquement" not in depuis.text
    assert not any(k in u for tr in result.results for u in tr.unknown for k in ("Zq", "Eq"))  # no placeholders


def test_a_text_is_translated_as_if_it_were_alone(engine):
    """Null-flushed blocks: the paragraph before does not leak into the next one's translation.

    Through plain text (`apertium fr-es | apertium spa-ita`) the appeal's "Depuis 2019" comes out "Da 2019"
    after SITUEE and "Dal 2019" on its own.
    """
    batch = engine.translate([SITUEE, DEPUIS], "fr", "it", KEEP)
    alone = engine.translate([DEPUIS], "fr", "it", KEEP)
    assert batch.errors == {} and batch.results[1].chain == ("fr", "es", "it")
    assert batch.results[1].text == alone.results[0].text
    assert batch.results[1].text.startswith("Dal 2019, Azat Miftakhov")


def test_stream_format_characters_come_back_as_they_were(engine):
    """Apertium's own syntax in a text ([ ] ^ $ / \\ < > { } ~) is escaped on the way in, restored on the way out."""
    texts = ["Le prix [note 3] est de 20 € ~ 25 € : 5/2 ^ 4 $ < 7 > 1 {annexe} c:\\dossier",
             "La maison de~le comité."]
    result = engine.translate(texts, "fr", "es")
    assert result.errors == {}
    first, second = (tr.text for tr in result.results)
    for kept in ("[", " 3] ", "~ 25", "5/2 ^ 4 $ < 7 > 1", "c:\\dossier", "{", "} "):
        assert kept in first, first
    assert "~" in second and second.startswith("La casa"), second


def test_fr_es_en_chain_and_one_process_per_pair(tmp_path):
    log = tmp_path / "calls.log"
    wrapper = _script(tmp_path / "apertium", f'#!/bin/sh\necho "$@" >> {log}\nexec {shutil.which("apertium")} "$@"\n')
    engine = ApertiumEngine(binary=wrapper)
    texts = APPEAL[:12]
    result = engine.translate(texts, "fr", "en", KEEP)
    assert result.calls == 2
    invocations = log.read_text().splitlines()
    assert sum(1 for line in invocations if line.startswith("-z -f none")) == 2, invocations
    assert invocations.count("-l") == 1
    translated = [tr for tr in result.results if tr is not None]
    assert len(translated) >= 10
    assert all(tr.chain == ("fr", "es", "en") for tr in translated)
    depuis = result.results[texts.index(DEPUIS)]
    assert depuis is not None and "Azat Miftakhov" in depuis.text and "IK-18" in depuis.text
    assert "imprisoned" in depuis.text
    # A second batch reuses the pair list: no second `apertium -l`.
    engine.translate([PARIS], "fr", "en")
    assert log.read_text().splitlines().count("-l") == 1


def test_sentence_opening_unknown_word_does_not_capitalise_the_next(engine):
    text = "Azat y a déjà été victime de tortures."
    result = engine.translate([text], "fr", "en", KEEP)
    assert result.results[0].text.startswith("Azat has been already"), result.results[0].text


def test_all_caps_title_comes_back_all_caps(engine):
    result = engine.translate([TITLE], "fr", "es", KEEP)
    tr = result.results[0]
    assert tr is not None, result.errors
    assert tr.text == tr.text.upper()
    assert "ASOCIACIÓN" in tr.text and "AZAT MIFTAKHOV" in tr.text and "TORTURA" in tr.text
    assert "ALERTENT" not in tr.text  # really translated, not passed through
    assert tr.unknown and all(u == u.upper() for u in tr.unknown)


def test_hashtag_url_email_and_literal_mark_characters_survive(engine):
    texts = [
        "Campagne #FREE120",
        "Écrivez à contact@freeazat.org ou lisez https://freeazat.org/appel?lang=fr avant le 21 mai.",
        "Note* importante : 5 # 3 et @marie soutient la campagne.",
    ]
    result = engine.translate(texts, "fr", "es")
    campaign, contact, note = (tr.text for tr in result.results)
    assert campaign == "Campaña #FREE120"
    assert "contact@freeazat.org" in contact and "https://freeazat.org/appel?lang=fr" in contact
    assert "Nota*" in note and "5 # 3" in note and "@marie" in note
    assert "campaña" in note


def test_keep_terms_are_not_translated_and_lines_stay_apart(engine):
    text = "L'Adieu aux Armes\nLibre Pensée\nMémorial France"
    plain = engine.translate([text], "fr", "en").results[0].text
    kept = engine.translate([text], "fr", "en", ["Libre Pensée", "Mémorial France"]).results[0].text
    # One HTML paragraph would let Apertium move words across lines ("The Goodbye to the Free\nArms Thought").
    assert plain == "The Goodbye to the Arms\nFree Thought\nMemorial France"
    assert kept == "The Goodbye to the Arms\nLibre Pensée\nMémorial France"


def test_signatories_list_with_hashtag(engine):
    result = engine.translate([GERMANY], "fr", "es", KEEP)
    tr = result.results[0]
    assert "Campaña #FREE120" in tr.text and tr.text.count("\n") == GERMANY.count("\n")


def test_unchanged_or_empty_is_no_result(engine):
    result = engine.translate(["Canada", "   ", "Allemagne"], "fr", "en")
    assert result.results[0] is None and "unchanged" in result.errors[0]
    assert result.results[1] is None and "empty" in result.errors[1]
    assert result.results[2].text == "Germany"


def test_routes_of_the_installed_pairs(engine):
    assert engine.route("fr", "es") == ("fr", "es")
    assert engine.route("fr", "ca") == ("fr", "ca")
    assert engine.route("fr", "en") == ("fr", "es", "en")
    assert engine.route("fr", "pt") == ("fr", "es", "pt")
    assert engine.route("fr", "it") == ("fr", "es", "it")
    assert engine.route("fr", "de") is None
    reason = engine.unavailable_reason("fr", "de")
    assert "from fr to de" in reason and "installed:" in reason and "fr→es" in reason and "google" in reason
    with pytest.raises(EngineUnavailable, match="fr to de"):
        engine.translate(["Bonjour"], "fr", "de")
    assert engine.cache_key().startswith("apertium:")


def test_registry_creates_it():
    assert isinstance(create("apertium"), ApertiumEngine)


def test_missing_program_is_a_reason_not_a_crash(tmp_path):
    engine = ApertiumEngine(binary=str(tmp_path / "no-apertium"))
    assert engine.route("fr", "es") is None
    assert "apertium is not installed" in engine.unavailable_reason("fr", "es")
    assert "apt-get install apertium" in engine.unavailable_reason("fr", "es")
    with pytest.raises(EngineUnavailable):
        engine.translate(["Bonjour"], "fr", "es")


# -- routing and alignment with a scripted apertium ---------------------------------------------------------------

LISTING = """cat-fra eco-es-fr eco-fr-es eng-spa es-fr es-gl es-pt es-pt_BR fr-eo-bytecode fr-eo fr-es fra-cat
fra-cat_pre2017 fra-oci fra-oci_gascon gl-es ita-spa oci-fra oci_gascon-fra pt-es spa-eng spa-eng_US spa-ita""".split()


def _fake_apertium(tmp_path: Path, translate: str) -> str:
    """A python 'apertium' printing LISTING for -l and applying `translate` (an expression on `doc`) otherwise."""
    return _script(tmp_path / "apertium", f"""#!{sys.executable}
import sys
if "-l" in sys.argv:
    print("\\n".join({LISTING!r}))
    sys.exit(0)
doc = sys.stdin.read()
sys.stdout.write({translate})
""")


def test_mode_names_are_normalised_to_bcp47():
    assert _parse_mode("fra-cat") is not None and _parse_mode("fra-cat").target == "ca"
    assert (_parse_mode("es-pt_BR").source, _parse_mode("es-pt_BR").target) == ("es", "pt-BR")
    assert _parse_mode("spa-eng_US").target == "en-US"
    for ignored in ("eco-es-fr", "fr-eo-bytecode", "fra-cat_pre2017", "fra-oci_gascon", "oci_gascon-fra"):
        assert _parse_mode(ignored) is None, ignored


def test_shortest_chain_and_regional_variants(tmp_path):
    engine = ApertiumEngine(binary=_fake_apertium(tmp_path, "doc"))
    assert engine._plan("fr", "es") == (("fr", "es"), ("fr-es",))
    assert engine._plan("fr", "ca") == (("fr", "ca"), ("fra-cat",))
    assert engine._plan("fr", "oc") == (("fr", "oc"), ("fra-oci",))
    assert engine._plan("fr", "eo") == (("fr", "eo"), ("fr-eo",))
    assert engine._plan("fr", "en") == (("fr", "es", "en"), ("fr-es", "spa-eng"))
    assert engine._plan("fr", "en-US") == (("fr", "es", "en-US"), ("fr-es", "spa-eng_US"))
    assert engine._plan("fr", "en-GB") == (("fr", "es", "en-GB"), ("fr-es", "spa-eng"))
    assert engine._plan("fr", "pt") == (("fr", "es", "pt"), ("fr-es", "es-pt"))
    assert engine._plan("fr", "pt-BR") == (("fr", "es", "pt-BR"), ("fr-es", "es-pt_BR"))
    assert engine._plan("fr", "gl") == (("fr", "es", "gl"), ("fr-es", "es-gl"))
    assert engine._plan("fra", "ita") == (("fra", "es", "ita"), ("fr-es", "spa-ita"))
    assert engine._plan("ca", "en") == (("ca", "fr", "es", "en"), ("cat-fra", "fr-es", "spa-eng"))
    assert engine._plan("en", "fr") == (("en", "es", "fr"), ("eng-spa", "es-fr"))
    assert engine._plan("fr", "de") is None and engine._plan("fr", "fr") is None


def test_a_segment_missing_from_the_output_fails_only_that_text(tmp_path):
    engine = ApertiumEngine(binary=_fake_apertium(
        tmp_path, "doc.replace('[s1-0]', '').replace('bonjour', 'hola').replace('salut', 'buenas')"))
    result = engine.translate(["bonjour", "salut", "bonjour salut"], "fr", "es")
    assert [tr.text if tr else None for tr in result.results] == ["hola", None, "hola buenas"]
    assert "no output" in result.errors[1]


def test_changed_numbers_and_lost_keep_terms_are_refused(tmp_path):
    engine = ApertiumEngine(binary=_fake_apertium(
        tmp_path, "doc.replace('2019', '2020').replace('Eq0kx', 'X').replace('mai', 'mayo')"))
    result = engine.translate(["le 21 mai 2019", "Azat, mai"], "fr", "es", ["Azat"])
    assert result.results == [None, None]
    assert "numbers" in result.errors[0] and "2019" in result.errors[0]
    assert "lost protected text: Azat" in result.errors[1]


def test_a_crashing_apertium_fails_the_batch_with_its_message(tmp_path):
    binary = _script(tmp_path / "apertium", f"""#!{sys.executable}
import sys
if "-l" in sys.argv:
    print("fr-es")
    sys.exit(0)
sys.stderr.write("Error: cannot open transducer")
sys.exit(1)
""")
    result = ApertiumEngine(binary=binary).translate(["bonjour", "salut"], "fr", "es")
    assert result.results == [None, None] and result.calls == 1
    assert all("cannot open transducer" in e for e in result.errors.values())


def test_a_hanging_pipeline_is_killed_whole_at_the_timeout(tmp_path):
    """`apertium` is a shell script: killing it alone would leave its pipeline running, orphaned."""
    pidfile = tmp_path / "child.pid"
    binary = _script(tmp_path / "apertium", f"""#!/bin/sh
if [ "$1" = "-l" ]; then echo fr-es; exit 0; fi
sleep 60 &
echo $! > {pidfile}
wait
""")
    result = ApertiumEngine(binary=binary, timeout=1).translate(["bonjour"], "fr", "es")
    assert result.results == [None] and "timed out after 1s" in result.errors[0]
    status = Path(f"/proc/{pidfile.read_text().strip()}/status")
    deadline = time.monotonic() + 10
    while status.exists() and "\tZ" not in status.read_text() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not status.exists() or "\tZ" in status.read_text(), "the pipeline outlived the timeout"
