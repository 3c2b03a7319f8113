"""extract's floor: what any `extract` of a benchmark project must do, and nothing of l10n's own, so that bench/run.py
can show how far below txt2po `extract` could be without start-up tricks.

bench/run.py hands this file's text to its interpreter with -c, in the environment and directory it runs `l10n` in:
both start alike. The floor then does what extract cannot skip: import click and PyYAML (l10n's command line and
its l10n.yaml); read l10n.yaml with the loader l10n reads it with; load the source language's CLDR territory names
through l10n.langs.territory_names (signatory groups are recognised by them; this imports Babel); and ask
libunistring, through l10n/po/unistring.py, what the PO writer (l10n/po/layout.py) asks it of each msgid: its width
when it may fit on the `msgid` line, its line breaks when it does not (once; the writer sometimes asks twice).
unistring.py is loaded alone, without the `l10n.po` package, which would import the writer, the parser and the rest.

The msgids come from a file bench/run.py wrote before: the segments joined by NUL, which no PO string holds, so
reading them is one read and one split, and is included. Nothing is written but a line on stdout: the number of
segments, of width calls and of line-break calls.

Usage: python -c "$(cat bench/floor.py)" L10N_YAML SEGMENTS PAGE_WIDTH
"""

import importlib.util
import sys

import click  # noqa: F401  (every l10n command starts in click)
import yaml

import l10n.langs

config, segments, page_width = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(config, encoding="utf-8") as file:
    settings = yaml.load(file.read(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # as l10n/config.py
l10n.langs.territory_names(settings["source_language"])

spec = importlib.util.spec_from_file_location("unistring", f"{l10n.__path__[0]}/po/unistring.py")
unistring = importlib.util.module_from_spec(spec)
spec.loader.exec_module(unistring)
library = unistring.library()
if library is None:
    sys.exit("floor: libunistring not found (installed with gettext)")

ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\a": "\\a", "\b": "\\b",
                         "\f": "\\f", "\v": "\\v"})
room = page_width - 3 - len("msgid")  # the text's room on the `msgid "…"` line (layout._quote)
width = page_width - 2  # a continuation line's, inside its quotes (layout._laid_out)
widths = breaks = 0
with open(segments, encoding="utf-8") as file:
    texts = file.read().split("\0")
for text in texts:
    if not text:
        continue
    if "\n" in text:  # a break after each newline, each piece laid out
        pieces = text.split("\n")
        for i, piece in enumerate(pieces):
            piece = piece.translate(ESCAPES) + ("\\n" if i < len(pieces) - 1 else "")
            if piece:
                library.width_linebreaks(piece, width, 0, None)
                breaks += 1
        continue
    whole = text.translate(ESCAPES) if "\\" in text or '"' in text or not text.isprintable() else text
    if len(whole) <= room and (whole.isascii() or 2 * len(whole) <= room):
        continue  # fits whatever its characters' widths
    if len(whole) <= room:
        widths += 1
        if library.width(whole.encode("utf-8")) <= room:
            continue
    library.width_linebreaks(whole, width, 0, None)
    breaks += 1
print(len(texts), widths, breaks)
