"""Text from catalogs, sources, configuration and engines made safe to print on a terminal or into a log.

A translation, a source file or a server's error body can hold control characters: ESC starts sequences that
recolour, retitle or clear a terminal, hide what follows, or (OSC 52) write the clipboard; a carriage return
overwrites the line it is on; bidirectional controls reorder what is shown. Everything l10n prints goes through
`printable` (cli.py's one echo), which shows each of them escaped, as Python writes it: `\\x1b`, `\\r`, `\\u202e`."""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL and C1 controls, the line and paragraph separators and the bidi
# embeddings and overrides (U+2028–U+202E), and the bidi isolates (U+2066–U+2069). A newline is one line's
# end in a report of several lines (`lines`), else escaped too.
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028-\u202e\u2066-\u2069]")


def _escaped(match: re.Match[str]) -> str:
    char = match.group(0)
    return "\\r" if char == "\r" else (f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def _json_escaped(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group(0)):04x}"  # still valid JSON, and the same string once parsed


def printable(text: str, lines: bool = False, json: bool = False) -> str:
    """`text` with every control character shown escaped. Newlines are escaped too unless `lines` (a table or a
    report of several lines: each of its fields was one line already). `json`: the text is JSON, whose strings
    json.dumps escaped for C0 already; what is left is escaped as `\\u009b`, so it still parses the same."""
    if json:
        return _UNSAFE.sub(_json_escaped, text)
    shown = _UNSAFE.sub(_escaped, text)
    return shown if lines else shown.replace("\n", "\\n")
