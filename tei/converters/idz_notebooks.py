"""000: IdZ's introduction to the Verkhneuralsk prison notebooks.

Two introductory paragraphs, then the two published texts as a list: each item is
a title line (``Author – Title`` or a title alone) followed by its description.
"""

from __future__ import annotations

import re

from ..cleaning import CleanText, CleaningProfile
from ..metadata import SourceMeta
from ..teixml import el
from ..inline import build, quote_spans
from .base import Conversion, Pattern, phrase, require_blocks

PROFILE = CleaningProfile()
AUTHOR_TITLE = re.compile(r"^(?P<author>[^–]+?) – (?P<title>.+)$")

# The works the introduction names: Serge's novel, and the 2022 Moscow collection of the notebooks
# (its Russian title in translation, then an English gloss in quotation marks, place, publisher, year).
WORKS = [
    Pattern(re.compile(r"(?P<author>Victor Serge)’s novel, (?P<title>Midnight of the century)"
                       r"published in (?P<date>\d{4})"),
            ("bibl", {}), {"author": ("author", {}), "title": ("title", {"level": "m"}),
                           "date": ("date", {"when": lambda y: y})}),
    Pattern(re.compile(r"(?P<title>Notebooks from the [^(“]+?)\(“(?P<gloss>[^”]+)”\), (?P<place>[A-Z][a-z]+), "
                       r"(?P<publisher>Ed\. [A-Z][a-z]+), (?P<date>\d{4})"),
            ("bibl", {}), {"title": ("title", {"level": "m"}), "gloss": ("title", {"type": "gloss"}),
                           "place": ("pubPlace", {}), "publisher": ("publisher", {}),
                           "date": ("date", {"when": lambda y: y})}),
]


def _paragraph(text: str):
    works = [span for pattern in WORKS for span in pattern.spans(text)]
    # Inside a reference, quotation marks enclose a title, not a quotation.
    quotes = [q for q in quote_spans(text) if not any(w.start <= q.start < w.end for w in works)]
    spans = quotes + works
    return el("p", None, *build(text, spans))


def _title_line(text: str):
    m = AUTHOR_TITLE.match(text)
    if m:
        return el("bibl", None, el("author", None, m.group("author")), " – ",
                  el("title", {"level": "a"}, m.group("title")))
    return el("bibl", None, el("title", {"level": "a"}, text))


def convert(clean: CleanText, meta: SourceMeta) -> Conversion:
    parts = require_blocks(clean, meta.file)
    intro, listed = parts[:2], parts[2:]
    if len(listed) % 2:
        listed, trailing = listed[:-1], listed[-1:]
    else:
        trailing = []
    items = [el("item", None, _title_line(title.text), el("p", None, *phrase(desc.text)))
             for title, desc in zip(listed[::2], listed[1::2])]
    div = el("div", {"type": "introduction", "xml:id": "introduction"},
             [_paragraph(b.text) for b in intro],
             el("list", {"type": "publications"}, items) if items else None,
             [_paragraph(b.text) for b in trailing])
    return Conversion(text=el("text", None, el("body", None, div)))
