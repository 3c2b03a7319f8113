"""One family of errors for the whole core, so the CLI can turn any of them into one line and an exit code.
The exit codes are defined here and only here (README "Exit codes")."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

EXIT_OK = 0
EXIT_ERROR = 1  # unreadable source, engine failure, what the file system refused…
EXIT_USAGE = 2  # a wrong option or argument, a configuration error
EXIT_QA = 3  # quality checks found errors
EXIT_THRESHOLD = 4  # a language is below --fail-under
EXIT_CATALOG = 5  # a malformed catalog
EXIT_LOCKED = 6  # another l10n process holds the project lock
EXIT_CONCURRENT = 7  # a catalog changed on disk during the run and could not be merged
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT, as shells report a command SIGINT ended)

#: where `warn` sends its messages: the command line prints them as `l10n: warning: …` (the core never prints)
warning_sink: Callable[[str], None] | None = None


def warn(message: str) -> None:
    """Tell the user something that does not stop the command (the engine cache cannot be used, say); without a
    sink (the core used as a library) it becomes a Python warning."""
    if warning_sink is not None:
        warning_sink(message)
        return
    import warnings

    warnings.warn(message, stacklevel=2)


class L10nError(Exception):
    """Base class: a problem the user can fix, reported as one line without a traceback."""

    exit_code = EXIT_ERROR

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return f"{where}{self.message}"


class ConfigError(L10nError):
    """l10n.yaml is missing, malformed, or names something invalid."""

    exit_code = EXIT_USAGE


class SourceError(L10nError):
    """A source document cannot be read or does not have the expected shape."""

    exit_code = EXIT_ERROR


class CatalogError(L10nError):
    """A PO or POT file is malformed; the file is left untouched."""

    exit_code = EXIT_CATALOG


class EngineError(L10nError):
    """A translation engine failed in a way that stops it for this run."""

    exit_code = EXIT_ERROR


class LockError(L10nError):
    """Another l10n process is writing this project."""

    exit_code = EXIT_LOCKED


class ConcurrentEditError(L10nError):
    """A file changed on disk while we worked on it and could not be merged safely."""

    exit_code = EXIT_CONCURRENT
