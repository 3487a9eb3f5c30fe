"""The bibliography of Weissman's thesis (source 004) as nested TEI divs of ``listBibl``.

Interface (called by ``tei/converters/weissman_thesis.py``)::

    convert_bibliography(blocks: list[Block]) -> tuple[etree._Element, list[Decision]]

``blocks`` start with the "BIBLIOGRAPHY" heading line; the element returned is
``<div type="bibliography" xml:id="bibliography">``. The decisions (none at
present: nothing is removed or changed) are to be added to the converter's
``Conversion.decisions``; :data:`PRINCIPLES` may be merged into
``Conversion.principles`` to state the encoding of supplied authors.

Structure. "I. Works by Victor Serge", "II. Interviews", ... are ``div``s
(``xml:id`` ``bibl-I``, ``bibl-II``); their lettered sections ("A. Works on
History ...") are ``div``s inside (``bibl-I-A``), numbered sub-sections
("1. Fiction") one level deeper (``bibl-I-G-1``), and in the journalism section
each periodical heading ("Clarte, 1922-27 ...") opens a ``div type="periodical"``
(``bibl-I-I-4``) whose head names the periodical in ``title level="j"``. An
introductory paragraph of a section is a ``p``; a line ending in a colon that
introduces a group of entries ("RP Articles about Serge:") is the ``head`` of a
nested ``listBibl``.

Entries. One ``bibl`` per entry (``xml:id`` from the section id and the printed
number or letter, else the position: ``bibl-I-A-17``, ``bibl-IV-C-12``); the printed
number stays in the text ("17. ") and goes into ``@n`` (TEI admits no ``label`` in
``bibl``). A line continues the entry before it when that
entry has no final punctuation and the line starts in lower case, with a word
that cannot begin an entry ("Publishers", "Press"), or the entry ends in a word
that cannot end one ("on", "of"); lines inside one block of an unnumbered list
are wrapped lines of one entry; a line holding only "p. 12." always continues.
Indented "- " lines after an entry (poems, correspondents) are ``bibl``s nested
in it. The parts inside each entry come from :mod:`tei.bibliography`.

Supplied authors. The source omits an author the reader is meant to supply:
the heading "Works by Victor Serge" supplies the author of its entries, and a
line without author continues the author of the line before (in the lists
sorted by author, and after a lettered entry in the translations). No text is
added for this (the word check would count it as an added word): the entry
gets an *empty* element pointing at the printed name it copies,
``<author copyOf="#bibl-IV-C-44.au1" resp="#encoder" cert="high"/>`` (in the
translations section Serge is the translator: ``<editor role="translator"
copyOf="#bibl-I.au" .../>``); ``copyOf`` says the element's content is that of
the element pointed at, ``resp``/``cert`` that the encoder supplied it and how
sure that is. The heading's name is marked ``<name type="person"
xml:id="bibl-I.au">``. Interviewees (``persName role="interviewee"``) and
correspondents (``persName role="correspondent"``) are not authors; the
intelligence files have none. An entry that says it is unsigned, or is filed
under a corporate title, inherits nothing; one that starts "(Ed.)" continues the
person as editor. In the lists sorted by author, a would-be name that breaks the
alphabetical order of the surnames around it is a title continuing the author
above (Howe's book "Leon Trotsky", Broue's "Trotsky, Fayard, 1988"): the longest
run of names in order is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from ..bibliography import Context, ParsedEntry, fold, leading_names, parse_entry, to_bibl
from ..decisions import Decision
from ..teixml import XML_ID, el
from .base import Block

PRINCIPLES = {
    "interpretation": (
        "Bibliography: where an entry leaves its author to be understood (a heading such as \"Works by "
        "Victor Serge\", or a line continuing the author of the line before), the entry carries an empty "
        "author (or translator) element whose copyOf points at the printed name; no text is added."
    ),
}

ROMANS = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
LETTERS = [chr(c) for c in range(ord("A"), ord("Z") + 1)]

_MARK = re.compile(r"^(?:-\s*)?(?:\d{1,3}|[a-z])\.\s|^-\s")
_NUMBERED = re.compile(r"^(?:-\s*)?(?P<n>\d{1,3}|[a-z])\.\s")
_PROSE = re.compile(r"\b(?:is|are|was|were|contains?|includes?|will|have|has|presented|cited)\b")
_NONSTART = {"Publishers", "Publisher", "Press", "Books", "Publications", "Publishing", "Company", "Inc.",
             "Ltd", "Ltd.", "Co.", "Editions", "Ediciones"}
_NOEND = {"of", "on", "in", "the", "a", "an", "and", "de", "la", "le", "les", "du", "des", "y", "et", "to",
          "for", "with", "by", "el", "los", "las", "del", "al", "sur", "a", "en"}
_SCOPE_ONLY = re.compile(r"^(?:pp?\.\s?\d+(?:\s?-\s?\d+)?|\d+\s?pp?\.?)[.,]?$")


@dataclass
class Line:
    number: int
    raw: str
    block: int

    @property
    def text(self) -> str:
        return self.raw.strip()

    @property
    def indented(self) -> bool:
        return self.raw[:1] in (" ", "\t")


@dataclass
class Entry:
    lines: list[Line]
    sub: list["Entry"] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(line.text for line in self.lines)

    @property
    def marked(self) -> bool:
        return bool(_MARK.match(self.lines[0].text))

    @property
    def label(self) -> str | None:
        m = _NUMBERED.match(self.lines[0].text)
        return m.group("n") if m else None


@dataclass
class Section:
    """A div: heading, intro paragraphs, then entries and groups (listBibl with a head)."""

    level: str                         # "roman", "letter", "number", "periodical"
    key: str                           # I, A, 1, or the periodical's position
    head: Line | None
    parent: "Section | None" = None
    intro: list[Line] = field(default_factory=list)
    items: list["Entry | Group"] = field(default_factory=list)
    children: list["Section"] = field(default_factory=list)

    @property
    def id(self) -> str:
        if self.parent is None:
            return "bibliography"
        if self.parent.parent is None:
            return f"bibl-{self.key}"
        return f"{self.parent.id}-{self.key}"

    def heading(self) -> str:
        return self.head.text if self.head else ""

    def ancestors(self) -> list["Section"]:
        out = []
        node: Section | None = self
        while node is not None:
            out.append(node)
            node = node.parent
        return out

    def any_heading(self, pattern: str) -> bool:
        return any(re.search(pattern, s.heading(), re.I) for s in self.ancestors())


@dataclass
class Group:
    head: Line
    entries: list[Entry] = field(default_factory=list)


# --- structure ---------------------------------------------------------------------------

def _roman_heading(text: str, expected: str) -> bool:
    m = re.match(r"^(?P<r>[IVX]+)\.\s+[A-Z]", text)
    return bool(m) and m.group("r") == expected and len(text) < 120


def _letter_heading(text: str, expected: str) -> bool:
    m = re.match(r"^(?P<l>[A-Z])\.\s+[A-Z(]", text)
    return bool(m) and m.group("l") == expected and len(text) < 140 and not re.search(r"\d{4}", text)


def _is_prose(text: str) -> bool:
    return (len(text.split()) >= 6 and bool(_PROSE.search(text)) and not _MARK.match(text)
            and text[:1] not in "\"“")


def _is_periodical_heading(text: str) -> bool:
    """A periodical's name (with years) in a section cited by periodical."""
    if text[:1] in "\"“-(" or text[:1].isdigit() or '"' in text or "“" in text:
        return False
    if re.search(r"\b(?:pp?\.|[Nn]os?\.|Vol\.|Num\.)\s?\d", text):
        return False
    if re.search(r"\b\d{1,2}\s(?:Jan|Feb|Fev|Mar|Apr|Avr|May|Mai|Jun|Jui|Jul|Aug|Aou|Sep|Oct|Nov|Dec)", text, re.I):
        return False
    return len(text) < 120


