"""Apertium, the offline default: installed pairs chained through pivot languages, one process per pair and batch.

How a batch goes through a chain such as fr→es→en:

* Every line of every text becomes one block of Apertium's stream format, `[sN]text.[]` ended by a NUL, and
  the whole batch goes through `apertium -z -f none <mode>`: one process per pair of the chain, whatever the
  batch size. The tool is its own deformatter: stream-format characters are backslash-escaped and `~`
  (post-generation's marker) is a superblank, as `apertium-destxt` does; the superblank `[sN]` comes out
  untouched, so outputs are aligned by id; `.[]` is the sentence end the deformatters add; null-flush mode makes
  every program finish a block before reading the next, so no text changes the translation of the next one
  (plain text lets them run into each other: fr→es→it, the appeal's "Depuis 2019" comes out "Da 2019" after
  the paragraph before it and "Dal 2019" on its own). The flushing costs a little more CPU than `apertium` on
  plain text; `-f html` (Transfuse) isolated paragraphs too, but cost much more and swallowed `~`.
* What must not be translated (keep terms, URLs, e-mail addresses, hashtags, @handles) is replaced by a
  placeholder word such as `Zq3kx` that no dictionary knows: Apertium treats it like an unknown proper noun,
  so the grammar around it stays sound (wrapping in `<code>` was tried: it hides the word from the tagger and
  breaks agreement and capitalisation, e.g. "… <code>FreeAzat</code> And his …"). Numbers are left in place,
  because Apertium needs them for dates ("le 21 mai" → "el 21 de mayo"), and verified afterwards.
* Apertium marks unknown words `*word`, untranslated ones `@word` and generation failures `#word`. Literal
  `*`, `#`, `@` of the source are swapped for private-use characters before the run, so every mark in the
  output is Apertium's: it is stripped and the word reported in `Translation.unknown`.
* ALL-CAPS segments (titles) are translated in sentence case and upper-cased back: the analysers do not
  know upper-case words.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import unicodedata
from collections import Counter, deque
from dataclasses import dataclass, field
from functools import cached_property

import langcodes

from ..matching import any_of
from .base import BatchResult, EngineUnavailable, Translation
from ..digest import sha256

ONLINE_ENGINES = "google, deepl, libre, mymemory, microsoft"

# Spans that must come out exactly as they went in, besides the glossary's keep terms.
_URL = r"(?:https?://|www\.)[^\s<>\"«»]+[^\s<>\"«».,;:!?)\]'’]"
_EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_TAG = r"(?<![\w&])[#@]\w+"  # hashtags and @handles
_PROTECTED = re.compile(f"{_URL}|{_EMAIL}|{_TAG}")

# Source characters that Apertium uses as marks, and the private-use characters that stand in for them.
_MARK_CHARS = {"*": "\ue000", "#": "\ue001", "@": "\ue002"}
_UNMARK = {v: k for k, v in _MARK_CHARS.items()}
_MARK = re.compile(r"[*#@]+((?:\w|[-'’.](?=\w))*)")
# Apertium's stream format: what the deformatter escapes, and one block of output (id, text, added sentence end).
_STREAM_SPECIAL = re.compile(r"[\[\]^$/\\@<>{}]")
_STREAM_UNFORMAT = re.compile(r"\\(.)|\[((?:\\.|[^\\\]])*)\]", re.DOTALL)
_BLOCK = re.compile(r"\s*\[s(\d+-\d+)\](.*?)\.?\[\]\s*", re.DOTALL)
_REGION = re.compile(r"^(?:[A-Z]{2}|\d{3})$")
_DIGITS = re.compile(r"\d+")
_SENTENCE_START = re.compile(r"(^|[.!?…]\s+)([^\w]*)(\w)")
_OPENER = re.compile(r"(^|[.!?…]\s+)(\S+)\s+[^\W\d_]")
_MARKED_OPENER = re.compile(r"(^|[.!?…]\s+)([*#@]+)(\S+?)(\s+)(\w+)")
_SPACES = re.compile(r"(?<=\S) {2,}(?=\S)")


@dataclass(frozen=True)
class _Mode:
    name: str
    source: str  # base language, BCP 47 ("fr")
    target: str  # BCP 47, with a region when the mode is a regional variant ("pt-BR")


@dataclass
class _Prepared:
    """A text ready for Apertium, and what is needed to turn the output back into the caller's text."""

    masked: str
    spans: dict[str, str]  # placeholder → original text
    shouting: bool
    lead: str
    trail: str
    unknown: list[str] = field(default_factory=list)


