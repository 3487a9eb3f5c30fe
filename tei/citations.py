"""Citations inside notes: found in the note's prose, marked as ``<bibl>``, short forms linked.

Footnotes and endnotes cite works in every shape: a full reference ("Victor Serge,
From Lenin To Stalin, Monad Press, New York, 1973, p. 13."), a short form
("Serge, Memoirs, p. 71.", "FLTS, p. 30"), "Ibid., p. 12", "Greeman, op. cit.",
several in one note ("See X; also Y") and references inside sentences ("... is
found in the Memoirs, p. 66."). This module

1. **finds** them (:func:`find_citations`): a note's text is cut into sentences and
   ";"-parts; a part (after a cue such as "See", "Quoted in") that parses as a
   whole into bibliographic fields is a citation, else the longest stretch of it
   that does (after "in", "(", ",") -- a citation needs a title or author and an
   anchor (page, volume, date, publisher, place) and no prose words outside its
   titles; lists ("..., pp. 33-34, "Trente Ans ...," pp. 12-13, and Memoirs,
   pp. 108-9") are split after each page reference. The fields come from
   :func:`tei.bibliography.parse_entry` (every character stays where it was);
2. **resolves** short forms (:class:`Resolver`): author surname and the title's
   first significant words (folded: case, accents, punctuation) must agree with a
   full citation, the most recent one in the notes first, then the document's
   bibliography (there only an unambiguous match counts); a short form the notes
   used before keeps the work it stood for unless a later full citation has exactly
   its words as title ("Memoirs" stays the English edition after the French one is
   cited once in full). "Ibid." is the work of the citation before it (in note
   order; with another author's name, that author's last work), "op. cit." the last
   work cited by that author; an abbreviation ("FLTS") is resolved when the text
   defines it -- "(FLTS)" or "(Hereafter, Greeman)" at a citation -- or when it is the
   initials of exactly one title cited ("RTYA"). An author with a volume and no title
   ("Deutscher, Vol. 2") is not resolved, nor a misspelt name. Nothing is guessed:
   what stays without ``@corresp`` is reported;
3. **marks them up** (:func:`mark_notes`): each citation becomes a ``<bibl>`` in the
   note's mixed content with an ``xml:id`` (``<note id>.b<k>``); short forms and Ibid.
   carry ``@corresp`` pointing at the full entry they abbreviate. Letters ("Serge to
   Trotsky, April 22, 1936") and interviews are ``bibl type="letter|interview"`` with
   their sender and date only; a translation an endnote quotes from is
   ``bibl type="translation"``.
"""

from __future__ import annotations

import os
import pickle
import re
import signal
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache

from lxml import etree

from .bibliography import (DATE_RE, FORENAMES, PLACES, REPOSITORY, SCOPE_RES, Context, Field, ParsedEntry,
                           _strip_span, date_attrs, fold, is_publisher, parse_entry, to_bibl)
from .teixml import T, XML_ID, Child, append

# --- cues and word lists ---------------------------------------------------------------

# Words that introduce a citation (kept as note text, outside the bibl).
_CUE = re.compile(
    r"(?:(?:[Ss]ee|[Cc]f\.?|[Cc]ompare)(?:\s(?:also|for example|e\.g\.|especially|inter alia|in particular|the discussion in))*,?\s"
    r"|(?:[Aa]s\s)?(?:[Qq]uoted|[Cc]ited|[Rr]eprinted|[Rr]eproduced|[Dd]iscussed|[Dd]escribed|[Ff]ound|[Pp]ublished|[Tt]ranslated)"
    r"(?:\s(?:also|in full|in English|in part|posthumously))?\s(?:in|by)\s(?:(?:the|his|her)\s)?"
    r"|[Aa]lso,?\s|[Aa]nd\s|(?:[Ee]nglish\s)?[Tt]ranslation (?:quoted )?from\s|[Ff]rom\s(?=[A-Z\"“])"
    r"|[Ii]n\s(?:an?|his|her|the)\s(?:article|book|essay|interview|letter|review|study)\s(?:in|to)\s"
    r"|[Ff]or\sexample,?\s|[Ee]\.g\.,?\s|[Ii]n:?\s(?=[A-Z\"“*]))"
)
# Inside a sentence: where an embedded citation may start.
_INNER_CUE = re.compile(
    r"(?:(?<=\s)|^)(?:(?:first\s|originally\s|later\s)?(?:published|reissued|reprinted|translated)(?:\s(?:in\s[A-Z]\w+|in\s\d{4}))?"
    r"\sas\s|(?:in|In|see|See|by|from|From|also)\s(?:(?:the|his|her|my|their|its|Serge's)\s)?"
    r"(?:(?:excellent\s|unpublished\s|first\s|second\s|last\s|later\s)?(?:book|article|essay|novel|biography|study|pamphlet|review|"
    r"dissertation|memoirs?|introduction to|foreword to|preface to|letter to [A-Z][\w.]*(?: [A-Z][\w.]*)*|collection),?\s)?)"
)
# Later editions and originals named after a citation: a second bibl.
_EDITION_CUE = re.compile(
    r"(?:[Ff]irst|[Oo]riginally|[Aa]lso|[Ll]ater)?\s?(?:[Pp]ublished|[Rr]eissued|[Rr]eprinted|[Rr]epublished|[Tt]ranslated)"
    r"(?:\s(?:in\s(?:English|French|Spanish|Russian|[A-Z][a-z]+)|posthumously|in\s\d{4}|with\s[\w\s]+?))*\s(?:as|in)\s"
)
_PROSE_WORDS = re.compile(
    r"\b(?:is|was|were|are|be|been|being|had|has|have|he|she|they|him|them|which|that|who|whom|would|could|should|did|does|"
    r"not|but|it|its|this|these|those|when|because|there|said|says|wrote|writes|also|than|then|however|although|only|"
    r"where|while|what|we|our|my|you|me|very|such|must|can|will|may|might|his|her|their|into|upon|about|op\.?\s?cit|[Ii]bid|"
    r"itself|runs|comes|came|shows|says|see|gives|takes|made|[a-z]{3,}ed)\b"
)
_STOP = frozenset("the a an of de la le les l d du des el los las lo y and et in on to for un une del al".split())
_IBID = re.compile(
    r"(?P<au>(?:[A-Z]\.\s?)*[A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+){0,2},?\s)?\*?(?:(?P<ibid>[Ii]bid|[Ii]bidem|[Ii]d)|(?P<op>[Oo]p\.?\s?[Cc]it)"
    r"|(?P<loc>[Ll]oc\.?\s?[Cc]it))(?:\.|\b)\*?(?:\.?\*)?"
)
_PAGE = SCOPE_RES[2][1]
_SCOPE_IN = re.compile(
    r"(?:(?:pps|pp?)\.?,?\s?(?:\d+|(?<=[.\s])[xivlc]+)n?(?:\s?[-–]\s?(?:\d+|[xivlc]+)n?)?(?:\s(?:and|&)\s(?:pp?\.\s?)?\d+n?(?:\s?[-–]\s?\d+n?)?)*"
    r"|(?:Vol(?:ume)?|vol)\.?\s?(?:\d+|[IVX]+)|(?:Nos?|nos?)\.?\s?\d+(?:\s?[-&]\s?\d+)?|(?:[Cc]hapters?|[Cc]hap\.|[Pp]art|[Pp]t\.)\s(?:\d+|[IVX]+)"
    r"|\d+n\b|(?<![\d.,-])(?<!No\.\s)[1-9]\d{0,2}\s?[-–]\s?\d{1,3}\b(?![-–.]\d)|(?<=,\s)[ivx]{1,4}(?=,\s\d)|(?<=[A-Za-z],\s)[1-9]\d{0,2}(?=[\s.]*$))"
)
_YEAR_END = re.compile(r"\b(?:1[5-9]\d\d|20\d\d)\b(?=[,)]?\s)")
_ABBREVIATION = re.compile(r"^[A-Z]{3,7}$")
_HEREAFTER = re.compile(r"\(\s*[Hh]ereafter,?\s(?:cited\sas\s|referred\sto\sas\s)?(?P<a>[^)]{1,40}?)\s*\)")
_DEFINED = re.compile(r"\((?P<a>[A-Z]{3,7})\)")
# Sentence ends: not after initials or these abbreviations.
_NO_END = frozenset("p pp pps vol vols no nos ed eds mr mrs dr st jr sr vs cf ch chap op gen col lt rev ms mss ff fig "
                    "trans tr esp comp dept univ inc co ltd pub publ jan feb mar apr jun jul aug sep sept oct nov dec "
                    "yu".split())


