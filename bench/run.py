#!/usr/bin/env python3
"""Benchmark every l10n stage against the reference tool doing the same job on the same files, in one run.

Each stage is run as a whole command (`l10n …` in a generated project), and so is each reference tool
(translate-toolkit's txt2po, podebug, pocount, pofilter, po2txt; GNU gettext's msgmerge and msgfmt), because that
is what a user waits for. Wall time comes from `time.perf_counter`, CPU time and peak memory (max RSS) from the
kernel's accounting of each child (`os.wait4`, i.e. getrusage of that child). With --repeat N, a stage and its
references run in N interleaved rounds; from three rounds on, a ratio is the median of the rounds' ratios (each
round's l10n run against the reference run right after it), and the ratio of the fastest runs is shown beside
it. See bench/README.md for results.

    python3 bench/run.py                                   # 1,000, 5,000 and 20,000 segments × 10 languages
    python3 bench/run.py --sizes 50 --languages en,es --apertium-segments 10   # smoke size
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Sequence

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import corpus as corpus_mod  # noqa: E402  (bench/corpus.py, next to this file)

LANGUAGES = ("en", "es", "de", "it", "pt", "ru", "uk", "ca", "pl", "nl")
SIZES = (1000, 5000, 20000)
TTK, GETTEXT = "translate-toolkit", "gettext"
#: from this many rounds on, targets are judged on medians: one fast or slow minute cannot decide them
MEDIAN_ROUNDS = 3
#: a comparison whose commands all ran in under SHORT_SECONDS is taken over at least SHORT_ROUNDS rounds: a
#: command of a tenth of a second moves by several percent from one run to the next with the machine's own
#: noise, more than three rounds can outvote, and nine such rounds take seconds
SHORT_SECONDS, SHORT_ROUNDS = 1.0, 9
#: the ratio each family of reference tools sets: l10n ≤ 1.0 × translate-toolkit, ≤ 2.0 × gettext's C tools
LIMITS = {TTK: 1.0, GETTEXT: 2.0}
GROWTH_LIMIT = 1.1  # 4× the segments may cost at most 4.4× the time
RUN_UNCHANGED_LIMIT = 0.10
APERTIUM_LIMIT = 1.2
MEMORY_LIMIT_MB = 500.0

#: every stage the report carries, in pipeline order (the smoke test checks that each one is there)
STAGES = ("extract", "extract's floor", "update", "pretranslate", "status", "check",
          "build (all formats)", "build --format txt", "run (first)", "run (unchanged)", "update (source changed)")


class BenchError(RuntimeError):
    """A command failed: the benchmark is meaningless without every stage, so it stops."""


# ---------------------------------------------------------------------------------------------------- processes


@dataclass
class Measure:
    """Whole-command cost: wall seconds, CPU seconds, peak RSS (MB) of the largest process, processes run; from
    interleaved rounds, the fastest run's, with every round's wall time in `rounds`."""

    wall: float = 0.0
    cpu: float = 0.0
    rss_mb: float = 0.0
    procs: int = 0
    rounds: list[float] = field(default_factory=list)

    @property
    def typical(self) -> float:
        """The wall time targets compare: the median of the rounds when there are enough, else the fastest."""
        return statistics.median(self.rounds) if len(self.rounds) >= MEDIAN_ROUNDS else self.wall

    def __add__(self, other: Measure) -> Measure:
        return Measure(self.wall + other.wall, self.cpu + other.cpu, max(self.rss_mb, other.rss_mb),
                       self.procs + other.procs)


def _environment(tree: Path) -> dict[str, str]:
    """The measured l10n first on the path (by default the tree next to this script), messages untranslated."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(tree), *filter(None, [env.get("PYTHONPATH")])])
    env.update(LC_ALL="C.UTF-8", LANGUAGE="", PYTHONIOENCODING="utf-8")
    return env


ENV = _environment(ROOT)


def run(cmd: Sequence[str] | str, cwd: Path, ok: tuple[int, ...] = (0,), stdout: Path | None = None,
        env: dict[str, str] | None = None) -> tuple[Measure, str]:
    """Run one command (a string: through the shell); (its cost, its stderr). Peak RSS and CPU come from wait4
    on that very child."""
    with tempfile.TemporaryFile() as err, open(stdout or os.devnull, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env or ENV, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                shell=isinstance(cmd, str))
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    if proc.returncode not in ok:
        raise BenchError(f"{cmd if isinstance(cmd, str) else ' '.join(map(str, cmd))} exited {proc.returncode}"
                         f" in {cwd}:\n{stderr[-2000:]}")
    return Measure(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, 1), stderr