class ApertiumEngine:
    """Rule-based, offline, free: the first engine tried, and the only one needing no network or key."""

    name = "apertium"
    reports_unknown = True  # Translation.unknown lists every word it did not know: l10n/confidence.py

    def __init__(self, binary: str = "apertium", datadir: str | None = None, timeout: float = 300.0) -> None:
        self.binary = binary
        self.datadir = datadir
        self.timeout = timeout

    # -- discovery -------------------------------------------------------------------------------------------

    def _command(self, *args: str) -> list[str]:
        cmd = [self.binary]
        if self.datadir:
            cmd += ["-d", self.datadir]
        return cmd + list(args)

    @cached_property
    def _executable(self) -> str | None:
        return shutil.which(self.binary)

    @cached_property
    def _listing(self) -> tuple[list[str], str | None]:
        """`apertium -l`, run once per engine: (mode names, error)."""
        if self._executable is None:
            return [], "not installed"
        try:
            proc = subprocess.run(self._command("-l"), capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return [], f"`apertium -l` failed: {exc}"
        if proc.returncode != 0:
            return [], f"`apertium -l` failed: {proc.stderr.strip() or proc.returncode}"
        return [line.strip() for line in proc.stdout.splitlines() if line.strip()], None

    @cached_property
    def _modes(self) -> list[_Mode]:
        return [m for m in (_parse_mode(name) for name in self._listing[0]) if m is not None]

    def pairs(self) -> list[tuple[str, str]]:
        """Installed pairs as BCP 47 (source, target), for reports and `unavailable_reason`."""
        return sorted({(m.source, m.target) for m in self._modes})

    @cached_property
    def _version(self) -> str:
        if self._executable is not None:
            try:
                proc = subprocess.run(self._command("-V"), capture_output=True, text=True, timeout=30)
                return (proc.stdout.strip().split() or ["unknown"])[-1]
            except (OSError, subprocess.TimeoutExpired):
                pass
        return "unknown"

    def cache_key(self) -> str:
        """Apertium's version and the installed modes: a new pair or version changes the output."""
        digest = sha256("\n".join(sorted(self._listing[0])), 12)
        return f"apertium:{self._version}:{digest}"

    # -- routing ---------------------------------------------------------------------------------------------

    def _plan(self, source: str, target: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
        """(language chain, mode names): the fewest pairs, the exact regional variant preferred."""
        src, tgt_lang, tgt_tag = _lang(source), _lang(target), _tag(target)
        if src is None or tgt_lang is None or src == tgt_lang:
            return None
        edges: dict[str, list[_Mode]] = {}
        for mode in self._modes:
            edges.setdefault(mode.source, []).append(mode)
        # BFS over plain languages (regional variants are end points only), the target language excluded.
        previous: dict[str, _Mode | None] = {src: None}
        queue = deque([src])
        best: tuple[int, int, str, _Mode] | None = None
        depth = {src: 0}
        # Among chains of equal length, pivot through the best-connected language (Spanish on Debian): its pairs
        # are the most maintained, and drafts and back-translations then share one pivot.
        def hub_first(mode: _Mode) -> tuple[int, str]:
            return -len(edges.get(mode.target, [])), mode.name

        while queue:
            node = queue.popleft()
            for mode in sorted(edges.get(node, []), key=hub_first):
                mode_lang = mode.target.split("-")[0]
                if mode_lang == tgt_lang:
                    rank = 0 if mode.target == tgt_tag else 1 if mode.target == tgt_lang else 2
                    candidate = (depth[node] + 1, rank, node, mode)
                    if best is None or candidate[:2] < best[:2]:
                        best = candidate
                elif "-" not in mode.target and mode.target not in previous:
                    previous[mode.target] = mode
                    depth[mode.target] = depth[node] + 1
                    queue.append(mode.target)
        if best is None:
            return None
        modes = [best[3]]
        node = best[2]
        while (step := previous[node]) is not None:
            modes.append(step)
            node = step.source
        modes.reverse()
        chain = (source,) + tuple(m.target for m in modes[:-1]) + (target,)
        return chain, tuple(m.name for m in modes)

    def route(self, source: str, target: str) -> tuple[str, ...] | None:
        plan = self._plan(source, target)
        return plan[0] if plan else None

    def unavailable_reason(self, source: str, target: str) -> str:
        if self._executable is None:
            return (f"apertium is not installed (apt-get install apertium apertium-{_lang(source) or source}-"
                    f"{_lang(target) or target} …; `apt-cache search apertium-` lists the pairs)")
        error = self._listing[1]
        if error:
            return error
        if self._plan(source, target) is not None:
            return ""
        if _lang(source) == _lang(target):
            return f"{source} and {target} are the same language"
        installed = ", ".join(f"{s}→{t}" for s, t in self.pairs()) or "none"
        return (f"no Apertium pair or chain from {source} to {target} (installed: {installed}); "
                f"online engines ({ONLINE_ENGINES}) would enable it")

    # -- translation -----------------------------------------------------------------------------------------

    def translate(self, texts: list[str], source: str, target: str, keep: list[str] | None = None) -> BatchResult:
        """Run the whole batch through each pair of the chain, one process per pair.

        Each line of a text is its own unit: in HTML a newline is mere whitespace, so Apertium would otherwise
        reorder words across the lines of a list of names.
        """
        plan = self._plan(source, target)
        if plan is None:
            raise EngineUnavailable(self.unavailable_reason(source, target))
        chain, modes = plan
        result = BatchResult(results=[None] * len(texts))
        ph_pattern = _placeholder_prefix(texts)
        placeholder = re.compile(ph_pattern)
        keep_re = _keep_pattern(keep or [])
        units: dict[str, _Prepared] = {}
        layouts: dict[int, list[str]] = {}  # text index → alternating separators and unit ids
        for i, text in enumerate(texts):
            if not text.strip():
                result.errors[i] = "empty source text"
                continue
            layout = re.split(r"(\s*\n\s*)", text.strip())
            for j in range(0, len(layout), 2):
                uid = f"{i}-{j // 2}"
                units[uid] = _prepare(layout[j], keep_re, ph_pattern)
                layout[j] = uid
            layouts[i] = [text[: len(text) - len(text.lstrip())], *layout, text[len(text.rstrip()):]]
        current = {uid: u.masked for uid, u in units.items()}
        failed: dict[str, str] = {}
        for mode in modes:
            if not current:
                break
            outputs, error = self._run(mode, current)
            result.calls += 1
            for uid in list(current):
                if uid not in outputs:
                    failed[uid] = error or f"apertium {mode} returned no output for this text"
                    del current[uid]
                    continue
                clean, unknown = _strip_marks(current[uid], outputs[uid], placeholder)
                units[uid].unknown.extend(unknown)
                current[uid] = clean
        for i, layout in layouts.items():
            pieces: list[str] = []
            unknown: list[str] = []
            reason = ""
            for n, piece in enumerate(layout):
                if n % 2 == 0:  # leading whitespace, separators and trailing whitespace sit at even positions
                    pieces.append(piece)
                    continue
                if piece in failed:
                    reason = failed[piece]
                    break
                out, reason = _finish(current[piece], units[piece], placeholder)
                if out is None:
                    break
                pieces.append(out)
                unknown.extend(units[piece].unknown)
            else:
                text = "".join(pieces)
                if text != texts[i]:
                    result.results[i] = Translation(text, self.name, chain, tuple(dict.fromkeys(unknown)))
                    continue
                reason = "apertium returned the source unchanged"
            result.errors[i] = reason
        return result

    def _run(self, mode: str, texts: dict[str, str]) -> tuple[dict[str, str], str | None]:
        """One apertium process for all texts: (outputs by id, error for the texts it did not return)."""
        document = "".join(f"[s{i}]{_deformat(t)}.[]\0" for i, t in texts.items())
        try:
            # Its own process group: `apertium` is a shell script whose pipeline outlives it when it is killed.
            proc = subprocess.Popen(self._command("-z", "-f", "none", mode), stdin=subprocess.PIPE,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
                                    start_new_session=True)
        except OSError as exc:
            return {}, f"apertium {mode} could not start: {exc}"
        with proc:
            try:
                stdout, stderr = proc.communicate(document, timeout=self.timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):  # the whole group may have just exited
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.communicate()
                return {}, f"apertium {mode} timed out after {self.timeout:g}s"
        if proc.returncode != 0:
            return {}, f"apertium {mode} failed ({proc.returncode}): {stderr.strip()[:300]}"
        outputs = {}
        for block in stdout.split("\0"):
            if (match := _BLOCK.fullmatch(block)) and match.group(1) in texts:
                outputs[match.group(1)] = _unformat(match.group(2))
        return outputs, None


# -- helpers -----------------------------------------------------------------------------------------------------


def _deformat(text: str) -> str:
    """Text to Apertium's stream format, as apertium-destxt does: specials escaped, `~` a superblank."""
    return _STREAM_SPECIAL.sub(r"\\\g<0>", text).replace("~", "[~]")


def _swap(text: str, table: dict[str, str]) -> str:
    """Replace single characters; str.replace is many times faster than str.translate on non-ASCII text."""
    for old, new in table.items():
        if old in text:
            text = text.replace(old, new)
    return text


def _unformat(stream: str) -> str:
    """Apertium's stream format back to text: escapes and superblanks become what they stand for."""
    return _STREAM_UNFORMAT.sub(lambda m: m.group(1) or _unformat(m.group(2) or ""), stream)


def _lang(tag: str) -> str | None:
    """The base language of a tag ("pt-BR" → "pt", "fra" → "fr"), None for garbage."""
    try:
        return langcodes.Language.get(langcodes.standardize_tag(tag)).language
    except (ValueError, LookupError):
        return None


def _tag(tag: str) -> str:
    try:
        return langcodes.standardize_tag(tag)
    except (ValueError, LookupError):
        return tag


def _parse_mode(name: str) -> _Mode | None:
    """`fra-cat` → fr→ca, `es-pt_BR` → es→pt-BR; eco-, bytecode, dialect and orthography variants → None."""
    parts = name.split("-")
    if len(parts) != 2:
        return None
    sides = []
    for part in parts:
        code, _, variant = part.partition("_")
        lang = _lang(code)
        if lang is None or not langcodes.Language.get(lang).is_valid():
            return None
        if variant and not _REGION.match(variant):
            return None  # oci_gascon, cat_pre2017: not a region
        sides.append(f"{lang}-{variant}" if variant else lang)
    if "-" in sides[0] or sides[0] == sides[1].split("-")[0]:
        return None
    return _Mode(name, sides[0], sides[1])


def _placeholder_prefix(texts: list[str]) -> str:
    """A placeholder pattern no text of the batch contains: `[EZ]q\\d+kx` unless the batch uses it.

    Placeholders start with a vowel when the text they stand for does, so that elision still works
    ("liberazione d'Azat", not "di Azat").
    """
    for stem in ("q", "qz", "xq", "qxz", "zqqx"):
        pattern = rf"[EZ]{stem}\d+kx"
        if not any(re.search(pattern, t, re.IGNORECASE) for t in texts):
            return pattern
    raise EngineUnavailable("cannot find a placeholder absent from the batch")  # pragma: no cover


def _placeholder(pattern: str, n: int, original: str) -> str:
    base = unicodedata.normalize("NFD", original[:1].lower())[:1]
    return pattern.replace("[EZ]", "E" if base in "aeiouy" else "Z").replace("\\d+", str(n))


def _keep_pattern(keep: list[str]) -> re.Pattern[str] | None:
    terms = sorted({k for k in keep if k.strip()}, key=len, reverse=True)
    if not terms:
        return None
    return re.compile(any_of(terms), re.IGNORECASE)


def _prepare(text: str, keep_re: re.Pattern[str] | None, ph_pattern: str) -> _Prepared:
    core = text.strip()
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()):]
    spans = [(m.start(), m.end()) for m in keep_re.finditer(core)] if keep_re else []
    if "@" in core or "#" in core or "://" in core or "www." in core:  # what _PROTECTED needs, checked cheaply
        spans += [(m.start(), m.end()) for m in _PROTECTED.finditer(core)]
    chosen: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda s: (s[0], -s[1])):
        if not chosen or start >= chosen[-1][1]:
            chosen.append((start, end))
    pieces: list[str] = []
    originals: dict[str, str] = {}
    pos = 0
    for n, (start, end) in enumerate(chosen):
        pieces.append(core[pos:start])
        placeholder = _placeholder(ph_pattern, n, core[start:end])
        originals[placeholder] = core[start:end]
        pieces.append(placeholder)
        pos = end
    pieces.append(core[pos:])
    plain = "".join(p for p in pieces if p not in originals)
    # At least four cased letters, all upper case (no character is both upper and lower case): counted by
    # str methods mapped in C rather than a loop over every character of every text.
    shouting = not any(map(str.islower, plain)) and sum(map(str.isupper, plain)) >= 4
    if shouting:
        pieces = [p if p in originals else p.lower() for p in pieces]
    masked = "".join(pieces)
    if shouting:
        masked = _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2) + m.group(3).upper(), masked)
    masked = _swap(masked, _MARK_CHARS)
    return _Prepared(masked, originals, shouting, lead, trail)


