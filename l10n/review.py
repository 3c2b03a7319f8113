"""Review sheets: `dist/review/<lang>.html`, every segment side by side — the source, the current translation, its
state and provenance, its QA issues, and a back-translation into the source language — so that a coordinator who
reads only the source language can tell whether a draft says what the source says.

Back-translations come from the first engine with a route from the target language back to the source (Apertium
chains through a pivot: pt→es→fr, en→es→fr), one batch per language, through the same SQLite cache as
pre-translation, so a second run starts no engine. An engine that did not write a draft is preferred for its
back-translation: a rule-based engine run both ways undoes its own mistakes ("Gin, il 3 di febbraio" comes back
as "Genève, le 3 février"), so where the drafting engine is the only way back the row says so and marks the words
the engine did not know in either direction. An engine that is missing or fails never stops the sheet: the
column says why there is no back-translation. Entries whose source changed show the word diff against the
previous source."""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from . import langs, provenance
from . import po as pofile
from .po import Entry
from .checks.base import Issue
from .checks.registry import check_file
from .checks.base import ERROR, INFO, WARNING
from .checks.words import engine_unknown
from .config import Config, document_id
from .checks.summary import qa_counts
from .paths import REVIEW_DIR, review_href
from .templating import environment
from .engines.base import Translation
from .engines.cache import Cache
from .engines.pool import EnginePool
from .paths import po_path
from .glossary import Glossary, project_glossary
from .matching import any_of, contains
from .state import STATES, entry_state

#: Engines whose output says nothing about meaning; used for back-translation only when asked for by name.
NOT_FOR_BACK_TRANSLATION = ("pseudo",)
#: Tried after the configured engines: offline, free, and often the only one with the reverse pair.
FALLBACK_ENGINE = "apertium"


#: Said on every row whose draft went back through the engine that wrote it.
SAME_ENGINE = "same engine both ways: its mistakes can cancel out"


