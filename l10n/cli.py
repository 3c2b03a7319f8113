"""The command line: parse options, call one core function, print its report, choose the exit code (the codes
are defined in errors.py)."""

from __future__ import annotations

import contextlib
import errno
import functools
import gc
import math
import os
import sys
from pathlib import Path
from typing import Callable, Iterator

import click

from . import __version__, errors, fsguard
from .publish import FORMATS
from .config import Config, load_config
from .errors import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_QA, EXIT_THRESHOLD, L10nError
from .po import project_lock, remove_leftovers
from .terminal import printable


class Invocation:
    """One run of the command: the options given before the subcommand, and the project's configuration,
    read the first time a command asks for it (`--help` and usage errors never read it)."""

    def __init__(self, config_path: Path | None, debug: bool = False) -> None:
        self.config_path = config_path
        self.debug = debug
        self._config: Config | None = None

    @property
    def config(self) -> Config:
        if self._config is None:
            self._config = load_config(self.config_path)
            # from here on, the command writes only inside its project, whatever links it meets (fsguard)
            click.get_current_context().with_resource(fsguard.confined(self._config.root))
        return self._config

    def languages(self, wanted: tuple[str, ...]) -> tuple[str, ...]:
        return self.config.select_languages(wanted)


def _echo(message: str = "", err: bool = False, nl: bool = True, lines: bool = False, json: bool = False) -> None:
    """Every line l10n prints: catalogs, sources, configuration and engines' answers can hold escape sequences
    and other control characters, shown escaped (l10n/terminal.py). `lines`, `json`: see `printable`."""
    click.echo(printable(message, lines, json), err=err, nl=nl)


def _fail(exc: L10nError) -> None:
    _echo(f"l10n: error: {exc}", err=True)
    sys.exit(exc.exit_code)


def _system_error(exc: BaseException) -> L10nError | None:
    """What the file system or SQLite refused (read-only folder, disk full, permission denied, a folder where a
    file belongs or the reverse…) as an error naming the path, exit 1; None for anything else, a bug, which
    keeps its traceback. Writes are atomic, so such a failure leaves every file whole."""
    if isinstance(exc, OSError):
        if exc.filename is None:
            return L10nError(exc.strerror or str(exc))
        name = lambda f: os.fsdecode(f) if isinstance(f, (str, bytes, os.PathLike)) else str(f)  # noqa: E731
        where = name(exc.filename) + (f" -> {name(exc.filename2)}" if exc.filename2 is not None else "")
        return L10nError(exc.strerror or str(exc), where)
    sqlite3 = sys.modules.get("sqlite3")  # only a command that opened a database can meet its errors
    if sqlite3 is not None and isinstance(exc, sqlite3.Error):
        return L10nError(f"database error: {exc}")
    return None


def handles_errors(func: Callable) -> Callable:
    """The command line's one error boundary, around every command: an L10nError, or an OSError or sqlite3.Error
    (what the system refused), becomes one line on stderr and its exit code, never a traceback; `--debug` shows
    the traceback too. Ctrl-C is `l10n: interrupted`, exit 130, once the command has stopped its engines and
    released the lock (click would say "Aborted!", exit 1)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        previous, errors.warning_sink = errors.warning_sink, _warn
        try:
            return func(*args, **kwargs)
        except Exception as exc:
            if isinstance(exc, OSError) and exc.errno == errno.EPIPE:
                raise  # stdout closed by the reader (`l10n status | head`): click ends quietly
            error = exc if isinstance(exc, L10nError) else _system_error(exc)
            if error is None:
                raise
            if click.get_current_context().find_object(Invocation).debug:
                import traceback  # only asked for with --debug

                traceback.print_exc()
            _fail(error)
        except KeyboardInterrupt:
            _echo("l10n: interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)
        finally:
            errors.warning_sink = previous

    return wrapper


def _warn(message: str) -> None:
    _echo(f"l10n: warning: {message}", err=True)


def writes_project(func: Callable) -> Callable:
    """One writer at a time per project: a second l10n process stops with a clear message. The writer first
    removes the temporary files an interrupted one left (pofile.remove_leftovers)."""

    @functools.wraps(func)
    def wrapper(ctx: Invocation, *args, **kwargs):
        with _writing(ctx):
            return func(ctx, *args, **kwargs)

    return wrapper


@contextlib.contextmanager
def _writing(ctx: Invocation) -> Iterator[None]:
    """The project lock, for a command that writes (or only sometimes writes, as `status --format html`)."""
    config = ctx.config
    lock_dir = fsguard.inside(config.root / config.cache_dir)
    lock_dir.mkdir(parents=True, exist_ok=True)
    with project_lock(lock_dir / "lock"):
        for folder in (config.locales_dir, config.dist_dir, config.cache_dir):  # what a killed run left
            remove_leftovers(config.root / folder)
        _set_aside()
        yield


lang_option = click.option("--lang", "-l", "langs", multiple=True, metavar="CODE",
                           help="Restrict to this language (repeatable); default: all configured languages.")
allow_fuzzy_option = click.option("--allow-fuzzy", is_flag=True,
                                  help="Use unreviewed (fuzzy) translations instead of falling back to the source.")


class _Between(click.FloatRange):
    """A number from `low` to `high`: FloatRange lets NaN through (it compares false with both bounds)."""

    def __init__(self, low: float, high: float) -> None:
        super().__init__(low, high)

    def convert(self, value, param, ctx):  # noqa: ANN001, ANN201 (click's signature)
        number = super().convert(value, param, ctx)
        if math.isnan(number):
            self.fail(f"{value!r} is not a number from {self.min:g} to {self.max:g}", param, ctx)
        return number


min_complete_option = click.option("--min-complete", type=_Between(0, 100), metavar="PCT",
                                   help="Skip languages with less than PCT percent of words reviewed.")
engine_option = click.option("--engine", metavar="NAME", help="Use only this engine (e.g. apertium, pseudo).")
refresh_option = click.option("--refresh-machine", is_flag=True,
                              help="Redo drafts whose text is still exactly what an engine wrote.")


class _OneLineUsageError(click.UsageError):
    """click's usage error as l10n reports every error: one line, then where to find help."""

    def show(self, file=None) -> None:  # noqa: ANN001 (click's signature)
        _echo(f"l10n: error: {self.format_message()}", err=True)
        if self.ctx is not None and self.ctx.command.get_help_option(self.ctx) is not None:
            _echo(f"Try '{self.ctx.command_path} --help'.", err=True)


@contextlib.contextmanager
def _one_line_usage() -> Iterator[None]:
    try:
        yield
    except click.exceptions.NoArgsIsHelpError:
        raise  # a group called without a command shows its help
    except click.UsageError as exc:
        if isinstance(exc, _OneLineUsageError):
            raise
        raise _OneLineUsageError(exc.format_message(), exc.ctx) from None


class _Group(click.Group):
    """The l10n groups: usage errors (an unknown option, a bad value) are one line plus a hint."""

    def make_context(self, *args, **kwargs) -> click.Context:  # noqa: ANN002, ANN003
        with _one_line_usage():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: click.Context):  # noqa: ANN201
        with _one_line_usage():
            return super().invoke(ctx)


#: every path option and argument's type: click makes each Path type's name through gettext, so one is made for
#: all of them rather than one per command
_PATH = click.Path(path_type=Path)
_FILE = click.Path(path_type=Path, dir_okay=False)

_CONFIG_HELP = "Project config (default: the nearest l10n.yaml here or in a parent folder)."


def _config_after_command(click_ctx: click.Context, param: click.Parameter, value: Path | None) -> None:
    """`l10n status --config X` as `l10n --config X status`: the one given last wins."""
    if value is not None:
        click_ctx.find_object(Invocation).config_path = value


def _accept_config_everywhere(group: click.Group) -> None:
    """Every command takes `--config` after its name too, as users type it."""
    for command in group.commands.values():
        command.params.append(click.Option(["--config"], type=_PATH, metavar="PATH",
                                           expose_value=False, callback=_config_after_command, help=_CONFIG_HELP))
        if isinstance(command, click.Group):
            _accept_config_everywhere(command)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--config", "config_path", type=_PATH, metavar="PATH", help=_CONFIG_HELP)
@click.option("--debug", is_flag=True, help="Show the traceback behind an error message.")
@click.version_option(__version__)
@click.pass_context
def main(click_ctx: click.Context, config_path: Path | None, debug: bool) -> None:
    """Translate a document through gettext PO catalogs: extract, update, pretranslate, check, status, build."""
    click_ctx.obj = Invocation(config_path, debug)


pass_ctx = click.make_pass_decorator(Invocation)


def _paths(report_paths: list[Path], root: Path) -> str:
    return ", ".join(str(p.relative_to(root)) for p in report_paths)


def _echo_written(verb: str, written: list[Path], unchanged: list[Path], root: Path) -> None:
    if written:
        _echo(f"{verb} {len(written)} file(s): {_paths(written, root)}")
    if unchanged:
        _echo(f"{len(unchanged)} file(s) unchanged")


@main.command()
@pass_ctx
@handles_errors
@writes_project
def extract(ctx: Invocation) -> None:
    """Write locales/<doc>.pot from the source documents."""
    from .extract import extract as run

    report = run(ctx.config)
    for warning in report.warnings:
        _echo(f"l10n: warning: {warning}", err=True)
    _echo_written("wrote", report.written, report.unchanged, ctx.config.root)


@main.command()
@lang_option
@pass_ctx
@handles_errors
@writes_project
def update(ctx: Invocation, langs: tuple[str, ...]) -> None:
    """Create or merge locales/<lang>/<doc>.po from the templates (msgmerge --previous semantics)."""
    _update(ctx, ctx.languages(langs))


def _update(ctx: Invocation, languages: tuple[str, ...]) -> None:
    from .update import update as run

    report = run(ctx.config, languages)
    for name, c in report.counts.items():
        _echo(f"{name}: {c['kept']} kept, {c['fuzzy']} now fuzzy, {c['new']} new, {c['obsolete']} obsolete, "
              f"{c['terminology']} filled from CLDR/proper names")
    _echo_written("wrote", report.written, report.unchanged, ctx.config.root)


@main.command()
@lang_option
@engine_option
@refresh_option
@click.option("--min-confidence", type=_Between(0, 1), metavar="X",
              help="Leave an entry empty rather than write a draft whose confidence is below X (0-1).")
@pass_ctx
@handles_errors
@writes_project
def pretranslate(ctx: Invocation, langs: tuple[str, ...], engine: str | None, refresh_machine: bool,
                 min_confidence: float | None) -> None:
    """Fill empty entries with drafts: memory, glossary, reviewed sibling languages, then machine engines; all
    marked fuzzy, with their confidence."""
    _pretranslate(ctx, ctx.languages(langs), engine, refresh_machine, min_confidence)


@contextlib.contextmanager
def _progress(items: tuple[str, ...], label: str):
    """A progress bar on a terminal (click's); silent when stderr is a file or a pipe."""
    if not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=len(items), label=label, file=sys.stderr,
                           item_show_func=lambda item: item or "") as bar:
        yield lambda item: bar.update(1, item)


def _pretranslate(ctx: Invocation, languages: tuple[str, ...], engine: str | None, refresh: bool,
                  min_confidence: float | None = None) -> None:
    from .pretranslate import pretranslate as run

    with _progress(languages, "pre-translating") as progress:
        report = run(ctx.config, languages, engine, refresh, progress=progress, min_confidence=min_confidence)
    for lang in report.languages:
        filled = ", ".join(f"{n} from {src}" for src, n in sorted(lang.filled.items())) or "nothing filled"
        _echo(f"{lang.lang}: {filled}; {lang.empty} left empty")
        if lang.redrafted:
            _echo(f"  {lang.redrafted} untouched draft(s) redrafted from a reviewed sibling language")
        if lang.below_confidence:
            _echo(f"  {lang.below_confidence} left empty: no draft reached confidence {min_confidence:g}")
        for reason in dict.fromkeys(lang.reasons):
            _echo(f"  {reason}")


@main.command()
@lang_option
@allow_fuzzy_option
@min_complete_option
@click.option("--format", "formats", multiple=True, type=click.Choice(FORMATS),
              help="Write only this format (repeatable); default: all. dist/index.html goes with html.")
@pass_ctx
@handles_errors
@writes_project
def build(ctx: Invocation, langs: tuple[str, ...], allow_fuzzy: bool, min_complete: float | None,
          formats: tuple[str, ...]) -> None:
    """Reassemble dist/<lang>/<doc>.{txt,md,html,pdf,eml} and dist/index.html from the catalogs."""
    _build(ctx, ctx.languages(langs), allow_fuzzy, min_complete, formats or FORMATS)


