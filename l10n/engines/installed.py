"""What decides whether the configured engines can serve a language, read without creating them: the files
Apertium lists its pairs from, and whether each online engine's key variable is set. `pretranslate` records a
language its engines left unserved under this identity, and tries it again only once it changes (a new
Apertium pair, a key exported), instead of asking the engines again on every run."""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from typing import Any

from ..digest import file_stamp, sha256

# The environment variable holding each online engine's key, unless its `api_key_env` option names another.
KEY_VARIABLES = {
    "deepl": "DEEPL_API_KEY",
    "libre": "LIBRE_API_KEY",
    "microsoft": "MICROSOFT_API_KEY",
    "llm": "OPENAI_API_KEY",
}


def identity(names: tuple[str, ...], settings: Mapping[str, dict[str, Any]],
             environ: Mapping[str, str] = os.environ) -> str:
    """A digest of what `names` (with their `settings`, engine → options) can serve as installed now. Never a
    key's value: only whether the variable is set."""
    parts = []
    for name in names:
        options = settings.get(name) or {}
        if name == "apertium":
            parts.append(_apertium(options, environ))
        elif name in KEY_VARIABLES or "api_key_env" in options:
            variable = options.get("api_key_env", KEY_VARIABLES.get(name))
            parts.append(f"{name}\0{variable}\0{bool(variable and environ.get(variable))}")
        else:
            parts.append(name)
    return sha256("\n".join(parts))


def _apertium(options: Mapping[str, Any], environ: Mapping[str, str]) -> str:
    """The `apertium` script found on PATH and the mode files `apertium -l` lists: `<datadir>/modes/*.mode`,
    where datadir is the `datadir` option (`-d`), else $APERTIUM_DATADIR, else the script's own default, the
    `share/apertium` folder of the prefix it is installed in. By name, size and modification time."""
    executable = shutil.which(options.get("binary") or "apertium", path=environ.get("PATH"))
    if executable is None:
        return "apertium\0not installed"
    datadir = options.get("datadir") or environ.get("APERTIUM_DATADIR") or os.path.join(
        os.path.dirname(os.path.dirname(os.path.realpath(executable))), "share", "apertium")
    lines = [f"apertium\0{file_stamp(executable)}\0{datadir}"]
    try:
        modes = sorted(os.scandir(os.path.join(datadir, "modes")), key=lambda e: e.name)
    except OSError:
        modes = []
    lines += [file_stamp(m.path) for m in modes if m.name.endswith(".mode")]
    return "\n".join(lines)
