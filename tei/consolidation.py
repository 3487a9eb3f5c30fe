"""The edition's consolidated bibliography: every work cited anywhere, once, with where it is cited.

Each ``bibl`` with a title in the documents' ``<text>`` is a citation. Citations are
merged into one work only when author, title and date all agree after
normalisation (case, accents, punctuation, leading articles; the author's surname;
the year) — conservative by design: a work cited with different dates stays two
entries rather than risk merging different editions or different works. Every
merge is reported.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from lxml import etree

from .entities import prefix_defs
from .teixml import T, XML_ID, el, to_bytes

#: places listed per merged work in the build's summary (the report keeps every one)
PLACES_SHOWN = 4
PUNCTUATION = re.compile(r"[^\w\s]")
NOTE, LIST_REF, PTR = T + "note", T + "listRef", T + "ptr"
ARTICLES = re.compile(r"^(?:the|a|an|le|la|les|l|el|los|las|der|die|das|il|lo)\s+")


def fold(text: str) -> str:
    """A work's matching form: no accents, case or punctuation, no leading article (stricter than
    ``bibliography.fold``, which keeps punctuation for the parser)."""
    if not text.isascii():  # ASCII has nothing to decompose: most titles skip the per-character pass
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = text.casefold()
    text = PUNCTUATION.sub(" ", text)
    text = " ".join(text.split())
    return ARTICLES.sub("", text)


def surname(author: str) -> str:
    author = " ".join(author.split())
    if "," in author:
        return fold(author.split(",")[0])
    words = fold(author).split()
    return words[-1] if words else ""


@dataclass
class Citation:
    document: str           # file name of the built document
    id: str                 # xml:id of the bibl
    entry: bytes            # the citation made standalone, serialised (a tree each would cost a document each)
    length: int             # characters of its text: the fullest citation of a work stands for it
    author: str
    title: str
    year: str
    scope: str = ""         # journal, volume, issue and pages: an article in another issue is another work
    refers: str = ""        # a short form, Ibid. (``@corresp``): the id of the full citation it abbreviates

    @property
    def key(self) -> tuple[str, str, str, str] | None:
        if not (self.author and self.title and self.year):
            return None
        return surname(self.author), fold(self.title), self.year, self.scope


@dataclass
class Work:
    citations: list[Citation] = field(default_factory=list)

    @property
    def best(self) -> Citation:
        full = [c for c in self.citations if not c.refers] or self.citations
        return max(full, key=lambda c: (c.length, -len(c.id)))


def _text(node: etree._Element | None) -> str:
    return " ".join("".join(node.itertext()).split()) if node is not None else ""


def _author(bibl: etree._Element, ids: dict[str, etree._Element]) -> str:
    author = bibl.find(T + "author")
    if author is None:
        author = bibl.find(T + "editor")
    if author is None:
        return ""
    if not _text(author) and author.get("copyOf", "").startswith("#"):
        return _text(ids.get(author.get("copyOf")[1:]))
    return _text(author)


def citations(document: str, root: etree._Element) -> list[Citation]:
    text = root.find(T + "text")
    if text is None:
        return []
    ids = {n.get(XML_ID): n for n in root.iter() if isinstance(n.tag, str) and n.get(XML_ID)}
    out = []
    for bibl in text.iter(T + "bibl"):
        title = bibl.find(T + "title")
        target = bibl.get("corresp", "")
        if target.startswith("#") and target[1:] in ids and bibl.get(XML_ID):
            # a short form or Ibid.: cited where it stands, but the work is the one it points at (whose
            # citation stands for it: a short form never does)
            out.append(Citation(document, bibl.get(XML_ID), b"", 0, "", "", "", refers=target[1:]))
            continue
        if title is None or not bibl.get(XML_ID):
            continue
        date = bibl.find(T + "date")
        when = (date.get("when") or "") if date is not None else ""
        year = when[:4] if re.match(r"^\d{4}", when) else ""
        scope = " | ".join(fold(_text(n)) for n in bibl if n.tag == T + "biblScope"
                           or (n.tag == T + "title" and n.get("level") == "j"))
        entry = _standalone(bibl, ids)
        out.append(Citation(document, bibl.get(XML_ID), etree.tostring(entry, encoding="UTF-8"),
                            len("".join(entry.itertext())), _author(bibl, ids), _text(title), year, scope))
    return out


def _standalone(bibl: etree._Element, ids: dict[str, etree._Element]) -> etree._Element:
    """A copy of the citation that makes sense outside its document: supplied names (``copyOf``)
    are written out, ids are dropped."""
    entry = copy.deepcopy(bibl)
    entry.tail = None
    for node in entry.iter():
        if not isinstance(node.tag, str):
            continue
        target = node.get("copyOf", "")
        if target.startswith("#") and not _text(node):
            node.attrib.pop("copyOf")
            node.text = _text(ids.get(target[1:]))
        node.attrib.pop(XML_ID, None)
    return entry


@dataclass(frozen=True)
class Summary:
    """What a build reports of its consolidation (the works are in the file it wrote): small enough to
    keep in the build cache, so that a rebuild with nothing changed need not read the edition again."""

    lines: tuple[str, ...]     # the first lines of report_lines
    citations: int
    works: int
    merged: tuple[tuple[str, ...], ...]   # per merged work, "document#id" of every citation

    def as_json(self) -> dict:
        return {"citations": self.citations, "works": self.works, "merged": [list(m) for m in self.merged]}

    @classmethod
    def from_json(cls, data: dict) -> Summary:
        return cls(tuple(data["lines"]), data["citations"], data["works"], tuple(tuple(m) for m in data["merged"]))


@dataclass
class Consolidation:
    works: list[Work]
    merges: list[Work]   # works with more than one citation

    def summary(self, lines: int = 6) -> Summary:
        return Summary(tuple(self.report_lines()[:lines]), sum(len(w.citations) for w in self.works), len(self.works),
                       tuple(tuple(f"{c.document}#{c.id}" for c in w.citations) for w in self.merges))

    def report_lines(self) -> list[str]:
        lines = [f"bibliography: {sum(len(w.citations) for w in self.works)} citation(s) → {len(self.works)} "
                 f"work(s); {len(self.merges)} merged (same author, title and year)"]
        for work in self.merges:
            best = work.best
            places = ", ".join(f"{c.document}#{c.id}" for c in work.citations[:PLACES_SHOWN])
            if len(work.citations) > PLACES_SHOWN:  # a work cited in every text of a large edition
                places += f" and {len(work.citations) - PLACES_SHOWN} more (build-report.json lists them all)"
            lines.append(f"  merged: {best.author} — {best.title} ({best.year}): {places}")
        return lines


def consolidate(documents: Iterable[tuple[str, etree._Element]]) -> Consolidation:
    """The works cited in these (file name, parsed document) pairs."""
    return consolidate_citations(citations(name, root) for name, root in documents)


def consolidate_citations(per_document: Iterable[list[Citation]]) -> Consolidation:
    """The works cited, from each document's ``citations`` in edition order (a build gathers them as
    each document is converted, so the edition is not read twice)."""
    works: list[Work] = []
    by_key: dict[tuple[str, str, str, str], Work] = {}
    by_id: dict[tuple[str, str], Work] = {}
    references: list[Citation] = []
    for found in per_document:
        for citation in found:
            if citation.refers:
                references.append(citation)
                continue
            key = citation.key
            if key and key in by_key:
                by_key[key].citations.append(citation)
                continue
            work = Work([citation])
            works.append(work)
            if key:
                by_key[key] = work
    for work in works:
        for c in work.citations:
            by_id[(c.document, c.id)] = work
    for ref in references:        # short forms add to the places their work is cited
        work = by_id.get((ref.document, ref.refers))
        if work is not None:
            work.citations.append(ref)
    works.sort(key=_order)
    return Consolidation(works, [w for w in works if len([c for c in w.citations if not c.refers]) > 1])


def _order(work: Work) -> tuple[str, str, str, str]:
    """Author's surname, title, year: the order of a printed bibliography (a work without author last)."""
    best = work.best
    return surname(best.author) or "~", fold(best.title), best.year, best.id


