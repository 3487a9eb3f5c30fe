"""003: a WSWS article with a picture caption, block quotations and three endnotes.

The headline is the head of the article div; a paragraph without final
punctuation is the picture's caption (``figure``); a paragraph that is one
quotation (“…” [n]) is a block ``quote``. Endnote calls "[n]" become
``ref type="noteAnchor"`` pointing at ``note place="end"`` in ``back``, whose
``@target`` points back at the call: linked both ways. The endnotes' "[back]"
links are removed by cleaning; their numbers ("1.") move into ``note/@n``.
"""

from __future__ import annotations

import re

from .. import citations
from ..cleaning import CleanText, CleaningProfile
from ..decisions import REMOVED, Decision
from ..inline import Span, build, quote_spans
from ..metadata import SourceMeta
from ..teixml import Child, el
from .base import Block, Conversion, require_blocks

PROFILE = CleaningProfile()

CALL = re.compile(r"\s?\[(?P<n>\d+)\]")
ENDNOTE = re.compile(r"^(?P<n>\d+)\.\s+(?P<text>.+)$")
BLOCK_QUOTE = re.compile(r"^“[^“”]*”(\s*\[\d+\])?$")
FINAL_PUNCTUATION = tuple(".?!:;”\"’)]")


def _call_id(n: str) -> str:
    return f"noteref{n}"


def _note_id(n: str) -> str:
    return f"note{n}"


def _phrase(text: str, whole_quote: bool = False) -> list[Child]:
    # In a block quotation the quote element is the block itself: no inner quote around all of it.
    spans = [s for s in quote_spans(text) if not (whole_quote and s.start == 0)]
    for m in CALL.finditer(text):
        n = m.group("n")
        spans.append(Span(m.start(), m.end(), lambda n=n, t=m.group(0): el(
            "ref", {"type": "noteAnchor", "n": n, "target": "#" + _note_id(n), "xml:id": _call_id(n)}, t),
            replace=True))
    return build(text, spans)


def _note_text(text: str, n: str = "") -> list[Child]:
    """The endnote's references as ``bibl`` (:mod:`tei.citations`): each note is a list of works, so it is
    not cut into sentences (a title may contain a full stop). Quotation marks in a citation enclose titles
    (inside ``title``), not quotations."""
    return citations.marked(text, _note_id(n), sentences=False)


def _is_caption(block: Block) -> bool:
    return not block.text.rstrip().endswith(FINAL_PUNCTUATION)


def convert(clean: CleanText, meta: SourceMeta) -> Conversion:
    parts = require_blocks(clean, meta.file)
    headline, rest = parts[0], parts[1:]
    first_note = next((i for i, b in enumerate(rest) if ENDNOTE.match(b.text) and b.text.startswith("1.")), len(rest))
    body_blocks, note_blocks = rest[:first_note], rest[first_note:]
    children: list[Child] = [el("head", None, headline.text)]
    for block in body_blocks:
        if _is_caption(block):
            children.append(el("figure", None, el("head", None, block.text)))
        elif BLOCK_QUOTE.match(block.text):
            children.append(el("quote", {"type": "block"}, el("p", None, *_phrase(block.text, whole_quote=True))))
        else:
            children.append(el("p", None, *_phrase(block.text)))
    decisions: list[Decision] = []
    notes = []
    for block in note_blocks:
        m = ENDNOTE.match(block.text)
        if not m:
            notes.append(el("p", None, *_phrase(block.text)))
            continue
        n = m.group("n")
        decisions.append(Decision(REMOVED, "endnote-number",
                                  "Endnote number moved into note/@n (rendered from there)", f"{n}.", block.line))
        notes.append(el("note", {"place": "end", "n": n, "xml:id": _note_id(n), "target": "#" + _call_id(n)},
                        *_note_text(m.group("text"), n)))
    text = el("text", None,
              el("body", None, el("div", {"type": "article", "xml:id": "article"}, children)),
              el("back", None, el("div", {"type": "notes", "xml:id": "notes"}, notes)) if notes else None)
    return Conversion(
        text=text,
        decisions=decisions,
        principles={
            "notes": ("The endnotes are note place=\"end\" in back; each call \"[n]\" is a ref type=\"noteAnchor\" "
                      "pointing at its note, and each note's @target points back at its call. Each work an endnote "
                      "cites is a bibl with its parts (a translation it quotes from is bibl type=\"translation\"); "
                      "titles keep their quotation marks."),
        },
    )
