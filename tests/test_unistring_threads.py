"""The PO writer is called from several threads at once (pretranslate saves each language's catalog from its own
worker), so libunistring's line breaking must not share state between calls."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from l10n.po import unistring


def test_line_breaks_from_many_threads_equal_the_serial_ones() -> None:
    lib = unistring.library()
    assert lib is not None, "libunistring (Debian: libunistring2/5, installed with gettext) is needed"
    texts = [(f"{'Libérez Azat Miftakhov, mathématicien emprisonné ' * (n % 7 + 1)}{n} " * 40)
             for n in range(64)]
    serial = [lib.width_linebreaks(text, 79, 7, None) for text in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        for _ in range(20):
            assert list(pool.map(lambda t: lib.width_linebreaks(t, 79, 7, None), texts)) == serial
