"""Shared fixtures: a throw-away copy of the appeal project, and helpers to run the CLI and gettext's tools."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from l10n.cli import main

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The appeal project (config, source, glossary) copied to tmp_path, which becomes the working directory."""
    shutil.copy(DATA / "project" / "l10n.yaml", tmp_path / "l10n.yaml")
    (tmp_path / "source").mkdir()
    shutil.copy(ROOT / "source" / "appeal.fr.txt", tmp_path / "source" / "appeal.fr.txt")
    shutil.copy(ROOT / "glossary.yaml", tmp_path / "glossary.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def cli():
    """Invoke the l10n CLI in-process; returns click's Result (exit_code, stdout, stderr)."""
    runner = CliRunner()

    def invoke(*args: str, **kwargs):
        return runner.invoke(main, list(args), catch_exceptions=False, **kwargs)

    return invoke


def msgfmt_check(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True)


def msgcat(path: Path) -> bytes:
    return subprocess.run(["msgcat", str(path)], capture_output=True, check=True).stdout
