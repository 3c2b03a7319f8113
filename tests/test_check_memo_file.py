"""The check memo's file (l10n/checks/memo.py), without checking a project: issues written a section at a time read
back as the same issues; a section nobody asked for is written again byte for byte; a damaged section, a damaged
file and an older memo hold nothing. And the word checks analyse each entry of a catalog once, however large it is.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from l10n.checks import memo as check_memo
from l10n.checks import words
from l10n.checks.base import CheckSettings, Issue
from l10n.checks.dictionary import Dictionary
from l10n.config import load_config
from l10n.glossary import Glossary
from l10n.po import Catalog, Entry

ISSUES = {
    "source documents": [Issue("source/appeal.fr.txt", 7, "fr", None, "Syndicat", "duplicate-organisation",
                               "warning", "organisation 'Syndicat' twice")],
    "locales/es/appeal.po": [
        Issue("locales/es/appeal.po", 20, "es", None, "Bonjour 12", "numbers", "error", 'missing "12"'),
        Issue("locales/es/appeal.po", 20, "es", None, "Bonjour 12", "unreviewed", "info", "draft"),
        Issue("locales/es/appeal.po", 31, "es", "menu\n", "Liste\u2028« é »", "unreviewed", "info", "draft"),
        Issue("locales/es/appeal.po", 40, "es", "", "\t\"quoted\"\\", "spelling", "warning", "not: \"x\"\n"),
    ],
    "locales/de/appeal.po": [],
}


@pytest.fixture
def memo_path(project: Path) -> Path:
    return project / ".l10n" / check_memo.MEMO_NAME


def _memo(project: Path) -> check_memo.CheckMemo:
    return check_memo.CheckMemo(load_config(project / "l10n.yaml"))


def _record(project: Path, issues: dict[str, list[Issue]] = ISSUES) -> None:
    memo = _memo(project)
    for name, found in issues.items():
        memo.issues(name, f"key of {name}", lambda found=found: list(found))
    memo.save()


def _answers(project: Path) -> tuple[dict[str, list[Issue]], list[str]]:
    """What a new memo answers for each section of ISSUES (under the key it was recorded with), and the names
    it had to work out again."""
    memo, worked = _memo(project), []
    answers = {name: memo.issues(name, f"key of {name}", lambda name=name: worked.append(name) or [])
               for name in ISSUES}
    return answers, worked


def test_issues_read_back_as_written(project: Path, memo_path: Path) -> None:
    _record(project)
    answers, worked = _answers(project)
    assert worked == []
    assert answers == ISSUES
    # one msgid's issues share one string, as issues found by the checks do
    spanish = answers["locales/es/appeal.po"]
    assert spanish[0].msgid is spanish[1].msgid
    # a stamp line, then a header line and a line of issues per section
    lines = memo_path.read_bytes().split(b"\n")
    assert lines[-1] == b"" and len(lines) == 1 + 2 * len(ISSUES) + 1
    assert json.loads(lines[0])["version"] == check_memo.MEMO_VERSION


def test_the_answer_is_a_new_list_each_time(project: Path) -> None:
    _record(project)
    memo = _memo(project)
    first = memo.issues("source documents", "key of source documents", list)
    first += ISSUES["locales/es/appeal.po"]  # what check_project does with the first answer
    assert memo.issues("source documents", "key of source documents", list) == ISSUES["source documents"]


def test_a_changed_key_is_worked_out_again_and_other_sections_kept_as_they_were(project: Path,
                                                                                memo_path: Path) -> None:
    _record(project)
    before = memo_path.read_bytes().split(b"\n")
    memo = _memo(project)
    new = [Issue("locales/es/appeal.po", 3, "es", None, "Hola", "numbers", "error", "changed")]
    assert memo.issues("locales/es/appeal.po", "new key", lambda: list(new)) == new
    memo.save()
    after = memo_path.read_bytes().split(b"\n")
    assert after[:3] == before[:3]  # the stamp and the source documents, never decoded: the same bytes
    assert after[-3:] == before[-3:]  # the German catalog likewise
    assert after[3:5] != before[3:5]
    memo = _memo(project)
    assert memo.issues("locales/es/appeal.po", "new key", lambda: pytest.fail("recorded")) == new
    assert not memo.knows("locales/es/appeal.po", "key of locales/es/appeal.po")


def test_a_damaged_section_alone_is_worked_out_again(project: Path, memo_path: Path) -> None:
    _record(project)
    lines = memo_path.read_bytes().split(b"\n")
    spanish = json.loads(lines[4])
    spanish["issues"][0][4] = len(spanish["strings"])  # a msgid beyond the strings
    damaged = json.dumps(spanish).encode() + b"\n"
    header = json.loads(lines[3]) | {"size": len(damaged)}
    lines[3:5] = [json.dumps(header).encode(), damaged[:-1]]
    memo_path.write_bytes(b"\n".join(lines))
    answers, worked = _answers(project)
    assert worked == ["locales/es/appeal.po"]
    assert answers == ISSUES | {"locales/es/appeal.po": []}


@pytest.mark.parametrize("damage", ["truncated", "garbage header", "size too large", "not json"])
def test_a_damaged_file_holds_nothing(project: Path, memo_path: Path, damage: str) -> None:
    _record(project)
    data = memo_path.read_bytes()
    lines = data.split(b"\n")
    if damage == "truncated":
        data = data[:-10]
    elif damage == "garbage header":
        data = b"\n".join(lines[:3] + [b"{\xff"] + lines[4:])
    elif damage == "size too large":
        header = json.loads(lines[1]) | {"size": len(data)}
        data = b"\n".join(lines[:1] + [json.dumps(header).encode()] + lines[2:])
    else:
        data = b"\xff{not json"
    memo_path.write_bytes(data)
    answers, worked = _answers(project)
    assert worked == list(ISSUES)
    assert answers == {name: [] for name in ISSUES}


def test_an_older_memo_holds_nothing_and_is_replaced(project: Path, memo_path: Path) -> None:
    _record(project)
    stamp = json.loads(memo_path.read_bytes().split(b"\n")[0])
    # version 1: one JSON object, every issue a dict of its fields
    old = {**stamp, "version": 1, "issues": {name: {"key": f"key of {name}", "issues": [i.as_dict() for i in found]}
                                             for name, found in ISSUES.items()}}
    memo_path.write_text(json.dumps(old, ensure_ascii=False) + " " * check_memo._STAMP_LIMIT, encoding="utf-8")
    memo = _memo(project)
    assert not any(memo.knows(name, f"key of {name}") for name in ISSUES)
    _record(project)
    assert _answers(project) == (ISSUES, [])


# ---------------------------------------------------------------------------------------------------- words


class _Everything:
    """An Enchant dictionary that knows every word."""

    def check(self, word: str) -> bool:
        return True


def test_each_entry_is_analysed_once_per_catalog(monkeypatch: pytest.MonkeyPatch) -> None:
    """source-words and spelling read the same analysis of each entry: worked out once per catalog, also when the
    catalog has more texts than the 4,096 analyses a bounded cache used to keep (each then done twice)."""
    size = 5000
    entries = [Entry(msgid=f"Texte numéro {n}", msgstr=f"Texto número {n}", extracted_comments=["paragraph"])
               for n in range(size)]
    catalog = Catalog(path=Path("/nonexistent/l10n-test/es.po"), header=Entry(msgid="", msgstr=""),
                      entries=entries)
    dictionary = Dictionary("es", ("es_ES",), (_Everything(),))
    monkeypatch.setattr(words, "dictionary", lambda lang: dictionary)
    calls = []
    real = words.analyse
    monkeypatch.setattr(words, "analyse", lambda *args: calls.append(args[3]) or real(*args))
    settings = CheckSettings("es", "fr", Glossary(), frozenset({"source-words", "spelling"}), catalog)
    assert list(words.source_words(settings, catalog)) == []
    assert list(words.spelling(settings, catalog)) == []
    assert len(calls) == size and len(set(calls)) == size
