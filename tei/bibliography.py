"""The project's bibliographic-entry parser: printed citation text → located fields → ``<bibl>``.

Bibliographies and footnote citations in the sources are free text typed by hand,
not records: "Surname, Forename, Title, Place, Publisher, Year", quoted article
titles followed by a journal and "Vol. I, No. 3, pp. 77-91", French, Spanish and
transliterated Russian titles, remarks in parentheses. :func:`parse_entry` finds
the parts as character spans of the text (a :class:`Field` never changes a
character), so :func:`to_bibl` can mark them up as mixed content with every word
and punctuation mark left in place; normalised values (years, page ranges) go
into attributes only.

The rules are general (name shapes, imprint order, date and scope expressions,
word lists of places and publisher words); what a *document* knows -- that a
section lists works by one author, that entries are sorted by surname, that a
heading names the periodical -- is passed in as a :class:`Context` by its
converter.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from lxml import etree

from .teixml import el

# --- word lists -----------------------------------------------------------------------

_MONTHS = {
    # English
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
    # French
    "janvier": 1, "fevrier": 2, "février": 2, "fev": 2, "fév": 2, "mars": 3, "avril": 4, "avr": 4,
    "mai": 5, "juin": 6, "juillet": 7, "aout": 8, "août": 8, "septembre": 9, "octobre": 10,
    "novembre": 11, "decembre": 12, "décembre": 12, "déc": 12,
    # Spanish / Italian
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
    "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
    "dic": 12, "ene": 1, "abr": 4, "ago": 8,
    "gennaio": 1, "febbraio": 2, "aprile": 4, "maggio": 5, "giugno": 6, "luglio": 7, "settembre": 9,
    "ottobre": 10, "dicembre": 12,
}
_SEASONS = ("spring", "summer", "autumn", "fall", "winter", "printemps", "ete", "été", "automne",
            "hiver", "primavera", "verano", "otono", "otoño", "invierno")

PLACES = frozenset(p.strip() for p in """
Paris, London, New York, Moscow, Mexico, Mexico City, Mexico DF, Mexico D.F., Oxford, Cambridge,
Harmondsworth, Chapel Hill, Barcelona, Madrid, Ann Arbor, Boston, Montreal, Zurich, Geneva,
Santiago de Chile, Buenos Aires, Avignon, Montreuil, Lausanne, Munich, Berkeley, Bloomington,
New Brunswick, New Haven, Firenze, Florence, Milan, Milano, Rome, Roma, Middlesex, Lexington, Cleveland,
Greenwich, Armonk, Glasgow, Edinburgh, Frankfurt, Frankfurt, Main, Leningrad, Petrograd, Kharkiv,
Kharkov, Kiev, Kieff, Vienna, Berlin, Brussels, Bruxelles, Los Angeles, Hartford, Washington,
San Francisco, Chicago, Stanford, Princeton, Toronto, Amsterdam, Brighton, Manchester, Dublin, La Habana,
Havana, Lima, Bogota, Caracas, Montevideo, Lyon, Marseille, Marseilles, NY, N.Y., Londres, Moscou,
Orenburg, Coyoacan, Baltimore, Philadelphia, Ithaca, Evanston, Seattle, Detroit, Warsaw, Prague,
Budapest, Stockholm, Oslo, Copenhagen, Bern, Basel, Turin, Torino, Naples, Bologna, Liverpool, Leeds,
Sheffield, Birmingham, Cardiff, Ciudad de Mexico
""".replace("Frankfurt, Main", "Frankfurt; Main").replace(",\n", ",").replace("\n", " ").split(",")
    if p.strip()) | frozenset({
    "Frankfurt, Main", "New York & Oxford", "New York and London", "New York & London",
    "Moscow and New York", "London and New York", "New York and Moscow",
})
# Second parts of a place ("Lexington, Mass"): kept inside the same pubPlace.
_REGIONS = frozenset("Mass Mass. Conn Conn. NY N.Y. Connecticut Mich Mich. Calif Calif. Ill Ill. NJ N.J. "
                     "England Scotland France Mexico Chile Spain Italy Belgium Switzerland USA U.S.A.".split())

# Publisher names and words that make a segment an imprint's publisher.
_PUBLISHER_WORDS = frozenset("""
Press Presses Books Book Publishers Publisher Publishing Publications Publ. Pub. Editions Éditions
Editores Ediciones Edicion Edición Editorial Editoria Editori Editrice Ed. Librairie Libreria Verlag
Company Co. Co Inc. Inc Ltd Ltd. Cooperative Associates Service Bibliotheque Bibliothèque Imprimerie
Maspero Gallimard Grasset Seuil Rieder Julliard Fayard Flammarion Hachette Plon Minuit Penguin Pelican
Doubleday Gollancz Verso Methuen Heinemann Macmillan MacMillan Knopf Pathfinder Merit Monad Pluto
Harper Praeger Norton Unwin Cape Schocken Schoken Sphere Pantheon Vintage Bantam Routledge Secker Warburg
Jarrolds Wildwood Siglo Amiot-Dumont Spartacus Solidarity Putnam Dutton Longmans Sharpe Fawcett Harcourt
Jossey-Bass Merlin Hurst Blackett Wiedenfeld Weidenfeld Nicolson Thames Hudson Lawrence Wishart Muchnik
Albin Sagittaire Savelli Fontamara Domes Quetzales Transicion Transición Peninsula Ercilla Clancier
Guenaud Actes Sud Valois Tisne Tisné Lefevre Lefèvre Mundo Heath Viewpoints Busby Allison Hermitage
Scribner Scribners House OUP
""".split()) - {"Lefevre", "Lefèvre", "Tisne", "Tisné", "Valois", "Lawrence", "Heath", "Mundo", "Minuit", "Albin"}
# Common given names: a name of this list, not any capitalised word, is read as a forename where the
# shape alone is ambiguous ("Ed. Naomi Allen" an editor, "Ed. Nuova Italia" a publisher;
# "Frank, Pierre Introduction ..." a name, "Reinhardt, Crime Without Punishment" a title).
FORENAMES = frozenset("""
Aaron Abraham Ada Adam Adolf Adrian Agnes Alan Albert Alberto Alec Alexander Alexandra Alexandre Alexei
Alexis Alfred Alfredo Alice Alison Amy Ana Anatole Andre André Andrea Andreas Andrei Andres Andrés Andrew
Angel Angela Angelica Anita Ann Anna Anne Annie Anthony Anton Antoine Antonio Arch Arkady Arnold Arthur
Attilio August Barbara Benjamin Bernard Betty Bob Bohdan Boris Brian Bruno Burnett Carl Carlo Carlos
Caroline Catherine Cecil Charles Charlotte Christian Christine Christopher Clara Claude Clare Colin Daniel
Danny David Dennis Dick Donald Dora Dorothy Douglas Dwight Edmund Eduardo Edward Eleanor Eleanora Eleni Elena
Elisabeth Elizabeth Ellen Emil Emile Emma Emmanuel Enrique Eric Erich Ernest Ernesto Ernst Eugene Eugenia
Eulalia Eva Evgenia Evgeny Fedor Felix Fernando Fidel Francesco Francis Franco Francois François Frank
Franz Fred Frederick Friedrich Fritz Gabriel Gaston Geoffrey George Georges Georgy Gerald Gerhard Gilberto
Giorgio Giuseppe Gordon Grace Grigory Gustav Gustava Gustave Hannah Hans Harold Harry Heinrich Helen Helene
Hélène Helmut Henri Henriette Henry Herbert Howard Hryhory Hugh Hugo Ian Ignazio Ilya Ingrid Irina Irving
Isaac Isabel Isaiah Ivan Jack Jacob Jacques Jakob James Jan Jane Janet Jean Jeanine Jeanne Jeffrey Jerome
Jim Joan Johann Johannes John Jonathan Jorge Jose José Josef Joseph Juan Judith Julia Julian Julián Julie
Julien Julius Karl Kate Katherine Kenneth Konstantin Larissa Laurette Lawrence Leo Leon Léon Leonard Leonid
Leonard Les Lev Lilia Lisa Louis Louise Lucien Lucy Ludwig Luis Lynne Madeleine Magdeleine Manuel Marc
Marcel Marcelle Marceau Margaret Marguerite Maria Marie Marina Mark Marta Martin Mary Maurice Max Maxim
Maxime Michael Michel Mikhail Milton Moshe Murray Nadezhda Nancy Naomi Natalia Nathaniel Naum Nicholas
Nicola Nicolas Nikita Nikolai Nikolay Nikos Norman Octavio Oleg Oliver Olga Oscar Otto Pablo Pankratov Paul
Paula Pavel Pedro Pelai Peter Philip Philippe Pierre Ralph Ramon Raymond Renee Richard Rirette Robert Roger
Roland Romain Rosa Rose Roy Ruth Samuel Sarah Sergei Sergey Sheila Sherry Sidney Sieva Simon Simone Sofia
Solomon Sophie Stanley Stephen Steven Susan Susanna Sylvia Tamara Ted Terry Theo Theodor Theodore Thomas
Tim Timothy Tony Tariq Valentin Varian Vasily Vera Victor Viktor Vincent Vladimir Vlady Walter Werner
Wilebaldo Wilfredo Willard William Yevgeny Yuri Zinaida
""".split())

# Names that carry a comma of their own.
_COMMA_NAMES = (
    "Holt, Rinehart & Winston", "Holt, Rinehart and Winston", "Routledge, Kegan & Paul",
    "Routledge, Kegan and Paul", "Martin, Secker and Warburg", "Harcourt Brace, Jovanovich",
    "Longmans, Green Co", "Longmans, Green & Co", "Frankfurt, Main", "Little, Brown and company",
    "Little, Brown and Company", "Allison & Busby", "Simon and Schuster",
)
_UNIVERSITY = re.compile(r"\b(?:University|Universidad|Université|Universite|Univ\.|College|Institute|Institution)\b")
_REPOSITORY = re.compile(r"\b(?:Library|Archive|Archives|Archivo|Musee|Musée|Museum|Collection|Papers|Dossier|Fonds)\b")

# Capitalised words that begin titles, never names.
_NOT_NAME = frozenset("""
The A An In On Of At To For From By With And Or Not No Our My His Her Its Their Your This That These Those
What Who Why How When Where Is Are Was Were Be Let
Le La Les L Un Une Des Du De Au Aux En Et Ou Sur Pour Contre Vers Chez Dans Par Sans Entre Quand Que Qui
El Los Las Lo Unos Unas Del Al Y Sobre Para Por Con Sin Hacia Desde Como Cuando
Il I Gli Lo Della Dei Sul Nel Con Per
Der Die Das Ein Eine Und Im Vom Zum Zur
Vol Volume No Number Tome Part Section Chapter Book Letter Letters Correspondence Correspondencia
Typescript Manuscript Unpublished Interview Review Introduction Preface Afterword Foreword Notes Note
Selected Collected Complete Works Writings Diary Memoirs Memoires Mémoires Lettres Oeuvres Ouvres
Testimony Report Hearing Minutes Documents Documentary History Histoire Historia Life Vie
""".split())
_CORPORATE = re.compile(
    r"\b(?:Committee|Commissariat|Senate|Congress|Ministry|Department|Dept|Commission|Council|Parliament|"
    r"Party|Government|Bureau|Agency|Command|Office|Institute|Society|Association|Union)\b"
)

# Sentences that are the compiler's remarks, not bibliographic data.
_REMARK_START = re.compile(
    r"(?:This|These|It|A|An|Another|Part|Some|Several|Includes|Contains|There|Cited|See|Serge's)\b"
)
_REMARK_WORDS = re.compile(
    r"^(?:forthcoming(?!\sin\s)|unpublished|typescript|to be published|work in progress|in preparation|"
    r"no date(?: provided)?|no title|undated|handwritten|mimeographed|\(?a review\)?|review|book review|"
    r"interview with|an interview with|discussion|pamphlet|brochure|written(?=\s(?:in\s)?\d)|signed|"
    r"excerpts?|fragments?|numero special|special issue|in english|in spanish|in french|in russian|"
    r"expected date of publication)\b",
    re.I,
)

# --- expressions ----------------------------------------------------------------------

_MONTH_RE = "|".join(sorted((re.escape(m) for m in _MONTHS), key=len, reverse=True))
_SEASON_RE = "|".join(_SEASONS)
_Y4 = r"1[5-9]\d\d|20\d\d"
_YEAR = rf"(?:{_Y4})(?:\s?-{{1,2}}\s?(?:{_Y4}|\d\d?))?\??"
_MON = rf"(?:{_MONTH_RE})\.?"
_MON_RANGE = rf"{_MON}(?:\s?-\s?{_MON})?(?:\s(?:y|and|et)\s{_MON}(?:\s?-\s?{_MON})?)?"
_DAY = r"\d{1,2}(?:\s?-\s?\d{1,2})?"
_DATE_BODY = (
    "(?:"
    rf"(?:{_DAY}\s?)?{_MON_RANGE},?\s?(?:{_DAY},?\s)?(?:de\s)?(?:{_YEAR}|'?\d\d\b)"   # 3 Nov. 1928, Nov. 13, 1937, Nov. 43
    rf"|(?:{_SEASON_RE})(?:\s?-\s?(?:{_SEASON_RE}))?,?\s(?:{_YEAR})"                   # Spring 1973, Winter 1980-81
    rf"|\d{{1,2}}(?:\s?-\s?\d{{1,2}})?\s{_MON}(?!\w)"                                  # 26 june (no year)
    r"|\d{1,2}\.(?:\d{1,2}|[IVX]{1,4})\.\d{2,4}"                                          # 9.25.89, 6.IX.44
    rf"|{_YEAR}"
    ")"
)
DATE_RE = re.compile(_DATE_BODY, re.I)
_WEEKDAY = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|Wed\.|Thurs?\.|Fri\.|Sat\.|Sun\.|Mon\.|Tue\.)"
_DATE_FULL = re.compile(rf"(?:(?:in|of|dated|de|del)\s)?(?P<d>(?:{_WEEKDAY},?\s)?{_DATE_BODY})", re.I)

_ROMAN = r"[IVXLC]+"
_NUM = rf"(?:\d+|{_ROMAN})"
SCOPE_RES: list[tuple[str, re.Pattern[str]]] = [
    ("volume", re.compile(rf"(?:Vol(?:ume)?s?\.?|vol\.?|Tome|T\.)\s?(?P<a>{_NUM})(?::(?P<issue>\d+))?(?:\s?(?:-|and|&)\s?(?P<b>{_NUM}))?\b")),
    ("issue", re.compile(r"(?:Nos?\.?|nos?\.?|Num\.?|Number|numero|#)\s?,?\s?(?P<a>\d+)(?:\s?(?:-|/|&|and)\s?(?P<b>\d+))?(?:\s?\[\d+\])?")),
    # "p. 13", "pp. 19-20", "pps. 63-4", "pps, 35-36" (a typist's plural), "p. 219n" (a footnote on the page),
    # "pp. xiv-xv" (front-matter pages: no number attributes)
    ("page", re.compile(r"(?:pps|pp?)\.?,?\s?(?P<a>\d+|(?<=[.\s])[xivlc]+)n?(?:\s?-\s?(?P<b>\d*|[xivlc]+)n?)?"
                        r"(?:\s(?:and|et|&)\s(?:pp?\.\s?)?(?P<c>\d+)n?)?")),
    ("extent", re.compile(r"(?P<a>\d+)\s?pp\.?|(?P<v>\d+|Two|Three|Four|Five|two|three)\s(?:Volumes|volumes|vol\.|Vol\.)")),
    ("section", re.compile(r"(?:Section|Part|Cahiers?)\s(?P<a>\d+)(?:\s?-\s?(?P<b>\d+))?")),
]
_BARE_NUMBER = re.compile(r"\d+(?:\s?-\s?\d+)?")

_LABEL = re.compile(r"^(?P<bullet>-\s*)?(?P<label>(?:\d{1,3}|[a-z])\.)(?=\s)|^(?P<bullet2>-)(?=\s)")

# Cues before names (roles) and before titles.
_ROLE_CUES: list[tuple[re.Pattern[str], str, str | None]] = [
    (re.compile(r"(?:(?:English|Spanish|French|Italian|German|Russian)\s)?translation by\s|[Tt]ranslated (?:into \w+ )?by\s|[Tt]rad(?:uit|ucido|ucción)? (?:par|por|da)\s"), "editor", "translator"),
    (re.compile(r"(?:[Ee]dited(?: and (?:introduced|translated))? by|[Ee]d\. by|[Ee]dited and introduced by|ed\.|[Pp]resented by|[Cc]ompiled by)\s"), "editor", None),
    (re.compile(r"Ed\.\s(?=(?:[A-Z]\.\s?)*(?:" + "|".join(sorted(FORENAMES)) + r")\s[A-Z])"), "editor", None),
    (re.compile(r"(?:with an (?:introduction|essay|preface) by)\s"), "editor", "introducer"),
    (re.compile(r"(?:reviewed by|written by|by|par|por|written with)\s"), "author", None),
]
_TITLE_CUES = re.compile(
    r"(?:(?:Also|also|and)\s)?(?:(?:[Rr]eissued|[Rr]eprinted|[Rr]epublished|[Pp]ublished|[Rr]eleased|[Aa]ppeared)"
    r"(?:\s(?:with\s[\w\s]+?|separately|in\sEnglish|\w+ly))?\s(?:as|in)|as|and as|also as|[Aa]lso in|in|[Pp]ub\.\sin|forthcoming in)\s"
)



# --- results ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Field:
    """One located part of an entry: ``text[start:end]`` becomes element ``name``."""

    name: str
    start: int
    end: int
    attrs: tuple[tuple[str, str], ...] = ()

    def attr(self, key: str) -> str | None:
        return dict(self.attrs).get(key)


@dataclass
class ParsedEntry:
    text: str
    fields: list[Field] = field(default_factory=list)

    def values(self, name: str, **attrs: str) -> list[str]:
        """The texts of fields ``name`` (with the given attribute values), in order,
        leaving out those inside a remark (a date in "written 1929-30" is not a
        publication date)."""
        return [self.text[f.start:f.end] for f in self.of(name, **attrs)]

    def of(self, name: str, nested: bool = False, **attrs: str) -> list[Field]:
        notes = [f for f in self.fields if f.name == "note"]
        out = [f for f in sorted(self.fields, key=lambda f: (f.start, -f.end))
               if f.name == name and all(f.attr(k) == v for k, v in attrs.items())
               and (nested or f.name == "note" or not any(n.start <= f.start and f.end <= n.end for n in notes))]
        return out

    @property
    def has_author(self) -> bool:
        return any(f.name == "author" for f in self.fields)


@dataclass(frozen=True)
class Context:
    """What the document says about an entry beyond its own text.

    ``kind``: "work" (books and articles), "periodical" (a list of articles from one
    periodical, named by ``host``), "thesis", "unpublished", "letters",
    "interview", "file" (archival records).
    ``title_level``: level of an unquoted first title (``m`` unless unpublished).
    ``sorted_by_author``: the list is alphabetical by author, so a lone word
    before the first comma ("Krivitsky, In Stalin's Secret Service") or a name
    before a colon may be the author (the caller checks the order, see
    ``tei.converters.thesis_bibliography``).
    ``known_author``: a heading names the author of the entries ("Works by ..."),
    so a name at the start is taken only in the plain "Forename Surname," shape
    (the translated author of a translation), never "Carnets, Julliard".
    """

    kind: str = "work"
    host: str | None = None
    title_level: str = "m"
    sorted_by_author: bool = False
    known_author: bool = False
    no_names: bool = False      # the entry is known to start with its title


@dataclass(frozen=True)
class NameMatch:
    """Leading author names: the span of the whole name list and of each name."""

    start: int
    end: int
    names: tuple[tuple[int, int], ...]
    form: str          # "inverted" (Surname, Forename), "direct" (Forename Surname), "bare", "corporate"
    sort_key: str      # surname used for alphabetical order checks
    role: str = "author"   # or "editor" when "(Ed.)"/"Ed." follows


# --- small helpers ---------------------------------------------------------------------

@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower case without accents, for comparisons only (cached: the parser folds the same
    short strings -- places, hosts -- many thousand times)."""
    if text.isascii():
        return text.lower()
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


