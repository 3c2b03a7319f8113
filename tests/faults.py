"""Deterministic fault injection: fail the k-th call of one file operation, to stop a command at every point
where it can stop (a crash, a full disk, a pulled plug all stop it at one of these calls)."""

from __future__ import annotations

import errno
import os

import pytest

#: the operations l10n's atomic writes go through: the rename into place, the sync to disk, the data itself
OPERATIONS = ("replace", "fsync", "write")


class Faults:
    """Fail the k-th call of `os.<operation>` with ENOSPC; "write" fails a write through a file os.fdopen
    opened, after writing half its data (what a full disk does). `calls` counts the calls seen: a run that
    made fewer than k got through every point."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, operation: str, k: int) -> None:
        self.calls = 0
        self.k = k
        name = "fdopen" if operation == "write" else operation
        real = getattr(os, name)

        def fail() -> None:
            raise OSError(errno.ENOSPC, f"injected failure of {operation} call {k}")

        def counted(*args, **kwargs):
            self.calls += 1
            if self.calls == k:
                fail()
            return real(*args, **kwargs)

        def fdopen(*args, **kwargs):
            handle = real(*args, **kwargs)
            faults = self

            class Half:
                def __enter__(self):
                    return self

                def __exit__(self, *exc):
                    handle.close()

                def write(self, data):
                    faults.calls += 1
                    if faults.calls == k:
                        handle.write(data[: len(data) // 2])
                        handle.flush()
                        fail()
                    return handle.write(data)

                def __getattr__(self, attr):
                    return getattr(handle, attr)

            return Half()

        monkeypatch.setattr(os, name, fdopen if name == "fdopen" else counted)

    @property
    def exhausted(self) -> bool:
        """The command made fewer than k calls: every point has been tried."""
        return self.calls < self.k
