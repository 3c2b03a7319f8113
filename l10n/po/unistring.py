"""GNU libunistring's line breaking, the library msgcat lays out PO strings with, called through ctypes.

The PO writer must break lines exactly where msgcat does, so that files edited in Poedit or Weblate give clean
diffs. Emulating libunistring with another UAX #14 implementation and width table (unicode-segmentation-rs) did
not: they disagree on Arabic commas, CJK punctuation, combining marks after punctuation and emoji (a tenth to
half of random strings of those; tests/test_catalog_properties.py). Asking the library msgcat asks agrees, and
lays out a long paragraph faster. libunistring comes with GNU gettext (Debian: libunistring2 or 5); where it
is missing, the writer refuses (po/layout.py) rather than emulate. The plain-text pages wrap at its break
opportunities and widths too (render.py), which need no byte-identity and fall back to spaces and unicodedata."""

from __future__ import annotations

import codecs
import os
import re
import sys
import threading
from functools import cache
from typing import Any

# enum of libunistring's unilbrk.h
PROHIBITED, POSSIBLE, MANDATORY = 1, 2, 3
_NAMES = ("libunistring.so.5", "libunistring.so.2", "libunistring.5.dylib", "libunistring.dylib")
_ENCODING = b"UTF-8"  # the encoding whose conventions widths follow (not the text's: CJK ones widen some)
#: UTF-32 with uint32_t as the machine stores it, the encoder looked up once (str.encode looks it up by name)
_to_utf32 = codecs.getencoder("utf-32-le" if sys.byteorder == "little" else "utf-32-be")
_BREAK = re.compile(rb"[\x02\x03]")  # POSSIBLE or MANDATORY: a mark where a line may or must break


class Unistring:
    """The functions of libunistring l10n needs (PO layout, and the plain-text pages' wrapping), with their C
    signatures."""

    def __init__(self, lib: Any, ctypes: Any) -> None:
        # The two functions the PO writer calls for thousands of strings are called without argtypes: each
        # argument declared is converted by a Python call to its type's from_param, which costs more than the
        # library's answer for a short string. Their callers are the methods below, which pass what the C
        # signature takes: bytes or None for a pointer, a Python int for an int, a c_size_t for a size_t.
        self._breaks = getattr(lib, "u32_width_linebreaks_v2", None) or lib.u32_width_linebreaks
        self._breaks.restype = ctypes.c_int
        self._width = lib.u8_strwidth
        self._width.restype = ctypes.c_int
        self._size = ctypes.c_size_t
        self._possible = getattr(lib, "u8_possible_linebreaks_v2", None) or lib.u8_possible_linebreaks
        self._possible.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_char_p, ctypes.c_char_p]
        self._possible.restype = None
        self._char_array = lambda answer: (ctypes.c_char * len(answer)).from_buffer(answer)
        self._buffers = threading.local()

    def width_linebreaks(self, text: str, width: int, start_column: int, overrides: bytes | None) -> bytearray:
        """For each character of the text, POSSIBLE where a line must end before it to keep lines within `width`
        columns, the first starting at `start_column`: u32_width_linebreaks, in its newer rules (_v2, which
        gettext 0.21 and later call) where the library has them. `overrides`: a byte per character, PROHIBITED
        where no break may fall, 0 where the library decides. The library reads the text in UTF-32, one unit per
        character, so that the marks index the str itself (msgcat asks the same rules of UTF-8)."""
        size = len(text)
        answer, array = self._buffer(size)
        self._breaks(_to_utf32(text)[0], self._size(size), width, start_column, 0, overrides, _ENCODING, array)
        return answer[:size]

    def _buffer(self, size: int) -> tuple[bytearray, Any]:
        """A buffer of at least `size` bytes for the library's answer, one per thread (pretranslate saves
        catalogs from several threads), reused from call to call (ctypes makes a new array type for every new
        size asked, which costs more than the call itself): a bytearray, and the ctypes array over its memory
        that the library writes into. The answer is read from the bytearray, which slices as any bytes do; a
        slice of the ctypes array looks up the type of its items first."""
        buffer = getattr(self._buffers, "buffer", None)
        if buffer is None or len(buffer[0]) < size:
            answer = bytearray(max(size, 4096))
            buffer = self._buffers.buffer = (answer, self._char_array(answer))
        return buffer

    def line_break_units(self, text: str) -> list[str]:
        """The text cut at every UAX #14 break opportunity (u8_possible_linebreaks): pieces that may start a
        line, as libunistring sees them."""
        data = text.encode("utf-8")
        cuts = self._cuts(data)
        return [data[a:b].decode("utf-8") for a, b in zip([0, *cuts], [*cuts, len(data)])] if data else []

    def space_break_units(self, text: str) -> list[str]:
        """The text cut at the UAX #14 break opportunities that follow a space (U+0020), each piece without its
        trailing spaces: line_break_units joined up to each piece that ends with a space, in one pass.

        The text's k-th space is its UTF-8's k-th space byte (ASCII encodes as itself), so the text is cut at
        its spaces and the marks are read after the space bytes."""
        data = text.encode("utf-8")
        if not data:
            return []
        marks = self._marks(data)
        words = text.split(" ")
        units: list[str] = []
        start, after = 0, 0  # the first word of the unit being read; the byte after the space being looked at
        for k, word in enumerate(data.split(b" ")[:-1]):
            after += len(word) + 1
            if after < len(data) and marks[after] in (POSSIBLE, MANDATORY):
                units.append(" ".join(words[start:k + 1]).rstrip(" "))
                start = k + 1
        units.append(" ".join(words[start:]).rstrip(" "))
        return units

    def _cuts(self, data: bytes) -> list[int]:
        """The byte offsets (after the first) where u8_possible_linebreaks marks a possible or mandatory break."""
        return [m.start() for m in _BREAK.finditer(self._marks(data), 1)]

    def _marks(self, data: bytes) -> bytearray:
        """u8_possible_linebreaks' mark for each byte: PROHIBITED, POSSIBLE or MANDATORY (a break before it);
        the library's newer rules add others (CR_BEFORE_LF, 5, on the CR of a CR LF), which are no break."""
        size = len(data)
        answer, array = self._buffer(size)
        self._possible(data, size, _ENCODING, array)
        return answer[:size]

    def width(self, text: bytes) -> int:
        """Columns of the UTF-8 text up to its first NUL, control characters counted as none, as msgcat
        counts them; a line break character (U+2028) counts one where a break would start a new line: never
        less than the line needs. u8_strwidth: a bytes object passes its buffer, which Python ends with a NUL,
        and u8_width stops at the first NUL anyway."""
        return self._width(text, _ENCODING)


@cache
def library() -> Unistring | None:
    """libunistring, or None where it is not installed; L10N_NO_LIBUNISTRING=1 also says None, to run the
    fallback (tests)."""
    if os.environ.get("L10N_NO_LIBUNISTRING") == "1":
        return None
    import ctypes

    for name in _NAMES:
        try:
            return Unistring(ctypes.CDLL(name), ctypes)
        except (OSError, AttributeError):
            continue
    import ctypes.util  # imports subprocess, shutil and tempfile, and find_library asks ldconfig: only if need be

    found = ctypes.util.find_library("unistring")
    if found is None:
        return None
    try:
        return Unistring(ctypes.CDLL(found), ctypes)
    except (OSError, AttributeError):
        return None