class Snapshot:
    """A copy of a project as a stage found it, so that a repeated measurement starts from the same state."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.copy = path.with_name(path.name + ".snapshot")
        shutil.rmtree(self.copy, ignore_errors=True)
        shutil.copytree(path, self.copy, symlinks=True)

    def restore(self) -> None:
        shutil.rmtree(self.path)
        shutil.copytree(self.copy, self.path, symlinks=True)

    def drop(self) -> None:
        shutil.rmtree(self.copy, ignore_errors=True)


class Runner:
    """One side of a comparison: commands run one after another (their costs added), with what puts their
    inputs back before each further run: a `state` directory restored from a copy, or a `before` step."""

    def __init__(self, commands: list[Sequence[str] | str], cwd: Path, state: Path | None = None,
                 before: Callable[[], None] | None = None, ok: tuple[int, ...] = (0,),
                 env: dict[str, str] | None = None, stdout: Path | None = None) -> None:
        self.commands, self.cwd, self.before, self.ok, self.env = commands, cwd, before, ok, env
        self.stdout = stdout
        self.state = state
        self.snap: Snapshot | None = None

    def prepare(self, repeated: bool) -> None:
        """Keep a copy of the state before the first run when there will be more than one."""
        if self.state is not None and repeated:
            self.snap = Snapshot(self.state)

    def once(self, again: bool) -> Measure:
        if again and self.snap is not None:
            self.snap.restore()
        if self.before is not None:
            self.before()
        # The copies just made are the benchmark's writes, not the command's: flushed now, they are not charged
        # to the first command that fsyncs (on ext4 that flushes every file written before it: 0.2 s of a
        # 0.6 s extract at 20,000 segments after restoring the project).
        os.sync()
        total = Measure()
        for cmd in self.commands:
            total += run(cmd, self.cwd, ok=self.ok, env=self.env, stdout=self.stdout)[0]
        return total

    def close(self) -> None:
        if self.snap is not None:
            self.snap.drop()


def interleaved(repeat: int, *runners: Runner) -> list[Measure]:
    """Each runner's fastest of `repeat` runs, taken in rounds (every runner once, then again): on a machine
    whose speed drifts from one minute to the next, both sides of a comparison then meet the same minutes,
    rather than one side a slow one. Every round's wall time and the largest peak memory seen are kept. When
    rounds are judged on their median and every command of the first round was short, there are at least
    SHORT_ROUNDS of them."""
    found: list[Measure | None] = [None] * len(runners)
    peaks = [0.0] * len(runners)
    walls: list[list[float]] = [[] for _ in runners]
    rounds = repeat
    try:
        for runner in runners:
            runner.prepare(repeat > 1)
        attempt = 0
        while attempt < rounds:
            for i, runner in enumerate(runners):
                measure = runner.once(again=attempt > 0)
                peaks[i] = max(peaks[i], measure.rss_mb)
                walls[i].append(measure.wall)
                if found[i] is None or measure.wall < found[i].wall:
                    found[i] = measure
            if attempt == 0 and repeat >= MEDIAN_ROUNDS and max(w[0] for w in walls) < SHORT_SECONDS:
                rounds = max(repeat, SHORT_ROUNDS)
            attempt += 1
    finally:
        for runner in runners:
            runner.close()
    return [Measure(m.wall, m.cpu, peak, m.procs, times)
            for m, peak, times in zip(found, peaks, walls) if m is not None]


def fastest_ratio(ours: Measure, theirs: Measure) -> float:
    return ours.wall / theirs.wall if theirs.wall else float("inf")


def round_ratio(ours: Measure, theirs: Measure) -> float:
    """The ratio a target is judged on: from MEDIAN_ROUNDS interleaved rounds, the median of each round's ratio
    (the two runs of a round are seconds apart, so a slow or fast stretch of the machine meets both), else the
    ratio of the fastest runs. The fastest runs alone let one lucky run of either side decide a target."""
    if len(ours.rounds) >= MEDIAN_ROUNDS and len(ours.rounds) == len(theirs.rounds):
        return statistics.median(a / b if b else float("inf") for a, b in zip(ours.rounds, theirs.rounds))
    return fastest_ratio(ours, theirs)


#: what the installed `l10n` script runs, with the measured tree first on the path (`-m` would add runpy's work)
ENTRY = ["-c", "import sys; from l10n.cli import entry; sys.exit(entry())"]


def l10n(*args: str) -> list[str]:
    return [sys.executable, *ENTRY, *args]


#: what any extract must do and nothing of l10n's own (bench/floor.py), started as `l10n` is
FLOOR = "extract's floor"


def floor(config: Path, segments: Path) -> list[str]:
    """The floor's command: bench/floor.py's text run with -c, like ENTRY; the PO writer's page width as it stands."""
    from l10n.po.model import PAGE_WIDTH  # msgcat's 79 columns

    code = (HERE / "floor.py").read_text(encoding="utf-8")
    return [sys.executable, "-c", code, str(config), str(segments), str(PAGE_WIDTH)]


def tool(name: str) -> list[str]:
    """A translate-toolkit command, started with this interpreter (not through a pyenv shim, which costs time)."""
    beside = Path(sys.executable).with_name(name)
    path = beside if beside.exists() else shutil.which(name)
    if path is None:
        raise BenchError(f"{name} not found: pip install translate-toolkit")
    return [sys.executable, str(path)]


