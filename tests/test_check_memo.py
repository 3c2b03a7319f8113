"""The check memo (l10n/checks/memo.py): `l10n check` prints the same bytes with and without it, re-checks exactly
the catalogs whose inputs changed, and ignores a damaged memo."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import l10n.checks.registry as checks
from l10n.checks import memo as check_memo
from l10n.errors import EXIT_QA

# Each test checks the whole project once or twice with every language's Hunspell dictionaries (1-2 s each): they
# run in the full suite, not in the quick loop.
pytestmark = pytest.mark.slow

MEMO = Path(".l10n") / check_memo.MEMO_NAME
OUTPUTS = [("check",), ("check", "--format", "json"), ("check", "--summary"),
           ("check", "--summary", "--format", "json")]


def _drafts(cli) -> None:
    for args in (("extract",), ("update",), ("pretranslate", "--engine", "pseudo", "--lang", "es", "--lang", "de")):
        assert cli(*args).exit_code == 0


@pytest.fixture
def drafts(prepared, cli) -> Path:
    """Catalogs to check, drafts in two languages, no memo yet."""
    return prepared("check memo: drafts", lambda project: _drafts(cli))


@pytest.fixture
def checked(prepared, cli) -> Path:
    """The same checked once: the memo answers for every catalog (copied with the project, at the same path)."""
    def steps(project: Path) -> None:
        _drafts(cli)
        _check(cli)
        assert (project / MEMO).is_file()

    return prepared("check memo: checked", steps)


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The languages of the catalogs really checked (not answered from the memo)."""
    calls: list[str] = []
    real = checks.check_file

    def counted(path, lang, *args, **kwargs):
        calls.append(lang)
        return real(path, lang, *args, **kwargs)

    monkeypatch.setattr(checks, "check_file", counted)
    return calls


def _check(cli) -> tuple[int, str, str]:
    result = cli("check")
    assert result.exit_code in (0, EXIT_QA), result.stderr
    return result.exit_code, result.stdout, result.stderr


def test_output_is_the_same_with_and_without_the_memo(drafts: Path, cli, spy: list[str]) -> None:
    checked = drafts
    cold = {args: cli(*args) for args in OUTPUTS}
    assert (checked / MEMO).is_file()
    assert spy, "the first check checks"
    spy.clear()
    warm = {args: cli(*args) for args in OUTPUTS}
    assert spy == [], "nothing changed: every catalog answered from the memo"
    (checked / MEMO).unlink()
    again = {args: cli(*args) for args in OUTPUTS}
    for args in OUTPUTS:
        assert cold[args].stdout, args
        assert (cold[args].exit_code, cold[args].stdout, cold[args].stderr) == \
               (warm[args].exit_code, warm[args].stdout, warm[args].stderr) == \
               (again[args].exit_code, again[args].stdout, again[args].stderr), args


def test_an_edited_catalog_alone_is_checked_again(checked: Path, cli, spy: list[str]) -> None:
    _check(cli)
    assert spy == []  # the memo the fixture left answers in its copy
    po = checked / "locales" / "es" / "appeal.po"
    text = po.read_text(encoding="utf-8")
    first = text.index('msgstr "', text.index("\nmsgid ", text.index("\nmsgid ") + 1))
    po.write_text(text[:first] + 'msgstr "Hola 12 mundo"' + text[text.index("\n", first):], encoding="utf-8")
    spy.clear()
    _, warm, _ = _check(cli)
    assert spy == ["es"]
    (checked / MEMO).unlink()
    assert _check(cli)[1] == warm


def _invalidates(checked: Path, cli, spy: list[str], change) -> None:
    """After `change`, every catalog is checked again, and the output is what a check without memo prints."""
    _check(cli)
    change()
    spy.clear()
    warm = _check(cli)
    assert sorted(spy) == sorted(set(spy)) and len(spy) == len(list((checked / "locales").glob("*/appeal.po")))
    (checked / MEMO).unlink()
    assert _check(cli) == warm


