"""Reading l10n.yaml through a schema (l10n/schema.py) into dataclasses: one precise line per mistake, naming
its key path, and every path kept inside the project."""

from __future__ import annotations

from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, ClassVar

import yaml

from . import langs
from .engines import REGISTRY
from .errors import ConfigError
from .schema import (EXPECTED, PHRASE, UNKNOWN, WHOLE, Invalid, Key, OptionalText, Schema, build, choice, dump, fail,
                     is_number, is_texts, is_whole, key, mapping, nested, plain, section, texts, validate, value,
                     within)

if TYPE_CHECKING:
    from .engines.options import EngineSettings

CONFIG_NAME = "l10n.yaml"
SEGMENTATIONS = ("paragraph", "sentence")
GROUP_ORDERS = ("collation", "source")
#: where a signatory group stands: among the countries, sorted by its published name, or at the end in source order
GROUP_KINDS = ("country", "region", "last")
UNREVIEWED_POLICIES = ("banner", "skip")
SOURCE_FALLBACK_POLICIES = ("skip", "mark")
PAPERS = ("a4", "letter")


# -- values -----------------------------------------------------------------------------------------------------


def _tag(raw: Any) -> str:
    if not isinstance(raw, str):
        raise fail(EXPECTED, "expected a language code such as pt-BR")
    try:
        return langs.canonical(raw)
    except ValueError as exc:
        raise fail(EXPECTED, str(exc)) from None


def _tags(raw: Any) -> tuple[str, ...]:
    if not is_texts(raw):
        raise fail(PHRASE, "must be a list of strings")
    return tuple(dict.fromkeys(_tag(t) for t in texts(raw)))


def _control(text: str) -> str | None:
    """The first control or line-separator character of a path: such a name breaks the one-line references
    (`#: source/x.txt:3`) and messages that carry it, so it is refused rather than escaped."""
    for char in text:
        if char in "\u2028\u2029\x85" or ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0:
            return char
    return None


def _inside(raw: Any, context: dict[str, Any]) -> Path:
    """A configured path (text from the file, or a default Path) resolved against the project root; anything
    that escapes the project is refused."""
    if isinstance(raw, PurePath):
        raw = raw.as_posix()
    if not isinstance(raw, str) or not raw:
        raise fail(PHRASE, "must be a non-empty path string")
    char = _control(raw)
    if char is not None:
        raise fail(PHRASE, f"{raw!r} contains the control character U+{ord(char):04X}; rename the file")
    root = context.get("root")
    if root is None:  # a configuration built in code, not read from a file
        return Path(raw)
    resolved = (root / raw).resolve()
    if not resolved.is_relative_to(root):
        raise fail(PHRASE, f"{raw!r} points outside the project")
    return resolved.relative_to(root)


def _paths(raw: Any, context: dict[str, Any]) -> tuple[Path, ...]:
    if not is_texts(raw):
        raise fail(PHRASE, "must be a list of strings")
    return tuple(_inside(v, context) for v in texts(raw))


Tag = plain(_tag)
Tags = plain(_tags)
Names = value("must be a list of strings", is_texts, texts, PHRASE)
TerritoryCode = value("expected a territory code (ES, \"150\") or null",
                      lambda v: v is None or isinstance(v, str) or is_whole(v), lambda v: None if v is None else str(v))


# -- sections ---------------------------------------------------------------------------------------------------


@section
class GroupSpec(Schema):
    """What a declared group heading stands for: a territory code (ISO 3166 / UN M.49) or none, and where it is
    placed. Without a kind, a country code sorts with the countries and a region code or no code goes last (the
    shorthands `Etat espagnol: ES`, `Europe: "150"`, `Organisation internationale: null` keep their meaning)."""

    code: str | None = key(TerritoryCode)
    kind: str | None = key(choice(*GROUP_KINDS))

    @classmethod
    def of(cls, value: GroupSpec | str | None) -> GroupSpec:
        return value if isinstance(value, GroupSpec) else cls(code=value)

    @property
    def placement(self) -> str:
        if self.kind is not None:
            return self.kind
        return "country" if self.code and self.code.isalpha() else "last"


def _group(raw: Any, context: dict[str, Any]) -> GroupSpec:
    """`ES`, `"150"`, `null`, or a mapping `{code: "150"}`, `{kind: region}`, `{code: ES, kind: last}`."""
    if raw is None or isinstance(raw, str) or is_whole(raw):
        return GroupSpec(code=None if raw is None else str(raw))
    if isinstance(raw, dict):
        return build(GroupSpec, raw, context)
    raise fail(PHRASE, "must be a territory code, null, or a mapping with code and kind")


