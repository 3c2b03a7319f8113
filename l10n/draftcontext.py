"""The context pre-translation gives engines that read one (the `llm` engine): built from the catalogs of the
target language, the glossary, CLDR and the reviewed translations of sibling languages."""

from __future__ import annotations

import re

from . import langs
from .po import Catalog, Entry
from .engines.context import DraftContext, SegmentContext
from .engines.validate import Expect
from .glossary import Glossary
from .siblings import Key, Siblings
from .state import entry_state

EXAMPLES = 20  # reviewed translations sent with every request: enough for consistency, few enough to be cheap
DEFAULT_PURPOSE = "a public document, to be published in each language for its readers"

# CLDR's quotation marks (supplemental delimiters), which Babel does not expose; other languages get a neutral
# instruction.
QUOTES = {"fr": "« … » with no-break spaces inside", "de": "„…“", "en": "“…”", "es": "«…»", "ca": "«…»",
          "it": "«…»", "pt": "«…»", "gl": "«…»", "ru": "«…»", "uk": "«…»", "pl": "„…”", "nl": "‘…’"}


def role(entry: Entry) -> str:
    """The segment's role from its extracted comment: `title`, `paragraph`, `country (DE)` → country…"""
    comment = next((c.strip() for c in entry.extracted_comments if c.strip()), "paragraph")
    return re.split(r"[:(]", comment, maxsplit=1)[0].strip() or "paragraph"


def typography(lang: str) -> str:
    """The target's conventions in words, from CLDR where Babel has them."""
    loc = langs.locale(lang)
    symbols = loc.number_symbols[loc.default_numbering_system or "latn"]
    spaces = {"\u00a0": "a no-break space", "\u202f": "a narrow no-break space", " ": "a space"}
    decimal, group = (spaces.get(c, f"'{c}'") for c in (symbols.get("decimal", "."), symbols.get("group", ",")))
    quotes = QUOTES.get(loc.language, "the quotation marks usual in the language")
    space = ("a no-break space before : ; ! ?" if loc.language == "fr"
             else "no space before : ; ! ? (unlike French)")
    return (f"quotation marks {quotes}; decimal separator {decimal}, thousands separator {group}; {space}; "
            f"keep the source's capitalisation style for titles written in capitals")


def expect(glossary: Glossary, text: str, lang: str) -> Expect:
    """What a draft of `text` must contain in `lang`: its keep terms (with their accepted forms), and the
    glossary's translations of the expressions it contains."""
    keep = [(k.text, k.variants.get(lang, ())) for k in glossary.keep_in(text)]
    terms = [translation for _, translation in glossary.terms_in(text, lang)]
    return Expect(tuple(keep), tuple(terms))


def build(catalogs: list[Catalog], entries: list[Entry], glossary: Glossary, lang: str, siblings: Siblings,
          purpose: str) -> DraftContext:
    """The context for drafting `entries` (from `catalogs`) into `lang`."""
    around: dict[Key, SegmentContext] = {}
    examples: list[tuple[str, str]] = []
    wanted = {e.key for e in entries}
    for po in catalogs:
        active = po.active
        title = next((e.msgid for e in active if role(e) == "title"), "")
        for n, entry in enumerate(active):
            if entry.key in wanted:
                around[entry.key] = SegmentContext(
                    role(entry), title,
                    active[n - 1].msgid if n > 0 else "", active[n + 1].msgid if n + 1 < len(active) else "")
            elif len(examples) < EXAMPLES and entry_state(entry) in ("reviewed", "automatic") \
                    and role(entry) != "organisation":
                examples.append((entry.msgid, entry.translation))
    others = [other for other in siblings.config.languages if other != lang]
    segments = []
    for entry in entries:
        base = around.get(entry.key, SegmentContext(role(entry)))
        segments.append(SegmentContext(base.role, base.document, base.before, base.after,
                                       tuple(siblings.reviewed(entry.key, others)),
                                       expect(glossary, entry.msgid, lang)))
    text = "\n".join(e.msgid for e in entries)
    keep = tuple((k.text, k.variants.get(lang, ())) for k in glossary.keep_in(text))
    terms = tuple((t.source, translation) for t, translation in glossary.terms_in(text, lang))
    return DraftContext(purpose or DEFAULT_PURPOSE, terms, keep, typography(lang), tuple(examples),
                        tuple(segments))
