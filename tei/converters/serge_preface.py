"""001: a blog post quoting Branko Milanovic, then Serge's 1938 preface to *Year One*.

Structure: the post (an introductory line and the Milanovic quotation as a
``cit``), then the preface as its own div with its heading, paragraphs, note
anchors and a closer (signature, place and date, translator). The capture is
damaged; the cleaning profile drops its repeated stretch and repairs the rest.
The note bodies are not in the received text: the calls are kept as
``ref type="noteAnchor"`` and nothing is supplied.
"""

from __future__ import annotations

import re

from ..cleaning import CleanText, CleaningProfile
from ..inline import Span, build, quote_spans
from ..metadata import SourceMeta
from ..teixml import Child, el
from .base import Block, Conversion, require_blocks

PROFILE = CleaningProfile(recaptured_passages=True, damaged_dashes=True)

PREFACE_HEAD = re.compile(r"^Preface to the \d{4} Edition:?$")
# A note call: a superscript digit, or an ASCII digit glued to the end of a sentence ("police.1 Other").
NOTE_CALL = re.compile(r"(?<=[.,;:!?”’)])([¹²³⁴⁵⁶⁷⁸⁹⁰]+|\d{1,2}(?=\s|$))")
SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
MARKDOWN_TITLE = re.compile(r"\*(?P<title>[^*]+)\*")
SOURCE_THEN_QUOTE = re.compile(r"^(?P<author>[^:]+): (?P<title>[^:]+): (?P<quote>“.*)$")
PLACE_DATE = re.compile(r"^(?P<place>[A-Z][a-z]+), (?P<date>(?P<month>[A-Z][a-z]+) (?P<year>\d{4}))$")
MONTHS = {m: i for i, m in enumerate(
    "January February March April May June July August September October November December".split(), 1)}


def _spans(text: str) -> list[Span]:
    spans = quote_spans(text)
    for m in NOTE_CALL.finditer(text):
        n = m.group(1).translate(SUPERSCRIPT)
        spans.append(Span(m.start(1), m.end(1), lambda n=n, t=m.group(1): el("ref", {"type": "noteAnchor", "n": n}, t),
                          replace=True))
    for m in MARKDOWN_TITLE.finditer(text):
        # The asterisks are markdown emphasis of a book title: markup, not text.
        spans.append(Span(m.start(), m.end(), lambda t=m.group("title"): el("title", {"level": "m"}, t),
                          replace=True))
    return spans


def _phrase(text: str) -> list[Child]:
    return build(text, _spans(text))


def _closer(block: Block):
    parts: list[Child] = []
    for line in (ln.strip() for ln in block.lines):
        m = PLACE_DATE.match(line)
        if m:
            when = f"{m.group('year')}-{MONTHS[m.group('month')]:02d}" if m.group("month") in MONTHS else None
            parts.append(el("dateline", None, m.group("place"), ", ", el("date", {"when": when}, m.group("date"))))
        elif line.lower().startswith("translated by"):
            parts.append(el("seg", {"type": "translator"}, line))
        else:
            parts.append(el("signed", None, line))
    return el("closer", None, parts)


def _post(parts: list[Block]):
    children = []
    for block in parts:
        m = SOURCE_THEN_QUOTE.match(block.text)
        if m:
            # "Author: Title: “quotation”" — the quotation with its source, as a cit.
            quoted = m.group("quote")
            children.append(el(
                "cit", {"type": "quotation"},
                el("bibl", None, el("author", None, m.group("author")), ": ",
                   el("title", {"level": "a"}, m.group("title")), ":"),
                el("quote", None, *build(quoted, [s for s in _spans(quoted) if s.replace]))))
        else:
            children.append(el("p", None, *_phrase(block.text)))
    return el("div", {"type": "blogPost", "xml:id": "post"}, children)


def convert(clean: CleanText, meta: SourceMeta) -> Conversion:
    parts = require_blocks(clean, meta.file)
    start = next((i for i, b in enumerate(parts) if PREFACE_HEAD.match(b.text)), None)
    if start is None:
        post, preface_blocks, head = parts, [], None
    else:
        post, head, preface_blocks = parts[:start], parts[start], parts[start + 1:]
    closer = None
    if preface_blocks and len(preface_blocks[-1].lines) > 1:
        closer = _closer(preface_blocks.pop())
    body = [_post(post)]
    if head is not None:
        body.append(el("div", {"type": "preface", "xml:id": "preface"},
                       el("head", None, head.text),
                       [el("p", None, *_phrase(b.text)) for b in preface_blocks],
                       closer))
    return Conversion(
        text=el("text", None, el("body", None, body)),
        principles={
            "notes": ("The preface's note calls (1, ², ³) are kept where they stand as ref type=\"noteAnchor\" with "
                      "the number in @n. The bodies of these notes are not in the received text and have not "
                      "been supplied."),
        },
    )