def _strip_span(text: str, start: int, end: int, chars: str = " ,;:") -> tuple[int, int]:
    while start < end and text[start] in chars:
        start += 1
    while end > start and text[end - 1] in chars:
        end -= 1
    return start, end


def _roman(value: str) -> int | None:
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
    if not value or any(c not in values for c in value):
        return None
    total = 0
    for i, c in enumerate(value):
        v = values[c]
        total += -v if i + 1 < len(value) and values[value[i + 1]] > v else v
    return total


def _number(value: str | None) -> str | None:
    if not value:
        return None
    if value.isdigit():
        return str(int(value))
    r = _roman(value)
    return str(r) if r else None


# --- dates -----------------------------------------------------------------------------

def _year4(y: str, base: str | None = None) -> str | None:
    y = y.strip("?' ")
    if len(y) == 4 and y.isdigit():
        return y
    if base and y.isdigit() and len(y) <= 2:
        return base[: 4 - len(y)] + y
    return None


def date_attrs(text: str) -> dict[str, str]:
    """ISO ``when`` or ``from``/``to`` for a clean date expression, else nothing.

    Only four-digit years count (a two-digit year or a numeric day/month order is
    not normalised: that would be a guess).
    """
    t = fold(text).strip(" .,;:()")
    t = re.sub(r"^(?:in|of|dated|de|del)\s", "", t)
    t = re.sub(r"\s+de\s", " ", t)
    if "?" in t:
        return {}
    m = re.fullmatch(rf"({_Y4})(?:\s?-{{1,2}}\s?(\d{{2,4}}))?", t)
    if m:
        a = m.group(1)
        if m.group(2):
            b = _year4(m.group(2), a)
            if b and b > a:
                return {"from": a, "to": b}
            return {}
        return {"when": a}
    m = re.fullmatch(rf"(?:{_SEASON_RE})(?:\s?-\s?(?:{_SEASON_RE}))?,?\s({_Y4})", t)
    if m:
        return {"when": m.group(1)}
    m = re.fullmatch(r"(?:(\d{1,2})(?:\s?-\s?(\d{1,2}))?\s)?([a-zéû]+)\.?(?:\s?-\s?([a-zéû]+)\.?)?,?\s?(?:(\d{1,2}),?\s)?(\d{4})", t)
    if m:
        d1, d2, m1, m2, d3, year = m.groups()
        if m1 not in _MONTHS or (m2 and m2 not in _MONTHS):
            return {}
        mon1 = _MONTHS[m1]
        day = d1 or d3
        if m2:
            if day:
                return {}
            return {"from": f"{year}-{mon1:02d}", "to": f"{year}-{_MONTHS[m2]:02d}"}
        if day and d2:
            a, b = int(day), int(d2)
            if 1 <= a < b <= 31:
                return {"from": f"{year}-{mon1:02d}-{a:02d}", "to": f"{year}-{mon1:02d}-{b:02d}"}
            return {}
        if day:
            if not 1 <= int(day) <= 31:
                return {}
            return {"when": f"{year}-{mon1:02d}-{int(day):02d}"}
        return {"when": f"{year}-{mon1:02d}"}
    m = re.fullmatch(rf"(?:{_SEASON_RE})(?:\s?-\s?(?:{_SEASON_RE}))?,?\s({_Y4})", t)
    if m:
        return {"when": m.group(1)}
    return {}


