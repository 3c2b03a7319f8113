"""Throughput of the `llm` engine: the appeal drafted into 8 languages through a fake OpenAI-compatible server
that answers each request after a fixed delay (300 ms by default), as a local model would.

    .venv/bin/python bench/llm_throughput.py [--delay 0.3] [--repeat 3]

Each round copies the appeal project to a fresh directory (no cache), configures every language for `llm`
and times `l10n pretranslate` as a whole command (a subprocess, as a user runs it); it prints the wall time and
the number of requests the server saw. The issue's target: under 3 s wall for 8 languages at 300 ms a request.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fakes.openai_server import FakeOpenAI, Script  # noqa: E402

LANGUAGES = ["en", "es", "de", "it", "pt", "ru", "uk", "ca"]


def project(where: Path, base_url: str) -> Path:
    (where / "source").mkdir(parents=True)
    shutil.copy(ROOT / "source" / "appeal.fr.txt", where / "source")
    shutil.copy(ROOT / "glossary.yaml", where)
    config = yaml.safe_load((ROOT / "tests" / "data" / "project" / "l10n.yaml").read_text(encoding="utf-8"))
    config.update(languages=LANGUAGES, engines=["llm"],
                  engine_settings={"llm": {"base_url": base_url, "model": "bench-7b"}})
    (where / "l10n.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return where


def l10n(*args: str, cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one l10n command in its own process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", "import sys; from l10n.cli import entry; sys.exit(entry())", *args],
                          cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"l10n {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return elapsed, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--delay", type=float, default=0.3, help="seconds the server takes per request")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    walls, cpus, requests = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "XDG_CACHE_HOME": str(Path(tmp) / "xdg")}
        for n in range(args.repeat):
            with FakeOpenAI(Script(delay=args.delay)) as server:
                where = project(Path(tmp) / f"round-{n}", server.base_url)
                l10n("extract", cwd=where, env=env)
                l10n("update", cwd=where, env=env)
                wall, cpu = l10n("pretranslate", cwd=where, env=env)
                walls.append(wall)
                cpus.append(cpu)
                requests.append(len(server.seen))
    print(f"llm pretranslate, {len(LANGUAGES)} languages, {args.delay * 1000:.0f} ms per request: "
          f"wall {statistics.median(walls):.2f} s median of {args.repeat} "
          f"(runs: {', '.join(f'{w:.2f}' for w in walls)}); CPU {statistics.median(cpus):.2f} s; "
          f"requests per run: {requests[0]}; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