def gettext_tool(name: str) -> list[str]:
    path = shutil.which(name)
    if path is None:
        raise BenchError(f"{name} not found: apt-get install gettext")
    return [path]


# ---------------------------------------------------------------------------------------------------- projects

CONFIG = """\
source_language: fr
documents: [source/appeal.fr.txt]
languages: [{languages}]
segmentation: paragraph
signatories:
  heading: Liste des signataires
  order: collation
  groups:
    Etat espagnol: ES
    Europe: "150"
    Organisation internationale: null
engines: [pseudo]
glossary: glossary.yaml
"""

HEADER_ONLY_PO = """\
msgid ""
msgstr ""
"Project-Id-Version: appeal\\n"
"Language: {lang}\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"""


def make_project(path: Path, text: str, languages: Sequence[str]) -> Path:
    (path / "source").mkdir(parents=True)
    (path / "source" / "appeal.fr.txt").write_text(text, encoding="utf-8")
    (path / "l10n.yaml").write_text(CONFIG.format(languages=", ".join(languages)), encoding="utf-8")
    shutil.copy(ROOT / "glossary.yaml", path / "glossary.yaml")
    return path


def po_files(project: Path, languages: Sequence[str]) -> list[Path]:
    return [project / "locales" / lang / "appeal.po" for lang in languages]


def copy_pos(project: Path, languages: Sequence[str], target: Path) -> list[Path]:
    """Snapshot the catalogs as a stage is about to see them, so the reference tool gets the same input."""
    target.mkdir(parents=True, exist_ok=True)
    out = []
    for lang, po in zip(languages, po_files(project, languages)):
        shutil.copy2(po, target / f"{lang}.po")
        out.append(target / f"{lang}.po")
    return out


def snapshot(root: Path) -> dict[str, int]:
    """mtime (ns) of every file of a project, to prove a run wrote nothing."""
    return {str(p.relative_to(root)): p.stat().st_mtime_ns for p in sorted(root.rglob("*")) if p.is_file()}


def changed_files(before: dict[str, int], after: dict[str, int]) -> list[str]:
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


# ---------------------------------------------------------------------------------------------------- results


@dataclass
class Reference:
    name: str
    family: str  # translate-toolkit | gettext
    measure: Measure

    def ratio(self, ours: Measure) -> float:
        return round_ratio(ours, self.measure)

    def fastest_ratio(self, ours: Measure) -> float:
        return fastest_ratio(ours, self.measure)


@dataclass
class Stage:
    name: str
    ours: Measure
    references: list[Reference] = field(default_factory=list)
    note: str = ""
    #: False for a one-time cost (a cache being filled), reported beside the stage but not judged as its cost
    judged: bool = True
    #: True for a measure shown against the references but not judged (extract's floor): its ratios are listed
    #: among the targets as "shown, not judged"
    shown: bool = False


@dataclass
class SizeResult:
    size: int
    languages: int
    stages: list[Stage] = field(default_factory=list)
    run_unchanged: dict = field(default_factory=dict)
    #: what extract's floor did: segments read, libunistring's width and line-break calls
    floor: dict = field(default_factory=dict)

    def stage(self, name: str) -> Stage:
        return next(s for s in self.stages if s.name == name)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------------- one size


