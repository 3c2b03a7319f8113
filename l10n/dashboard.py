"""The coordinator dashboard: `dist/status.html`, one self-contained page a coordinator opens to see per language
what is reviewed, what is machine output nobody has checked, what fails quality checks and when it last changed;
and `dist/status.svg`, the same bars as one image to paste into a chat or an e-mail.

Both are rendered from templates (no plotting dependency) with auto-escaping on: everything that comes from a
catalog, even a header, is untrusted text."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import langs
from . import po as pofile
from .checks.registry import CHECKS, check_file
from .checks import summary as quality
from .checks.summary import qa_counts
from .config import Config
from .glossary import project_glossary
from .state import STATE_LABELS, STATES
from .paths import review_href
from .progress import Row, status
from .templating import environment, printable

HTML_NAME, SVG_NAME = "status.html", "status.svg"

_PO_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(?::\d{2})?\s*([+-]\d{4}|Z)?$")


@dataclass(frozen=True)
class Bar:
    """One stacked-bar segment: a state, its words and its share of the row's words."""

    state: str
    words: int
    entries: int
    percent: float


@dataclass
class DashboardRow:
    """A status row with what the coordinator needs on top: QA counts, last change, the review sheet."""

    status: Row
    name: str  # the language's name in English, from CLDR
    autonym: str
    dir: str
    errors: int
    warnings: int
    last_change: str | None  # as shown: "2026-11-29 05:32 +0000"
    last_change_iso: str | None  # for <time datetime>
    review_href: str  # relative to dist/
    review_exists: bool
    quality: quality.QualityRow | None = None  # entries per check id, for the quality table

    @property
    def below_confidence(self) -> int:
        """Machine drafts less trusted than pretranslate.min_confidence."""
        return self.status.counts.below(self.status.min_confidence)

    @property
    def lang(self) -> str:
        return self.status.lang

    @property
    def document(self) -> str:
        return self.status.document

    @property
    def last_change_date(self) -> str:
        return printable((self.last_change or "").partition(" ")[0])

    @property
    def last_change_time(self) -> str:
        return printable((self.last_change or "").partition(" ")[2])

    @property
    def words_left(self) -> int:
        """Source words that need a translator and have no reviewed translation yet."""
        return self.status.counts.words_left

    @property
    def bars(self) -> list[Bar]:
        counts = self.status.counts
        total = counts.total_words
        return [Bar(s, counts.words[s], counts.entries[s], round(100.0 * counts.words[s] / total, 3) if total else 0.0)
                for s in STATES]

    def summary(self) -> str:
        """The bar as a sentence, for screen readers and the image's tooltips."""
        parts = [f"{b.words} words {STATE_LABELS[b.state]} ({b.percent:.1f} %)" for b in self.bars]
        return f"{self.name} ({self.lang}), {self.document}: " + ", ".join(parts)


@dataclass
class DashboardReport:
    rows: list[DashboardRow] = field(default_factory=list)
    html: Path | None = None
    svg: Path | None = None
    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)

    @property
    def status_rows(self) -> list[Row]:
        return [r.status for r in self.rows]


def last_change(header_value: str | None, path: Path) -> tuple[str | None, str | None]:
    """The newest of the PO-Revision-Date header and the file's modification time (an edit in a text editor
    moves only the latter): (shown, ISO 8601)."""
    found: list[dt.datetime] = []
    if header_value:
        match = _PO_DATE.match(header_value.strip())
        if match:
            date, time, zone = match.groups()
            offset = dt.timedelta(0) if zone in (None, "Z") else \
                (1 if zone[0] == "+" else -1) * dt.timedelta(hours=int(zone[1:3]), minutes=int(zone[3:]))
            try:
                found.append(dt.datetime.fromisoformat(f"{date}T{time}").replace(tzinfo=dt.timezone(offset)))
            except ValueError:
                pass
    try:
        found.append(dt.datetime.fromtimestamp(path.stat().st_mtime, dt.timezone.utc).replace(second=0,
                                                                                             microsecond=0))
    except OSError:
        pass
    if not found:
        return None, None
    newest = max(found)
    zone = newest.strftime("%z")
    iso_zone = "Z" if zone == "+0000" else f"{zone[:3]}:{zone[3:]}"
    return newest.strftime("%Y-%m-%d %H:%M ") + zone, newest.strftime("%Y-%m-%dT%H:%M") + iso_zone