@section
class SignatoriesConfig(Schema):
    """`signatories:` how the signatory list is recognised (its heading) and ordered."""

    heading: str | None = key(OptionalText)
    order: str = key(choice(*GROUP_ORDERS), "collation")
    #: group heading → GroupSpec (a bare code or None is read as the shorthand for GroupSpec(code=code))
    groups: dict[str, GroupSpec] = key(mapping(Key, _group, "must map group headings to territory codes"), {})


@section
class MemoryConfig(Schema):
    """`memory:` translation memory: how close a match must be, and the compendia to search."""

    threshold: int = key(value("must be a whole number from 1 to 100", lambda v: is_whole(v) and 0 < v <= 100,
                               kind=PHRASE), 85)
    compendia: tuple[Path, ...] = key(_paths, ())


@section
class PdfConfig(Schema):
    """`publish.pdf:` the PDF's paper size."""

    paper: str = key(choice(*PAPERS), "a4")


@section
class TextConfig(Schema):
    """`publish.txt:` the plain-text page's line width."""

    #: columns to wrap plain text at; 0 keeps every paragraph on one line (for web forms and CMSs)
    wrap: int = key(value("must be a number of columns from 20 to 1000, or 0 not to wrap",
                          lambda v: is_whole(v) and (v == 0 or 20 <= v <= 1000), kind=PHRASE), 72)


@section
class PublishConfig(Schema):
    """`publish:` what may be published, and how unreviewed or untranslated text is shown."""

    min_reviewed: float = key(value("must be a percentage from 0 to 100", lambda v: is_number(v) and 0 <= v <= 100,
                                    float, PHRASE), 100.0)
    unreviewed: str = key(choice(*UNREVIEWED_POLICIES), "banner")
    #: a language whose title or body has passages with no target-language text: not published, or marked
    source_fallback: str = key(choice(*SOURCE_FALLBACK_POLICIES), "skip")
    pdf: PdfConfig = key(nested(PdfConfig), PdfConfig)
    txt: TextConfig = key(nested(TextConfig), TextConfig)


@section
class PretranslateConfig(Schema):
    """`pretranslate:` how much a machine draft must be trusted not to be counted as doubtful."""

    #: drafts less trusted than this are counted in the dashboard and status (`pretranslate --min-confidence`
    #: goes further and leaves them empty)
    min_confidence: float = key(value("must be a number from 0 to 1", lambda v: is_number(v) and 0 <= v <= 1, float,
                                      PHRASE), 0.9)


def _any_tag(raw: Any) -> str:
    return raw if raw == "*" else _tag(raw)


_word_map = mapping(plain(_any_tag), Names, "")


