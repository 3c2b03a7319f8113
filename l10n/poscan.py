"""A strict first pass over PO bytes: decoding, line endings, and the mistakes polib would let through silently."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from .errors import CatalogError

_CHARSET = re.compile(rb'"Content-Type:[^"]*charset=([A-Za-z0-9_.:-]+)', re.I)


def scan(data: bytes, path: Path) -> tuple[str, str, str, bool]:
    """Return (text with \\n line endings, encoding, newline, had_bom) or raise CatalogError(path, line)."""
    bom = data.startswith(codecs.BOM_UTF8)
    if bom:
        data = data[len(codecs.BOM_UTF8):]
    if not data.strip():
        raise CatalogError("empty file: a catalog needs at least a header entry", path, 1)
    match = _CHARSET.search(data)
    encoding = "utf-8"
    if match and match.group(1).upper() != b"CHARSET":
        name = match.group(1).decode("ascii")
        try:
            encoding = codecs.lookup(name).name
        except LookupError:
            line = data[: match.start()].count(b"\n") + 1
            raise CatalogError(f"unknown charset {name!r} in Content-Type", path, line) from None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise CatalogError(f"bytes are not valid {encoding} as the header declares", path, line) from None
    newline = "\r\n" if "\r\n" in text else "\n"
    text = text.replace("\r\n", "\n")
    for number, line in enumerate(text.split("\n"), 1):
        if line.startswith(("<<<<<<< ", "=======", ">>>>>>> ")) or line in ("<<<<<<<", ">>>>>>>"):
            raise CatalogError("git merge-conflict marker: resolve the conflict first", path, number)
    return text, encoding, newline, bom
