"""A synthetic French corpus shaped like the appeal (title, paragraphs, dateline, signatory groups), at any size.

Why synthetic: the real appeal has ~70 segments, far too few to see how a stage grows. The generator varies the
appeal's own sentences (numbers, dates, names, places, sentence order) and its organisation names, so the text keeps
the features the checks and engines care about (numbers, keep terms, French spacing before `:` and `!`), and every
segment is distinct, so the catalog has exactly `size` entries. Deterministic for a given seed."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from l10n.document import fold  # headings compared as l10n compares them when it recognises groups

SOURCE = Path(__file__).resolve().parent.parent / "source" / "appeal.fr.txt"
HEADING = "Liste des signataires"
#: group headings of the appeal that CLDR does not know under that name (l10n.yaml maps them)
SPECIAL_GROUPS = {"Etat espagnol": "ES", "Europe": "150", "Organisation internationale": None}

_MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"]
_PEOPLE = [("Azat", "Miftakhov"), ("Igor", "Baryshnikov"), ("Daria", "Polyudova"), ("Boris", "Kagarlitsky"),
           ("Lioudmila", "Razoumova"), ("Alexandra", "Skotchilenko"), ("Maria", "Ponomarenko"),
           ("Mikhaïl", "Krieger"), ("Ilia", "Iachine"), ("Evguenia", "Berkovitch"), ("Kirill", "Oukraintsev"),
           ("Sergueï", "Mokhnatkine"), ("Lev", "Ponomarev"), ("Anna", "Karpova")]
_OPPONENTS = ["Alexei Navalny", "Boris Nemtsov", "Vladimir Kara-Murza", "Ilia Iachine", "Anna Politkovskaïa"]
_TOWNS = ["Kharp", "Labytnangui", "Vorkouta", "Salekhard", "Norilsk", "Magadan", "Oust-Ilimsk", "Syktyvkar",
          "Krasnokamensk", "Kopeïsk"]
_REGIONS = ["Jamalo-Nénétsie", "Komi", "Khantys-Mansis", "Iakoutie", "Tchoukotka", "Magadan", "Mourmansk"]
_CITIES = ["Paris", "Lyon", "Marseille", "Toulouse", "Nantes", "Lille", "Rennes", "Grenoble", "Strasbourg",
           "Bordeaux", "Montpellier", "Genève", "Lausanne", "Bruxelles", "Liège", "Montréal", "Québec", "Berlin",
           "Hambourg", "Munich", "Cologne", "Vienne", "Prague", "Varsovie", "Cracovie", "Vilnius", "Riga",
           "Tallinn", "Helsinki", "Stockholm", "Oslo", "Copenhague", "Amsterdam", "Rotterdam", "Madrid",
           "Barcelone", "Valence", "Lisbonne", "Porto", "Rome", "Milan", "Naples", "Turin", "Athènes", "Kyiv",
           "Lviv", "Kharkiv", "Odessa", "Tbilissi", "Erevan", "Chisinau", "Almaty", "Londres", "Dublin"]
_KINDS = ["Syndicat", "Collectif", "Comité", "Association", "Union", "Réseau", "Fédération", "Initiative",
          "Campagne", "Groupe", "Ligue", "Coordination", "Front", "Alliance", "Centre", "Observatoire"]
_PURPOSES = ["de solidarité avec l'Ukraine", "pour la libération des prisonniers politiques",
             "des travailleurs de la santé", "antiguerre", "pour les droits humains", "des enseignants",
             "des étudiants", "des journalistes libres", "contre la torture", "des exilés russes", "écologiste",
             "libertaire", "démocratique", "des cheminots", "féministe", "des mathématiciens",
             "pour la paix et la liberté", "des avocats", "de soutien à Azat", "internationaliste"]
_FOREIGN = ["Free Russia Network", "Solidarity Action", "Komitee Freiheit", "Rete di solidarietà",
            "Workers' Defence League", "Antiwar Coalition", "Freedom for Political Prisoners",
            "Demokratische Initiative", "Plataforma Cívica", "Human Rights Watchers"]


@dataclass
class Group:
    heading: str
    organisations: list[str] = field(default_factory=list)


@dataclass
class Corpus:
    """The document model the generator fills; `text()` lays it out exactly as the appeal is laid out."""

    title: str
    paragraphs: list[str]
    dateline: str
    groups: list[Group]

    def text(self) -> str:
        blocks = ["", self.title, *self.paragraphs, self.dateline, "", HEADING]
        for group in self.groups:
            blocks.append(group.heading)
            blocks.append("\n".join(group.organisations))
        return "\n\n".join(blocks) + "\n"

    def segments(self) -> list[str]:
        """Every translatable unit, in source order (one per PO entry)."""
        out = [self.title, *self.paragraphs, self.dateline, HEADING]
        for group in self.groups:
            out += [group.heading, *group.organisations]
        return out


def _appeal() -> tuple[str, list[str], list[str]]:
    """(title, sentences of the body, organisation names) of the real appeal."""
    blocks = [b.strip() for b in SOURCE.read_text(encoding="utf-8").split("\n\n") if b.strip()]
    heading = blocks.index(HEADING)
    title, body = blocks[0], blocks[1:heading - 1]
    sentences = [s for block in body for s in re.split(r"(?<=[.!?])\s+(?=[A-ZÉÀ])", " ".join(block.split()))]
    organisations = [line for block in blocks[heading + 1:] for line in block.split("\n") if "\n" in block]
    return title, sentences, organisations


def _countries() -> list[str]:
    """French CLDR names of ISO 3166 countries: headings l10n recognises and fills with CLDR terminology."""
    from babel import Locale

    names = Locale("fr").territories
    skip = {"EU", "EZ", "UN", "ZZ", "QO", "XA", "XB", "ES"}  # unions, pseudo-codes; ES is "Etat espagnol" here
    seen: set[str] = set()
    out = []
    for code, name in sorted(names.items()):
        if len(code) == 2 and code.isalpha() and code not in skip and fold(name) not in seen:
            seen.add(fold(name))
            out.append(name)
    return out


class _Varier:
    """Rewrites the appeal's sentences: other people, prisons, regions, dates, years and temperatures."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def sentence(self, text: str, person: tuple[str, str]) -> str:
        r = self.rng
        first, last = person
        text = text.replace("Azat Miftakhov", f"{first} {last}").replace("Azat", first)
        text = re.sub(r"\b([dD])'(?=[^AEIOUYÉaeiouyé\W])", r"\1e ", text)  # "d'Boris" → "de Boris"
        text = text.replace("Alexei Navalny", r.choice(_OPPONENTS)).replace("Kharp", r.choice(_TOWNS))
        text = text.replace("Jamalo-Nénétsie", r.choice(_REGIONS))
        text = re.sub(r"IK-\d+", lambda m: f"IK-{r.randint(1, 60)}", text)
        text = re.sub(r"-\d+°C", lambda m: f"-{r.randint(25, 60)}°C", text)
        text = re.sub(r"\b\d{1,2} (" + "|".join(_MONTHS) + r") \d{4}\b",
                      lambda m: f"{r.randint(1, 28)} {r.choice(_MONTHS)} {r.randint(2015, 2030)}", text)
        text = re.sub(r"(?<![\d-])(19|20)\d\d\b", lambda m: str(r.randint(1995, 2030)), text)
        return text


