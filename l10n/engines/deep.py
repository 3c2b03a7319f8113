"""Online engines (Google, MyMemory, DeepL, LibreTranslate, Microsoft) over deep-translator, made safe to batch.

deep-translator calls `requests.get/post` with no timeout, raises provider-specific exceptions (often without
the status code), and its `translate_batch` is a plain loop that stops at the first error. So:

* Its modules' `requests` name is replaced by a shim (`_RequestsShim`, below) which, inside our calls only,
  sends through a per-thread `requests.Session` with a timeout, counts requests, and turns every HTTP status
  into one of our own outcomes before deep-translator looks at the response. Outside our calls it is plain
  `requests`.
* We call `translate()` per text ourselves: up to `concurrency` texts at a time, each retried with exponential
  backoff and jitter (tenacity) on 429, 5xx, timeouts and connection errors, honouring `Retry-After` (capped
  at `retry_after_cap`). `sleep` can be replaced, so tests need not wait.
* Every request has a deadline, `timeout`, for the whole exchange rather than for each read: a server that
  drips one byte a second is cut off when the deadline passes (`_Deadline` shuts its socket down), so a text
  costs at most `timeout` × attempts (plus the waits between them). Answers over 1 MiB are not read.
* Texts longer than the provider's limit are split at sentence boundaries (`l10n.segment.split_sentences`),
  translated in parts and rejoined with the original whitespace.
* A result that is empty, blank or invisible, far longer than the source (`base.unusable`), missing or identical
  to the source is no result: None, with the reason in `errors`.
  Malformed responses fail that text only.

Stopping: HTTP 401/403/456 (bad key, quota exhausted) and MyMemory's daily-quota message stop the engine for
the rest of the run. The texts of that batch already translated are kept; the others are None with the reason;
afterwards `route()` returns None (with the reason in `unavailable_reason`) and `translate()` raises
`EngineUnavailable`, so the caller falls through to its next engine. The same happens after
`failures_to_stop` consecutive texts failed even after their retries (server down or unreachable), so a dead
endpoint does not cost the full retry schedule for every text of the run.

Keys come only from the environment variable named by `api_key_env`; they never appear in `cache_key()` or
in error messages.
"""

from __future__ import annotations

import contextlib
import email.utils
import functools
import json
import os
import random
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from types import ModuleType
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import langcodes
import requests
import tenacity

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from ..segment import split_sentences
from .base import BatchResult, EngineUnavailable, Translation, unusable
from .installed import KEY_VARIABLES
from ..digest import sha256

AUTH_STATUSES = (401, 403, 456)  # 456: DeepL's "quota exceeded"
MAX_RESPONSE = 1 << 20  # bytes: no translation of a few thousand characters needs more
INTERRUPTED = "not translated: interrupted"


class _Outcome(Exception):
    """A request's fate, decided by us rather than deep-translator; never a requests exception subclass."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


class _Retryable(_Outcome):
    """429, 5xx, timeout, connection error: worth another try."""


class _Fatal(_Outcome):
    """Credentials refused or quota exhausted: stop the engine for the run."""


class _Failed(_Outcome):
    """This text failed (bad request, malformed answer); others may still work."""


class _Batch:
    """State shared by the threads of one translate() call."""

    def __init__(self, source: str, target: str) -> None:
        self.source, self.target = source, target
        self.lock = threading.Lock()
        self.calls = 0
        self.failures_in_a_row = 0
        self.sessions: dict[int, requests.Session] = {}

    def session(self) -> requests.Session:
        with self.lock:
            ident = threading.get_ident()
            if ident not in self.sessions:
                self.sessions[ident] = _session()
            return self.sessions[ident]

    def close(self) -> None:
        for session in self.sessions.values():
            session.close()


_local = threading.local()


class _Deadline:
    """The deadline of one request: when it passes, the sockets the request uses are shut down, which ends a
    read blocked on them at once (a per-read timeout never fires while a server sends a byte now and then).

    It records the sockets, not the connections: a connection object outlives its socket (urllib3 reconnects
    the same object for the next attempt), and a timer that fires late must not shut the next attempt's
    socket. `expired` also reads the clock: a per-read timeout can end the request a hair before the timer
    thread runs, and the failure is then the deadline's all the same."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.fired = False  # the timer shut the sockets down
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self.expire)
        self._timer.daemon = True
        self._end = float("inf")

    @property
    def expired(self) -> bool:
        return self.fired or time.monotonic() >= self._end

    def __enter__(self) -> _Deadline:
        _local.deadline = self
        self._end = time.monotonic() + self.seconds
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()
        _local.deadline = None

    def watch(self, connection: HTTPConnection) -> None:
        sock = getattr(connection, "sock", None)
        if sock is None:
            return  # not connected yet: connect() comes back here with its socket
        with self._lock:
            if sock not in self._sockets:
                self._sockets.append(sock)
            if self.fired:
                _shut(sock)

    def expire(self) -> None:
        """End the request now: when the deadline passes, or when the user interrupts the run."""
        with self._lock:
            self.fired = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass  # already closed