# --- names -----------------------------------------------------------------------------

_WORD = r"[A-ZÀ-Þ][\w'’\-]*\w"
_INITIALS = r"(?:[A-Z]\.\s?)*[A-Z]\.|[A-Z]{2,3}(?![\w.])"
_PARTICLE = r"y|van|von|del|della|di|da|du|de la|van der"
_NAME_TOKEN = re.compile(
    rf"\s*(?:(?P<init>{_INITIALS})|(?P<word>{_WORD})|(?P<part>{_PARTICLE})(?=\s[A-Z])|(?P<conj>and|&|et)(?=\s))"
)


def _tokens(text: str, pos: int, end: int) -> list[tuple[str, int, int]]:
    out = []
    while pos < end:
        m = _NAME_TOKEN.match(text, pos, end)
        if not m:
            break
        kind = m.lastgroup or ""
        out.append((kind, m.start(kind), m.end(kind)))
        pos = m.end(kind)
    return out


def _is_word(text: str) -> bool:
    """A capitalised word that can be part of a personal name."""
    if "'" in text and text.split("'")[0] in ("L", "D", "S", "Qu", "J", "N"):
        return False          # French elision: L'Affaire, D'un, S'il
    if text.endswith(("'s", "’s")):
        return False
    if text in _NOT_NAME or text.rstrip(".") in _PUBLISHER_WORDS:
        return False
    if len(text) > 3 and text.upper() == text:
        return False          # OGPU, URSS
    return True


def _spaced(text: str, a: int, b: int) -> bool:
    """Only one space between two tokens (initials may touch: "V.I.")."""
    return text[a:b] in (" ", "")


@dataclass(frozen=True)
class _Person:
    end: int
    form: str        # inverted, direct, bare
    key: str         # surname for ordering


def _inverted(text: str, pos: int, end: int) -> _Person | None:
    """ "Surname, Forename" / "Surname, F. M." / "Tavera Garcia, Susanna" / "van Rysselberghe, M." """
    m = re.match(r"(?:(?:van|von|de|du|da|di|le|la)\s)?", text[pos:end])
    p = pos + (m.end() if m else 0)
    toks = _tokens(text, p, end)
    if not toks or toks[0][0] != "word" or not _is_word(text[toks[0][1]:toks[0][2]]):
        return None
    surname = [toks[0]]
    if len(toks) > 1 and toks[1][0] == "word" and _spaced(text, toks[0][2], toks[1][1]) and _is_word(text[toks[1][1]:toks[1][2]]):
        surname.append(toks[1])
    for words in (surname, surname[:1]) if len(surname) > 1 else (surname,):
        s_end = words[-1][2]
        if not text.startswith(", ", s_end):
            continue
        q = s_end + 2
        ftoks = _tokens(text, q, end)
        fore_end = None
        n_words = 0
        k = 0
        while k < len(ftoks):
            kind, a, b = ftoks[k]
            if fore_end is not None and not _spaced(text, fore_end, a) and not text[fore_end - 1] == ".":
                break
            if kind == "init":
                fore_end = b
            elif kind == "word" and n_words < 2 and _is_word(text[a:b]) and (
                    not (fore_end and text[fore_end - 1] == ".") or text.startswith(",", b)):   # "Getty, J. Arch,"
                fore_end = b
                n_words += 1
            elif kind == "conj" and text[a:b] in ("et", "&") and fore_end and k + 1 < len(ftoks) \
                    and ftoks[k + 1][0] == "word" and text.startswith(",", ftoks[k + 1][2]):
                fore_end = ftoks[k + 1][2]          # "Rosmer, Alfred et Marguerite,"
                break
            else:
                break
            k += 1
        if fore_end is None:
            continue
        # "Pierre Introduction": a second word that is not followed by a comma starts the title
        tail = text[fore_end:end]
        if n_words == 2 and not re.match(r"\s?[,:]", tail):
            # keep only the first forename word
            first = next(t for t in ftoks if t[0] == "word")
            fore_end = first[2]
            while True:
                nxt = [t for t in ftoks if t[1] >= fore_end][:1]
                if nxt and nxt[0][0] == "init" and _spaced(text, fore_end, nxt[0][1]):
                    fore_end = nxt[0][2]
                else:
                    break
            tail = text[fore_end:end]
        ok_end = re.match(r"\s?[,:]|\s[\"“]|\s(?:and|&|et)\s|\s*$", tail)
        first_fore = text[q:fore_end].split()[0] if text[q:fore_end].split() else ""
        known = first_fore in FORENAMES or bool(re.fullmatch(r"(?:[A-Z]\.)+|[A-Z]{2,3}", first_fore))
        if len(words) > 1 and (not re.match(r",|:", tail) or not known):
            continue          # "Ruth Fischer, Stalin and ...", "Leon Trotsky, New York,": not a compound surname
        if not ok_end and not (re.match(r"\s[A-Z(]", tail) and known):
            continue          # "Reinhardt, Crime Without Punishment": a title, not a forename
        return _Person(fore_end, "inverted", text[pos:words[0][2]])      # "van Rysselberghe" files under V
    return None


def _direct(text: str, pos: int, end: int, allow_bare: bool) -> _Person | None:
    """ "Forename [M.] Surname" / "R. Albert" / "Gilberto Gonzalez y Contreras" (/ "Surname" alone)."""
    toks = _tokens(text, pos, end)
    words: list[tuple[str, int, int]] = []
    for kind, a, b in toks:
        if kind == "conj":
            break
        if kind == "word" and not _is_word(text[a:b]):
            break
        if words and not _spaced(text, words[-1][2], a) and not text[words[-1][2] - 1] == ".":
            break
        words.append((kind, a, b))
        if len(words) >= 5:
            break
    while words and words[-1][0] in ("part", "init"):
        words.pop()
    real = [w for w in words if w[0] != "part"]
    if len(real) >= 2 and real[-1][0] == "word":
        key = real[-1]
        for i, w in enumerate(words):
            if w[0] == "part" and i > 0:
                key = words[i - 1]
                break
        return _Person(real[-1][2], "direct", text[key[1]:key[2]])
    if allow_bare and len(real) == 1 and real[0][0] == "word":
        return _Person(real[0][2], "bare", text[real[0][1]:real[0][2]])
    return None


