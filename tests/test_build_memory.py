"""`build` reads one language at a time: a language's catalog is held only while that language is decided, so that
rendering the pages (the PDF above all) does not happen on top of catalogs it no longer needs."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

from l10n import po as pofile
from l10n.publish import publish
from tests.conftest import run
from tests.test_publish import configure


def test_no_skipped_language_s_catalog_is_held_while_the_pages_are_rendered(project: Path, cli, monkeypatch) -> None:
    configure(project, languages=["de", "es"])  # no German or Spanish text yet: both skipped, the original built
    run(cli, "extract")
    run(cli, "update")
    loaded: dict[str, weakref.ref] = {}
    held: list[list[str]] = []
    load, render = pofile.load_or_none, publish._render

    def reading(path: Path, **options):
        catalog = load(path, **options)
        if catalog is not None:
            loaded[path.relative_to(project).as_posix()] = weakref.ref(catalog)
        return catalog

    def rendering(*args, **kwargs):
        gc.collect()
        held.append(sorted(name for name, alive in loaded.items() if alive() is not None))
        return render(*args, **kwargs)

    monkeypatch.setattr(pofile, "load_or_none", reading)
    monkeypatch.setattr(publish, "_render", rendering)
    result = run(cli, "build")
    assert "de/appeal: skipped" in result.output and "es/appeal: skipped" in result.output
    assert {"locales/de/appeal.po", "locales/es/appeal.po"} <= set(loaded)
    assert held == [[]]  # the original's pages, and no catalog behind them