def _word_lists(raw: Any, context: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    """A list of words for every language ("*"), or lists per language: `{es: [electrocución]}`."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        if not is_texts(raw):
            raise fail(PHRASE, "must be a list of words, or map language codes to lists of words")
        raw = {"*": raw}
    return _word_map(raw, context)


@section
class SpellingConfig(Schema):
    """`checks.spelling:` the project's own words."""

    #: words right whatever the dictionaries say, by language ("*": every language)
    accept: dict[str, tuple[str, ...]] = key(_word_lists, {})


@section
class ChecksConfig(Schema):
    """`checks:` checks turned off, and the spelling check's word lists."""

    disable: tuple[str, ...] = key(Names, ())
    spelling: SpellingConfig = key(nested(SpellingConfig), SpellingConfig)


# -- engines: the options each accepts are checked by its schema (l10n/engines/options.py) ---------------------


def _engine_settings(raw: Any, context: dict[str, Any]) -> dict[str, EngineSettings]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise fail(PHRASE, "must map engine names to option mappings")
    # the engines' schemas (eight classes) and EngineSettings are created only for a project that sets engine
    # options, not by every command of every project
    from .engines.options import ENGINE_OPTIONS, EngineSettings

    out = {}
    for name, options in raw.items():
        schema = ENGINE_OPTIONS.get(name) if isinstance(name, str) else None
        if schema is None:
            raise Invalid(UNKNOWN, str(name), tuple(sorted(ENGINE_OPTIONS)))
        out[name] = EngineSettings(name, dump(within((name,), lambda: build(schema, options, context))))
    return out


def _engine_names(raw: Any) -> tuple[str, ...]:
    """Engine names are checked when the file is read, as a configuration error with its key, not when
    `pretranslate` first asks for the engine."""
    if not is_texts(raw):
        raise fail(PHRASE, "must be a list of strings")
    names = texts(raw)
    unknown = next((name for name in names if name not in REGISTRY), None)
    if unknown is not None:
        raise fail(PHRASE, f"names an unknown engine {unknown!r} (known: {', '.join(sorted(REGISTRY))})")
    return names


EngineNames = plain(_engine_names)


# -- the project ------------------------------------------------------------------------------------------------


@section
class Config(Schema):
    """l10n.yaml, validated. `root` (the project directory) and `path` (the file) are not keys of the file."""

    not_a_mapping: ClassVar[tuple[str, str]] = (WHOLE, "config must be a mapping of keys to values")

    root: Path
    path: Path
    source_language: str = key(Tag, required=True)
    documents: tuple[Path, ...] = key(_paths, required=True)
    languages: tuple[str, ...] = key(Tags, required=True)
    segmentation: str = key(choice(*SEGMENTATIONS), "paragraph")
    # defaults are checked too: a `dist` or `.l10n` linked out of the project is a configuration error
    locales_dir: Path = key(_inside, Path("locales"), check_default=True)
    dist_dir: Path = key(_inside, Path("dist"), check_default=True)
    cache_dir: Path = key(_inside, Path(".l10n"), check_default=True)
    signatories: SignatoriesConfig = key(nested(SignatoriesConfig), SignatoriesConfig)
    engines: tuple[str, ...] = key(EngineNames, ("apertium",))
    engines_by_language: dict[str, tuple[str, ...]] = key(
        mapping(Tag, EngineNames, "must map language codes to engine lists"), {})
    engine_settings: dict[str, EngineSettings] = key(_engine_settings, {})
    glossary: Path | None = key(_inside)
    memory: MemoryConfig = key(nested(MemoryConfig), MemoryConfig)
    checks: ChecksConfig = key(nested(ChecksConfig), ChecksConfig)
    publish: PublishConfig = key(nested(PublishConfig), PublishConfig)
    pretranslate: PretranslateConfig = key(nested(PretranslateConfig), PretranslateConfig)
    #: target language → the sibling language its drafts come from (`pivots: {uk: ru}`)
    pivots: dict[str, str] = key(mapping(Tag, Tag, "must map a target language to the language its drafts come from"),
                                 {})

    @classmethod
    def internal(cls, context: dict[str, Any]) -> dict[str, Any]:
        return {"root": context.get("root"), "path": context.get("path")}

    def consistent(self) -> None:
        if not self.documents:
            raise fail(WHOLE, "documents must name at least one source file")
        stems = [document_id(d) for d in self.documents]
        if len(set(stems)) != len(stems):
            raise fail(WHOLE, "two documents would share one catalog name")
        for doc, stem in zip(self.documents, stems):
            _check_document_id(doc, stem)
        if self.source_language in self.languages:
            raise fail(WHOLE, f"languages must not include the source language {self.source_language}")
        for target, pivot in self.pivots.items():
            if pivot == target or pivot not in self.languages or target not in self.languages:
                raise fail(WHOLE, f"pivots.{target}: {pivot} must be another of the project's languages")

    @property
    def checks_disabled(self) -> tuple[str, ...]:
        return self.checks.disable

    @property
    def spelling_accept(self) -> dict[str, tuple[str, ...]]:
        return self.checks.spelling.accept

    def accepted_words(self, lang: str) -> tuple[str, ...]:
        """The project's word list for one language's spelling checks."""
        return self.spelling_accept.get("*", ()) + self.spelling_accept.get(lang, ())

    def engines_for(self, lang: str) -> tuple[str, ...]:
        return self.engines_by_language.get(lang, self.engines)

    def select_languages(self, wanted: tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
        """Restrict to --lang values, which must be configured languages."""
        if not wanted:
            return self.languages
        chosen = []
        for tag in wanted:
            try:
                code = langs.canonical(tag)
            except ValueError as exc:
                raise ConfigError(str(exc)) from None
            if code not in self.languages:
                raise ConfigError(f"language {code} is not in the project (languages: {', '.join(self.languages)})",
                                  self.path)
            chosen.append(code)
        return tuple(chosen)


def read_yaml(path: Path, invalid: str, unreadable: str) -> Any:
    """A YAML file's data, or a ConfigError naming the file (and the line, for a syntax error): `invalid` and
    `unreadable` begin its message."""
    try:
        text = path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError) as exc:
        raise ConfigError(f"{unreadable}: {exc}", path) from None
    return _parse_yaml(text, path, invalid, unreadable)


def _parse_yaml(text: str, path: Path, invalid: str, unreadable: str) -> Any:
    """Parsed by libyaml when PyYAML was built with it (Debian's and the wheels are): the same documents and
    errors, several times faster than the pure-Python parser. The document is
    composed first (aliases there are shared nodes, nothing is expanded) and refused when its expansion would
    be too large or too deep (`_bounded`), before any Python object is built from it."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        problem = _bounded(node)
        if problem:
            raise ConfigError(f"{invalid}: {problem}", path, node.start_mark.line + 1)
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise ConfigError(f"{invalid}: {exc.problem}", path, mark.line + 1 if mark is not None else None) from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{unreadable}: {exc}", path) from None
    finally:
        loader.dispose()


#: what aliases may add to a document, in nodes (a "billion laughs" adds 10⁹ from a few hundred bytes)
_YAML_ALIASED_NODES = 100_000
#: how deep collections may nest (a configuration needs a handful of levels)
_YAML_DEPTH = 100


def _bounded(root: Any) -> str:
    """Why a composed document is refused, or "": the number of nodes it stands for once aliases are expanded,
    counted without expanding them (each distinct node once, its expanded size remembered), and its depth.
    Iterative, so a deep document cannot exhaust the stack; a node inside its own anchor counts once."""
    size: dict[int, int] = {}
    distinct = 0
    stack: list[tuple[Any, int, bool]] = [(root, 1, False)]
    on_path: set[int] = set()
    while stack:
        node, depth, done = stack.pop()
        key = id(node)
        if done:
            on_path.discard(key)
            size[key] = 1 + sum(size.get(id(c), 1) for c in _children(node))
            continue
        if key in size or key in on_path:
            continue
        if depth > _YAML_DEPTH:
            return f"nested more than {_YAML_DEPTH} levels deep"
        distinct += 1
        on_path.add(key)
        stack.append((node, depth, True))
        stack.extend((child, depth + 1, False) for child in _children(node))
    if size[id(root)] - distinct > _YAML_ALIASED_NODES:
        return (f"aliases expand to {size[id(root)]:,} values, more than {_YAML_ALIASED_NODES:,} beyond the "
                f"{distinct:,} written (a YAML alias bomb?)")
    return ""


def _children(node: Any) -> list[Any]:
    value = node.value
    if not isinstance(value, list):
        return []  # a scalar
    if value and isinstance(value[0], tuple):  # a mapping: (key, value) pairs
        return [part for pair in value for part in pair]
    return value


def find_config(explicit: Path | None = None, cwd: Path | None = None) -> Path:
    """The explicit path, or the nearest l10n.yaml in the current directory or above it, as git finds its
    repository: a command run from `locales/es/` works on its project."""
    if explicit is not None:
        if not explicit.is_file():
            raise ConfigError("no project config found (create l10n.yaml or pass --config PATH)", explicit)
        return explicit
    start = cwd or Path.cwd()
    for folder in (start, *start.absolute().parents):
        if (folder / CONFIG_NAME).is_file():
            return folder / CONFIG_NAME
    raise ConfigError("no project config found (create l10n.yaml or pass --config PATH)", start / CONFIG_NAME)


def load_config(explicit: Path | None = None, cwd: Path | None = None) -> Config:
    path = find_config(explicit, cwd).resolve()
    config = parse_config(read_yaml(path, "invalid YAML", "cannot read config"), path)
    check_paths_exist(config)
    return config


def parse_config(raw: Any, path: Path) -> Config:
    """Validate the parsed YAML; every problem names the key and the file."""
    return validate(Config, raw, path, CONFIG_NAME, {"root": path.parent, "path": path})


def check_paths_exist(config: Config) -> None:
    """A configured file that is not there is a mistake (a typo in `glossary: glosary.yaml` would otherwise
    leave the terms silently unapplied): name the key and the path. A compendium with `{lang}` in its path
    must exist for at least one language (languages without one simply have no compendium)."""
    named = [("documents", d) for d in config.documents] + [("memory.compendia", c) for c in config.memory.compendia]
    named += [("glossary", config.glossary)] if config.glossary is not None else []
    for key, configured in named:
        text = configured.as_posix()
        candidates = [text.replace("{lang}", lang) for lang in config.languages] if "{lang}" in text else [text]
        if not any((config.root / c).is_file() for c in candidates):
            raise ConfigError(f"{key}: {text} does not exist", config.path)


FURNITURE_ID = "furniture"
#: catalog names l10n itself uses in locales/<lang>/: a document named so would take their place
RESERVED_IDS = frozenset({FURNITURE_ID})


def _check_document_id(doc: Path, stem: str) -> None:
    if not stem:
        raise fail(WHOLE, f"documents: {doc.as_posix()!r} has no name before its first dot, and would make the "
                          f"catalog locales/.pot")
    if stem.casefold() in RESERVED_IDS:
        raise fail(WHOLE, f"documents: {doc.as_posix()!r} would be catalogued as {stem}.po, the name of l10n's own "
                          f"catalog of page texts (locales/<lang>/furniture.po); rename the document")


def document_id(path: Path) -> str:
    """`source/appeal.fr.txt` → `appeal`: the catalog and output name of a document."""
    return path.name.split(".", 1)[0]