def leading_names(text: str, pos: int = 0, context: Context = Context()) -> NameMatch | None:
    """Author (or editor) names at the start of an entry, as printed.

    Shapes: "Surname, Forename," / "Surname, F. and Forename Surname," /
    "Surname, F. and Surname, F." / "Forename Surname," and, in lists sorted by
    author (``context.bare_surname``), also "Forename Surname:", "Surname, Title"
    and "Carr and Davies,". A lone surname elsewhere is a name only before a
    quoted title ("Parijanine, "La ville ..."). For interviews and letters a name
    may also end at a parenthesis or the end of the line. Corporate authors
    ("United States Senate,") are recognised by their nouns.
    """
    end = len(text)
    alphabetical = context.sorted_by_author
    loose = context.kind in ("interview", "letters")
    usual = not context.known_author
    m = re.match(r"[A-Z][\w'’]*(?:\s(?:[A-Z][\w'’.]*|of|the|for|and|on|de|du|des))*", text[pos:])
    if m and _CORPORATE.search(m.group(0)) and text.startswith(",", pos + len(m.group(0))):
        a, b = pos, pos + len(m.group(0))
        return NameMatch(a, b, ((a, b),), "corporate", text[a:b])
    names: list[tuple[int, int]] = []
    forms: list[str] = []
    p = pos
    while len(names) < 6:
        person = None
        quote_follows = re.match(r"[^,]{1,40},\s[A-Za-z.\s]{0,30}[\"“]", text[p:]) is not None
        if (not names and (alphabetical or usual or quote_follows)) or (names and forms[0] == "inverted"):
            person = _inverted(text, p, end)
        if person is None:
            person = _direct(text, p, end, allow_bare=True)
        if person is None:
            break
        names.append((p, person.end))
        forms.append(person.form)
        if len(names) == 1:
            key = person.key
        c = re.match(r",?\s(?:and|&)\s|,\s&\s|\s&\s" + (r"|\set\s" if loose else ""), text[person.end:])
        if c:
            p = person.end + c.end()
            continue
        break
    if not names:
        return None
    q = names[-1][1]
    tail = text[q:]
    if alphabetical:
        ok = re.match(r"\s?[,:]|\s[\"“]|\s\([^)\d][^)]*\),", tail) or (forms[0] == "inverted" and re.match(r"\s[A-Z]", tail))
    elif loose:
        ok = re.match(r"\s?,|\s\(|\s*$", tail)
    elif usual:
        ok = re.match(r"\s?[,:]|\s[\"“]", tail) or (forms[0] == "inverted" and re.match(r"\s[A-Z]", tail))
    else:
        ok = re.match(r",\s", tail)
    if not ok:
        return None
    if forms[0] == "bare" and len(names) == 1 and not alphabetical and not loose:
        if not re.match(r",\s[\"“]", tail):
            return None       # "Lenine, 1917" is a title
    if forms.count("bare") and not alphabetical and not loose and not re.match(r",\s[\"“]", tail) \
            and not (len(names) > 1 and forms.count("bare") < len(names) or len(names) > 1):
        return None
    role = "author"
    if re.match(r",?\s\(?[Ee]ds?\.\)?|,?\s\([Ee]ditors?\)", tail):
        role = "editor"
    return NameMatch(names[0][0], q, tuple(names), forms[0], key, role)


# --- quotes and segments ---------------------------------------------------------------

def _closing_at(text: str, j: int, end: int) -> bool:
    return text[j] in '"”' and text[j - 1] != " " and (j + 1 >= end or text[j + 1] in " ,.;:)]?!-'")


def quoted_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, bool]]:
    """Quoted passages as (start, end, closed); the marks are inside the span.

    A closing mark with no opening one before it (``La Pensee anarchiste," in``)
    makes a span from ``start``: the opening mark was lost in the source.
    """
    end = len(text) if end is None else end
    out = []
    i = start
    while i < end:
        c = text[i]
        if c in '"“' and (i == start or text[i - 1] in " ([-'‘"):
            j = i + 1
            close = None
            while j < end:
                if _closing_at(text, j, end):
                    close = j + 1
                    break
                j += 1
            out.append((i, close, True) if close else (i, i, False))
            i = close if close else i + 1
            continue
        if c in '"”' and not out and _closing_at(text, i, end) and i - start < 150:
            out.append((start, i + 1, True))
        i += 1
    return out


@dataclass
class Seg:
    start: int
    end: int
    sep_before: str      # "," "." ";" ")" "(" or "" (start)
    kind: str = ""


_ABBREVIATIONS = frozenset("""
vol vols no nos pp pps p ed eds st mr mrs dr jr sr co inc ltd univ pub publ coll num dept doct op trans tr rev cf
etc al ser n t cie ms mss fig ch chap sect pt repr tome esp approx ca c nouv dir ibid id mass conn calif mich
ill wed thurs fri sat sun mon tues sept fev dic avr ene abr ago
""".split()) | frozenset(_MONTHS)


def _is_abbreviation(token: str, following: str = "") -> bool:
    """Whether "token." is an abbreviation (no sentence ends there).

    ``following`` is the text after the full stop: after a short number ("p. 56.")
    a sentence ends only where a capitalised word follows.
    """
    t = token.lstrip("(\"'“[")
    if not t:
        return False
    if re.fullmatch(r"(?:[A-Za-z]\.)*[A-Za-z]", t):     # initials, D.F, Ph.D, N.Y, R
        return True
    if t.isdigit():
        return len(t) < 4 and not re.match(r"\s(?:This|These|It|A|An|Another|Part|The|In|See)\b", following)
    return fold(t) in _ABBREVIATIONS or fold(t.rsplit("-", 1)[-1]) in _ABBREVIATIONS


# --- classification --------------------------------------------------------------------

def _is_place(s: str) -> bool:
    s = s.strip(" ")
    if s in PLACES or s.rstrip(".") in PLACES:
        return True
    parts = re.split(r"\s(?:&|and|y|et)\s", s)
    return len(parts) > 1 and all(p in PLACES for p in parts)


def _is_publisher(s: str) -> bool:
    words = re.findall(r"[\w.'&-]+", s)
    if not words or len(words) > 7:
        return False
    if re.match(r"(?:The|A|An|La|Le|Les|El)\s[A-Za-z]+\s(?:of|on|de|du|del)\b", s):
        return False          # "The History of ...": a title
    if any(w in _PUBLISHER_WORDS or w.rstrip(",") in _PUBLISHER_WORDS for w in words):
        return True
    return bool(_UNIVERSITY.search(s))


# Public names for other recognisers (tei.citations) that judge footnote citations with the same word lists.
is_publisher = _is_publisher
REPOSITORY = _REPOSITORY


def _scope(text: str, a: int, b: int) -> tuple[str, dict[str, str]] | None:
    s = text[a:b].strip(" .")
    for unit, rx in SCOPE_RES:
        m = rx.fullmatch(s)
        if not m:
            continue
        if unit == "extent":
            return "extent", {}
        attrs: dict[str, str] = {}
        x = _number(m.group("a"))
        y = _number(m.groupdict().get("b"))
        if unit == "page" and y and x and len(y) < len(x):
            y = x[: len(x) - len(y)] + y        # 456-7 → 456-457
        if x:
            attrs = {"from": x, "to": y or x}
            if int(attrs["to"]) < int(x):
                attrs = {}
        if unit == "page" and m.groupdict().get("c"):
            attrs = {}                           # "p. 1 and 7": not one range
        return ("part" if unit == "section" else unit), attrs
    return None


_CUE_START = re.compile(r"(?:(?:and|also)\s)?(?:re(?:printed|published|issued)|published|appeared|to be published|first published)\b|[Ee]d\.\sby\b|[Ee]dited\b", re.I)


def _classify(text: str, seg: Seg, ctx: Context) -> None:
    s = text[seg.start:seg.end]
    bare = s.strip(" .")
    seg.kind = "text"
    if not bare:
        seg.kind = "punct"
    elif bare[0] in '"“' or (bare.endswith(('"', "”")) and bare.count('"') + bare.count("”") == 1 and seg.sep_before == ""):
        seg.kind = "quoted"
    elif _CUE_START.match(bare) or _role_at(text, seg.start, seg.end):
        seg.kind = "text"
    elif re.search(r"\d", bare) and _DATE_FULL.fullmatch(re.sub(rf"^{_WEEKDAY},?\s", "", bare)):
        seg.kind = "date"
    elif _scope(text, seg.start, seg.end):
        seg.kind = "scope"
    elif _is_place(bare):
        seg.kind = "place"
    elif bare in _COMMA_NAMES:
        seg.kind = "publisher"
    elif bare in _REGIONS:
        seg.kind = "region"
    elif bare.startswith("(") and bare.endswith(")"):
        seg.kind = "paren"
    elif _REMARK_WORDS.match(bare):
        seg.kind = "remark"
    elif _is_publisher(bare):
        seg.kind = "publisher"
    elif _BARE_NUMBER.fullmatch(bare):
        seg.kind = "number"
    elif re.fullmatch(_WEEKDAY, bare):
        seg.kind = "remark"


_COMPANY_SUFFIX = re.compile(r"\s(?:Inc|inc|Ltd|S\.A)\b")
_SPLIT_CHARS = re.compile(r"[(),;:.]")


_COMMA_NAME_RES = [(name, re.compile(re.escape(name))) for name in _COMMA_NAMES]
_SEGMENT_DATE = re.compile(rf"(?:{_WEEKDAY},?\s)?(?:{_DATE_BODY})", re.I)


