"""The code's shape (issue 19): stages import core only, the picture of the imports is the code's, one home per
fact, and names that do not mislead."""

from __future__ import annotations

import ast
import importlib.util
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("import_graph", ROOT / "scripts" / "import_graph.py")
import_graph = importlib.util.module_from_spec(_spec)
sys.modules["import_graph"] = import_graph
_spec.loader.exec_module(import_graph)


def test_no_module_imports_a_stage_except_cli():
    graph = import_graph.imports()
    assert {"l10n.cli", "l10n.extract", "l10n.update", "l10n.po.files"} <= set(graph)  # the walk sees them all
    assert "l10n.update" in graph["l10n.cli"]  # and the imports inside functions
    assert import_graph.violations(graph) == []


def test_the_walk_catches_a_stage_importing_a_stage():
    """The guard can fail: a pretranslate that reached into update again would be named."""
    graph = {**import_graph.imports()}
    graph["l10n.pretranslate"] = graph["l10n.pretranslate"] | {"l10n.update"}
    graph["l10n.memo"] = graph["l10n.memo"] | {"l10n.status"}
    assert import_graph.violations(graph) == ["l10n.memo imports the stage l10n.status",
                                              "l10n.pretranslate imports the stage l10n.update"]


def test_architecture_md_shows_the_import_graph_of_the_code_as_it_is():
    doc = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    assert import_graph.with_section(doc) == doc, "run: python3 scripts/import_graph.py --write"
    assert "  pretranslate --> pot" in doc and "  cli --> update" in doc


def _definitions(pattern: str) -> list[str]:
    """`file:line` of every line in l10n/ matching `pattern`."""
    return [f"{p.relative_to(ROOT)}:{n}" for p in sorted((ROOT / "l10n").rglob("*.py"))
            for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if re.search(pattern, line)]


def _homes(pattern: str) -> set[str]:
    return {d.split(":")[0] for d in _definitions(pattern)}


def test_one_home_per_fact():
    """One Plural-Forms parser, one glossary matcher, one header lookup, one digest helper, one Jinja setup, one
    set of control characters to strip."""
    assert _homes(r"def (plural_forms|parse_plural\w*|postfix|compile_plural)\b|_PLURAL_FORMS\s*=") \
        - {"l10n/langs.py"} == {"l10n/po/plural.py"}  # langs.plural_forms writes CLDR's header, parses none
    # every whole-word rule (terms, words an engine did not know, inflected forms in translations) in one module,
    # and the glossary's terms found in a text by it alone
    assert _homes(r"\(\?<!\\w\)") == {"l10n/matching.py"}
    assert _homes(r"def (keep_in|terms_in|keep_terms_in|translations_in)\b") == {"l10n/matching.py"}
    # a header read line by line (its fields, one field, its Content-Type's charset) in po/model.py only
    assert _homes(r"def (header_fields?|declared_charset)\b|msgstr\.split\(|charset=\(") == {"l10n/po/model.py"}
    # memo and publish feed one running digest many files: hashlib's own incremental API
    assert _homes(r"hashlib\.sha256\(") - {"l10n/memo.py", "l10n/publish/publish.py"} == {"l10n/digest.py"}
    assert _homes(r"Environment\(") == {"l10n/templating.py"}
    # control characters stripped from pages and published text by one rule (the terminal escapes more, exchange
    # refuses what XML 1.0 cannot carry: other rules)
    assert _homes(r"x00-\\x08") - {"l10n/terminal.py", "l10n/exchange/__init__.py"} == {"l10n/templating.py"}
    from l10n.templating import environment

    env = environment()  # one whitespace rule for every template: Jinja's own, a template's characters are its output's
    assert not env.trim_blocks and not env.lstrip_blocks and _homes(r"environment\(\w") == set()


def test_names_do_not_mislead():
    """No package named build/ (tools skip such folders); extract and update are two modules; the PyPI name is
    not someone else's while the command stays `l10n`; the default glossary is at the project root; no three
    classes called Context."""
    import tomllib

    assert not (ROOT / "l10n" / "build").exists() and (ROOT / "l10n" / "publish" / "publish.py").is_file()
    # no class named just "a context": the command's Invocation, the checks' CheckSettings, an engine's Brief
    assert _definitions(r"^\s*class \w*Context\b") == []
    assert {p.stem for p in (ROOT / "l10n").rglob("*context*.py")} == set()  # one module for the brief
    for stage in ("extract", "update"):
        tree = ast.parse((ROOT / "l10n" / f"{stage}.py").read_text(encoding="utf-8"))
        functions = {n.name for n in tree.body if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")}
        assert functions == {stage}, functions
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == "appeal-l10n" and project["scripts"] == {"l10n": "l10n.cli:entry"}
    from l10n.glossary import DEFAULT_GLOSSARY

    assert DEFAULT_GLOSSARY == "glossary.yaml"


def test_the_default_glossary_is_read_at_the_project_root(project, cli):
    config = project / "l10n.yaml"
    config.write_text(re.sub(r"(?m)^glossary:.*\n", "", config.read_text(encoding="utf-8")), encoding="utf-8")
    from l10n.config import load_config
    from l10n.glossary import project_glossary

    (project / "glossary.yaml").write_text("keep: [Amnistía Zeta]\n", encoding="utf-8")
    assert [k.text for k in project_glossary(load_config(project / "l10n.yaml")).keep] == ["Amnistía Zeta"]


def test_the_readme_is_for_users_and_the_internals_are_in_architecture_md():
    """Item 7: the README keeps purpose, the two commands, a quick start, the commands, configuration and exit
    codes; how the code does it (libunistring, the memo and caches, the lock, module paths) is for contributors,
    and the README links there."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    architecture = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    headings = re.findall(r"(?m)^## (.+)$", readme)
    assert {"The two commands", "Workflow", "Configuration: `l10n.yaml`", "Exit codes"} <= set(headings)
    for internal in ("libunistring", "memo.json", "checks.json", "mkstemp", "renameat2", "flock(2)",
                     "frozen dataclasses"):
        assert internal not in readme and internal in architecture, internal
    assert re.findall(r"`l10n/[\w/]+\.py`", readme) == []  # modules are named in docs/ARCHITECTURE.md
    for anchor in ("po-files-byte-for-byte", "caches-and-the-memo"):
        assert f"(docs/ARCHITECTURE.md#{anchor})" in readme
        assert f"### {anchor.replace('-', ' ')}".lower() in architecture.lower()
