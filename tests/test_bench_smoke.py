"""The benchmark script at a tiny size, so that it keeps running as the tool changes (bench/README.md has the real
numbers). It runs every stage against its reference tool: 50 segments in two languages take a few seconds."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # the benchmark script and every reference tool

ROOT = Path(__file__).resolve().parent.parent
STAGES = ["extract", "update", "pretranslate", "status", "check",
          "build (all formats)", "build --format txt", "run (first)", "run (unchanged)", "update (source changed)"]
REFERENCES = {"extract": ["txt2po"],
              "update": ["msgmerge --previous"], "pretranslate": ["podebug"],
              "status": ["msgfmt --statistics", "pocount"], "check": ["pofilter"], "build --format txt": ["po2txt"],
              "update (source changed)": ["msgmerge --previous"]}


def test_benchmark_reports_every_stage(tmp_path: Path) -> None:
    tools = ["msgmerge", "msgfmt"]
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        pytest.fail(f"gettext tools missing: {missing} (scripts/setup installs them)")
    report = tmp_path / "bench.json"
    apertium = "3" if shutil.which("apertium") else "0"
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--sizes", "50", "--languages", "en,es",
                           "--apertium-segments", apertium, "--appeal-runs", "1", "--workdir", str(tmp_path / "work"), "--json",
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
    if apertium != "0":
        assert [row["pair"] for row in data["apertium"]] == ["fr→es", "fr→es→en"]
        assert all(row["segments"] == 3 and row["ours_s"] > 0 and row["raw_s"] > 0 for row in data["apertium"])
    # the appeal part: every command timed, the no-op run judged on what it writes (nothing)
    assert [row["command"] for row in data["appeal"]] == [
        "status", "check", "build --allow-fuzzy", "run --allow-fuzzy (no-op)", "check, memo removed (cold)",
        "check, one entry of es edited"]
    assert all(row["runs"] == 1 and row["min_ms"] > 0 for row in data["appeal"])
    assert next(t for t in data["targets"] if t["target"] == "appeal: no-op run writes no file")["met"]
    targets = {t["target"] for t in data["targets"]}
    assert {"run (unchanged) writes no file", "run (unchanged) starts no engine", "peak memory < 500 MB"} <= targets
    for name in STAGES:  # the Markdown report printed on stdout has a row for every stage
        assert f"| {name} |" in proc.stdout


def _bench_module():
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_ratios_are_judged_on_the_median_of_the_rounds() -> None:
    bench = _bench_module()
    # one lucky reference run (0.5 s) would decide the ratio of the fastest runs; the rounds' median is not moved
    ours = bench.Measure(1.0, rounds=[1.1, 1.0, 1.2])
    theirs = bench.Measure(0.5, rounds=[1.2, 0.5, 1.3])
    assert bench.round_ratio(ours, theirs) == pytest.approx(1.2 / 1.3)  # of 1.1/1.2, 1.0/0.5, 1.2/1.3
    assert bench.Reference("txt2po", bench.TTK, theirs).fastest_ratio(ours) == pytest.approx(2.0)
    assert ours.typical == 1.1
    # fewer rounds than that: the fastest runs, as before
    short = bench.Measure(1.0, rounds=[1.0, 1.4])
    assert short.typical == 1.0
    assert bench.round_ratio(short, bench.Measure(0.8, rounds=[0.8, 2.0])) == pytest.approx(1.25)


def test_one_time_costs_are_shown_but_not_judged() -> None:
    bench = _bench_module()
    slow = bench.Measure(2.0)
    result = bench.SizeResult(1000, 2, [
        bench.Stage("extract (new project)", slow, [bench.Reference("txt2po", bench.TTK, bench.Measure(1.0))],
                    judged=False),
        bench.Stage("extract", bench.Measure(0.9), [bench.Reference("txt2po", bench.TTK, bench.Measure(1.0))])],
        run_unchanged={"ratio": 0.01, "written": [], "written_by_second_check": [], "engine_modules_imported": []})
    targets = bench.evaluate([result], [], 1000)
    assert [t["target"] for t in targets if "txt2po" in t["target"]] == ["extract ≤ 1× txt2po"]
    report = bench.markdown([result], [], targets, "bench")
    assert "| extract (new project) | 2.00 |" in report and "one-time cost: not judged" in report
