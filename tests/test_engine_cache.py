"""The SQLite translation cache: round trip, keys, concurrent processes, killed writers, corrupt files."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from l10n.engines.base import Translation
from l10n.engines.cache import Cache

ROOT = Path(__file__).resolve().parent.parent
T1 = Translation("Exigimos la liberación de Azat Miftakhov.", "apertium", ("fr", "es"), ("exigeons",))
T2 = Translation("Free Azat!", "apertium", ("fr", "es", "en"))
SRC1 = "Nous exigeons la libération d'Azat Miftakhov."
SRC2 = "Libérez Azat !"


def test_round_trip_and_second_lookup_hits(tmp_path):
    path = tmp_path / ".l10n" / "cache.sqlite"
    with Cache(path) as cache:
        assert cache.get_many("apertium:3.8.3:abc", "fr", "es", [SRC1]) == {}
        cache.put_many("apertium:3.8.3:abc", "fr", "es", {SRC1: T1})
        cache.put_many("apertium:3.8.3:abc", "fr", "es", [(SRC2, T2)])  # pairs work too
        assert cache.get_many("apertium:3.8.3:abc", "fr", "es", [SRC1, SRC2, "autre"]) == {SRC1: T1, SRC2: T2}
    assert path.exists()  # parents created
    with Cache(path) as again:  # persisted
        assert again.get_many("apertium:3.8.3:abc", "fr", "es", [SRC1]) == {SRC1: T1}


def test_other_engine_settings_languages_or_keep_terms_miss(tmp_path):
    with Cache(tmp_path / "cache.sqlite") as cache:
        cache.put_many("libre:v1:http://127.0.0.1:5000/", "fr", "es", {SRC1: T1}, keep=["Azat Miftakhov"])
        assert cache.get_many("libre:v1:http://127.0.0.1:5001/", "fr", "es", [SRC1], keep=["Azat Miftakhov"]) == {}
        assert cache.get_many("libre:v1:http://127.0.0.1:5000/", "fr", "ca", [SRC1], keep=["Azat Miftakhov"]) == {}
        assert cache.get_many("libre:v1:http://127.0.0.1:5000/", "fr", "es", [SRC1]) == {}  # keep term now absent
        # A glossary entry that does not occur in the text does not invalidate it.
        hit = cache.get_many("libre:v1:http://127.0.0.1:5000/", "fr", "es", [SRC1], keep=["Azat Miftakhov", "Kharp"])
        assert hit == {SRC1: T1}


def _writer(path: str, worker: int) -> int:
    with Cache(Path(path), timeout=60) as cache:
        for n in range(20):
            cache.put_many("pseudo:v1", "fr", "en", {f"text {worker}-{n}-{m}": T2 for m in range(10)})
    return worker


def test_concurrent_processes(tmp_path):
    path = tmp_path / "cache.sqlite"
    with ProcessPoolExecutor(max_workers=4) as pool:
        assert sorted(pool.map(_writer, [str(path)] * 4, range(4))) == [0, 1, 2, 3]
    texts = [f"text {w}-{n}-{m}" for w in range(4) for n in range(20) for m in range(10)]
    with Cache(path) as cache:
        assert len(cache.get_many("pseudo:v1", "fr", "en", texts)) == 800


def test_killed_writer_leaves_a_usable_cache(tmp_path):
    path = tmp_path / "cache.sqlite"
    script = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
from pathlib import Path
from l10n.engines.base import Translation
from l10n.engines.cache import Cache
cache = Cache(Path({str(path)!r}))
t = Translation("x", "pseudo", ("fr", "en"))
n = 0
while True:
    cache.put_many("pseudo:v1", "fr", "en", {{f"t{{n}}-{{m}}": t for m in range(200)}})
    n += 1
    if n == 3:
        print("ready", flush=True)
"""
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(0.2)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    with Cache(path) as cache:
        found = cache.get_many("pseudo:v1", "fr", "en", [f"t{n}-{m}" for n in range(3) for m in range(200)])
        assert len(found) == 600
        cache.put_many("pseudo:v1", "fr", "en", {"after": T2})
        assert cache.get_many("pseudo:v1", "fr", "en", ["after"]) == {"after": T2}


def test_corrupt_file_is_moved_aside_and_rebuilt(tmp_path):
    path = tmp_path / "cache.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with Cache(path) as cache:
        cache.put_many("pseudo:v1", "fr", "en", {SRC2: T2})
        assert cache.get_many("pseudo:v1", "fr", "en", [SRC2]) == {SRC2: T2}
    assert list(tmp_path.glob("cache.sqlite.corrupt-*"))