def bench_size(size: int, languages: Sequence[str], work: Path, seed: int, repeat: int = 1) -> SizeResult:
    """Every stage at one corpus size beside its reference tools on the same input files, in interleaved rounds;
    after a stage the project is as its last run left it, ready for the next."""
    result = SizeResult(size, len(languages))
    base = work / f"size-{size}"
    shutil.rmtree(base, ignore_errors=True)
    corpus = corpus_mod.generate(size, seed)
    text = corpus.text()
    project = make_project(base / "project", text, languages)
    ref = base / "ref"
    ref.mkdir(parents=True)
    pot = project / "locales" / "appeal.pot"
    source = project / "source" / "appeal.fr.txt"

    def ours(*args: str, ok: tuple[int, ...] = (0,), where: Path = project,
             before: Callable[[], None] | None = None) -> Runner:
        return Runner([l10n(*args)], where, state=where, ok=ok, before=before)

    def theirs(*commands: list[str]) -> Runner:
        return Runner(list(commands), ref)

    def stage(name: str, mine: Runner, *refs: tuple[str, str, Runner], note: str = "") -> Measure:
        """Our command and the reference tools, measured in interleaved rounds."""
        measure, *measures = interleaved(repeat, mine, *(runner for _, _, runner in refs))
        record(name, measure, *(Reference(ref_name, family, m) for (ref_name, family, _), m in zip(refs, measures)),
               note=note)
        return measure

    def record(name: str, measure: Measure, *refs: Reference, note: str = "", judged: bool = True,
               shown: bool = False) -> None:
        result.stages.append(Stage(name, measure, list(refs), note, judged, shown))
        against = ", ".join(f"{r.name} {r.measure.wall:.2f}s (×{r.ratio(measure):.2f})" for r in refs)
        log(f"  [{size}] {name}: {measure.wall:.2f}s, {measure.rss_mb:.0f} MB" + (f"; {against}" if against else ""))

    # extract ⟷ txt2po, from the project as generated, with no catalog; in the same rounds, extract's floor: what
    # any extract must do (bench/floor.py), on the msgids the POT will have, written beforehand
    segments = ref / "segments.txt"
    segments.write_text("\0".join(corpus.segments()), encoding="utf-8")
    said = ref / "floor.txt"
    extracted, txt2po, least = interleaved(
        repeat, ours("extract"),
        theirs(tool("txt2po") + ["-P", "--progress=none", "-i", str(source), "-o", str(ref / "txt2po.pot")]),
        Runner([floor(project / "l10n.yaml", segments)], project, stdout=said))
    record("extract", extracted, Reference("txt2po", TTK, txt2po))
    read, widths, breaks = map(int, said.read_text(encoding="utf-8").split())
    result.floor = {"segments": read, "width_calls": widths, "line_break_calls": breaks}
    record(FLOOR, least, Reference("txt2po", TTK, txt2po), judged=False, shown=True,
           note=f"Python, click, PyYAML, l10n.yaml, CLDR territory names; libunistring: {breaks:,} msgids wrapped, "
                f"{widths:,} measured")

    # update (creating every catalog) ⟷ msgmerge --previous from a header-only PO, once per language
    init = ref / "init"
    init.mkdir()
    for lang in languages:
        (init / f"{lang}.po").write_text(HEADER_ONLY_PO.format(lang=lang), encoding="utf-8")
    stage("update", ours("update"), ("msgmerge --previous", GETTEXT, theirs(*[
        gettext_tool("msgmerge") + ["--previous", "-q", "-o", str(ref / f"update-{lang}.po"),
                                    str(init / f"{lang}.po"), str(pot)] for lang in languages])))

    # pretranslate --engine pseudo ⟷ podebug --rewrite=unicode on each language's catalog as it stood before
    before = copy_pos(project, languages, ref / "pre")
    stage("pretranslate", ours("pretranslate", "--engine", "pseudo"), ("podebug", TTK, theirs(*[
        tool("podebug") + ["--progress=none", "--rewrite=unicode", "-i", str(po), "-o", str(ref / f"podebug-{po.name}")]
        for po in before])))

    # status ⟷ msgfmt --statistics (per file: msgfmt merges several inputs into one catalog) and pocount
    pos = [str(p) for p in po_files(project, languages)]
    stage("status", ours("status"),
          ("msgfmt --statistics", GETTEXT,
           theirs(*[gettext_tool("msgfmt") + ["--statistics", "-o", os.devnull, po] for po in pos])),
          ("pocount", TTK, theirs(tool("pocount") + pos)))

    # check ⟷ pofilter over every catalog (one process, as `l10n check` is one), really checking: without the
    # findings an earlier check kept (l10n/checks/memo.py), which pofilter does not have either
    forget = lambda: (project / CHECK_MEMO).unlink(missing_ok=True)  # noqa: E731
    stage("check", ours("check", ok=(0, 3), before=forget), ("pofilter", TTK, theirs(
        tool("pofilter") + ["--progress=none", "-x", "*.pot", "-i", str(project / "locales"),
                            "-o", str(ref / "pofilter")])))

    # build as a user types it: every format (txt, md, html, pdf, eml) of what the policy publishes; drafts are
    # not published by default, so here the original alone. No reference tool does this job: judged on its growth
    # and on peak memory only
    stage("build (all formats)", ours("build"), note="txt, md, html, pdf and eml of the original; drafts skipped")
    # build --format txt --allow-fuzzy ⟷ po2txt per language, the source as template: plain text of every language
    # with its drafts shown (po2txt writes each catalog's text, untranslated entries in the source language)
    stage("build --format txt", ours("build", "--format", "txt", "--allow-fuzzy"), ("po2txt", TTK, theirs(*[
        tool("po2txt") + ["--progress=none", "-t", str(source), "-i", po, "-o", str(ref / f"po2txt-{lang}.txt")]
        for lang, po in zip(languages, pos)])), note="--allow-fuzzy: a .txt per language and the original")

    # run on a fresh project, then again with nothing changed
    fresh = make_project(base / "fresh", text, languages)
    first = stage("run (first)", ours("run", where=fresh))
    mtimes = snapshot(fresh)
    (again,) = interleaved(repeat, Runner([l10n("run")], fresh))
    written = changed_files(mtimes, snapshot(fresh))
    share = again.typical / first.typical
    record("run (unchanged)", again, note=f"{share:.1%} of the first run")
    # once more, listing imports: an engine module that is never imported was never started
    _, imports = run([sys.executable, "-X", "importtime", *ENTRY, "run"], fresh)
    imported = {line.split("|")[-1].strip() for line in imports.splitlines() if "|" in line}
    engines = sorted(imported & engine_modules())
    written_again = changed_files(mtimes, snapshot(fresh))
    result.run_unchanged = {"ratio": share, "written": written, "written_by_second_check":
                            written_again, "engine_modules_imported": engines}

    # update after an editorial pass ⟷ msgmerge --previous on the same old catalogs and the same new template
    source.write_text(corpus_mod.mutate(corpus).text(), encoding="utf-8")
    run(l10n("extract"), project)
    before = copy_pos(project, languages, ref / "prechange")
    stage("update (source changed)", ours("update"), ("msgmerge --previous", GETTEXT, theirs(*[
        gettext_tool("msgmerge") + ["--previous", "-q", "-o", str(ref / f"merged-{po.name}"), str(po), str(pot)]
        for po in before])), note="5 % of paragraphs reworded, 1 % of organisations replaced")
    return result


def engine_modules() -> set[str]:
    """The modules engines live in (l10n.engines.REGISTRY), read from the measured tree's source."""
    text = (Path(ENV["PYTHONPATH"].split(os.pathsep)[0]) / "l10n" / "engines" / "__init__.py").read_text("utf-8")
    return {f"l10n.engines.{module}" for module in re.findall(r'"(\w+):\w+"', text)}


# ---------------------------------------------------------------------------------------------------- Apertium


class Skipped(Exception):
    """The timed engine cannot translate this pair here (its reason as the message)."""


class EngineTiming(Runner):
    """The tool's side of the Apertium comparison: ApertiumEngine.translate as time_apertium.py times it in a
    child process started with the measured tree first on the path (this one has l10n imported already), its
    own start-up left out. `report`: what the child said of the fastest run (chain, texts translated, calls)."""

    def __init__(self, target: str, segments: list[str], work: Path) -> None:
        super().__init__([], work)
        self.target, self.input = target, json.dumps(segments)
        self.report: dict | None = None

    def once(self, again: bool) -> Measure:
        child = subprocess.run([sys.executable, str(HERE / "time_apertium.py"), self.target], env=ENV,
                               cwd=self.cwd, input=self.input, capture_output=True, text=True, encoding="utf-8")
        if child.returncode != 0:
            raise BenchError(f"timing the Apertium engine failed: {child.stderr.strip()[-500:]}")
        timed = json.loads(child.stdout)
        if "skipped" in timed:
            raise Skipped(timed["skipped"])
        if self.report is None or timed["wall"] < self.report["wall"]:
            self.report = timed
        return Measure(timed["wall"], timed["cpu"], 0.0, timed["calls"])


def bench_apertium(count: int, seed: int, work: Path, repeat: int = 1) -> list[dict]:
    """Segments per second through ApertiumEngine.translate against the raw `apertium` command, same texts."""
    if shutil.which("apertium") is None:
        return [{"skipped": "apertium is not installed"}]
    segments = corpus_mod.generate(max(count, 12), seed).segments()[:count]
    work.mkdir(parents=True, exist_ok=True)
    source = work / "apertium-in.txt"
    source.write_text("\n\n".join(segments) + "\n", encoding="utf-8")
    rows = []
    for target, raw_cmd in (("es", "apertium fr-es < apertium-in.txt > apertium-out.txt"),
                            ("en", "apertium fr-es < apertium-in.txt | apertium spa-eng > apertium-out.txt")):
        # one translation through the tool, then the raw command, round after round (see `interleaved`)
        engine = EngineTiming(target, segments, work)
        try:
            tool, raw = interleaved(repeat, engine, Runner([raw_cmd], work))
        except Skipped as exc:
            rows.append({"pair": f"fr→{target}", "skipped": str(exc)})
            continue
        assert engine.report is not None
        ratio, fastest = round_ratio(tool, raw), fastest_ratio(tool, raw)
        rows.append({"pair": engine.report["chain"], "segments": len(segments),
                     "translated": engine.report["translated"], "processes": tool.procs, "ours_s": tool.wall,
                     "ours_cpu_s": tool.cpu, "raw_s": raw.wall, "raw_cpu_s": raw.cpu,
                     "ours_seg_per_s": len(segments) / tool.wall, "raw_seg_per_s": len(segments) / raw.wall,
                     "ratio": ratio, "fastest_ratio": fastest, "ours_rounds": tool.rounds, "raw_rounds": raw.rounds,
                     "raw_command": raw_cmd})
        log(f"  apertium {engine.report['chain']}: tool {tool.wall:.2f}s, raw {raw.wall:.2f}s (×{ratio:.2f}; "
            f"fastest ×{fastest:.2f})")
    return rows


# ---------------------------------------------------------------------------------------------------- the appeal

