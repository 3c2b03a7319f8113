"""`status` takes "published …, N changes since" from the project memo while the source, the catalog and the
publication record are the bytes `run` worked it out from (l10n/progress.py); the table is the same without it."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run

MEMO = Path(".l10n") / "memo.json"


def _status(cli) -> dict[str, tuple]:
    rows = json.loads(run(cli, "status", "--format", "json").output)
    return {row["lang"]: (row["published"], row["entries"]) for row in rows}


def _without_memo(project: Path, cli) -> dict[str, tuple]:
    memo = (project / MEMO).read_bytes()
    (project / MEMO).unlink()
    try:
        return _status(cli)
    finally:
        (project / MEMO).write_bytes(memo)


def test_status_from_the_memo_is_status_worked_out(project: Path, cli) -> None:
    run(cli, "run", "--allow-fuzzy", "--engine", "pseudo")
    assert "published" in json.loads((project / MEMO).read_bytes()), "run's status step keeps what it found"
    written = (project / MEMO).stat().st_mtime_ns
    warm = _status(cli)
    assert (project / MEMO).stat().st_mtime_ns == written, "status alone writes nothing"
    published = {lang for lang, (found, _) in warm.items() if found is not None}
    assert published and all(warm[lang][0]["changes"] == 0 for lang in published)
    assert warm == _without_memo(project, cli)

    # a translator edits a published translation: the memo's fact no longer holds
    lang = sorted(published)[0]
    po = project / "locales" / lang / "appeal.po"
    text = po.read_text(encoding="utf-8")
    start = text.index('msgstr "', text.index("\nmsgid ", text.index("\nmsgid ") + 1))
    po.write_text(text[:start] + 'msgstr "Edited"' + text[text.index("\n", start):], encoding="utf-8")
    edited = _status(cli)
    assert edited[lang][0]["changes"] == 1
    assert edited == _without_memo(project, cli)
