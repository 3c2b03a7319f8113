"""Issue 22, "Reliability, round two" (items 1–7 and 9): each promise the outside tester broke, as a test named
after its item. Faults are injected deterministically (a monkeypatched hook or system call, a folder where a file
belongs): tests run as root, which ignores permission bits, so "read-only" and "disk full" are raised, not set up."""

from __future__ import annotations

import errno
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from l10n import po as pofile
from l10n.errors import CatalogError, ConcurrentEditError
from l10n.po import files as po_files
from tests.conftest import msgfmt_check

PO_ES = Path("locales/es/appeal.po")
TITLE = "Nous exigeons l'arrêt des tortures et la libération d'Azat Miftakhov."


def errors_of(result) -> list[str]:
    """stderr's error lines; never a traceback."""
    assert "Traceback" not in result.stderr
    return [line for line in result.stderr.splitlines() if line.startswith("l10n: error: ")]


def one_error(result) -> str:
    lines = errors_of(result)
    assert len(lines) == 1, result.stderr
    return lines[0]


def no_temporary_files(root: Path) -> bool:
    return not [p for p in root.rglob(".*.tmp")]


@pytest.fixture
def updated(project: Path, cli) -> Path:
    assert cli("extract").exit_code == 0
    assert cli("update", "--lang", "es", "--lang", "en").exit_code == 0
    return project


def _empty_msgid(path: Path) -> str:
    """The msgid of the first active entry without a translation (one a translator may fill)."""
    return next(e.msgid for e in pofile.load(path).active if not e.has_translation and not e.fuzzy)


def _translate_on_disk(path: Path, msgid: str, text: str, how: str) -> None:
    """What a translator's editor does: the whole file saved with one more translation, in place (the same
    inode, truncated and rewritten) or by rename (a new file moved over the old one)."""
    cat = pofile.load(path)
    entry = cat.index()[(None, msgid)]
    entry.msgstr = text
    data = pofile.dumps(cat)
    if how == "in-place":
        with open(path, "r+b") as handle:
            handle.truncate(0)
            handle.write(data)
    else:
        side = path.with_name(path.name + ".editor-save")
        side.write_bytes(data)
        os.replace(side, path)


def _translator_saves_once(monkeypatch, po: Path, msgid: str, how: str) -> list[Path]:
    """The translator's first save of `po` lands just before l10n swaps its own file in; returns the saves made."""
    saves: list[Path] = []

    def translator_saves(path: Path) -> None:
        if path == po and not saves:
            _translate_on_disk(po, msgid, "Traducción del traductor", how)
            saves.append(path)

    monkeypatch.setattr(po_files, "_before_swap", translator_saves)
    return saves


# ---------------------------------------------------------------------------------------------------- item 1


@pytest.mark.parametrize("how", ["in-place", "rename"])
def test_item_01_translator_save_in_the_write_window_survives_update(updated, cli, monkeypatch, how):
    """The save lands after l10n's last check, just before the swap: it is kept, and `update` merges again."""
    source = updated / "source" / "appeal.fr.txt"
    source.write_text(source.read_text(encoding="utf-8") + "\nUn paragraphe ajouté à la fin.\n", encoding="utf-8")
    assert cli("extract").exit_code == 0
    po = updated / PO_ES
    msgid = _empty_msgid(po)
    saves = _translator_saves_once(monkeypatch, po, msgid, how)
    result = cli("update", "--lang", "es")
    assert result.exit_code == 0, result.stderr
    assert saves == [po]
    entries = pofile.load(po).index()
    assert entries[(None, msgid)].msgstr == "Traducción del traductor"  # the translator's edit
    assert (None, "Un paragraphe ajouté à la fin.") in entries  # and the update's
    assert msgfmt_check(po).returncode == 0 and no_temporary_files(updated)


