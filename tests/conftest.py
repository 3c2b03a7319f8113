"""Shared fixtures: a throw-away copy of the appeal project, and helpers to run the CLI and gettext's tools."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

# Bytecode is written even where PYTHONDONTWRITEBYTECODE says not to: pytest keeps the modules whose asserts it
# rewrote (these tests, hypothesis) only as bytecode, so without it each xdist worker rewrites them all again on
# every run (3 s of CPU each); and the l10n processes the tests start read the bytecode of l10n written here.
# __pycache__ is ignored by git.
sys.dont_write_bytecode = False

# The tests' temporary folders (tmp_path, prepared projects) on a RAM file system when the machine has one and no
# TMPDIR was chosen: l10n fsyncs each catalog it writes and its folder, thousands of times in a run, and on a
# shared disk each fsync waits milliseconds behind other processes' writes (the quick loop took 65 s instead of
# 40 s on a busy machine). Nothing is lost: a RAM file system's fsync succeeds like any other. Only with room to
# spare: a container's /dev/shm is often 64 MB (Docker's default), and a run of the suite keeps hundreds of MB.
SHM_NEEDED = 2 * 1024**3
if ("TMPDIR" not in os.environ and os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK | os.X_OK)
        and shutil.disk_usage("/dev/shm").free >= SHM_NEEDED):
    tempfile.tempdir = "/dev/shm"

from l10n.cli import main

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def quick_pdf(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """WeasyPrint takes about 0.3 s a page, and every in-process `build` or `run` lays out one page per language:
    tests that do not look at the PDF get a stand-in (the digest of the page it would lay out, so that what
    depends on the page still changes with it). Tests marked `real_pdf` (the print tests) and l10n run as a
    subprocess render real ones."""
    if request.node.get_closest_marker("real_pdf") is None:
        from l10n.publish import pdf

        monkeypatch.setattr(pdf, "render_pdf", _stand_in_pdf)


def _stand_in_pdf(html: str, lang: str, *rest: object) -> bytes:
    import hashlib

    return b"%PDF-1.7\n% stand-in for tests\n" + hashlib.sha256(f"{lang}\0{html}".encode()).hexdigest().encode()


def _appeal_project(folder: Path) -> None:
    """The appeal project's own files (config, source, glossary) copied into folder."""
    shutil.copy(DATA / "project" / "l10n.yaml", folder / "l10n.yaml")
    (folder / "source").mkdir()
    shutil.copy(ROOT / "source" / "appeal.fr.txt", folder / "source" / "appeal.fr.txt")
    shutil.copy(ROOT / "glossary.yaml", folder / "glossary.yaml")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The appeal project (config, source, glossary) copied to tmp_path, which becomes the working directory."""
    _appeal_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def prepared(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
             monkeypatch: pytest.MonkeyPatch) -> Callable[[str, Callable[[Path], None]], Path]:
    """`prepared(name, steps)`: the appeal project after `steps(project)` (commands run in it), which becomes the
    working directory. The steps run once per test process; each later test gets a copy of what they left.
    Every prepared project lives at one path of the process, so what l10n keeps about a project's path (its
    memos name the root) holds in the copy as it did in the original. Tests that lay out real PDFs (`real_pdf`)
    keep their own copies."""
    base = tmp_path_factory.getbasetemp()
    work = base / "prepared-project"

    def prepare(name: str, steps: Callable[[Path], None]) -> Path:
        kept = base / "prepared" / (name + (" real-pdf" if request.node.get_closest_marker("real_pdf") else ""))
        if work.exists():
            shutil.rmtree(work)
        if kept.is_dir():
            shutil.copytree(kept, work, symlinks=True)
            monkeypatch.chdir(work)
            return work
        work.mkdir()
        _appeal_project(work)
        monkeypatch.chdir(work)
        steps(work)
        shutil.copytree(work, kept.with_name(kept.name + ".part"), symlinks=True)
        kept.with_name(kept.name + ".part").rename(kept)  # kept only once whole
        return work

    return prepare


@pytest.fixture
def cli():
    """Invoke the l10n CLI in-process; returns click's Result (exit_code, stdout, stderr)."""
    runner = CliRunner()

    def invoke(*args: str, **kwargs):
        return runner.invoke(main, list(args), catch_exceptions=False, **kwargs)

    return invoke


def run(cli, *args: str):
    """A CLI command that must succeed; its result."""
    result = cli(*args)
    assert result.exit_code == 0, result.output + result.stderr
    return result


def msgfmt_check(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True)


def msgcat(path: Path) -> bytes:
    return subprocess.run(["msgcat", str(path)], capture_output=True, check=True).stdout


@pytest.fixture
def drafted(prepared, cli) -> Path:
    """Catalogs for every language, Spanish pre-translated by Apertium."""
    def steps(project: Path) -> None:
        assert cli("extract").exit_code == 0
        assert cli("update").exit_code == 0
        result = cli("pretranslate", "--lang", "es")
        assert result.exit_code == 0, result.output

    return prepared("drafted", steps)


# Headless Chromium offline: a fresh profile and every flag that would phone home turned off. CI installs Debian's
# chromium, so a missing browser is a failure, not a skip.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def dump_dom(page: Path) -> str:
    """The DOM of a local page after its scripts (if any) ran."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    assert browser, "headless Chromium is needed (apt-get install chromium)"
    with tempfile.TemporaryDirectory() as profile:
        result = subprocess.run([browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom",
                                 page.as_uri()], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout
