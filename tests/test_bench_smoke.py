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
STAGES = ["extract", "extract's floor", "update", "pretranslate", "status", "check",
          "build (all formats)", "build --format txt", "run (first)", "run (unchanged)", "update (source changed)"]
REFERENCES = {"extract": ["txt2po"], "extract's floor": ["txt2po"],
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
    # extract's floor read every segment, shown beside txt2po without a verdict
    assert size["floor"]["segments"] == 50 and size["floor"]["line_break_calls"] > 0
    (shown,) = [t for t in data["targets"] if t["target"] == "extract's floor ÷ txt2po"]
    assert shown["judged"] is False and shown["met"] is None and shown["value"] > 0
    assert "| extract's floor ÷ txt2po | 50 |" in proc.stdout and "| shown, not judged |" in proc.stdout
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


@pytest.mark.parametrize("seconds, repeat, rounds", [(0.1, 3, 9), (0.1, 5, 9), (0.1, 12, 12), (0.1, 1, 1),
                                                     (0.1, 2, 2), (1.5, 3, 3)])
def test_short_commands_are_taken_over_more_rounds(seconds, repeat, rounds) -> None:
    """Commands of a tenth of a second are compared over at least nine rounds once medians judge them; a
    comparison that includes a longer command, or one not judged on medians, keeps the rounds asked for."""
    bench = _bench_module()

    class Timed(bench.Runner):
        def __init__(self, wall: float) -> None:
            self.wall, self.runs, self.snap = wall, 0, None

        def prepare(self, repeated: bool) -> None:
            pass

        def once(self, again: bool):
            self.runs += 1
            return bench.Measure(self.wall, self.wall, 1.0, 1)

    short, other = Timed(0.1), Timed(seconds)
    ours, theirs = bench.interleaved(repeat, short, other)
    assert short.runs == other.runs == rounds == len(ours.rounds) == len(theirs.rounds)


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


def test_the_floor_asks_libunistring_what_the_writer_asks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """extract's floor (bench/floor.py) lays out the msgids the PO writer lays out, no more (it would not be a
    floor) and no fewer (it would flatter l10n): the same number of width and line-break questions."""
    bench = _bench_module()
    from l10n.po import Catalog, Entry, dumps, layout, unistring

    texts = bench.corpus_mod.generate(300, 7).segments() + [
        "Il a dit « non » : " + '"non", "non" et "non", ' * 2 + "puis il est parti.",  # fits only unescaped
        "漢字" * 20,  # 40 characters, 80 columns: measured, then wrapped
        "漢字" * 15,  # 30 characters: fits whatever their widths
        "Société générale des éditeurs, Genève — Lausanne — Zürich",  # measured: fits
        "Première ligne\nSeconde ligne, bien plus longue que la page n'en laisse à un msgid, coupée",
        "Tabulé\tcourt",
        "x" * 75,  # wider than the msgid line, narrower than a continued one
    ]
    assert len(set(texts)) == len(texts)
    config = tmp_path / "l10n.yaml"
    config.write_text("source_language: fr\n", encoding="utf-8")
    segments = tmp_path / "segments.txt"
    segments.write_text("\0".join(texts), encoding="utf-8")
    child = subprocess.run(bench.floor(config, segments), cwd=tmp_path, env=bench.ENV, capture_output=True,
                           text=True, timeout=60)
    assert child.returncode == 0, child.stderr
    read, widths, breaks = map(int, child.stdout.split())

    library = unistring.library()
    measured: list[bytes] = []
    laid_out: set[bytes] = set()
    width, width_linebreaks = library.width, library.width_linebreaks
    monkeypatch.setattr(library, "width", lambda data: measured.append(data) or width(data))
    monkeypatch.setattr(library, "width_linebreaks", lambda data, *args: laid_out.add(data)
                        or width_linebreaks(data, *args))
    monkeypatch.setattr(layout, "_last_write", {})  # nothing laid out by an earlier write in this process
    dumps(Catalog(path=tmp_path / "t.pot", header=Entry(msgid=""), entries=[Entry(msgid=t) for t in texts]))
    assert (read, widths, breaks) == (len(texts), len(measured), len(laid_out))
    assert 0 < widths < breaks < read