def segments(text: str, start: int, end: int, quotes: list[tuple[int, int, bool]]) -> list[Seg]:
    """Split at commas, semicolons, sentence ends and parentheses, outside quotes.

    Names and dates that contain a comma ("Holt, Rinehart & Winston", "Nov. 13,
    1937") and bracketed insertions ("[sic]") are not split.
    """
    protected: list[tuple[int, int]] = [(a, b) for a, b, c in quotes if c and b > a]
    piece = text[start:end]
    for name, rx in _COMMA_NAME_RES:
        if name in piece:
            for m in rx.finditer(piece):
                protected.append((start + m.start(), start + m.end()))
    if "," in piece:
        for m in _SEGMENT_DATE.finditer(piece):
            g = m.group(0)
            if "," in g and re.search(r"\d", g) and (start + m.end() >= end or not text[start + m.end()].isalnum()):
                protected.append((start + m.start(), start + m.end()))
    if "[" in piece:
        for m in re.finditer(r"\[[^\]]*\]", piece):
            protected.append((start + m.start(), start + m.end()))
    # a split is never made inside a protected range; only the characters that can split are visited
    covered = bytearray(end - start)
    for a, b in protected:
        a, b = max(a, start), min(b, end)
        if a < b:
            covered[a - start:b - start] = b"\x01" * (b - a)
    depth = 0
    segs: list[Seg] = []
    seg_start = start
    sep = ""
    for split in _SPLIT_CHARS.finditer(text, start, end):
        i = split.start()
        if covered[i - start]:
            continue
        c = text[i]
        if c == "(":
            if depth == 0 and text[seg_start:i].strip():
                segs.append(Seg(seg_start, i, sep))
                seg_start, sep = i, "("
            depth += 1
        elif c == ")":
            depth = max(0, depth - 1)
            if depth == 0:
                segs.append(Seg(seg_start, i + 1, sep))
                seg_start, sep = i + 1, ")"
        elif depth == 0 and c in ",;" and not (c == "," and _COMPANY_SUFFIX.match(text, i + 1)):
            segs.append(Seg(seg_start, i, sep))
            seg_start, sep = i + 1, c
        elif depth == 0 and c == ":" and re.search(r"\b1[5-9]\d\d(?:-\d{1,4})?$", text[seg_start:i]) \
                and text[i + 1:i + 2] == " ":
            segs.append(Seg(seg_start, i, sep))          # "Correspondence with ..., 1928: Les Humbles"
            seg_start, sep = i + 1, c
        elif depth == 0 and c == "." and (i + 1 >= end or text[i + 1] == " "):
            token = text[seg_start:i].rsplit(" ", 1)[-1]
            if not _is_abbreviation(token, text[i + 1:i + 20]):
                segs.append(Seg(seg_start, i + 1, sep))
                seg_start, sep = i + 1, "."
    segs.append(Seg(seg_start, end, sep))
    out = []
    for sg in segs:
        a, b = _strip_span(text, sg.start, sg.end, " ,;")
        m = re.match(r"(?:and|also|or|et|y)\s(?!as\b|in\b|reprinted|republished|published|reissued)", text[a:b])
        if m and b - a > m.end():
            a += m.end()
        if a < b and text[a:b] not in (".", "-", ":"):
            out.append(Seg(a, b, sg.sep_before))
    return out


_TRAILING_SCOPE = re.compile(
    r"(?<=\w)\s(?P<s>(?:Nos?\.?|nos?\.?|Vol\.|Num\.|Number|#)\s?\d+(?:\s?(?:-|&|and)\s?\d+)?"
    r"|pp?\.\s?\d+(?:\s?-\s?\d+)?|\d{1,3})$"
)


def _peel(text: str, a: int, b: int, ctx: Context, first: bool = False) -> list[Seg] | None:
    """Split a trailing date or issue/page number off text[a:b] ("Paris 1924", "Critique 13")."""
    while b > a and text[b - 1] in ". ":
        b -= 1
    t = text[a:b]
    m = re.search(rf"(?<=[\w.)?!])\s(?:(?:in|de)\s)?(?P<d>{_DATE_BODY})\.?$", t, re.I)
    if m and re.search(r"\d", m.group("d")) and not t[:m.start()].rstrip().endswith(":"):
        head = Seg(a, a + m.start(), "")
        _classify(text, head, ctx)
        htext = text[head.start:head.end]
        if first or head.kind in ("place", "publisher", "region") or len(htext.split()) <= 4:
            return [head, Seg(a + m.start("d"), b, " ", "date")]
    m = _TRAILING_SCOPE.search(t)
    if m and not first and not re.search(r"\b(?:in|of|de|a|and|y)$", t[:m.start()]):
        head = Seg(a, a + m.start(), "")
        _classify(text, head, ctx)
        tail = Seg(a + m.start("s"), b, " ")
        tail.kind = "scope" if _scope(text, tail.start, tail.end) else "number"
        return [head, tail]
    return None


_PLACES_LONGEST_FIRST = [(p, fold(p) + " ") for p in sorted(PLACES, key=len, reverse=True)]


def _split_compound(text: str, segs: list[Seg], ctx: Context) -> None:
    """Split "Paris 1924", "Monad Press 1979", "Nouvelle Age No. 9 1931", "paris Les Iles d'Or"."""
    k = 0
    while k < len(segs):
        sg = segs[k]
        t = text[sg.start:sg.end]
        cue = re.match(r"(?:(?:and|also|first)\s)?(?:as|in|reissued|reprinted|republished|published|revue)\b", t, re.I)
        manuscript_title = k == 0 and ctx.kind == "unpublished" and sg.kind == "text"
        if sg.kind in ("text", "publisher", "place") and (k > 0 or sg.kind != "text" or manuscript_title) and not cue:
            parts = _peel(text, sg.start, sg.end, ctx, first=manuscript_title)
            if parts:
                parts[0].sep_before = sg.sep_before
                if parts[0].start < parts[0].end:
                    segs[k:k + 1] = parts
                    if parts[0].kind in ("text", "publisher", "place"):
                        continue
                    k += 1
                    continue
            # leading place, then a publisher: "paris Les Iles d'Or"
            if sg.kind in ("text",) and k > 0:
                ft = fold(t)
                for place, fplace in _PLACES_LONGEST_FIRST:
                    if ft.startswith(fplace):
                        rest = t[len(place) + 1:]
                        if rest[:1].isupper() and not _is_place(rest):
                            segs[k:k + 1] = [Seg(sg.start, sg.start + len(place), sg.sep_before, "place"),
                                             Seg(sg.start + len(place) + 1, sg.end, " ", "publisher")]
                        break
        # leading date, then another imprint: "1963 and Writers and Readers"
        if sg.kind == "text" and k > 0:
            m = re.match(rf"(?P<d>{_Y4})\sand\s(?=[A-Z])", t)
            if m:
                rest = Seg(sg.start + m.end(), sg.end, " ")
                _classify(text, rest, ctx)
                segs[k:k + 1] = [Seg(sg.start, sg.start + len(m.group("d")), sg.sep_before, "date"), rest]
                continue
        k += 1


# --- the parser -------------------------------------------------------------------------

class _Builder:
    def __init__(self, text: str) -> None:
        self.text = text
        self.fields: list[Field] = []

    def add(self, name: str, a: int, b: int, **attrs: str | None) -> Field | None:
        t = self.text
        a, b = _strip_span(t, a, b, " ,;:")
        if name not in ("note", "label"):
            a, b = _strip_span(t, a, b, " ,;:")
            if name == "title" and b - a > 1 and t[b - 1] == "." and t[b - 2].isalpha() \
                    and not _is_abbreviation(t[a:b - 1].rsplit(" ", 1)[-1]):
                b -= 1                               # the full stop ends the entry's sentence
            elif name not in ("title",):
                while b > a and t[b - 1] == "." and (t[b - 2:b - 1].isdigit()
                                                     or not _is_abbreviation(t[a:b - 1].rsplit(" ", 1)[-1])):
                    b -= 1
        if a >= b:
            return None
        if (a > 0 and t[a - 1].isalnum() and t[a].isalnum()) or (b < len(t) and t[b].isalnum() and t[b - 1].isalnum()):
            return None                              # never split a word
        clean = tuple(sorted((k.replace("_", ":") if not k.startswith("_") else k, v)
                             for k, v in attrs.items() if v))
        f = Field(name, a, b, clean)
        self.fields.append(f)
        return f


def parse_entry(text: str, context: Context = Context()) -> ParsedEntry:
    """Locate the parts of one printed bibliographic entry (see the module docstring)."""
    out = _Builder(text)
    pos = 0
    m = _LABEL.match(text)
    if m:
        if m.group("label"):
            out.add("label", m.start("label"), m.end("label"))
        pos = m.end()
    while pos < len(text) and text[pos] == " ":
        pos += 1
    if context.kind == "file":
        _parse_file(text, pos, out)
        return ParsedEntry(text, out.fields)
    names = None if context.no_names else leading_names(text, pos, context)
    if names:
        if context.kind in ("interview", "letters"):
            role = "interviewee" if context.kind == "interview" else "correspondent"
            for a, b in names.names:
                out.add("persName", a, b, role=role)
        else:
            name = "editor" if names.role == "editor" else "author"
            for a, b in names.names:
                out.add(name, a, b)
        pos = names.end
        rest = re.match(r"[,:]?\s?(?:\(?[Ee]ds?\.\)?,?\s?(?:by\s)?)?", text[pos:])
        if rest:
            pos += rest.end()
    _parse_body(text, pos, context, out, after_author=bool(names) and context.kind == "work")
    return ParsedEntry(text, out.fields)


def _parse_file(text: str, pos: int, out: _Builder) -> None:
    """Archival records: dates, issuing offices ("from Dept of State"), file numbers."""
    for m in DATE_RE.finditer(text, pos):
        a, b = m.start(), m.end()
        if not re.search(r"\d", m.group(0)) or (a > 0 and text[a - 1].isalnum()) or (b < len(text) and text[b].isalnum()):
            continue
        out.add("date", a, b, **date_attrs(text[a:b]))
    office = r"(?:(?:US|U\.S\.)\s)?(?:Dept|Department|Defense|FBI|Office|Diplomatic|Naval|Washington FBI|New York FBI|HQ|US Army|Federal)[^,;()\d]*?"
    m = re.match(rf"(?P<o>{office})(?=,)", text[pos:])
    if m:
        out.add("orgName", pos, pos + m.end("o"))
    for m in re.finditer(rf"\b(?:from|From)\s(?:the\s)?(?P<o>{office})(?=[,;(]|\s\d|\s*$)", text[pos:]):
        out.add("orgName", pos + m.start("o"), pos + m.end("o"))
    for m in re.finditer(r"(?:Doct\s#|document\s|Serial No\.\s|Report\s)(?P<n>\d[\d-]+)", text[pos:]):
        out.add("idno", pos + m.start("n"), pos + m.end("n"))


