"""The one place Jinja2 is set up: the templates in l10n/templates, strict undefined variables, HTML and SVG
auto-escaped, the `printable` filter and the entry states as globals. One whitespace rule for every template,
Jinja's own: a template's characters are its output's, so published documents (text, Markdown, HTML, CSS) keep
each one; a template that must not show the line a block tag stands on says so with `-` (`{% for x -%}`)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from .state import STATE_COLOURS, STATE_LABELS, STATES

if TYPE_CHECKING:
    from jinja2 import Environment

# Control characters other than tab and newline have no business in a page (NUL even breaks XML).
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]")


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The templates' environment."""
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape  # only to render

    env = Environment(loader=PackageLoader("l10n", "templates"),
                      autoescape=select_autoescape(enabled_extensions=("html.j2", "svg.j2")),
                      undefined=StrictUndefined, keep_trailing_newline=True)
    env.filters["printable"] = printable
    env.globals.update(STATES=STATES, STATE_LABELS=STATE_LABELS, STATE_COLOURS=STATE_COLOURS)
    return env


def printable(text: object) -> str:
    """Text without control characters, ready to be escaped into HTML or XML."""
    return _CONTROLS.sub("", str(text))
