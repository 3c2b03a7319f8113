"""Time ApertiumEngine.translate: segments as JSON on stdin, one run's cost as JSON on stdout.

Usage: time_apertium.py TARGET. bench/run.py starts it once per round with the measured tree first on PYTHONPATH, so
that the engine timed is the tree's (run.py has imported l10n already, from wherever corpus.py found it)."""

from __future__ import annotations

import json
import os
import sys
import time

from l10n.engines.apertium import ApertiumEngine


def main() -> None:
    target = sys.argv[1]
    segments = json.loads(sys.stdin.read())
    probe = ApertiumEngine()
    chain = probe.route("fr", target)
    if chain is None:
        print(json.dumps({"skipped": probe.unavailable_reason("fr", target)}))
        return
    engine = ApertiumEngine()  # fresh: its `apertium -l` is part of what the tool costs
    start, cpu, children = time.perf_counter(), time.process_time(), os.times()
    batch = engine.translate(segments, "fr", target)
    wall, after = time.perf_counter() - start, os.times()
    print(json.dumps({"chain": "→".join(chain), "wall": wall,
                      "translated": sum(r is not None for r in batch.results), "calls": batch.calls,
                      "cpu": time.process_time() - cpu + (after.children_user - children.children_user)
                      + (after.children_system - children.children_system)}))


if __name__ == "__main__":
    main()
