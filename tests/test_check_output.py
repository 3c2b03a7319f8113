"""`l10n check --format json` prints, an issue at a time, exactly what json.dumps(…, indent=2) gives for the list
(each issue written without json's indenting encoder), and the same with the check memo as without; a language's dictionaries are let go once its catalogs are
checked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from l10n.checks import dictionary as dictionaries
from l10n.checks.base import Issue
from l10n.checks import memo as check_memo


@pytest.mark.slow  # the whole pipeline, then two checks of the project with every dictionary
def test_json_issues_are_json_dumps_of_the_list(project: Path, cli) -> None:
    assert cli("check", "--format", "json").stdout == "[]\n"  # no catalog yet: no issue
    for args in (("extract",), ("update",), ("pretranslate", "--engine", "pseudo", "--lang", "es", "--lang", "de")):
        assert cli(*args).exit_code == 0
    printed = cli("check", "--format", "json").stdout
    issues = json.loads(printed)
    assert len(issues) > 1
    assert printed == json.dumps(issues, ensure_ascii=False, indent=2) + "\n"
    assert (project / ".l10n" / check_memo.MEMO_NAME).is_file()
    assert cli("check", "--format", "json").stdout == printed  # answered from the memo


def test_a_released_language_is_loaded_again_when_asked() -> None:
    first = dictionaries.dictionary("es")
    assert dictionaries.dictionary("es") is first  # loaded once while in use
    dictionaries.release("es")
    again = dictionaries.dictionary("es")
    assert again is not first and again.known("casa")


text = st.text(st.characters(codec="utf-8"))


@given(st.builds(Issue, text, st.integers(0, 10**9), text, st.none() | text, text, text, text, text))
def test_an_issue_as_json_is_json_dumps_of_its_fields(issue: Issue) -> None:
    assert issue.as_json() == json.dumps(issue.as_dict(), ensure_ascii=False, indent=2)