@dataclass(frozen=True)
class BackTranslation:
    """The back-translated text, or None with the reason in `note`; otherwise `note` names engine and chain."""

    text: str | None
    note: str
    cached: bool = False
    engine: str | None = None
    unknown: tuple[str, ...] = ()  # words the engine did not know on the way back


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """(operation, text) pieces from the previous source to the current one, word by word: "equal", "delete",
    "insert"; spaces travel with the words so that the pieces joined give either text back."""
    a, b = re.findall(r"\S+\s*", old), re.findall(r"\S+\s*", new)
    pieces: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            pieces.append(("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(("delete", "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(("insert", "".join(b[j1:j2])))
    return pieces


def marked(text: str, words: tuple[str, ...] | list[str]) -> list[tuple[str, bool]]:
    """A text cut into (piece, is one of `words`) so the sheet can highlight the words an engine did not know."""
    if not words:
        return [(text, False)]
    pattern = re.compile(any_of(set(words)))  # as the engine wrote them: case matters
    pieces: list[tuple[str, bool]] = []
    position = 0
    for match in pattern.finditer(text):
        if match.start() > position:
            pieces.append((text[position:match.start()], False))
        pieces.append((match.group(0), True))
        position = match.end()
    if position < len(text):
        pieces.append((text[position:], False))
    return pieces


@dataclass
class ReviewSegment:
    number: int
    document: str
    line: int  # of the msgid in the PO file, 0 when unknown
    role: str  # the extracted comment: title, paragraph, country…
    msgctxt: str | None
    source: str
    translation: str
    state: str
    provenance: provenance.Provenance | None
    notes: list[str]  # our other comments on the entry, such as the words an engine did not know
    issues: list[Issue]
    back: BackTranslation | None  # None: nothing to back-translate (untranslated)
    draft_engine: str | None = None  # the engine whose untouched draft the translation is
    unknown: tuple[str, ...] = ()  # words the drafting engine did not know, still in the translation
    previous_source: str | None = None  # the source before it changed (msgmerge's #| msgid)

    @property
    def same_engine(self) -> bool:
        """Back-translated by the engine that wrote the draft: agreement with the source proves little."""
        return self.draft_engine is not None and self.back is not None and self.back.engine == self.draft_engine

    @property
    def source_diff(self) -> list[tuple[str, str]]:
        return word_diff(self.previous_source, self.source) if self.previous_source is not None else []

    @property
    def marked_translation(self) -> list[tuple[str, bool]]:
        return marked(self.translation, self.unknown if self.same_engine else ())

    @property
    def marked_back(self) -> list[tuple[str, bool]]:
        text = self.back.text if self.back is not None and self.back.text is not None else ""
        return marked(text, self.back.unknown if self.same_engine and self.back is not None else ())

    @property
    def shown_issues(self) -> list[Issue]:
        """Issues but the `unreviewed` info, which the state column already says."""
        return [i for i in self.issues if i.check != "unreviewed"]


@dataclass
class ReviewDocument:
    id: str
    path: str  # the PO file, relative to the project
    exists: bool


@dataclass
class ReviewReport:
    lang: str
    source_language: str
    path: Path
    written: bool = False
    documents: list[ReviewDocument] = field(default_factory=list)
    segments: list[ReviewSegment] = field(default_factory=list)
    catalog_issues: list[Issue] = field(default_factory=list)  # issues about no single entry (headers, files)
    engines_used: Counter = field(default_factory=Counter)  # "apertium pt>es>fr" → segments
    unavailable: str = ""  # why no engine could back-translate at all, when none could
    engine_calls: int = 0
    cached: int = 0
    min_confidence: float = 0.9  # pretranslate.min_confidence: drafts below it are marked doubtful

    @property
    def issues(self) -> list[Issue]:
        return self.catalog_issues + [i for s in self.segments for i in s.issues]

    @property
    def errors(self) -> int:
        return qa_counts(self.issues)[0]

    @property
    def warnings(self) -> int:
        return qa_counts(self.issues)[1]

    @property
    def states(self) -> dict[str, int]:
        found = Counter(s.state for s in self.segments)
        return {state: found[state] for state in STATES}

    @property
    def same_engine_rows(self) -> int:
        return sum(s.same_engine for s in self.segments)

    @property
    def back_translated(self) -> int:
        """Segments an engine back-translated (texts identical to the source are not counted)."""
        return sum(self.engines_used.values())


def _keep_terms(glossary: Glossary, lang: str) -> list[str]:
    """Names that must come back unchanged, in the spellings the target language uses (Азат Мифтахов)."""
    return sorted({form for term in glossary.keep for form in term.forms(lang) if form.strip()})


class BackTranslator:
    """Engines shared by every language of the run, through the pool pre-translation uses (same cache)."""

    def __init__(self, config: Config, cache: Cache, engine: str | None = None) -> None:
        self.config = config
        self.pool = EnginePool(config, cache)
        self.forced = engine

    def candidates(self, lang: str) -> tuple[str, ...]:
        if self.forced:
            return (self.forced,)
        names = [n for n in self.config.engines_for(lang) if n not in NOT_FOR_BACK_TRANSLATION]
        return tuple(dict.fromkeys(names + [FALLBACK_ENGINE]))

    def run(self, texts: list[str], lang: str, keep: list[str], report: ReviewReport,
            avoid: dict[str, str] | None = None) -> dict[str, BackTranslation]:
        """Back-translate distinct texts from `lang` into the source language; a text listed in `avoid` (text →
        the engine that drafted it) tries the other engines first and its own engine last."""
        candidates = self.candidates(lang)
        groups: dict[tuple[str, ...], list[str]] = {}  # engine order → texts: one batch per order
        for text in texts:
            drafted_by = (avoid or {}).get(text)
            order = tuple(n for n in candidates if n != drafted_by) + tuple(n for n in candidates if n == drafted_by)
            groups.setdefault(order, []).append(text)
        done: dict[str, BackTranslation] = {}
        unavailable = []
        for order, group in groups.items():
            backs, reason = self._run(group, lang, keep, report, list(order))
            done.update(backs)
            unavailable.append(reason)
        report.unavailable = unavailable[0] if unavailable and all(unavailable) else ""
        return done

    def _run(self, texts: list[str], lang: str, keep: list[str], report: ReviewReport,
             names: list[str]) -> tuple[dict[str, BackTranslation], str]:
        """Try each engine in turn for whatever the previous one could not do: (results, why no engine could
        back-translate any text at all, or "")."""
        source = self.config.source_language
        done: dict[str, BackTranslation] = {}
        failed: dict[str, str] = {}
        reasons: list[str] = []
        unavailable = ""
        for name in names:
            todo = [t for t in texts if t not in done]
            if not todo:
                break
            outcome = self.pool.translate(name, [(t, keep) for t in todo], lang, source, unchanged_is_answer=True)
            reasons += outcome.reasons
            report.engine_calls += outcome.calls
            report.cached += len(outcome.from_cache)
            for i, result in outcome.results.items():
                done[todo[i]] = BackTranslation(result.text, _describe(result), i in outcome.from_cache,
                                                result.engine, result.unknown)
            for i, error in outcome.errors.items():
                failed.setdefault(todo[i], error)
            if outcome.failed is not None:
                for text in todo:
                    failed.setdefault(text, f"{name} failed: {outcome.failed}")
        if not any(t in done or t in failed for t in texts) and texts:
            unavailable = (f"no engine can translate {lang}→{source} here: "
                           + ("; ".join(reasons) or "no engine configured"))
        for text in texts:
            if text not in done:
                done[text] = BackTranslation(None, failed.get(text) or unavailable
                                             or f"no engine can translate {lang}→{source} here")
        return done, unavailable


def _describe(result: Translation) -> str:
    return f"{result.engine} {'>'.join(result.chain)}"


def _role(entry: Entry) -> str:
    return " ".join(c.strip() for c in entry.extracted_comments if c.strip())


UNKNOWN_WORDS = "unknown words: "


def _notes(entry: Entry) -> list[str]:
    """Our comments besides the provenance line, e.g. `unknown words: …` left by an engine; of those words only
    the ones still in the translation (a translator who fixed them fixed them)."""
    ours = [c[len(provenance.PREFIX):] for c in entry.translator_comments if c.startswith(provenance.PREFIX)]
    notes = ours[1:] if provenance.parse(entry.translator_comments) is not None else ours
    kept = []
    for note in notes:
        if note.startswith(UNKNOWN_WORDS):
            left = [w for w in note[len(UNKNOWN_WORDS):].split(", ")
                    if w and contains(entry.translation, w, case=True)]
            note = UNKNOWN_WORDS + ", ".join(left) if left else ""
        if note:
            kept.append(note)
    return kept


def _provenance(entry: Entry) -> provenance.Provenance | None:
    """Where the text came from, as the reviewer should read it: a draft a translator changed is human work."""
    origin = provenance.parse(entry.translator_comments)
    if origin is None or not origin.digest or origin.matches(entry.translation):
        return origin
    detail = f" ({origin.detail})" if origin.detail else ""
    return provenance.Provenance("human", f"edited after a {origin.origin} text{detail}")


def _draft_engine(entry: Entry) -> str | None:
    """The engine that wrote the translation, while it is still exactly its draft (an edited draft is human work)."""
    origin = provenance.parse(entry.translator_comments)
    if origin is None or origin.origin != provenance.MACHINE or not origin.matches(entry.translation):
        return None
    return origin.detail.split()[0] if origin.detail else None


def _still_unknown(entry: Entry) -> tuple[str, ...]:
    """Words the drafting engine did not know that are still in the translation."""
    return tuple(w for w in engine_unknown(entry) if contains(entry.translation, w, case=True))


def _issue_key(issue: Issue) -> tuple[str | None, str]:
    return (issue.msgctxt, issue.msgid)


def collect(config: Config, lang: str, glossary: Glossary, translator: BackTranslator) -> ReviewReport:
    """Segments of every document in catalog order, with their issues and back-translations (not yet rendered)."""
    dist = config.root / config.dist_dir
    report = ReviewReport(lang, config.source_language, dist / review_href(lang),
                          min_confidence=config.pretranslate.min_confidence)
    number = 0
    for doc in config.documents:
        path = po_path(config, lang, doc)
        shown = str(path.relative_to(config.root))
        po = pofile.load_or_none(path)
        report.documents.append(ReviewDocument(document_id(doc), shown, po is not None))
        if po is None:
            continue
        issues = check_file(path, lang, config.source_language, glossary, config.checks_disabled,
                            config.accepted_words(lang))
        by_entry: dict[tuple[str | None, str], list[Issue]] = {}
        keys = {e.key for e in po.active}
        for issue in issues:
            issue = dataclasses.replace(issue, file=shown)
            if issue.msgid and _issue_key(issue) in keys:
                by_entry.setdefault(_issue_key(issue), []).append(issue)
            else:
                report.catalog_issues.append(issue)
        for entry in po.active:
            number += 1
            entry_issues = by_entry.get(entry.key, [])
            report.segments.append(ReviewSegment(
                number, document_id(doc), min((i.line for i in entry_issues), default=entry.line), _role(entry),
                entry.msgctxt, entry.msgid, entry.translation, entry_state(entry),
                _provenance(entry), _notes(entry), entry_issues, None,
                _draft_engine(entry), _still_unknown(entry), entry.previous_msgid))
    texts = list(dict.fromkeys(s.translation for s in report.segments
                               if s.translation.strip() and s.translation != s.source))
    avoid = {s.translation: s.draft_engine for s in report.segments if s.draft_engine}
    backs = translator.run(texts, lang, _keep_terms(glossary, lang), report, avoid) if texts else {}
    for segment in report.segments:
        if not segment.translation.strip():
            continue
        if segment.translation == segment.source:
            segment.back = BackTranslation(segment.source, "same text as the source")
            continue
        segment.back = backs[segment.translation]
        if segment.back.text is not None:
            report.engines_used[segment.back.note] += 1
    return report


def render(report: ReviewReport) -> str:
    return environment().get_template("review.html.j2").render(
        r=report, lang=report.lang, dir=langs.direction(report.lang), name=langs.language_name(report.lang, "en"),
        source_dir=langs.direction(report.source_language),
        source_name=langs.language_name(report.source_language, "en"),
        severities=(ERROR, WARNING, INFO), dashboard_href="../status.html", same_engine_note=SAME_ENGINE)


def build_review(config: Config, lang: str, engine: str | None = None, *, glossary: Glossary | None = None,
                 translator: BackTranslator | None = None) -> ReviewReport:
    """Collect, render and write one language's sheet; engines and cache are opened here unless given."""
    glossary = glossary if glossary is not None else project_glossary(config)
    if translator is None:
        with Cache(config.root / config.cache_dir / "cache.sqlite") as cache:
            return build_review(config, lang, engine, glossary=glossary,
                                translator=BackTranslator(config, cache, engine))
    report = collect(config, lang, glossary, translator)
    report.written = pofile.write_if_changed(report.path, render(report))
    return report


def build_reviews(config: Config, languages: tuple[str, ...], engine: str | None = None) -> list[ReviewReport]:
    """Every language's sheet with one cache and one set of engines for the whole run."""
    glossary = project_glossary(config)
    with Cache(config.root / config.cache_dir / "cache.sqlite") as cache:
        translator = BackTranslator(config, cache, engine)
        return [build_review(config, lang, engine, glossary=glossary, translator=translator) for lang in languages]


__all__ = ["BackTranslation", "BackTranslator", "REVIEW_DIR", "ReviewReport", "ReviewSegment", "SAME_ENGINE",
           "build_review", "build_reviews", "collect", "marked", "render", "word_diff"]