def _surname(name: str) -> str:
    name = " ".join(name.replace("*", "").split()).strip(" ,.")
    if "," in name:
        name = name.split(",")[0]
    words = re.findall(r"[\w'’-]+", fold(name))
    words = [w for w in words if not re.fullmatch(r"[a-z]", w)]
    return words[-1].rstrip("'’s") if words else ""


def _words(title: str) -> tuple[str, ...]:
    """Significant words of a title, folded: what a short form must repeat."""
    return tuple(w for w in re.findall(r"[a-z0-9]+", fold(title).replace("'", " ").replace("’", " ")) if w not in _STOP)


def _initials(title: str) -> str:
    words = re.findall(r"[A-Za-z0-9À-ÿ]+", title.replace("'", " ").replace("’", " "))
    return "".join(w[0] for w in words).upper()


# --- results -----------------------------------------------------------------------------

FULL, SHORT, IBID, OPCIT = "full", "short", "ibid", "opcit"


@dataclass
class Cited:
    """One citation found in a text: ``text[start:end]`` with its fields (offsets into that slice)."""

    start: int
    end: int
    kind: str
    parsed: ParsedEntry
    surname: str = ""              # the printed author's surname, folded
    short_title: str = ""          # the printed (short) title
    alias: str | None = None       # an abbreviation this citation defines ("FLTS", "Greeman")
    type: str | None = None        # e.g. "translation"
    scope_only_volume: bool = False

    @property
    def text(self) -> str:
        return self.parsed.text


# --- finding ------------------------------------------------------------------------------

