"""Issue 22, part B: each numbered promise of "Reliability, round two" (items 8 and 10-15) as a test named after it."""

from __future__ import annotations

import fcntl
import json
import os
import re
import socket
import subprocess
import threading
import sys
import time
import unicodedata
from pathlib import Path

import cmarkgfm
import pytest

from l10n import config, engines
from l10n import render
from l10n.assemble import Piece
from l10n.po import Catalog, Entry, atomic_write, dumps, load
from l10n.checks.registry import check_catalog
from l10n.config import parse_config
from l10n.engines.cache import Cache
from l10n.engines.deep import LibreEngine
from l10n.engines.options import ENGINE_OPTIONS
from l10n.engines.pool import EnginePool
from l10n.errors import ConfigError
from l10n.segment import join_sentences, split_sentences
from l10n.terminal import printable
from fakes.libre_server import FakeLibre, Script
from tests.test_cli_errors import l10n, one_line

ROOT = Path(__file__).resolve().parent.parent
BASE_CONFIG = {"source_language": "fr", "documents": ["source/appeal.fr.txt"], "languages": ["en", "es"]}


def test_item_12_sentence_segmentation_is_linear():
    paragraph = "Voir M. Azat " * 30_000
    started = time.perf_counter()
    parts = split_sentences(paragraph)
    assert time.perf_counter() - started < 1.0
    assert parts == [(paragraph, "")]  # "M." never ends a sentence
    runs = "Fin" + "…" * 50_000 + " Suite" + "." * 50_000
    started = time.perf_counter()
    assert join_sentences(split_sentences(runs)) == runs
    assert time.perf_counter() - started < 1.0


# -- item 8: values of the wrong type anywhere in l10n.yaml or the glossary ---------------------------------------

BASE = "source_language: fr\ndocuments: [source/appeal.fr.txt]\nlanguages: [en, es]\n"


@pytest.mark.slow  # the real entry point in a subprocess
@pytest.mark.parametrize("extra, message", [
    ("engine_settings: {libre: {timeout: fast}}", "engine_settings.libre.timeout: expected a number of seconds"),
    ("engine_settings: {libre: {concurrency: many}}",
     "engine_settings.libre.concurrency: expected a whole number of at least 1"),
    ("engine_settings: {libre: {url: [1, 2]}}", "engine_settings.libre.url: expected an http:// or https:// URL"),
    ("engine_settings: {libre: {retries: true}}",
     "engine_settings.libre.retries: expected a whole number from 0 to 100"),
    ("engine_settings: {libre: {retries: 99999999999999999999999}}",
     "engine_settings.libre.retries: expected a whole number from 0 to 100"),
    ("engine_settings: {deepl: {use_free_api: sometimes}}",
     "engine_settings.deepl.use_free_api: expected true or false"),
    ("engine_settings: {apertium: {binary: 5}}", "engine_settings.apertium.binary: expected text"),
    ("engine_settings: {libre: {timout: 5}}",
     "unknown key 'timout' in engine_settings.libre (did you mean 'timeout'?)"),
    ("engine_settings: {lbre: {}}", "unknown key 'lbre' in engine_settings (did you mean 'libre'?)"),
    ("engine_settings: [libre]", "engine_settings must map engine names to option mappings"),
    ("memory: {threshold: 85.5}", "memory.threshold must be a whole number from 1 to 100"),
    ("memory: {compendia: 5}", "memory.compendia must be a list of strings"),
    ("publish: {min_reviewed: .nan}", "publish.min_reviewed must be a percentage from 0 to 100"),
    ("publish: {unreviewed: [skip]}", "publish.unreviewed must be one of banner, skip, not ['skip']"),
    ("signatories: {groups: {Europe: [150]}}",
     "signatories.groups.Europe must be a territory code, null, or a mapping with code and kind"),
    ("signatories: {groups: {Europe: {code: [150]}}}",
     "signatories.groups.Europe.code: expected a territory code (ES, \"150\") or null"),
    ("signatories: {heading: [a]}", "signatories.heading: expected text"),
    ("signatories: 5", "signatories: expected a mapping of keys to values"),
    ("engines_by_language: {de: 5}", "engines_by_language.de must be a list of strings"),
    ("checks: {disable: {length: true}}", "checks.disable must be a list of strings"),
    ("glossary: 5", "glossary must be a non-empty path string"),
    ("dist_dir: [dist]", "dist_dir must be a non-empty path string"),
])
def test_item_08_wrong_types_in_config_name_the_key_path(project, extra, message):
    (project / "l10n.yaml").write_text(BASE + extra + "\n", encoding="utf-8")
    result = l10n("status", cwd=project)
    assert result.returncode == 2
    assert one_line(result) == f"l10n: error: {project / 'l10n.yaml'}: {message}"


