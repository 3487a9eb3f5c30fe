"""Run one converter on text, as the build does, and query the result."""

from __future__ import annotations

from lxml import etree

from tei import converters
from tei.cleaning import clean
from tei.converters.base import Conversion
from tei.metadata import DEFAULT_SOURCES, load_source
from tei.teixml import assign_ids

NS = {"t": "http://www.tei-c.org/ns/1.0"}


def convert_text(converter: str, text: str, meta_name: str) -> tuple[Conversion, etree._Element]:
    module = converters.get(converter)
    meta = load_source(DEFAULT_SOURCES / meta_name)
    conversion = module.convert(clean(text, module.PROFILE), meta)
    assign_ids(conversion.text)
    return conversion, conversion.text


def xp(node: etree._Element, path: str):
    return node.xpath(path, namespaces=NS)


def text(node: etree._Element) -> str:
    return " ".join("".join(node.itertext()).split())
