"""What each engine accepts under `engine_settings` in l10n.yaml, as schemas (l10n/schema.py); None: the engine's
own default. Read only for a project that sets engine options (config._engine_settings)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..schema import (Count, Delay, Flag, Positive, Schema, Seconds, Text, TextMap, Texts, Tries, Url, is_number,
                      key, section, value)


@section
class ApertiumOptions(Schema):
    """`engine_settings.apertium:` the offline engine's command, data and time limit."""

    binary: str | None = key(Text)
    datadir: str | None = key(Text)
    timeout: float | None = key(Seconds)


@section
class PseudoOptions(Schema):
    """`engine_settings.pseudo:` how much longer pseudo-translations are than their source."""

    expansion: float | None = key(Positive)


@section
class WebOptions(Schema):
    """Options of the engines reached over HTTP (l10n/engines/deep.py)."""

    api_key_env: str | None = key(Text)
    timeout: float | None = key(Seconds)  # for a whole request, however slowly the server answers
    concurrency: int | None = key(Count)
    retries: int | None = key(Tries)
    backoff: float | None = key(Delay)
    max_backoff: float | None = key(Delay)
    retry_after_cap: float | None = key(Delay)
    failures_to_stop: int | None = key(Count)
    max_chars: int | None = key(Count)
    language_map: dict[str, str] | None = key(TextMap)
    languages: tuple[str, ...] | None = key(Texts)


@section
class MyMemoryOptions(WebOptions):
    """`engine_settings.mymemory:` also the e-mail address that raises MyMemory's daily quota."""

    email: str | None = key(Text)


@section
class DeeplOptions(WebOptions):
    """`engine_settings.deepl:` also which of DeepL's two APIs the key belongs to."""

    use_free_api: bool | None = key(Flag)


@section
class LibreOptions(WebOptions):
    """`engine_settings.libre:` also the server and whether it needs a key."""

    url: str | None = key(Url)
    require_key: bool | None = key(Flag)


@section
class MicrosoftOptions(WebOptions):
    """`engine_settings.microsoft:` also the Azure region of the key."""

    region: str | None = key(Text)


@section
class LlmOptions(WebOptions):
    """The `llm` engine (l10n/engines/llm.py): an OpenAI-compatible server."""

    base_url: str | None = key(Url)
    model: str | None = key(Text)
    temperature: float | None = key(value("expected a number from 0 to 2", lambda v: is_number(v) and 0 <= v <= 2,
                                          float))
    max_segments: int | None = key(Count)
    missing_retries: int | None = key(Tries)
    purpose: str | None = key(Text)
    json_mode: bool | None = key(Flag)
    confirm_with: str | None = key(Text)


@dataclass(frozen=True)
class EngineSettings:
    """One engine's options from config (checked by its schema above), as Config.engine_settings holds them;
    secrets are named here as environment variables, never stored."""

    name: str
    options: dict[str, Any] = field(default_factory=dict)


#: engine name → the options it accepts
ENGINE_OPTIONS: dict[str, type[Schema]] = {
    "apertium": ApertiumOptions, "pseudo": PseudoOptions, "google": WebOptions, "mymemory": MyMemoryOptions,
    "deepl": DeeplOptions, "libre": LibreOptions, "microsoft": MicrosoftOptions, "llm": LlmOptions,
}