def _final(text: str) -> bool:
    return text.rstrip()[-1:] in (".", "?", "!", ")", ";", '"', "”")


def _continues(prev: Entry, line: Line, same_block: bool, unmarked_list: bool) -> bool:
    t = line.text
    if _SCOPE_ONLY.match(t):
        return True
    if _MARK.match(t) or _final(prev.text):
        return False
    first = t.split()[0]
    last = re.findall(r"[\w']+", prev.text)[-1:] or [""]
    starts_cont = t[:1].islower() or first.rstrip(",") in _NONSTART or last[0].lower() in _NOEND
    if same_block and unmarked_list:
        return True
    return starts_cont


def _structure(lines: list[Line]) -> Section:
    root = Section("root", "", lines[0] if lines else None)
    roman: Section | None = None
    letter: Section | None = None
    number: Section | None = None
    periodical: Section | None = None
    group: Group | None = None
    sublist_parent: Entry | None = None
    last: Entry | None = None
    last_line: Line | None = None

    def current() -> Section:
        for s in (periodical, number, letter, roman):
            if s is not None:
                return s
        return root

    def add_entry(entry: Entry) -> None:
        if group is not None:
            group.entries.append(entry)
        else:
            current().items.append(entry)

    for idx, line in enumerate(lines[1:], start=1):
        t = line.text
        same_block = last_line is not None and last_line.block == line.block
        # headings
        next_roman = ROMANS[ROMANS.index(roman.key) + 1] if roman else "I"
        next_letter = LETTERS[LETTERS.index(letter.key) + 1] if letter else "A"
        if _roman_heading(t, next_roman) and not (roman and _letter_heading(t, next_letter)):
            roman = Section("roman", next_roman, line, root)
            root.children.append(roman)
            letter = number = periodical = None
            group, sublist_parent, last = None, None, None
            last_line = line
            continue
        if roman is not None and _letter_heading(t, next_letter):
            letter = Section("letter", next_letter, line, roman)
            roman.children.append(letter)
            number = periodical = None
            group, sublist_parent, last = None, None, None
            last_line = line
            continue
        following = next((x.text for x in lines[idx + 1:] if x.text), "")
        m = re.match(r"^(?P<n>\d{1,2})\.\s+(?P<h>[A-Z][\w ]{2,40})$", t)
        if m and letter is not None and re.match(r"^-?\s*a\.\s", following):
            number = Section("number", m.group("n"), line, letter)
            letter.children.append(number)
            periodical = None
            group, sublist_parent, last = None, None, None
            last_line = line
            continue
        by_periodical = letter is not None and re.search(r"periodical", letter.heading(), re.I)
        section = current()
        # introductory prose of a section
        if last is None and group is None and not section.items and not section.children \
                and section.head is not None and (
                _is_prose(t) or (section.level == "periodical" and t.startswith("(") and '"' not in t)):
            section.intro.append(line)
            last_line = line
            continue
        if by_periodical and not t.endswith(":") and _is_periodical_heading(t) and not (
                periodical is not None and not periodical.items and not periodical.intro and t.startswith("(")):
            host = letter if letter is not None else roman
            assert host is not None
            periodical = Section("periodical", str(len(host.children) + 1), line, host)
            host.children.append(periodical)
            group, sublist_parent, last = None, None, None
            last_line = line
            continue
        if by_periodical and t.endswith(":") and not _MARK.match(t) and t[:1] not in "\"“":
            group = Group(line)
            current().items.append(group)
            sublist_parent, last = None, None
            last_line = line
            continue
        # sub-items: indented "- " lines after an entry, and the lines that go on with them
        if sublist_parent is not None and not _NUMBERED.match(t):
            item = Entry([line])
            sublist_parent.sub.append(item)
            last_line = line
            continue
        if last is not None and line.indented and t.startswith("- ") and not _NUMBERED.match(t):
            sublist_parent = last
            last.sub.append(Entry([line]))
            last_line = line
            continue
        sublist_parent = None
        # continuation of the entry before
        if last is not None:
            siblings = group.entries if group is not None else [e for e in section.items if isinstance(e, Entry)]
            unmarked_list = not any(e.marked for e in siblings[-3:])
            if _continues(last, line, same_block, unmarked_list):
                last.lines.append(line)
                last_line = line
                continue
        entry = Entry([line])
        add_entry(entry)
        last = entry
        last_line = line
    return root