def _organisation(rng: random.Random, seen: set[str]) -> str:
    for attempt in range(50):
        shape = rng.random()
        if shape < 0.6:
            name = f"{rng.choice(_KINDS)} {rng.choice(_PURPOSES)} {rng.choice(['de', 'à'])} {rng.choice(_CITIES)}"
        elif shape < 0.8:
            name = f"{rng.choice(_FOREIGN)} {rng.choice(_CITIES)}"
        else:
            words = [rng.choice(_KINDS), rng.choice(_PURPOSES), rng.choice(_CITIES)]
            acronym = "".join(w[0] for w in " ".join(words).split() if w[0].isalpha()).upper()
            name = f"{words[0]} {words[1]} {words[2]} {acronym}"
        if attempt > 2 or rng.random() < 0.15:
            name += f" {rng.randint(1, 99)}"
        if name not in seen:
            seen.add(name)
            return name
    raise RuntimeError("could not invent a new organisation name")  # pragma: no cover


def generate(size: int, seed: int = 2026) -> Corpus:
    """A corpus with exactly `size` distinct segments (size >= 12)."""
    if size < 12:
        raise ValueError("size must be at least 12 segments")
    rng = random.Random(seed * 1_000_003 + size)
    title, sentences, originals = _appeal()
    varier = _Varier(rng)
    countries = _countries()
    n_countries = min(len(countries), max(1, size // 60))
    n_groups = n_countries + len(SPECIAL_GROUPS)
    n_paragraphs = max(1, round(size * 0.3))
    n_organisations = size - 3 - n_paragraphs - n_groups
    if n_organisations < n_groups:
        n_paragraphs -= n_groups - n_organisations
        n_organisations = n_groups
    seen: set[str] = {title, HEADING}
    paragraphs: list[str] = []
    while len(paragraphs) < n_paragraphs:
        # The length is drawn first and kept through retries: redrawing it after a duplicate would favour long
        # paragraphs (short ones repeat more often) the more of them a size needs, and 4x the segments would
        # then be more than 4x the text.
        count = rng.randint(1, 4)
        for _ in range(50):
            person = _PEOPLE[0] if rng.random() < 0.5 else rng.choice(_PEOPLE)
            text = " ".join(varier.sentence(s, person) for s in rng.sample(sentences, count))
            if text not in seen:
                seen.add(text)
                paragraphs.append(text)
                break
    dateline = f"{rng.choice(_CITIES)}, le {rng.randint(1, 28)} {rng.choice(_MONTHS)} {rng.randint(2015, 2030)}"
    while dateline in seen:
        dateline += " "  # pragma: no cover (a paragraph identical to a dateline is vanishingly unlikely)
    headings = rng.sample(countries, n_countries) + list(SPECIAL_GROUPS)
    seen.update(headings)
    names = [n for n in originals if n not in seen][: n_organisations // 10]
    seen.update(names)
    folded = {fold(h) for h in countries} | {fold(h) for h in SPECIAL_GROUPS}
    while len(names) < n_organisations:
        name = _organisation(rng, seen)
        if fold(name) not in folded:
            names.append(name)
    rng.shuffle(names)
    groups = [Group(h) for h in headings]
    for index, name in enumerate(names):
        groups[index % len(groups)].organisations.append(name)
    corpus = Corpus(title, paragraphs, dateline, groups)
    assert len(corpus.segments()) == size == len(set(corpus.segments())), "segments must be distinct"
    return corpus


def mutate(corpus: Corpus, share: float = 0.05, seed: int = 7) -> Corpus:
    """The same corpus after an editorial pass: `share` of the paragraphs reworded (a number or a name changes),
    a fifth as many organisations removed and as many added. What `msgmerge` and `l10n update` must merge."""
    rng = random.Random(seed)
    seen = set(corpus.segments())
    paragraphs = list(corpus.paragraphs)
    for index in rng.sample(range(len(paragraphs)), max(1, int(len(paragraphs) * share))):
        text = paragraphs[index]
        new = re.sub(r"\d+", lambda m: str(int(m.group(0)) + 1), text, count=1)
        if new == text or new in seen:
            new = text.replace(" et ", " ainsi que ", 1) if " et " in text else text + " Nous le répétons."
        if new not in seen:
            seen.add(new)
            paragraphs[index] = new
    groups = [Group(g.heading, list(g.organisations)) for g in corpus.groups]
    changes = max(1, int(sum(len(g.organisations) for g in groups) * share / 5))
    for _ in range(changes):
        group = rng.choice([g for g in groups if len(g.organisations) > 1])
        group.organisations.pop(rng.randrange(len(group.organisations)))
        rng.choice(groups).organisations.append(_organisation(rng, seen))
    return Corpus(corpus.title, paragraphs, corpus.dateline, groups)
