"""Where the project's files live: one place that knows the layout of locales/ and dist/, so that no stage asks
another where a catalog is."""

from __future__ import annotations

from pathlib import Path

from . import errors, langs
from .config import Config, document_id

RECORD_SUFFIX = ".published.json"
DEFAULT_GLOSSARY = "glossary.yaml"  # at the project root, read when l10n.yaml names none
WORDS_FILE = "spelling.txt"  # locales/<lang>/spelling.txt: a project's accepted words for one language
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


def glossary_path(config: Config) -> Path | None:
    """The configured glossary, else glossary.yaml at the project root when there is one (beside l10n.yaml, not
    inside a folder named like the Python package). One at the former default place is named in a warning."""
    if config.glossary is not None:
        return config.root / config.glossary
    default = config.root / DEFAULT_GLOSSARY
    if not default.exists() and (config.root / "l10n" / DEFAULT_GLOSSARY).exists():
        errors.warn(f"{config.root / 'l10n' / DEFAULT_GLOSSARY}: not read any more; move it to the project root "
                    f"({DEFAULT_GLOSSARY}) or name it with `glossary:` in l10n.yaml")
    return default if default.exists() else None
