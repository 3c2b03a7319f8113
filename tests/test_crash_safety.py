"""SIGKILL at any moment of `l10n run` leaves every file as before or complete, and the next run finishes."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from l10n import po as pofile
from l10n.po import files
from tests.conftest import msgfmt_check
from tests.faults import OPERATIONS, Faults


CONFIG_LANGUAGES = "languages: [en, es, de, it, pt, ru, uk, ca]"
RUN = ("run", "--engine", "pseudo", "--allow-fuzzy")


def snapshot(root: Path) -> dict[str, str]:
    """Every output file, without the lines that carry the time of the run (a PDF by its bytes: it carries only
    the day, from the catalog)."""
    out = {}
    for path in sorted(list(root.glob("locales/**/*.po*")) + list(root.glob("dist/**/*.*"))):
        if path.suffix == ".pdf":
            out[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
            continue
        text = path.read_text(encoding="utf-8")
        out[str(path.relative_to(root))] = "\n".join(l for l in text.splitlines() if "-Date: " not in l)
    return out


def _forget_the_run(root: Path) -> None:
    for folder in ("locales", "dist", ".l10n"):
        shutil.rmtree(root / folder, ignore_errors=True)


@pytest.fixture
def small(project: Path) -> Path:
    """The appeal in one language (the PDF a stand-in, conftest.quick_pdf): the same kinds of files and writes as
    a real run, at a fraction of its cost."""
    config = project / "l10n.yaml"
    config.write_text(config.read_text().replace(CONFIG_LANGUAGES, "languages: [ru]"))
    return project


@pytest.mark.parametrize("operation", OPERATIONS)
def test_a_run_stopped_at_any_write_leaves_every_file_old_or_whole_and_the_next_run_finishes(small, cli, operation):
    """os.replace, os.fsync or a write fails at its k-th call, for every k of a `run` (in process, the same
    points every time): the command ends with one line and exit 1; every catalog is valid for msgfmt -c, every
    published file is absent or what a complete run writes, nothing temporary is left; the next run then writes
    exactly what an undisturbed run writes."""
    assert cli(*RUN).exit_code == 0
    complete = snapshot(small)
    k = stops = 0
    while True:
        k += 1
        _forget_the_run(small)
        with pytest.MonkeyPatch.context() as patch:
            faults = Faults(patch, operation, k)
            stopped = cli(*RUN)
        if faults.exhausted:  # the run got through every call: all points tried
            assert stopped.exit_code == 0 and snapshot(small) == complete
            break
        if stopped.exit_code == 0:  # what failed was advisory (the memo, the engine cache): the run went on
            assert snapshot(small) == complete, (operation, k)
            continue
        assert stopped.exit_code == 1, (operation, k, stopped.stderr)
        stops += 1
        assert f"injected failure of {operation} call {k}" in stopped.stderr.splitlines()[-1], (operation, k)
        for path in sorted(small.glob("locales/**/*.po*")):
            assert msgfmt_check(path).returncode == 0, (operation, k, path)
        now = snapshot(small)
        assert all(now[name] == complete[name] for name in now if name.startswith("dist/")), (operation, k)
        assert not list(small.glob("**/.*.tmp")), (operation, k)
        assert cli(*RUN).exit_code == 0 and snapshot(small) == complete, (operation, k)
    assert k > 10 and stops > k // 2, (k, stops)  # a run has many points to stop at, most of them fatal


@pytest.mark.slow
def test_sigkill_during_a_run_then_rerun(small, tmp_path_factory):
    """One real SIGKILL, once the run has written its template: what is on disk is whole, and the next run
    finishes as an undisturbed one. In one language, as the fault injection above: a process in eight laid out
    eighteen real PDFs more (4 s) for the same kinds of files and writes."""
    project = small
    reference = tmp_path_factory.mktemp("reference")
    shutil.copytree(project, reference, dirs_exist_ok=True)
    command = [sys.executable, "-m", "l10n", *RUN]
    assert subprocess.run(command, cwd=reference, capture_output=True).returncode == 0
    proc = subprocess.Popen(command, cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not (project / "locales" / "appeal.pot").exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    for path in sorted(project.glob("locales/**/*.po*")):
        assert msgfmt_check(path).returncode == 0, path
    assert subprocess.run(command, cwd=project, capture_output=True).returncode == 0
    assert snapshot(project) == snapshot(reference)
    assert not list(project.glob("**/.*.tmp"))  # no half-written leftovers after a complete run


def test_catalogs_are_synced_to_disk_and_the_memo_is_not(project, cli, monkeypatch):
    """A catalog holds translators' work: written, fsynced, renamed, its folder fsynced. The memo is a cache
    (losing it after a power cut only costs the next run its shortcuts): renamed into place, never synced."""
    synced: list[str] = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(os.readlink(f"/proc/self/fd/{fd}")), real(fd)))
    assert cli("extract").exit_code == 0
    assert (project / ".l10n" / "memo.json").is_file()
    names = [Path(p).name for p in synced]
    assert len(names) == 2 and names[0].startswith(".appeal.pot.") and names[1] == "locales", names


def test_the_temporary_file_never_opens_an_existing_name(tmp_path):
    """tempfile.mkstemp names the temporary file: created exclusively beside the target (an existing name, even a
    symbolic link out of the folder, is never opened), named with our process id for the leftover sweep, and the
    file appears whole with the usual permissions, no temporary file left."""
    target, outside = tmp_path / "locales" / "appeal.pot", tmp_path / "outside.txt"
    target.parent.mkdir()
    outside.write_text("not to be touched")
    link = target.parent / f".appeal.pot.{os.getpid()}-x.tmp"
    link.symlink_to(outside)
    fd, name = files._new_file_beside(target)
    os.close(fd)
    assert re.fullmatch(rf"\.appeal\.pot\.{os.getpid()}-\w+\.tmp", Path(name).name) and Path(name).parent == target.parent
    os.unlink(name)
    pofile.atomic_write(target, b"msgid \"\"\n")
    assert target.read_bytes() == b"msgid \"\"\n" and target.stat().st_mode & 0o777 == 0o644
    assert outside.read_text() == "not to be touched"
    assert sorted(p.name for p in target.parent.iterdir()) == sorted(["appeal.pot", link.name])
    target.chmod(0o600)
    pofile.atomic_write(target, b"")  # a new version keeps the permissions the file had
    assert target.read_bytes() == b"" and target.stat().st_mode & 0o777 == 0o600


def test_a_writing_command_removes_what_a_killed_writer_left(project, cli):
    """Temporary files of a process that is gone are removed; a live process's, another naming's and other
    hidden files are not."""
    assert cli("extract").exit_code == 0
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True).stdout.strip()  # a process id that has just ended
    locales = project / "locales"
    (locales / "es").mkdir()
    left = [locales / f".appeal.pot.{dead}-0.tmp", locales / "es" / f".appeal.po.{dead}-3.tmp",
            project / ".l10n" / f".memo.json.{dead}-1.tmp"]
    kept = [locales / f".appeal.pot.{os.getppid()}-0.tmp", locales / ".appeal.pot.k3j_x9.tmp",
            locales / ".hidden.txt"]
    for path in left + kept:
        path.write_text("half a file")
    assert cli("status").exit_code == 0 and all(p.exists() for p in left)  # only writing commands sweep
    assert cli("extract").exit_code == 0
    assert [p for p in left if p.exists()] == [] and all(p.exists() for p in kept)
