#!/usr/bin/env python3
"""Time `l10n signatories import` of a large sign-up export: the whole command, as a committee would run it.

A project is generated with bench/corpus.py (its document carries a few hundred organisations), then a CSV of
`--rows` rows: organisation names shaped like the corpus's, countries among the document's headings, and one row
in fifty a near-duplicate of a name listed or imported before it (a letter dropped, doubled or swapped), so the
"looks like" warning has real work. Each round imports into a fresh copy of the project.

    python3 bench/signatories_import.py                      # 20,000 rows, 3 rounds
    python3 bench/signatories_import.py --rows 2000 --rounds 1
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Sequence

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus as corpus_mod  # noqa: E402  (bench/corpus.py, next to this file)
import run as bench  # noqa: E402  (bench/run.py: the project layout, the measured child process)


def typo(rng: random.Random, name: str) -> str:
    """The name with one typing error, away from its digits (a different number is a different organisation)."""
    letters = [i for i, c in enumerate(name) if c.isalpha()]
    i = rng.choice(letters[:-1])
    kind = rng.randrange(3)
    if kind == 0:
        return name[:i] + name[i + 1:]
    if kind == 1:
        return name[:i] + name[i] + name[i:]
    return name[:i] + name[i + 1] + name[i] + name[i + 2:]


def rows(corpus: corpus_mod.Corpus, count: int, seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    headings = [g.heading for g in corpus.groups]
    names = [n for g in corpus.groups for n in g.organisations]
    seen = set(names)
    out = []
    for _ in range(count):
        if rng.random() < 0.02:
            name = typo(rng, rng.choice(names))
        else:
            name = corpus_mod._organisation(rng, seen)
            names.append(name)
        out.append((name, rng.choice(headings)))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--segments", type=int, default=1000, help="size of the generated document")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--tree", type=Path, default=bench.ROOT, help="the l10n source tree to measure")
    parser.add_argument("--workdir", type=Path, help="keep the project here (default: a temporary folder)")
    args = parser.parse_args(argv)
    env = bench._environment(args.tree.resolve())
    work = Path(tempfile.mkdtemp(prefix="l10n-sig-", dir=args.workdir))
    try:
        corpus = corpus_mod.generate(args.segments, args.seed)
        original = bench.make_project(work / "original", corpus.text(), ["en"])
        with open(work / "form.csv", "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["organisation", "country"])
            writer.writerows(rows(corpus, args.rows, args.seed))
        walls = []
        for _ in range(args.rounds):
            project = work / "project"
            shutil.rmtree(project, ignore_errors=True)
            shutil.copytree(original, project)
            measure, stderr = bench.run(bench.l10n("signatories", "import", str(work / "form.csv")), project,
                                        ok=(0, 1), env=env)
            walls.append(measure.wall)
            warnings = stderr.count("looks like")
            print(f"signatories import, {args.rows:,} rows: {measure.wall:.2f} s wall, {measure.cpu:.2f} s CPU, "
                  f"{measure.rss_mb:.0f} MB, {warnings} look-alike warnings", flush=True)
        print(f"median of {len(walls)}: {statistics.median(walls):.2f} s")
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
