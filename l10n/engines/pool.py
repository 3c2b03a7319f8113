"""Engines as a run uses them: created once, consulted through the on-disk cache, one batch per call (so
Apertium starts once per pair of its chain), and dropped for the rest of the run when they refuse us.
Pre-translation and review's back-translation share it."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .. import engines as registry
from ..config import Config
from ..errors import EngineError
from .base import Engine, EngineUnavailable, Translation, unusable
from .cache import Cache

if TYPE_CHECKING:
    from ..brief import Brief


@dataclass
class PoolResult:
    results: dict[int, Translation] = field(default_factory=dict)  # input index → translation
    errors: dict[int, str] = field(default_factory=dict)  # input index → why there is none
    reasons: list[str] = field(default_factory=list)  # why the engine could not serve at all
    failed: str | None = None  # the engine broke down during this call (not merely unavailable)
    calls: int = 0  # processes or requests the engine made
    from_cache: set[int] = field(default_factory=set)


class EnginePool:
    def __init__(self, config: Config, cache: Cache) -> None:
        self.config = config
        self.cache = cache
        self.instances: dict[str, Engine | None] = {}
        self.dead: dict[str, str] = {}
        self.interrupted = False
        self._lock = threading.Lock()  # languages may be drafted in parallel: one instance per engine all the same

    def get(self, name: str) -> Engine | None:
        with self._lock:
            if name not in self.instances:
                settings = self.config.engine_settings.get(name)
                try:
                    self.instances[name] = registry.create(name, settings.options if settings else None)
                except EngineUnavailable as exc:
                    self.instances[name] = None
                    self.dead[name] = exc.message
            return self.instances[name]

    def interrupt(self) -> None:
        """Ctrl-C: every engine stops its requests under way now (rather than after their timeouts and retries),
        and translate() raises KeyboardInterrupt in the threads that were waiting for them, so that they write
        nothing more."""
        self.interrupted = True
        for engine in list(self.instances.values()):
            if hasattr(engine, "interrupt"):
                engine.interrupt()

    def uses_context(self, name: str) -> bool:
        """Whether the engine reads a Brief (and wants the untouched source rather than glossary-filled)."""
        return bool(getattr(self.get(name), "uses_context", False))

    def translate(self, name: str, items: list[tuple[str, list[str]]], source: str, target: str,
                  unchanged_is_answer: bool = False, context: Brief | None = None) -> PoolResult:
        """Translate (text, keep terms) pairs through one engine: cache hits first, the rest in one batch.

        `unchanged_is_answer`: a text the engine returns as it was is a result (a name in a back-translation)
        rather than a failure. `context` (one segment per item) goes to engines that read it, and into the cache
        key of each text."""
        out = PoolResult()
        if self.interrupted:
            raise KeyboardInterrupt
        engine = self.get(name)
        if engine is None:
            out.reasons.append(f"{name}: {self.dead.get(name, 'unavailable')}")
            return out
        try:
            route = engine.route(source, target)
            if route is None:
                out.reasons.append(f"{name}: {engine.unavailable_reason(source, target)}")
                return out
            base = engine.cache_key()
            reads = context is not None and getattr(engine, "uses_context", False)
            keys = [f"{base}:{context.digest(i)}" if reads else base for i in range(len(items))]
            by_keep: dict[tuple[str, tuple[str, ...]], list[int]] = {}
            for i, (_, keep) in enumerate(items):
                by_keep.setdefault((keys[i], tuple(sorted(set(keep)))), []).append(i)
            misses: list[int] = []
            for (key, keep), indices in by_keep.items():
                hits = self.cache.get_many(key, source, target, [items[i][0] for i in indices], list(keep))
                for i in indices:
                    hit = hits.get(items[i][0])
                    if hit is not None:
                        out.results[i] = hit
                        out.from_cache.add(i)
                    else:
                        misses.append(i)
            if not misses:
                return out
            keep_all = sorted({k for i in misses for k in items[i][1]})
            texts = [items[i][0] for i in misses]
            if reads:
                batch = engine.translate(texts, source, target, keep=keep_all, context=context.subset(misses))
            else:
                batch = engine.translate(texts, source, target, keep=keep_all)
        except EngineError as exc:
            if isinstance(exc, EngineUnavailable):
                self.instances[name], self.dead[name] = None, exc.message
            out.reasons.append(f"{name}: {exc.message}")
            out.failed = exc.message
            return out
        if self.interrupted:
            raise KeyboardInterrupt
        out.calls = batch.calls
        fresh: dict[str, list[tuple[str, Translation]]] = {}
        for pos, i in enumerate(misses):
            result = batch.results[pos] if pos < len(batch.results) else None
            error = batch.errors.get(pos, "no result")
            if result is None and unchanged_is_answer and "unchanged" in error:
                result = Translation(items[i][0], engine.name, route)
            problem = unusable(items[i][0], result.text) if result is not None else None
            if result is not None and not problem:
                out.results[i] = result
                fresh.setdefault(keys[i], []).append((items[i][0], result))
            elif problem:
                out.errors[i] = f"{name}: {name} {problem}"
            else:
                out.errors[i] = error if error.startswith(f"{name}:") else f"{name}: {error}"
        for key, pairs in fresh.items():
            self.cache.put_many(key, source, target, pairs, keep_all)
        return out