# --- contexts and inheritance ---------------------------------------------------------------

def _heading_author(section: Section) -> tuple[Section, re.Match[str]] | None:
    for s in section.ancestors():
        m = re.search(r"\bWorks by (?P<name>[A-Z][\w.'-]*(?: [A-Z][\w.'-]*)+)\s*$", s.heading())
        if m:
            return s, m
    return None


def _context(section: Section, in_group: Group | None) -> Context:
    """What the headings above an entry tell the parser (see :class:`tei.bibliography.Context`)."""
    known = _heading_author(section) is not None
    if section.any_heading(r"\binterviews?\b"):
        return Context(kind="interview")
    if section.any_heading(r"intelligence|files\b"):
        return Context(kind="file")
    if section.any_heading(r"periodical"):
        host = _periodical_name(section.heading()) if section.level == "periodical" else None
        return Context(kind="periodical", host=host)
    if section.any_heading(r"\btheses\b|dissertations?"):
        return Context(kind="thesis", sorted_by_author=not known, known_author=known)
    if section.any_heading(r"correspondence|letters"):
        return Context(kind="letters", title_level="u" if section.any_heading("unpublished") else "m", known_author=known)
    if section.any_heading(r"unpublished|confiscated|manuscripts"):
        return Context(kind="unpublished", title_level="u", known_author=known)
    return Context(kind="work", sorted_by_author=not known, known_author=known)


