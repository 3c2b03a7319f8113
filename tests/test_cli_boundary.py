"""The command line's edges (issue 19 item 5): where --config may stand, how the project is found, what a usage
error looks like, which commands take the project lock, and that exit codes come from errors.py only."""

from __future__ import annotations

import ast
import fcntl
from pathlib import Path

import pytest

from l10n import errors

L10N = Path(__file__).resolve().parent.parent / "l10n"


def test_config_is_accepted_before_or_after_the_command(project, cli, tmp_path_factory, monkeypatch):
    assert cli("extract").exit_code == 0
    config = str(project / "l10n.yaml")
    monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))  # no l10n.yaml here nor above
    before = cli("--config", config, "status", "--lang", "es", "--format", "json")
    after = cli("status", "--lang", "es", "--config", config, "--format", "json")
    assert before.exit_code == after.exit_code == 0 and before.stdout == after.stdout and '"es"' in after.stdout
    nested = cli("signatories", "list", "--config", config, "--format", "json")
    assert nested.exit_code == 0 and nested.stdout.startswith("[")
    missing = cli("status")
    assert missing.exit_code == 2 and "no project config found" in missing.stderr


def test_the_project_is_found_from_a_folder_inside_it(project, cli, monkeypatch):
    assert cli("run", "--engine", "pseudo", "--lang", "es", "--allow-fuzzy").exit_code == 0
    expected = cli("status", "--lang", "es").stdout
    monkeypatch.chdir(project / "locales" / "es")
    found = cli("status", "--lang", "es")
    assert found.exit_code == 0 and found.stdout == expected
    assert cli("extract").stdout == "1 file(s) unchanged\n"  # paths stay relative to the project


@pytest.mark.parametrize("args, message, hint", [
    (["status", "--bogus"], "No such option '--bogus'.", "Try 'l10n status --help'."),
    (["frobnicate"], "No such command 'frobnicate'.", "Try 'l10n --help'."),
    (["status", "--format", "xx"], "Invalid value for '--format': 'xx' is not one of 'table', 'json', 'csv', 'html'.",
     "Try 'l10n status --help'."),
    (["signatories", "add", "Name"], "Missing option '--group' / '-g'.", "Try 'l10n signatories add --help'."),
])
def test_a_usage_error_is_one_line_and_a_hint(project, cli, args, message, hint):
    result = cli(*args, prog_name="l10n")
    assert result.exit_code == errors.EXIT_USAGE
    assert result.stderr == f"l10n: error: {message}\n{hint}\n"


WRITERS = [["extract"], ["update"], ["pretranslate", "--engine", "pseudo"], ["build"], ["run", "--engine", "pseudo"],
           ["review"], ["status", "--format", "html"], ["export", "--format", "csv", "--lang", "es"],
           ["import", "es.csv"], ["signatories", "add", "--group", "Europe", "Somebody"],
           ["signatories", "import", "new.csv"]]
READERS = [["status"], ["check"], ["changes"], ["signatories", "list"]]


def test_every_writing_command_takes_the_project_lock(project, cli):
    assert cli("extract").exit_code == 0 and cli("update", "--lang", "es").exit_code == 0
    (project / ".l10n").mkdir(exist_ok=True)
    before = sorted(p for p in project.rglob("*") if ".l10n" not in p.parts)
    with open(project / ".l10n" / "lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # another l10n process writing
        for args in WRITERS:
            result = cli(*args)
            assert result.exit_code == errors.EXIT_LOCKED, (args, result.stderr)
            assert "another l10n process is writing this project" in result.stderr
        for args in READERS:
            assert cli(*args).exit_code in (0, errors.EXIT_QA), args
    assert sorted(p for p in project.rglob("*") if ".l10n" not in p.parts) == before


def test_exit_codes_are_numbers_only_in_errors_py():
    """Elsewhere an exit code is one of errors.py's names: `sys.exit(3)` or `exit_code = 5` would be a second
    home for the table the README documents."""
    found = []
    for path in sorted(L10N.rglob("*.py")):
        if path.name == "errors.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "exit" \
                    and node.args and isinstance(node.args[0], ast.Constant):
                found.append(f"{path.name}:{node.lineno}")
            if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "exit_code" for t in node.targets) \
                    and isinstance(node.value, ast.Constant):
                found.append(f"{path.name}:{node.lineno}")
    assert found == []
    readme = (L10N.parent / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Exit codes"):].split("\n\n")[1]
    documented = {int(line.split("|")[1]) for line in table.splitlines()[2:]}
    assert documented == {v for k, v in vars(errors).items() if k.startswith("EXIT_")}


def test_check_names_files_from_the_project_root_wherever_it_runs(project, cli, monkeypatch):
    assert cli("run", "--engine", "pseudo", "--lang", "es", "--allow-fuzzy").exit_code == 0
    at_root = cli("check", "--lang", "es")
    monkeypatch.chdir(project / "locales" / "es")
    inside = cli("check", "--lang", "es")
    assert inside.exit_code == at_root.exit_code and inside.stdout == at_root.stdout
    assert "locales/es/appeal.po:" in inside.stdout


@pytest.mark.parametrize("text, where", [
    ("keep:\n  - Azat\n terms: [\n", ":3: invalid glossary YAML: did not find expected key"),
    ("keep: [Azat]\nterms:\n  procès: {en: 5}\n", ": terms.procès.en: expected text"),
])
def test_a_broken_glossary_stops_every_command_that_uses_it_and_only_those(project, cli, text, where):
    """check, pretranslate, review and run read the glossary: a broken one is one line naming the file (and
    the line, for YAML), exit 2, nothing written. status and build do not read it and keep working."""
    assert cli("update").exit_code == 0
    (project / "glossary.yaml").write_text(text, encoding="utf-8")
    before = {p: p.read_bytes() for p in sorted(project.rglob("*")) if p.is_file() and ".l10n" not in p.parts}
    for args in (["check"], ["check", "--lang", "es"], ["pretranslate", "--engine", "pseudo"], ["review"],
                 ["run", "--engine", "pseudo"]):
        result = cli(*args)
        assert result.exit_code == errors.EXIT_USAGE, (args, result.stderr)
        assert result.stderr == f"l10n: error: {project / 'glossary.yaml'}{where}\n", args
    assert {p: p.read_bytes() for p in before} == before
    assert cli("status").exit_code == 0
    assert cli("build", "--allow-fuzzy").exit_code == 0


def test_main_called_in_process_freezes_nothing(project, cli):
    """`entry` sets the objects of a command's process aside from the collector (gc.freeze); a program calling
    `main` in-process, as the tests do, keeps the collector and everything its commands made collectable."""
    import gc

    before = gc.get_freeze_count()
    assert cli("extract").exit_code == 0
    assert gc.isenabled() and gc.get_freeze_count() == before
