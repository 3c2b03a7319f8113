"""Bad input: one line naming the file (and line), a documented exit code, no traceback, nothing touched."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from tests.test_catalog_errors import FIXTURES, PO

pytestmark = pytest.mark.slow  # the real entry point, one interpreter per test


def l10n(*args: str, cwd=None) -> subprocess.CompletedProcess:
    """Run the real console entry point, so a traceback would show up on stderr."""
    return subprocess.run([sys.executable, "-m", "l10n", *args], capture_output=True, text=True, cwd=cwd)


def one_line(result: subprocess.CompletedProcess) -> str:
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_missing_config(tmp_path):
    result = l10n("status", cwd=tmp_path)
    assert result.returncode == 2
    assert one_line(result) == f"l10n: error: {tmp_path}/l10n.yaml: no project config found " \
                               "(create l10n.yaml or pass --config PATH)"


def test_unknown_language_code_in_config(project):
    config = project / "l10n.yaml"
    config.write_text(config.read_text().replace("[en, es,", "[en, xx,"))
    result = l10n("extract", cwd=project)
    assert result.returncode == 2
    assert one_line(result) == f"l10n: error: {config}: languages: 'xx' is not a language known to CLDR"


@pytest.mark.parametrize("code", ["../../etc", "en/../.."])
def test_path_like_language_codes_are_refused(project, code):
    config = project / "l10n.yaml"
    config.write_text(config.read_text().replace("[en, es,", f"[en, '{code}',"))
    result = l10n("update", cwd=project)
    assert result.returncode == 2
    assert "is not a BCP 47 language tag" in one_line(result)
    assert not (project / "etc").exists()


def test_unknown_lang_option(project):
    result = l10n("status", "--lang", "fi", cwd=project)
    assert result.returncode == 2
    assert "language fi is not in the project" in one_line(result)


def test_unknown_config_key_suggests(project):
    config = project / "l10n.yaml"
    config.write_text(config.read_text().replace("segmentation:", "segmentaton:"))
    result = l10n("extract", cwd=project)
    assert result.returncode == 2
    assert one_line(result).endswith("unknown key 'segmentaton' in l10n.yaml (did you mean 'segmentation'?)")


def test_invalid_yaml_names_the_line(project):
    config = project / "l10n.yaml"
    config.write_text("source_language: fr\ndocuments: [a\nlanguages: [en]\n")
    result = l10n("extract", cwd=project)
    assert result.returncode == 2
    # libyaml's words: the same error, at the same line, that the pure-Python parser reports in its own
    assert one_line(result) == f"l10n: error: {config}:3: invalid YAML: did not find expected ',' or ']'"


def test_path_outside_project_refused(project):
    config = project / "l10n.yaml"
    config.write_text(config.read_text().replace("source/appeal.fr.txt", "../../etc/passwd"))
    result = l10n("extract", cwd=project)
    assert result.returncode == 2
    assert "points outside the project" in one_line(result)


def test_missing_source_is_a_configuration_error(project):
    (project / "source" / "appeal.fr.txt").unlink()
    result = l10n("extract", cwd=project)
    assert result.returncode == 2
    assert one_line(result) == f"l10n: error: {project / 'l10n.yaml'}: documents: source/appeal.fr.txt does not exist"


@pytest.mark.parametrize("key, yaml, shown", [
    ("glossary", "glossary: glosary.yaml", "glosary.yaml"),
    ("memory.compendia", "memory: {compendia: [memory/old.po]}", "memory/old.po"),
    ("memory.compendia", "memory: {compendia: ['memory/{lang}.tmx']}", "memory/{lang}.tmx"),
])
def test_configured_files_that_do_not_exist_are_configuration_errors(project, key, yaml, shown):
    """A typo in a path is exit 2 naming the key and the path, before any work (a compendium used to exit 5 with
    polib's "Syntax error in po file", and a glossary typo silently applied no terms)."""
    config = project / "l10n.yaml"
    config.write_text(config.read_text().replace("glossary: glossary.yaml", yaml))
    for command in (["extract"], ["pretranslate", "--lang", "es"], ["status"]):
        result = l10n(*command, cwd=project)
        assert result.returncode == 2, result.stderr
        assert one_line(result) == f"l10n: error: {config}: {key}: {shown} does not exist"


def test_a_lang_compendium_needs_to_exist_for_one_language_only(project):
    config = project / "l10n.yaml"
    config.write_text(config.read_text() + "memory: {compendia: ['memory/{lang}.po']}\n")
    (project / "memory").mkdir()
    (project / "memory" / "it.po").write_text('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n')
    assert l10n("extract", cwd=project).returncode == 0
    assert l10n("update", "--lang", "es", cwd=project).returncode == 0
    result = l10n("pretranslate", "--lang", "es", cwd=project)
    assert result.returncode == 0, result.stderr


def test_malformed_po_is_reported_and_left_untouched(project):
    assert l10n("extract", cwd=project).returncode == 0
    assert l10n("update", "--lang", "es", cwd=project).returncode == 0
    po = project / "locales" / "es" / "appeal.po"
    text = po.read_text(encoding="utf-8")
    broken = text.replace('msgid "Bénin"', 'msgid "Bénin', 1)
    po.write_text(broken, encoding="utf-8")
    line = broken[: broken.index('msgid "Bénin')].count("\n") + 1
    result = l10n("update", "--lang", "es", cwd=project)
    assert result.returncode == 5
    message = one_line(result)
    assert message.startswith(f"l10n: error: {po}:{line}: ")
    assert po.read_text(encoding="utf-8") == broken


def test_lock_refuses_a_second_writer(project):
    from filelock import FileLock

    (project / ".l10n").mkdir()
    with FileLock(str(project / ".l10n" / "lock")):
        result = l10n("extract", cwd=project)
    assert result.returncode == 6
    assert "another l10n process is writing this project" in one_line(result)


@pytest.mark.parametrize("name,line,words", FIXTURES, ids=[f[0] for f in FIXTURES])
def test_every_malformed_catalog_exits_5_with_one_line_and_stays_untouched(project, cli, name, line, words):
    assert cli("extract").exit_code == 0  # the set-up in process: the commands under test run as processes
    target = project / "locales" / "es" / "appeal.po"
    target.parent.mkdir(parents=True)
    shutil.copy(PO / name, target)
    before = target.read_bytes()
    for command in (["update", "--lang", "es"], ["pretranslate", "--lang", "es"], ["build", "--lang", "es"]):
        result = l10n(*command, cwd=project)
        assert result.returncode == 5, (command, result.stderr)
        message = one_line(result)
        assert message.startswith(f"l10n: error: {target}:{line}: ") and words in message, message
        assert target.read_bytes() == before