def _periodical_name(heading: str) -> str:
    m = re.match(r"^(?P<t>.+?)(?=,|\s\(|\s\d{4}|$)", heading)
    return m.group("t") if m else heading


def _alphabetical_filter(entries: list[tuple[Entry, ParsedEntry, Context]]) -> None:
    """In a list sorted by author, a 'name' out of the order is a title ("Leon Trotsky, New York ...").

    The longest run of entries whose surnames' initials do not decrease is kept
    (names in the fuller "Surname, Forename" shape weigh more); the authors of
    the entries outside it are re-parsed as titles.
    """
    cands = []
    for k, (entry, parsed, ctx) in enumerate(entries):
        if not ctx.sorted_by_author:
            continue
        text = parsed.text
        start = len(re.match(r"^(?:-\s*)?(?:(?:\d{1,3}|[a-z])\.\s)?\s*", text).group(0))
        names = leading_names(text, start, ctx)
        if names is None or names.form == "corporate":
            continue
        weight = {"inverted": 3, "direct": 2, "bare": 1}.get(names.form, 1)
        cands.append((k, fold(names.sort_key)[:1], weight))
    if len(cands) < 5:
        return
    best: list[tuple[int, list[int]]] = []
    for i, (_, key, w) in enumerate(cands):
        score, chain = w, [i]
        for j in range(i):
            if cands[j][1] <= key and best[j][0] + w > score:
                score, chain = best[j][0] + w, best[j][1] + [i]
        best.append((score, chain))
    keep = set(max(best, key=lambda x: x[0])[1]) if best else set()
    for i, (k, _, _) in enumerate(cands):
        if i not in keep:
            entry, parsed, ctx = entries[k]
            ctx2 = Context(kind=ctx.kind, host=ctx.host, title_level=ctx.title_level, no_names=True)
            entries[k] = (entry, parse_entry(parsed.text, ctx2), ctx2)


# --- building --------------------------------------------------------------------------------

@dataclass
class _Build:
    ids: set[str] = field(default_factory=set)
    decisions: list[Decision] = field(default_factory=list)
    entries: int = 0


def _uid(build: _Build, wanted: str) -> str:
    out, n = wanted, 1
    while out in build.ids:
        n += 1
        out = f"{wanted}.{n}"
    build.ids.add(out)
    return out