APPEAL_LIMIT_MS = 150.0
#: the committed appeal project, as `bash scripts/run-appeal` finds it
APPEAL_FILES = ("l10n.yaml", "glossary.yaml", "source", "locales")
CHECK_MEMO = Path(".l10n") / "checks.json"  # l10n/checks/memo.py


def bench_appeal(runs: int, tree: Path, work: Path) -> list[dict]:
    """Every command a coordinator types on the appeal when there is no engine work, `runs` times each, as the
    installed script runs it: `status`, `check`, `build --allow-fuzzy` and `run --allow-fuzzy` on the project as
    `run --allow-fuzzy` left it (one run first, not timed). `check` is also timed without its memo (the first
    check of a project, or after l10n or a dictionary changed) and after one edited entry of the Spanish catalog
    (what a translator's save costs): those rows are labelled and not judged against the budget."""
    project = work / "appeal"
    shutil.rmtree(project, ignore_errors=True)
    project.mkdir(parents=True)
    for name in APPEAL_FILES:
        (shutil.copytree if (tree / name).is_dir() else shutil.copy2)(tree / name, project / name)
    run(l10n("run", "--allow-fuzzy"), project)  # the project as the main job leaves it: dist/, .l10n/
    run(l10n("check"), project, ok=(0, 3))
    memo = project / CHECK_MEMO
    kept = memo.read_bytes() if memo.exists() else None
    spanish = project / "locales" / "es" / "appeal.po"
    original = spanish.read_bytes()
    edited = _edit_one_entry(original)

    def forget() -> None:
        memo.unlink(missing_ok=True)

    def edit() -> None:
        if kept is not None:
            memo.write_bytes(kept)  # the memo as the previous check left it, the Spanish catalog then edited
        spanish.write_bytes(edited)

    def unedit() -> None:
        spanish.write_bytes(original)
        if kept is not None:
            memo.write_bytes(kept)

    plan: list[tuple[str, list[str], bool, Callable[[], None] | None]] = [
        ("status", ["status"], True, None),
        ("check", ["check"], True, None),
        ("build --allow-fuzzy", ["build", "--allow-fuzzy"], True, None),
        ("run --allow-fuzzy (no-op)", ["run", "--allow-fuzzy"], True, None),
    ]
    if kept is not None:  # a memo makes `check` fast when nothing changed: show what it costs when it does not help
        plan += [("check, memo removed (cold)", ["check"], False, forget),
                 ("check, one entry of es edited", ["check"], False, edit)]
    rows = []
    for label, args, judged, before in plan:
        mtimes = snapshot(project)
        walls = []
        for _ in range(runs):
            if before is not None:
                before()
            walls.append(run(l10n(*args), project, ok=(0, 3))[0].wall * 1000)
        if before is not None:
            unedit()
            written: list[str] | None = None  # the bench itself rewrote files between the runs
        else:
            written = changed_files(mtimes, snapshot(project))
        row = {"command": label, "runs": runs, "min_ms": min(walls), "median_ms": statistics.median(walls),
               "judged": judged, "written": written, "rounds_ms": walls}
        rows.append(row)
        log(f"  appeal {label}: min {row['min_ms']:.0f} ms, median {row['median_ms']:.0f} ms"
            + (f"; wrote {', '.join(written)}" if written else ""))
    return rows


def _edit_one_entry(po: bytes) -> bytes:
    """The catalog with one translation changed, as a translator's save changes it (the first non-empty msgstr
    after the header gets a word more)."""
    text = po.decode("utf-8")
    start = text.index("\nmsgstr \"", text.index("\nmsgid ", text.index("\nmsgid ") + 1))
    end = text.index("\n", start + 1)
    line = text[start:end]
    changed = line[:-1] + " editado\"" if line.endswith("\"") and line != '\nmsgstr ""' else line + '\n"editado"'
    return (text[:start] + changed + text[end:]).encode("utf-8")


# ---------------------------------------------------------------------------------------------------- report


def _ok(flag: bool | None) -> str:
    return "n/a" if flag is None else ("met" if flag else "**missed**")


