"""po-valid: the problems that make GNU msgfmt -c refuse a catalog, found natively so they are caught even where
gettext is not installed, plus an optional pass through msgfmt itself for anything the native checks miss."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from typing import Iterator

from ..po import Catalog, Entry
from ..po.model import declared_charset
from ..po.plural import PluralError, plural_forms
from .base import CATALOG, ERROR, CheckSettings, Finding, check, line_of, q


# ---------------------------------------------------------------------------------------------------- plurals

def plural_problem(header: str) -> tuple[int | None, str | None]:
    """(nplurals, problem) for a Plural-Forms value, parsed by the loader's parser (po.plural); msgfmt evaluates
    n = 0…1000 and so do we."""
    try:
        nplurals, function = plural_forms(header)
    except PluralError as exc:
        return None, f"invalid plural rule {q(header)} ({exc}); fix the Plural-Forms header"
    for n in range(1001):
        try:
            value = function(n)
        except ZeroDivisionError:
            return nplurals, f"the plural expression in {q(header)} can divide by zero; fix it"
        if value >= nplurals:
            return nplurals, (f"nplurals = {nplurals} but the plural expression in {q(header)} can "
                              f"produce {value} (for n = {n}); make them agree")
    return nplurals, None


# ---------------------------------------------------------------------------------------------------- formats

_C_FORMAT = re.compile(r"%(?:(\d+)\$)?[-+ #0'I]*(?:\d+|\*(?:\d+\$)?)?(?:\.(?:\d+|\*(?:\d+\$)?))?"
                       r"(?:hh|h|ll|l|L|q|j|z|Z|t)?([diouxXeEfFgGaAcsSpnCm%])")
_PY_FORMAT = re.compile(r"%(?:\((\w+)\))?[-+ #0]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[hlL]?([diouxXeEfFgGcrsa%])")
_BRACE_FORMAT = re.compile(r"(?<!\{)\{(\w*)(?:[.\[][^{}]*)?(?:![rsa])?(?::[^{}]*)?\}(?!\})")
_CONVERSION_CLASS = {**dict.fromkeys("di", "d"), **dict.fromkeys("ouxX", "u"), **dict.fromkeys("eEfFgGaA", "f"),
                     **dict.fromkeys("sS", "s"), **dict.fromkeys("cC", "c")}


def _directives(kind: str, text: str) -> Counter[str]:
    """Directives keyed by argument (number or name) and conversion class, `%%` left out."""
    found: Counter[str] = Counter()
    if kind == "c-format":
        position = 0
        for match in _C_FORMAT.finditer(text):
            if match.group(2) == "%":
                continue
            position += 1
            argument = match.group(1) or str(position)
            found[f"{argument}:{_CONVERSION_CLASS.get(match.group(2), match.group(2))}"] += 1
    elif kind == "python-format":
        position = 0
        for match in _PY_FORMAT.finditer(text.replace("%%", "")):
            position += 1
            argument = match.group(1) or str(position)
            found[f"{argument}:{_CONVERSION_CLASS.get(match.group(2), match.group(2))}"] += 1
    elif kind == "python-brace-format":
        position = 0
        for match in _BRACE_FORMAT.finditer(text.replace("{{", "").replace("}}", "")):
            name = match.group(1)
            if not name:
                name, position = str(position), position + 1
            found[name] += 1
    return found


def _format_problem(entry: Entry) -> str | None:
    kinds = [f for f in ("c-format", "python-format", "python-brace-format") if f in entry.flags]
    for kind in kinds:
        pairs = [(entry.msgid, entry.msgstr)] if entry.msgid_plural is None else [
            (entry.msgid if n == 0 and len(entry.msgstr_plural) > 1 else entry.msgid_plural, text)
            for n, text in sorted(entry.msgstr_plural.items())]
        for source, target in pairs:
            if not target:
                continue
            wanted, got = _directives(kind, source), _directives(kind, target)
            plural = entry.msgid_plural is not None
            extra = got - wanted if plural else None
            if (plural and extra) or (not plural and wanted != got):
                shown = [m.group(0) for m in (_C_FORMAT if kind == "c-format" else _PY_FORMAT if
                                              kind == "python-format" else _BRACE_FORMAT).finditer(source)]
                return (f"the {kind} directives of the translation {q(target)} do not match the source's "
                        f"({', '.join(shown) or 'none'}); use the same placeholders")
    return None


# ---------------------------------------------------------------------------------------------------- the check


@check("po-valid", ERROR, CATALOG)
def po_valid(settings: CheckSettings, catalog: Catalog) -> Iterator[Finding]:
    """Catalog is valid for msgfmt -c

    gettext refuses to compile a catalog with a broken header (charset, Plural-Forms), duplicate messages, plural
    translations that do not match nplurals, a translation that does not begin and end with a newline like its
    source, or mismatched format directives: one such mistake stops the whole language from being published.
    Duplicate messages never reach this check: the loader refuses them, naming both lines."""
    header = catalog.header.msgstr
    if not header.strip():
        yield Finding(1, 'the catalog has no header entry (msgid ""); add one with Content-Type and Plural-Forms')
    content_type = catalog.header_field("Content-Type")
    charset = declared_charset(content_type)
    needs_charset = any(not s.isascii() for e in catalog.entries for s in (e.msgid, e.msgstr,
                                                                           *e.msgstr_plural.values()))
    if header.strip() and needs_charset and (not charset or charset.upper() == "CHARSET"):
        yield Finding(catalog.field_line("Content-Type"),
                      "the header declares no charset for non-ASCII text; set "
                      '"Content-Type: text/plain; charset=UTF-8"')
    plural_forms = catalog.header_field("Plural-Forms")
    nplurals: int | None = None
    has_plurals = any(e.msgid_plural is not None for e in catalog.active)
    if plural_forms is not None:
        nplurals, problem = plural_problem(plural_forms)
        if problem:
            yield Finding(catalog.field_line("Plural-Forms"), problem)
    elif has_plurals:
        yield Finding(catalog.header_line, "the catalog has plural messages but no Plural-Forms header; add "
                                         '"Plural-Forms: nplurals=N; plural=EXPRESSION;" for this language')
    for entry in catalog.active:
        line = line_of(entry)
        if entry.msgid_plural is not None and nplurals is not None and any(entry.msgstr_plural.values()) \
                and len(entry.msgstr_plural) != nplurals:
            yield Finding(line, f"the entry has {len(entry.msgstr_plural)} plural translations but the header says "
                                f"nplurals = {nplurals}; give exactly {nplurals} msgstr[] forms", entry)
        for source, target, name in _string_pairs(entry):
            for edge, test in (("begin", str.startswith), ("end", str.endswith)):
                if target and test(source, "\n") != test(target, "\n"):
                    yield Finding(line, f"'msgid' and '{name}' do not both {edge} with a newline (\\n); "
                                        f"make {q(target)} {edge} like the source", entry)
        problem = _format_problem(entry)
        if problem:
            yield Finding(line, problem, entry)


def _string_pairs(entry: Entry) -> Iterator[tuple[str, str, str]]:
    if entry.msgid_plural is None:
        yield entry.msgid, entry.msgstr, "msgstr"
        return
    for n, text in sorted(entry.msgstr_plural.items()):
        yield (entry.msgid if n == 0 else entry.msgid_plural), text, f"msgstr[{n}]"


# ---------------------------------------------------------------------------------------------------- msgfmt

_MSGFMT_LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?:\d+:)?\s*(?P<message>.*)$")


def msgfmt_available() -> bool:
    return shutil.which("msgfmt") is not None


MSGFMT_TIMEOUT = 60.0


def start_msgfmt(path: Path) -> subprocess.Popen[str] | None:
    """Start `msgfmt -c` on a file without waiting, so it runs on another core while the native checks run."""
    env = {**os.environ, "LC_ALL": "C", "LANGUAGE": ""}
    try:
        return subprocess.Popen(["msgfmt", "-c", "-o", os.devnull, str(path)], stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    except (OSError, subprocess.SubprocessError):
        return None


def finish_msgfmt(proc: subprocess.Popen[str] | None) -> list[tuple[int, str]]:
    """Wait for a started msgfmt and read its fatal errors as (line, message); warnings are left out since
    msgfmt still compiles."""
    if proc is None:
        return []
    try:
        _, stderr = proc.communicate(timeout=MSGFMT_TIMEOUT)
    except (OSError, subprocess.SubprocessError):
        cancel_msgfmt(proc)
        return []
    return _msgfmt_errors(proc.returncode, stderr)


def cancel_msgfmt(proc: subprocess.Popen[str] | None) -> None:
    """Stop a msgfmt whose verdict is not needed after all (the native checks already found the problems)."""
    if proc is None:
        return
    if proc.poll() is None:
        proc.kill()
    proc.communicate()


def _msgfmt_errors(returncode: int, stderr: str) -> list[tuple[int, str]]:
    if returncode == 0:
        return []
    found: list[tuple[int, str]] = []
    for raw in stderr.splitlines():
        match = _MSGFMT_LINE.match(raw)
        if not match:
            continue
        message = match.group("message").strip()
        if message.startswith("warning:") or message.startswith("...") and not found:
            continue
        if message.startswith("..."):  # a continuation such as "...this is the location of the first definition"
            line, previous = found[-1]
            found[-1] = (line, f"{previous.rstrip('.')} ({message.lstrip('.')} at line {match.group('line')})")
            continue
        found.append((int(match.group("line")), message))
    return found