def _watched(base: type[HTTPConnection]) -> type[HTTPConnection]:
    """A urllib3 connection class that puts itself under the current request's deadline when it connects and
    when it sends (a kept-alive connection serves several requests)."""

    class Watched(base):  # type: ignore[valid-type, misc]
        def connect(self) -> None:
            super().connect()
            self._under_deadline()

        def request(self, *args: Any, **kwargs: Any) -> None:
            self._under_deadline()
            super().request(*args, **kwargs)

        def _under_deadline(self) -> None:
            deadline = getattr(_local, "deadline", None)
            if deadline is not None:
                deadline.watch(self)

    return Watched


class _WatchedPool(HTTPConnectionPool):
    ConnectionCls = _watched(HTTPConnection)


class _WatchedTLSPool(HTTPSConnectionPool):
    ConnectionCls = _watched(HTTPSConnection)


class _DeadlineAdapter(HTTPAdapter):
    """requests' adapter, with connections that obey `_Deadline` (directly or through a proxy)."""

    _pools = {"http": _WatchedPool, "https": _WatchedTLSPool}

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = self._pools

    def proxy_manager_for(self, *args: Any, **kwargs: Any) -> Any:
        manager = super().proxy_manager_for(*args, **kwargs)
        manager.pool_classes_by_scheme = self._pools
        return manager


def _session() -> requests.Session:
    session = requests.Session()
    adapter = _DeadlineAdapter()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


class _RequestsShim:
    """Stands in for the `requests` module inside deep-translator's modules (see the module docstring)."""

    def __getattr__(self, name: str) -> Any:
        return getattr(requests, name)

    def get(self, url: str, params: Any = None, **kwargs: Any) -> requests.Response:
        return self._request("GET", url, params=params, **kwargs)

    def post(self, url: str, data: Any = None, json: Any = None, **kwargs: Any) -> requests.Response:
        return self._request("POST", url, data=data, json=json, **kwargs)

    def _request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        ctx = getattr(_local, "ctx", None)
        if ctx is None:
            return requests.request(method, url, **kwargs)
        engine, batch = ctx
        return engine._send(batch, method, url, kwargs)


_SHIM = _RequestsShim()


def _install_shim(*modules: ModuleType) -> None:
    for module in modules:
        if not isinstance(getattr(module, "requests", None), _RequestsShim):
            module.requests = _SHIM  # type: ignore[attr-defined]


