"""002: an encyclopedia-style biography of Leon Trotsky, with picture captions and primary sources.

How the capture lays the page out, and the rules that read it back:

* The first block is the page title (one short line).
* A *heading* is a single short line without final punctuation, followed by prose.
  Each starts a section, ``div type="section"`` with ``xml:id="sec-<slug of heading>"``.
* A *picture caption* is a block of short lines whose first line has no final
  punctuation: the picture's alt text, then the caption, which may wrap over
  lines and may end with a full stop. A line continues the caption when it
  starts in lower case or the line before ends with a comma or a word such as
  "with" or "of". A further line after the caption that is heading-like and is
  followed by prose is the next section's heading, glued to the caption by the
  capture (no blank line between them).
  A single short line is a caption, not a heading, when it repeats the page
  title (a section never repeats the title; the page labels its subject's
  portrait with his name) or when another short block follows it directly.
* Everything else before "Primary Sources" is prose: one ``p`` per source line,
  with quotations marked as ``quote`` (five words or more) or ``q`` (the house
  rule of :func:`~tei.inline.quote_spans`). The capture uses straight marks for
  quotations inside quotations too, so straight marks are paired by direction
  with a stack (:func:`straight_quote_pairs`) rather than two by two. A
  paragraph that is one quotation from its first to its last character is
  ``quote/p`` (the marks stay in the text); one that merely starts with a
  quotation stays a ``p``.
* "Primary Sources" (the heading followed by a "(1) ..." line) is
  ``div type="primarySources"``: each numbered line "(n) ..." opens a ``cit``
  (``@n``, ``xml:id="ps<n>"``) whose ``bibl`` is that line, number included as
  text (tei_all allows no ``label`` in ``bibl`` or ``cit``), followed by a
  ``quote`` with one ``p`` per source line up to the next number, whether the
  lines are separated by blank lines or by single line breaks. Numbers must run
  1, 2, 3, …; a parenthesised number out of sequence is text.

Encoding of a picture: ``<figure><figDesc>alt text</figDesc><head>caption</head></figure>``
(source order; a caption's wrapped lines are joined by a space); a one-line
caption is ``<figure><head>caption</head></figure>``. No ``graphic``: the capture
does not name the image files.

Source lines are structured only where the form is clear: ``author`` for a
personal name before the first comma ("Leon Trotsky, …") or before "wrote";
``title`` for the work after that comma when it is capitalised (a lower-case
continuation such as "letter to Pavel Axelrod" is a description, not a title),
after "his book", "his autobiography," or "an article,", or a newspaper name
(Daily, News, Times, Telegraph, Guardian, Post, …). ``@level`` is ``j`` for a
newspaper name or for a title cited with two or more different day dates (an
issue date), ``a`` after "an article,", ``m`` for a title cited with a year alone
(a book), and left out otherwise. ``date/@when`` is given for a parenthesised
date at the end of the line ("(2nd March, 1903)" → 1903-03-02, "(July, 1938)"
→ 1938-07, "(1930)" → 1930) and for a closing "on August 28, 1940"; other
dates in the prose of a source line are not interpreted.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Set
from dataclasses import dataclass

from lxml import etree

from ..cleaning import CleanText, CleaningProfile
from ..inline import QUOTE_MIN_WORDS, Span, build, quote_spans
from ..metadata import SourceMeta
from ..teixml import el
from .base import Block, Conversion, blocks

PROFILE = CleaningProfile()

SHORT_WORDS = 12            # a caption or heading line has at most this many words …
SHORT_CHARS = 80            # … and characters
FINAL_PUNCT = tuple(".!?:;,")
CONTINUING_WORDS = {"a", "an", "and", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to", "with"}
ENTRY = re.compile(r"^\((?P<n>\d+)\)\s+\S")

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")
_MONTH = "(?:" + "|".join(MONTHS) + ")"
# "(2nd March, 1903)", "(4th January 1918)", "(July, 1938)", "(1930)" at the end of a line
END_DATE = re.compile(r"\((?P<date>(?:(?P<day>\d{1,2})(?:st|nd|rd|th)\s+)?(?:(?P<month>" + _MONTH
                      + r"),?\s+)?(?P<year>\d{4}))\)\.?$")
# "… on August 28, 1940." at the end of a line
END_ON_DATE = re.compile(r"\bon (?P<date>(?P<month>" + _MONTH + r") (?P<day>\d{1,2}), (?P<year>\d{4}))\.?$")
_CAP_WORD = r"[A-Z][\w'’-]*\.?"
PERIODICAL = re.compile(r"\b(?:" + _CAP_WORD + r"\s+)*?" + r"(?:[A-Z][\w'’]*-)?"
                        r"(?:Daily|News|Times|Telegraph|Guardian|Post|Herald|Gazette|Tribune|Observer|Dispatch)"
                        r"(?:-[A-Z][\w'’]*)?\b(?:\s+[A-Z][\w'’-]*)*")
NAME_TOKEN = re.compile(r"^(?:[A-Z][a-z'’-]+|(?:[A-Z]\.)+)$")
NOT_NAMES = set(MONTHS) | {"In", "During", "After", "Before", "The", "On", "When", "While", "At"}
TITLE_CUES = (
    (re.compile(r"\bhis (?:book|autobiography,) (?P<t>[A-Z][^()]*?)(?=\s*\(|\.?$)"), "m"),
    (re.compile(r"\ban article, (?P<t>[A-Z][^,()]*?)\s*,"), "a"),
    (re.compile(r"\bin (?P<t>(?:An?|The) [A-Z][^()]*?)\s*\((?:\d{1,2}(?:st|nd|rd|th)\s+)?(?:" + _MONTH
                + r",?\s+)?\d{4}\)\.?$"), None),
)


# --- layout -----------------------------------------------------------------------

def is_short(line: str) -> bool:
    """Short enough for a heading or a caption line (prose lines of this capture are whole paragraphs)."""
    line = line.strip()
    return bool(line) and len(line) <= SHORT_CHARS and len(line.split()) <= SHORT_WORDS


def is_label(line: str) -> bool:
    """A line that could be a heading or the first line of a caption: short, no final punctuation."""
    return is_short(line) and not line.strip().endswith(FINAL_PUNCT)


def is_label_block(block: Block | None) -> bool:
    """A block of short lines whose first line is heading-like: a caption or heading, not prose."""
    return block is not None and all(is_short(line) for line in block.lines) and is_label(block.lines[0])


def _continues(previous: str, line: str) -> bool:
    """Whether ``line`` continues a caption that wrapped after ``previous``."""
    words = previous.split()
    return (line[:1].islower() or previous.endswith((",", "-"))
            or (bool(words) and words[-1].lower() in CONTINUING_WORDS))


@dataclass
class Item:
    kind: str                 # "title", "heading", "figure", "para", "sources", "entry"
    line: int
    text: str = ""
    alt: str | None = None    # figure: the picture's alt text


def _caption_block(block: Block, following: Block | None) -> list[Item]:
    lines = [line.strip() for line in block.lines]
    alt, caption = lines[0], [lines[1]]
    k = 2
    while k < len(lines) and _continues(caption[-1], lines[k]):
        caption.append(lines[k])
        k += 1
    rest = lines[k:]
    heading = None
    if len(rest) == 1 and is_label(rest[0]) and following is not None and not is_label_block(following):
        heading = Item("heading", block.line + k, rest[0])
    else:
        caption += rest  # not a heading: keep it with the caption rather than lose it
    items = [Item("figure", block.line, " ".join(caption), alt)]
    return items + ([heading] if heading else [])


def _starts_sources(block: Block, following: Block | None) -> bool:
    """A heading-like line followed by the source line numbered (1)."""
    return (len(block.lines) == 1 and is_label(block.lines[0]) and following is not None
            and (m := ENTRY.match(following.lines[0].strip())) is not None and m.group("n") == "1")


def layout(parts: list[Block]) -> tuple[list[Item], list[Block]]:
    """Classify the narrative's blocks (title, headings, figures, paragraphs, the sources heading).

    Returns the items and the blocks after the "Primary Sources" heading, which
    :func:`primary_sources` reads.
    """
    items: list[Item] = []
    if not parts:
        return items, []
    first = 0
    if len(parts[0].lines) == 1 and is_label(parts[0].lines[0]):
        items.append(Item("title", parts[0].line, parts[0].text))
        first = 1
    for i in range(first, len(parts)):
        block = parts[i]
        following = parts[i + 1] if i + 1 < len(parts) else None
        if _starts_sources(block, following):
            items.append(Item("sources", block.line, block.text))
            return items, parts[i + 1:]
        lines = [line.strip() for line in block.lines]
        if len(lines) == 1 and is_label(lines[0]):
            repeats_title = bool(items) and items[0].kind == "title" and lines[0] == items[0].text
            if repeats_title or following is None or is_label_block(following):
                items.append(Item("figure", block.line, lines[0]))
            else:
                items.append(Item("heading", block.line, lines[0]))
        elif len(lines) > 1 and is_label_block(block):
            items += _caption_block(block, following)
        else:
            items += [Item("para", block.line + k, line) for k, line in enumerate(lines)]
    return items, []


def source_items(parts: list[Block], first: int = 1) -> list[Item]:
    """Every line of the primary sources: numbered source lines ("entry") and quoted lines ("para").

    Lines are read one by one, so paragraphs separated by a single line break are
    kept apart. Numbers must run ``first``, ``first + 1``, …
    """
    items: list[Item] = []
    expected = first
    for block in parts:
        for k, line in enumerate(block.lines):
            text = line.strip()
            m = ENTRY.match(text)
            if m and int(m.group("n")) == expected:
                items.append(Item("entry", block.line + k, text))
                expected += 1
            else:
                items.append(Item("para", block.line + k, text))
    return items


def primary_sources(parts: list[Block], first: int = 1) -> list[etree._Element]:
    """``cit`` elements (bibl + quote of its paragraphs), one per numbered source line.

    Lines before the first number (none in this text) are ``p``s of their own.
    """
    items = source_items(parts, first)
    periodicals = periodical_titles([i.text for i in items if i.kind == "entry"])
    out: list[etree._Element] = []
    cit: etree._Element | None = None
    for item in items:
        if item.kind == "entry":
            n = item.text[1:item.text.index(")")]
            cit = el("cit", {"n": n, "xml:id": f"ps{n}"}, source_bibl(item.text, periodicals))
            out.append(cit)
        elif cit is None:
            out.append(para(item.text))
        else:
            quote = cit.find("{*}quote")
            if quote is None:
                quote = el("quote")
                cit.append(quote)
            quote.append(para(item.text))
    return out


# --- paragraphs -----------------------------------------------------------------

_OPEN_BEFORE = "([{—–-/‘'“"
_CLOSE_AFTER = ".,;:!?)]}—–-’'”…"


def straight_quote_pairs(text: str) -> list[tuple[int, int]]:
    """Pairs of straight quotation marks, nested ones included, as (start, end) offsets.

    The capture uses the straight mark for quotations inside quotations too
    ("… fought against the "Economists" and …."), so marks are paired by their
    direction (after a space: opening; before a space or punctuation: closing)
    with a stack, not two by two. A mark whose direction its neighbours do not
    tell closes the open quotation if there is one. Unpaired marks stay text.
    """
    pairs: list[tuple[int, int]] = []
    stack: list[int] = []
    for i, char in enumerate(text):
        if char != '"':
            continue
        before = text[i - 1] if i else " "
        after = text[i + 1] if i + 1 < len(text) else " "
        opens = before.isspace() or before in _OPEN_BEFORE
        closes = after.isspace() or after in _CLOSE_AFTER
        if opens and not closes:
            stack.append(i)
        elif closes and not opens:
            if stack:
                pairs.append((stack.pop(), i + 1))
        elif stack:
            pairs.append((stack.pop(), i + 1))
        else:
            stack.append(i)
    return sorted(pairs)


def quotation_spans(text: str) -> list[Span]:
    """Curly pairs as :func:`~tei.inline.quote_spans` reads them, straight pairs by :func:`straight_quote_pairs`.

    ``quote`` for five words or more, ``q`` for shorter phrases (the house rule).
    """
    spans = [s for s in quote_spans(text) if text[s.start] == "“"]
    for start, end in straight_quote_pairs(text):
        name = "quote" if len(re.findall(r"\w+", text[start:end])) >= QUOTE_MIN_WORDS else "q"
        spans.append(Span(start, end, lambda name=name: el(name)))
    return spans


def para(text: str) -> etree._Element:
    """A ``p`` with its quotations marked."""
    return el("p", None, *build(text, quotation_spans(text)))


def narrative_paragraph(text: str) -> etree._Element:
    """A ``p``, or ``quote/p`` when the paragraph is one quotation from start to end.

    Only punctuation may follow the closing mark; a paragraph that merely starts
    with a quotation stays a ``p``.
    """
    spans = quotation_spans(text)
    for whole in spans:
        if whole.start == 0 and re.fullmatch(r"[\s.,;:]*", text[whole.end:]) \
                and len(re.findall(r"\w+", text[:whole.end])) >= QUOTE_MIN_WORDS:
            inner = [s for s in spans if s is not whole]
            return el("quote", None, el("p", None, *build(text, inner)))
    return el("p", None, *build(text, spans))


# --- source lines ---------------------------------------------------------------------

def _when(m: re.Match[str]) -> str:
    when = m.group("year")
    if m.group("month"):
        when += f"-{MONTHS.index(m.group('month')) + 1:02d}"
        if m.group("day"):
            when += f"-{int(m.group('day')):02d}"
    return when


def _end_date(text: str) -> tuple[int, int, str, bool] | None:
    """(start, end, @when, day-precise) of the date closing a source line."""
    for pattern in (END_DATE, END_ON_DATE):
        m = pattern.search(text)
        if m:
            return m.start("date"), m.end("date"), _when(m), bool(m.group("day"))
    return None


def _author_work(rest: str) -> tuple[str, int, str] | None:
    """For "Name, work …": the author, the offset of the work, the work (without its date)."""
    name, sep, work = rest.partition(",")
    tokens = name.split()
    if not sep or not 2 <= len(tokens) <= 5 or not all(NAME_TOKEN.match(t) for t in tokens):
        return None
    if any(t in NOT_NAMES for t in tokens):
        return None
    offset = len(name) + 1 + (len(work) - len(work.lstrip()))
    work = work.strip()
    if not work or work[0].isdigit():
        return None
    return name.strip(), offset, work


def _work_title(work: str) -> str | None:
    """The title in the work part of "Name, Title (date)": the part before the date, if capitalised."""
    title = END_DATE.sub("", work).strip()
    return title if title[:1].isupper() and title else None


def periodical_titles(entries: list[str]) -> set[str]:
    """Titles cited with two or more different day dates: issues of a periodical."""
    dates: dict[str, set[str]] = {}
    for entry in entries:
        rest = entry[entry.index(")") + 1:].lstrip()
        found = _author_work(rest)
        end = _end_date(rest)
        if found and end and end[3]:
            title = _work_title(found[2])
            if title:
                dates.setdefault(title, set()).add(end[2])
    return {title for title, whens in dates.items() if len(whens) > 1}


def source_bibl(entry: str, periodicals: Set[str] = frozenset()) -> etree._Element:
    """The ``bibl`` of a numbered source line, structured where the form is clear."""
    start = entry.index(")") + 1
    start += len(entry[start:]) - len(entry[start:].lstrip())
    rest = entry[start:]
    spans: list[Span] = []

    def add(a: int, b: int, name: str, attrs: dict[str, str] | None = None) -> None:
        spans.append(Span(start + a, start + b, lambda: el(name, attrs)))

    end = _end_date(rest)
    year_only = end is not None and not end[3] and re.fullmatch(r"\d{4}", end[2]) is not None
    if end:
        add(end[0], end[1], "date", {"when": end[2]})
    found = _author_work(rest)
    if found:
        author, offset, work = found
        add(0, len(author), "author")
        title = _work_title(work)
        if title:
            if PERIODICAL.fullmatch(title) or title in periodicals:
                level = "j"
            elif year_only:
                level = "m"
            else:
                level = None
            add(offset, offset + len(title), "title", {"level": level})
    else:
        m = re.match(r"^(?P<name>(?:\S+ ){1,4}?\S+) wrote\b", rest)
        if m and all(NAME_TOKEN.match(t) for t in m.group("name").split()) \
                and not any(t in NOT_NAMES for t in m.group("name").split()):
            add(0, m.end("name"), "author")
        for pattern, level in TITLE_CUES:
            for t in pattern.finditer(rest):
                title = t.group("t")
                if PERIODICAL.fullmatch(title):
                    cue_level = "j"
                elif level is None:
                    cue_level = "m" if year_only else None
                else:
                    cue_level = level
                add(t.start("t"), t.end("t"), "title", {"level": cue_level})
    for m in PERIODICAL.finditer(rest):
        if not any(s.start <= start + m.start() < s.end for s in spans):
            add(m.start(), m.end(), "title", {"level": "j"})
    return el("bibl", None, *build(entry, spans))


# --- tree -----------------------------------------------------------------------------

def slug(text: str) -> str:
    """ASCII, lower case, hyphens: "People's Commissar for Foreign Affairs" → "peoples-commissar-for-foreign-affairs"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    ascii_text = re.sub(r"['’]", "", ascii_text.lower())
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-") or "section"


