"""How the `l10n` command ends: its status, its whole output and the atexit handlers, without Python's teardown."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The console script's own code, with an atexit handler and an object that reports the interpreter's teardown.
SCRIPT = """
import atexit, sys
from l10n.cli import entry

class Teardown:
    def __del__(self):
        print("torn down", file=sys.stderr)

kept_until_teardown = Teardown()
atexit.register(lambda: print("atexit handler ran", file=sys.stderr))
{before}
sys.exit(entry())
"""


def l10n(*args: str, before: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", SCRIPT.format(before=before), *args], capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_success_keeps_the_status_the_output_and_the_handlers_and_skips_the_teardown(project):
    done = l10n("extract")
    assert done.returncode == 0
    assert done.stdout == "wrote 1 file(s): locales/appeal.pot\n"
    assert done.stderr == "atexit handler ran\n"  # no "torn down": the process ended before the teardown
    status = l10n("status", "--format", "json")  # a long output through a pipe arrives whole
    assert status.returncode == 0 and status.stdout.rstrip().endswith("]") and len(status.stdout) > 1000


def test_an_error_keeps_its_exit_code_and_message(project):
    (project / "l10n.yaml").write_text("languages: [es\n", encoding="utf-8")
    done = l10n("extract")
    assert done.returncode == 2
    assert done.stderr == (f"l10n: error: {project / 'l10n.yaml'}:2: invalid YAML: did not find expected ',' or ']'\n"
                           "atexit handler ran\n")


def test_python_ends_the_process_when_another_thread_still_runs(project):
    worker = ("import threading, time\n"
              "threading.Thread(target=lambda: (time.sleep(0.3), print('thread finished', file=sys.stderr))).start()")
    done = l10n("extract", before=worker)
    assert done.returncode == 0
    assert done.stderr.splitlines() == ["thread finished", "atexit handler ran", "torn down"]