@pytest.mark.slow  # the real entry point in a subprocess
@pytest.mark.parametrize("text, message", [
    ("keep: 5", "keep: expected a list of names (text, or a mapping with 'term' and 'variants')"),
    ("keep: [{term: Azat, variants: [ru, Азат]}]", "keep[0].variants must map language codes to spellings"),
    ("keep: [Kharp, {term: Azat, variants: {ru: 5}}]",
     "keep[1].variants.ru: expected a spelling or a list of spellings"),
    ("keep: [Kharp, 5]", "keep[1]: expected a name, or a mapping with 'term' and 'variants'"),
    ("keep: [{term: Azat, varaints: {}}]", "unknown key 'varaints' in keep[0] (did you mean 'variants'?)"),
    ("keep: [{variants: {}}]", "missing required key 'term' in keep[0]"),
    ("terms: [procès, politique]", "terms must map source expressions to translations"),
    ("terms: {procès: {en: [trial]}}", "terms.procès.en: expected text"),
    ("terms: {procès: {xx-yy-zz: a}}", "terms.procès.xx-yy-zz: 'xx-yy-zz' is not a language known to CLDR"),
    ("- a list", "glossary must be a mapping with the keys 'keep' and 'terms'"),
])
def test_item_08_wrong_types_in_the_glossary_name_the_key_path(project, text, message):
    (project / "glossary.yaml").write_text(text + "\n", encoding="utf-8")
    result = l10n("check", cwd=project)
    assert result.returncode == 2
    assert one_line(result) == f"l10n: error: {project / 'glossary.yaml'}: {message}"


def test_item_08_valid_engine_settings_reach_the_engine_typed(tmp_path):
    config = parse_config({"source_language": "fr", "documents": ["a.fr.txt"], "languages": ["en"],
                           "engine_settings": {"libre": {"url": "http://127.0.0.1:5000", "timeout": 5,
                                                         "languages": "en"}}}, tmp_path / "l10n.yaml")
    assert config.engine_settings["libre"].options == {"url": "http://127.0.0.1:5000", "timeout": 5.0,
                                                       "languages": ("en",)}
    engine = engines.create("libre", config.engine_settings["libre"].options)
    assert engine.timeout == 5.0 and engine.url == "http://127.0.0.1:5000/"
    assert set(ENGINE_OPTIONS) == set(engines.REGISTRY)  # every engine has a schema


# -- item 10: YAML alias bombs ------------------------------------------------------------------------------------