class DeepTranslatorEngine:
    """Shared logic; subclasses name the deep-translator class, key variable, length limit and language codes."""

    name = "deep"
    key_env: str | None = None  # default environment variable holding the key
    key_required = False
    max_chars = 4500  # deep-translator refuses 5000 characters and more (Google)
    measure_bytes = False  # MyMemory counts bytes

    def __init__(
        self,
        api_key_env: str | None = None,
        timeout: float = 20.0,
        concurrency: int = 4,
        retries: int = 4,
        backoff: float = 1.0,
        max_backoff: float = 30.0,
        retry_after_cap: float = 30.0,
        failures_to_stop: int = 3,
        max_chars: int | None = None,
        language_map: dict[str, str] | None = None,
        languages: list[str] | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self.api_key_env = api_key_env if api_key_env is not None else self.key_env
        self.timeout = float(timeout)
        self.concurrency = max(1, int(concurrency))
        self.retries = max(0, int(retries))
        self.backoff = float(backoff)
        self.max_backoff = float(max_backoff)
        self.retry_after_cap = float(retry_after_cap)
        self.failures_to_stop = max(1, int(failures_to_stop))
        if max_chars is not None:
            self.max_chars = int(max_chars)
        try:
            self.language_map = {langcodes.standardize_tag(k): v for k, v in (language_map or {}).items()}
        except ValueError as exc:
            raise EngineUnavailable(f"{self.name}: language_map: {exc}") from None
        self.languages = list(languages) if languages else None
        self._interrupted = threading.Event()
        self._sleep = sleep or self._interrupted.wait  # a wait between retries ends when the user interrupts
        self._stopped: str | None = None
        self._stop_lock = threading.Lock()
        self._under_way: set[Callable[[], None]] = set()  # how to end each request waiting on a server now

    # -- to be specialised --------------------------------------------------------------------------------------

    def _supported(self, role: str) -> list[str]:
        """Provider language codes for "source" or "target"."""
        raise NotImplementedError

    def _translator(self, source: str, target: str, api_key: str | None) -> Any:
        """A fresh deep-translator object (they keep per-call state, so none is shared between threads)."""
        raise NotImplementedError

    def _adjust(self, method: str, url: str, kwargs: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
        """Change a request before it is sent (DeepL moves its key to a header)."""
        return method, url, kwargs

    def _check(self, response: requests.Response) -> None:
        """Provider-specific errors hidden in a 200 response (MyMemory's quota message)."""

    def _settings(self) -> str:
        return ""

    # -- Engine protocol ----------------------------------------------------------------------------------------

    def cache_key(self) -> str:
        extra = ""
        if self.language_map or self.languages:
            blob = json.dumps([sorted(self.language_map.items()), self.languages], ensure_ascii=False)
            extra = ":" + sha256(blob, 8)
        settings = self._settings()
        return f"{self.name}:v1{':' + settings if settings else ''}{extra}"

    def _api_key(self) -> str | None:
        return (os.environ.get(self.api_key_env) or None) if self.api_key_env else None

    def _code(self, tag: str, role: str) -> str | None:
        try:
            standard = langcodes.standardize_tag(tag)
        except ValueError:
            return None
        if standard in self.language_map:
            return self.language_map[standard]
        supported = self.languages or self._supported(role)
        match = langcodes.closest_supported_match(standard, supported, max_distance=10)
        return match

    def _codes(self, source: str, target: str) -> tuple[str, str] | None:
        src, tgt = self._code(source, "source"), self._code(target, "target")
        if src is None or tgt is None or src.lower() == tgt.lower():
            return None
        return src, tgt

    def route(self, source: str, target: str) -> tuple[str, ...] | None:
        if self._stopped or (self.key_required and not self._api_key()) or self._codes(source, target) is None:
            return None
        return (source, target)

    def unavailable_reason(self, source: str, target: str) -> str:
        if self._stopped:
            return self._stopped
        if self.key_required and not self._api_key():
            return f"{self.name} needs an API key in the environment variable {self.api_key_env}, which is not set"
        if self._code(source, "source") is None:
            return f"{self.name} does not translate from {source}"
        if self._code(target, "target") is None:
            return f"{self.name} does not translate into {target}"
        if self._codes(source, target) is None:
            return f"{self.name}: {source} and {target} are the same language"
        return ""

    def translate(self, texts: list[str], source: str, target: str, keep: list[str] | None = None) -> BatchResult:
        """Translate each text (keep terms are sent as they are: these engines keep names well)."""
        if self.route(source, target) is None:
            raise EngineUnavailable(self.unavailable_reason(source, target))
        codes = self._codes(source, target)
        assert codes is not None
        batch = _Batch(*codes)
        result = BatchResult(results=[None] * len(texts))
        try:
            outcomes = self._map(lambda text: self._one(batch, text), texts)
        finally:
            batch.close()
        for i, (text, reason) in enumerate(outcomes):
            if text is None:
                result.errors[i] = reason
            else:
                result.results[i] = Translation(text, self.name, (source, target))
        result.calls = batch.calls
        return result

    # -- interruption -------------------------------------------------------------------------------------------

    def _map(self, work: Callable[[Any], Any], items: list[Any]) -> list[Any]:
        """work(item) for each item, `concurrency` at a time. Ctrl-C while waiting for them (KeyboardInterrupt,
        in the main thread) interrupts the engine, so that the threads end now rather than after their requests'
        timeouts and retries; a thread pool's `with` would wait for all of them."""
        workers = min(self.concurrency, max(1, len(items)))
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"l10n-{self.name}")
        try:
            return list(pool.map(work, items))
        except KeyboardInterrupt:
            self.interrupt()
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)

    def interrupt(self) -> None:
        """Stop for the rest of the run, at once: the user pressed Ctrl-C. Requests under way are cut off (their
        sockets shut down, their waits ended), waits between retries end, no new request starts; every text not
        yet translated is None with the reason. Safe to call from any thread, more than once."""
        self._stop("interrupted")
        with self._stop_lock:
            self._interrupted.set()
            under_way = list(self._under_way)
        for end in under_way:
            end()

    @contextlib.contextmanager
    def _interruptible(self, end: Callable[[], None]) -> Iterator[None]:
        """A request waiting on a server, which `end()` cuts off; at once when the engine is already
        interrupted (a request starting as the user presses Ctrl-C)."""
        with self._stop_lock:
            self._under_way.add(end)
            interrupted = self._interrupted.is_set()
        if interrupted:
            end()
        try:
            yield
        finally:
            with self._stop_lock:
                self._under_way.discard(end)

    # -- one text -----------------------------------------------------------------------------------------------

    def _one(self, batch: _Batch, text: str) -> tuple[str | None, str]:
        core = text.strip()
        if not core:
            return None, "empty source text"
        if self._stopped:
            return None, f"not translated: {self._stopped}"
        lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()):]
        parts: list[str] = []
        try:
            for chunk, space in self._chunks(core):
                translated = self._call(batch, chunk)
                parts.append(translated.strip() + space)
        except _Fatal as exc:
            self._stop(exc.message)
            return None, exc.message
        except _Retryable as exc:
            with batch.lock:
                batch.failures_in_a_row += 1
                failures = batch.failures_in_a_row
            if failures >= self.failures_to_stop:
                self._stop(f"{self.name} stopped for this run after {failures} texts failed in a row: {exc.message}")
            return None, f"{exc.message} (gave up after {self.retries + 1} attempts)"
        except _Outcome as exc:
            return None, exc.message
        with batch.lock:
            batch.failures_in_a_row = 0
        out = "".join(parts).strip()
        problem = unusable(core, out)
        if problem:
            return None, f"{self.name} {problem}"
        if out == core:
            return None, f"{self.name} returned the source unchanged"
        return lead + out + trail, ""

    def _stop(self, reason: str) -> None:
        with self._stop_lock:
            if self._stopped is None:
                self._stopped = reason

    def _call(self, batch: _Batch, chunk: str) -> str:
        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(self.retries + 1),
            wait=self._wait,
            retry=tenacity.retry_if_exception_type(_Retryable),
            sleep=self._sleep,
            reraise=True,
        )
        return retrying(self._attempt, batch, chunk)

    def _wait(self, state: tenacity.RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        retry_after = getattr(exc, "retry_after", None)
        if retry_after is not None:
            return min(retry_after, self.retry_after_cap)
        exponential = self.backoff * 2 ** (state.attempt_number - 1)
        return min(self.max_backoff, exponential) + random.uniform(0, self.backoff)  # jitter spreads clients

    def _attempt(self, batch: _Batch, chunk: str) -> str:
        if self._stopped:
            raise _Failed(f"not translated: {self._stopped}")
        _local.ctx = (self, batch)
        try:
            translator = self._translator(batch.source, batch.target, self._api_key())
            out = translator.translate(chunk)
        except _Outcome:
            raise
        except Exception as exc:  # deep-translator's own exceptions, KeyError/ValueError on malformed JSON…
            raise _Failed(self._redact(f"{self.name}: unusable response ({type(exc).__name__}: {exc})"[:300]))
        finally:
            _local.ctx = None
        if not isinstance(out, str):
            raise _Failed(f"{self.name} returned no text")
        return out

    def _chunks(self, text: str) -> list[tuple[str, str]]:
        """(part, whitespace after it) under the length limit, cut at sentences, else words, else anywhere."""
        if self._size(text) <= self.max_chars:
            return [(text, "")]
        pieces: list[tuple[str, str]] = []
        for sentence, space in split_sentences(text):
            if self._size(sentence) <= self.max_chars:
                pieces.append((sentence, space))
                continue
            words = re.split(r"(\s+)", sentence)
            for n in range(0, len(words), 2):
                word, gap = words[n], (words[n + 1] if n + 1 < len(words) else space)
                while self._size(word) > self.max_chars:
                    cut = self.max_chars
                    while self._size(word[:cut]) > self.max_chars:
                        cut -= 1
                    pieces.append((word[:cut], ""))
                    word = word[cut:]
                pieces.append((word, gap))
        chunks: list[tuple[str, str]] = []
        current, current_space = "", ""
        for piece, space in pieces:
            if current and self._size(current + current_space + piece) <= self.max_chars:
                current, current_space = current + current_space + piece, space
            else:
                if current:
                    chunks.append((current, current_space))
                current, current_space = piece, space
        if current:
            chunks.append((current, current_space))
        return chunks

    def _size(self, text: str) -> int:
        return len(text.encode("utf-8")) if self.measure_bytes else len(text)

    # -- HTTP, called by the shim -------------------------------------------------------------------------------

    def _send(self, batch: _Batch, method: str, url: str, kwargs: dict[str, Any]) -> requests.Response:
        if self._stopped:
            raise _Failed(f"not translated: {self._stopped}")
        method, url, kwargs = self._adjust(method, url, dict(kwargs))
        kwargs["timeout"] = self.timeout
        with batch.lock:
            batch.calls += 1
        where = _origin(url)
        late = f"{self.name}: no answer from {where} within {self.timeout:g}s"
        with _Deadline(self.timeout) as deadline, self._interruptible(deadline.expire):
            try:
                response = batch.session().request(method, url, stream=True, **kwargs)
                try:
                    body = _read(response, MAX_RESPONSE)
                finally:
                    response.close()
            except requests.RequestException as exc:
                if self._interrupted.is_set():
                    raise _Failed(INTERRUPTED) from None
                if deadline.expired or isinstance(exc, requests.Timeout):
                    raise _Retryable(late) from None
                if isinstance(exc, requests.ConnectionError):
                    raise _Retryable(f"{self.name}: cannot connect to {where} ({_errno(exc)})") from None
                raise _Failed(self._redact(f"{self.name}: request failed ({type(exc).__name__})")) from None
        if deadline.fired:  # what was read when the socket closed is a truncated answer (headers, too)
            raise _Failed(INTERRUPTED) if self._interrupted.is_set() else _Retryable(late)
        if body is None:
            raise _Failed(f"{self.name}: answer from {where} larger than {MAX_RESPONSE >> 20} MiB")
        response._content = body  # read under the deadline; deep-translator then uses .json() and .text as usual
        status = response.status_code
        if 200 <= status < 300:
            self._check(response)
            return response
        body = self._redact(" ".join(response.text.split())[:200])
        message = f"{self.name}: HTTP {status} from {where}" + (f": {body}" if body else "")
        if status in AUTH_STATUSES:
            raise _Fatal(f"{self.name} refused our requests ({message}); stopped for this run")
        if status == 429 or status >= 500 or status == 408:
            raise _Retryable(message, _retry_after(response.headers.get("Retry-After")))
        raise _Failed(message)

    def _redact(self, message: str) -> str:
        key = self._api_key()
        return message.replace(key, "***") if key else message


def _read(response: requests.Response, limit: int) -> bytes | None:
    """The body, or None when it is longer than `limit` bytes (not read further)."""
    chunks, size = [], 0
    for chunk in response.iter_content(65536):
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}{f':{parts.port}' if parts.port else ''}"


