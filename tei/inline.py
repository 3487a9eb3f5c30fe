"""Phrase-level markup from character spans.

Recognisers (quotations here; note calls and names in their own modules) return
:class:`Span`s over a paragraph's plain text; :func:`build` nests them into mixed
content. Keeping recognisers and tree building apart means each rule is a small,
testable function over a string.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

from .teixml import Child, append, el

Maker = Callable[[], etree._Element]


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    make: Maker
    replace: bool = False  # the characters are replaced by the element (e.g. a note call)


def build(text: str, spans: list[Span]) -> list[Child]:
    """Mixed content for ``text`` with ``spans`` as elements; crossing spans are dropped."""
    ordered = sorted(spans, key=lambda s: (s.start, -(s.end - s.start)))
    kept: list[Span] = []
    stack: list[Span] = []
    for span in ordered:
        while stack and stack[-1].end <= span.start and not (stack[-1].end == span.start == stack[-1].start):
            stack.pop()
        if stack and span.end > stack[-1].end:
            continue  # crosses its enclosing span
        if stack and stack[-1].replace:
            continue  # nothing nests inside a replaced span
        kept.append(span)
        stack.append(span)
    return _build(text, 0, len(text), kept)


def _build(text: str, start: int, end: int, spans: list[Span]) -> list[Child]:
    out: list[Child] = []
    pos = start
    i = 0
    while i < len(spans):
        span = spans[i]
        inner = []
        j = i + 1
        while j < len(spans) and spans[j].start < span.end:
            inner.append(spans[j])
            j += 1
        if span.start > pos:
            out.append(text[pos:span.start])
        node = span.make()
        if not span.replace:
            append(node, *_build(text, span.start, span.end, inner))
        out.append(node)
        pos = max(pos, span.end)
        i = j
    if pos < end:
        out.append(text[pos:end])
    return out


# --- quotations -----------------------------------------------------------------

_CURLY = re.compile(r"“[^“”]*”")
QUOTE_MIN_WORDS = 5


def quote_spans(text: str, min_words: int = QUOTE_MIN_WORDS) -> list[Span]:
    """Quoted passages: curly “…” pairs, and straight "…" pairs where they pair up.

    Passages of ``min_words`` words or more are ``quote`` (a quotation from a
    source); shorter ones are ``q`` (a phrase set off by quotation marks). The
    marks stay inside the element, as transcribed.
    """
    spans: list[Span] = []
    for m in _CURLY.finditer(text):
        spans.append(_quote_span(m.start(), m.end(), text))
    straight = [m.start() for m in re.finditer('"', text)]
    if len(straight) % 2 == 0:
        for a, b in zip(straight[::2], straight[1::2]):
            spans.append(_quote_span(a, b + 1, text, min_words))
    return spans


def _quote_span(start: int, end: int, text: str, min_words: int = QUOTE_MIN_WORDS) -> Span:
    words = len(re.findall(r"\w+", text[start:end]))
    name = "quote" if words >= min_words else "q"
    return Span(start, end, lambda: el(name))