def _bomb(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for n in range(1, levels):
        lines.append(f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


@pytest.mark.slow  # the real entry point in a subprocess
@pytest.mark.parametrize("name", ["l10n.yaml", "glossary.yaml"])
def test_item_10_alias_bombs_are_refused_before_expansion(project, name):
    path = project / name
    path.write_text(_bomb() + path.read_text(encoding="utf-8").replace("keep:", "keep: *a8\nkeepx:"),
                    encoding="utf-8")
    # VmHWM: this process's peak memory (ru_maxrss would include the pytest process it was forked from)
    # and an address-space limit, so that a regression fails with MemoryError instead of exhausting the machine
    script = ("import re, resource, sys, time\nresource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))\n"
              "from l10n.cli import main\nstarted = time.perf_counter()\n"
              "try:\n    main(['check'])\nfinally:\n"
              "    peak = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read())\n"
              "    print(time.perf_counter() - started, peak.group(1), file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=project,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 2, done.stderr
    error, measures = done.stderr.strip().splitlines()
    assert error.startswith(f"l10n: error: {path}:1: invalid")
    assert re.search(r"aliases expand to [\d,]{11} values, more than 100,000 beyond the \d+ written", error)
    seconds, max_rss_kb = measures.split()
    assert float(seconds) < 1.0 and int(max_rss_kb) < 100 * 1024


def test_item_10_the_guard_bounds_aliases_and_depth(tmp_path):
    path = tmp_path / "l10n.yaml"
    small = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    path.write_text(small, encoding="utf-8")
    assert len(config.read_yaml(path, "invalid YAML", "cannot read config")["b"]) == 10  # within the budget
    bomb = small + "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
    bomb += "e: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n" * 10
    path.write_text(bomb, encoding="utf-8")
    with pytest.raises(ConfigError, match="aliases expand to"):
        config.read_yaml(path, "invalid YAML", "cannot read config")
    path.write_text("a: " + "[" * 101 + "]" * 101 + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="nested more than 100 levels deep"):
        config.read_yaml(path, "invalid YAML", "cannot read config")


# -- item 11: engines have an overall deadline per request, and refuse absurd answers -------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["drip-headers", "drip-body"])
def test_item_11_a_dripping_server_stops_within_timeout_times_attempts(mode):
    waits: list[float] = []
    with FakeLibre(Script(mode, delay=0.05)) as server:
        engine = LibreEngine(url=server.url, timeout=0.6, retries=1, failures_to_stop=10, sleep=waits.append)
        started = time.monotonic()
        result = engine.translate(["Bonjour"], "fr", "en")
        elapsed = time.monotonic() - started
    assert result.results == [None] and result.calls == 2 and len(waits) == 1
    assert result.errors[0] == f"libre: no answer from {server.url[:-1]} within 0.6s (gave up after 2 attempts)"
    assert 1.2 <= elapsed < 1.2 + 1.0  # 0.6 s × 2 attempts, not for ever


@pytest.mark.slow
def test_item_11_a_late_deadline_timer_never_shuts_the_next_attempts_socket(monkeypatch):
    """The race behind "request failed (ChunkedEncodingError)" under load: attempt 1's timer thread is paused
    between two shutdowns (as a busy machine does) while attempt 2 reconnects the same urllib3 connection
    object; it must not shut attempt 2's new socket."""
    real = socket.socket.shutdown
    shutdowns = 0

    with FakeLibre(Script("drip-body", delay=0.05)) as server:
        def paused(sock, how):
            nonlocal shutdowns
            real(sock, how)
            shutdowns += 1
            if shutdowns == 1:  # attempt 1's timer: let attempt 2 connect and read its headers first
                limit = time.monotonic() + 2
                while len(server.requests) < 2 and time.monotonic() < limit:
                    time.sleep(0.01)
                time.sleep(0.1)

        monkeypatch.setattr(socket.socket, "shutdown", paused)
        engine = LibreEngine(url=server.url, timeout=0.6, retries=1, failures_to_stop=10, sleep=lambda s: None)
        result = engine.translate(["Bonjour"], "fr", "en")
    assert len(server.requests) == 2
    assert result.errors[0] == f"libre: no answer from {server.url[:-1]} within 0.6s (gave up after 2 attempts)"


@pytest.mark.slow
def test_item_11_a_read_timeout_before_the_timer_thread_runs_is_the_deadline(monkeypatch):
    """The clock side of the same race: the per-read timeout (also `timeout`) can end a stalled body a hair
    before the deadline's timer thread gets to run; the message is the deadline's all the same."""
    from l10n.engines import deep

    class LateTimer(threading.Timer):  # a timer thread that a busy machine schedules late
        def __init__(self, interval, function):
            super().__init__(interval + 1.0, function)

    monkeypatch.setattr(deep.threading, "Timer", LateTimer)
    with FakeLibre(Script("drip-body", delay=5)) as server:  # honest headers, then silence
        engine = LibreEngine(url=server.url, timeout=0.6, retries=0, failures_to_stop=10)
        result = engine.translate(["Bonjour"], "fr", "en")
    assert result.errors[0] == f"libre: no answer from {server.url[:-1]} within 0.6s (gave up after 1 attempts)"


@pytest.mark.parametrize("script, reason", [
    (Script("blank"), "libre returned only invisible characters"),
    (Script("empty"), "libre returned an empty translation"),
    (Script("huge", size=10 * len("Bonjour") + 1001), "libre returned 1,071 characters for 7, more than a "
                                                        "translation can be"),
    (Script("huge", size=(1 << 20) + 1), "libre: answer from http://127.0.0.1:{port} larger than 1 MiB"),
])
def test_item_11_blank_invisible_and_oversized_answers_are_refused(script, reason):
    with FakeLibre(script) as server:
        engine = LibreEngine(url=server.url, timeout=5, retries=0, failures_to_stop=10)
        result = engine.translate(["Bonjour"], "fr", "en")
    assert result.results == [None]
    assert result.errors[0] == reason.format(port=server.url.rsplit(":", 1)[1][:-1])


def test_item_11_the_pool_refuses_them_from_any_engine(tmp_path):
    from l10n.engines.base import BatchResult, Translation, unusable

    class Answers:
        name = "fake"

        def cache_key(self): return "fake:v1"
        def route(self, source, target): return (source, target)
        def unavailable_reason(self, source, target): return ""

        def translate(self, texts, source, target, keep=None):
            answers = ["Hello", " \u200b\ufeff\u3164 ", "x" * 1051]
            return BatchResult([Translation(a, "fake", (source, target)) for a in answers], calls=1)

    pool = EnginePool(parse_config(BASE_CONFIG, tmp_path / "l10n.yaml"), Cache(tmp_path / "cache.sqlite"))
    pool.instances["fake"] = Answers()
    out = pool.translate("fake", [("Bonjour", []), ("Salut", []), ("Merci", [])], "fr", "en")
    assert [out.results[0].text] == ["Hello"] and set(out.results) == {0}
    assert out.errors == {1: "fake: fake returned only invisible characters",
                          2: "fake: fake returned 1,051 characters for 5, more than a translation can be"}
    assert unusable("a", "b" * 1010) is None and unusable("a", "\u00a0b") is None


# -- item 13: terminal safety -------------------------------------------------------------------------------------

HOSTILE = "Paris\x1b]52;c;cHduZWQ=\x07, \x1b[2J le 21\r mai \x9b31m 2026 \u202e<b>"


def _hostile_translation(project: Path, lang: str = "es") -> Path:
    path = project / "locales" / lang / "appeal.po"
    po = load(path)
    next(e for e in po.entries if e.msgid == "Paris, le 21 mai 2026").msgstr = HOSTILE
    po.header.msgstr = po.header.msgstr.replace("PO-Revision-Date: ", "PO-Revision-Date: \x9b2J\x1b[2J")
    atomic_write(path, dumps(po))
    return path


def _raw_controls(text: str) -> list[str]:
    return [c for c in text if unicodedata.category(c) == "Cc" and c != "\n" or c == "\u202e"]


def test_item_13_check_and_status_show_control_characters_escaped(project, cli):
    assert cli("extract").exit_code == 0 and cli("update", "--lang", "es").exit_code == 0
    _hostile_translation(project)
    text = cli("check", "--lang", "es")
    assert text.exit_code == 3 and _raw_controls(text.output) == []
    assert '[numbers] the translation has "Paris\\x1b]52;c;cHduZWQ=\\x07"' in text.output
    assert '"\\x9b31m"' in text.output
    as_json = cli("check", "--lang", "es", "--format", "json")
    assert _raw_controls(as_json.output) == [] and "\\u009b31m" in as_json.output
    assert any(i["message"].endswith('"\x9b31m", which is not in the source; check the number')
               for i in json.loads(as_json.output))  # the same data, once parsed
    for fmt in ("table", "csv", "json"):
        status = cli("status", "--lang", "es", "--format", fmt)
        assert status.exit_code == 0 and _raw_controls(status.output) == [], fmt
    status = json.loads(cli("status", "--lang", "es", "--format", "json").output)
    assert status[0]["last_change"].startswith("\x9b2J\x1b[2J")


def test_item_13_engine_error_messages_are_escaped(project, cli):
    with FakeLibre(Script("500", error=b"<h1>\x1b]0;owned\x07\x1b[2J\x9b6n oops</h1>")) as server:
        config = project / "l10n.yaml"
        config.write_text(config.read_text() + f"engine_settings: {{libre: {{url: '{server.url}', retries: 0, "
                                                f"require_key: false}}}}\n", encoding="utf-8")
        assert cli("extract").exit_code == 0 and cli("update", "--lang", "es").exit_code == 0
        result = cli("pretranslate", "--lang", "es", "--engine", "libre")
    assert result.exit_code == 0 and _raw_controls(result.output) == []
    assert "HTTP 500 from " in result.output and "\\x1b]0;owned\\x07\\x1b[2J\\x9b6n oops" in result.output


def test_item_13_one_helper_escapes_as_python_writes(capsys):
    assert printable("a\x1b[31mb\x07\r\n\tc\u202ed\x9b\x7f") == "a\\x1b[31mb\\x07\\r\\n\tc\\u202ed\\x9b\\x7f"
    assert printable("one\ntwo\x1b", lines=True) == "one\ntwo\\x1b"
    assert printable("Straße, Азат, 東京 ok") == "Straße, Азат, 東京 ok"


# -- item 14: honest gates ----------------------------------------------------------------------------------------


def test_item_14_a_missing_catalog_counts_as_nothing_done(project, cli):
    config = project / "l10n.yaml"
    config.write_text(config.read_text().replace("languages: [en, es, de, it, pt, ru, uk, ca]", "languages: [es, de]"))
    assert cli("extract").exit_code == 0 and cli("update", "--lang", "es").exit_code == 0  # no German catalog
    gate = cli("status", "--lang", "de", "--fail-under", "0.5")
    assert gate.exit_code == 4 and "l10n: below 0.5%: de/appeal" in gate.stderr
    rows = json.loads(cli("status", "--format", "json").output)
    assert [(r["lang"], r["exists"], r["percent"]) for r in rows if r["lang"] == "de"] == [("de", False, 0.0)]
    assert "de,appeal,0.0," in cli("status", "--format", "csv").output
    build = cli("build", "--lang", "de", "--min-complete", "0.5")
    assert build.exit_code == 0 and "de/appeal: skipped (0.0% reviewed)" in build.output
    assert not (project / "dist" / "de").exists()


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf", "-1", "100.5"])
@pytest.mark.parametrize("command", [("status", "--fail-under"), ("build", "--min-complete"),
                                     ("run", "--min-complete")])
def test_item_14_a_threshold_that_is_no_percentage_is_a_usage_error(project, cli, command, value):
    result = cli(*command, value)
    assert result.exit_code == 2
    assert f"Invalid value for '{command[1]}'" in result.stderr
    assert not (project / "locales").exists()  # refused before any work


def test_item_14_status_html_takes_the_project_lock(project, cli):
    assert cli("extract").exit_code == 0
    (project / ".l10n").mkdir(exist_ok=True)
    with open(project / ".l10n" / "lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # another l10n process writing
        blocked = cli("status", "--format", "html")
        assert cli("status").exit_code == 0  # reading needs no lock
    assert blocked.exit_code == 6 and "another l10n process is writing this project" in blocked.stderr
    assert not (project / "dist" / "status.html").exists()
    assert cli("status", "--format", "html").exit_code == 0 and (project / "dist" / "status.html").is_file()


# -- item 15: display safety: bidi controls, autolinks --------------------------------------------------------------


@pytest.mark.parametrize("source, translation, found", [
    ("Azat Miftakhov", "Azat \u202eMiftakhov", ["U+202E RLO"]),
    ("Azat Miftakhov", "\u2066Azat\u2069 \u2067Mif\u2069takhov\u202a\u202c",
     ["U+202A LRE, U+202C PDF, U+2066 LRI, U+2067 RLI, U+2069 PDI ×2"]),
    ("\u2067عزت\u2069 Miftakhov", "\u2067عزت\u2069 Miftakhov", []),  # as the source has them
    ("\u2067عزت\u2069 Miftakhov", "\u2067عزت\u2069 \u2067Miftakhov\u2069", ["U+2067 RLI, U+2069 PDI"]),
    ("Azat Miftakhov", "عزت \u200fميفتاخوف", []),  # a right-to-left mark is no embedding or override
])
def test_item_15_bidi_controls_the_source_lacks_are_check_errors(source, translation, found):
    po = Catalog(path=Path("ar.po"), header=Entry(msgid="", msgstr="Content-Type: text/plain; charset=UTF-8\n"),
                 entries=[Entry(msgid=source, msgstr=translation, extracted_comments=["paragraph"])])
    issues = [i for i in check_catalog(po, "ar", "fr") if i.check == "bidi"]
    assert [i.severity for i in issues] == ["error"] * len(found)
    assert [i.message for i in issues] == [f"the translation contains bidirectional controls the source does "
                                           f"not have ({f}); remove them" for f in found]


def test_item_15_check_reports_a_trojan_source_translation(project, cli):
    assert cli("extract").exit_code == 0 and cli("update", "--lang", "es").exit_code == 0
    path = project / "locales" / "es" / "appeal.po"
    po = load(path)
    next(e for e in po.entries if e.msgid == "Paris, le 21 mai 2026").msgstr = "París, 21 de mayo\u202e 6202"
    atomic_write(path, dumps(po))
    result = cli("check", "--lang", "es")
    assert result.exit_code == 3
    assert ("error [bidi] the translation contains bidirectional controls the source does not have "
            "(U+202E RLO); remove them") in result.output


def _links(markdown: str) -> list[str]:
    return re.findall(r'<a href="([^"]*)"', cmarkgfm.github_flavored_markdown_to_html(markdown))


def _shown(markdown: str) -> str:
    return re.sub(r"<[^>]+>", "", cmarkgfm.github_flavored_markdown_to_html(markdown)).strip()


@pytest.mark.parametrize("translation", [
    "Voir https://evil.example/x?a=1_b et www.evil.example, HTTPS://EVIL.example (ftp://evil.example).",
    "(www.evil.example) *www.evil.example* _http://evil.example_ ~www.evil.example~",
])
def test_item_15_bare_urls_the_source_lacks_are_not_autolinked(translation):
    piece = Piece(translation, "reviewed", "es", "Voir le site du comité.")
    assert _links(translation)  # GitHub would link them as written
    out = render.md(piece)
    assert _links(out) == [] and _shown(out) == translation.replace("&", "&amp;")


def test_item_15_urls_of_the_source_stay_links():
    source = "Signez sur https://freeazat.example/appel ou www.freeazat.example."
    piece = Piece("Firmen en https://freeazat.example/appel o www.freeazat.example, no en https://evil.example.",
                  "reviewed", "es", source)
    out = render.md(piece)
    assert _links(out) == ["https://freeazat.example/appel", "http://www.freeazat.example"]
    assert _shown(out) == piece.text
    assert _links(render.md(Piece(source, "fallback", "fr", source))) == ["https://freeazat.example/appel",
                                                                        "http://www.freeazat.example"]


def test_item_15_built_markdown_has_no_link_the_source_lacks(project, cli):
    assert cli("extract").exit_code == 0 and cli("update", "--lang", "es").exit_code == 0
    path = project / "locales" / "es" / "appeal.po"
    po = load(path)
    for entry in po.entries:
        if not entry.obsolete and not entry.msgstr:
            entry.msgstr = f"{entry.msgid} — más en https://evil.example/{len(entry.msgid)} y www.evil.example"
    atomic_write(path, dumps(po))
    assert cli("build", "--lang", "es").exit_code == 0
    markdown = (project / "dist" / "es" / "appeal.md").read_text(encoding="utf-8")
    assert "https://evil.example/" in _shown(markdown) and _links(markdown) == []


def test_item_13_signatory_names_from_the_source_are_listed_escaped(project, cli):
    source = project / "source" / "appeal.fr.txt"
    source.write_text(source.read_text(encoding="utf-8").replace(
        "Central sindical e popular CONLUTAS", "Central sindical e popular CONLUTAS \x1b]0;owned\x07\x9b2J"),
        encoding="utf-8")
    for fmt in ("text", "csv", "json"):
        listed = cli("signatories", "list", "--format", fmt)
        assert listed.exit_code == 0 and _raw_controls(listed.output) == [], fmt
    assert "CONLUTAS \\x1b]0;owned\\x07\\x9b2J" in cli("signatories", "list").output


def test_item_08_default_folders_are_checked_like_configured_ones(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (tmp_path / "p").mkdir()
    (tmp_path / "p" / "dist").symlink_to(outside, target_is_directory=True)
    with pytest.raises(ConfigError, match=r"dist_dir 'dist' points outside the project"):
        parse_config(BASE_CONFIG, tmp_path / "p" / "l10n.yaml")
    config = parse_config({**BASE_CONFIG, "dist_dir": "public"}, tmp_path / "p" / "l10n.yaml")
    assert (config.locales_dir, config.dist_dir, config.cache_dir) == (Path("locales"), Path("public"), Path(".l10n"))


# Found by the outside tester's re-run (rt22): what a hostile but fair user can still do with export.

def _es_catalog_with(project, cli, text: str) -> Path:
    assert cli("extract").exit_code == 0 and cli("update", "--lang", "es").exit_code == 0
    path = project / "locales" / "es" / "appeal.po"
    po = load(path)
    entry = next(e for e in po.entries if not e.obsolete and not e.msgstr and "Depuis 2019" in e.msgid)
    entry.msgstr = text
    atomic_write(path, dumps(po))
    return path


@pytest.mark.slow  # the real entry point in a subprocess
def test_item_03_export_output_never_replaces_a_catalog(project, cli):
    path = _es_catalog_with(project, cli, "Desde 2019, traducción humana")
    before = path.read_bytes()
    for fmt, name in (("csv", "locales/es/appeal.po"), ("xlsx", "l10n.yaml"), ("xliff", "source/appeal.fr.txt")):
        result = l10n("export", "--format", fmt, "--lang", "es", "-o", name, cwd=project)
        assert result.returncode == 2, result.stderr
        assert one_line(result).endswith(f"{name}: --output for {fmt} must end in "
                                         + {"csv": ".csv", "xlsx": ".xlsx", "xliff": ".xlf or .xliff"}[fmt])
    assert path.read_bytes() == before
    assert cli("export", "--format", "xliff", "--lang", "es", "-o", "es.XLIFF").exit_code == 0


@pytest.mark.slow  # the real entry point in a subprocess
def test_item_13_a_control_character_xml_cannot_carry_is_one_line_naming_the_entry(project, cli):
    path = _es_catalog_with(project, cli, "Desde 2019 \x1b[31m roja")
    for fmt in ("xlsx", "xliff", "ods"):
        result = l10n("export", "--format", fmt, "--lang", "es", cwd=project)
        assert result.returncode == 1
        message = one_line(result)
        assert re.fullmatch(rf"l10n: error: {re.escape(str(path))}:\d+: the control character U\+001B cannot be "
                            rf"written to {fmt} .*", message), message
    before = path.read_bytes()  # csv carries it: an untouched csv imported back changes no byte
    assert cli("export", "--format", "csv", "--lang", "es").exit_code == 0
    assert cli("import", str(project / "dist" / "exchange" / "es.csv")).exit_code == 0
    assert path.read_bytes() == before


@pytest.mark.slow  # the real entry point in a subprocess
@pytest.mark.parametrize("extra, key", [("engines: [apertium, nosuch]", "engines"),
                                        ("engines_by_language: {es: [nosuch]}", "engines_by_language.es")])
def test_item_08_an_unknown_engine_name_is_a_configuration_error(project, extra, key):
    config_file = project / "l10n.yaml"
    config_file.write_text(config_file.read_text(encoding="utf-8") + f"\n{extra}\n", encoding="utf-8")
    result = l10n("status", cwd=project)  # status drafts nothing: the name is checked when the file is read
    assert result.returncode == 2
    assert one_line(result) == (f"l10n: error: {config_file}: {key} names an unknown engine 'nosuch' (known: "
                                "apertium, deepl, google, libre, llm, microsoft, mymemory, pseudo)")


@pytest.mark.slow  # the real entry point in a subprocess
def test_item_13_a_group_heading_with_a_control_character_never_reaches_the_source(project, cli):
    source = project / "source" / "appeal.fr.txt"
    before = source.read_bytes()
    for group in ("\x1b[31m", "Pays\x1b]0;owned\x07", "Groupe \u202eevil"):
        result = l10n("signatories", "add", "-g", group, "Organisation honnête", cwd=project)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert "\x1b" not in result.stderr + result.stdout and "\u202e" not in result.stderr + result.stdout
    assert source.read_bytes() == before
    assert cli("signatories", "add", "-g", "Groupe honnête", "Organisation honnête").exit_code == 0
    assert "Groupe honnête" in source.read_text(encoding="utf-8")