def _build(ctx: Invocation, languages: tuple[str, ...], allow_fuzzy: bool, min_complete: float | None,
           formats: tuple[str, ...] = FORMATS) -> None:
    from .publish.publish import build as run

    report = run(ctx.config, languages, allow_fuzzy, min_complete, formats)
    for item in report.languages:
        if item.skipped:
            _echo(f"{item.lang}/{item.document}: skipped ({item.reason})")
        else:
            _echo(f"{item.lang}/{item.document}: {item.reviewed_percent:.1f}% reviewed, "
                  f"{item.unreviewed} unreviewed, {item.fallback} segment(s) fell back to the source")
    _echo(f"wrote {len(report.written)} file(s) in {ctx.config.dist_dir}")
    if report.removed:
        _echo(f"removed {len(report.removed)} stale file(s) in {ctx.config.dist_dir}")
    for path in report.kept:
        _warn(f"{path}: stale, but not removed: l10n did not write this file as it is now")


@main.command()
@lang_option
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "html"]), default="table",
              show_default=True, help="html writes the dashboard dist/status.html and its chart dist/status.svg.")
@click.option("--fail-under", type=_Between(0, 100), metavar="PCT",
              help=f"Exit {EXIT_THRESHOLD} when a language has less than PCT percent of words reviewed.")
@pass_ctx
@handles_errors
def status(ctx: Invocation, langs: tuple[str, ...], fmt: str, fail_under: float | None) -> None:
    """Per language and document: reviewed, machine drafts, fuzzy, untranslated; entries and words."""
    if fmt == "html":  # writes dist/status.html: under the project lock, as every writer
        with _writing(ctx):
            _status(ctx, ctx.languages(langs), fmt, fail_under)
    else:
        _status(ctx, ctx.languages(langs), fmt, fail_under)


def _status(ctx: Invocation, languages: tuple[str, ...], fmt: str = "table", fail_under: float | None = None,
            remember: bool = False) -> None:
    """`remember`: under the project lock, keep what status worked out in the memo (progress.status)."""
    from . import status as st

    if fmt == "html":
        from .dashboard import build_dashboard

        report = build_dashboard(ctx.config, languages)
        rows = report.status_rows
        _echo_written("wrote", report.written, report.unchanged, ctx.config.root)
        root = ctx.config.root
        _echo(f"dashboard: {_paths([report.html], root)}; chart: {_paths([report.svg], root)}")
    else:
        rows = st.status(ctx.config, languages, remember)
        _echo({"table": st.to_table, "json": st.to_json, "csv": st.to_csv}[fmt](rows), nl=False, lines=True,
              json=fmt == "json")
    if fail_under is not None:
        low = [r for r in rows if r.percent < fail_under]
        if low:
            _echo(f"l10n: below {fail_under:g}%: " + ", ".join(f"{r.lang}/{r.document}" for r in low), err=True)
            sys.exit(EXIT_THRESHOLD)


@main.command()
@lang_option
@engine_option
@pass_ctx
@handles_errors
@writes_project
def review(ctx: Invocation, langs: tuple[str, ...], engine: str | None) -> None:
    """Write dist/review/<lang>.html: source, translation, state, QA issues and a back-translation per segment."""
    from .review import build_reviews

    for report in build_reviews(ctx.config, ctx.languages(langs), engine):
        states = ", ".join(f"{n} {state}" for state, n in report.states.items())
        _echo(f"{report.lang}: {len(report.segments)} segment(s) ({states}); "
              f"{report.errors} error(s), {report.warnings} warning(s); "
              f"{report.back_translated} back-translated"
              + (f" ({report.same_engine_rows} by the engine that drafted them)" if report.same_engine_rows else ""))
        if report.unavailable:
            _echo(f"  {report.unavailable}")
        _echo(f"  {'wrote' if report.written else 'unchanged'} {report.path.relative_to(ctx.config.root)}")


@main.command()
@lang_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--summary", is_flag=True,
              help="Per language, how many translated texts have issues of each check, instead of the issues.")
