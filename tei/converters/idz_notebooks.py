"""000: IdZ's introduction to the Verkhneuralsk prison notebooks.

Two introductory paragraphs, then the two published texts as a list: each item is
a title line (``Author – Title`` or a title alone) followed by its description.
"""

from __future__ import annotations

import re

from ..cleaning import CleanText, CleaningProfile
from ..metadata import SourceMeta
from ..teixml import el
from .base import Conversion, paragraph, phrase, require_blocks

PROFILE = CleaningProfile()
AUTHOR_TITLE = re.compile(r"^(?P<author>[^–]+?) – (?P<title>.+)$")


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
             [paragraph(b.text) for b in intro],
             el("list", {"type": "publications"}, items) if items else None,
             [paragraph(b.text) for b in trailing])
    return Conversion(text=el("text", None, el("body", None, div)))
