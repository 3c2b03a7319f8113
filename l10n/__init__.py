"""l10n: split a source document into segments, keep translations in gettext PO files, reassemble translations."""

__version__ = "0.1.0"