def _sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans: a full stop (? !) before a capital or an opening quote ends one, except after
    initials and abbreviations of references ("p.", "Vol.", "E. H. Carr")."""
    out = []
    start = 0
    depth = 0
    for m in re.finditer(r"[.?!]['\"”’)\]]*(?=\s+[A-Z\"“(\[])|[()]", text):
        c = m.group(0)
        if c == "(":
            depth += 1
            continue
        if c == ")":
            depth = max(0, depth - 1)
            continue
        if depth:
            continue
        before = text[start:m.start()].rsplit(None, 1)
        token = before[-1].lstrip("(\"'“[*") if before else ""
        if c[0] == "." and (re.fullmatch(r"[A-Za-z]", token) or fold(token) in _NO_END
                            or re.fullmatch(r"(?:[A-Z]\.)+[A-Z]", token)):
            continue
        if c[0] == "." and fold(token) == "cit" and re.match(r"\s+[,;]", text[m.end():]):
            continue
        out.append((start, m.end()))
        start = m.end()
        while start < len(text) and text[start] == " ":
            start += 1
    if start < len(text):
        out.append((start, len(text)))
    return out


def _parts(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """A sentence cut at semicolons outside parentheses and quotations."""
    out = []
    depth = 0
    quote = False
    start = a
    for i in range(a, b):
        c = text[i]
        if c in "([":
            depth += 1
        elif c in ")]":
            depth = max(0, depth - 1)
        elif c in "“”":
            quote = c == "“"
        elif c == ";" and depth == 0 and not quote and not re.match(r"\s*in:?\s", text[i + 1:i + 6]):
            out.append((start, i))
            start = i + 1
    out.append((start, b))
    return [(x, y) for x, y in (_strip_span(text, x, y) for x, y in out) if x < y]


def _end_trim(text: str, a: int, b: int) -> int:
    """Drop the sentence's final stop (and a closing bracket left alone) from a citation's end."""
    a, b = _strip_span(text, a, b, " ,;:")
    m = re.search(r"[,\s]+(?:and|&|also|as well as|or)$", text[a:b])
    if m:
        b = a + m.start()
    while b > a and text[b - 1] == "." and not re.search(r"(?:\b[A-Z]|\bop\.\s?cit|\b(?:[Ii]bid|[Cc]it|[Ee]d|[Nn]o|[Vv]ol|etc))\.$",
                                                          text[a:b]):
        b -= 1
    return b


class Known:
    """What the recogniser may rely on beyond shapes: the surnames and titles of works cited so far
    (and of the document's bibliography)."""

    def __init__(self, surnames: Iterable[str] = (), titles: Iterable[tuple[str, ...]] = ()) -> None:
        self.surnames = {s for s in surnames if s}
        self.titles: dict[str, list[tuple[str, ...]]] = {}
        for t in titles:
            self.add_title(t)

    def add_title(self, words: tuple[str, ...]) -> None:
        if words:
            self.titles.setdefault(words[0], []).append(words)

    def add(self, work: "Work") -> None:
        self.surnames |= set(work.surnames)
        for t in work.titles:
            self.add_title(t)

    def is_surname(self, word: str) -> bool:
        return _surname(word) in self.surnames

    def knows_title(self, title: str) -> bool:
        words = _words(title.strip(" \"“”,.*"))
        return bool(words) and any(t[:len(words)] == words for t in self.titles.get(words[0], ()))


def _quoted_ranges(text: str) -> list[tuple[int, int]]:
    out = []
    for m in re.finditer(r"“[^“”]*”|(?<![\w])\"[^\"]*\"", text):
        out.append((m.start(), m.end()))
    return out


def _masked(text: str) -> str:
    """The text with long quotations (passages, not titles) blanked out, same length."""
    chars = list(text)
    for a, b in _quoted_ranges(text):
        inner = text[a + 1:b - 1]
        if len(inner.split()) > 14 or re.search(r"[.!?]\s+[a-z]", inner):
            for k in range(a, b):
                chars[k] = "\x00"
    return "".join(chars)


def find_citations(text: str, known: Known | None = None, sentences: bool = True) -> list[Cited]:
    """The citations in a note's paragraph, in order, not overlapping.

    ``sentences=False``: the text is a list of references only (an endnote of a web article), whose
    titles may contain full stops ("Stalin’s Terror of 1937-1938. Political Genocide in the USSR").
    """
    known = known or Known()
    masked = _masked(text)
    found: list[Cited] = []
    for sa, sb in (_sentences(text) if sentences else [(0, len(text))]):
        for pa, pb in _parts(text, sa, sb):
            found.extend(_in_part(text, masked, pa, pb, known))
    _definitions(text, found)
    return found


def _in_part(text: str, masked: str, a: int, b: int, known: Known) -> list[Cited]:
    out: list[Cited] = []
    # parenthesised and bracketed references first: "(Memoirs, p. 56.)", "[Year One, p. 136]"
    inner_done: list[tuple[int, int]] = []
    for m in re.finditer(r"\(([^()]{3,160})\)|\[([^\[\]]{3,160})\]", masked[a:b]):
        x, y = a + m.start() + 1, a + m.end() - 1
        if "\x00" in masked[x:y] or not re.search(r"\d|[Ii]bid|[Cc]it\b", text[x:y]):
            continue
        got = _whole_or_list(text, x, y, known, inner=True)
        if got:
            out.extend(got)
            inner_done.append((x - 1, y + 1))
    # the part outside them
    pieces = []
    pos = a
    for x, y in inner_done:
        pieces.append((pos, x))
        pos = y
    pieces.append((pos, b))
    for x, y in pieces:
        x, y = _strip_span(text, x, y)
        if x >= y:
            continue
        got = _whole_or_list(text, x, y, known)
        if got is None:
            got = _embedded(text, masked, x, y, known)
        out.extend(got or [])
    out.sort(key=lambda c: c.start)
    return out


def _strip_cue(text: str, a: int, b: int) -> tuple[int, str | None]:
    kind = None
    while True:
        m = _CUE.match(text, a, b) or _EDITION_CUE.match(text, a, b)
        if not m or m.end() >= b:
            return a, kind
        if re.match(r"[Tt]ranslation", m.group(0)):
            kind = "translation"
        a = m.end()


def _list_cuts(text: str, a: int, b: int) -> list[int]:
    """Where a list of references starts a new one: after a page reference and a comma (or "and")
    when a capitalised word, a quoted title or Ibid. follows."""
    cuts = []
    for m in _SCOPE_IN.finditer(text, a, b):
        if not re.match(r"p|P", m.group(0)) or not m.group(0)[:1].lower() == "p":
            continue
        n = re.match(r"\.?\)?(?:,\s(?:and\s)?|,?\s(?:and|&)\s|\.\s)(?=[A-Z\"“*]|op\.|ibid)", text[m.end():b])
        if n and m.end() + n.end() < b:
            cuts.append(m.end() + n.end())
    # "..., p. 21 (...), translation quoted from Vadim Z. Rogovin: ...": a second work
    for m in re.finditer(r",\s(?=(?:[Ee]nglish\s)?[Tt]ranslation (?:quoted )?from\s)", text[a:b]):
        cuts.append(a + m.end())
    # "..., Leon Trotsky, History of the Russian Revolution, Alfred Rosmer, Moscow Under Lenin, pps. 97-101"
    for m in re.finditer(r",\s(?:and\s)?(?=(?P<f>[A-Z][a-z]+)\s(?:[A-Z]\.\s)?[A-Z][\w'’-]+,\s)", text[a:b]):
        name = re.match(r"[^,]+", text[a + m.end():b])
        if m.group("f") in FORENAMES and "," in text[a:a + m.start()] and not (
                name and (is_publisher(name.group(0)) or name.group(0) in PLACES)):
            cuts.append(a + m.end())
    # "Krasnaia nov', No. 4, 1925, pp. 271-2, quoted in Stephen Cohen, ...": the work quoted, then where
    for m in re.finditer(r",\s(?=(?:[Qq]uoted|[Cc]ited|[Rr]eprinted|[Rr]eproduced)\s(?:in|by)\s)", text[a:b]):
        cuts.append(a + m.end())
    return sorted(set(cuts))


def _whole_or_list(text: str, a: int, b: int, known: Known, inner: bool = False,
                   no_names: bool = False) -> list[Cited] | None:
    """The stretch ``text[a:b]`` as one citation or a list of them, else None."""
    a0, kind = _strip_cue(text, a, b)
    bounds = [a0] + [c for c in _list_cuts(text, a0, b)] + [b]
    out = []
    failed = []
    for x, y in zip(bounds, bounds[1:]):
        x, cue_kind = _strip_cue(text, x, y)
        c = citation_at(text, x, _end_trim(text, x, y), known, no_names=no_names and x == a0)
        if c is None:
            failed.append((x, y))
            continue
        c.type = c.type or cue_kind or kind
        out.append(c)
    if failed and (not out or len(bounds) < 3 or x == a0 and failed[0][0] == a0 or
                   any(_PROSE_WORDS.search(text[x:y]) for x, y in failed)):
        return None           # a list is taken only where what is not a citation in it is no prose either
    return out or None


def _embedded(text: str, masked: str, a: int, b: int, known: Known) -> list[Cited] | None:
    """The longest citation inside a sentence of prose: it starts after a cue ("in the", "see")
    or a comma and ends at the part's end or after a page reference."""
    if not re.search(r"\d|[Ii]bid|[Cc]it\b", text[a:b]):
        return None
    possessive = {m.end() for m in _INNER_CUE.finditer(masked, a, b) if re.search(r"\s(?:his|her|their)\s", m.group(0))}
    starts = sorted({a} | {a + m.end() for m in re.finditer(r",\s", masked[a:b])}
                    | {a + m.end() for m in re.finditer(r"(?P<w>[A-Z][a-z]+):\s(?=[A-Z])", masked[a:b])
                       if known.is_surname(m.group("w"))}         # "the two editions of Fry: Surrender on Demand"
                    | {m.end() for m in _INNER_CUE.finditer(masked, a, b)})
    subject = re.match(r"(?P<n>(?:[A-Z][\w.'’-]*\s){0,2}[A-Z][\w'’-]+),?\s(?:[a-z]|in\s)", text[a:b])
    ends = sorted({b} | {m.end() for m in _SCOPE_IN.finditer(text, a, b)
                         if re.match(r"[,.]?\s", text[m.end():b] or " ") or m.end() == b}
                  | {m.end() for m in _YEAR_END.finditer(text, a, b)}, reverse=True)
    for s in starts:
        if s >= b or "\x00" in masked[s:s + 1]:
            continue
        if not re.match(r"[A-Z\"“*]|op\.|ibid", text[s:b]):
            continue
        for e in ends:
            if e <= s + 2 or "\x00" in masked[s:e] or _PROSE_CORE.search(_QUOTED.sub("", text[s:e])):
                continue              # prose in it: no citation or list of citations can be made of it
            got = _whole_or_list(text, s, e, known, no_names=s in possessive)
            if got and s > a and any(c.kind == SHORT and not (c.surname and known.is_surname(c.surname))
                                     and not known.knows_title(c.short_title) for c in got):
                got = None                 # "... study group in Precigne, p. 107": not a work cited
            if got:
                if s in possessive and subject and not got[0].surname:
                    name = subject.group("n")
                    if name.split()[0] in FORENAMES or known.is_surname(name.split()[-1]):
                        got[0].surname = _surname(name)       # "James Hulse notes, in his book X, ..."
                return got
    return None


def citation_at(text: str, a: int, b: int, known: Known, no_names: bool = False) -> Cited | None:
    """``text[a:b]`` as one citation (full, short, Ibid., op. cit.), or None."""
    a, b = _strip_span(text, a, b, " ,;:")
    if b - a < 3:
        return None
    t = text[a:b]
    m = _IBID.fullmatch(t) or _IBID.match(t)
    if m and (m.end() == len(t) or _scope_rest(t, m.end())):
        return _ibid(text, a, b, m)
    if "\x00" in t or t.count("(") != t.count(")") or t.count("[") != t.count("]"):
        return None
    letter = _letter_or_interview(t)
    if letter is not None:
        return Cited(a, b, FULL, letter, type="letter" if letter.fields[0].name == "author" else "interview")
    # "..., No. 66-67, p. 21 (L. D. Trotsky: “Does the Soviet Government ...?”)": the article in the issue
    m = _ARTICLE_PAREN.search(t)
    if m and m.start() > 0:
        inner = citation_at(text, a, a + m.start(), known, no_names)
        if inner is None or inner.kind == IBID or inner.kind == OPCIT:
            return None
        extra = [Field("title", m.start("ti"), m.end("ti"), (("level", "a"),))]
        if m.group("au"):
            extra.insert(0, Field("author", m.start("au"), m.end("au")))
        fields = [Field(f.name, f.start, f.end, (("level", "j"),)) if f.name == "title" and f.attr("level") == "a"
                  and t[f.start] in "\"“" else f for f in inner.parsed.fields]   # the host is the periodical
        return Cited(a, b, FULL, ParsedEntry(t, fields + extra), surname=_surname(m.group("au") or ""),
                     short_title=t[m.start("ti"):m.end("ti")], type=inner.type)
    # the page references at the end are read here ("Memoirs p. 147", "p. 357 and 410-11n"): the rest is parsed
    chain = _scope_chain(t)
    head = t[:chain].rstrip(" ,") if chain is not None else t
    if not head.strip():
        return None
    if not _ANCHOR.search(t) or _PROSE_CORE.search(_QUOTED.sub("", t)):
        return None           # no page, year, quoted title or publisher; or a sentence of prose
    first = t.split(",")[0].strip()
    ctx = Context(no_names=no_names)
    if no_names:
        pass
    elif "," in t and (known.is_surname(first) and re.fullmatch(r"[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?", first)):
        ctx = Context(sorted_by_author=True)
    quick = _short_head(head, known) if chain is not None and _QUICK else None
    if quick is not None:
        parsed = quick
    elif chain is not None:
        # the parser reads a name from its shape before more segments ("Carr, Interregnum, p. 218"): it is
        # given the head with a stand-in page reference, whose field is dropped
        parsed = _parse(head + ", p. 1", ctx)
        parsed = ParsedEntry(head, [f for f in parsed.fields if f.end <= len(head)])
    else:
        parsed = _parse(head, ctx)
    fields = _subtitles(head, parsed.fields)
    fields = [f for f in fields if f.name not in ("label", "note")]
    if chain is not None:
        fields += [_scope_field(t, m.start(), m.end()) for m in _SCOPE_IN.finditer(t, chain)]
    fields = _fix_fields(t, fields, known)
    parsed = ParsedEntry(t, fields)
    return _judge(text, a, b, parsed)


_QUICK = True
_SHORT_HEAD = re.compile(r"(?:(?P<au>(?:[A-Z]\.\s?){0,3}[A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+)?),\s)?(?P<ti>[A-Z*][^,\d\"“”()\[\]:;]*)")


def _short_head(head: str, known: Known) -> ParsedEntry | None:
    """The common short form without the parser: "Memoirs", "Serge, Memoirs", "V. Serge, Year One" (the
    author a known surname, the title plain words). Anything else goes to the parser."""
    m = _SHORT_HEAD.fullmatch(head)
    if not m:
        return None
    title = m.group("ti").rstrip(" .")
    if not title or is_publisher(title) or title in PLACES or _PROSE_WORDS.search(title) \
            or re.search(r"\b(?:[Ii]bid|[Oo]p|[Vv]ol|[Nn]os?|[Pp]p?s?)\b\.?", title) or " and " in title:
        return None
    fields = []
    if m.group("au"):
        name = m.group("au")
        if not known.is_surname(name.split()[-1]) or (len(name.split()) > 1 and not (
                name.split()[0] in FORENAMES or re.match(r"[A-Z]\.", name))):
            return None
        fields.append(Field("author", m.start("au"), m.end("au")))
    elif " " not in title and known.is_surname(title):
        return ParsedEntry(head, [Field("author", m.start("ti"), m.start("ti") + len(title))])   # "Fry p. 176"
    elif known.is_surname(title.split()[-1]) and len(title.split()) <= 3 and all(w[:1].isupper() for w in title.split()):
        return None                      # "E. H. Carr", "MaryJayne Gold": a name alone; the parser decides
    fields.append(Field("title", m.start("ti"), m.start("ti") + len(title), (("level", "m"),)))
    return ParsedEntry(head, fields)


_ARTICLE_PAREN = re.compile(r"\s\((?:\[[^\]]*\]\s*)?(?:(?P<au>(?:[A-Z]\.\s?)*[A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+)?):\s)?"
                            r"(?P<ti>[“\"][^”\"]+[”\"])\)$")
_CORRESPONDENT = r"(?:[A-Z][\w'’-]+|[A-Z]{2,4})(?:\s(?:[A-Z]\.|[A-Z][\w'’-]+)){0,2}"
_LETTER = re.compile(rf"(?P<from>{_CORRESPONDENT})\sto\s(?:the\s)?(?P<to>{_CORRESPONDENT}),\s")
_INTERVIEW = re.compile(r"(?:[Ii]n\s(?:a\s)?)?(?:[A-Z][a-z]+,\s)?(?:(?:[Tt]aped|[Pp]rivate|[Rr]ecorded|[Tt]elephone|[Pp]ersonal)\s)?"
                        r"(?:[Ii]nterviews?|[Cc]onversations?)\b[^,]*,\s")
_LETTER_DATE = re.compile(r"(?:postscript\s|[A-Z][a-z]+\s(?=\d{1,2}\.\d))?(?P<d>.+)")


def _letter_or_interview(t: str) -> ParsedEntry | None:
    """"Serge to Trotsky, April 22, 1936" (the sender is the author) and "Interview with Vlady, March 1989":
    sources without a title; only the date (and the sender) are marked. The other parts (places,
    collections, "in Russian") carry no digits."""
    for rx in (_LETTER, _INTERVIEW):
        m = rx.match(t)
        if not m:
            continue
        pos = m.end()
        date = None
        for seg in re.finditer(r"(?:[^,]|,(?=\s\d{4}\b))+", t[pos:]):
            x, y = pos + seg.start(), pos + seg.end()
            v = t[x:y].strip()
            x += len(t[x:y]) - len(t[x:y].lstrip())
            d = _LETTER_DATE.fullmatch(v)
            if date is None and d and re.search(r"\d", d.group("d")) and DATE_RE.fullmatch(d.group("d")):
                date = (x + d.start("d"), x + d.end("d"))
            elif re.search(r"\d", v):
                date = None
                break
        if date is None:
            continue
        fields = []
        if rx is _LETTER:
            fields.append(Field("author", m.start("from"), m.end("from")))
        fields.append(Field("date", date[0], date[1], tuple(sorted(date_attrs(t[date[0]:date[1]]).items()))))
        return ParsedEntry(t, fields)
    return None


def _subtitles(t: str, fields: list[Field]) -> list[Field]:
    """"Stalin’s Terror of 1937-1938. Political Genocide in the USSR, Mehring Books": a subtitle after a
    full stop, which the parser takes for a remark, belongs to the title when the imprint follows."""
    out = list(fields)
    for i in range(len(out) - 2):
        f, g, h = out[i], out[i + 1], out[i + 2]
        if f.name == "title" and g.name == "note" and h.name in ("publisher", "pubPlace", "date") \
                and re.fullmatch(r"\.?\s", t[f.end:g.start]) and t[g.start:g.start + 1].isupper() \
                and len(t[g.start:g.end].split()) <= 10 and not _PROSE_WORDS.search(t[g.start:g.end]):
            out[i:i + 2] = [Field("title", f.start, g.end, f.attrs)]
            break
    return out



def _scope_chain(t: str) -> int | None:
    """Where the page (volume, chapter) references that end a citation begin, if they do."""
    ms = list(_SCOPE_IN.finditer(t))
    if not ms or not re.fullmatch(r"[\s.,)*\]]*", t[ms[-1].end():]):
        return None
    start = None
    for k in range(len(ms) - 1, -1, -1):
        m = ms[k]
        if m.start() > 0 and t[m.start() - 1].isalnum():
            break
        start = m.start()
        if k and not re.fullmatch(r"[\s.,]*(?:and|&)?[\s.,]*", t[ms[k - 1].end():m.start()]):
            break
    if start is None or start == 0 or not re.search(r"[\s,]$", t[:start]):
        return None
    return start


_ANCHOR = re.compile(r"\d|[\"“]|\b(?:Press|Books|Publishers?|Editions|Ediciones|Editorial|Verlag|[ivx]{1,4},)\b")
_PROSE_CORE = re.compile(r"\b(?:is|was|were|are|had|has|have|he|she|they|them|which|that|who|would|could|should|did|does|"
                         r"not|but|it|its|this|these|when|because|there|than|we|our|my|you|can|will|must)\b")
_QUOTED = re.compile(r"[\"“][^\"”]*[\"”]")


@lru_cache(maxsize=8192)
def _parse(text: str, ctx: Context) -> ParsedEntry:
    """The bibliography parser, cached: the search for a citation inside a sentence parses the same
    stretches more than once."""
    return parse_entry(text, ctx)


def _scope_rest(t: str, pos: int) -> bool:
    rest = t[pos:].strip(" ,.*")
    if not rest:
        return True
    rest = re.sub(r'["“][^"”]{1,80}["”],?', "", rest)
    left = _SCOPE_IN.sub("", rest)
    left = re.sub(r"\b(?:and|&|infra|supra|passim|note|n|ff|[Cc]hapter|[Pp]art)\b|[\d,.:;()\s*-]", "", left)
    return len(left) <= 2


def _ibid(text: str, a: int, b: int, m: re.Match[str]) -> Cited:
    t = text[a:b]
    fields: list[Field] = []
    surname = ""
    if m.group("au"):
        x, y = _strip_span(t, m.start("au"), m.end("au"))
        fields.append(Field("author", x, y))
        surname = _surname(t[x:y])
    for s in _SCOPE_IN.finditer(t, m.end()):
        fields.append(_scope_field(t, s.start(), s.end()))
    kind = IBID if m.group("ibid") else OPCIT
    return Cited(a, b, kind, ParsedEntry(t, [f for f in fields if f]), surname=surname)


def _scope_field(t: str, a: int, b: int) -> Field:
    s = t[a:b]
    if re.match(r"[Vv]ol", s):
        n = re.search(r"\d+", s)
        attrs = (("from", str(int(n.group(0)))), ("to", str(int(n.group(0)))), ("unit", "volume")) if n else (("unit", "volume"),)
        return Field("biblScope", a, b, attrs)
    if re.fullmatch(r"[ivx]{1,4}", s):
        return Field("biblScope", a, b, (("unit", "volume"),))      # "Sochineniya, iv, 22-24"
    if re.match(r"[Nn]o", s):
        n = re.search(r"(\d+)(?:\s?[-&]\s?(\d+))?", s)
        if n and (not n.group(2) or int(n.group(2)) > int(n.group(1))):
            return Field("biblScope", a, b, (("from", str(int(n.group(1)))), ("to", str(int(n.group(2) or n.group(1)))),
                                             ("unit", "issue")))
        return Field("biblScope", a, b, (("unit", "issue"),))
    if re.match(r"[Cc]hap|[Pp]art|[Pp]t", s):
        return Field("biblScope", a, b, (("unit", "chapter" if s[:1] in "Cc" else "part"),))
    m = _PAGE.fullmatch(s) or re.fullmatch(r"(?P<a>\d+)\s?[-–]\s?(?P<b>\d+)(?P<c>)", s)
    attrs: tuple[tuple[str, str], ...] = (("unit", "page"),)
    if m and not (m.group("c")):
        x, y = m.group("a"), m.group("b") or m.group("a")
        if x.isdigit() and y.isdigit():
            if len(y) < len(x):
                y = x[: len(x) - len(y)] + y
            if int(y) >= int(x):
                attrs = (("from", str(int(x))), ("to", str(int(y))), ("unit", "page"))
    return Field("biblScope", a, b, attrs)


def _fix_fields(t: str, fields: list[Field], known: Known) -> list[Field]:
    """Repairs for footnote shapes the bibliography parser does not expect."""
    # "New International, Feb. 1939, p. 54": the parser takes a leading periodical for a name and the
    # date after it for a title (a work's title after its author may look like a date)
    fixed = []
    for f in fields:
        v = t[f.start:f.end]
        if f.name == "title" and re.search(r"\d", v) and DATE_RE.fullmatch(v.strip(" .")) and \
                not known.knows_title(v):
            fixed.append(Field("date", f.start, f.end, tuple(sorted(date_attrs(v).items()))))
        else:
            fixed.append(f)
    fields = fixed
    out = []
    has_title = any(f.name == "title" for f in fields)
    for f in fields:
        v = t[f.start:f.end]
        # "Year One, p. 67", "Bulletin Communiste, Vol. II": a title the parser took for a name
        if f.name == "author" and not has_title and "," not in v and not known.is_surname(v.split()[-1]):
            out.append(Field("title", f.start, f.end, (("level", "m"),)))
            continue
        if f.name == "title":
            # "from the Foreward, Year One ...", "Year One ..., Author's foreword": the part named is not the title
            m = re.match(r"(?:from\s)?(?:the\s|his\s)?(?:[Ff]orew[oa]rd|[Pp]reface|[Ii]ntroduction|[Aa]fterword)(?:\sto)?,?\s", v)
            a, b = f.start + (m.end() if m else 0), f.end
            m = re.search(r",\s(?:[Aa]uthor['’]s\s)?(?:[Ff]orew[oa]rd|[Pp]reface|[Ii]ntroduction|[Aa]fterword)$", v)
            if m:
                b = f.start + m.start()
            if (a, b) != (f.start, f.end) and a < b:
                out.append(Field("title", a, b, f.attrs))
                continue
        # "Richard Greeman, Victor Serge, The Making of a Novelist": the author, then a title naming a person
        m = re.fullmatch(r"(?P<a>[A-Z][a-z]+\s[A-Z][\w'’-]+),\s(?P<b>[A-Z][a-z]+\s[A-Z][\w'’-]+)", v)
        if f.name == "author" and m and m.group("a").split()[0] in FORENAMES and f.start == 0:
            nxt = [g for g in fields if g.start >= f.end and g.name == "title"][:1]
            if nxt and t[f.end:nxt[0].start] == ", ":
                out.append(Field("author", f.start, f.start + m.end("a")))
                out.append(Field("__title_start", f.start + m.start("b"), nxt[0].start))
                continue
        # "Carr, Interregnum": a surname and a short title, not "Surname, Forename"
        if f.name == "author" and "," in v:
            sur, rest = v.split(",", 1)
            rest_s = rest.strip()
            if rest_s and rest_s.split()[0] not in FORENAMES and not re.fullmatch(r"(?:[A-Z]\.\s?)+", rest_s):
                out.append(Field("author", f.start, f.start + len(sur)))
                x = f.start + len(sur) + 1 + (len(rest) - len(rest.lstrip()))
                out.append(Field("title", x, f.end, (("level", "m"),)))
                continue
        # a page scope the parser left in a title ("Memoirs, pps. 63-4" before the page regex knew "pps")
        out.append(f)
    for i, f in enumerate(out):
        if f.name == "__title_start":
            nxt = next(g for g in out[i + 1:] if g.name == "title")
            out = [g for g in out if g is not f and g is not nxt] + [Field("title", f.start, nxt.end, nxt.attrs)]
            out.sort(key=lambda f: (f.start, -f.end))
            break
    # "Conquered City, Writers and Readers Cooperative, 1978": a title taken for a name, a publisher for a title
    names = [f for f in out if f.name == "author"]
    titles = [f for f in out if f.name == "title"]
    if len(names) == 1 and titles and names[0].start == 0 and is_publisher(t[titles[0].start:titles[0].end]) \
            and (not known.is_surname(t[names[0].start:names[0].end].split()[-1])
                 or len(t[names[0].start:names[0].end].split()) > 1) \
            and t[names[0].start:names[0].end].split()[0] not in FORENAMES \
            and not re.match(r"(?:[A-Z]\.\s?)+", t[names[0].start:names[0].end]):
        out = [Field("title", f.start, f.end, (("level", "m"),)) if f is names[0] else
               Field("publisher", f.start, f.end) if f is titles[0] else f for f in out]
    # "New Masses, March 24, 1942": a periodical taken for a name, its date after it
    names = [f for f in out if f.name == "author"]
    if len(names) == 1 and names[0].start == 0:
        v = t[names[0].start:names[0].end]
        after = [f for f in out if f.start >= names[0].end][:1]
        if after and after[0].name == "date" and "," not in v and not known.is_surname(v.split()[-1]) \
                and v.split()[0] not in FORENAMES and not re.match(r"(?:[A-Z]\.\s?)+", v):
            out = [Field("title", f.start, f.end, (("level", "j"),)) if f is names[0] else f for f in out]
    # "New International, July 1938, "Once More: Kronstadt"": a periodical taken for a name
    names = [f for f in out if f.name == "author"]
    quoted = [f for f in out if f.name == "title" and t[f.start] in "\"“"]
    if len(names) == 1 and quoted and names[0].start == 0 and "," not in t[names[0].start:names[0].end] \
            and not re.match(r"(?:[A-Z]\.\s?)+", t[names[0].start:names[0].end]) \
            and not known.is_surname(t[names[0].start:names[0].end].split()[-1]) \
            and t[names[0].start:names[0].end].split()[0] not in FORENAMES:
        out = [Field("title", f.start, f.end, (("level", "j"),)) if f is names[0] else f for f in out]
    # "Serge's Memoirs", "Serge From Lenin to Stalin": the author's surname run into the title
    if not any(f.name == "author" for f in out):
        for i, f in enumerate(out):
            m = re.match(r"(?P<n>[A-Z][\w-]+)(?:['’]s)?\s(?=[A-Z\"“*])", t[f.start:f.end])
            if f.name == "title" and f.start == 0 and m and known.is_surname(m.group("n")) and f.end > m.end() + 2:
                out[i:i + 1] = [Field("author", f.start, f.start + m.end("n")), Field("title", f.start + m.end(), f.end, f.attrs)]
            break
    # "Maurice Dobb in Soviet Economic Development": a name and its book in one segment
    for i, f in enumerate(out):
        m = re.match(r"(?P<n>(?:(?:[A-Z]\.\s?)*[A-Z][a-z]+(?:\s[A-Z]\.)?\s)?[A-Z][\w'’-]+)\sin\s(?=[A-Z\"“])", t[f.start:f.end])
        if f.name == "title" and m and (m.group("n").split()[0] in FORENAMES and " " in m.group("n")
                                        or known.is_surname(m.group("n").split()[-1])):
            out[i:i + 1] = [Field("author", f.start, f.start + m.end("n")), Field("title", f.start + m.end(), f.end, f.attrs)]
            break
    # "Surrender on Demand, Varian Fry, Random House, New York, 1945": the author after the title
    if not any(f.name in ("author", "editor") for f in out):
        titles = [f for f in out if f.name == "title"]
        for m in re.finditer(r",\s(?P<n>(?P<f>[A-Z][a-z]+)\s(?:[A-Z]\.\s)?[A-Z][\w'’-]+),\s", t):
            if titles and m.start() >= titles[0].end and m.group("f") in FORENAMES \
                    and not any(f.start < m.end("n") and f.end > m.start("n") for f in out) \
                    and not is_publisher(m.group("n")) and m.group("n") not in PLACES:
                out.append(Field("author", m.start("n"), m.end("n")))
                out.sort(key=lambda f: (f.start, -f.end))
                break
    # "Panait Istrati (ghosted by Serge), Soviets 1929": a name before a remark in parentheses, and a known
    # title the parser cut into a publisher and a year
    for i, f in enumerate(out):
        v = t[f.start:f.end]
        if f.name == "title" and f.start == 0 and t[f.end:f.end + 2] == " (" and v.split()[0] in FORENAMES \
                and re.fullmatch(r"[A-Z][a-z]+\s(?:[A-Z]\.\s)?[A-Z][\w'’-]+", v):
            out[i] = Field("author", f.start, f.end)
    for i in range(len(out) - 1):
        f, g = out[i], out[i + 1]
        if f.name == "publisher" and g.name == "date" and t[f.end:g.start] == " " and known.knows_title(t[f.start:g.end]):
            out[i:i + 2] = [Field("title", f.start, g.end, (("level", "m"),))]
            break
    # "Moscow Under Lenin": a place and a 'publisher' in one comma-segment, and no title -- a title
    if not any(f.name == "title" for f in out):
        for i in range(len(out) - 1):
            f, g = out[i], out[i + 1]
            if f.name == "pubPlace" and g.name == "publisher" and t[f.end:g.start] == " ":
                out[i:i + 2] = [Field("title", f.start, g.end, (("level", "m"),))]
                break
    # '"camino de Rusia," first chapter of La Defensa de Petrogrado, Mexico, ...': the host book's title
    # in a stretch the parser left unmarked
    bounds = [0] + [x for f in out for x in (f.start, f.end)] + [len(t)]
    for x, y in sorted(zip(bounds[::2], bounds[1::2])):
        m = re.match(r"[,;\s]*(?:[a-z]+\s){0,4}(?P<cue>of|in):?\s(?P<t>[A-Z][^,()]*?)[,.\s]*$", t[x:y])
        if m and x > 0 and not _PROSE_WORDS.search(m.group("t")):
            follows = [f for f in out if f.start >= y][:1]
            level = "j" if m.group("cue") == "in" and follows and follows[0].name == "biblScope" \
                and follows[0].attr("unit") in ("volume", "issue") else "m"
            if level == "j":      # the periodical an article appeared in: no other title is one
                out = [f for f in out if not (f.name == "title" and f.attr("level") == "j" and t[f.start] not in "\"“")]
            out.append(Field("title", x + m.start("t"), x + m.end("t"), (("level", level),)))
    out.sort(key=lambda f: (f.start, -f.end))
    # "Memoires d'un revolutionnaire par Victor Serge": the author named after the title
    for i, f in enumerate(out):
        m = re.search(r"\s(?:par|by)\s(?P<n>(?:[A-Z]\.\s?)*[A-Z][a-z]+(?:\s[A-Z][\w'’-]+){1,2})$", t[f.start:f.end])
        if f.name == "title" and m and t[f.start] not in "\"“" and m.group("n").split()[0] in FORENAMES:
            out[i:i + 1] = [Field("title", f.start, f.start + m.start(), f.attrs),
                            Field("author", f.start + m.start("n"), f.start + m.end("n"))]
            break
    # "The Bolshevik Revolution, 1917-1923, Vol. 1": the years a work covers, not a date of publication
    if not any(f.name in ("publisher", "pubPlace") for f in out):
        for i in range(len(out) - 1):
            f, g = out[i], out[i + 1]
            if f.name == "title" and g.name == "date" and g.attr("from") and t[f.end:g.start] == ", " \
                    and t[f.start] not in "\"“" and not [x for x in out if x.name == "date" and x is not g]:
                out[i:i + 2] = [Field("title", f.start, g.end, f.attrs)]
                break
    # "in Tariq Ali (ed) The Stalinist Legacy": an editor, then the book
    m = re.search(r"\bin\s(?P<e>(?:[A-Z]\.\s?)*[A-Z][a-z]+\s[A-Z][\w'’-]+)\s\((?:ed|eds|Ed|Eds)\.?\)\s(?P<t>[A-Z][^,]+)", t)
    if m:
        out = [f for f in out if not (f.start < m.end("t") and f.end > m.start("e"))]
        out += [Field("editor", m.start("e"), m.end("e")), Field("title", m.start("t"), m.end("t"), (("level", "m"),))]
        out.sort(key=lambda f: (f.start, -f.end))
    # scopes the parser did not see ("p. 88 and 381n", "Chapter 10")
    covered = [(f.start, f.end) for f in out]
    for m in _SCOPE_IN.finditer(t):
        if any(x <= m.start() < y or x < m.end() <= y for x, y in covered):
            continue
        if m.start() > 0 and t[m.start() - 1].isalnum():
            continue
        out.append(_scope_field(t, m.start(), m.end()))
    return sorted(out, key=lambda f: (f.start, -f.end))


def _judge(text: str, a: int, b: int, parsed: ParsedEntry) -> Cited | None:
    """Is the parse a citation? Titles or an author, an anchor, no prose outside the titles."""
    t = parsed.text
    titles = [f for f in parsed.fields if f.name == "title"]
    authors = [f for f in parsed.fields if f.name in ("author", "editor")]
    scopes = [f for f in parsed.fields if f.name == "biblScope"]
    imprint = [f for f in parsed.fields if f.name in ("publisher", "pubPlace", "date")]
    journal = [f for f in titles if f.attr("level") == "j"]
    if not titles and not (authors and scopes):
        return None
    if not (scopes or imprint or journal):
        return None
    own_titles = [f for f in titles if f.attr("level") != "j"]
    if any(t[f.start:f.end] in PLACES for f in titles):
        return None                      # "Coyoacan, Mexico, April 10-17, 1937": places, not a work
    if any(REPOSITORY.search(t[f.start:f.end]) for f in authors) or (
            titles and all(REPOSITORY.search(t[f.start:f.end]) for f in titles)):
        return None                      # "Nicolaevsky Collection, Hoover Archives": where papers are kept
    if not scopes and not journal and not [f for f in imprint if f.name != "pubPlace"] and \
            not any(t[f.start] in "\"“" for f in titles):
        return None                      # "UNAM, Mexico City": a place alone does not make a citation
    if len(titles) == 1 and not authors and is_publisher(t[titles[0].start:titles[0].end]) and imprint:
        return None                      # "(reprinted by Solidarity Press, London, 1967)": an imprint, no work
    if len(own_titles) > 1 and not imprint:
        return None                      # two works run together ("the Memoirs ... and in Birth of Our Power")
    if re.search(r"\sand\sin\s", re.sub(r"[\"“][^\"”]*[\"”]", "", t)):
        return None
    # the text outside fields: punctuation and a few linking words only
    covered = bytearray(len(t))
    for f in parsed.fields:
        for k in range(f.start, f.end):
            covered[k] = 1
    rest = "".join(c if not covered[k] else " " for k, c in enumerate(t))
    rest_words = re.findall(r"[A-Za-z][\w'’]*", rest)
    rest_words = [w for w in rest_words if w.lower() not in (
        "in", "and", "by", "ed", "eds", "trans", "translated", "published", "posthumously", "edited", "with", "an",
        "introduction", "reprinted", "special", "issue", "first", "english", "translation", "of", "the", "from",
        "edition", "reissued", "also", "as", "revised", "vol", "no", "nos", "unpublished", "typescript", "archives",
        "archive", "see", "et", "pt", "part", "chapter", "chap", "essay", "article", "book", "review", "letter", "to",
        "preface", "foreword", "afterword", "report", "speech", "quoted", "cited", "datelined", "dated", "n", "p",
        "pp", "pps", "op", "cit", "ibid", "infra", "supra", "passim", "no", "date", "provided", "photocopied", "copy",
        "serge", "archives", "mexico", "collection", "papers", "correspondence", "interview", "conducted",
        "foreword", "foreward", "author's", "his", "the",
    )]
    if len(rest_words) > 3:
        return None
    for f in titles:
        v = t[f.start:f.end]
        if v[:1] in "\"“'‘":
            continue
        if len(v.split()) > 18 or _PROSE_WORDS.search(v) or not re.match(r"[A-Z0-9\"“'‘*¿¡]", v) \
                or re.search(r"\w['’]s\s[a-z]", v) or re.match(r"(?:It|He|She|They|This|These|We|I|There|Here)\s", v) \
                or re.search(r"\sby\s|\sby$|\b(?:infra|supra)\b", v) or re.match(r"In\s[a-z]", v) or re.match(r"(?:[Cc]hapter|[Ss]ection|[Nn]ote|[Ff]n)\s?\d", v) \
                or v.count('"') % 2 or v.count("“") != v.count("”"):
            return None
    for f in authors:
        v = t[f.start:f.end]
        if _PROSE_WORDS.search(v) or len(v.split()) > 6:
            return None
    surname = _surname(t[authors[0].start:authors[0].end]) if authors and authors[0].start < 3 else ""
    own = [f for f in titles if f.attr("level") != "j"]
    short_title = t[own[0].start:own[0].end] if own else ""
    full = bool(imprint or journal) and bool(titles)
    return Cited(a, b, FULL if full else SHORT, parsed, surname=surname, short_title=short_title,
                 scope_only_volume=bool(scopes) and all(f.attr("unit") == "volume" for f in scopes) and not titles)


def _definitions(text: str, found: list[Cited]) -> None:
    """Abbreviations a citation defines: "(FLTS)" inside or right after it, "(Hereafter, Greeman)"."""
    for c in found:
        window = text[c.start:min(len(text), c.end + 40)]
        m = _HEREAFTER.search(window)
        if m:
            c.alias = m.group("a").strip(" ,.")
            continue
        m = _DEFINED.search(window)
        if m and m.start() < len(c.text) + 3:
            c.alias = m.group("a")


# --- resolving -----------------------------------------------------------------------------

@dataclass
class Work:
    """A full entry a short form may point at: a bibliography entry or a full citation in a note."""

    id: str
    surnames: frozenset[str]
    titles: tuple[tuple[str, ...], ...]
    initials: frozenset[str]
    in_notes: bool


@dataclass
class Outcome:
    target: str | None
    how: str                      # "full", "title", "alias", "initials", "ibid", "op. cit.", "" (unresolved)
    reason: str = ""


class Resolver:
    """Short forms and Ibid. against the works cited so far (see the module docstring)."""

    def __init__(self, bibliography: Iterable[Work] = ()) -> None:
        self.bibliography = list(bibliography)
        self.notes: list[Work] = []              # full citations in note order
        self.aliases: dict[str, str] = {}        # folded abbreviation -> work id
        self.previous: tuple[str | None, frozenset[str]] | None = None   # last citation's target and authors
        self.by_author: dict[str, str] = {}      # surname -> last work cited by that author
        self.memory: dict[tuple[str, ...], str] = {}   # short title words -> the work they stood for
        self.works: dict[str, Work] = {w.id: w for w in self.bibliography}
        self.known = Known()
        self.word_index: dict[str, set[str]] = {}     # title word -> ids of works with it
        # id -> positions in self.notes / self.bibliography: the works with a title word, in order,
        # without a pass over every work for each short form
        self.note_positions: dict[str, list[int]] = {}
        self.bibliography_positions: dict[str, list[int]] = {}
        for k, w in enumerate(self.bibliography):
            self.known.add(w)
            self._index(w)
            self.bibliography_positions.setdefault(w.id, []).append(k)

    def _index(self, work: Work) -> None:
        for t in work.titles:
            for word in t:
                self.word_index.setdefault(word, set()).add(work.id)

    def add_full(self, work: Work) -> None:
        self.note_positions.setdefault(work.id, []).append(len(self.notes))
        self.notes.append(work)
        self.works[work.id] = work
        self.known.add(work)
        self._index(work)

    def resolve(self, c: Cited, own_id: str | None) -> Outcome:
        if c.kind == FULL and own_id:
            out = Outcome(own_id, "full")
        elif c.kind == IBID:
            out = self._ibid(c)
        elif c.kind == OPCIT:
            out = self._by_author(c.surname, "op. cit.")
        else:
            out = self._short(c)
        target = out.target
        authors = self.works[target].surnames if target in self.works else frozenset({c.surname} - {""})
        self.previous = (target, authors)
        if target and c.type not in ("letter", "interview"):
            for s in authors | ({c.surname} - {""}):
                self.by_author[s] = target
        if c.alias and target:
            self.aliases[_alias_key(c.alias)] = target
        return out

    def _ibid(self, c: Cited) -> Outcome:
        if self.previous is None:
            return Outcome(None, "", "Ibid. with no citation before it")
        target, authors = self.previous
        if c.surname and c.surname not in authors:
            return self._by_author(c.surname, "ibid")   # "Rosmer, ibid.": Rosmer's work cited last
        if target is None:
            return Outcome(None, "", "Ibid. after an unresolved citation")
        return Outcome(target, "ibid")

    def _by_author(self, surname: str, how: str) -> Outcome:
        if not surname:
            if how == "op. cit." and self.previous and self.previous[0]:
                return Outcome(self.previous[0], how)
            return Outcome(None, "", f"{how} without an author")
        if surname in self.by_author:
            return Outcome(self.by_author[surname], how)
        if _alias_key(surname) in self.aliases:
            return Outcome(self.aliases[_alias_key(surname)], "alias")
        cands = [w for w in self.bibliography if surname in w.surnames]
        if len(cands) == 1:
            return Outcome(cands[0].id, how)
        return Outcome(None, "", f"{how}: {len(cands)} works by '{surname}' in the bibliography, none cited before")

    def _short(self, c: Cited) -> Outcome:
        title = c.short_title.strip(" \"“”,.'‘’*")
        if not title:
            if c.scope_only_volume or any(f.name == "biblScope" and f.attr("unit") == "volume" for f in c.parsed.fields):
                return Outcome(None, "", "author and volume only: which work is not printed")
            if c.surname:
                return self._by_author(c.surname, "author")
            return Outcome(None, "", "no title")
        if _ABBREVIATION.fullmatch(title):
            key = _alias_key(title)
            if key in self.aliases:
                return Outcome(self.aliases[key], "alias")
            cands = {w.id for w in self.notes + self.bibliography if title in w.initials
                     and (not c.surname or c.surname in w.surnames)}
            works = set(cands)
            if len(works) == 1:
                return Outcome(works.pop(), "initials")
            return Outcome(None, "", f"abbreviation '{title}' not defined ({len(works)} titles with these initials)")
        words = _words(title)
        if not words:
            return Outcome(None, "", "no title words")
        if _alias_key(title) in self.aliases:
            return Outcome(self.aliases[_alias_key(title)], "alias")
        having = self.word_index.get(words[0], set())
        notes = [self.notes[k] for k in sorted((k for i in having for k in self.note_positions.get(i, ())), reverse=True)]
        bibliography = [self.bibliography[k] for k in sorted(k for i in having for k in self.bibliography_positions.get(i, ()))]
        author_ok = [w for w in notes if not c.surname or c.surname in w.surnames or not w.surnames]
        # the same words as a full citation's whole title: the most recent such citation
        exact = [w for w in author_ok if w.titles[:1] == (words,)]
        if exact:
            return self._remember(words, Outcome(exact[0].id, "title"))
        # a short form used before keeps standing for the work it stood for ("Memoirs" is the English
        # edition cited first, not the French one cited in full for a passage the English lacks)
        if words in self.memory:
            return Outcome(self.memory[words], "title")
        for pool, unique, first in ((notes, False, True), (notes, False, False), (bibliography, True, False)):
            for strict in (True, False):
                hits = [w for w in pool if (not c.surname or c.surname in w.surnames or (w.in_notes and not w.surnames))
                        and any(_title_match(words, t, strict) for t in (w.titles[:1] if first else w.titles))]
                if not strict and not c.surname:
                    hits = []                      # a title in the middle of another only with the author
                if not strict:
                    hits = [w for w in hits if len(words) >= 2]
                if not hits:
                    continue
                if unique and len({w.id for w in hits}) > 1:
                    whole = [w for w in hits if words in w.titles]
                    if len(whole) == 1:
                        hits = whole         # "My Life" is Trotsky's My Life, not My Life As a Rebel
                if not unique or len({w.id for w in hits}) == 1:
                    return self._remember(words, Outcome(hits[0].id, "title"))
                return Outcome(None, "", f"'{title}': {len(hits)} entries in the bibliography match")
        return Outcome(None, "", f"'{title}': no full citation or entry matches")

    def _remember(self, words: tuple[str, ...], outcome: Outcome) -> Outcome:
        if outcome.target:
            self.memory[words] = outcome.target
        return outcome


def _alias_key(alias: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(alias))


def _title_match(short: tuple[str, ...], full: tuple[str, ...], strict: bool) -> bool:
    if not short:
        return False
    if full[:len(short)] == short:
        return True
    if strict:
        return False
    if len(full) >= 2 and short[:len(full)] == full:
        return True                    # the citation adds a subtitle the entry lacks (checked with the author)
    if len(short) > len(full):
        return False
    return any(full[k:k + len(short)] == short for k in range(1, len(full) - len(short) + 1))


def bibliography_works(bibliography: etree._Element | None, root: etree._Element | None = None) -> list[Work]:
    """The entries of a document's bibliography (``bibl`` with ``xml:id``) as works to point at;
    supplied authors (``copyOf``) count with the name they copy."""
    if bibliography is None:
        return []
    ids = {n.get(XML_ID): n for n in (root if root is not None else bibliography).iter()
           if isinstance(n.tag, str) and n.get(XML_ID)}
    out = []
    for bibl in bibliography.iter(T + "bibl"):
        bid = bibl.get(XML_ID)
        if not bid:
            continue
        names = []
        for node in bibl.iterchildren(T + "author", T + "editor"):
            if node.get("role") not in (None, "translator") and node.tag == T + "editor":
                continue
            value = "".join(node.itertext()).strip()
            if not value and node.get("copyOf", "").startswith("#"):
                target = ids.get(node.get("copyOf")[1:])
                value = "".join(target.itertext()).strip() if target is not None else ""
            if value:
                names.append(value)
        titles = [" ".join("".join(t.itertext()).split()) for t in bibl.iterchildren(T + "title")
                  if t.get("level") != "j"]
        out.append(_work(bid, names, titles, in_notes=False))
    return out


def _work(wid: str, names: Iterable[str], titles: Iterable[str], in_notes: bool) -> Work:
    titles = [t for t in titles if t]
    keys = tuple(w for w in (_words(t.strip("\"“”,.")) for t in titles) if w)
    initials = frozenset(_initials(t.strip("\"“”,.")) for t in titles)
    return Work(wid, frozenset(s for s in (_surname(n) for n in names) if s), keys, initials, in_notes)


def work_of(c: Cited, wid: str) -> Work:
    names = [c.text[f.start:f.end] for f in c.parsed.fields if f.name in ("author", "editor")][:3]
    titles = [c.text[f.start:f.end] for f in c.parsed.fields if f.name == "title" and f.attr("level") != "j"]
    return _work(wid, names, titles, in_notes=True)


# --- mark-up -------------------------------------------------------------------------------

@dataclass
class CitationReport:
    """What :func:`mark_notes` found and linked."""

    notes: int = 0
    citations: int = 0
    by_kind: dict[str, int] = field(default_factory=lambda: {FULL: 0, SHORT: 0, IBID: 0, OPCIT: 0})
    resolved: dict[str, int] = field(default_factory=lambda: {SHORT: 0, IBID: 0, OPCIT: 0})
    unresolved: list[tuple[str, str, str]] = field(default_factory=list)   # (note id, citation, why)

    @property
    def references(self) -> int:
        """Short forms, Ibid. and op. cit.: the citations that should point somewhere."""
        return self.by_kind[SHORT] + self.by_kind[IBID] + self.by_kind[OPCIT]

    @property
    def resolved_share(self) -> float:
        return sum(self.resolved.values()) / self.references if self.references else 1.0

    def lines(self) -> list[str]:
        out = [f"citations in notes: {self.citations} in {self.notes} notes (full {self.by_kind[FULL]}, "
               f"short {self.by_kind[SHORT]}, ibid {self.by_kind[IBID]}, op. cit. {self.by_kind[OPCIT]}); "
               f"{sum(self.resolved.values())} of {self.references} short forms/Ibid. linked "
               f"({self.resolved_share:.0%}), {len(self.unresolved)} left without @corresp"]
        return out


def _containers(note: etree._Element) -> Iterator[etree._Element]:
    """The elements whose text is the note's prose: the note itself, or its paragraphs."""
    ps = [c for c in note if isinstance(c.tag, str) and c.tag == T + "p"]
    if ps:
        yield from ps
    elif len(note) == 0:
        yield note


def mark_notes(notes: Iterable[etree._Element], bibliography: Iterable[Work] = (),
               sentences: bool = True) -> CitationReport:
    """Mark the citations in each note (in the order given: document order) as ``bibl``; link short
    forms and Ibid. to the full entries (``@corresp``). Only text is marked: a note (or paragraph of a
    note) that already has element content is left alone. Returns the counts and the citations left
    unlinked. ``sentences``: see :func:`find_citations`. While ``helper_process`` is on, the second
    half of the notes is read ahead in a forked process (see :func:`_read_ahead`)."""
    resolver = Resolver(bibliography)
    report = CitationReport()
    boxes: list[tuple[int, str, etree._Element]] = []   # (the note's number, its id, a box of its text)
    for n, note in enumerate(notes):
        report.notes += 1
        boxes += [(n, note.get(XML_ID) or "note", box) for box in _containers(note)
                  if not len(box) and (box.text or "").strip()]
    ahead = _read_ahead([box.text for *_, box in boxes], resolver.known, sentences) if _HELPER else None
    try:
        k, last = 0, -1
        for i, (n, note_id, box) in enumerate(boxes):
            k = 0 if n != last else k   # a note's bibls are numbered through its paragraphs
            last = n
            found = ahead.found(i, resolver.known) if ahead else None
            if found is None:
                found = find_citations(box.text, resolver.known, sentences=sentences)
            children, k = _marked(box.text, note_id, k, found, resolver, report)
            box.text = None
            append(box, *children)
    finally:
        if ahead:
            ahead.close()
    return report


def marked(text: str, note_id: str, sentences: bool = True) -> list[Child]:
    """One note's text with its citations as ``bibl`` (ids ``<note_id>.b<k>``), on its own: for
    documents whose notes cite no short forms (each note is resolved against itself only)."""
    resolver = Resolver()
    children, _ = _marked(text, note_id, 0, find_citations(text, resolver.known, sentences=sentences), resolver,
                          CitationReport())
    return children


def _marked(text: str, note_id: str, k: int, found: list[Cited], resolver: Resolver,
            report: CitationReport) -> tuple[list[Child], int]:
    children: list[Child] = []
    pos = 0
    for c in found:
        k += 1
        report.citations += 1
        report.by_kind[c.kind] += 1
        own = f"{note_id}.b{k}"
        if c.kind == FULL:
            resolver.add_full(work_of(c, own))
        outcome = resolver.resolve(c, own if c.kind == FULL else None)
        attrs: dict[str, str] = {"xml:id": own}
        if c.kind != FULL:
            if outcome.target:
                attrs["corresp"] = "#" + outcome.target
                report.resolved[c.kind] += 1
            else:
                report.unresolved.append((note_id, c.text, outcome.reason))
        if c.type:
            attrs["type"] = c.type
        children.append(text[pos:c.start])
        children.append(to_bibl(c.parsed, attrs))
        pos = c.end
    children.append(text[pos:])
    return [c for c in children if not (isinstance(c, str) and not c)], k


# --- reading ahead in a helper process ---------------------------------------------------------

#: see :func:`helper_process`
_HELPER = False
#: fewer notes than this are read in this process only (a fork costs more than they take)
AHEAD_MIN_NOTES = 200


@contextmanager
def helper_process() -> Iterator[None]:
    """While on, :func:`mark_notes` may fork one process to find the citations of the second half of a
    document's notes while this one does the first half (the build turns it on for one long text
    converted while the other cores have nothing to do: the thesis's notes are most of its conversion).
    The results are the same as in one process: see :class:`_Ahead`."""
    global _HELPER
    before, _HELPER = _HELPER, hasattr(os, "fork")
    try:
        yield
    finally:
        _HELPER = before


class _Recording(Known):
    """A Known that notes every question asked of it and its answer."""

    def __init__(self, start: Known) -> None:
        super().__init__()
        self.surnames = set(start.surnames)
        self.titles = {first: list(titles) for first, titles in start.titles.items()}
        self.asked: list[tuple[str, str, bool]] = []

    def is_surname(self, word: str) -> bool:
        answer = super().is_surname(word)
        self.asked.append(("is_surname", word, answer))
        return answer

    def knows_title(self, title: str) -> bool:
        answer = super().knows_title(title)
        self.asked.append(("knows_title", title, answer))
        return answer


class _Ahead:
    """The citations of ``texts[start:]`` found in a forked process, each note with the questions its
    search asked of what is known and the answers it got. That process knows the works of its own notes
    only, not those of the notes before ``start``; so a note's result is taken only when every question
    it asked gets the same answer from what is really known when the note's turn comes (the search
    depends on nothing else), and is found again otherwise."""

    def __init__(self, start: int, pid: int, reader: int) -> None:
        self.start, self.pid, self.reader = start, pid, reader
        self.results: list[tuple[list[Cited], list[tuple[str, str, bool]]]] | None = None
        self.taken = self.refound = 0

    def found(self, i: int, known: Known) -> list[Cited] | None:
        if i < self.start:
            return None
        if self.results is None:
            self.results = self._collect()
        if i - self.start >= len(self.results):
            return None
        cited, asked = self.results[i - self.start]
        if all(getattr(known, question)(value) == answer for question, value, answer in asked):
            self.taken += 1
            return cited
        self.refound += 1
        return None

    def _collect(self) -> list:
        with os.fdopen(self.reader, "rb") as pipe:
            data = pipe.read()
        self.reader = -1
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        try:
            return pickle.loads(data) if status == 0 else []
        except Exception:  # a helper that died half-way: this process finds them all
            return []

    def close(self) -> None:
        """Never leave the helper behind (this process stopped before it took the results: an error)."""
        if self.reader >= 0:
            os.close(self.reader)
            self.reader = -1
        if self.pid:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self.pid = 0


def _read_ahead(texts: list[str], known: Known, sentences: bool) -> _Ahead | None:
    """Fork a process that finds the citations of the second half of ``texts`` (see :class:`_Ahead`)."""
    if len(texts) < AHEAD_MIN_NOTES:
        return None
    start = len(texts) // 2
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the helper: finds, answers through the pipe, and ends without running any cleanup
        status = 1
        try:
            os.close(reader)
            recording = _Recording(known)
            results = []
            for k, text in enumerate(texts[start:]):
                recording.asked = []
                cited = find_citations(text, recording, sentences=sentences)
                for n, c in enumerate(cited):
                    if c.kind == FULL:
                        recording.add(work_of(c, f"ahead{k}.{n}"))
                results.append((cited, recording.asked))
            with os.fdopen(writer, "wb") as pipe:
                pipe.write(pickle.dumps(results, pickle.HIGHEST_PROTOCOL))
            status = 0
        finally:
            os._exit(status)
    os.close(writer)
    return _Ahead(start, pid, reader)


def dangling(root: etree._Element) -> list[str]:
    """``@corresp`` values of bibls that point at no element of the document."""
    ids = {n.get(XML_ID) for n in root.iter() if isinstance(n.tag, str)}
    return [b.get("corresp") for b in root.iter(T + "bibl")
            if b.get("corresp") and b.get("corresp")[1:] not in ids]