def _role_at(text: str, a: int, b: int) -> tuple[str, str | None, int] | None:
    """A role cue at the start of text[a:b] ("translated by ", "edited by ")."""
    for rx, name, role in _ROLE_CUES:
        m = rx.match(text, a, b)
        if m:
            return name, role, m.end()
    return None


def _names_in(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """Personal names filling text[a:...] ("Serge, Wullens and Rosmer", "Peter Sedgwick as ...")."""
    out = []
    p = a
    while p < b:
        while p < b and text[p] == " ":
            p += 1
        got = _direct(text, p, b, allow_bare=True)
        if not got:
            break
        out.append((p, got.end))
        c = re.match(r",?\s(?:and|&|et|y)\s|,\s(?=[A-Z][\w'-]+(?:,|\s(?:and|&)\s|$))", text[got.end:b])
        if not c:
            break
        p = got.end + c.end()
    return out


@dataclass
class _State:
    ctx: Context
    title_done: bool = False     # the entry's own title is found
    article: bool = False        # it is a part of something (a quoted title)
    host_done: bool = False
    imprint: bool = False        # place/publisher/date seen since the last title
    pending: str | None = None   # "translation": a title follows

    @property
    def kind(self) -> str:
        return self.ctx.kind


def _parse_body(text: str, pos: int, ctx: Context, out: _Builder, after_author: bool = False) -> None:
    quotes = quoted_spans(text, pos)
    segs = segments(text, pos, len(text), quotes)
    for k, sg in enumerate(segs):
        _classify(text, sg, ctx)
        if k == 0 and after_author and sg.kind in ("date", "number"):
            sg.kind = "text"        # "Vladimir Mayakovsky, 26-27 fevrier 1917 (fragments)": a title
        if k == 0 and sg.kind in ("publisher", "remark") and ctx.kind not in ("file",) and \
                not re.match(r"(?i)typescript|no title|manuscript", text[sg.start:sg.end]):
            sg.kind = "text"        # an entry starts with its title
    _split_compound(text, segs, ctx)
    state = _State(ctx)
    i = 0
    while i < len(segs):
        i = _step(text, segs, i, state, out)


def _add_scope(text: str, a: int, b: int, out: _Builder) -> None:
    unit, attrs = _scope(text, a, b) or ("", {})
    if unit == "extent":
        out.add("extent", a, b)
    elif unit:
        out.add("biblScope", a, b, unit=unit, **attrs)


def _add_date(text: str, a: int, b: int, out: _Builder) -> None:
    t = text[a:b].strip(" .")
    m = _DATE_FULL.search(t)
    if m:
        a = a + (len(text[a:b]) - len(text[a:b].lstrip(" "))) + m.start("d")
        b = a + len(m.group("d"))
    out.add("date", a, b, **date_attrs(text[a:b]))


def _step(text: str, segs: list[Seg], i: int, state: _State, out: _Builder) -> int:
    sg = segs[i]
    t = text[sg.start:sg.end]
    if sg.sep_before == "." and _REMARK_START.match(t) and not _CUE_START.match(t):
        out.add("note", sg.start, len(text))       # the compiler's remark: "This article ..."
        return len(segs)
    kind = sg.kind
    if kind == "paren":
        _paren(text, sg, state, out)
    elif kind == "quoted":
        return _quoted(text, segs, i, state, out)
    elif kind == "date":
        _add_date(text, sg.start, sg.end, out)
        state.imprint = True
    elif kind == "scope":
        _add_scope(text, sg.start, sg.end, out)
        state.imprint = True
    elif kind in ("place", "region"):
        b = sg.end
        if kind == "place" and i + 1 < len(segs) and (segs[i + 1].kind == "region"
                                                        or text[segs[i + 1].start:segs[i + 1].end] in _REGIONS):
            b = segs[i + 1].end
            i += 1
        out.add(_place_name(state), sg.start, b)
        state.imprint = True
    elif kind == "publisher":
        if state.kind in ("letters", "unpublished") and (_REPOSITORY.search(t) or _UNIVERSITY.search(t)):
            out.add("orgName", sg.start, sg.end)
        else:
            out.add("publisher", sg.start, sg.end)
        state.imprint = True
    elif kind == "remark":
        note = out.add("note", sg.start, sg.end)
        m = re.search(rf"(?:{_DATE_BODY})$", t, re.I)
        if note and m and re.search(r"\d", m.group(0)):
            _add_date(text, sg.start + m.start(), sg.end, out)
    elif kind == "number":
        if state.article or state.kind == "periodical" or state.host_done:
            nxt = segs[i + 1] if i + 1 < len(segs) else None
            unit = "volume" if nxt is not None and nxt.kind == "scope" and \
                (_scope(text, nxt.start, nxt.end) or ("",))[0] == "issue" else "issue"
            n = re.fullmatch(r"\d+", t.strip(" ."))
            x = _number(n.group(0)) if n else None
            out.add("biblScope", sg.start, sg.end, unit=unit, **({"from": x, "to": x} if x else {}))
            state.imprint = True
    elif kind == "text":
        return _text(text, segs, i, state, out)
    return i + 1


def _place_name(state: _State) -> str:
    """Places of interviews and of unpublished papers are not places of publication."""
    return "placeName" if state.kind in ("interview", "unpublished") else "pubPlace"


def _paren(text: str, sg: Seg, state: _State, out: _Builder) -> None:
    a, b = sg.start + 1, sg.end - 1
    inner = text[a:b].strip()
    prev = max(out.fields, key=lambda f: f.end) if out.fields else None
    touching_title = prev is not None and prev.name == "title" and text[prev.end:sg.start].strip() == ""
    unquoted_title = touching_title and prev is not None and text[prev.start] not in '"“' and prev.attr("level") != "j"
    if re.fullmatch(r"[Ee]ds?\.|[Ee]ditors?", inner):
        return
    if re.fullmatch(r"the [Ee]ditors", inner):
        out.add("author", a, b)
        return
    m = re.fullmatch(r"(?:conducted by|interviewed by)\s(.+)", inner)
    if m:
        out.fields.append(Field("respStmt", a, b, (("_resp", str(len(inner) - len(m.group(1)))),)))
        return
    if re.search(r"\d", inner) and _DATE_FULL.fullmatch(inner):
        if unquoted_title and state.kind != "unpublished" and re.fullmatch(r"\d{4}(?:-\d{2,4})?", inner) and prev is not None:
            # "Notes d'Allemagne (1923)": the years a work covers are part of its title
            out.fields.remove(prev)
            out.fields.append(replace(prev, end=sg.end))
            return
        out.add("date", a, b, **date_attrs(inner))
        return
    if _scope(text, a, b):
        _add_scope(text, a, b, out)
        return
    if _is_place(inner):
        # "(London)" after a periodical is its place; "(Berlin)" after a name is where it was written
        after_host = prev is not None and prev.name == "title" and prev.attr("level") == "j"
        out.add("pubPlace" if after_host and state.kind != "interview" else "placeName", a, b)
        return
    # a parenthesis of data: "(no. 3, April 1937)", "(Editions sociales internationales)"
    sub = segments(text, a, b, [])
    for x in sub:
        _classify(text, x, state.ctx)
    if sub and all(x.kind in ("date", "scope", "place", "publisher", "region") for x in sub):
        for x in sub:
            if x.kind == "date":
                _add_date(text, x.start, x.end, out)
            elif x.kind == "scope":
                _add_scope(text, x.start, x.end, out)
            elif x.kind in ("place", "region"):
                out.add(_place_name(state), x.start, x.end)
            else:
                out.add("publisher", x.start, x.end)
        return
    # right after an unquoted title, without a comma: part of it ("(Conscience de l'ecrivain)")
    if (unquoted_title and prev is not None and inner[:1].isupper() and not _REMARK_WORDS.match(inner)
            and not re.match(r"(?:[A-Z][a-z]+ed|This|These|Book|Review|Unsigned|Work|Number|In|On|For|Para|Pour)\b", inner)):
        out.fields.remove(prev)
        out.fields.append(replace(prev, end=sg.end))
        return
    out.add("note", sg.start, sg.end)


def _host_title(text: str, a: int, b: int, state: _State, out: _Builder, segs: list[Seg], i: int) -> None:
    """The periodical or book an article appeared in (``in X``, ``revue X``)."""
    m = re.match(r"(?:the\s)?(?:revue|revista|journal|magazine|special issue of)\s", text[a:b])
    if m:
        a += m.end()
    nxt = segs[i + 1:i + 4]
    level = "j"
    if state.kind != "periodical" and any(x.kind == "publisher" for x in nxt) and not any(
            x.kind == "scope" for x in nxt[:1]):
        level = "m"
    if any(x.kind == "text" and re.match(r"by\s", text[x.start:x.end]) for x in nxt[:1]):
        level = "m"
    out.add("title", a, b, level=level)
    state.host_done = True


def _title_level(state: _State, quoted: bool) -> str:
    if state.kind == "thesis":
        return "m"
    if state.kind == "unpublished":
        return "u"
    if state.kind == "periodical" or quoted:
        return "a"
    return state.ctx.title_level


def _quoted(text: str, segs: list[Seg], i: int, state: _State, out: _Builder) -> int:
    sg = segs[i]
    t = text[sg.start:sg.end]
    first_title = not state.title_done
    level = _title_level(state, quoted=True) if first_title else "a"
    q = [x for x in quoted_spans(text, sg.start, sg.end) if x[2]]
    if q and q[0][0] == sg.start:
        qa, qb = q[0][0], q[0][1]
        out.add("title", qa, qb, level=level)
        state.title_done = state.article = True
        state.imprint = False
        rest = qb
        while rest < sg.end and text[rest] == " ":
            rest += 1
        if rest < sg.end:
            nxt = segs[i + 1] if i + 1 < len(segs) else None
            ed = nxt is not None and nxt.kind == "paren" and re.fullmatch(r"\([Ee]ds?\.\)", text[nxt.start:nxt.end]) is not None
            _after_title(text, rest, sg.end, state, out, editor_follows=ed)
        return i + 1
    # unclosed quote: the title runs on over plain segments up to the one before the periodical
    j = i + 1
    while j < len(segs) and segs[j].kind in ("text", "remark") and segs[j].sep_before == ",":
        j += 1
    texts = [k for k in range(i + 1, j) if segs[k].kind == "text"]
    if texts and j < len(segs) and segs[j].kind in ("date", "scope", "place", "number", "publisher") \
            and state.kind != "periodical":
        host = texts[-1]
        out.add("title", sg.start, segs[host - 1].end, level=level)
        state.title_done = state.article = True
        for k in range(host, j):
            if segs[k].kind == "text" and k == host:
                _host_title(text, segs[k].start, segs[k].end, state, out, segs, k)
            elif segs[k].kind == "remark":
                out.add("note", segs[k].start, segs[k].end)
        return j
    out.add("title", sg.start, sg.end, level=level)
    state.title_done = state.article = True
    return i + 1


def _is_personal_name(text: str, a: int, b: int) -> bool:
    """text[a:b] is exactly "Forename [M.] Surname" with a known forename ("Jacques Mesnil")."""
    a, b = _strip_span(text, a, b, " ,.")
    person = _direct(text, a, b, allow_bare=False)
    first = text[a:b].split()[0] if text[a:b].split() else ""
    return bool(person) and person.end >= b and len(text[a:b].split()) <= 4 and (
        first in FORENAMES or bool(re.fullmatch(r"(?:[A-Z]\.\s?)+", first)))


def _host_peeled(text: str, a: int, b: int, state: _State, out: _Builder,
                 segs: list[Seg] | None = None, i: int = 0) -> None:
    """A host title followed, without a comma, by its issue or date ("Mundo # 15", "L'Humanite 26 juin 1930")."""
    tails: list[Seg] = []
    while True:
        parts = _peel(text, a, b, state.ctx)
        if not parts or parts[0].end <= a:
            break
        tails.insert(0, parts[1])
        b = parts[0].end
        while b > a and text[b - 1] == " ":
            b -= 1
    _host_title(text, a, b, state, out, segs or [], i)
    for t in tails:
        if t.kind == "date":
            _add_date(text, t.start, t.end, out)
        elif t.kind == "scope":
            _add_scope(text, t.start, t.end, out)
        else:
            out.add("biblScope", t.start, t.end, unit="issue")


def _after_title(text: str, a: int, b: int, state: _State, out: _Builder, editor_follows: bool = False) -> None:
    """Text between a closing quote and the next comma: "R. Albert", "in Casa del Tiempo", "252"."""
    t = text[a:b]
    cue = _role_at(text, a, b)
    if cue:
        name, role, at = cue
        names = _names_in(text, at, b)
        if names and names[-1][1] >= b - 1:
            co = "1" if re.match(r"(?:written\s)?with\s", text[a:at]) else None
            for x, y in names:
                out.add(name, x, y, role=role, _co=co)
            return
    q = re.match(r"and\s(?=[\"“])", t)
    if q:
        spans = [x for x in quoted_spans(text, a + q.end(), b) if x[2]]
        if spans:
            first = next((f for f in out.fields if f.name == "title"), None)
            out.add("title", spans[0][0], spans[0][1], level=(first.attr("level") if first else "a") or "a")
            if spans[0][1] < b:
                rest = spans[0][1]
                while rest < b and text[rest] == " ":
                    rest += 1
                if rest < b:
                    _after_title(text, rest, b, state, out)
            return
    if _is_personal_name(text, a, b):
        out.add("editor" if editor_follows else "author", a, b)
        return
    if re.fullmatch(r"(?:[A-Z]\.\s?)+[A-Z]\.?", t.strip(",")):
        out.add("author", a, b)            # "R.A."
        return
    m = re.match(r"(?:the\s)?(?:revue|revista)\s", t) or _TITLE_CUES.match(t)
    if m and not m.group(0).rstrip().endswith(" as") and m.group(0).strip() != "as":
        _host_peeled(text, a + m.end(), b, state, out)
        state.host_done = True
        return
    h = Seg(a, b, ",")
    _classify(text, h, state.ctx)
    if h.kind == "date":
        _add_date(text, a, b, out)
    elif h.kind == "scope":
        _add_scope(text, a, b, out)
    elif h.kind == "number":
        out.add("biblScope", a, b, unit="issue", **({"from": str(int(t)), "to": str(int(t))} if t.isdigit() else {}))
    elif h.kind in ("place", "region"):
        out.add(_place_name(state), a, b)
    elif h.kind == "text" and state.kind == "periodical" and state.ctx.host and fold(t).startswith(fold(state.ctx.host)):
        _host_peeled(text, a, b, state, out)
    elif h.kind in ("text", "publisher") and state.kind != "periodical" and t[:1].isupper() and not _REMARK_WORDS.match(t) \
            and not re.match(r"(?:A|À|Pub\.|Interview|Review)\s", t):
        _host_peeled(text, a, b, state, out)
        state.host_done = True


def _text(text: str, segs: list[Seg], i: int, state: _State, out: _Builder) -> int:
    """A plain segment: a role and its names, a title, the host, a publisher, or a remark."""
    sg = segs[i]
    t = text[sg.start:sg.end]
    n = len(segs)
    # "English translation by Peter Sedgwick", "edited by Michel Dreyfus", "by Serge, Wullens and Rosmer"
    cue = _role_at(text, sg.start, sg.end)
    if cue:
        name, role, at = cue
        names = _names_in(text, at, sg.end)
        if names:
            co = "1" if re.match(r"(?:written\s)?with\s", text[sg.start:at]) else None
            for x, y in names:
                out.add(name, x, y, role=role, _co=co)
            j = i + 1
            if name == "author":
                while j < n and segs[j].kind == "text" and segs[j].sep_before == ",":
                    more = _names_in(text, segs[j].start, segs[j].end)
                    if not more or more[-1][1] < segs[j].end:
                        break
                    for x, y in more:
                        out.add(name, x, y, role=role)
                    j += 1
            rest = names[-1][1]
            m = re.match(r"\s(?:as\s)", text[rest:sg.end])
            if m:
                _as_title(text, rest + m.end(), sg.end, state, out)
            if role == "translator" and not m:
                state.pending = "translation"
            return j
        if role == "translator" and at >= sg.end - 1:
            state.pending = "translation"
            return i + 1
    if re.fullmatch(r"(?:(?:English|Spanish|French|Italian|German|Russian)\s)?translation", t, re.I):
        state.pending = "translation"
        return i + 1
    # "reprinted by Maspero in 1971", "to be published by Pluto Press"
    m = re.match(r"(?:[Ff]irst\s)?[Pp]ublished\sin\s(?P<d>\d{4})\.?$", t)
    if m:
        out.add("edition", sg.start, sg.end)
        out.add("date", sg.start + m.start("d"), sg.start + m.end("d"), when=m.group("d"))
        return i + 1
    m = re.match(r"(?:(?:and|also)\s)?(?:[Rr]e(?:printed|published|issued)|(?:to be )?published)(?:\s(?:in|by))?\s(?:by\s)?"
                 r"(?P<p>[A-Z][^,]*?)(?:\s(?:in|en)\s(?P<d>\d{4}(?:\sand\s\d{4})?))?$", t)
    if m and " as " not in t and (m.group("d") or _is_publisher(m.group("p")) or " by " in t):
        out.add("publisher", sg.start + m.start("p"), sg.start + m.end("p"))
        if m.group("d"):
            for dm in re.finditer(r"\d{4}", m.group("d")):
                d0 = sg.start + m.start("d") + dm.start()
                out.add("date", d0, d0 + 4, when=dm.group(0))
        state.imprint = True
        return i + 1
    # "Reissued as X", "Also published as X", "and as X", "reprinted in Y", "in Casa del Tiempo"
    m = _TITLE_CUES.match(t)
    if m and (state.title_done or m.group(0).strip() in ("in",)):
        a = sg.start + m.end()
        word = m.group(0).strip().split()[-1]
        if word == "as":
            return _as_title(text, a, sg.end, state, out, segs, i)
        _host_peeled(text, a, sg.end, state, out, segs, i)
        return i + 1
    m = re.match(r"(?:the\s)?(?:revue|revista|special issue of)\s", t)
    if m and state.title_done:
        _host_peeled(text, sg.start, sg.end, state, out, segs, i)
        return i + 1
    nxt = segs[i + 1] if i + 1 < n else None
    if sg.sep_before == ":" and i > 0 and segs[i - 1].kind == "date" and state.title_done:
        _host_peeled(text, sg.start, sg.end, state, out, segs, i)    # "..., 1928: Les Humbles, Paris"
        return i + 1
    if state.title_done and nxt is not None and nxt.kind == "remark" and \
            re.match(r"(?i)special issue|numero special", text[nxt.start:nxt.end]):
        _host_peeled(text, sg.start, sg.end, state, out, segs, i)    # "Le Crapouillot, special issue"
        return i + 1
    if state.title_done and re.match(r"(?:an?|the)\s\w+\s\w+\s\w+", t) and not state.article:
        # the compiler's description: "a memoir of the prewar French anarchist movement"
        end = next((segs[k].start for k in range(i + 1, n) if segs[k].sep_before == "."), len(text))
        out.add("note", sg.start, end)
        return next((k for k in range(i + 1, n) if segs[k].sep_before == "."), n)
    if sg.sep_before == "." and t[:1].isupper() and nxt is not None and re.match(r"in\s", text[nxt.start:nxt.end]):
        out.add("title", sg.start, sg.end, level="a")                 # a second item: "L'Affaire Victor Serge, in ..."
        state.article, state.host_done = True, False
        return i + 1
    if not state.title_done:
        if state.kind in ("unpublished", "work") and re.fullmatch(r"(?i)typescript|manuscript|no title|untitled", t):
            out.add("note", sg.start, sg.end)
            return i + 1
        return _book_title(text, segs, i, sg.start, state, out)
    host = state.ctx.host
    if state.kind == "periodical" and host and fold(t).startswith(fold(host)) and len(t) <= len(host) + 3:
        out.add("title", sg.start, sg.end, level="j")
        state.host_done = True
        return i + 1
    if state.kind == "periodical" and _is_personal_name(text, sg.start, sg.end):
        out.add("author", sg.start, sg.end)          # "..., Jacques Mesnil, 2-166"
        return i + 1
    if state.pending == "translation":
        state.pending = None
        return _book_title(text, segs, i, sg.start, state, out, force=True)
    if not state.article and state.kind not in ("unpublished", "letters") and (_starts_imprint(text, segs, i) or (
            state.imprint and nxt is not None and nxt.kind in ("date", "place") and len(t.split()) <= 4
            and t[:1].isupper() and not re.search(r"\b(?:of|the|de|la|le|les|y|to|a)\b", t))):
        out.add("publisher", sg.start, sg.end)
        state.imprint = True
        return i + 1
    if not state.host_done and t[:1].isupper() and not _REMARK_WORDS.match(t) and state.kind != "periodical" \
            and not re.match(r"(?:Interview|Review|Book|Unpublished|Unsigned|An?\s|The same)\b", t) and (
            state.article or (nxt is not None and nxt.kind == "scope"
                              and (_scope(text, nxt.start, nxt.end) or ("",))[0] == "issue")):
        _host_title(text, sg.start, sg.end, state, out, segs, i)
        return i + 1
    m = re.search(r"(?:^|\s)(?:in|revue)\s(?P<h>[A-Z][^,\"“]*)$", t)
    if m and state.article and not state.host_done:
        _host_title(text, sg.start + m.start("h"), sg.end, state, out, segs, i)
        return i + 1
    if state.imprint and not state.article and state.kind not in ("periodical", "unpublished") and t[:1].isupper() \
            and sg.sep_before in (",", ".") and not _REMARK_WORDS.match(t) and len(t.split()) <= 12:
        # another edition's title after an imprint ("..., 1937, and Destiny of a Revolution, Jarrolds")
        return _book_title(text, segs, i, sg.start, state, out, force=True)
    if sg.sep_before == "." and len(t.split()) > 3:
        out.add("note", sg.start, sg.end)
    return i + 1


def _as_title(text: str, a: int, b: int, state: _State, out: _Builder,
              segs: list[Seg] | None = None, i: int = 0) -> int:
    """The title after "as" ("published as X", "translation by Y as "Twice Met" in Z")."""
    q = [x for x in quoted_spans(text, a, b) if x[2]]
    if q and q[0][0] == a:
        out.add("title", q[0][0], q[0][1], level="a")
        rest = q[0][1]
        while rest < b and text[rest] == " ":
            rest += 1
        if rest < b:
            state.article = True
            state.host_done = False
            _after_title(text, rest, b, state, out)
        return i + 1
    if segs is not None:
        return _book_title(text, segs, i, a, state, out, force=True)
    out.add("title", a, b, level="m")
    return i + 1


_WRITTEN = re.compile(r"\s(?=written\s(?:in\s)?\d)")


def _book_title(text: str, segs: list[Seg], i: int, a: int, state: _State, out: _Builder, force: bool = False) -> int:
    """An unquoted title running over plain segments until the imprint begins."""
    j = i
    m = re.match(r"(?:one|two|three|four|five|\d+)\svolumes?\sof\s", text[a:segs[i].end], re.I)
    if m:
        out.add("extent", a, a + m.end() - 4)
        a += m.end()
    while j + 1 < len(segs) and segs[j + 1].kind == "text" and segs[j + 1].sep_before in (",", ":") \
            and (not state.title_done or force) \
            and not _is_personal_name(text, segs[j + 1].start, segs[j + 1].end) \
            and not re.match(r"(?:an?|the)\s\w+\s\w+\s\w+", text[segs[j + 1].start:segs[j + 1].end]) \
            and not (j + 2 < len(segs) and segs[j + 2].kind == "remark"
                     and re.match(r"(?i)special issue|numero special", text[segs[j + 2].start:segs[j + 2].end])) \
            and not _role_at(text, segs[j + 1].start, segs[j + 1].end) \
            and not _TITLE_CUES.match(text[segs[j + 1].start:segs[j + 1].end]) \
            and not _CUE_START.match(text[segs[j + 1].start:segs[j + 1].end]) \
            and not _starts_imprint(text, segs, j + 1) \
            and not (j + 2 < len(segs) and segs[j + 2].kind == "scope"
                     and (_scope(text, segs[j + 2].start, segs[j + 2].end) or ("",))[0] == "issue") \
            and not _WRITTEN.search(text[segs[j].start:segs[j].end]):
        j += 1
    b = segs[j].end
    w = _WRITTEN.search(text, a, b)
    level = _title_level(state, quoted=False) if not state.title_done else "m"
    place: int | None = None
    if w:
        out.add("title", a, w.start(), level=level)
        note = out.add("note", w.start() + 1, b)
        dm = re.search(r"\d{4}(?:-\d{2,4})?$", text[w.start():b])
        if note and dm:
            _add_date(text, w.start() + dm.start(), b, out)
    else:
        place = _trailing_place(text, a, b)
        if place is not None:
            out.add("title", a, place, level=level)
            out.add(_place_name(state), place, b)
        else:
            out.add("title", a, b, level=level)
    state.title_done = True
    state.imprint = bool(not w and place is not None)
    return j + 1


_TRAILING_PLACES = sorted(PLACES | {f"{x} and {y}" for x in ("New York", "London", "Moscow")
                                    for y in ("London", "New York", "Moscow") if x != y}, key=len, reverse=True)


def _trailing_place(text: str, a: int, b: int) -> int | None:
    """Where a place of publication starts that ends a title without a comma
    ("Memoires d'une revolutionnaire Paris", "In Stalin's Secret Service New York and London")."""
    t = text[a:b].rstrip(" .")
    for place in _TRAILING_PLACES:
        if t.endswith(" " + place) and len(t) > len(place) + 1:
            before = t[: -len(place) - 1].rsplit(" ", 1)[-1]
            if before.lower() in ("de", "of", "in", "a", "à", "en", "to", "from", "about", "at", "du", "la", "le", "y", "and", "et", "sur", "the") \
                    or before.endswith((":", ",")):
                return None
            return a + len(t) - len(place)
    return None


def _starts_imprint(text: str, segs: list[Seg], k: int) -> bool:
    """Segment k is a publisher not in the word list: a short capitalised name before a place or year."""
    if k + 1 >= len(segs):
        return False
    nxt = segs[k + 1]
    t = text[segs[k].start:segs[k].end]
    chained = k > 0 and segs[k - 1].kind in ("place", "publisher", "date")
    if not t[:1].isupper() or re.search(r"\b(?:of|the|in|de|la|le|les|y|et|to|a)\b", t) or ":" in t \
            or _is_personal_name(text, segs[k].start, segs[k].end) or re.match(r"(?:A|An|The)\s", t) \
            or (re.search(r"\s(?:and|&)\s", t) and not chained):
        return False
    if nxt.kind == "place" and len(t.split()) <= 4:
        return True
    if nxt.kind == "date" and k > 0 and (len(t.split()) == 1 or (
            len(t.split()) <= 3 and segs[k - 1].kind in ("place", "publisher", "date"))):
        return True                 # "Harvard, 1976", "..., London 1970, Writers & Readers, 1978"
    return False


# --- TEI -------------------------------------------------------------------------------

def to_bibl(parsed: ParsedEntry, attrs: dict[str, str] | None = None,
            supplied: Iterable[etree._Element] = ()) -> etree._Element:
    """``<bibl>`` with the parsed fields as mixed content; ``supplied`` elements (e.g. an
    empty ``author`` pointing at an inherited name) go after the label."""
    from .inline import Span, build

    text = parsed.text
    spans: list[Span] = []
    for f in parsed.fields:
        if f.name == "label":
            continue                 # the printed number stays text (bibl has no label); callers put it in @n
        if f.name == "respStmt":
            n = int(f.attr("_resp") or 0)
            ra, rb = _strip_span(text, f.start, f.start + n, " ")
            spans.append(Span(f.start, f.end, lambda: el("respStmt")))
            spans.append(Span(ra, rb, lambda: el("resp")))
            spans.append(Span(f.start + n, f.end, lambda: el("name")))
            continue
        values = {k: v for k, v in f.attrs if not k.startswith("_")}
        spans.append(Span(f.start, f.end, (lambda name=f.name, a=values: el(name, a))))
    children = build(text, spans)
    bibl = el("bibl", attrs)
    supplied = list(supplied)
    from .teixml import append
    # the supplied elements go after the label and the bullet ("- a. ", "17. ", "- ")
    k = 0
    while k < len(children) and supplied:
        c = children[k]
        if isinstance(c, str) and c.strip(" -") == "":
            k += 1
            continue
        if isinstance(c, str) and _LABEL.match(c):
            # split "17. " off the text that follows it
            m = _LABEL.match(c)
            assert m is not None
            cut = m.end()
            while cut < len(c) and c[cut] == " ":
                cut += 1
            children = children[:k] + [c[:cut], c[cut:]] + children[k + 1:]
            k += 1
            continue
        break
    append(bibl, *children[:k])
    append(bibl, *supplied)
    append(bibl, *children[k:])
    return bibl