def _figure(item: Item) -> etree._Element:
    return el("figure", None, el("figDesc", None, item.alt) if item.alt is not None else None,
              el("head", None, item.text))


def convert(clean: CleanText, meta: SourceMeta) -> Conversion:
    items, rest = layout(blocks(clean))
    main = el("div", {"type": "biography", "xml:id": "biography"})
    current = main
    used: Counter[str] = Counter()

    def section(kind: str, head: str) -> etree._Element:
        base = "sec-" + slug(head)
        used[base] += 1
        ident = base if used[base] == 1 else f"{base}-{used[base]}"
        div = el("div", {"type": kind, "xml:id": ident}, el("head", None, head))
        main.append(div)
        return div

    for item in items:
        if item.kind == "title":
            main.append(el("head", None, item.text))
        elif item.kind == "heading":
            current = section("section", item.text)
        elif item.kind == "sources":
            current = section("primarySources", item.text)
            current.extend(primary_sources(rest))
        elif item.kind == "figure":
            current.append(_figure(item))
        else:
            current.append(narrative_paragraph(item.text))
    return Conversion(
        text=el("text", None, el("body", None, main)),
        principles={
            "figures": ("Picture captions are figure elements in the place where the capture gives them: the "
                        "picture's alt text as figDesc, the caption as head (a caption wrapped over lines is joined "
                        "with a space). The pictures themselves are not in the received text."),
            "quotationNesting": ("Straight quotation marks are paired by their direction, so that a quotation "
                                 "inside a quotation (marked with the same straight marks) is nested in it; a mark "
                                 "that pairs with none is left as text. A paragraph that is one quotation "
                                 "throughout is a quote containing the p."),
            "primarySources": ("Each numbered primary source is a cit (n = its number) whose bibl is the source line "
                               "as received, number included, with author, title and date marked where the form is "
                               "clear; its quote holds one p for each following line up to the next number."),
        },
    )