def _errno(exc: Exception) -> str:
    match = re.search(r"\[Errno -?\d+\] ([^'\")\]]+)", str(exc))
    return match.group(1).strip() if match else type(exc).__name__


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header: a number or an HTTP date."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


# -- providers -------------------------------------------------------------------------------------------------


class GoogleEngine(DeepTranslatorEngine):
    """translate.google.com's free web endpoint (no key)."""

    name = "google"

    def _supported(self, role: str) -> list[str]:
        from deep_translator.constants import GOOGLE_LANGUAGES_TO_CODES

        return list(GOOGLE_LANGUAGES_TO_CODES.values())

    def _translator(self, source: str, target: str, api_key: str | None) -> Any:
        from deep_translator import google

        _install_shim(google)
        translator = google.GoogleTranslator(source="auto", target="auto")
        translator._source, translator._target = source, target
        return translator


class MyMemoryEngine(DeepTranslatorEngine):
    """MyMemory's free API (no key; `email` raises the daily quota). Wants regional codes: fr-FR, en-US."""

    name = "mymemory"
    max_chars = 480
    measure_bytes = True  # "q: max 500 bytes"

    def __init__(self, email: str | None = None, **options: Any) -> None:
        super().__init__(**options)
        self.email = email

    def _supported(self, role: str) -> list[str]:
        from deep_translator.constants import MY_MEMORY_LANGUAGES_TO_CODES

        return list(MY_MEMORY_LANGUAGES_TO_CODES.values())

    def _translator(self, source: str, target: str, api_key: str | None) -> Any:
        from deep_translator import mymemory

        _install_shim(mymemory)
        translator = mymemory.MyMemoryTranslator(source="auto", target="auto", email=self.email)
        translator._source, translator._target = source, target
        return translator

    def _check(self, response: requests.Response) -> None:
        try:
            data = response.json()
        except ValueError:
            raise _Failed("mymemory: malformed JSON response") from None
        if not isinstance(data, dict):
            raise _Failed("mymemory: unexpected response")
        text = str((data.get("responseData") or {}).get("translatedText") or "")
        status = str(data.get("responseStatus", "200"))
        if data.get("quotaFinished") or "YOU USED ALL AVAILABLE FREE TRANSLATIONS" in text.upper():
            raise _Fatal(f"mymemory: daily quota exhausted ({text[:120]}); stopped for this run")
        if status == "429":
            raise _Retryable(f"mymemory: too many requests ({data.get('responseDetails') or text[:120]})")
        if status != "200":
            raise _Failed(f"mymemory: error {status}: {data.get('responseDetails') or text[:120]}")