@pass_ctx
@handles_errors
def check(ctx: Invocation, langs: tuple[str, ...], fmt: str, summary: bool) -> None:
    """Run quality checks on every catalog: `path:line: severity [check-id] message`; exit 3 on errors."""
    import json

    from .checks import check_project
    from .checks import summary as quality

    issues, rows = check_project(ctx.config, ctx.languages(langs), summary)
    if summary and fmt == "json":
        _echo(json.dumps([r.as_dict() for r in rows.values()], ensure_ascii=False, indent=2), lines=True, json=True)
    elif summary:
        from .checks.registry import CHECKS  # every check's column, in order

        _echo(quality.render_text(list(rows.values()), list(CHECKS)), lines=True)
    elif fmt == "json":  # what json.dumps(…, indent=2) prints for the list, an issue at a time (tens of MB)
        for n, issue in enumerate(issues):
            item = issue.as_json().replace("\n", "\n  ")
            _echo(("[\n  " if n == 0 else ",\n  ") + item, nl=False, lines=True, json=True)
        _echo("\n]" if issues else "[]", lines=True, json=True)
    else:
        for issue in issues:
            _echo(f"{issue.file}:{issue.line}: {issue.severity} [{issue.check}] {issue.message}")
    if fmt != "json":
        errors = sum(i.severity == "error" for i in issues)
        _echo(f"{len(issues)} issue(s), {errors} error(s)", err=True)
    if any(i.severity == "error" for i in issues):
        sys.exit(EXIT_QA)


@main.group(cls=_Group)
def signatories() -> None:
    """Grow and list the signatory list: add, import (CSV from a form), list."""


document_option = click.option("--document", type=_PATH, metavar="PATH",
                               help="The source document to add to, as l10n.yaml names it (default: the first).")
dry_run_option = click.option("--dry-run", is_flag=True, help="Print what would change; write nothing.")


@signatories.command("add")
@click.option("--group", "-g", required=True, metavar="GROUP",
              help="Group heading, or a country in any language CLDR knows, or an ISO code.")
@document_option
@dry_run_option
@click.argument("names", nargs=-1, required=True)
@pass_ctx
@handles_errors
@writes_project
def signatories_add(ctx: Invocation, group: str, document: Path | None, dry_run: bool, names: tuple[str, ...]) -> None:
    """Add organisations to a group of the source document (created at its place if new)."""
    from .signatories import add, sweep

    sweep(ctx.config, document)
    _intake_report(ctx, add(ctx.config, group, list(names), document, dry_run), dry_run)


@signatories.command("import")
@document_option
@dry_run_option
@click.argument("file", type=_FILE)
@pass_ctx
@handles_errors
@writes_project
def signatories_import(ctx: Invocation, document: Path | None, dry_run: bool, file: Path) -> None:
    """Merge a CSV of signatories (organisation, country; optional date, url, email, contact) into the source.
    E-mail and contact columns go to private/contacts.csv only. Exit 1 if a row was rejected."""
    from .signatories import import_file, sweep

    sweep(ctx.config, document)
    _intake_report(ctx, import_file(ctx.config, file, document, dry_run), dry_run)


def _intake_report(ctx: Invocation, report, dry_run: bool) -> None:
    for warning in report.warnings:
        _echo(f"l10n: warning: {warning}", err=True)
    would = "would add" if dry_run else "added"
    groups = f" ({len(report.new_groups)} new group(s): {', '.join(report.new_groups)})" if report.new_groups else ""
    _echo(f"{report.document}: {would} {len(report.added)} organisation(s){groups}")
    for item in report.added:
        _echo(f"  + {item.group}: {item.name}")
    if report.skipped:
        _echo(f"skipped {len(report.skipped)} duplicate(s):")
        for item in report.skipped:
            _echo(f"  {item.origin}: {item.name!r} {item.reason}")
    if report.contacts:
        kept = "would keep" if dry_run else "kept"
        _echo(f"{kept} the private columns of {report.contacts} row(s) in private/contacts.csv (git-ignored)")
    if report.written:
        _echo("run `l10n update` (or `l10n run`) to bring them to every catalog")
    for item in report.rejected:
        _echo(f"l10n: error: {item.origin}: {item.reason}", err=True)
    if report.rejected:
        _echo(f"rejected {len(report.rejected)} row(s)", err=True)
        sys.exit(EXIT_ERROR)


@signatories.command("list")
@click.option("--lang", "-l", "lang", metavar="CODE", help="As this language publishes it (default: the source).")
@allow_fuzzy_option
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "json"]), default="text", show_default=True)
@pass_ctx
@handles_errors
def signatories_list(ctx: Invocation, lang: str | None, allow_fuzzy: bool, fmt: str) -> None:
    """Groups and organisations in published order, with totals; the list's problems as warnings on stderr."""
    from . import signatories as stage
    from .checks.signatories import document_issues

    for issue in document_issues(ctx.config, ctx.config.checks_disabled):
        _echo(f"l10n: warning: {issue.file}:{issue.line}: {issue.message}", err=True)
    source = ctx.config.source_language
    chosen = ctx.languages((lang,))[0] if lang and lang not in (source, source.replace("-", "_")) else None
    listings = stage.listing(ctx.config, chosen, allow_fuzzy)
    _echo({"text": stage.to_text, "csv": stage.to_csv, "json": stage.to_json}[fmt](listings), nl=False, lines=True,
          json=fmt == "json")


