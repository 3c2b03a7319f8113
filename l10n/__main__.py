"""`python -m l10n` runs the command line."""

from .cli import entry

entry()
