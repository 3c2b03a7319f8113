"""Ctrl-C during a slow online engine stops the run at once: requests under way are cut off, waits between
retries end, no new request starts, nothing more is written, and the command exits 130 (README "Exit codes")."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from fakes.libre_server import FakeLibre, Script
from fakes.openai_server import FakeOpenAI, Script as LLMScript
from l10n.engines.deep import LibreEngine
from l10n.engines.llm import LLMEngine
from l10n.errors import EXIT_INTERRUPTED
from tests.conftest import run

TEXTS = ["Bonjour.", "Merci beaucoup.", "Nous appelons à la libération d'Azat.", "Paris, le 21 mai 2026"]
PATIENT = {"timeout": 30, "retries": 3, "backoff": 5, "failures_to_stop": 10, "concurrency": 2}


def _when(arrived, action) -> list[float]:
    """Run `action` as soon as `arrived()` is true (requests under way at the server), from another thread;
    the list gets the moment it ran (a busy machine may be slow to get there, not to stop after it)."""
    acted: list[float] = []

    def wait_then_act() -> None:
        limit = time.monotonic() + 20
        while not arrived() and time.monotonic() < limit:
            time.sleep(0.01)
        time.sleep(0.2)  # the requests are waiting on the dripping answer now
        acted.append(time.monotonic())
        action()

    threading.Thread(target=wait_then_act, daemon=True).start()
    return acted


@pytest.mark.parametrize("kind", ["libre", "llm"])
def test_interrupting_an_engine_ends_its_requests_at_once(kind, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    if kind == "libre":
        server = FakeLibre(Script("drip-body", delay=0.05))
        arrived = lambda: len(server.requests) >= 2  # noqa: E731
    else:
        server = FakeOpenAI(LLMScript("drip", delay=0.05))
        arrived = lambda: server.arrived >= 2  # noqa: E731
    with server:
        if kind == "libre":
            engine = LibreEngine(url=server.url, **PATIENT)
        else:
            engine = LLMEngine(base_url=server.base_url, model="fake-7b", max_segments=1, **PATIENT)
        acted = _when(arrived, engine.interrupt)
        result = engine.translate(TEXTS, "fr", "en")
        elapsed = time.monotonic() - acted[0]
        sent = len(server.requests) if kind == "libre" else server.arrived
    assert elapsed < 1.0  # not 30 s × 4 attempts
    assert result.results == [None] * len(TEXTS)
    assert set(result.errors.values()) == {f"{kind + ': ' if kind == 'llm' else ''}not translated: interrupted"}
    assert sent == 2  # the two under way; none started after
    assert engine.route("fr", "en") is None


@pytest.fixture
def sigint_raises():
    """SIGINT as the command line sees it: KeyboardInterrupt in the main thread (where pytest runs tests)."""
    assert threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield lambda: signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)
    signal.signal(signal.SIGINT, previous)


def _with_libre(project: Path, url: str) -> None:
    config = project / "l10n.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "engine_settings:\n  libre:\n"
                      f"    url: {url}\n    timeout: 30\n    retries: 3\n    concurrency: 2\n", encoding="utf-8")


def _files(project: Path) -> dict[str, bytes]:
    return {str(p.relative_to(project)): p.read_bytes() for p in sorted(project.rglob("*"))
            if p.is_file() and ".l10n" not in p.parts}


@pytest.mark.parametrize("langs", [["es"], ["es", "de"]])  # one language (the engine's threads), several (the
def test_ctrl_c_during_pretranslate_stops_at_once_and_exits_130(project, cli, sigint_raises, langs):  # pool's)
    run(cli, "update")
    before = _files(project)
    with FakeLibre(Script("drip-body", delay=0.05)) as server:
        _with_libre(project, server.url)
        before["l10n.yaml"] = (project / "l10n.yaml").read_bytes()
        acted = _when(lambda: len(server.requests) >= 2 * len(langs), sigint_raises)
        result = cli("pretranslate", "--engine", "libre", *(a for lang in langs for a in ("--lang", lang)))
        elapsed = time.monotonic() - acted[0]
        sent = len(server.requests)
    assert result.exit_code == EXIT_INTERRUPTED, result.stderr
    assert result.stderr == "l10n: interrupted\n"
    assert elapsed < 1.0
    assert sent == 2 * len(langs)
    assert _files(project) == before  # nothing written, nothing half-written, no temporary file left
    assert run(cli, "pretranslate", "--engine", "pseudo").exit_code == 0  # and the lock was released


START_UP = 120  # seconds for Python to start and the command to reach the server: a busy machine's business
TEARDOWN = 60  # and for the interpreter to tear itself down once the command has stopped


@pytest.mark.slow  # the real entry point in a subprocess
def test_ctrl_c_stops_the_real_command_within_a_second(project):
    """The one real-process smoke test: SIGINT to `python -m l10n pretranslate` while two languages' requests
    hang on a dripping server. The second counts from the signal to the command's last word, "l10n: interrupted"
    (printed once its engines have stopped and its lock is released); starting Python before and tearing it down
    after have their own allowances, so a busy machine slow at those cannot fail the promise."""
    subprocess.run([sys.executable, "-m", "l10n", "update"], cwd=project, check=True, capture_output=True)
    before = _files(project)
    with FakeLibre(Script("drip-body", delay=0.05)) as server:
        _with_libre(project, server.url)
        before["l10n.yaml"] = (project / "l10n.yaml").read_bytes()
        proc = subprocess.Popen([sys.executable, "-m", "l10n", "pretranslate", "--engine", "libre", "--lang", "es",
                                 "--lang", "de"], cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                text=True, env={**os.environ, "PYTHONFAULTHANDLER": "1"})
        lines: list[tuple[float, str]] = []  # (when it was read, line)
        reader = threading.Thread(target=lambda: lines.extend((time.monotonic(), line) for line in proc.stderr))
        reader.start()
        try:
            # ready: both languages' `concurrency` requests are at the server, waiting on its dripping answers
            ready = server.wait_until(lambda s: len(s.requests) >= 4, START_UP, also=lambda: proc.poll() is None)
            assert ready, f"{len(server.requests)} requests arrived; exit {proc.poll()}"
            proc.send_signal(signal.SIGINT)
            signalled = time.monotonic()
            try:
                proc.wait(timeout=TEARDOWN)
            except subprocess.TimeoutExpired:  # a hang: whether the process could see SIGINT, where each thread was
                status = Path(f"/proc/{proc.pid}/status").read_text(encoding="utf-8").splitlines()
                signals = [line for line in status if line.startswith(("SigPnd", "ShdPnd", "SigBlk", "SigIgn"))]
                proc.send_signal(signal.SIGABRT)  # PYTHONFAULTHANDLER: every thread's stack on stderr
                proc.wait(timeout=10)
                reader.join(timeout=10)
                stderr = "".join(line for _, line in lines)
                pytest.fail(f"still running {TEARDOWN} s after SIGINT; {signals}\n{stderr[-8000:]}")
            reader.join()
            all_left = server.wait_until(lambda s: len(s.left) == 4, TEARDOWN)
        finally:
            proc.kill()
        sent = len(server.requests)
    stderr = "".join(line for _, line in lines)
    assert proc.returncode == EXIT_INTERRUPTED, stderr
    assert stderr == "l10n: interrupted\n"
    assert lines[0][0] - signalled < 1.0  # the command stopped within a second of Ctrl-C
    assert all_left and max(server.left) - signalled < 1.0  # its four requests cut off, not left to time out
    assert sent == 4  # no retry, no new request
    assert _files(project) == before