def _head(section: Section) -> etree._Element:
    assert section.head is not None
    text = section.head.text
    if section.level == "periodical":
        name = _periodical_name(text)
        return el("head", None, el("title", {"level": "j"}, name), text[len(name):])
    found = re.search(r"\bWorks by (?P<name>[A-Z][\w.'-]*(?: [A-Z][\w.'-]*)+)\s*$", text)
    if found:
        return el("head", None, text[:found.start("name")],
                  el("name", {"type": "person", "xml:id": f"{section.id}.au"}, found.group("name")),
                  text[found.end("name"):])
    return el("head", None, text)


def _section_div(section: Section, build: _Build) -> etree._Element:
    attrs = {"xml:id": _uid(build, section.id), "n": section.key if section.level != "periodical" else None,
             "type": {"roman": "section", "letter": "subsection", "number": "subsection",
                      "periodical": "periodical"}.get(section.level)}
    return _fill(el("div", attrs, _head(section)), section, build)


def _fill(div: etree._Element, section, build) -> etree._Element:
    """A section's introductory prose, its entries, then its sub-sections."""
    for line in section.intro:
        div.append(el("p", None, line.text))
    if section.items:
        div.extend(_lists(section, build))
    for child in section.children:
        div.append(_section_div(child, build))
    return div


def _lists(section: Section, build: _Build) -> list[etree._Element]:
    """The section's entries as listBibl(s): one for loose entries, one per group."""
    out: list[etree._Element] = []
    runs: list[tuple[Group | None, list[Entry]]] = []
    for item in section.items:
        if isinstance(item, Group):
            runs.append((item, item.entries))
        elif runs and runs[-1][0] is None:
            runs[-1][1].append(item)
        else:
            runs.append((None, [item]))
    heading_author = _heading_author(section)
    translator = section.any_heading(r"\btranslations?\b")
    position = 0
    state = _Inherit()
    for g, entries in runs:
        lb = el("listBibl", None)
        if g is not None:
            lb.append(el("head", None, g.head.text))
            state = _Inherit()
        parsed: list[tuple[Entry, ParsedEntry, Context]] = []
        for entry in entries:
            ctx = _context(section, g)
            parsed.append((entry, parse_entry(entry.text, ctx), ctx))
        _alphabetical_filter(parsed)
        last_label_id: str | None = None
        since_label = 0
        for entry, p, ctx in parsed:
            position += 1
            label = entry.label
            if label:
                bid = _uid(build, f"{section.id}-{label}")
                last_label_id, since_label = bid, 0
            elif last_label_id and section.items and any(isinstance(e, Entry) and e.label for e in entries):
                since_label += 1
                bid = _uid(build, f"{last_label_id}.{since_label}")
            else:
                bid = _uid(build, f"{section.id}-{position}")
            about = g is not None and re.search(r"\babout\b", g.head.text, re.I)
            bibl = _bibl(entry, p, ctx, bid, build, state,
                         heading_author=None if about else heading_author, translator=translator)
            lb.append(bibl)
        out.append(lb)
    return out


@dataclass
class _Inherit:
    """The last printed authors in a list, for the lines that continue them."""

    authors: list[etree._Element] = field(default_factory=list)
    labelled: bool = False