@main.command()
@lang_option
@click.option("--format", "fmt", type=click.Choice(["text", "json", "md"]), default="text", show_default=True,
              help="json for scripts; md for a newsletter (new signatories under their localised group names).")
@pass_ctx
@handles_errors
def changes(ctx: Invocation, langs: tuple[str, ...], fmt: str) -> None:
    """What changed per language since its last publication (locales/<lang>/<doc>.published.json)."""
    from . import changes as stage

    found = stage.changes(ctx.config, ctx.languages(langs))
    _echo({"text": stage.to_text, "json": stage.to_json, "md": stage.to_markdown}[fmt](found), nl=False,
          lines=True, json=fmt == "json")


@main.command()
@lang_option
@engine_option
@allow_fuzzy_option
@min_complete_option
@pass_ctx
@handles_errors
@writes_project
def run(ctx: Invocation, langs: tuple[str, ...], engine: str | None, allow_fuzzy: bool,
        min_complete: float | None) -> None:
    """Extract, update, pretranslate, build and report status in one go."""
    from .extract import extract as do_extract

    languages = ctx.languages(langs)
    report = do_extract(ctx.config)
    for warning in report.warnings:
        _echo(f"l10n: warning: {warning}", err=True)
    _update(ctx, languages)
    _pretranslate(ctx, languages, engine, False)
    _build(ctx, languages, allow_fuzzy, min_complete)
    _status(ctx, languages, remember=True)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["xliff", "xlsx", "ods", "csv"]), required=True,
              help="xliff for CAT tools; xlsx, ods or csv for a spreadsheet.")
@click.option("--lang", "-l", "lang", required=True, metavar="CODE", help="The language to export.")
@click.option("--xliff-version", type=click.Choice(["2.0", "1.2"]), default="2.0", show_default=True,
              help="1.2 for tools that do not read XLIFF 2.0 yet.")
@click.option("--output", "-o", type=_PATH, metavar="PATH",
              help="Where to write (default: dist/exchange/<lang>.<xlf|xlsx|ods|csv>).")
@pass_ctx
@handles_errors
@writes_project
def export(ctx: Invocation, fmt: str, lang: str, xliff_version: str, output: Path | None) -> None:
    """Write one language's entries for a CAT tool (XLIFF) or a volunteer (spreadsheet); `l10n import` reads it back."""
    from .exchange import export as run

    (language,) = ctx.languages((lang,))
    path = run(ctx.config, language, fmt, output, xliff_version)
    _echo(f"wrote {os.path.relpath(path)}")


@main.command("import")
@click.argument("file", type=_FILE)
@pass_ctx
@handles_errors
@writes_project
def import_(ctx: Invocation, file: Path) -> None:
    """Merge an edited export back: edited rows as a translator's edits; rows whose source changed are reported."""
    from .exchange import import_file

    report = import_file(ctx.config, file)
    for where in report.rejected:
        _echo(f"l10n: warning: {where}", err=True)
    _echo(f"{report.lang}: {len(report.updated)} entr{'y' if len(report.updated) == 1 else 'ies'} updated, "
          f"{report.unchanged} unchanged, {len(report.rejected)} not merged")
    _echo_written("wrote", report.written, [], ctx.config.root)


_accept_config_everywhere(main)


def entry() -> None:
    """The `l10n` command. A command is one short process whose many small objects mostly live until it ends:
    the cyclic collector rescanned them over and over, a large share of `update` on a big project
    (bench/README.md). Reference counting frees what is dropped; the few cycles left go with the process.
    Tests calling `main` keep the GC."""
    gc.disable()
    _set_aside()
    main()


def _set_aside() -> None:
    """Without the cyclic collector (`entry`), move what exists now out of its sight (gc.freeze): the modules
    loaded so far and the configuration live as long as the process. Python still collects as it exits, and
    that last walk over every module's objects was a good part of a short command such as `extract`
    (bench/README.md, session 13). Done at start-up and again once a writing command holds the lock, its
    configuration read. Tests calling `main` keep the collector, and everything they make collectable."""
    if not gc.isenabled():
        gc.freeze()