@pytest.mark.parametrize("how", ["in-place", "rename"])
def test_item_01_translator_save_in_the_write_window_survives_pretranslate(updated, cli, monkeypatch, how):
    po = updated / PO_ES
    msgid = _empty_msgid(po)
    saves = _translator_saves_once(monkeypatch, po, msgid, how)
    result = cli("pretranslate", "--lang", "es", "--engine", "pseudo")
    assert result.exit_code == 0, result.stderr
    assert saves == [po] and "changed on disk during the run" in result.stdout
    cat = pofile.load(po)
    entry = cat.index()[(None, msgid)]
    assert entry.msgstr == "Traducción del traductor" and not entry.fuzzy
    assert sum(e.fuzzy and e.msgstr.startswith("[") for e in cat.active) >= 5  # drafts in the translator's file
    assert msgfmt_check(po).returncode == 0 and no_temporary_files(updated)


def test_item_01_a_save_at_every_attempt_exits_7_with_the_translators_bytes(updated, cli, monkeypatch):
    source = updated / "source" / "appeal.fr.txt"
    source.write_text(source.read_text(encoding="utf-8") + "\nEncore un paragraphe.\n", encoding="utf-8")
    assert cli("extract").exit_code == 0
    po = updated / PO_ES
    msgid = _empty_msgid(po)
    saved: list[bytes] = []

    def translator_saves(path: Path) -> None:
        _translate_on_disk(po, msgid, f"Versión {len(saved)}", "rename")
        saved.append(po.read_bytes())

    monkeypatch.setattr(po_files, "_before_swap", translator_saves)
    result = cli("update", "--lang", "es")
    assert result.exit_code == 7
    assert one_error(result).startswith(f"l10n: error: {po}: catalog changed on disk")
    assert len(saved) == 3 and po.read_bytes() == saved[-1]


def test_item_01_a_save_into_the_displaced_file_after_the_swap_is_swapped_back(tmp_path, monkeypatch):
    """An editor that opened the file before the swap writes into the inode l10n displaced: that file goes
    back in place (the second check, after the exchange)."""
    path = tmp_path / "x.po"
    path.write_bytes(b"old")
    real = po_files._exchange
    calls = []

    def exchange_then_late_write(a, b):
        done = real(a, b)
        if not calls:
            Path(a).write_bytes(b"translator")  # the displaced inode, now under the temporary name
        calls.append(a)
        return done

    monkeypatch.setattr(po_files, "_exchange", exchange_then_late_write)
    with pytest.raises(ConcurrentEditError):
        po_files._swap_in(path, [b"new"], b"old")
    assert path.read_bytes() == b"translator" and len(calls) == 2
    assert [p.name for p in tmp_path.iterdir()] == ["x.po"]


# ---------------------------------------------------------------------------------------------------- item 2


def test_item_02_obsolete_copy_of_an_active_msgid_is_refused_with_its_line(updated, cli):
    po = updated / PO_ES
    cat = pofile.load(po)
    msgid = cat.active[3].msgid
    text = po.read_text(encoding="utf-8") + f'\n#~ msgid "{msgid}"\n#~ msgstr "Traducción antigua"\n'
    po.write_text(text, encoding="utf-8")
    line = text.count("\n") - 1  # the #~ msgid line
    before = po.read_bytes()
    assert msgfmt_check(po).returncode != 0  # gettext calls it a duplicate too
    for command in (["update", "--lang", "es"], ["pretranslate", "--lang", "es", "--engine", "pseudo"]):
        result = cli(*command)
        assert result.exit_code == 5, command
        message = one_error(result)
        assert message.startswith(f"l10n: error: {po}:{line}: duplicate msgid") and "obsolete" in message
        assert po.read_bytes() == before  # nothing dropped, nothing written


# ---------------------------------------------------------------------------------------------------- item 3


