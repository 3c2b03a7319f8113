"""A language no installed engine serves is not asked again on every run: pretranslate records it under the
identity of the engines' installation (l10n/engines/installed.py), and drafts it as soon as that changes."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from l10n import engines
from l10n.engines.installed import identity
from tests.conftest import run

MODES = Path("/usr/share/apertium/modes")


@pytest.fixture
def created(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The engines a command creates, by name."""
    names: list[str] = []
    real = engines.create

    def spy(name: str, options=None):  # noqa: ANN001, ANN202
        names.append(name)
        return real(name, options)

    monkeypatch.setattr(engines, "create", spy)
    return names


def _datadir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *modes: str) -> Path:
    """An Apertium data folder holding only the mode files `modes`, copied from the installed ones (they name
    the installed dictionaries by absolute path), as $APERTIUM_DATADIR, which `apertium` reads."""
    datadir = tmp_path / "apertium-data"
    (datadir / "modes").mkdir(parents=True)
    for mode in modes:
        assert (MODES / f"{mode}.mode").is_file(), f"apertium's {mode} pair is needed (scripts/setup installs it)"
        shutil.copy(MODES / f"{mode}.mode", datadir / "modes")
    monkeypatch.setenv("APERTIUM_DATADIR", str(datadir))
    return datadir


@pytest.mark.slow
def test_a_new_pair_makes_the_next_run_draft_the_language_it_serves(project: Path, cli, created: list[str],
                                                                    tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    datadir = _datadir(tmp_path, monkeypatch, "fr-es")
    run(cli, "extract")
    run(cli, "update", "-l", "ca")
    catalog = project / "locales" / "ca" / "appeal.po"
    first = run(cli, "pretranslate", "-l", "ca").output
    assert "ca: 3 from glossary; 10 left empty" in first and "no Apertium pair or chain from fr to ca" in first
    assert created == ["apertium"]
    before = catalog.read_bytes()

    created.clear()
    again = run(cli, "pretranslate", "-l", "ca").output
    assert created == [], "nothing changed: no engine is created, `apertium -l` is not run"
    assert again == first.replace("3 from glossary", "nothing filled"), "entries left empty, and why"
    assert catalog.read_bytes() == before

    shutil.copy(MODES / "fra-cat.mode", datadir / "modes")  # the French-Catalan pair installed
    drafted = run(cli, "pretranslate", "-l", "ca").output
    assert created == ["apertium"]
    assert "ca: 10 from apertium; 0 left empty" in drafted
    assert catalog.read_bytes() != before


@pytest.mark.slow
def test_an_edited_catalog_or_glossary_is_tried_again(project: Path, cli, created: list[str], tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    _datadir(tmp_path, monkeypatch, "fr-es")
    run(cli, "extract")
    run(cli, "update", "-l", "ca")
    run(cli, "pretranslate", "-l", "ca")
    glossary = project / "glossary.yaml"
    glossary.write_text(glossary.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    created.clear()
    run(cli, "pretranslate", "-l", "ca")
    assert created == ["apertium"], "the glossary decides what engines are asked"
    catalog = project / "locales" / "ca" / "appeal.po"
    catalog.write_text(catalog.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    created.clear()
    run(cli, "pretranslate", "-l", "ca")
    assert created == ["apertium"]
    created.clear()
    run(cli, "pretranslate", "-l", "ca")
    assert created == []


def test_apertium_s_identity_is_its_script_and_mode_files(tmp_path: Path) -> None:
    prefix = tmp_path / "usr"
    (prefix / "bin").mkdir(parents=True)
    script = prefix / "bin" / "apertium"
    script.write_text("#!/bin/sh\n", encoding="utf-8")
    script.chmod(0o755)
    modes = prefix / "share" / "apertium" / "modes"  # where an installed script looks by default
    modes.mkdir(parents=True)
    env = {"PATH": str(prefix / "bin")}
    none = identity(("apertium",), {}, env)
    (modes / "fra-cat.mode").write_text("lt-proc …\n", encoding="utf-8")
    one = identity(("apertium",), {}, env)
    assert one != none, "a new mode file: a new pair"
    (modes / "README").write_text("not a mode\n", encoding="utf-8")
    assert identity(("apertium",), {}, env) == one
    os.utime(modes / "fra-cat.mode", ns=(0, 1_000_000_000))
    assert identity(("apertium",), {}, env) != one, "a pair upgraded"
    other = tmp_path / "data"
    (other / "modes").mkdir(parents=True)
    assert identity(("apertium",), {}, {**env, "APERTIUM_DATADIR": str(other)}) == \
        identity(("apertium",), {"apertium": {"datadir": str(other)}}, env) != identity(("apertium",), {}, env)
    assert identity(("apertium",), {}, {"PATH": str(tmp_path)}) != none, "not installed"


def test_an_online_engine_s_identity_is_whether_its_key_is_set_never_the_key() -> None:
    unset = identity(("deepl",), {}, {})
    assert identity(("deepl",), {}, {"DEEPL_API_KEY": "abc:fx"}) == identity(("deepl",), {}, {"DEEPL_API_KEY": "x"})
    assert identity(("deepl",), {}, {"DEEPL_API_KEY": "x"}) != unset
    assert identity(("deepl",), {}, {"DEEPL_API_KEY": ""}) == unset, "an empty variable is no key"
    named = {"google": {"api_key_env": "MY_GOOGLE_KEY"}}
    assert identity(("google",), named, {"MY_GOOGLE_KEY": "k"}) != identity(("google",), named, {})
    assert "abc" not in identity(("deepl", "llm"), {}, {"DEEPL_API_KEY": "abc", "OPENAI_API_KEY": "abc"})


def test_a_run_with_nothing_to_draft_opens_no_cache_and_still_refuses_a_broken_glossary(project: Path, cli) -> None:
    for args in (("extract",), ("update",), ("pretranslate", "--engine", "pseudo")):
        run(cli, *args)
    cache = project / ".l10n" / "cache.sqlite"
    cache.unlink()
    run(cli, "pretranslate", "--engine", "pseudo")
    assert not cache.exists(), "no language had work: the engines' cache is not even opened"
    (project / "glossary.yaml").write_text("keep: [Azat]\nterms:\n  procès: {en: 5}\n", encoding="utf-8")
    result = cli("pretranslate", "--engine", "pseudo")
    assert (result.exit_code, result.stderr) == (2, f"l10n: error: {project / 'glossary.yaml'}: terms.procès.en: "
                                                    "expected text\n")
