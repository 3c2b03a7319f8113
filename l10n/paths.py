"""Where the project's files live: one place that knows the layout of locales/ and dist/, so that no stage asks
another where a catalog is."""

from __future__ import annotations

from pathlib import Path

from . import langs
from .config import Config, document_id

RECORD_SUFFIX = ".published.json"
REVIEW_DIR = "review"  # dist/review/<lang>.html: the review pages, linked from the dashboard


def pot_path(config: Config, doc: Path) -> Path:
    return config.root / config.locales_dir / f"{document_id(doc)}.pot"


def po_path(config: Config, lang: str, doc: Path) -> Path:
    return config.root / config.locales_dir / lang / f"{document_id(doc)}.po"


def record_path(config: Config, lang: str, doc: Path) -> Path:
    """A language's publication record (l10n/publication.py): what its last build published."""
    return config.root / config.locales_dir / lang / f"{document_id(doc)}{RECORD_SUFFIX}"


def review_href(lang: str) -> str:
    """A language's review page, relative to dist/."""
    return f"{REVIEW_DIR}/{langs.canonical(lang)}.html"