def evaluate(results: list[SizeResult], apertium: list[dict], run_size: int, appeal: Sequence[dict] = ()
             ) -> list[dict]:
    """Each target of the performance issue, with the numbers that decide it."""
    targets: list[dict] = []
    for row in appeal:
        if row["judged"]:
            targets.append({"target": f"appeal: {row['command']} median ≤ {APPEAL_LIMIT_MS:g} ms", "size": "appeal",
                            "value": f"{row['median_ms']:.0f} ms", "met": row["median_ms"] <= APPEAL_LIMIT_MS})
    for row in appeal:
        if row["command"].startswith("run") and row["written"] is not None:
            targets.append({"target": "appeal: no-op run writes no file", "size": "appeal",
                            "value": ", ".join(row["written"]) or "none", "met": not row["written"]})
    for res in results:
        for st in filter(lambda st: st.judged, res.stages):
            for ref in st.references:
                limit = LIMITS[ref.family]
                targets.append({"target": f"{st.name} ≤ {limit:g}× {ref.name}", "size": res.size,
                                "value": round(ref.ratio(st.ours), 2), "met": ref.ratio(st.ours) <= limit})
        for st in filter(lambda st: st.shown, res.stages):
            for ref in st.references:
                targets.append({"target": f"{st.name} ÷ {ref.name}", "size": res.size,
                                "value": round(ref.ratio(st.ours), 2), "met": None, "judged": False})
    ordered = sorted(results, key=lambda r: r.size)
    for small, large in zip(ordered, ordered[1:]):
        factor = large.size / small.size
        for st in filter(lambda st: st.judged, large.stages):
            t0 = small.stage(st.name).ours.typical
            growth = st.ours.typical / t0 if t0 else float("inf")
            targets.append({"target": f"{st.name}: {factor:g}× segments ≤ {factor * GROWTH_LIMIT:.2f}× time",
                            "size": f"{small.size}→{large.size}", "value": round(growth, 2),
                            "met": growth <= factor * GROWTH_LIMIT})
    chosen = next((r for r in results if r.size == run_size), ordered[-1] if ordered else None)
    if chosen is not None:
        ru = chosen.run_unchanged
        targets.append({"target": "run (unchanged) writes no file", "size": chosen.size,
                        "value": ", ".join(ru["written"] + ru["written_by_second_check"]) or "none",
                        "met": not ru["written"] and not ru["written_by_second_check"]})
        targets.append({"target": "run (unchanged) starts no engine", "size": chosen.size,
                        "value": ", ".join(ru["engine_modules_imported"]) or "no engine module imported",
                        "met": not ru["engine_modules_imported"]})
        targets.append({"target": f"run (unchanged) ≤ {RUN_UNCHANGED_LIMIT:.0%} of the first run",
                        "size": chosen.size, "value": f"{ru['ratio']:.1%}", "met": ru["ratio"] <= RUN_UNCHANGED_LIMIT})
    for row in apertium:
        if "ratio" in row:
            targets.append({"target": f"Apertium {row['pair']} through the tool ≤ {APERTIUM_LIMIT:g}× raw",
                            "size": row["segments"], "value": round(row["ratio"], 2),
                            "met": row["ratio"] <= APERTIUM_LIMIT})
    if ordered:
        largest = ordered[-1]
        peak = max(st.ours.rss_mb for st in largest.stages)
        targets.append({"target": f"peak memory < {MEMORY_LIMIT_MB:g} MB", "size": largest.size,
                        "value": f"{peak:.0f} MB", "met": peak < MEMORY_LIMIT_MB})
    return targets