def _strip_marks(before: str, after: str, placeholder: re.Pattern[str]) -> tuple[str, list[str]]:
    """Remove Apertium's `*`, `@`, `#` marks from one step's output; return the words they marked.

    Also undoes a quirk: after an unknown word opening a sentence, Apertium capitalises the next word
    ("*Azat Already has been"); it is lowered again when it was lower-case in the step's input.
    """
    if "*" not in after and "#" not in after and "@" not in after:
        return after, []
    openers: set[str] | None = None

    def lower_next(match: re.Match[str]) -> str:
        nonlocal openers
        if openers is None:
            openers = {m.group(2) for m in _OPENER.finditer(before) if before[m.end() - 1].islower()}
        word, following = match.group(3), match.group(5)
        if word in openers and following[:1].isupper() and following[1:].islower():
            following = following[0].lower() + following[1:]
        return match.group(1) + match.group(2) + word + match.group(4) + following

    after = _MARKED_OPENER.sub(lower_next, after)
    unknown: list[str] = []

    def strip(match: re.Match[str]) -> str:
        word = match.group(1)
        if word and not placeholder.fullmatch(word) and not word.isdigit():
            unknown.append(word)
        return word

    return _MARK.sub(strip, after), unknown


def _finish(output: str, prep: _Prepared, placeholder: re.Pattern[str]) -> tuple[str | None, str]:
    """Restore protected spans, case and spacing of one unit; None with a reason when the output is unusable."""
    if prep.spans:
        found = set(placeholder.findall(output))
        lost = [prep.spans[p] for p in prep.spans if p not in found]
        if lost:
            return None, f"apertium lost protected text: {', '.join(lost)}"
    numbers_in = _DIGITS.findall(placeholder.sub(" ", prep.masked) if prep.spans else prep.masked)
    numbers_out = _DIGITS.findall(placeholder.sub(" ", output) if prep.spans else output)
    if sorted(numbers_in) != sorted(numbers_out) and (missing := Counter(numbers_in) - Counter(numbers_out)):
        return None, f"apertium changed numbers: {', '.join(sorted(missing))}"
    output = _swap(output, _UNMARK).strip()
    # a dropped pronoun leaves two spaces: "the situation is  aggravated"
    if "  " not in prep.masked and "  " in output:
        output = _SPACES.sub(" ", output)
    if prep.shouting:
        output = "".join(p if placeholder.fullmatch(p) else p.upper()
                         for p in re.split(f"({placeholder.pattern})", output))
        prep.unknown[:] = [w.upper() for w in prep.unknown]
    if prep.spans:
        output = placeholder.sub(lambda m: prep.spans[m.group(0)], output)
    if not output:
        return None, "apertium returned an empty text"
    return prep.lead + output + prep.trail, ""
