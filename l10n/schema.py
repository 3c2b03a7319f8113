"""What l10n.yaml and the glossary may contain, said once as pydantic models, and their errors as one line each.

A section is a `Schema`: frozen, unknown keys refused with a "did you mean". A value is declared with `value()`,
which names what is expected in the user's words (`expected a number of seconds`), so that a wrong type anywhere
is an error naming its key path (`engine_settings.libre.timeout: expected a number of seconds`) rather than a
traceback later. Adding a key is one line in its section."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, ClassVar, TypeVar

from pydantic import (BaseModel, BeforeValidator, ConfigDict, PlainValidator, ValidationError, ValidationInfo,
                      model_validator)
from pydantic_core import PydanticCustomError

from .errors import ConfigError

#: error kinds: `expected` reads "key: expected …", `phrase` reads "key must …" (the key is the subject), `whole`
#: is a complete message, `unknown_key` carries the key and the keys allowed
EXPECTED, PHRASE, WHOLE, UNKNOWN = "l10n_expected", "l10n_phrase", "l10n_whole", "l10n_unknown_key"

M = TypeVar("M", bound=BaseModel)


def fail(kind: str, message: str) -> PydanticCustomError:
    """An error of one of the kinds above; `message` is final (braces are not templates)."""
    return PydanticCustomError(kind, "{m}", {"m": message})


class Schema(BaseModel):
    """A mapping of l10n.yaml or the glossary. Empty (`signatories:` with nothing under it) means all defaults."""

    model_config = ConfigDict(frozen=True, extra="forbid", hide_input_in_errors=True, defer_build=True)

    #: fields that are not keys of the file (set by the program, e.g. the project root)
    internal_keys: ClassVar[frozenset[str]] = frozenset()
    not_a_mapping: ClassVar[tuple[str, str]] = (EXPECTED, "expected a mapping of keys to values")

    @model_validator(mode="before")
    @classmethod
    def _known_keys(cls, data: Any, info: ValidationInfo) -> Any:
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise fail(*cls.not_a_mapping)
        allowed = cls.keys()
        for key in data:
            if not isinstance(key, str) or key not in allowed:
                raise PydanticCustomError(UNKNOWN, "unknown key", {"key": str(key), "allowed": sorted(allowed)})
        return cls._internal(data, info.context or {})

    @classmethod
    def _internal(cls, data: dict[str, Any], context: dict[str, Any]) -> dict[str, Any]:
        """The data with the internal fields added (from the validation context)."""
        return data

    @classmethod
    def keys(cls) -> set[str]:
        return {f.alias or name for name, f in cls.model_fields.items() if name not in cls.internal_keys}


def value(what: str, test: Callable[[Any], bool], convert: Callable[[Any], Any] | None = None,
          kind: str = EXPECTED) -> Any:
    """A value that passes `test` (then `convert`ed), else the error "<key>: <what>" (or "<key> <what>" for the
    PHRASE kind). Booleans are never numbers here: `true` is not a timeout."""

    def validate(raw: Any) -> Any:
        if not test(raw):
            raise fail(kind, what)
        return convert(raw) if convert is not None else raw

    return Annotated[Any, PlainValidator(validate)]


def choice(*options: str) -> Any:
    """One of `options`; the error quotes what was written."""

    def validate(raw: Any) -> Any:
        if not isinstance(raw, str) or raw not in options:
            raise fail(PHRASE, f"must be one of {', '.join(options)}, not {raw!r}")
        return raw

    return Annotated[Any, PlainValidator(validate)]


def contextual(check: Callable[[Any, dict[str, Any]], Any]) -> Any:
    """A value validated with the validation context (the project root, for paths)."""

    def validate(raw: Any, info: ValidationInfo) -> Any:
        return check(raw, info.context or {})

    return Annotated[Any, PlainValidator(validate)]


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
OptionalFlag = value("expected true or false", lambda v: v is None or isinstance(v, bool))
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


def mapping(what: str) -> BeforeValidator:
    """A mapping (`what` completes "<key> …" otherwise), empty when the key has nothing under it."""

    def check(raw: Any) -> Any:
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            raise fail(PHRASE, what)
        return raw

    return BeforeValidator(check)


def nested(model: type[M], raw: Any, loc: tuple[Any, ...], context: dict[str, Any] | None = None) -> M:
    """`raw` as a `model` inside a validator; its first error becomes a WHOLE one carrying the full key path."""
    try:
        return model.model_validate(raw, context=context)
    except ValidationError as exc:
        error = exc.errors()[0]
        raise fail(WHOLE, message({**error, "loc": (*loc, *error["loc"])}, key_path(loc))) from None


def validate(model: type[M], raw: Any, path: Path, top: str, context: dict[str, Any] | None = None) -> M:
    """`raw` as a `model`, or a ConfigError naming the file and the first problem's key path."""
    try:
        return model.model_validate(raw, context=context)
    except ValidationError as exc:
        raise ConfigError(message(exc.errors()[0], top), path) from None


def key_path(loc: tuple[Any, ...]) -> str:
    """`("keep", 2, "variants", "ru")` → `keep[2].variants.ru`."""
    out = ""
    for part in loc:
        if part == "[key]":  # pydantic's marker for a bad mapping key: the key itself is named already
            continue
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


_EXPECTED = {
    "string_type": "expected text", "bool_type": "expected true or false", "int_type": "expected a whole number",
    "float_type": "expected a number", "list_type": "expected a list", "tuple_type": "expected a list",
    "dict_type": "expected a mapping of keys to values", "model_type": "expected a mapping of keys to values",
    "recursion_loop": "refers to itself (a YAML alias inside its own anchor)",
}


def message(error: Any, top: str) -> str:
    """One line for one pydantic error; `top` names the file's top level ("l10n.yaml", "glossary")."""
    loc, kind = tuple(error["loc"]), error["type"]
    where = key_path(loc)
    ctx = error.get("ctx") or {}
    if kind == UNKNOWN:
        import difflib  # only a file with a mistake needs it

        hint = difflib.get_close_matches(ctx["key"], ctx["allowed"], n=1)
        return f"unknown key {ctx['key']!r} in {where or top}" + (f" (did you mean {hint[0]!r}?)" if hint else "")
    if kind == "missing":
        parent = key_path(loc[:-1])
        return f"missing required key {loc[-1]!r}" + (f" in {parent}" if parent else "")
    text = ctx.get("m", error["msg"])
    if kind == WHOLE:
        return text
    if kind == PHRASE:
        return f"{where or top} {text}"
    if not kind.startswith("l10n_"):  # pydantic's own words, for a type declared without value()
        text = _EXPECTED.get(kind, text[:1].lower() + text[1:])
    return f"{where}: {text}" if where else f"{top}: {text}"