def markdown(results: list[SizeResult], apertium: list[dict], targets: list[dict], command: str,
             appeal: Sequence[dict] = ()) -> str:
    out = [f"Command: `{command}`", "",
           "Seconds are each side's fastest run. `ratio` is the one targets are judged on: from "
           f"{MEDIAN_ROUNDS} rounds, the median of the rounds' ratios (each round's l10n run against the reference "
           "run right after it), else the ratio of the fastest runs, which `fastest` always shows. Commands that "
           f"all ran in under {SHORT_SECONDS:g} s are taken over at least {SHORT_ROUNDS} rounds.", ""]
    if any(st.shown for res in results for st in res.stages):
        out += [f"`{FLOOR}` is not l10n: a Python process started as `l10n` is, in the same rounds as `extract` and "
                "txt2po, that does only what any extract must (bench/floor.py): import click and PyYAML, read "
                "l10n.yaml, load the source language's CLDR territory names (Babel), and ask libunistring what the "
                "PO writer asks it of each msgid. Its ratio to txt2po shows how far below txt2po `extract` could "
                "be without start-up tricks: shown, not judged.", ""]
    if appeal:
        out += ["### The appeal, nothing to translate", "",
                "Wall time of the whole command, as the installed `l10n` script runs it, on the committed appeal "
                "project after one `run --allow-fuzzy`.", "",
                "| command | runs | min ms | median ms | budget |", "|---|---:|---:|---:|---|"]
        for row in appeal:
            verdict = (f"≤ {APPEAL_LIMIT_MS:g}: {_ok(row['median_ms'] <= APPEAL_LIMIT_MS)}" if row["judged"]
                       else "shown, not judged")
            out.append(f"| {row['command']} | {row['runs']} | {row['min_ms']:.0f} | {row['median_ms']:.0f} | "
                       f"{verdict} |")
        out.append("")
    for res in results:
        out += [f"### {res.size:,} segments × {res.languages} languages", "",
                "| stage | l10n s | l10n CPU s | l10n MB | reference | ref s | ref MB | ratio | fastest | target |",
                "|---|---:|---:|---:|---|---:|---:|---:|---:|---|"]
        for st in res.stages:
            refs = st.references or [None]
            for i, ref in enumerate(refs):
                head = ([st.name, f"{st.ours.wall:.2f}", f"{st.ours.cpu:.2f}", f"{st.ours.rss_mb:.0f}"] if i == 0
                        else ["", "", "", ""])
                if ref is None:
                    tail = [st.note or "—", "", "", "", "", ""]
                else:
                    limit = LIMITS[ref.family]
                    ratio = ref.ratio(st.ours)
                    verdict = (f"≤ {limit:g}: {_ok(ratio <= limit)}" if st.judged else
                               "shown, not judged" if st.shown else "one-time cost: not judged")
                    tail = [f"{ref.name} ({ref.measure.procs}×)", f"{ref.measure.wall:.2f}",
                            f"{ref.measure.rss_mb:.0f}", f"{ratio:.2f}", f"{ref.fastest_ratio(st.ours):.2f}", verdict]
                out.append("| " + " | ".join(head + tail) + " |")
        out.append("")
    if apertium:
        out += ["### Apertium", "",
                "Raw: the `apertium` command on the same texts as plain paragraphs (a pipe of two for a chain).",
                "", "| chain | segments | tool s | raw s | tool seg/s | raw seg/s | ratio | fastest |",
                "|---|---:|---:|---:|---:|---:|---:|---:|"]
        for row in apertium:
            if "ratio" in row:
                out.append(f"| {row['pair']} | {row['segments']} | {row['ours_s']:.2f} | {row['raw_s']:.2f} | "
                           f"{row['ours_seg_per_s']:.0f} | {row['raw_seg_per_s']:.0f} | {row['ratio']:.2f} | "
                           f"{row['fastest_ratio']:.2f} |")
            else:
                out.append(f"| {row.get('pair', 'apertium')} | skipped: {row['skipped']} | | | | | | |")
        out.append("")
    out += ["### Targets", "", "| target | size | value | |", "|---|---|---|---|"]
    out += [f"| {t['target']} | {t['size']} | {t['value']} | "
            f"{_ok(t['met']) if t.get('judged', True) else 'shown, not judged'} |" for t in targets]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)),
                        help="comma-separated corpus sizes in segments (default: %(default)s)")
    parser.add_argument("--languages", default=",".join(LANGUAGES), help="comma-separated (default: %(default)s)")
    parser.add_argument("--apertium-segments", type=int, default=1000,
                        help="segments for the Apertium throughput test; 0 skips it (default: %(default)s)")
    parser.add_argument("--run-size", type=int, default=5000,
                        help="size at which `run` with nothing changed is judged (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run every command this many times from the same state, in interleaved rounds; "
                             f"from {MEDIAN_ROUNDS}, ratios are the median of the rounds' ratios "
                             "(default: %(default)s)")
    parser.add_argument("--appeal-runs", type=int, default=10,
                        help="time each command on the committed appeal project this many times; 0 skips it "
                             "(default: %(default)s)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--workdir", type=Path, help="keep projects here (default: a temporary folder, removed)")
    parser.add_argument("--tree", type=Path, default=ROOT,
                        help="directory holding the l10n package to measure, e.g. a checkout of an older commit "
                             "for before/after numbers (default: %(default)s)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    parser.add_argument("--markdown", type=Path, help="also write the report as Markdown")
    args = parser.parse_args(argv)
    global ENV
    ENV = _environment(args.tree.resolve())
    # Measure l10n as installed: pip leaves bytecode beside the modules, and without it (an editable checkout
    # under PYTHONDONTWRITEBYTECODE=1) every command would compile a dozen modules first, ~60 ms each time.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(args.tree.resolve() / "l10n")], check=True,
                   stdout=subprocess.DEVNULL)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    languages = [s.strip() for s in args.languages.split(",") if s.strip()]
    work = args.workdir or Path(tempfile.mkdtemp(prefix="l10n-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    command = "python3 bench/run.py " + " ".join(argv if argv is not None else sys.argv[1:])
    started = time.perf_counter()
    try:
        results = []
        for size in sizes:
            log(f"size {size} × {len(languages)} languages")
            results.append(bench_size(size, languages, work, args.seed, max(1, args.repeat)))
        apertium = (bench_apertium(args.apertium_segments, args.seed, work, max(1, args.repeat))
                    if args.apertium_segments > 0 else [])
        appeal = bench_appeal(args.appeal_runs, args.tree.resolve(), work) if args.appeal_runs > 0 else []
    except BenchError as exc:
        log(f"bench: error: {exc}")
        return 1
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    targets = evaluate(results, apertium, args.run_size, appeal)
    report = markdown(results, apertium, targets, command.strip(), appeal)
    print(report, end="")
    log(f"benchmark took {time.perf_counter() - started:.0f}s")
    if args.markdown:
        args.markdown.write_text(report, encoding="utf-8")
    if args.json:
        data = {"command": command.strip(), "python": sys.version.split()[0], "cpus": os.cpu_count(),
                "results": [asdict(r) for r in results], "apertium": apertium, "appeal": appeal,
                "targets": targets}
        args.json.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