@pytest.fixture
def outside(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("outside")


def _listing(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _publish(root: Path, unreviewed: str) -> None:
    """Publish untranslated languages too (with a banner and the source's text), or skip them."""
    config = root / "l10n.yaml"
    text = re.sub(r"\npublish: .*", "", config.read_text())
    config.write_text(text + f"\npublish: {{min_reviewed: 100, unreviewed: {unreviewed}, source_fallback: mark}}\n")


def test_item_03_a_linked_output_folder_out_of_the_project_is_refused(updated, cli, outside):
    _publish(updated, "banner")
    (updated / "dist").mkdir()
    (updated / "dist" / "en").symlink_to(outside, target_is_directory=True)
    result = cli("build", "--lang", "en")
    assert result.exit_code == 1
    message = one_error(result)
    assert message.startswith(f"l10n: error: {updated}/dist/en/appeal.") and "outside the project" in message
    assert _listing(outside) == {}


def test_item_03_skip_never_deletes_through_a_link_out_of_the_project(updated, cli, outside):
    (outside / "appeal.html").write_text("someone else's page")
    (updated / "dist").mkdir()
    (updated / "dist" / "en").symlink_to(outside, target_is_directory=True)
    _publish(updated, "skip")
    result = cli("build", "--lang", "en")
    assert result.exit_code == 1 and "outside the project" in one_error(result)
    assert _listing(outside) == {"appeal.html": b"someone else's page"}


def test_item_03_a_linked_catalog_folder_out_of_the_project_is_refused(project, cli, outside):
    assert cli("extract").exit_code == 0
    (project / "locales" / "en").symlink_to(outside, target_is_directory=True)
    result = cli("update", "--lang", "en")
    assert result.exit_code == 1 and "outside the project" in one_error(result)
    assert _listing(outside) == {}


def test_item_03_a_cache_linked_out_of_the_project_is_not_created(updated, cli, outside):
    (updated / ".l10n" / "cache.sqlite").symlink_to(outside / "cache.sqlite")
    result = cli("pretranslate", "--lang", "es", "--engine", "pseudo")
    assert result.exit_code == 0, result.stderr
    assert "outside the project" in result.stderr and "not cached" in result.stderr
    assert "es: " in result.stdout and _listing(outside) == {}


def test_item_03_the_lock_folder_linked_out_of_the_project_is_refused(project, cli, outside):
    (project / ".l10n").symlink_to(outside, target_is_directory=True)
    result = cli("extract")
    assert result.exit_code == 2  # the configured folder itself: a configuration error
    assert one_error(result) == f"l10n: error: {project}/l10n.yaml: cache_dir '.l10n' points outside the project"
    assert _listing(outside) == {}


def test_item_03_stale_outputs_are_removed_only_if_l10n_wrote_them(updated, cli):
    _publish(updated, "banner")
    assert cli("build", "--lang", "es", "--lang", "en").exit_code == 0
    es, en = updated / "dist" / "es", updated / "dist" / "en"
    (en / "appeal.md").write_text("edited by hand after the build")
    (es / "appeal.html").unlink()
    (es / "appeal.html").write_text("made by hand")  # never written by l10n
    _publish(updated, "skip")
    result = cli("build", "--lang", "es", "--lang", "en")
    assert result.exit_code == 0, result.stderr
    left = sorted(str(p.relative_to(updated)) for p in (updated / "dist").rglob("*")
                  if p.is_file() and p.parent.name in ("es", "en"))
    assert left == ["dist/en/appeal.md", "dist/es/appeal.html"]
    assert f"{en / 'appeal.md'}: stale, but not removed" in result.stderr
    assert f"{es / 'appeal.html'}: stale, but not removed" in result.stderr


def test_item_03_an_export_named_on_the_command_line_may_go_outside(updated, cli, outside):
    (updated / "dist").mkdir()
    (updated / "dist" / "exchange").symlink_to(outside, target_is_directory=True)
    result = cli("export", "--format", "csv", "--lang", "es")  # the default place, through a link: refused
    assert result.exit_code == 1 and "outside the project" in one_error(result)
    assert _listing(outside) == {}
    result = cli("export", "--format", "csv", "--lang", "es", "--output", str(outside / "es.csv"))
    assert result.exit_code == 0, result.stderr
    assert list(_listing(outside)) == ["es.csv"]


# ---------------------------------------------------------------------------------------------------- item 4


@pytest.mark.parametrize("charset", ["rot13", "base64", "hex", "zlib", "uu", "undefined", "unicode_escape",
                                     "utf-8-sig", "UTF-16", "utf-7", "ISO-2022-JP", "ISO-2022-KR"])
def test_item_04_a_charset_that_is_not_a_text_encoding_is_refused(updated, cli, charset):
    po = updated / PO_ES
    text = po.read_text(encoding="utf-8")
    declared = text.replace("charset=UTF-8", f"charset={charset}")
    po.write_bytes(declared.encode("ascii", "replace"))  # whatever the bytes: the charset is the problem
    line = declared[: declared.index("charset=")].count("\n") + 1
    before = po.read_bytes()
    for command in (["update", "--lang", "es"], ["pretranslate", "--lang", "es"], ["build", "--lang", "es"],
                    ["status"]):
        result = cli(*command)
        assert result.exit_code == 5, (command, result.stderr)
        message = one_error(result)
        assert message.startswith(f"l10n: error: {po}:{line}: charset {charset!r}"), message
        assert po.read_bytes() == before
    result = cli("check", "--lang", "es")  # check reports a malformed catalog as an issue
    assert result.exit_code == 3 and result.stdout.startswith(f"locales/es/appeal.po:{line}: error [po-valid] charset")


def test_item_04_what_l10n_writes_in_another_charset_passes_msgfmt(updated, cli):
    po = updated / PO_ES
    text = po.read_text(encoding="utf-8").replace("charset=UTF-8", "charset=ISO-8859-15")
    po.write_bytes(text.encode("iso-8859-15"))
    assert cli("pretranslate", "--lang", "es", "--engine", "pseudo").exit_code == 0
    assert msgfmt_check(po).returncode == 0
    assert pofile.load(po).encoding in ("iso8859-15", "utf-8")  # kept, or switched to hold a draft


# ---------------------------------------------------------------------------------------------------- item 5


def test_item_05_nul_in_the_source_is_refused_at_extract_with_its_line(project, cli):
    source = project / "source" / "appeal.fr.txt"
    lines = source.read_text(encoding="utf-8").split("\n")
    lines[6] = lines[6][:20] + "\x00" + lines[6][20:]
    source.write_text("\n".join(lines), encoding="utf-8")
    result = cli("extract")
    assert result.exit_code == 1
    assert one_error(result) == "l10n: error: source/appeal.fr.txt:7: NUL character (U+0000) in the source: remove it"
    assert not (project / "locales" / "appeal.pot").exists()


# ---------------------------------------------------------------------------------------------------- item 6


@pytest.mark.parametrize("char", ["\n", "\r", "\t", "\x1b", "\x7f", "\x85", "\u2028"])
def test_item_06_a_document_path_with_a_control_character_is_a_configuration_error(project, cli, char):
    name = f"source/app{char}eal.fr.txt"
    (project / name).write_text("Titre\n\nUn paragraphe.\n", encoding="utf-8")
    config = project / "l10n.yaml"
    config.write_text(config.read_text().replace("documents: [source/appeal.fr.txt]",
                                                 f"documents: [{name!r}]".replace("'", '"')))
    result = cli("extract")
    assert result.exit_code == 2, result.stderr
    message = one_error(result)
    assert message.startswith(f"l10n: error: {config}: documents ") and f"U+{ord(char):04X}" in message
    assert not (project / "locales").exists()


def test_item_06_a_document_named_like_the_furniture_catalog_is_refused(updated, cli):
    furniture = updated / "locales" / "es" / "furniture.po"
    shutil.copy(Path(pofile.__file__).parent.parent / "data" / "furniture" / "es.po", furniture)
    before = furniture.read_bytes()
    (updated / "source" / "furniture.fr.txt").write_text("Titre\n\nUn paragraphe.\n", encoding="utf-8")
    config = updated / "l10n.yaml"
    config.write_text(config.read_text().replace("documents: [source/appeal.fr.txt]",
                                                 "documents: [source/appeal.fr.txt, source/furniture.fr.txt]"))
    for command in ("extract", "update", "build"):
        result = cli(command)
        assert result.exit_code == 2
        assert "source/furniture.fr.txt' would be catalogued as furniture.po" in one_error(result)
    assert furniture.read_bytes() == before and not (updated / "locales" / "furniture.pot").exists()


# ---------------------------------------------------------------------------------------------------- item 7


def _make_directory(path: Path) -> None:
    if path.is_file():
        path.unlink()
    path.mkdir(parents=True)


def _make_file(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("in the way")


MIXUPS = [  # (what is in the way, made how, command, the words of the reason)
    ("dist", _make_file, ["build", "--lang", "es"], "Not a directory"),
    (".l10n", _make_file, ["update", "--lang", "es"], "File exists"),
    (".l10n/lock", _make_directory, ["update", "--lang", "es"], "Is a directory"),
    ("dist/fr/appeal.html", _make_directory, ["build", "--lang", "es"], "Is a directory"),
    ("locales/en", _make_file, ["update", "--lang", "en"], "Not a directory"),
    # found by the outside tester (rt22): a folder where a file l10n reads belongs was "malformed", exit 5
    ("locales/appeal.pot", _make_directory, ["extract"], "Is a directory"),
    ("locales/es/appeal.published.json", _make_directory, ["changes", "--lang", "es"], "Is a directory"),
]


@pytest.mark.parametrize("where,make,command,reason", MIXUPS, ids=[m[0] for m in MIXUPS])
def test_item_07_a_file_where_a_folder_belongs_and_the_reverse_is_one_line(project, cli, where, make, command,
                                                                          reason):
    assert cli("extract").exit_code == 0
    assert cli("update", "--lang", "es").exit_code == 0
    make(project / where)
    catalogs = {p: p.read_bytes() for p in (project / "locales").rglob("*.po*") if p.is_file()}
    result = cli(*command)
    assert result.exit_code == 1, result.stderr
    message = one_error(result)
    assert re.fullmatch(rf"l10n: error: {re.escape(str(project))}/\S+: {reason}", message), message
    assert {p: p.read_bytes() for p in catalogs} == catalogs and no_temporary_files(project)


def test_item_07_a_folder_where_the_cache_belongs_means_no_cache_and_a_warning(updated, cli):
    (updated / ".l10n" / "cache.sqlite").mkdir()
    result = cli("pretranslate", "--lang", "es", "--engine", "pseudo")
    assert result.exit_code == 0, result.stderr
    assert f"l10n: warning: {updated}/.l10n/cache.sqlite: " in result.stderr and "not cached" in result.stderr
    assert sum(e.fuzzy and e.msgstr.startswith("[") for e in pofile.load(updated / PO_ES).active) >= 5


@pytest.mark.parametrize("error", [errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EDQUOT])
def test_item_07_a_write_the_system_refuses_is_one_line_and_leaves_the_catalog_whole(updated, cli, monkeypatch,
                                                                                     error):
    po = updated / PO_ES
    before = po.read_bytes()
    real = os.fsync

    def refused(fd: int) -> None:  # the data cannot reach the disk: full, read-only, quota, permission
        raise OSError(error, os.strerror(error), os.readlink(f"/proc/self/fd/{fd}"))

    monkeypatch.setattr(os, "fsync", refused)
    result = cli("pretranslate", "--lang", "es", "--engine", "pseudo")
    monkeypatch.setattr(os, "fsync", real)
    assert result.exit_code == 1
    message = one_error(result)
    assert message.startswith(f"l10n: error: {po.parent}/.appeal.po.") and message.endswith(os.strerror(error))
    assert po.read_bytes() == before and no_temporary_files(updated)


def test_item_07_a_full_disk_without_a_file_name_names_the_file(updated, cli, monkeypatch):
    """write(2) and fsync(2) report ENOSPC without a file name; the message names the file being written."""
    po = updated / PO_ES
    before = po.read_bytes()

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    result = cli("pretranslate", "--lang", "es", "--engine", "pseudo")
    monkeypatch.undo()
    assert result.exit_code == 1
    assert one_error(result) == f"l10n: error: {po}: {os.strerror(errno.ENOSPC)}"
    assert po.read_bytes() == before and no_temporary_files(updated)


def test_item_07_a_folder_that_cannot_be_created_is_one_line(project, cli, monkeypatch):
    assert cli("extract").exit_code == 0
    real = Path.mkdir

    def read_only(self, *args, **kwargs):
        if self.name == "de":
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "mkdir", read_only)
    result = cli("update", "--lang", "de")
    assert result.exit_code == 1
    assert one_error(result) == f"l10n: error: {project}/locales/de: Permission denied"


def test_item_07_debug_shows_the_traceback(project, cli):
    assert cli("extract").exit_code == 0
    _make_directory(project / ".l10n" / "lock")
    result = cli("--debug", "update", "--lang", "es")
    assert result.exit_code == 1
    assert "Traceback" in result.stderr and "IsADirectoryError" in result.stderr
    assert result.stderr.rstrip().endswith(f"l10n: error: {project}/.l10n/lock: Is a directory")


@pytest.mark.slow
def test_item_07_no_traceback_from_the_real_entry_point(project):
    """The console script, not click's test runner: a folder in the cache's place and a file in dist's."""
    (project / ".l10n").mkdir()
    (project / ".l10n" / "cache.sqlite").mkdir()
    (project / "dist").write_text("in the way")
    result = subprocess.run([sys.executable, "-m", "l10n", "run", "--engine", "pseudo", "--lang", "es"], cwd=project,
                            capture_output=True, text=True)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "not cached" in result.stderr
    assert re.fullmatch(rf"l10n: error: {re.escape(str(project))}/dist/\w+: Not a directory", errors_of(result)[-1])


# ---------------------------------------------------------------------------------------------------- item 9


DEEP = "nplurals=2; plural=" + "(" * 120 + "n != 1" + ")" * 120 + ";"


def test_item_09_deeply_nested_plural_forms_parse_without_recursion(updated, cli):
    po = updated / PO_ES
    cat = pofile.load(po)
    cat.set_header_field("Plural-Forms", DEEP)
    po.write_bytes(pofile.dumps(cat))
    assert msgfmt_check(po).returncode == 0  # msgfmt accepts it, so l10n must too
    assert pofile.load(po).header_field("Plural-Forms") == DEEP
    result = cli("check", "--lang", "es")
    assert "Traceback" not in result.stderr and "[po-valid]" not in result.stdout.split("Plural")[0][-200:]
    assert cli("pretranslate", "--lang", "es", "--engine", "pseudo").exit_code == 0


def test_item_09_any_depth_is_linear_and_a_bad_one_names_its_line():
    from l10n.po.plural import compile_plural

    assert compile_plural("(" * 100_000 + "n % 3" + ")" * 100_000)(5) == 2
    head = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    bad = head + '"Plural-Forms: nplurals=2; plural=' + "(" * 500 + "n" + ")" * 499 + ';\\n"\n'
    with pytest.raises(CatalogError, match=r"expected '\)' but found the end") as caught:
        pofile.loads(bad.encode(), Path("t.po"))
    assert str(caught.value).startswith("t.po:4: bad Plural-Forms")
