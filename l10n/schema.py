"""What l10n.yaml and the glossary may contain, said once as dataclasses, and their errors as one line each.

A section is a `Schema` dataclass whose keys are declared with `key()`, naming the check a value must pass. A
check names what is expected in the user's words (`expected a number of seconds`), so that a wrong type anywhere
is an error naming its key path (`engine_settings.libre.timeout: expected a number of seconds`) rather than a
traceback later; unknown keys are refused with a "did you mean". Adding a key is one line in its section.

Every rule here was already the project's own (its words, its conversions); what a schema library added on top
was reading a mapping into a dataclass, which is `build()` below. pydantic did that at a start-up cost every
command paid, about half of a command on the appeal (bench/README.md, session 9), so the schema is
plain code."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from .errors import ConfigError

#: error kinds: `expected` reads "key: expected …", `phrase` reads "key must …" (the key is the subject), `whole`
#: is a complete message, `unknown` carries the key and the keys allowed, `missing` names a required key
EXPECTED, PHRASE, WHOLE, UNKNOWN, MISSING = "expected", "phrase", "whole", "unknown", "missing"

#: a check takes the value as read and the reading's context (the project root, for paths) and returns the
#: value to keep, or raises `Invalid`
Check = Callable[[Any, dict[str, Any]], Any]
S = TypeVar("S", bound="Schema")


class Invalid(ValueError):
    """One problem in a file's data; `loc` (the key path) grows as the error leaves nested mappings."""

    def __init__(self, kind: str, message: str, allowed: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.kind, self.message, self.allowed = kind, message, allowed
        self.loc: tuple[Any, ...] = ()

    def at(self, *parts: Any) -> Invalid:
        self.loc = (*parts, *self.loc)
        return self


def fail(kind: str, message: str) -> Invalid:
    """An error of one of the kinds above; `message` is final."""
    return Invalid(kind, message)


def within(loc: tuple[Any, ...], check: Callable[[], Any]) -> Any:
    """`check()`, its error placed under `loc`."""
    try:
        return check()
    except Invalid as exc:
        raise exc.at(*loc) from None


class Schema:
    """A mapping of l10n.yaml or the glossary. Subclasses are `@section`s; empty (`signatories:` with nothing
    under it) means all defaults. They show and compare themselves as dataclasses do, through the two methods
    below, written once for all of them (see `section`)."""

    not_a_mapping: ClassVar[tuple[str, str]] = (EXPECTED, "expected a mapping of keys to values")

    def __repr__(self) -> str:
        """The class and every field, as a dataclass shows itself (config_digest hashes it)."""
        shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in dataclasses.fields(self) if f.repr)
        return f"{type(self).__qualname__}({shown})"

    def __eq__(self, other: object) -> bool:
        """Field by field, for two sections of the same kind, as a dataclass compares."""
        if other.__class__ is not self.__class__:
            return NotImplemented
        compared = [f.name for f in dataclasses.fields(self) if f.compare]
        return tuple(getattr(self, n) for n in compared) == tuple(getattr(other, n) for n in compared)

    __hash__ = None  # mutable, like any dataclass that compares its fields

    @classmethod
    def internal(cls, context: dict[str, Any]) -> dict[str, Any]:
        """Fields that are not keys of the file, set by the program (the project root)."""
        return {}

    def consistent(self) -> None:
        """Rules across keys, checked once every key is valid."""


#: the decorator of every section: keys by name. Only `__init__` is compiled for each section, when its class is
#: created: not frozen, though nothing changes a configuration once read (a frozen dataclass has three more
#: methods), and `__repr__` and `__eq__` are Schema's. For the twenty sections, those generated methods were a
#: large share of what every command pays before its own work (bench/README.md, sessions 9 and 13).
section = dataclasses.dataclass(kw_only=True, repr=False, eq=False)


def key(check: Check, default: Any = None, *, required: bool = False, check_default: bool = False) -> Any:
    """A key of a section: its value passes `check`; when absent, `default` (itself checked if `check_default`:
    a default path must stay inside the project too)."""
    metadata = {"check": check, "check_default": check_default}
    if required:
        return dataclasses.field(metadata=metadata)
    if isinstance(default, (dict, list)) or isinstance(default, type):
        factory = default if isinstance(default, type) else (lambda d=default: type(d)(d))
        return dataclasses.field(default_factory=factory, metadata={**metadata, "raw_default": default})
    return dataclasses.field(default=default, metadata={**metadata, "raw_default": default})


def keys(schema: type[Schema]) -> list[dataclasses.Field]:
    return [f for f in dataclasses.fields(schema) if "check" in f.metadata]


def build(schema: type[S], raw: Any, context: dict[str, Any] | None = None) -> S:
    """`raw` (parsed YAML) as a `schema`, or the first problem in key order as `Invalid`."""
    context = context or {}
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise fail(*schema.not_a_mapping)
    declared = keys(schema)
    allowed = {f.name for f in declared}
    for name in raw:
        if not isinstance(name, str) or name not in allowed:
            raise Invalid(UNKNOWN, str(name), tuple(sorted(allowed)))
    values = schema.internal(context)
    for f in declared:
        check = f.metadata["check"]
        if f.name in raw:
            values[f.name] = within((f.name,), lambda: check(raw[f.name], context))
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise Invalid(MISSING, "").at(f.name)
        elif f.metadata["check_default"]:
            values[f.name] = within((f.name,), lambda: check(f.metadata["raw_default"], context))
    result = schema(**values)
    result.consistent()
    return result