def test_a_glossary_change_checks_every_catalog_again(checked: Path, cli, spy: list[str]) -> None:
    glossary = checked / "glossary.yaml"
    _invalidates(checked, cli, spy, lambda: glossary.write_text(
        glossary.read_text(encoding="utf-8").replace("keep:\n", "keep:\n  - Hola\n", 1), encoding="utf-8"))


@pytest.mark.parametrize("old, new", [("checks:\n", "checks:\n  disable: [numbers]\n"),
                                      ("[electrocución]", "[electrocución, pseudo]")])
def test_a_config_change_checks_every_catalog_again(checked: Path, cli, spy: list[str], old: str, new: str) -> None:
    config = checked / "l10n.yaml"
    text = config.read_text(encoding="utf-8")
    assert old in text
    _invalidates(checked, cli, spy, lambda: config.write_text(text.replace(old, new, 1), encoding="utf-8"))


def test_a_dictionary_change_checks_every_catalog_again(drafts: Path, cli, spy: list[str], tmp_path_factory,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path_factory.mktemp("data")
    (home / "hunspell").mkdir()
    dic = home / "hunspell" / "xx_XX.dic"
    dic.write_text("1\nhola\n", encoding="utf-8")
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    _invalidates(drafts, cli, spy, lambda: os.utime(dic, ns=(0, 1_000_000_000)))


def test_a_words_file_change_checks_that_language_again(checked: Path, cli, spy: list[str]) -> None:
    _check(cli)
    (checked / "locales" / "de" / "spelling.txt").write_text("pseudo\n", encoding="utf-8")
    spy.clear()
    _check(cli)
    assert spy == ["de"]


def test_a_source_change_reports_the_signatory_list_again(checked: Path, cli, spy: list[str]) -> None:
    source = checked / "source" / "appeal.fr.txt"
    _check(cli)
    text = source.read_text(encoding="utf-8")
    line = "Demokrati-JA"
    source.write_text(text.replace(line, line + "\n" + line, 1), encoding="utf-8")  # one organisation twice
    _, warm, err = _check(cli)
    assert "duplicate" in warm
    (checked / MEMO).unlink()
    assert _check(cli)[1:] == (warm, err)


def test_msgfmt_is_part_of_the_memo_s_stamp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = Path(os.popen("command -v msgfmt").read().strip())
    assert real.is_file(), "gettext's msgfmt is needed (scripts/setup installs it)"
    before = check_memo.tools_digest()
    (tmp_path / "msgfmt").write_text(f'#!/bin/sh\nexec {real} "$@"\n', encoding="utf-8")
    (tmp_path / "msgfmt").chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    other = check_memo.tools_digest()
    assert other != before
    os.utime(tmp_path / "msgfmt", ns=(0, 1_000_000_000))
    assert check_memo.tools_digest() != other


@pytest.mark.parametrize("damage", ["garbage", "wrong issues", "a folder"])
def test_a_damaged_memo_is_ignored(checked: Path, cli, spy: list[str], damage: str) -> None:
    expected = _check(cli)
    memo = checked / MEMO
    if damage == "garbage":
        memo.write_bytes(b"\xff{not json")
    elif damage == "wrong issues":  # every section's issues replaced, the file's layout kept
        lines = memo.read_bytes().split(b"\n")
        wrong = b'{"strings": ["x"], "issues": [[1, 0, 0, 0, 0, 0, 0]]}\n'
        for n in range(1, len(lines) - 1, 2):
            lines[n:n + 2] = [json.dumps(json.loads(lines[n]) | {"size": len(wrong)}).encode(), wrong[:-1]]
        memo.write_bytes(b"\n".join(lines))
    else:
        memo.unlink()
        memo.mkdir()
    spy.clear()
    assert _check(cli) == expected
    assert len(spy) == len(list((checked / "locales").glob("*/appeal.po")))  # each one checked again
