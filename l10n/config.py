"""Reading l10n.yaml into frozen dataclasses, with precise messages and every path kept inside the project."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import langs, usercache
from .errors import ConfigError

CONFIG_NAME = "l10n.yaml"
SEGMENTATIONS = ("paragraph", "sentence")
GROUP_ORDERS = ("collation", "source")
#: where a signatory group stands: among the countries, sorted by its published name, or at the end in source order
GROUP_KINDS = ("country", "region", "last")
UNREVIEWED_POLICIES = ("banner", "skip")
SOURCE_FALLBACK_POLICIES = ("skip", "mark")


@dataclass(frozen=True)
class GroupSpec:
    """What a declared group heading stands for: a territory code (ISO 3166 / UN M.49) or none, and where it is
    placed. Without a kind, a country code sorts with the countries and a region code or no code goes last (the
    shorthands `Etat espagnol: ES`, `Europe: "150"`, `Organisation internationale: null` keep their meaning)."""

    code: str | None = None
    kind: str | None = None

    @classmethod
    def of(cls, value: GroupSpec | str | None) -> GroupSpec:
        return value if isinstance(value, GroupSpec) else cls(code=value)

    @property
    def placement(self) -> str:
        if self.kind is not None:
            return self.kind
        return "country" if self.code and self.code.isalpha() else "last"


@dataclass(frozen=True)
class SignatoriesConfig:
    heading: str | None = None
    order: str = "collation"
    #: group heading → GroupSpec (a bare code or None is accepted as the shorthand for GroupSpec(code=code))
    groups: dict[str, GroupSpec | str | None] = field(default_factory=dict)


@dataclass(frozen=True)
class MemoryConfig:
    threshold: int = 85
    compendia: tuple[Path, ...] = ()


@dataclass(frozen=True)
class EngineSettings:
    """Per-engine options from config; secrets are named here as environment variables, never stored."""

    name: str
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PublishConfig:
    min_reviewed: float = 100.0
    unreviewed: str = "banner"
    #: a language whose title or body has passages with no target-language text: not published, or marked
    source_fallback: str = "skip"


@dataclass(frozen=True)
class PretranslateConfig:
    #: drafts less trusted than this are counted in the dashboard and status (`pretranslate --min-confidence`
    #: goes further and leaves them empty)
    min_confidence: float = 0.9


@dataclass(frozen=True)
class Config:
    root: Path
    path: Path
    source_language: str
    documents: tuple[Path, ...]
    languages: tuple[str, ...]
    segmentation: str = "paragraph"
    locales_dir: Path = Path("locales")
    dist_dir: Path = Path("dist")
    cache_dir: Path = Path(".l10n")
    signatories: SignatoriesConfig = SignatoriesConfig()
    engines: tuple[str, ...] = ("apertium",)
    engines_by_language: dict[str, tuple[str, ...]] = field(default_factory=dict)
    engine_settings: dict[str, EngineSettings] = field(default_factory=dict)
    glossary: Path | None = None
    memory: MemoryConfig = MemoryConfig()
    checks_disabled: tuple[str, ...] = ()
    # checks.spelling.accept: words right whatever the dictionaries say, by language ("*": every language)
    spelling_accept: dict[str, tuple[str, ...]] = field(default_factory=dict)
    publish: PublishConfig = PublishConfig()
    pretranslate: PretranslateConfig = PretranslateConfig()
    #: target language → the sibling language its drafts come from (`pivots: {uk: ru}`)
    pivots: dict[str, str] = field(default_factory=dict)

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


_TOP_KEYS = {
    "source_language", "documents", "languages", "segmentation", "locales_dir", "dist_dir", "cache_dir",
    "signatories", "engines", "engines_by_language", "engine_settings", "glossary", "memory", "checks", "publish",
    "pretranslate", "pivots",
}
_SECTION_KEYS = {
    "signatories": {"heading", "order", "groups"},
    "memory": {"threshold", "compendia"},
    "checks": {"disable", "spelling"},
    "publish": {"min_reviewed", "unreviewed", "source_fallback"},
    "pretranslate": {"min_confidence"},
}


YAML_CACHE = "yaml.json"
_YAML_KEPT = 32  # files (a project has two: l10n.yaml and its glossary)
_YAML_LARGEST = 65536  # characters: a larger file is parsed every time rather than read with every cached one


def read_yaml(path: Path, invalid: str, unreadable: str) -> Any:
    """A YAML file's data, or a ConfigError naming the file (and the line, for a syntax error): `invalid` and
    `unreadable` begin its message. What PyYAML made of a file's exact text is kept per user (usercache,
    `yaml.json`) when JSON holds it exactly: importing PyYAML costs more than a command on a small project
    (bench/README.md), and l10n.yaml and the glossary seldom change. Data JSON would alter (dates, binary, sets,
    keys that are not strings, NaN) is parsed every time."""
    try:
        text = path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError) as exc:
        raise ConfigError(f"{unreadable}: {exc}", path) from None
    answers = usercache.answers(YAML_CACHE, "yaml")
    key = str(path.absolute())
    known = answers.get("files", key)
    if isinstance(known, list) and len(known) == 2 and known[0] == text and isinstance(known[1], str):
        return json.loads(known[1])  # new objects every time: a caller may change what it gets
    data = _parse_yaml(text, path, invalid, unreadable)
    if len(text) <= _YAML_LARGEST:
        try:
            encoded = json.dumps(data)  # ASCII: lone surrogates (pure-Python PyYAML accepts them) are escaped
        except (TypeError, ValueError):  # a type JSON lacks, or a cycle (YAML aliases can make one)
            return data
        if json.loads(encoded) == data:
            answers.put("files", key, [text, encoded], limit=_YAML_KEPT)
    return data


def _parse_yaml(text: str, path: Path, invalid: str, unreadable: str) -> Any:
    """Parsed by libyaml when PyYAML was built with it (Debian's and the wheels are): the same documents and
    errors, about ten times faster than the pure-Python parser (2.3 -> 0.3 ms for l10n.yaml)."""
    import yaml

    try:
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise ConfigError(f"{invalid}: {exc.problem}", path, mark.line + 1 if mark is not None else None) from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{unreadable}: {exc}", path) from None


def find_config(explicit: Path | None = None, cwd: Path | None = None) -> Path:
    path = explicit if explicit is not None else (cwd or Path.cwd()) / CONFIG_NAME
    if not path.is_file():
        raise ConfigError("no project config found (create l10n.yaml or pass --config PATH)", path)
    return path


def load_config(explicit: Path | None = None, cwd: Path | None = None) -> Config:
    path = find_config(explicit, cwd).resolve()
    config = parse_config(read_yaml(path, "invalid YAML", "cannot read config"), path)
    check_paths_exist(config)
    return config


def _unknown(keys: set[str], allowed: set[str], where: str, path: Path) -> None:
    for key in sorted(map(str, keys - allowed)):
        import difflib  # only a config with a mistake needs it

        hint = difflib.get_close_matches(key, sorted(allowed), n=1)
        suggestion = f" (did you mean {hint[0]!r}?)" if hint else ""
        raise ConfigError(f"unknown key {key!r} in {where}{suggestion}", path)


def _tag(value: Any, where: str, path: Path) -> str:
    try:
        return langs.canonical(value)
    except ValueError as exc:
        raise ConfigError(f"{where}: {exc}", path) from None


def _inside(root: Path, value: Any, where: str, path: Path) -> Path:
    """Resolve a configured path and refuse anything that escapes the project."""
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{where} must be a non-empty path string", path)
    resolved = (root / value).resolve()
    if not resolved.is_relative_to(root):
        raise ConfigError(f"{where} {value!r} points outside the project", path)
    return resolved.relative_to(root)


def _choice(value: Any, choices: tuple[str, ...], where: str, path: Path) -> str:
    if value not in choices:
        raise ConfigError(f"{where} must be one of {', '.join(choices)}, not {value!r}", path)
    return value


def _str_list(value: Any, where: str, path: Path) -> list:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where} must be a list of strings", path)
    return value


def _section(raw: dict, name: str, path: Path) -> dict:
    section = raw.get(name) or {}
    if not isinstance(section, dict):
        raise ConfigError(f"{name} must be a mapping", path)
    _unknown(set(section), _SECTION_KEYS[name], name, path)
    return section


def _group_spec(value: Any, where: str, path: Path) -> GroupSpec:
    """`ES`, `"150"`, `null`, or a mapping `{code: "150"}`, `{kind: region}`, `{code: ES, kind: last}`."""
    if value is None or isinstance(value, (str, int)) and not isinstance(value, bool):
        return GroupSpec(code=None if value is None else str(value))
    if not isinstance(value, dict):
        raise ConfigError(f"{where} must be a territory code, null, or a mapping with code and kind", path)
    _unknown(set(value), {"code", "kind"}, where, path)
    code = value.get("code")
    if code is not None and (not isinstance(code, (str, int)) or isinstance(code, bool)):
        raise ConfigError(f"{where}.code must be a territory code such as ES or \"150\"", path)
    kind = value.get("kind")
    if kind is not None:
        _choice(kind, GROUP_KINDS, f"{where}.kind", path)
    return GroupSpec(code=None if code is None else str(code), kind=kind)


def parse_config(raw: Any, path: Path) -> Config:
    """Validate the parsed YAML; every problem names the key and the file."""
    if not isinstance(raw, dict):
        raise ConfigError("config must be a mapping of keys to values", path)
    root = path.parent
    _unknown(set(raw), _TOP_KEYS, "l10n.yaml", path)
    for key in ("source_language", "documents", "languages"):
        if key not in raw:
            raise ConfigError(f"missing required key {key!r}", path)
    source = _tag(raw["source_language"], "source_language", path)
    documents = tuple(_inside(root, d, "documents", path) for d in _str_list(raw["documents"], "documents", path))
    if not documents:
        raise ConfigError("documents must name at least one source file", path)
    stems = [document_id(d) for d in documents]
    if len(set(stems)) != len(stems):
        raise ConfigError("two documents would share one catalog name", path)
    languages = tuple(dict.fromkeys(_tag(t, "languages", path) for t in _str_list(raw["languages"], "languages", path)))
    if source in languages:
        raise ConfigError(f"languages must not include the source language {source}", path)

    sig = _section(raw, "signatories", path)
    groups = sig.get("groups") or {}
    if not isinstance(groups, dict):
        raise ConfigError("signatories.groups must map group headings to territory codes", path)
    signatories = SignatoriesConfig(
        heading=sig.get("heading"),
        order=_choice(sig.get("order", "collation"), GROUP_ORDERS, "signatories.order", path),
        groups={str(k): _group_spec(v, f"signatories.groups.{k}", path) for k, v in groups.items()},
    )

    mem = _section(raw, "memory", path)
    threshold = mem.get("threshold", 85)
    if not isinstance(threshold, int) or not 0 < threshold <= 100:
        raise ConfigError("memory.threshold must be a whole number from 1 to 100", path)
    memory = MemoryConfig(threshold, tuple(_inside(root, c, "memory.compendia", path)
                                           for c in _str_list(mem.get("compendia", []), "memory.compendia", path)))

    pub = _section(raw, "publish", path)
    min_reviewed = pub.get("min_reviewed", 100)
    if not isinstance(min_reviewed, (int, float)) or not 0 <= min_reviewed <= 100:
        raise ConfigError("publish.min_reviewed must be a percentage from 0 to 100", path)
    publish = PublishConfig(float(min_reviewed),
                            _choice(pub.get("unreviewed", "banner"), UNREVIEWED_POLICIES, "publish.unreviewed", path),
                            _choice(pub.get("source_fallback", "skip"), SOURCE_FALLBACK_POLICIES,
                                    "publish.source_fallback", path))

    pre = _section(raw, "pretranslate", path)
    min_confidence = pre.get("min_confidence", 0.9)
    if isinstance(min_confidence, bool) or not isinstance(min_confidence, (int, float)) \
            or not 0 <= min_confidence <= 1:
        raise ConfigError("pretranslate.min_confidence must be a number from 0 to 1", path)
    pivots_raw = raw.get("pivots") or {}
    if not isinstance(pivots_raw, dict):
        raise ConfigError("pivots must map a target language to the language its drafts come from", path)
    pivots = {_tag(k, "pivots", path): _tag(v, f"pivots.{k}", path) for k, v in pivots_raw.items()}
    for target, pivot in pivots.items():
        if pivot == target or pivot not in languages or target not in languages:
            raise ConfigError(f"pivots.{target}: {pivot} must be another of the project's languages", path)

    checks = _section(raw, "checks", path)
    spelling = checks.get("spelling") or {}
    if not isinstance(spelling, dict):
        raise ConfigError("checks.spelling must be a mapping", path)
    _unknown(set(spelling), {"accept"}, "checks.spelling", path)
    accept_raw = spelling.get("accept") or []
    if isinstance(accept_raw, dict):  # per language: {es: [electrocución]}
        accept = {_tag(k, "checks.spelling.accept", path): tuple(_str_list(v, f"checks.spelling.accept.{k}", path))
                  for k, v in accept_raw.items()}
    else:
        accept = {"*": tuple(_str_list(accept_raw, "checks.spelling.accept", path))}
    engines = tuple(_str_list(raw.get("engines", ["apertium"]), "engines", path))
    by_lang_raw = raw.get("engines_by_language") or {}
    if not isinstance(by_lang_raw, dict):
        raise ConfigError("engines_by_language must map language codes to engine lists", path)
    by_lang = {_tag(k, "engines_by_language", path): tuple(_str_list(v, f"engines_by_language.{k}", path))
               for k, v in by_lang_raw.items()}
    settings_raw = raw.get("engine_settings") or {}
    if not isinstance(settings_raw, dict) or not all(isinstance(v, dict) for v in settings_raw.values()):
        raise ConfigError("engine_settings must map engine names to option mappings", path)
    settings = {str(k): EngineSettings(str(k), dict(v)) for k, v in settings_raw.items()}

    glossary = raw.get("glossary")
    return Config(
        root=root,
        path=path,
        source_language=source,
        documents=documents,
        languages=languages,
        segmentation=_choice(raw.get("segmentation", "paragraph"), SEGMENTATIONS, "segmentation", path),
        locales_dir=_inside(root, raw.get("locales_dir", "locales"), "locales_dir", path),
        dist_dir=_inside(root, raw.get("dist_dir", "dist"), "dist_dir", path),
        cache_dir=_inside(root, raw.get("cache_dir", ".l10n"), "cache_dir", path),
        signatories=signatories,
        engines=engines,
        engines_by_language=by_lang,
        engine_settings=settings,
        glossary=_inside(root, glossary, "glossary", path) if glossary is not None else None,
        memory=memory,
        checks_disabled=tuple(_str_list(checks.get("disable", []), "checks.disable", path)),
        spelling_accept=accept,
        publish=publish,
        pretranslate=PretranslateConfig(float(min_confidence)),
        pivots=pivots,
    )


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


def document_id(path: Path) -> str:
    """`source/appeal.fr.txt` → `appeal`: the catalog and output name of a document."""
    return path.name.split(".", 1)[0]
