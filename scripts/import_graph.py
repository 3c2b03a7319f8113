#!/usr/bin/env python3
"""Draw l10n's import graph from the code, for docs/ARCHITECTURE.md, and name the imports the layering forbids.

Read with `ast` (nothing is imported or run): every `import`/`from … import` of an l10n module, function-local
ones included. Modules are shown by their top-level name (the `po/`, `checks/`, `engines/`, `exchange/` and
`publish/` packages as one box each). `python3 scripts/import_graph.py` prints the Mermaid picture;
`--write` puts it into docs/ARCHITECTURE.md between its markers; tests/test_architecture.py fails when the file
is stale or when a stage imports another stage."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "l10n"
DOC = ROOT / "docs" / "ARCHITECTURE.md"
BEGIN, END = "<!-- import-graph: begin (scripts/import_graph.py --write) -->", "<!-- import-graph: end -->"

#: one command's work each: they import core modules only, never one another; only `cli` imports them
STAGES = ("extract", "update", "pretranslate", "status", "review", "publish", "dashboard", "changes",
          "signatories", "exchange")
#: the entry points above the stages
TOP = ("cli", "__main__")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports() -> dict[str, set[str]]:
    """Every l10n module (dotted name) with the l10n modules it imports."""
    modules = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[:len(package.split(".")) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                for alias in node.names:
                    full = f"{target}.{alias.name}"
                    found.add(full if full in modules else target)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
        graph[name] = {m for m in found if m in modules and m != name}
    return graph


def top(module: str) -> str:
    """`l10n.po.files` → `po`; `l10n` itself → `l10n`."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def violations(graph: dict[str, set[str]]) -> list[str]:
    """Imports the layering forbids: a stage imported by anything but cli (or by itself, inside a package)."""
    out = []
    for module, targets in sorted(graph.items()):
        for target in sorted(targets):
            if top(target) in STAGES and top(target) != top(module) and top(module) not in TOP:
                out.append(f"{module} imports the stage {target}")
    return out


def mermaid(graph: dict[str, set[str]]) -> str:
    """The graph between top-level names, stages in their own box, as a Mermaid flowchart."""
    edges = sorted({(top(m), top(t)) for m, targets in graph.items() for t in targets if top(m) != top(t)
                    and top(m) not in ("__main__", "l10n") and top(t) != "l10n"})
    nodes = sorted({n for edge in edges for n in edge})
    lines = ["```mermaid", "flowchart TD"]
    lines.append("  subgraph stages")
    lines += [f"    {n}" for n in nodes if n in STAGES]
    lines.append("  end")
    lines.append("  subgraph core")
    lines += [f"    {n}" for n in nodes if n not in STAGES and n not in TOP]
    lines.append("  end")
    lines += [f"  {a} --> {b}" for a, b in edges]
    lines.append("```")
    return "\n".join(lines)


def section() -> str:
    return f"{BEGIN}\n{mermaid(imports())}\n{END}"


def with_section(text: str) -> str:
    """The document with its graph section replaced by the one the code draws now."""
    start, end = text.index(BEGIN), text.index(END) + len(END)
    return text[:start] + section() + text[end:]


def main(argv: list[str]) -> int:
    if argv[1:] == ["--write"]:
        DOC.write_text(with_section(DOC.read_text(encoding="utf-8")), encoding="utf-8")
    else:
        print(section())
    problems = violations(imports())
    for problem in problems:
        print(f"import_graph: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
