"""How the `l10n` command ends, run as the console script runs it: its status, its whole output, the atexit handlers."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# The console script's own code, with an atexit handler.
SCRIPT = """
import atexit, sys
from l10n.cli import entry
atexit.register(lambda: print("atexit handler ran", file=sys.stderr))
sys.exit(entry())
"""

pytestmark = pytest.mark.slow  # each test starts interpreters


def l10n(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", SCRIPT, *args], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_success_keeps_the_status_the_output_and_the_handlers(project):
    done = l10n("extract")
    assert done.returncode == 0
    assert done.stdout == "wrote 1 file(s): locales/appeal.pot\n"
    assert done.stderr == "atexit handler ran\n"
    status = l10n("status", "--format", "json")  # a long output through a pipe arrives whole
    assert status.returncode == 0 and status.stdout.rstrip().endswith("]") and len(status.stdout) > 1000


def test_an_error_keeps_its_exit_code_and_message(project):
    (project / "l10n.yaml").write_text("languages: [es\n", encoding="utf-8")
    done = l10n("extract")
    assert done.returncode == 2
    assert done.stderr == (f"l10n: error: {project / 'l10n.yaml'}:2: invalid YAML: did not find expected ',' or ']'\n"
                           "atexit handler ran\n")
