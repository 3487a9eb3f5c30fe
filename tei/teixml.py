"""Building and writing TEI trees: one element factory, stable ids, stable bytes.

Converters build trees with :func:`el`; :func:`assign_ids` gives every structural
element an ``xml:id`` derived from its place (not from a global counter), and
:func:`to_bytes` serialises deterministically, indenting only element-only content
so that no whitespace is ever added inside text.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Union

from lxml import etree

from . import TEI_NS, XML_NS

T = "{%s}" % TEI_NS
XML_ID = "{%s}id" % XML_NS
XML_LANG = "{%s}lang" % XML_NS

Child = Union[str, etree._Element, None]


def tag(name: str) -> str:
    return name if name.startswith("{") else T + name


def el(name: str, attrs: dict[str, str] | None = None, *children: Child | Iterable[Child]) -> etree._Element:
    """Make a TEI element; ``attrs`` keys ``xml:id``/``xml:lang`` map to the XML namespace."""
    node = etree.Element(tag(name), nsmap={None: TEI_NS})
    for key, value in (attrs or {}).items():
        if value is None:
            continue
        if key == "xml:id":
            key = XML_ID
        elif key == "xml:lang":
            key = XML_LANG
        node.set(key, str(value))
    append(node, *children)
    return node


def append(node: etree._Element, *children: Child | Iterable[Child]) -> etree._Element:
    """Append strings and elements as mixed content."""
    for child in children:
        if child is None:
            continue
        if isinstance(child, str):
            if len(node):
                last = node[-1]
                last.tail = (last.tail or "") + child
            else:
                node.text = (node.text or "") + child
        elif isinstance(child, etree._Element):
            node.append(child)
        else:
            append(node, *child)
    return node


def text_of(node: etree._Element) -> str:
    return "".join(node.itertext())


# Elements whose content is never indented (mixed content or phrase level).
_NO_INDENT = {tag(n) for n in (
    "p", "head", "note", "quote", "q", "bibl", "item", "label", "l", "title", "persName", "placeName",
    "orgName", "name", "salute", "signed", "dateline", "date", "ab", "cell", "hi", "ref", "docTitle",
    "titlePart", "docAuthor", "docDate", "byline", "figDesc", "change", "licence", "author", "editor",
    "publisher", "pubPlace", "idno", "desc", "resp", "language", "term", "foreign", "emph", "seg",
    "biblScope", "orgName", "addrLine", "occupation", "affiliation", "birth", "death", "surname",
    "forename", "roleName", "addName", "sic", "corr", "orig", "reg", "distributor", "edition", "measure",
    "principal", "sponsor", "funder", "catDesc", "placeName", "settlement", "country", "region",
    "geogName", "num", "unclear", "gap", "del", "add", "mentioned", "soCalled", "abbr", "expan",
)}


def indent(node: etree._Element, level: int = 0, step: str = "  ") -> None:
    """Indent element-only content; leave mixed content byte-for-byte as built."""
    if node.tag in _NO_INDENT or not len(node):
        return
    if (node.text and node.text.strip()) or any(c.tail and c.tail.strip() for c in node):
        return
    pad = "\n" + step * (level + 1)
    node.text = pad
    for child in node:
        if isinstance(child.tag, str):
            indent(child, level + 1, step)
        child.tail = pad
    node[-1].tail = "\n" + step * level


ID_PREFIX = {
    "p": "p", "head": None, "figure": "fig", "quote": "q", "cit": "cit", "list": "list", "item": "i",
    "note": "n", "bibl": "b", "listBibl": "lb", "lg": "lg", "closer": "closer", "opener": "opener",
    "table": "tab", "ab": "ab", "signed": None, "floatingText": "ft", "titlePage": "tp", "q": None,
}


def assign_ids(text_el: etree._Element, root_id: str = "text") -> None:
    """Give ``div``s and block elements ids derived from their place in the tree.

    A div without an id gets ``<parent>.d<n>``; a block gets ``<div>.<prefix><n>``,
    counted per div and per kind, so an edit in one chapter leaves the ids of the
    others unchanged.
    """
    counters: dict[tuple[str, str], int] = {}

    def div_id(node: etree._Element) -> str:
        anc = node.getparent()
        while anc is not None:
            if anc.get(XML_ID) and etree.QName(anc).localname in ("div", "front", "body", "back", "text"):
                return anc.get(XML_ID)
            anc = anc.getparent()
        return root_id

    if not text_el.get(XML_ID):
        text_el.set(XML_ID, root_id)
    for part in ("front", "body", "back"):
        for node in text_el.iterchildren(tag(part)):
            if not node.get(XML_ID):
                node.set(XML_ID, part)
    for node in text_el.iter(tag("div")):
        if not node.get(XML_ID):
            parent = div_id(node)
            key = (parent, "d")
            counters[key] = counters.get(key, 0) + 1
            node.set(XML_ID, f"{parent}.d{counters[key]}")
    for node in text_el.iter():
        if not isinstance(node.tag, str):
            continue
        name = etree.QName(node).localname
        prefix = ID_PREFIX.get(name)
        if prefix is None or node.get(XML_ID):
            continue
        parent = div_id(node)
        key = (parent, prefix)
        counters[key] = counters.get(key, 0) + 1
        node.set(XML_ID, f"{parent}.{prefix}{counters[key]}")


def check_unique_ids(root: etree._Element) -> list[str]:
    seen: set[str] = set()
    dupes: list[str] = []
    for node in root.iter():
        value = node.get(XML_ID) if isinstance(node.tag, str) else None
        if value is None:
            continue
        if value in seen:
            dupes.append(value)
        seen.add(value)
    return dupes


def to_bytes(root: etree._Element, processing_instructions: Iterable[str] = ()) -> bytes:
    """Serialise deterministically: XML declaration, ``xml-model`` PIs, indented structure."""
    indent(root)
    body = etree.tostring(root, encoding="UTF-8", xml_declaration=False)
    head = b'<?xml version="1.0" encoding="UTF-8"?>\n'
    for pi in processing_instructions:
        head += pi.encode("utf-8") + b"\n"
    return head + body + b"\n"