class DeeplEngine(DeepTranslatorEngine):
    """DeepL API; a key ending in ":fx" uses the free endpoint. Target English/Portuguese need a variant."""

    name = "deepl"
    key_env = KEY_VARIABLES["deepl"]
    key_required = True

    def __init__(self, use_free_api: bool | None = None, **options: Any) -> None:
        super().__init__(**options)
        self.use_free_api = use_free_api

    def _supported(self, role: str) -> list[str]:
        from deep_translator.constants import DEEPL_LANGUAGE_TO_CODE

        codes = [c.upper() for c in DEEPL_LANGUAGE_TO_CODE.values()]
        if role == "target":  # DeepL deprecated plain EN and PT as targets
            codes = [c for c in codes if c not in ("EN", "PT", "ZH")] + ["EN-GB", "EN-US", "PT-PT", "PT-BR",
                                                                        "ZH-HANS", "ZH-HANT"]
        return codes

    def _translator(self, source: str, target: str, api_key: str | None) -> Any:
        from deep_translator import deepl

        _install_shim(deepl)
        free = self.use_free_api if self.use_free_api is not None else bool(api_key and api_key.endswith(":fx"))
        translator = deepl.DeeplTranslator(source="auto", target="auto", api_key=api_key, use_free_api=free)
        translator._source, translator._target = source, target
        return translator

    def _adjust(self, method: str, url: str, kwargs: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
        """DeepL no longer accepts the key as a query parameter: send it as a header, the text as a form."""
        params = dict(kwargs.pop("params", None) or {})
        key = params.pop("auth_key", None)
        headers = dict(kwargs.pop("headers", None) or {})
        if key:
            headers["Authorization"] = f"DeepL-Auth-Key {key}"
        return "POST", url, {**kwargs, "data": params, "headers": headers}


class LibreEngine(DeepTranslatorEngine):
    """LibreTranslate, typically self-hosted (`url`); a key is required only by the public instance.

    deep-translator's language list is short: list what your server offers (its /languages) in `languages`.
    """

    name = "libre"
    key_env = KEY_VARIABLES["libre"]
    max_chars = 2000  # deep-translator puts the text in the query string

    def __init__(self, url: str | None = None, require_key: bool | None = None, **options: Any) -> None:
        super().__init__(**options)
        self.url = url if url is None or url.endswith("/") else url + "/"
        self.key_required = require_key if require_key is not None else url is None

    def _settings(self) -> str:
        if not self.url:
            return "libretranslate.com"
        parts = urlsplit(self.url)
        netloc = parts.hostname or ""
        if parts.port:
            netloc += f":{parts.port}"
        return urlunsplit((parts.scheme, netloc, parts.path, "", ""))  # no credentials in the cache key

    def _supported(self, role: str) -> list[str]:
        from deep_translator.constants import LIBRE_LANGUAGES_TO_CODES

        return list(LIBRE_LANGUAGES_TO_CODES.values())

    def _translator(self, source: str, target: str, api_key: str | None) -> Any:
        from deep_translator import libre

        _install_shim(libre)
        # deep-translator insists on a key even for servers that need none; give it one, then unset it.
        translator = libre.LibreTranslator(source="auto", target="auto", api_key=api_key or "none",
                                           use_free_api=False, custom_url=self.url)
        translator.api_key = api_key
        translator._source, translator._target = source, target
        return translator


class MicrosoftEngine(DeepTranslatorEngine):
    """Azure AI Translator; `region` for regional resources. Codes follow BCP 47 with scripts (zh-Hans)."""

    name = "microsoft"
    key_env = KEY_VARIABLES["microsoft"]
    key_required = True

    def __init__(self, region: str | None = None, **options: Any) -> None:
        super().__init__(**options)
        self.region = region

    def _code(self, tag: str, role: str) -> str | None:
        if self.languages:
            return super()._code(tag, role)
        try:
            lang = langcodes.Language.get(langcodes.standardize_tag(tag))
        except ValueError:
            return None
        standard = str(lang)
        if standard in self.language_map:
            return self.language_map[standard]
        if not lang.language or not lang.is_valid():
            return None
        if lang.language == "zh":
            return "zh-Hant" if lang.script == "Hant" or lang.territory in ("TW", "HK", "MO") else "zh-Hans"
        if lang.language == "sr":
            return "sr-Latn" if lang.script == "Latn" else "sr-Cyrl"
        if lang.language in ("no", "nb"):
            return "nb"
        if role == "target" and (lang.language, lang.territory) in (("pt", "PT"), ("fr", "CA")):
            return f"{lang.language}-{lang.territory}"
        return lang.language

    def _translator(self, source: str, target: str, api_key: str | None) -> Any:
        translator = _offline_microsoft()(source="auto", target="auto", api_key=api_key, region=self.region)
        translator._source, translator._target = source, target
        return translator


@functools.cache
def _offline_microsoft() -> type:
    """MicrosoftTranslator without the language-list request its constructor makes (untimed, uncounted)."""
    from deep_translator import microsoft

    _install_shim(microsoft)

    class OfflineMicrosoftTranslator(microsoft.MicrosoftTranslator):
        def _get_supported_languages(self) -> dict[str, str]:
            return {}

    return OfflineMicrosoftTranslator
