"""The brief an engine that reads one (the `llm` engine) gets with a batch besides the texts: what the document is
for, the glossary for the target, its typography, reviewed translations, and for each segment its role, its
neighbours and its reviewed translations in sibling languages.

Pre-translation builds it (`build`) from the catalogs of the target language, the glossary, CLDR and the sibling
languages; engines only read it. `digest()` is part of the cache key, so a cached draft is reused only under the
same brief.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field

from . import langs
from .digest import sha256
from .engines.validate import Expect
from .glossary import Glossary
from .matching import keep_terms_in, translations_in
from .po import Catalog, Entry
from .siblings import Key, Siblings
from .state import entry_state


@dataclass(frozen=True)
class SegmentBrief:
    """What the brief says about one segment: where it stands in the document and how others translated it."""

    role: str = "paragraph"  # title, paragraph, dateline, country, organisation, heading
    document: str = ""  # the document's title
    before: str = ""  # the source paragraph before this one
    after: str = ""  # and the one after
    siblings: tuple[tuple[str, str], ...] = ()  # (language, reviewed translation of this very segment)
    expect: Expect = Expect()  # keep terms with their target forms, glossary translations: what validation checks


@dataclass(frozen=True)
class Brief:
    """What an engine is told about a batch, as a translator gets a brief with the job."""

    purpose: str = ""  # what the document is for, in a sentence
    glossary: tuple[tuple[str, str], ...] = ()  # (source expression, preferred target translation)
    keep: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (term, accepted forms in the target language)
    typography: str = ""  # the target language's conventions, in words
    examples: tuple[tuple[str, str], ...] = ()  # reviewed (source, translation) pairs of the target language
    segments: tuple[SegmentBrief, ...] = field(default=())  # one per text, in the batch's order

    def shared_digest(self) -> str:
        """Everything but the segments: the part that is the same for every text of the batch."""
        blob = json.dumps([self.purpose, self.glossary, self.keep, self.typography, self.examples],
                          ensure_ascii=False)
        return sha256(blob, 16)

    def digest(self, index: int) -> str:
        """The brief one text is translated under: the shared part and its own segment's."""
        segment = self.segments[index] if index < len(self.segments) else SegmentBrief()
        blob = json.dumps([self.shared_digest(), asdict(segment)], ensure_ascii=False, default=list)
        return sha256(blob, 16)

    def subset(self, indices: list[int]) -> Brief:
        """The same brief for some of the texts only (the ones the cache did not have)."""
        return Brief(self.purpose, self.glossary, self.keep, self.typography, self.examples,
                     tuple(self.segments[i] if i < len(self.segments) else SegmentBrief() for i in indices))

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
    keep = [(k.text, k.variants.get(lang, ())) for k in keep_terms_in(glossary, text)]
    terms = [translation for _, translation in translations_in(glossary, text, lang)]
    return Expect(tuple(keep), tuple(terms))


def build(catalogs: list[Catalog], entries: list[Entry], glossary: Glossary, lang: str, siblings: Siblings,
          purpose: str) -> Brief:
    """The brief for drafting `entries` (from `catalogs`) into `lang`."""
    around: dict[Key, SegmentBrief] = {}
    examples: list[tuple[str, str]] = []
    wanted = {e.key for e in entries}
    for po in catalogs:
        active = po.active
        title = next((e.msgid for e in active if role(e) == "title"), "")
        for n, entry in enumerate(active):
            if entry.key in wanted:
                around[entry.key] = SegmentBrief(
                    role(entry), title,
                    active[n - 1].msgid if n > 0 else "", active[n + 1].msgid if n + 1 < len(active) else "")
            elif len(examples) < EXAMPLES and entry_state(entry) in ("reviewed", "automatic") \
                    and role(entry) != "organisation":
                examples.append((entry.msgid, entry.translation))
    others = [other for other in siblings.config.languages if other != lang]
    segments = []
    for entry in entries:
        base = around.get(entry.key, SegmentBrief(role(entry)))
        segments.append(SegmentBrief(base.role, base.document, base.before, base.after,
                                       tuple(siblings.reviewed(entry.key, others)),
                                       expect(glossary, entry.msgid, lang)))
    text = "\n".join(e.msgid for e in entries)
    keep = tuple((k.text, k.variants.get(lang, ())) for k in keep_terms_in(glossary, text))
    terms = tuple((t.source, translation) for t, translation in translations_in(glossary, text, lang))
    return Brief(purpose or DEFAULT_PURPOSE, terms, keep, typography(lang), tuple(examples),
                        tuple(segments))