def dashboard_rows(config: Config, languages: tuple[str, ...]) -> list[DashboardRow]:
    """`l10n.status` rows with QA counts from `l10n.checks` (project glossary and disabled checks applied)."""
    glossary = project_glossary(config)
    dist = config.root / config.dist_dir
    rows = []
    for row in status(config, languages):
        path = config.root / row.path
        errors = warnings = 0
        shown, iso = None, None
        counts = quality.QualityRow(row.lang)
        if row.exists:
            issues = check_file(path, row.lang, config.source_language, glossary, config.checks_disabled,
                                config.accepted_words(row.lang))
            errors, warnings = qa_counts(issues)
            shown, iso = last_change(row.last_change, path)
            quality.add(counts, pofile.load_or_none(path), issues)
        href = review_href(row.lang)
        rows.append(DashboardRow(row, langs.language_name(row.lang, "en"), langs.language_name(row.lang),
                                 langs.direction(row.lang), errors, warnings, shown, iso, href,
                                 (dist / href).is_file(), counts))
    return rows


def render_html(rows: list[DashboardRow], source_language: str) -> str:
    totals = {"words_left": sum(r.words_left for r in rows), "errors": sum(r.errors for r in rows),
              "warnings": sum(r.warnings for r in rows),
              "below_confidence": sum(r.below_confidence for r in rows),
              "min_confidence": rows[0].status.min_confidence if rows else 0.9}
    checks = quality.columns([r.quality for r in rows if r.quality is not None], list(CHECKS))
    return environment().get_template("dashboard.html.j2").render(
        rows=rows, totals=totals, source=langs.language_name(source_language, "en"), svg_href=SVG_NAME,
        checks=checks, check_titles={c: CHECKS[c].title for c in checks if c in CHECKS})


# Chart geometry (px): label column, bar, figures on the right.
_CHART = {"width": 880, "label": 190, "bar": 440, "row": 34, "bar_height": 22, "top": 78, "pad": 16}


def render_svg(rows: list[DashboardRow]) -> str:
    """Horizontal stacked bars per language and document, with a legend; numbers inside wide-enough segments."""
    g = _CHART
    chart_rows = []
    for n, row in enumerate(rows):
        x = float(g["label"])
        segments = []
        for bar in row.bars:
            width = g["bar"] * bar.percent / 100.0
            segments.append({"bar": bar, "x": round(x, 2), "width": round(width, 2),
                             "show": width >= 8 * len(str(bar.words)) + 6})
            x += width
        chart_rows.append({"row": row, "y": g["top"] + n * g["row"], "segments": segments})
    legend, x = [], float(g["pad"])
    for state in STATES:
        legend.append({"state": state, "x": x})
        x += 40 + 7.2 * len(STATE_LABELS[state])
    several_documents = len({r.document for r in rows}) > 1
    height = g["top"] + len(rows) * g["row"] + g["pad"]
    return environment().get_template("chart.svg.j2").render(rows=chart_rows, g=g, height=height, legend=legend,
                                                             several_documents=several_documents)


def build_dashboard(config: Config, languages: tuple[str, ...]) -> DashboardReport:
    """Write dist/status.html and dist/status.svg; the report carries the rows so the caller can apply thresholds."""
    report = DashboardReport(rows=dashboard_rows(config, languages))
    dist = config.root / config.dist_dir
    report.html, report.svg = dist / HTML_NAME, dist / SVG_NAME
    for path, text in ((report.html, render_html(report.rows, config.source_language)),
                       (report.svg, render_svg(report.rows))):
        (report.written if pofile.write_if_changed(path, text) else report.unchanged).append(path)
    return report


__all__ = ["Bar", "DashboardReport", "DashboardRow", "build_dashboard", "dashboard_rows", "last_change",
           "render_html", "render_svg"]
