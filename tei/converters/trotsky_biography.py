"""Placeholder converter: every block becomes a paragraph (replaced by the real converter)."""

from __future__ import annotations

from ..cleaning import CleanText, CleaningProfile
from ..metadata import SourceMeta
from ..teixml import el
from .base import Conversion, blocks, paragraph

PROFILE = CleaningProfile()


def convert(clean: CleanText, meta: SourceMeta) -> Conversion:
    return Conversion(text=el("text", None, el("body", None, el("div", None, [paragraph(b.text) for b in blocks(clean)]))))
