"""The benchmark script at a tiny size, so that it keeps running as the tool changes (bench/README.md has the real
numbers). It runs every stage against its reference tool: 50 segments in two languages take a few seconds."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STAGES = ["extract (new user cache)", "extract (new project)", "extract", "update", "pretranslate", "status", "check", "build", "run (first)", "run (unchanged)",
          "update (source changed)"]
REFERENCES = {"extract (new user cache)": ["txt2po"], "extract (new project)": ["txt2po"], "extract": ["txt2po"], "update": ["msgmerge --previous"], "pretranslate": ["podebug"],
              "status": ["msgfmt --statistics", "pocount"], "check": ["pofilter"], "build": ["po2txt"],
              "update (source changed)": ["msgmerge --previous"]}


def test_benchmark_reports_every_stage(tmp_path: Path) -> None:
    tools = ["msgmerge", "msgfmt"]
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        pytest.fail(f"gettext tools missing: {missing} (scripts/setup installs them)")
    report = tmp_path / "bench.json"
    apertium = "3" if shutil.which("apertium") else "0"
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--sizes", "50", "--languages", "en,es",
                           "--apertium-segments", apertium, "--workdir", str(tmp_path / "work"), "--json",
                           str(report)], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    data = json.loads(report.read_text(encoding="utf-8"))
    (size,) = data["results"]
    assert (size["size"], size["languages"]) == (50, 2)
    assert [s["name"] for s in size["stages"]] == STAGES
    for stage in size["stages"]:
        assert stage["ours"]["wall"] > 0 and stage["ours"]["rss_mb"] > 0, stage
        assert [r["name"] for r in stage["references"]] == REFERENCES.get(stage["name"], []), stage
        assert all(r["measure"]["wall"] > 0 for r in stage["references"]), stage
    # what does not depend on speed holds at any size: the second run writes nothing and starts no engine
    unchanged = size["run_unchanged"]
    assert unchanged["written"] == [] and unchanged["written_by_second_check"] == []
    assert unchanged["engine_modules_imported"] == []
    # the per-user CLDR cache the commands filled is the run's own, not the user's
    assert json.loads((tmp_path / "work" / "user-cache" / "l10n" / "cldr.json").read_text("utf-8"))["territories"]
    if apertium != "0":
        assert [row["pair"] for row in data["apertium"]] == ["fr→es", "fr→es→en"]
        assert all(row["segments"] == 3 and row["ours_s"] > 0 and row["raw_s"] > 0 for row in data["apertium"])
    targets = {t["target"] for t in data["targets"]}
    assert {"run (unchanged) writes no file", "run (unchanged) starts no engine", "peak memory < 500 MB"} <= targets
    for name in STAGES:  # the Markdown report printed on stdout has a row for every stage
        assert f"| {name} |" in proc.stdout
