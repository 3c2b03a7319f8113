"""CLDR answers (canonical tags, territory names) kept per user, so that most commands start without Babel."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from l10n import langs, usercache

ROOT = Path(__file__).resolve().parent.parent

# In a fresh interpreter: what langs answers, the appeal's groups, and whether Babel had to be imported for them.
ANSWERS = """
import sys
from pathlib import Path
from l10n import langs
from l10n.config import SignatoriesConfig
from l10n.document import parse, read_text
doc = parse(Path("appeal.fr.txt"), read_text(Path(sys.argv[1])), "fr",
            SignatoriesConfig(heading="Liste des signataires", groups={"Etat espagnol": "ES", "Europe": "150"}))
print(langs.canonical("pt-br"), langs.territory_name("BJ", "fr"), [g.code for g in doc.signatories.groups][:2],
      "babel" in sys.modules)
"""


def _answers() -> str:
    return subprocess.run([sys.executable, "-c", ANSWERS, str(ROOT / "source" / "appeal.fr.txt")], check=True,
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}).stdout


def _stored(path: Path) -> dict:
    usercache.save_all()  # what this process leaves at its end
    return json.loads(path.read_text(encoding="utf-8"))


def test_answers_are_kept_per_babel_and_used_without_it(cldr_cache):
    assert _answers() == "pt-BR Bénin ['DE', 'BJ'] True\n"  # nothing kept yet: Babel answers
    stored = _stored(cldr_cache)
    assert stored["babel"] == usercache.package_stamp("babel") and "babel" in stored["babel"]
    assert stored["canonical"] == {"pt-br": "pt-BR"}
    assert stored["territories"] == {"fr": dict(langs.locale("fr").territories)}
    assert stored["territories"]["fr"]["BJ"] == "Bénin"
    assert _answers() == "pt-BR Bénin ['DE', 'BJ'] False\n"  # the same answers, Babel never imported


def test_a_bad_tag_is_never_kept(cldr_cache):
    assert langs.canonical("es") == "es"
    for tag in ("es_ES/../x", "xx-QQ-zzzzzzzzz", "klingon"):
        with pytest.raises(ValueError):
            langs.canonical(tag)
    assert _stored(cldr_cache)["canonical"] == {"es": "es"}


@pytest.mark.parametrize("content", [
    b"{not json", b"[]", b"",
    json.dumps({"babel": "another Babel", "territories": {"fr": {"BJ": "Nowhere"}}}).encode(),
    json.dumps({"babel": "%s", "territories": {"fr": {"BJ": 3}}, "canonical": {"pt-br": ["pt"]}}).encode(),
    json.dumps({"babel": "%s", "territories": ["fr"], "canonical": "pt-BR"}).encode(),
])
def test_a_bad_or_stale_cache_is_asked_again_and_rewritten(cldr_cache, content):
    cldr_cache.parent.mkdir(parents=True)
    cldr_cache.write_bytes(content.replace(b"%s", json.dumps(usercache.package_stamp("babel"))[1:-1].encode()))
    assert langs.territory_name("BJ", "fr") == "Bénin"
    assert langs.canonical("pt-br") == "pt-BR"
    stored = _stored(cldr_cache)
    assert stored["babel"] == usercache.package_stamp("babel")
    assert stored["territories"]["fr"]["BJ"] == "Bénin" and stored["canonical"]["pt-br"] == "pt-BR"


def test_an_unwritable_or_missing_cache_only_costs_time(tmp_path, monkeypatch):
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("a file where the cache directory should be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert langs.territory_name("BJ", "fr") == "Bénin" and langs.canonical("pt-br") == "pt-BR"
    assert blocked.read_text() == "a file where the cache directory should be"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", "relative/home")  # no usable home directory: no cache at all
    assert usercache.cache_path(langs.CACHE_NAME) is None
    langs.territory_names.cache_clear()
    assert langs.territory_name("BJ", "fr") == "Bénin" and langs.canonical("pt-br") == "pt-BR"


# The l10n command in a fresh interpreter; after the command's own output, prints which of the libraries that
# only some work needs it loaded.
HEAVY = ("babel", "icu", "jinja2", "polib", "rapidfuzz", "tenacity", "yaml")


def _loaded(*args: str, heavy: tuple[str, ...] = HEAVY) -> str:
    loaded = ("import atexit, sys\nfrom l10n.cli import entry\n"
              f"atexit.register(lambda: print(sorted({{m.split('.')[0] for m in sys.modules}} & {set(heavy)!r})))\n"
              "entry()")
    done = subprocess.run([sys.executable, "-c", loaded, *args], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_extract_on_a_known_language_does_not_import_babel_nor_pyyaml(project, cli):
    assert cli("extract").exit_code == 0  # the first run asks Babel and keeps the answers
    (project / "locales" / "appeal.pot").unlink()
    # written, and neither Babel nor PyYAML loaded, nor the line breaker libunistring stands in for
    loaded = _loaded("extract", heavy=(*HEAVY, "unicode_segmentation_rs"))
    assert loaded == "wrote 1 file(s): locales/appeal.pot\n[]\n"
    assert (project / "locales" / "appeal.pot").is_file()


def test_run_with_nothing_to_do_does_not_import_babel_nor_what_only_work_needs(project, cli):
    config = project / "l10n.yaml"
    config.write_text(config.read_text().replace("languages: [en, es, de, it, pt, ru, uk, ca]", "languages: [es, de]"))
    assert cli("run", "--engine", "pseudo", "--allow-fuzzy").exit_code == 0  # asks Babel, keeps the answers
    again = _loaded("run", "--engine", "pseudo", "--allow-fuzzy")
    assert "2 file(s) unchanged" in again and "wrote 0 file(s) in dist" in again
    assert again.endswith("\n[]\n")  # nothing to merge, translate, render or sort: none of them loaded


def test_a_first_command_writes_each_answers_file_once(project, cli, monkeypatch):
    """A new machine's first command asks Babel a dozen things (a tag per language, territory names) and PyYAML
    two: each answers file is written once, when the command finishes."""
    from l10n import catalog

    written: list[str] = []
    real = catalog.atomic_write
    monkeypatch.setattr(catalog, "atomic_write", lambda path, *a, **k: (written.append(path.name), real(path, *a, **k)))
    swap = catalog._swap_in  # how catalogs are written
    monkeypatch.setattr(catalog, "_swap_in", lambda path, *a, **k: (written.append(path.name), swap(path, *a, **k)))
    assert cli("extract").exit_code == 0
    assert sorted(written) == ["appeal.pot", "cldr.json", "memo.json", "yaml.json"]
    assert len(_stored(usercache.cache_path(langs.CACHE_NAME))["canonical"]) == 9  # fr and 8 languages
