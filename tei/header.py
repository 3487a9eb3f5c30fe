"""The teiHeader, built from the source's metadata, the edition's, and the decisions.

Facts come only from ``sources/*.toml`` (what the text itself says); the
editorial principles state what the pipeline did, and ``revisionDesc`` lists
every removal and repair with the text concerned.
"""

from __future__ import annotations

from collections import Counter

from lxml import etree

from . import __version__
from .converters.base import Conversion
from .decisions import MOVED, NOTED, REMOVED, REPAIRED, Decision
from .metadata import EditionMeta, SourceMeta
from .teixml import el

SOURCE_ID = "source"          # xml:id of sourceDesc/bibl: header quotes point at it
ENCODER_ID = "encoder"

DEFAULT_PRINCIPLES = {
    "correction": (
        "Obvious misprints and OCR errors are kept as received. Damage introduced by the web capture "
        "(mojibake: UTF-8 read as Windows-1252) is repaired; every repair is listed in the revision description."
    ),
    "normalization": (
        "The text is normalised to Unicode NFC and line endings to LF. Spelling, transliteration and "
        "punctuation are kept as received."
    ),
    "quotation": (
        "Quotation marks are retained as transcribed, inside the quote or q element that marks the quotation: "
        "quote for quotations of five words or more, q for shorter phrases set off by quotation marks."
    ),
    "hyphenation": "The received texts carry no end-of-line hyphenation; hyphens are kept as received.",
    "segmentation": "Each paragraph of the source is one p; headings are head elements of their div.",
    "interpretation": (
        "Web navigation (links without a target) and passages the web capture repeated are removed; "
        "each removal is listed, with the removed text, in the revision description."
    ),
}


def _bibl(meta: SourceMeta, conversion: Conversion) -> etree._Element:
    level = "m" if meta.text_type in ("PhD thesis",) else "a"
    bibl = el("bibl", {"xml:id": SOURCE_ID, "type": meta.text_type.replace(" ", "-")})
    for name in meta.authors:
        bibl.append(el("author", None, name))
    bibl.append(el("title", {"level": level, "type": "supplied" if meta.title_supplied else None}, meta.title))
    for name in meta.translators:
        bibl.append(el("respStmt", None, el("resp", None, "translated by"), el("name", None, name)))
    bibl.append(el("publisher", None, meta.publisher))
    if meta.pub_place:
        bibl.append(el("pubPlace", None, meta.pub_place))
    if meta.date:
        bibl.append(el("date", {"when": meta.date}, meta.date_text or meta.date))
    elif meta.date_note:
        bibl.append(el("date", None, meta.date_note))
    for kind, value in meta.idnos:
        bibl.append(el("idno", {"type": kind}, value))
    if meta.degree:
        bibl.append(el("note", {"type": "degree"}, f"{meta.degree}, {meta.institution}"))
    if meta.author_note:
        bibl.append(el("note", {"type": "author"}, meta.author_note))
    bibl.append(el("note", {"type": "provenance"}, meta.provenance))
    for notice in conversion.notices:
        if notice.where == "sourceDesc":
            bibl.append(el("note", {"type": "notice"}, el("quote", {"source": "#" + SOURCE_ID}, notice.text)))
    return bibl


def _change(decision: Decision, when: str) -> etree._Element:
    where = f"Line {decision.line}: " if decision.line else ""
    node = el("change", {"when": when, "who": "#" + ENCODER_ID, "type": decision.kind}, where + decision.description)
    if decision.text:
        node.append(el("quote", None, decision.text))
        node[-1].tail = "."
    else:
        node.text += "."
    return node


def build_header(meta: SourceMeta, edition: EditionMeta, conversion: Conversion,
                 decisions: list[Decision], encoding_extras: list[etree._Element] = ()) -> etree._Element:
    title_stmt = el("titleStmt", None,
                    el("title", {"type": "main"}, meta.title),
                    [el("author", None, a) for a in meta.authors],
                    [el("respStmt", None, el("resp", None, "translated by"), el("name", None, t))
                     for t in meta.translators],
                    el("respStmt", None, el("resp", None, edition.encoder_role),
                       el("name", {"xml:id": ENCODER_ID}, edition.encoder)))
    availability = el("availability", {"status": "restricted"},
                      el("licence", {"target": edition.licence_url}, f"Encoding: {edition.licence}. ",
                         edition.licence_note),
                      el("p", None, "Rights in the source text, as the text states them: ", meta.rights))
    for notice in conversion.notices:
        if notice.where == "availability":
            availability.append(el("p", None, el("quote", {"source": "#" + SOURCE_ID}, notice.text)))
    publication = el("publicationStmt", None,
                     el("publisher", None, edition.publisher),
                     el("pubPlace", None, edition.pub_place),
                     el("date", {"when": edition.date}, edition.date),
                     el("idno", {"type": "slug"}, meta.slug),
                     availability)
    file_desc = el("fileDesc", None, title_stmt,
                   el("editionStmt", None, el("edition", None, f"{edition.title}, TEI P5 encoding")),
                   publication,
                   el("sourceDesc", None, _bibl(meta, conversion)))

    principles = dict(DEFAULT_PRINCIPLES)
    principles.update(conversion.principles)
    counts = Counter(d.kind for d in decisions)
    principles["interpretation"] += (
        f" This document: {counts[REMOVED]} removal(s), {counts[MOVED]} relocation(s), "
        f"{counts[REPAIRED]} repair(s), {counts[NOTED]} damaged passage(s) left as received."
    )
    parts = []
    for name in ("correction", "normalization", "quotation", "hyphenation", "segmentation", "interpretation"):
        attrs = {}
        if name == "quotation":
            attrs = {"marks": "all"}
        elif name == "hyphenation":
            attrs = {"eol": "none"}
        parts.append(el(name, attrs, el("p", None, principles.pop(name))))
    extra = [el("p", None, text) for _, text in sorted(principles.items())]
    encoding = el("encodingDesc", None,
                  el("projectDesc", None, el("p", None,
                     f"{edition.title}: the texts of the Soviet Left Opposition, encoded in TEI P5 with "
                     "registers of persons, places and organisations.")),
                  el("editorialDecl", None, *parts, *extra),
                  *encoding_extras,
                  el("appInfo", None, el("application", {"ident": "tei-edition", "version": __version__},
                                         el("label", None, edition.software))))
    lang_usage = el("langUsage", None, [el("language", {"ident": ident}, label) for ident, label in meta.languages])
    profile = el("profileDesc", None, lang_usage)
    revision = el("revisionDesc", None,
                  el("change", {"when": edition.date, "who": "#" + ENCODER_ID, "type": "created"},
                     f"Converted to TEI P5 from the received text {meta.file.name} by tei {__version__}."),
                  [_change(d, edition.date) for d in decisions])
    return el("teiHeader", None, file_desc, encoding, profile, revision)