def to_tei(result: Consolidation, title: str, publisher: str, date: str) -> bytes:
    """The consolidated bibliography as a TEI document (``listBibl``, one ``bibl`` per work).

    The entries are put into the finished skeleton and their pointers made in place: lxml walks a
    subtree each time it moves one into another document, and a tree built bottom-up (``el``) moved
    every node of the list once per level (6 s of 9 at ×100)."""
    listing = el("listBibl", None, el("head", None, "Works cited in the edition"))
    root = el("TEI", {"xml:lang": "en"},
              el("teiHeader", None,
                 el("fileDesc", None,
                    el("titleStmt", None, el("title", None, f"{title}: consolidated bibliography"),
                       el("respStmt", None, el("resp", None, "compiled by the build from the edition's references"),
                          el("name", {"xml:id": "encoder"}, publisher))),
                    el("publicationStmt", None, el("publisher", None, publisher), el("date", {"when": date}, date)),
                    el("sourceDesc", None, el("p", None,
                       "Derived by the build from the bibliographic references of the edition's documents; "
                       "citations are merged into one work only when author, title and year agree."))),
                 el("encodingDesc", None, prefix_defs())),
              el("text", None, el("body", None, listing)))
    for n, work in enumerate(result.works, 1):
        entry = etree.fromstring(work.best.entry)
        entry.set(XML_ID, f"work{n:04d}")
        listing.append(entry)
        places = etree.SubElement(etree.SubElement(entry, NOTE, type="citedIn"), LIST_REF)
        for c in work.citations:
            etree.SubElement(places, PTR, target=f"../tei/{c.document}#{c.id}", n=c.document[:-4])
    return to_bytes(root)