def nested(schema: type[S]) -> Check:
    """A section inside a section."""
    return lambda raw, context: build(schema, raw, context)


def dump(section: Schema) -> dict[str, Any]:
    """The keys a file set (those not None), as a mapping: engine options handed to an engine."""
    return {f.name: getattr(section, f.name) for f in keys(type(section)) if getattr(section, f.name) is not None}


def validate(schema: type[S], raw: Any, path: Path, top: str, context: dict[str, Any] | None = None) -> S:
    """`raw` as a `schema`, or a ConfigError naming the file and the problem's key path."""
    try:
        return build(schema, raw, context)
    except Invalid as exc:
        raise ConfigError(message(exc, top), path) from None


# -- checks -----------------------------------------------------------------------------------------------------


def value(what: str, test: Callable[[Any], bool], convert: Callable[[Any], Any] | None = None,
          kind: str = EXPECTED) -> Check:
    """A value that passes `test` (then `convert`ed), else the error "<key>: <what>" (or "<key> <what>" for the
    PHRASE kind). Booleans are never numbers here: `true` is not a timeout."""

    def check(raw: Any, context: dict[str, Any]) -> Any:
        if not test(raw):
            raise fail(kind, what)
        return convert(raw) if convert is not None else raw

    return check


def choice(*options: str) -> Check:
    """One of `options`; the error quotes what was written."""

    def check(raw: Any, context: dict[str, Any]) -> Any:
        if not isinstance(raw, str) or raw not in options:
            raise fail(PHRASE, f"must be one of {', '.join(options)}, not {raw!r}")
        return raw

    return check


def mapping(keys_: Check, values: Check, what: str) -> Check:
    """A mapping whose keys pass `keys_` and values `values` (`what` completes "<key> …" when it is not a
    mapping); empty when the key has nothing under it. A key's error or its value's is placed under the key."""

    def check(raw: Any, context: dict[str, Any]) -> dict[Any, Any]:
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            raise fail(PHRASE, what)
        return {within((k,), lambda: keys_(k, context)): within((k,), lambda: values(v, context))
                for k, v in raw.items()}

    return check


def plain(convert: Callable[[Any], Any]) -> Check:
    """A check that cannot fail: `convert` alone (its own `fail`s still count)."""
    return lambda raw, context: convert(raw)


def is_number(raw: Any) -> bool:
    return isinstance(raw, (int, float)) and not isinstance(raw, bool) and math.isfinite(raw)


def is_whole(raw: Any) -> bool:
    return isinstance(raw, int) and not isinstance(raw, bool)


def is_text(raw: Any) -> bool:
    return isinstance(raw, str)


def is_texts(raw: Any) -> bool:
    """A list of strings, or one string standing for a list of one."""
    return isinstance(raw, str) or (isinstance(raw, list) and all(isinstance(v, str) for v in raw))


def texts(raw: Any) -> tuple[str, ...]:
    return (raw,) if isinstance(raw, str) else tuple(raw)


def is_text_map(raw: Any) -> bool:
    return isinstance(raw, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in raw.items())


# Common values, in the words of the error they give.
Text = value("expected text", is_text)
OptionalText = value("expected text", lambda v: v is None or is_text(v))
Flag = value("expected true or false", lambda v: isinstance(v, bool))
Seconds = value("expected a number of seconds", lambda v: is_number(v) and v > 0, float)
Delay = value("expected a number of seconds", lambda v: is_number(v) and v >= 0, float)
Positive = value("expected a positive number", lambda v: is_number(v) and v > 0, float)
Count = value("expected a whole number of at least 1", lambda v: is_whole(v) and v >= 1)
# Retries past a hundred only make a failing server hold a run for ever.
Tries = value("expected a whole number from 0 to 100", lambda v: is_whole(v) and 0 <= v <= 100)
Texts = value("expected a list of text", is_texts, texts)
TextMap = value("expected a mapping of text to text", is_text_map, dict)
Url = value("expected an http:// or https:// URL",
            lambda v: isinstance(v, str) and v.startswith(("http://", "https://")))
#: YAML reads `150:` as a number; a heading is its text
Key = plain(str)


# -- messages ---------------------------------------------------------------------------------------------------


def key_path(loc: tuple[Any, ...]) -> str:
    """`("keep", 2, "variants", "ru")` → `keep[2].variants.ru`."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def message(error: Invalid, top: str) -> str:
    """One line for one problem; `top` names the file's top level ("l10n.yaml", "glossary")."""
    where = key_path(error.loc)
    if error.kind == UNKNOWN:
        import difflib  # only a file with a mistake needs it

        hint = difflib.get_close_matches(error.message, error.allowed, n=1)
        return f"unknown key {error.message!r} in {where or top}" + (f" (did you mean {hint[0]!r}?)" if hint else "")
    if error.kind == MISSING:
        parent = key_path(error.loc[:-1])
        return f"missing required key {error.loc[-1]!r}" + (f" in {parent}" if parent else "")
    if error.kind == WHOLE:
        return error.message
    if error.kind == PHRASE:
        return f"{where or top} {error.message}"
    return f"{where or top}: {error.message}"
