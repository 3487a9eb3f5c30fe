"""004: Susan Weissman's 1991 Glasgow PhD thesis on Victor Serge (OCR text of the print thesis).

The text is a page-by-page OCR: the footnotes of each printed page follow the
page's text, i.e. they sit wherever the page broke, often in mid-sentence. The
conversion therefore works in small steps over plain data, each a function:

1. landmarks (``_landmarks``): the digitisation/ProQuest notices, title page,
   acknowledgements, contents, abstract, body and bibliography are found by
   their headings, not by line numbers;
2. classify (``_classify``): every body block becomes a :class:`Unit` — a
   heading (by number pattern, all-caps "CHAPTER" line, or a short line that
   the table of contents lists), a note body (leading superscript number), a
   continuation marker, verse, a list, an ornament, or prose;
3. separate (``_separate``): note bodies (and the paragraphs that belong to
   them) are taken out of the running text into :class:`Note`\\ s, per
   numbering sequence (it restarts with the Introduction, each chapter and each
   "Section II"); notes split over two pages are joined;
4. group (``_group``): the running text is grouped into paragraphs, rejoining a
   paragraph that a page break interrupted (see ``SEGMENTATION``);
5. build (``_Builder``): the div tree, with each note placed at its call;
6. the bibliography is delegated to :mod:`.thesis_bibliography`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from lxml import etree

from ..cleaning import CleaningProfile, CleanText
from ..decisions import NOTED, REMOVED, Decision
from ..errors import UserError
from ..inline import Span, build, quote_spans
from ..metadata import SourceMeta
from .. import TEI_NS, citations
from ..teixml import XML_ID, Child, append, el
from .base import Block, Conversion, HeaderNotice, blocks
from .thesis_bibliography import PRINCIPLES as BIBLIOGRAPHY_PRINCIPLES
from .thesis_bibliography import convert_bibliography

PROFILE = CleaningProfile()

# --- patterns -------------------------------------------------------------------------

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_TO_ASCII = str.maketrans(SUPERSCRIPT_DIGITS, "0123456789")
CALL = re.compile(f"[{SUPERSCRIPT_DIGITS}]+")
NOTE_BODY = re.compile(f"^(?P<n>[{SUPERSCRIPT_DIGITS}]+)\\s*(?P<text>.*)$")
# "⁸⁶(...continued)": the second part of a note split over two pages.
NOTE_RESUMED = re.compile(f"^(?P<n>[{SUPERSCRIPT_DIGITS}]+)\\s*\\(\\.\\.\\.continued\\)\\s*$")
# "(continued...)": the end of a note's first part, on a line of its own or at the end of the last line
# (sometimes with a stray ")" or '"' after it, which stays in the note's text).
NOTE_TO_BE_CONTINUED = re.compile(r"^\(continued\.\.\.\)(?P<rest>.*)$")
TRAILING_TO_BE_CONTINUED = re.compile(r"\s*\(continued\.\.\.\)(?P<rest>[)\]\"]?)$")
CONTINUED_MARKER = "(continued...)"
RESUMED_MARKER = "(...continued)"
# A note number the OCR read as plain digits, alone on its line ("139").
PLAIN_NOTE_NUMBER = re.compile(r"^\d{1,3}$")

NUMBER_WORDS = {"ONE": 1, "TWO": 2, "THREE": 3, "FOUR": 4, "FIVE": 5, "SIX": 6, "SEVEN": 7, "EIGHT": 8, "NINE": 9}
ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10}
CHAPTER_HEAD = re.compile(r"^CHAPTER (?P<word>[A-Z]+)\b:?\s*(?P<title>.*)$")
# "Chapter Four: Section II ORENBURG 1933-1936¹"
SECTION_PART_HEAD = re.compile(r"^Chapter (?P<word>[A-Za-z]+): Section (?P<roman>[IVX]+)\b\s*(?P<title>.*)$")
# "I. 1928-1933: …" (a part) or "V. Another Exile …" (chapter five): a roman numeral, not "II. 4.12".
ROMAN_HEAD = re.compile(r"^(?P<roman>[IVX]+)\.\s+(?!\d+\.\d+)(?P<title>\S.*)$")
# "1.1 On the way…", "1.2. Serge…", "1.4.From…", "II. 4.12 Crimes of Existence" (section 4.12 in Section II)
SECTION_HEAD = re.compile(r"^(?:(?P<part>[IVX]+)\.\s+)?(?P<num>(?P<chapter>\d+)\.(?P<section>\d+))\.?\s*(?P<title>\S.*)$")
MAX_HEADING = 200           # characters: longer lines are prose even when they start like a heading
MAX_SUBHEADING = 100
# The all-caps subtitle printed under "Chapter Four: Section II" and "Chapter Five: Section II".
ALL_CAPS = re.compile(r"^[^a-z]*[A-Z]{3}[^a-z]*$")

# End of a sentence: . ! ? (or an ellipsis), possibly inside closing quotes/brackets, before note calls.
# (A closing quotation mark or bracket ends a unit too: "... took its stand"¹¹⁸", "[FBI Memorandum 57955]".)
SENTENCE_END = re.compile(f"(?:[.!?…][\\s\"”’')\\]]*|[\"”)\\]])[\\s{SUPERSCRIPT_DIGITS}]*$")
# "the Smirnovs, ..." at the foot of a page: an enumeration that goes on overleaf.
LIST_BROKEN_OFF = re.compile(r",\s*(?:\.\.\.|…)$")
# Opening punctuation before the first letter of a block.
LEADING_PUNCTUATION = re.compile(r"^[\s(\[\"“'‘.…-]*")
# A paragraph that breaks off on a bare word (no punctuation at all) was cut by a page break.
BARE_WORD_END = re.compile(r"[^\W_]$")
# ... and so was one that breaks off on a comma.
CLAUSE_END = re.compile(r"(?:[^\W_]|,)$")
QUOTE_OPENING = re.compile(r'^(?:\.\.\.\s*)?["“]')
MAX_VERSE_LINE = 60
LIST_ITEM = re.compile(r"^-\s+(?P<text>.*)$")
ORNAMENT = re.compile(r"^(?:\*\s*){3,}$")
# Items of the newspaper clipping in the appendix that float in its columns.
CAPTION = re.compile(r"^[A-Z][A-Z ]+: .*(?:\(above\)|PHOTOGRAPHS?:)")
JUMP_LINE = re.compile(r"^► Continued from page \d+$")
CYRILLIC = re.compile(r"[\u0400-\u04FF]")
DATE_LINE = re.compile(r"^\d{1,2}(?:-\d{1,2})? [A-Z][a-z]+\.? \d{4}$")
# Rights and permission statements (teiHeader availability); other notices describe the digitisation.
RIGHTS = re.compile(r"copyright|rights|permission|downloaded|reproduced or quoted|referring to this work|"
                    r"unauthorized copying", re.I)
# A line of the table of contents: label, leader dots, page number (arabic, "255." or roman).
TOC_LINE = re.compile(r"^(?P<label>.*?)(?P<leader>\.{2,})?[\t ]*(?P<page>\d+\.?|[ivxlc]+)?$")
TOC_NUMBER = re.compile(r"^(?P<num>[IVX]+\.|\d+\.\d+\.?)\s*(?P<title>.*)$")
WORD = re.compile(r"[^\W_]+")
# Continuations shorter than this are not trusted to be page-broken paragraphs (letterheads, datelines).
MIN_BROKEN_PARAGRAPH = 60
MIN_BARE_WORD_PARAGRAPH = 200
MAX_NOTE_RUN = 3            # blocks of a note printed between two note bodies (more is a page of main text)
# A note's last paragraph ends with a page reference: "Conquest, p. 739.", "pp. 168-172.", "Ibid."
CITATION_END = re.compile(r"(?:\bpp?\.\s*[\dxivlc]+(?:\s*[-–]\s*\d+)?n?|\bIbid|\bop\.\s?cit)\.?[)\]]?\.?\s*$", re.I)
TOC_MATCH = 0.5             # share of words a contents entry must share with a heading
SUBHEADING_MATCH = 0.9      # an unnumbered line is a subheading only if the contents list (nearly) its words

SEGMENTATION = (
    "Each paragraph of the source is one p; headings are head elements of their div. The text was typed "
    "page by page and the footnotes of each printed page follow its text, so a page break often falls inside "
    "a paragraph, between its first part, the notes of the page, and its continuation. Such a paragraph is "
    "rejoined into one p when the notes of a page break stand between the two parts and the continuation "
    "starts in lower case or the first part ends without sentence-final punctuation (. ! ?); where no notes "
    "stand between them, only when the first part ends without final punctuation and the continuation starts "
    "in lower case, or the first part (a long paragraph) breaks off on a bare word or a comma. A quotation "
    "displayed "
    "after an unfinished sentence (one ending in a colon, a comma or a word, e.g. 'Serge wrote,') stays in "
    "that paragraph as quote rend='block'; text continuing in lower case after it continues the paragraph. "
    "Verse is lg/l, one l per printed line; the row of asterisks dividing sections is a milestone."
)
NOTES = (
    "The footnotes, printed at the foot of each page (in this text: wherever the page broke), are placed at "
    "their call sites as note place='foot' with the printed number in n; the superscript call and the note's "
    "own leading number are not repeated as text. Numbering restarts with the Introduction, each chapter and "
    "each 'Section II'; calls and notes are paired within the same sequence, and a note's xml:id is the "
    "sequence's div id followed by '.n' and its number (e.g. ch4.p2.n12). A note split over two pages (its "
    "first part ending '(continued...)', its second beginning '(...continued)' on the next page) is one note: "
    "the two markers are removed (each removal is listed in the revision description). Lines that follow a "
    "note body and belong to it (quotations, further paragraphs) before the main text resumes become p "
    "elements inside the note. A note whose call the source lacks is placed at the end of the paragraph its "
    "page interrupted, and recorded."
)
CITATIONS = (
    "Citations in the notes are bibl elements with their parts (author, title with its level, pubPlace, "
    "publisher, date, biblScope); the note's other words stay note text. Full citations have an xml:id; "
    "short forms, Ibid. and op. cit. point with corresp at the full citation they abbreviate (the most recent "
    "one in the notes with the same author and the same first words of the title, else an unambiguous entry "
    "of the bibliography; a short form keeps the work it stood for before; Ibid. at the work cited just before "
    "it; op. cit. at the last work of that author); abbreviations are resolved only where the text defines "
    "them or they are the initials of exactly one title cited. Letters and interviews are bibl type='letter' "
    "or 'interview' with their date. Short forms without a certain target have no corresp and are listed in "
    "the revision description."
)


def _number(sup: str) -> int:
    return int(sup.translate(_TO_ASCII))


def _words(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text.translate(str.maketrans(SUPERSCRIPT_DIGITS, " " * 10)))]


def _similarity(a: str, b: str) -> float:
    """Jaccard similarity of the word sets: headings and their contents entries differ in case and numbering."""
    wa, wb = set(_words(a)), set(_words(b))
    return len(wa & wb) / len(wa | wb) if wa and wb else 0.0


def _ends_sentence(text: str) -> bool:
    text = text.rstrip()
    return bool(SENTENCE_END.search(text)) and not LIST_BROKEN_OFF.search(text)


def _ends_bare_word(text: str) -> bool:
    """Breaks off on a word (not on a note call): the sure sign of a page break inside a sentence."""
    text = text.rstrip()
    return bool(BARE_WORD_END.search(text)) and not CALL.search(text[-1:])


def _breaks_off(text: str) -> bool:
    """Breaks off on a word or a comma: paragraphs end otherwise, so a page break cut this one."""
    text = text.rstrip()
    return bool(CLAUSE_END.search(text)) and not CALL.search(text[-1:])


def _starts_lower(text: str) -> bool:
    """Starts with a lower-case letter (after opening brackets or an ellipsis), not a quotation or number."""
    rest = text[LEADING_PUNCTUATION.match(text).end():]
    return rest[:1].islower() and not QUOTE_OPENING.match(text)


# --- units ----------------------------------------------------------------------------

PROSE, VERSE, LIST, ORNAMENT_UNIT, FLOAT = "prose", "verse", "list", "ornament", "float"
HEADING = "heading"
NOTE, NOTE_RESUME, NOTE_END, NOTE_NUMBER = "note", "note-resume", "note-end", "note-number"
NOTE_KINDS = (NOTE, NOTE_RESUME, NOTE_END, NOTE_NUMBER)


@dataclass
class Heading:
    level: int                 # 1 introduction/chapter, 2 part, 3 section, 4 subsection, 0 subtitle
    div_type: str
    div_id: str
    n: str | None = None
    restarts_notes: bool = False
    title: str = ""            # the heading's words without its number (for matching the contents)


@dataclass
class Unit:
    """One source block, classified; note units carry the note number."""

    kind: str
    line: int
    lines: list[str]
    n: int | None = None
    heading: Heading | None = None
    to_be_continued: str | None = None   # the "(continued...)" line ending a note's first part
    marker_line: int | None = None

    @property
    def text(self) -> str:
        return " ".join(part.strip() for part in self.lines)

    @property
    def has_calls(self) -> bool:
        return bool(CALL.search(self.text))


@dataclass
class Note:
    seq: str
    n: int
    line: int
    paragraphs: list[str]
    interrupted: int = -1      # index of the main-text item the note's page interrupted
    element: etree._Element | None = None

    @property
    def xml_id(self) -> str:
        return f"{self.seq}.n{self.n}"

    def add(self, text: str) -> None:
        """A further block of the note: the same paragraph if it continues it, else a new one."""
        last = self.paragraphs[-1] if self.paragraphs else ""
        if last and (_starts_lower(text) or not _ends_sentence(last)):
            self.paragraphs[-1] = f"{last} {text}"
        else:
            self.paragraphs.append(text)


@dataclass
class MainItem:
    unit: Unit
    after_page_break: bool     # notes stood between this and the previous main-text item
    seq: str


@dataclass
class Segment:
    text: str
    line: int
    display_quote: bool = False


@dataclass
class Para:
    """A paragraph being assembled from one or more blocks (page-broken parts, display quotations)."""

    items: list[int]           # indexes into the main-text items
    segments: list[Segment]
    seq: str
    floats: list[tuple[int, Unit]] = field(default_factory=list)  # (segment index it precedes, unit)

    @property
    def last_text(self) -> str:
        return self.segments[-1].text

    @property
    def length(self) -> int:
        return sum(len(s.text) for s in self.segments)


@dataclass
class Other:
    """A main-text item that is not a paragraph: heading, verse, list, ornament, floating caption."""

    index: int
    unit: Unit
    seq: str


Flow = list[Para | Other]


# --- 1. landmarks ---------------------------------------------------------------------

@dataclass
class Landmarks:
    title: int
    acknowledgements: int
    contents: int
    abstract: int
    introduction: int
    bibliography: int


def _find(parts: list[Block], start: int, test: Callable[[str], bool], what: str, hint: str,
          source: str | None) -> int:
    for i in range(start, len(parts)):
        if test(parts[i].text.strip()):
            return i
    raise UserError(f"thesis converter: {what} not found", source, hint=hint)


def _landmarks(parts: list[Block], meta: SourceMeta) -> Landmarks:
    source = str(meta.file)
    title_words = _words(meta.title)[:6]
    title = _find(parts, 0, lambda t: _words(t)[:6] == title_words, "the title page",
                  "the title lines must start with the title given in the metadata", source)
    ack = _find(parts, title, lambda t: t == "Acknowledgements", "the 'Acknowledgements' heading",
                "expected a line 'Acknowledgements' after the title page", source)
    contents = _find(parts, ack, lambda t: t == "Table of Contents", "the 'Table of Contents' heading",
                     "expected a line 'Table of Contents'", source)
    abstract = _find(parts, contents, lambda t: t == "Abstract", "the 'Abstract' heading",
                     "expected a line 'Abstract' after the contents", source)
    intro = _find(parts, abstract, lambda t: t == "Introduction", "the 'Introduction' heading",
                  "expected a line 'Introduction' after the abstract", source)
    bib = _find(parts, intro, lambda t: t == "BIBLIOGRAPHY", "the 'BIBLIOGRAPHY' heading",
                "expected a line 'BIBLIOGRAPHY' after the last chapter", source)
    return Landmarks(title, ack, contents, abstract, intro, bib)


def _notice(block: Block) -> HeaderNotice:
    text = "\n".join(line.strip() for line in block.lines)
    return HeaderNotice("availability" if RIGHTS.search(text) else "sourceDesc", text, block.line)


# --- front matter ---------------------------------------------------------------------

def _title_page(parts: list[Block], meta: SourceMeta) -> tuple[etree._Element, int]:
    """Title, author, degree statement and copyright line; returns the index after the copyright line."""
    page = el("titlePage")
    i = 0
    page.append(el("docTitle", None, el("titlePart", {"type": "main"}, parts[i].text)))
    i += 1
    while i < len(parts):
        text = parts[i].text
        if text.startswith("Copyright ©"):
            page.append(el("docImprint", None, text))
            return page, i + 1
        m = re.match(r"^(?P<statement>Submitted for the Degree .*?,)\s*(?P<date>[A-Z][a-z]+ \d{4})$", text)
        if m:
            page.append(el("byline", None, m.group("statement")))
            page.append(el("docDate", None, m.group("date")))
        elif text in meta.authors:
            page.append(el("docAuthor", None, text))
        else:
            page.append(el("byline", None, text))
        i += 1
    return page, i


@dataclass
class TocEntry:
    label: str
    leader: str
    page: str
    line: int
    num: str = ""
    title: str = ""
    target: str | None = None


def _toc_entries(parts: list[Block]) -> list[TocEntry]:
    """Entries of the contents; a line without leader dots and page number goes on in the next line."""
    entries: list[TocEntry] = []
    carry: tuple[str, int] | None = None
    for block in parts:
        for offset, raw in enumerate(block.lines):
            m = TOC_LINE.match(raw.strip())
            label = " ".join(m.group("label").split())
            leader, page = m.group("leader") or "", m.group("page") or ""
            if carry:
                label, number = f"{carry[0]} {label}", carry[1]
            else:
                number = block.line + offset
            if not leader and not page and label:
                carry = (label, number)
                continue
            carry = None
            entry = TocEntry(label, leader, page, number)
            nm = TOC_NUMBER.match(label)
            entry.num, entry.title = (nm.group("num").rstrip("."), nm.group("title")) if nm else ("", label)
            entries.append(entry)
    return entries


def _toc_item(entry: TocEntry) -> etree._Element:
    label: Child = el("ref", {"target": "#" + entry.target}, entry.label) if entry.target else entry.label
    page = entry.page.rstrip(".")
    return el("item", None, label, entry.leader or (" " if page else None),
              el("num", {"type": "page"}, page) if page else None, entry.page[len(page):] or None)


# --- 2. classify ----------------------------------------------------------------------

class _Classifier:
    """Turns body blocks into units; tracks the chapter so that headings get their ids."""

    def __init__(self, toc: list[TocEntry]) -> None:
        self.toc_unnumbered = [e.label for e in toc if not e.num]
        self.toc = [e.label for e in toc]
        self.chapter = 0
        self.chapter_id = ""
        self.part_id = ""
        self.section_id = ""
        self.section_ids: set[str] = set()
        self.sub_counter: dict[str, int] = {}
        self.previous: Unit | None = None
        self.headings: list[Heading] = []

    def listed(self, text: str, entries: list[str]) -> bool:
        """Listed in the contents (without contents, e.g. for an excerpt, the patterns alone decide)."""
        return not entries or any(_similarity(text, e) >= TOC_MATCH for e in entries)

    def heading(self, text: str) -> Heading | None:
        """The heading a one-line block is, if any: by its number pattern, checked against the chapter
        being read, and for lines without a number by the contents listing them."""
        if len(text) > MAX_HEADING:
            return None
        after_heading = self.previous is not None and self.previous.kind == HEADING
        if text == "Introduction":
            self.chapter_id = self.part_id = self.section_id = "intro"
            return Heading(1, "introduction", "intro", restarts_notes=True, title=text)
        m = CHAPTER_HEAD.match(text)
        if m and m.group("word") in NUMBER_WORDS:
            return self._chapter(NUMBER_WORDS[m.group("word")], text)
        m = SECTION_PART_HEAD.match(text)
        if m and NUMBER_WORDS.get(m.group("word").upper()) == self.chapter:
            return self._part(ROMAN[m.group("roman")], text)
        m = ROMAN_HEAD.match(text)
        if m and m.group("roman") in ROMAN and self.listed(text, self.toc):
            value = ROMAN[m.group("roman")]
            if value == self.chapter + 1 and not after_heading:
                return self._chapter(value, text)
            if after_heading and self.previous.heading and self.previous.heading.level == 1:
                return self._part(value, m.group("title"))
        m = SECTION_HEAD.match(text)
        if m and int(m.group("chapter")) == self.chapter:
            return self._section(m.group("num"), m.group("section"), m.group("title"))
        if (after_heading and self.previous.heading and self.previous.heading.level == 2
                and ALL_CAPS.match(text)):
            return Heading(0, "subtitle", self.part_id, title=text)
        if (len(text) <= MAX_SUBHEADING and text[:1].isupper() and not re.search(r"[.,;:]$", text)
                and self.section_id and any(_similarity(text, e) >= SUBHEADING_MATCH for e in self.toc_unnumbered)):
            count = self.sub_counter.get(self.section_id, 0) + 1
            self.sub_counter[self.section_id] = count
            return Heading(4, "subsection", f"{self.section_id}.ss{count}", title=text)
        return None

    def _chapter(self, number: int, title: str) -> Heading:
        self.chapter = number
        self.chapter_id = self.part_id = self.section_id = f"ch{number}"
        return Heading(1, "chapter", self.chapter_id, str(number), restarts_notes=True, title=title)

    def _part(self, number: int, title: str) -> Heading:
        self.part_id = self.section_id = f"{self.chapter_id}.p{number}"
        roman = next(k for k, v in ROMAN.items() if v == number)
        # Section I continues the chapter's note numbering (it starts with the chapter); Section II restarts it.
        return Heading(2, "part", self.part_id, roman, restarts_notes=number > 1, title=title)

    def _section(self, num: str, section: str, title: str) -> Heading:
        div_id = f"{self.chapter_id}.s{section}"
        suffix = "b"
        while div_id in self.section_ids:      # a section number printed twice (4.18)
            div_id = f"{self.chapter_id}.s{section}{suffix}"
            suffix = chr(ord(suffix) + 1)
        self.section_ids.add(div_id)
        self.section_id = div_id
        return Heading(3, "section", div_id, num, title=title)

    def classify(self, block: Block) -> Unit:
        unit = self._classify(block)
        self.previous = unit
        if unit.heading:
            self.headings.append(unit.heading)
        return unit

    def _classify(self, block: Block) -> Unit:
        first = block.lines[0].strip()
        if NOTE_RESUMED.match(first):
            n = _number(NOTE_RESUMED.match(first).group("n"))
            return Unit(NOTE_RESUME, block.line, block.lines[1:], n=n)
        if NOTE_TO_BE_CONTINUED.match(first) and len(block.lines) == 1:
            return Unit(NOTE_END, block.line, [], to_be_continued=first, marker_line=block.line)
        m = NOTE_BODY.match(first)
        if m:
            unit = Unit(NOTE, block.line, [m.group("text")] + block.lines[1:], n=_number(m.group("n")))
            return _split_continued(unit)
        if PLAIN_NOTE_NUMBER.match(first) and len(block.lines) == 1:
            return Unit(NOTE_NUMBER, block.line, block.lines, n=int(first))
        if len(block.lines) == 1:
            heading = self.heading(first)
            if heading:
                return Unit(HEADING, block.line, block.lines, heading=heading)
            if ORNAMENT.match(first):
                return Unit(ORNAMENT_UNIT, block.line, block.lines)
            if CAPTION.match(first) or JUMP_LINE.match(first):
                return Unit(FLOAT, block.line, block.lines)
            if self.previous is not None and self.previous.kind == VERSE and _verse_line(first):
                return Unit(VERSE, block.line, block.lines)     # a one-line stanza of the same poem
            return Unit(PROSE, block.line, block.lines)
        if all(LIST_ITEM.match(line.strip()) for line in block.lines):
            return Unit(LIST, block.line, block.lines)
        prose = _split_continued(Unit(PROSE, block.line, block.lines))
        if prose.to_be_continued:    # the last paragraph of a note's first part
            return prose
        return Unit(VERSE, block.line, block.lines)


def _verse_line(text: str) -> bool:
    """Short, and ending as a line of verse does (not in a date or page number, like a poem's dateline)."""
    core = CALL.sub("", text).rstrip()
    return 0 < len(core) <= MAX_VERSE_LINE and not core[-1].isdigit()


def _split_continued(unit: Unit) -> Unit:
    """Take a trailing "(continued...)" off a unit's last line (the marker of a note's first part)."""
    last = unit.lines[-1].rstrip()
    m = TRAILING_TO_BE_CONTINUED.search(last)
    if m:
        kept = last[:m.start()] + m.group("rest")
        unit.to_be_continued = m.group(0).strip()[:len(CONTINUED_MARKER)]
        unit.marker_line = unit.line + len(unit.lines) - 1
        unit.lines = unit.lines[:-1] + ([kept] if kept.strip() else [])
    return unit


# --- 3. separate notes from the running text -------------------------------------------

@dataclass
class Separated:
    main: list[MainItem]
    notes: dict[tuple[str, int], Note]
    order: list[Note]
    decisions: list[Decision]


def _marker_decision(marker: str, line: int | None, n: int, which: str) -> Decision:
    return Decision(REMOVED, "continued-marker",
                    f"Page-break marker of footnote {n} ({which} part) removed; the two parts are joined "
                    "into one note", text=marker, line=line)


def _belongs_to_note(units: list[Unit], i: int, note: Note, interrupted: str) -> bool:
    """Does the text block ``units[i]``, after note bodies, belong to the last note (not to the main text)?

    A page of main text calls the notes printed below it, so a block without
    calls belongs to the note before it when any of these holds:

    - it begins a short run of such blocks that ends at the next note body or
      marker (the run stands between notes), unless it continues the
      interrupted paragraph in lower case;
    - it begins a run that ends with the "(continued...)" of a note's first part;
    - the note breaks off on a bare word, or the block ends with a page reference
      as notes do ("Conquest, p. 739.");
    - the main text's continuation comes only after it: the interrupted paragraph
      is unfinished, this block starts a new sentence and the next one continues
      the paragraph in lower case.
    """
    unit = units[i]
    if unit.kind != PROSE or unit.has_calls:
        return False
    run = list(_calless_run(units, i))
    after = units[i + len(run)] if i + len(run) < len(units) else None
    continues_main = bool(interrupted) and not _ends_sentence(interrupted) and _starts_lower(unit.text)
    if after is not None and after.kind in NOTE_KINDS and len(run) <= MAX_NOTE_RUN and not continues_main:
        return True
    if any(u.to_be_continued for u in run):
        return True
    last = note.paragraphs[-1] if note.paragraphs else ""
    if last and _ends_bare_word(last) and last[-1].islower():
        return True
    if CITATION_END.search(unit.text) and not continues_main:
        return True
    after = units[i + 1] if i + 1 < len(units) else None
    return (bool(interrupted) and not _ends_sentence(interrupted) and not _starts_lower(unit.text)
            and after is not None and after.kind == PROSE and after.text[:1].islower())


def _is_note_number(unit: Unit, following: list[Unit], last: int) -> bool:
    """Plain digits alone on a line are a note number only where the sequence's next note is due
    and a block of text without calls follows (the note's text)."""
    return unit.n == last + 1 and bool(following) and following[0].kind == PROSE and not following[0].has_calls


def _calless_run(units: list[Unit], i: int) -> Iterable[Unit]:
    """Prose blocks without note calls from ``i`` on, up to and including one ending "(continued...)"."""
    for unit in units[i:]:
        if unit.kind != PROSE or unit.has_calls:
            return
        yield unit
        if unit.to_be_continued:
            return


def _separate(units: list[Unit], seq: str = "") -> Separated:
    """Take note bodies (and the blocks that belong to them) out of the running text.

    ``seq`` is the numbering sequence the units start in (the div id of the
    Introduction, a chapter or a Section II); headings that restart it change it.
    """
    main: list[MainItem] = []
    notes: dict[tuple[str, int], Note] = {}
    order: list[Note] = []
    decisions: list[Decision] = []
    pending: dict[int, Note] = {}          # note number -> note whose first part ended "(continued...)"
    open_note: Note | None = None          # the note that following blocks may continue
    resumed = False                        # the block after "(...continued)" certainly continues the note
    page_break = False
    last_main_text = ""
    last_number: dict[str, int] = {}       # per sequence: the last note number seen
    i = 0
    while i < len(units):
        unit = units[i]
        if unit.kind == HEADING and unit.heading.restarts_notes:
            seq = unit.heading.div_id
        if unit.kind == NOTE_NUMBER and not _is_note_number(unit, units[i + 1:i + 2], last_number.get(seq, 0)):
            unit.kind = PROSE
        if unit.kind in (NOTE, NOTE_NUMBER):
            text_lines = unit.lines
            if unit.kind == NOTE_NUMBER:   # "139" alone: the note's text is the next block
                decisions.append(Decision(
                    REMOVED, "note-number",
                    f"Note number {unit.n} printed as plain digits (the OCR lost the superscript) moved into "
                    "note/@n", text=unit.text, line=unit.line))
                i += 1
                text_lines = units[i].lines if i < len(units) else []
            note = Note(seq, unit.n, unit.line, [], interrupted=len(main) - 1)
            note.add(" ".join(part.strip() for part in text_lines))
            last_number[seq] = unit.n
            if (seq, unit.n) in notes:
                decisions.append(Decision(NOTED, "duplicate-note", f"A second body of note {unit.n} in the same "
                                          "sequence; kept as a separate note", line=unit.line))
            else:
                notes[(seq, unit.n)] = note
            order.append(note)
            open_note, resumed, page_break = note, False, True
            if unit.to_be_continued:
                decisions.append(_marker_decision(unit.to_be_continued, unit.marker_line, unit.n, "first"))
                pending[unit.n] = note
                open_note = None
        elif unit.kind == NOTE_END:
            if open_note is not None:
                decisions.append(_marker_decision(unit.to_be_continued, unit.line, open_note.n, "first"))
                pending[open_note.n] = open_note
            else:
                decisions.append(Decision(NOTED, "continued-marker", "A '(continued...)' marker with no note "
                                          "before it is kept as text", line=unit.line))
                main.append(MainItem(Unit(PROSE, unit.line, [unit.to_be_continued]), page_break, seq))
            open_note, page_break = None, True
        elif unit.kind == NOTE_RESUME:
            note = pending.pop(unit.n, None)
            decisions.append(_marker_decision(RESUMED_MARKER, unit.line, unit.n, "second"))
            if note is None and (seq, unit.n) in notes:
                note = notes[(seq, unit.n)]
                decisions.append(Decision(NOTED, "continued-note", f"The first part of note {unit.n} lacks its "
                                          "'(continued...)' marker; joined with this second part by its number",
                                          line=note.line))
            if note is None:
                decisions.append(Decision(NOTED, "continued-note", f"Second part of note {unit.n} without a "
                                          "first part; kept as a note of its own", line=unit.line))
                note = Note(seq, unit.n, unit.line, [], interrupted=len(main) - 1)
                notes[(seq, unit.n)] = note
                order.append(note)
            if unit.lines:
                note.add(" ".join(part.strip() for part in unit.lines))
                resumed = False
            else:
                resumed = True
            open_note, page_break = note, True
        elif open_note is not None and (resumed or _belongs_to_note(units, i, open_note, last_main_text)):
            open_note.add(unit.text)
            resumed = False
            if unit.to_be_continued:
                decisions.append(_marker_decision(unit.to_be_continued, unit.marker_line, open_note.n, "first"))
                pending[open_note.n] = open_note
                open_note = None
        else:
            if unit.to_be_continued:       # not expected in the main text: keep the marker as text
                unit.lines[-1] += " " + unit.to_be_continued
                decisions.append(Decision(NOTED, "continued-marker", "A '(continued...)' marker in the main "
                                          "text is kept as text", line=unit.marker_line))
            main.append(MainItem(unit, page_break, seq))
            if unit.kind == PROSE:
                last_main_text = unit.text
            open_note, resumed, page_break = None, False, False
        i += 1
    for n, note in pending.items():
        decisions.append(Decision(NOTED, "continued-note", f"Note {n} ends '(continued...)' but its second part "
                                  "was not found", line=note.line))
    return Separated(main, notes, order, decisions)


# --- 4. group the running text into paragraphs ----------------------------------------

def _whole_quotation(text: str) -> bool:
    """A block that is one quotation: opens with a quotation mark and closes the only pair at its end."""
    if not QUOTE_OPENING.match(text):
        return False
    core = re.sub(f"[\\s{SUPERSCRIPT_DIGITS}.,;:]*$", "", text)
    if text.count("“") + text.count("”"):
        return text.count("“") == 1 and core.endswith("”")
    return text.count('"') == 2 and core.endswith('"')


def _quotation_end(text: str) -> int:
    """Where a block that is one quotation closes its quotation mark (note calls and stops may follow)."""
    return max(text.rfind('"'), text.rfind("”")) + 1


def _joins(para: Para, item: MainItem, floated: bool = False) -> bool:
    """Does ``item`` continue ``para`` across a page break (see SEGMENTATION)?

    ``floated``: a caption or a "continued from page" line stood between them (a column break).
    """
    text = item.unit.text
    last = para.last_text
    if _ends_sentence(last):
        return _starts_lower(text)
    if QUOTE_OPENING.match(text):
        return True                      # a quotation displayed after an unfinished sentence
    if item.after_page_break or floated:
        return True
    if para.length < MIN_BROKEN_PARAGRAPH:
        return False
    return _starts_lower(text) or (_breaks_off(last) and para.length >= MIN_BARE_WORD_PARAGRAPH)


def _group(main: list[MainItem]) -> Flow:
    flow: Flow = []
    current: Para | None = None
    floats: list[tuple[int, Unit]] = []
    for index, item in enumerate(main):
        unit = item.unit
        if unit.kind == FLOAT and current is not None:
            floats.append((index, unit))       # decided when we know whether the paragraph goes on
            continue
        if unit.kind == PROSE:
            if current is not None and _joins(current, item, floated=bool(floats)):
                quote = (QUOTE_OPENING.match(unit.text) is not None and not _ends_sentence(current.last_text)
                         and _whole_quotation(unit.text))
                current.floats += [(len(current.segments), f) for _, f in floats]
                floats = []
                current.segments.append(Segment(unit.text, unit.line, quote))
                current.items.append(index)
                continue
            flow.extend(Other(i, f, item.seq) for i, f in floats)
            floats = []
            current = Para([index], [Segment(unit.text, unit.line)], item.seq)
            flow.append(current)
            continue
        flow.extend(Other(i, f, item.seq) for i, f in floats)
        floats = []
        current = None
        flow.append(Other(index, unit, item.seq))
    flow.extend(Other(i, f, main[i].seq) for i, f in floats)
    return flow


# --- 5. build -------------------------------------------------------------------------

class _Builder:
    """Builds elements from the flow, placing each note at its call within its numbering sequence."""

    def __init__(self, separated: Separated) -> None:
        self.notes = separated.notes
        self.placed: set[int] = set()
        self.decisions: list[Decision] = []
        self.element_of_item: dict[int, etree._Element] = {}
        self.rejoined = 0
        self.unpaired_calls: list[tuple[str, int, int]] = []

    # phrase level

    def _note_element(self, note: Note) -> etree._Element:
        if note.element is None:
            attrs = {"place": "foot", "n": str(note.n), "xml:id": note.xml_id}
            if len(note.paragraphs) == 1:
                note.element = el("note", attrs, note.paragraphs[0])
            else:
                note.element = el("note", attrs, [el("p", None, text) for text in note.paragraphs])
        return note.element

    def call_spans(self, text: str, seq: str, lines: list[tuple[int, int]]) -> list[Span]:
        """Each note call (superscript number) replaced by its note of the same numbering sequence.

        ``lines``: (offset, source line) of each piece of ``text``, for the record of unpaired calls.
        """
        spans = []
        for m in CALL.finditer(text):
            n = _number(m.group(0))
            note = self.notes.get((seq, n))
            if note is None or id(note) in self.placed:
                line = max((ln for offset, ln in lines if offset <= m.start()), default=None)
                self.unpaired_calls.append((seq, n, line or 0))
                self.decisions.append(Decision(NOTED, "note-call-without-note",
                                               f"Note call {n} has no note text in the source; the call is kept "
                                               "as printed", text=m.group(0), line=line))
                continue
            self.placed.add(id(note))
            spans.append(Span(m.start(), m.end(), lambda note=note: self._note_element(note), replace=True))
        return spans

    def phrase(self, text: str, seq: str, line: int) -> list[Child]:
        """Mixed content: quotations marked, note calls replaced by their notes."""
        return build(text, quote_spans(text) + self.call_spans(text, seq, [(0, line)]))

    # blocks

    def para(self, para: Para) -> etree._Element:
        """One paragraph from its pieces, marked up as one text so that quotations may cross page breaks."""
        text = ""
        spans: list[Span] = []
        lines: list[tuple[int, int]] = []
        display: list[tuple[int, int]] = []
        floats = dict(para.floats)
        for k, segment in enumerate(para.segments):
            if k in floats:      # a caption or jump line between the pieces replaces a placeholder
                spans.append(Span(len(text) + 1, len(text) + 2, lambda u=floats[k]: self.float(u), replace=True))
                text += " \ufffc "
            elif k:
                text += " "
            lines.append((len(text), segment.line))
            if segment.display_quote:
                display.append((len(text), len(text) + _quotation_end(segment.text)))
            text += segment.text
        spans += [Span(a, b, lambda: el("quote", {"rend": "block"})) for a, b in display]
        spans += [q for q in quote_spans(text) if (q.start, q.end) not in display]
        spans += self.call_spans(text, para.seq, lines)
        self.rejoined += len(para.segments) - 1
        node = el("p", None, *build(text, spans))
        for index in para.items:
            self.element_of_item[index] = node
        return node

    def float(self, unit: Unit) -> etree._Element:
        if JUMP_LINE.match(unit.text):
            return el("fw", {"type": "jump"}, unit.text)
        return el("figure", None, el("head", None, unit.text))

    def other(self, item: Other) -> etree._Element:
        unit = item.unit
        if unit.kind == VERSE:
            node = el("lg", None, [el("l", None, *self.phrase(line.strip(), item.seq, unit.line))
                                   for line in unit.lines])
        elif unit.kind == LIST:
            node = el("list", {"rend": "dash"},
                      [el("item", None, *self.phrase(LIST_ITEM.match(line.strip()).group("text"), item.seq,
                                                     unit.line)) for line in unit.lines])
        elif unit.kind == ORNAMENT_UNIT:
            node = el("milestone", {"unit": "section", "rend": unit.text})
        elif unit.kind == FLOAT:
            node = self.float(unit)
        else:
            node = el("p", None, *self.phrase(unit.text, item.seq, unit.line))
        self.element_of_item[item.index] = node
        return node

    def head(self, item: Other) -> etree._Element:
        node = el("head", {"type": "sub"} if item.unit.heading.level == 0 else None,
                  *self.phrase(item.unit.text, item.seq, item.unit.line))
        self.element_of_item[item.index] = node
        return node

    def place_orphans(self, order: list[Note]) -> list[Note]:
        """Notes whose call the source lacks. The author's numbering is the best evidence of their
        place: just before the next note of the same sequence. Failing that, at the end of the
        paragraph their page interrupted (before any paragraph: at the start of the first one).
        """
        orphans = [note for note in order if id(note) not in self.placed]
        paragraphs = sorted((i, node) for i, node in self.element_of_item.items()
                            if etree.QName(node).localname == "p")
        for note in orphans:
            following = min((o for o in order if o.seq == note.seq and o.n > note.n and id(o) in self.placed
                             and o.element is not None and o.element.getparent() is not None),
                            key=lambda o: o.n, default=None)
            before = [node for i, node in paragraphs if i <= note.interrupted]
            if following is not None:
                parent = following.element.getparent()
                parent.insert(parent.index(following.element), self._note_element(note))
                self.placed.add(id(note))
                self.decisions.append(Decision(
                    NOTED, "note-without-call",
                    f"Note {note.n} has no call in the text; it is placed just before note {following.n}, "
                    "as the author's numbering orders it",
                    text=note.paragraphs[0][:80] if note.paragraphs else "", line=note.line))
                continue
            if before:
                before[-1].append(self._note_element(note))
            elif paragraphs:
                first = paragraphs[0][1]
                first.insert(0, self._note_element(note))
                first[0].tail, first.text = first.text, None
            else:
                continue
            self.placed.add(id(note))
            self.decisions.append(Decision(
                NOTED, "note-without-call",
                f"Note {note.n} has no call in the text; it is placed at the end of the paragraph its page "
                "interrupted", text=note.paragraphs[0][:80] if note.paragraphs else "", line=note.line))
        return orphans


def _tree(flow: Flow, builder: _Builder, outer: etree._Element | None = None) -> list[etree._Element]:
    """Nest divs by heading level: introduction/chapter > part > section > subsection.

    ``outer``: the div an excerpt starts in (text before its first heading goes there).
    """
    roots: list[etree._Element] = [outer] if outer is not None else []
    stack: list[tuple[int, etree._Element]] = [(1, outer)] if outer is not None else []
    for item in flow:
        if isinstance(item, Other) and item.unit.kind == HEADING:
            heading = item.unit.heading
            if heading.level == 0 and stack:
                stack[-1][1].append(builder.head(item))
                continue
            while stack and stack[-1][0] >= heading.level:
                stack.pop()
            div = el("div", {"type": heading.div_type, "n": heading.n, "xml:id": heading.div_id},
                     builder.head(item))
            if stack:
                stack[-1][1].append(div)
            else:
                roots.append(div)
            stack.append((heading.level, div))
            continue
        if not stack:
            raise UserError("thesis converter: text before the Introduction heading", None)
        parent = stack[-1][1]
        parent.append(builder.para(item) if isinstance(item, Para) else builder.other(item))
    return roots


# --- the appendix (section 4.20): a letter, two Russian documents, a newspaper clipping ---

def _appendix(section: etree._Element) -> None:
    """Give the appendix's letter, documents and clipping their own divs, by what their blocks are."""
    children = [c for c in section if etree.QName(c).localname != "head"]
    letter_start = next((i for i, c in enumerate(children) if etree.QName(c).localname == "lg"), None)
    if letter_start is None:
        return
    end = next((i for i, c in enumerate(children) if "".join(c.itertext()).startswith("Similar letters sent")),
               None)
    if end is None:
        return
    for c in children[letter_start:]:
        section.remove(c)
    section.set("subtype", "appendix")
    letter = children[letter_start:end + 1]
    rest = children[end + 1:]
    base = section.get(XML_ID)
    section.append(_letter(letter, f"{base}.letter"))
    clip = next((i for i, c in enumerate(rest) if DATE_LINE.match("".join(c.itertext()).strip())), len(rest))
    if rest[:clip]:
        words = "".join("".join(c.itertext()) for c in rest[:clip])
        russian = len(CYRILLIC.findall(words)) > len(re.findall(r"[A-Za-z]", words))
        section.append(el("div", {"type": "document", "xml:lang": "ru" if russian else None,
                                  "xml:id": f"{base}.documents"}, rest[:clip]))
    if rest[clip:]:
        section.append(_clipping(rest[clip:], f"{base}.clipping"))


def _lines_of(node: etree._Element) -> list[str]:
    """The printed lines of a block built as verse (lg/l): the letter's address blocks."""
    if etree.QName(node).localname == "lg":
        return ["".join(line.itertext()) for line in node]
    return ["".join(node.itertext())]


def _letter(parts: list[etree._Element], div_id: str) -> etree._Element:
    """Opener (addresses, date, salutation), body, closer (salutation, signature) and postscript."""
    opener = el("opener")
    i = 0
    while i < len(parts) and etree.QName(parts[i]).localname == "lg":
        lines = _lines_of(parts[i])
        if lines[0].startswith("Dear "):
            break
        date = lines[-1] if DATE_LINE.match(lines[-1]) else None
        opener.append(el("address", None, [el("addrLine", None, t) for t in (lines[:-1] if date else lines)]))
        if date:
            opener.append(el("dateline", None, el("date", None, date)))
        i += 1
    if i < len(parts) and "".join(parts[i].itertext()).startswith("Dear "):
        salute = parts[i][0] if etree.QName(parts[i]).localname == "lg" else parts[i]
        opener.append(el("salute", None, *_content(salute)))
        i += 1
    body = []
    closer = None
    while i < len(parts):
        text = "".join(parts[i].itertext()).strip()
        if text == "Yours," and i + 1 < len(parts):
            closer = el("closer", None, el("salute", None, text), el("signed", None, *_content(parts[i + 1])))
            i += 2
            break
        body.append(parts[i])
        i += 1
    postscript = [el("postscript", None, p) for p in parts[i:]]
    return el("div", {"type": "letter", "xml:id": div_id}, opener, body, closer, postscript)


def _content(node: etree._Element) -> list[Child]:
    """An element's mixed content, to move it into another element."""
    out: list[Child] = [node.text] if node.text else []
    out += list(node)
    return out


def _clipping(parts: list[etree._Element], div_id: str) -> etree._Element:
    """The newspaper article: its date line, its headline (a line without final stop), its text."""
    div = el("div", {"type": "clipping", "xml:id": div_id})
    div.append(el("dateline", None, *_content(parts[0])))
    rest = parts[1:]
    if rest and etree.QName(rest[0]).localname == "p" and not _ends_sentence("".join(rest[0].itertext())):
        div.insert(0, el("head", None, *_content(rest[0])))
        rest = rest[1:]
    append(div, rest)
    return div


# --- contents links --------------------------------------------------------------------

def _link_contents(entries: list[TocEntry], targets: list[tuple[str, str, str]]) -> None:
    """Point each contents entry at the div whose heading has its words (and, better still, its number).

    ``targets`` are (div id, number, heading words without the number) in document
    order. The contents' numbering differs from the headings' in places (its 2.9 is
    the text's 2.8) and some titles were shortened ("Postscript" for "Postscript,
    1991: More News of the Manuscript Hunt"), so words decide — all of the entry's
    words found in the heading count almost as much as the same words — and
    numbers only add to the score; entries are matched in document order.
    """
    position = 0
    for entry in entries:
        words = set(_words(entry.title))
        best, best_score = None, 0.0
        for k in range(position, len(targets)):
            div_id, n, title = targets[k]
            head = set(_words(title))
            if not words or not head:
                continue
            score = max(len(words & head) / len(words | head), 0.8 * len(words & head) / len(words))
            if entry.num and entry.num == n:
                score += 0.25
            if score > best_score:
                best, best_score = k, score
        if best is not None and best_score >= TOC_MATCH:
            entry.target = targets[best][0]
            position = best


# --- entry point -----------------------------------------------------------------------

def convert(clean: CleanText, meta: SourceMeta) -> Conversion:
    parts = blocks(clean)
    marks = _landmarks(parts, meta)
    notices = [_notice(b) for b in parts[:marks.title]]
    title_page, after = _title_page(parts[marks.title:marks.acknowledgements], meta)
    notices += [_notice(b) for b in parts[marks.title + after:marks.acknowledgements]]

    acknowledgements = el("div", {"type": "acknowledgements", "xml:id": "acknowledgements"},
                          el("head", None, parts[marks.acknowledgements].text),
                          _front_paragraphs(parts[marks.acknowledgements + 1:marks.contents]))
    entries = _toc_entries(parts[marks.contents + 1:marks.abstract])
    abstract_parts = parts[marks.abstract + 1:marks.introduction]
    repeated_title = [b for b in abstract_parts[:1] if _words(b.text) == _words(meta.title)]
    abstract = el("div", {"type": "abstract", "xml:id": "abstract"}, el("head", None, parts[marks.abstract].text),
                  [el("head", {"type": "sub"}, b.text) for b in repeated_title],
                  _front_paragraphs(abstract_parts[len(repeated_title):]))

    body = convert_body(parts[marks.introduction:marks.bibliography], entries)
    bibliography, bib_decisions = convert_bibliography(parts[marks.bibliography:])
    _link_contents(entries, [("abstract", "", parts[marks.abstract].text),
                             *[(h.div_id, h.n or "", h.title) for h in body.headings],
                             ("bibliography", "", parts[marks.bibliography].text)])
    contents = el("div", {"type": "contents", "xml:id": "contents"}, el("head", None, parts[marks.contents].text),
                  el("list", {"type": "contents"}, [_toc_item(e) for e in entries]))

    text = el("text", None,
              el("front", None, title_page, acknowledgements, contents, abstract),
              el("body", None, body.divs),
              el("back", None, bibliography))
    cited = mark_citations(text, bibliography)
    return Conversion(text=text, decisions=body.decisions + list(bib_decisions) + cited.decisions, notices=notices,
                      principles={"segmentation": SEGMENTATION, "notes": NOTES + " " + CITATIONS,
                                  "bibliography": BIBLIOGRAPHY_PRINCIPLES["interpretation"]})


@dataclass
class CitationMarking:
    report: citations.CitationReport
    decisions: list[Decision]


def mark_citations(text: etree._Element, bibliography: etree._Element | None = None) -> CitationMarking:
    """The citations in the footnotes as bibl (see :mod:`tei.citations`), in document order, short forms and
    Ibid. pointing at full citations in earlier notes or at entries of the bibliography. The citations left
    without a target are recorded in one decision (they are listed, not guessed)."""
    notes = [n for n in text.iter(f"{{{TEI_NS}}}note") if n.get("place") == "foot"]
    report = citations.mark_notes(notes, citations.bibliography_works(bibliography, text))
    decisions = []
    if report.unresolved:
        listing = "; ".join(f"{nid}: {cit}" for nid, cit, _ in report.unresolved)
        decisions.append(Decision(NOTED, "citation-unresolved", report.lines()[0] + ". Short forms without a "
                                  "certain full entry are left without @corresp", text=listing))
    return CitationMarking(report, decisions)


@dataclass
class NoteReport:
    """What the note pairing found (for tests and the report)."""

    notes: int                 # note bodies (a note split over two pages counts once)
    placed_at_call: int
    calls_without_note: int
    notes_without_call: int
    joined_parts: int          # second parts of notes split over pages, joined to their first part
    multi_paragraph: int
    rejoined_breaks: int       # page breaks (or display quotations) closed up inside a paragraph


@dataclass
class Body:
    divs: list[etree._Element]
    decisions: list[Decision]
    headings: list[Heading]
    report: NoteReport


def convert_body(parts: list[Block], entries: Iterable[TocEntry] = (), chapter: int | None = None) -> Body:
    """The Introduction and the chapters, from their blocks.

    ``entries`` (the contents) let short unnumbered lines be recognised as
    subheadings. ``chapter`` converts an excerpt that starts inside that chapter
    (its text before the first heading goes into a div for the chapter).
    """
    classifier = _Classifier(list(entries))
    outer = None
    if chapter is not None:
        classifier.chapter, classifier.chapter_id = chapter, f"ch{chapter}"
        classifier.part_id = classifier.section_id = classifier.chapter_id
        outer = el("div", {"type": "chapter", "n": str(chapter), "xml:id": classifier.chapter_id})
    units = [classifier.classify(b) for b in parts]
    separated = _separate(units, classifier.chapter_id)
    builder = _Builder(separated)
    divs = _tree(_group(separated.main), builder, outer)
    placed_at_call = len(builder.placed)
    orphans = builder.place_orphans(separated.order)
    for section in (d for root in divs for d in root.iter(f"{{{TEI_NS}}}div")):
        if section.get("type") == "section" and section[0].text and section[0].text.strip().endswith("Appendix"):
            _appendix(section)
    decisions = separated.decisions + builder.decisions
    report = NoteReport(
        notes=len(separated.order),
        placed_at_call=placed_at_call,
        calls_without_note=len(builder.unpaired_calls),
        notes_without_call=len(orphans),
        joined_parts=sum(1 for d in decisions if d.rule == "continued-marker" and RESUMED_MARKER in d.text),
        multi_paragraph=sum(1 for n in separated.order if len(n.paragraphs) > 1),
        rejoined_breaks=builder.rejoined)
    return Body(divs, decisions, classifier.headings, report)


def _front_paragraphs(parts: list[Block]) -> list[etree._Element]:
    """Paragraphs of the front matter, rejoined across page breaks like the body's (it has no notes)."""
    main = [MainItem(Unit(PROSE, b.line, b.lines), False, "") for b in parts]
    builder = _Builder(Separated(main, {}, [], []))
    return [builder.para(item) if isinstance(item, Para) else builder.other(item) for item in _group(main)]
