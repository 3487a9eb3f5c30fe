"""The bibliography of Weissman's thesis (source 004) as nested TEI divs.

Interface (called by ``tei/converters/weissman_thesis.py``)::

    convert_bibliography(blocks: list[Block]) -> tuple[etree._Element, list[Decision]]

``blocks`` start with the "BIBLIOGRAPHY" heading line; the element returned is
``<div type="bibliography" xml:id="bibliography">``. The decisions are to be
added to the converter's ``Conversion.decisions``.

(Minimal first version: one ``bibl`` per line; structure follows.)
"""

from __future__ import annotations

from lxml import etree

from ..decisions import Decision
from ..teixml import el
from .base import Block


def convert_bibliography(blocks: list[Block]) -> tuple[etree._Element, list[Decision]]:
    """The bibliography div and the decisions taken while building it."""
    div = el("div", {"type": "bibliography", "xml:id": "bibliography"})
    lines = [line.strip() for b in blocks for line in b.lines if line.strip()]
    if lines and lines[0].upper().startswith("BIBLIOGRAPHY"):
        div.append(el("head", None, lines.pop(0)))
    else:
        div.append(el("head", None, "BIBLIOGRAPHY"))  # pragma: no cover - caller passes the heading
    if lines:
        div.append(el("listBibl", None, [el("bibl", None, line) for line in lines]))
    return div, []