def _bibl(entry: Entry, p: ParsedEntry, ctx: Context, bid: str, build: _Build, state: _Inherit,
          heading_author: tuple[Section, re.Match[str]] | None, translator: bool) -> etree._Element:
    build.entries += 1
    supplied: list[etree._Element] = []
    printed = p.has_author or bool(p.of("editor", role=None)) and not p.of("author") and _editor_first(p)
    text = p.text
    unsigned = re.search(r"\b(?:unsigned|anonymous|anonyme)\b", text, re.I)
    titles = p.values("title")
    corporate_title = bool(titles) and re.match(
        r"^\W*\w+\s(?:Committee|Commissariat|Congress|Senate|Commission)\b", titles[0]) and \
        p.of("title")[0].start < 8
    interview_like = ctx.kind in ("interview", "file")
    if translator and heading_author is not None and not p.of("editor", role="translator"):
        # "Translations (Russian into French)" under "Works by Victor Serge": he is the translator
        supplied.append(el("editor", {"role": "translator", "copyOf": f"#{heading_author[0].id}.au",
                                      "resp": "#encoder", "cert": "high"}))
    if not printed and not unsigned and not interview_like and not corporate_title:
        if state.authors and (heading_author is None or translator or (state.labelled and not entry.label)):
            # the person continues; whether as author or editor is this entry's own: "(Ed.) The Stalin Revolution"
            as_editor = re.match(r"^(?:-\s*)?\(?[Ee]ds?\.\)?\s", text) is not None
            for node in state.authors:
                supplied.append(el("editor" if as_editor else "author", {
                    "copyOf": "#" + node.get(XML_ID), "resp": "#encoder", "cert": "high"}))
        elif heading_author is not None and not translator:
            sec, _ = heading_author
            cert = "medium" if ctx.kind == "letters" else "high"     # letters go both ways
            supplied.append(el("author", {"copyOf": f"#{sec.id}.au", "resp": "#encoder", "cert": cert}))
    attrs = {"xml:id": bid, "n": entry.label,
             "type": {"interview": "interview", "file": "file", "letters": "letters", "thesis": "thesis"}.get(ctx.kind)}
    bibl = to_bibl(p, attrs, supplied)
    # the printed authors, for the lines after this one
    if printed:
        names = [n for n in bibl.iterchildren("{*}author", "{*}editor")
                 if not n.get("copyOf") and n.get("role") is None]
        names = _leading(bibl, names)
        if names:
            for k, node in enumerate(names, start=1):
                if not node.get(XML_ID):
                    node.set(XML_ID, f"{bid}.au{k}")
            state.authors = names
            state.labelled = bool(entry.label)
    elif unsigned or corporate_title:
        state.authors = []
    for k, sub in enumerate(entry.sub, start=1):
        sctx = ctx
        sp = parse_entry(sub.text, sctx)
        sub_supplied = []
        if heading_author is not None and ctx.kind not in ("letters",) and not sp.has_author:
            sec, _ = heading_author
            sub_supplied.append(el("author", {"copyOf": f"#{sec.id}.au", "resp": "#encoder", "cert": "high"}))
        bibl.append(to_bibl(sp, {"xml:id": _uid(build, f"{bid}.{k}"),
                                 "type": {"letters": "letters"}.get(ctx.kind)}, sub_supplied))
        build.entries += 1
    return bibl


def _editor_first(p: ParsedEntry) -> bool:
    eds = p.of("editor")
    others = [f for f in p.fields if f.name not in ("label", "editor")]
    return bool(eds) and (not others or eds[0].start < min(f.start for f in others))


def _leading(bibl: etree._Element, names: list[etree._Element]) -> list[etree._Element]:
    """The names printed at the head of the entry (not "by ..." later on)."""
    out = []
    for node in bibl:
        if node in names:
            out.append(node)
            continue
        if etree.QName(node).localname in ("label",):
            continue
        if out:
            break
        if etree.QName(node).localname not in ("author", "editor"):
            break
    if not out:
        return []
    return out


def _lines(blocks: list[Block]) -> list[Line]:
    out = []
    for k, block in enumerate(blocks):
        for offset, raw in enumerate(block.lines):
            if raw.strip():
                out.append(Line(block.line + offset, raw.rstrip(), k))
    return out


def convert_bibliography(blocks: list[Block]) -> tuple[etree._Element, list[Decision]]:
    """The bibliography div and the decisions taken while building it (see the module docstring)."""
    lines = _lines(blocks)
    div = el("div", {"type": "bibliography", "xml:id": "bibliography"})
    if not lines:
        return div, []
    root = _structure(lines)
    build = _Build(ids={"bibliography"})
    div.append(el("head", None, lines[0].text))
    return _fill(div, root, build), build.decisions
