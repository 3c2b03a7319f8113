"""Machine translation engines behind one small interface (engines/base.py), imported only when a project uses
them: the configuration checks engine names against REGISTRY without loading the interface."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ..errors import ConfigError, EngineError

if TYPE_CHECKING:
    from .base import Engine

# name → "module:Class"; modules are imported lazily so an offline run never loads HTTP clients.
REGISTRY = {
    "apertium": "apertium:ApertiumEngine",
    "pseudo": "pseudo:PseudoEngine",
    "google": "deep:GoogleEngine",
    "mymemory": "deep:MyMemoryEngine",
    "deepl": "deep:DeeplEngine",
    "libre": "deep:LibreEngine",
    "microsoft": "deep:MicrosoftEngine",
    "llm": "llm:LLMEngine",
}


def create(name: str, options: dict[str, Any] | None = None) -> Engine:
    """Instantiate an engine by its config name; unknown names are a clear error listing the known ones."""
    spec = REGISTRY.get(name)
    if spec is None:
        raise EngineError(f"unknown engine {name!r} (known: {', '.join(sorted(REGISTRY))})")
    module_name, class_name = spec.split(":")
    module = importlib.import_module(f"{__name__}.{module_name}")
    try:
        return getattr(module, class_name)(**(options or {}))
    except TypeError as exc:
        raise ConfigError(f"engine_settings.{name}: {exc}") from None


__all__ = ["REGISTRY", "create"]
