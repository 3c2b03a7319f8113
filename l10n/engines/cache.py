"""On-disk cache of machine translations, so re-runs cost no API quota and no Apertium time.

One SQLite file (`.l10n/cache.sqlite` by default). An entry is keyed by the engine's `cache_key()` (name and
every setting that changes its output), the language pair, the source text and the keep terms that occur in
that text (adding an unrelated glossary entry does not invalidate the cache). WAL mode and a busy timeout let
several processes share the file; every write is one transaction, so a killed run leaves no half-written rows.
A cache file that is not a database (corrupted, truncated) is moved aside and rebuilt: it only holds copies.
One that cannot be used at all (a folder in its place, a read-only or full disk) means a run without a cache,
with a warning.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

from .. import fsguard
from ..matching import contains
from ..errors import L10nError, warn
from .base import Translation
from ..digest import sha256

SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    key TEXT PRIMARY KEY,          -- sha256 of engine key, languages, keep signature and source text
    engine_key TEXT NOT NULL,
    source_lang TEXT NOT NULL,
    target_lang TEXT NOT NULL,
    source_text TEXT NOT NULL,     -- kept for people inspecting the cache
    text TEXT NOT NULL,
    engine TEXT NOT NULL,
    chain TEXT NOT NULL,           -- JSON list
    unknown TEXT NOT NULL,         -- JSON list
    created REAL NOT NULL
)
"""


def keep_signature(text: str, keep: Iterable[str] | None) -> str:
    """The keep terms present in `text` (the glossary's case-insensitive whole-word match), as one string."""
    present = sorted({k for k in keep or () if k.strip() and contains(text, k)})
    return "\x1f".join(present)


def _locked(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc)


def _key(engine_key: str, source: str, target: str, text: str, keep: Iterable[str] | None) -> str:
    parts = (engine_key, source, target, keep_signature(text, keep), text)
    return sha256("\x00".join(parts))


class Cache:
    """Translations by (engine settings, languages, text, keep terms); thread-safe, shareable between processes."""

    def __init__(self, path: Path, timeout: float = 30.0) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._db: sqlite3.Connection | None = None
        try:
            fsguard.inside(self.path)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            try:
                self._db = self._open(timeout)
            except sqlite3.DatabaseError as exc:
                if "not a database" not in str(exc) and "malformed" not in str(exc):
                    raise
                self.path.replace(self.path.with_name(f"{self.path.name}.corrupt-{int(time.time())}"))
                self._db = self._open(timeout)
        except (OSError, sqlite3.Error, L10nError) as exc:
            self._give_up(exc)

    def _give_up(self, exc: BaseException) -> None:
        """Carry on without a cache: it only holds copies, so an unusable one (a folder in its place, a
        read-only or full disk, a link out of the project) costs engine calls, not the run."""
        if self._db is not None:
            self._db.close()
            self._db = None
        reason = exc.message if isinstance(exc, L10nError) else getattr(exc, "strerror", None) or str(exc)
        warn(f"{self.path}: {reason}; engine results are not cached in this run")

    def _open(self, timeout: float) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=timeout, check_same_thread=False, isolation_level=None)
        try:
            db.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":  # a new file: WAL stays once set
                # Turning it to WAL needs it to itself, and SQLite answers "locked" at once, without its busy
                # handler, when another process opens it meanwhile: processes starting together retry.
                import tenacity

                for attempt in tenacity.Retrying(retry=tenacity.retry_if_exception(_locked), reraise=True,
                                                  wait=tenacity.wait_random_exponential(0.005, max=0.2),
                                                  stop=tenacity.stop_after_delay(timeout)):
                    with attempt:
                        db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = NORMAL")
            db.execute(SCHEMA)
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def get_many(self, engine_key: str, source: str, target: str, texts: Iterable[str],
                 keep: Iterable[str] | None = None) -> dict[str, Translation]:
        """Cached translations of those texts that have one, by source text."""
        keep = list(keep or ())
        wanted = {_key(engine_key, source, target, t, keep): t for t in texts}
        found: dict[str, Translation] = {}
        keys = list(wanted)
        with self._lock:
            try:
                for start in range(0, len(keys), 500):  # stay under SQLite's bound-parameter limit
                    if self._db is None:
                        break
                    chunk = keys[start:start + 500]
                    rows = self._db.execute(
                        f"SELECT key, text, engine, chain, unknown FROM translations "
                        f"WHERE key IN ({','.join('?' * len(chunk))})", chunk).fetchall()
                    for key, text, engine, chain, unknown in rows:
                        found[wanted[key]] = Translation(text, engine, tuple(json.loads(chain)),
                                                         tuple(json.loads(unknown)))
            except sqlite3.Error as exc:
                self._give_up(exc)
        return found

    def put_many(self, engine_key: str, source: str, target: str,
                 items: Mapping[str, Translation] | Iterable[tuple[str, Translation]],
                 keep: Iterable[str] | None = None) -> None:
        """Store translations (source text → Translation, or such pairs) in one transaction."""
        keep = list(keep or ())
        now = time.time()
        pairs = items.items() if isinstance(items, Mapping) else items
        rows = [(_key(engine_key, source, target, src, keep), engine_key, source, target, src, tr.text, tr.engine,
                 json.dumps(list(tr.chain)), json.dumps(list(tr.unknown), ensure_ascii=False), now)
                for src, tr in pairs]
        if not rows:
            return
        with self._lock:
            if self._db is None:
                return
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    self._db.executemany("INSERT OR REPLACE INTO translations VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
                self._db.execute("COMMIT")
            except sqlite3.Error as exc:  # a full disk, say: the translations are in hand, only not kept
                self._give_up(exc)

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()

    def __enter__(self) -> Cache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
