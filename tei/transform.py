"""TEI → reading edition (HTML), plain text and bibliographies, with the XSLT 3.0 stylesheets in ``transforms/``.

All markup is made by the stylesheets; this module only loads documents,
compiles each stylesheet once per run (saxonche), passes parameters, applies
the stylesheets to every document and writes the results atomically. The
outputs are deterministic: the same inputs give byte-identical files.

Layout of the outputs (``tei build`` writes all three under OUT/):

- ``html/``: ``index.html``, ``<slug>.html`` per document, ``persons.html``,
  ``places.html``, ``organisations.html`` (when registers have entries),
  ``bibliography.html`` (when there is anything to list), ``assets/``.
- ``text/``: ``<slug>.txt``.
- ``bibliography/``: ``<slug>.{html,txt,bib,json,ris}`` for each document
  that cites works, and ``edition.*`` for the consolidated bibliography.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence, Set as AbstractSet
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from .errors import UserError
from .paths import data_dir

if TYPE_CHECKING:
    from .workers import Meanwhile, Runner

STAMP_FILE = ".tei-transforms.json"

TEI_NS = "http://www.tei-c.org/ns/1.0"
FN_NS = "urn:x-tei-edition:functions"

#: bibliography format → file extension
BIBLIOGRAPHY_FORMATS: dict[str, str] = {"html": "html", "text": "txt", "bibtex": "bib", "csl-json": "json", "ris": "ris"}
#: names of the site's own pages, which a document's slug may not take
RESERVED_PAGES = frozenset({"index", "persons", "places", "organisations", "bibliography", "assets"})
#: what a slug may be: it names files (OUT/html/<slug>.html), so no folder separators, no leading dot
#: (nothing like "../x") and no control characters
SAFE_SLUG = re.compile(r"[^./\\\x00-\x1f\x7f][^/\\\x00-\x1f\x7f]*\Z")
#: the parts of the HTML site (html.xsl's $site-pages), which separate processes may make
SITE_PARTS = ("documents", "index", "registers", "bibliography")


@dataclass
class Document:
    """A TEI document loaded for transformation."""

    path: Path
    slug: str
    node: object  # saxonche PyXdmNode


#: where a stub's anchors go (html/stub.xsl)
ANCHORS_MARK = "<?tei-edition-anchors?>"


@dataclass(frozen=True)
class Stub:
    """What the pages of other documents need of a document (html/stub.xsl), its anchors apart: ``xml``
    holds ANCHORS_MARK where they go, ``anchors`` their ids. A batch's pages read only the anchors
    their own pointers can reach (``tei.outputs``): at scale the anchors are most of every stub."""

    slug: str
    xml: str
    anchors: tuple[str, ...]

    def text(self, keep: AbstractSet[str] | None = None) -> str:
        """The stub as XML, with every anchor or only those whose id is in ``keep``."""
        if keep is None:
            ids: Iterable[str] = self.anchors
        else:
            ids = [i for i in self.anchors if i in keep] if keep else ()
        return self.xml.replace(ANCHORS_MARK, "".join(f'<anchor xml:id="{html.escape(i)}"/>' for i in ids), 1)


class Transformer:
    """Holds one Saxon processor; compiles each stylesheet on first use and reuses it for every document."""

    def __init__(self, transforms_dir: Path | None = None) -> None:
        from saxonche import PySaxonProcessor

        self.transforms_dir = transforms_dir or data_dir("transforms")
        self._proc = PySaxonProcessor(license=False)
        # doc() in a stylesheet may read local files only: no network.
        self._proc.set_configuration_property("http://saxon.sf.net/feature/allowedProtocols", "file")
        self._xslt = self._proc.new_xslt30_processor()
        self._compiled: dict[str, object] = {}
        self.compilations = 0  # how many stylesheets were compiled (tests check: once each)
        self._keep: list[object] = []
        self._builder: object = None  # the builder of the last unkept parse (see _parse)

    # ------------------------------------------------------------------ loading

    def executable(self, name: str) -> object:
        """The compiled stylesheet ``transforms/<name>``, compiled once per Transformer."""
        if name not in self._compiled:
            path = self.transforms_dir / name
            if not path.is_file():
                raise UserError(f"stylesheet {name} not found", path, hint="the transforms/ folder is incomplete")
            try:
                self._compiled[name] = self._xslt.compile_stylesheet(stylesheet_file=str(path))
            except Exception as exc:  # saxonche raises PySaxonApiError
                raise UserError(f"stylesheet does not compile: {_first_line(exc)}", path) from None
            self.compilations += 1
        return self._compiled[name]

    def load(self, path: Path) -> Document:
        """Parse a TEI P5 file (clear errors for non-XML and non-TEI input) and find its slug."""
        path = Path(path)
        if not path.is_file():
            raise UserError("a folder, not a file" if path.is_dir() else "no such file", path,
                            hint="give the path of a TEI XML file")
        root = _safe_tree(path).getroot()
        if root.tag not in (f"{{{TEI_NS}}}TEI", f"{{{TEI_NS}}}teiCorpus"):
            raise UserError(f"not a TEI P5 document (root element {root.tag})", path, root.sourceline,
                            hint=f"the root must be TEI or teiCorpus in the namespace {TEI_NS}")
        node = self._stripped(self._parse(root, path, keep=False), path)
        slug = str(self.call("html.xsl", "slug", node))
        return Document(path, slug, node)

    def load_all(self, paths: Iterable[Path]) -> list[Document]:
        docs = [self.load(p) for p in paths]
        check_slugs([(doc.slug, doc.path) for doc in docs])
        return docs

    def load_stub(self, path: Path, stub: str) -> Document:
        """A document's stub (html/stub.xsl), read with the document's own base URI."""
        builder = self._proc.new_document_builder()
        builder.set_base_uri(Path(path).resolve().as_uri())
        node = builder.parse_xml(xml_text=stub)
        self._keep.append(builder)
        return Document(Path(path), str(self.call("html.xsl", "slug", node)), node)

    def stub(self, doc: Document, bibliography_ids: Sequence[str] = ()) -> Stub:
        """What the pages of other documents need of this one (html/stub.xsl); ``bibliography_ids``: the
        entries of the bibliography registers (the stub keeps the pointers to them)."""
        value = self.call("html.xsl", "stub", doc.node, self._strings(list(bibliography_ids)))
        xml, *anchors = [value.item_at(i).string_value for i in range(value.size)]
        return Stub(doc.slug, xml, tuple(anchors))

    def has_bibliography_register(self, registers: Sequence[object]) -> bool:
        """Do the registers hold bibliography entries (a consolidated bibliography)?"""
        value = self.call("html.xsl", "register-bib-entries", self._sequence(list(registers)))
        return value is not None and getattr(value, "size", 1) > 0

    def release(self) -> None:
        """Drop every document and value this Transformer holds (compiled stylesheets stay), so that a
        process making a large edition a batch at a time holds one batch, not all it has seen."""
        for ex in self._compiled.values():
            ex.clear_parameters()
            ex.set_initial_template_parameters(False, {})
        self._keep.clear()
        self._builder = None

    def load_registers(self, registers: Iterable[Path], stand_for: Sequence[Path] | None = None) -> list[object]:
        """Register files (TEI with listPerson/listPlace/listOrg/listBibl), parsed; bad ones are errors.
        ``stand_for``: the registers they are extracts of (their base URIs)."""
        registers = [Path(path) for path in registers]
        bases = [Path(path) for path in stand_for] if stand_for is not None else registers
        return [self._parse(_safe_tree(path, "register").getroot(), base) for path, base in zip(registers, bases)]

    def _parse(self, root: etree._Element, path: Path, keep: bool = True) -> object:
        """Saxon gets the safely parsed tree as text (no DOCTYPE: it never sees a DTD or an entity),
        with the file's base URI so relative links still resolve. ``keep=False``: the caller uses the
        node at once and drops it (only the stripped copy is kept)."""
        builder = self._proc.new_document_builder()
        builder.set_base_uri(path.resolve().as_uri())
        node = builder.parse_xml(xml_text=etree.tostring(root, encoding="unicode"))
        if keep:
            self._keep.append(builder)  # the node must not outlive its builder (Saxon raises NullPointerException)
        else:
            self._builder = builder  # alive until the next parse, long enough to strip the node
        return node

    def _stripped(self, node: object, path: Path) -> object:
        """The document without layout whitespace (common.xsl's xsl:strip-space), as every stylesheet
        sees it: Saxon would strip only a transformation's principal source, not its parameters."""
        ex = self.executable("strip.xsl")
        ex.set_base_output_uri(path.resolve().as_uri())  # the copy keeps the file's base URI
        try:
            value = ex.transform_to_value(xdm_node=node)
        except Exception as exc:
            raise UserError(f"cannot read the document: {_first_line(exc)}", path) from None
        self._keep.append(value)
        return value.head

    # ------------------------------------------------------------------ running

    def _sequence(self, items: Sequence[object]) -> object:
        # saxonche frees the items of a sequence with the sequence: every value
        # passed to a stylesheet is kept alive as long as the Transformer.
        seq = self._proc.empty_sequence()
        for item in items:
            seq.add_xdm_item(item)
        self._keep.append(seq)
        return seq

    def _strings(self, values: Sequence[str]) -> object:
        return self._sequence([self._proc.make_string_value(v) for v in values])

    def call(self, stylesheet: str, function: str, *args: object) -> object:
        """Call a function of common.xsl (namespace urn:x-tei-edition:functions) through a compiled stylesheet."""
        ex = self.executable(stylesheet)
        # Parameters left from an earlier transformation would refer to values saxonche may have freed
        # (a NullPointerException on the next call): a function needs none.
        ex.clear_parameters()
        return ex.call_function_returning_value(f"{{{FN_NS}}}{function}", list(args))

    def _set(self, ex: object, params: dict[str, object]) -> None:
        ex.clear_parameters()
        for name, value in params.items():
            if isinstance(value, str):
                value = self._proc.make_string_value(value)
            self._keep.append(value)
            ex.set_parameter(name, value)

    def _run(self, ex: object, what: str, *, node: object) -> str:
        try:
            out = ex.transform_to_string(xdm_node=node)
        except Exception as exc:
            raise UserError(f"transformation failed: {_first_line(exc)}", what) from None
        return out or ""

    # ------------------------------------------------------------------ outputs

    def html(self, docs: Sequence[Document], registers: Sequence[object] = (), *, site_title: str = "Reading edition",
             tei_href: str = "", text_href: str = "", bibliography_href: str = "",
             bibliography_slugs: Sequence[str] = (), pages: Sequence[str] = SITE_PARTS) -> dict[str, bytes]:
        """The reading edition: one page per document, the home page, register and bibliography pages, assets
        (``pages`` chooses among them: see SITE_PARTS; the assets come with 'index')."""
        with tempfile.TemporaryDirectory(prefix="tei-site-") as folder:
            names = self.site(docs, registers, Path(folder), site_title=site_title, tei_href=tei_href,
                              text_href=text_href, bibliography_href=bibliography_href,
                              bibliography_slugs=bibliography_slugs, pages=pages)
            files = {name: (Path(folder) / name).read_bytes() for name in names}
        files.update(site_assets(self.transforms_dir) if "index" in pages else {})
        return files

    def site(self, docs: Sequence[Document], registers: Sequence[object], folder: Path, *,
             site_title: str = "Reading edition", tei_href: str = "", text_href: str = "",
             bibliography_href: str = "", bibliography_slugs: Sequence[str] = (), pages: Sequence[str] = SITE_PARTS,
             mention_slots: bool = False) -> list[str]:
        """html.xsl's ``site`` template: the chosen parts written into ``folder`` in one transformation, so
        its indexes and global variables are built once; returns the names of the files, relative to
        ``folder``. ``docs`` may hold stubs (no pages are made for them); ``mention_slots`` makes the
        register pages skeletons with a slot for each entry's mentions (tei.outputs fills them), and
        'mentions' in ``pages`` writes the documents' lists of mentions (~mentions)."""
        ex = self.executable("html.xsl")
        self._set(ex, {
            "site-pages": self._strings(list(pages)),
            "documents": self._sequence([d.node for d in docs]),
            "registers": self._sequence(list(registers)),
            "site-title": site_title, "tei-href": tei_href, "text-href": text_href,
            "bibliography-href": bibliography_href, "bibliography-slugs": self._strings(list(bibliography_slugs)),
            "mention-slots": self._proc.make_boolean_value(mention_slots),
        })
        folder.mkdir(parents=True, exist_ok=True)
        ex.set_base_output_uri(folder.resolve().as_uri() + "/")  # where xsl:result-document writes
        return self._strings_of(ex, "the HTML site", "site", {})

    def text(self, docs: Sequence[Document]) -> dict[str, bytes]:
        """One plain-text file per document."""
        ex = self.executable("text.xsl")
        self._set(ex, {})
        return {f"{doc.slug}.txt": self._run(ex, str(doc.path), node=doc.node).encode() for doc in docs}

    def cites_works(self, doc: Document) -> bool:
        """Does the document cite any work (listBibl entries, or bibl/biblStruct in its text)?"""
        value = self.call("bibliography.xsl", "bib-entries", doc.node)
        return value is not None and getattr(value, "size", 1) > 0

    def bibliography(self, docs: Sequence[Document], formats: Sequence[str], registers: Sequence[object] = (), *,
                     consolidated: bool = False, site_title: str = "Bibliography",
                     per_document: bool = True) -> dict[str, bytes]:
        """Each document's works cited in each format (unless not ``per_document``); with ``consolidated``,
        ``edition.*`` for all of them (from the registers' bibliography, else from ``docs``)."""
        unknown = [f for f in formats if f not in BIBLIOGRAPHY_FORMATS]
        if unknown:
            raise UserError(f"unknown bibliography format {', '.join(unknown)}",
                            hint="formats: " + ", ".join(BIBLIOGRAPHY_FORMATS))
        ex = self.executable("bibliography.xsl")
        files: dict[str, bytes] = {}
        citing = [d for d in docs if self.cites_works(d)] if per_document else []
        self._set(ex, {"formats": self._strings(list(formats)), "documents": self._sequence([d.node for d in docs]),
                       "registers": self._sequence(list(registers)), "site-title": site_title})
        targets = [(d.slug, str(d.path), d.node) for d in citing]
        if consolidated:
            targets.append(("edition", "consolidated bibliography", None))
        for name, what, node in targets:
            # always set (saxonche keeps the previous call's template parameters otherwise)
            outputs = self._strings_of(ex, what, "all-formats", {"document": node if node is not None else self._sequence([])})
            for fmt, text in zip(formats, outputs):
                files[f"{name}.{BIBLIOGRAPHY_FORMATS[fmt]}"] = text.encode()
        return files

    def _strings_of(self, ex: object, what: str, template: str, params: dict[str, object]) -> list[str]:
        """A named template's result as a list of strings (raw sequence, not a serialized document)."""
        ex.set_initial_template_parameters(False, params)
        ex.set_result_as_raw_value(True)
        try:
            value = ex.call_template_returning_value(template)
        except Exception as exc:
            raise UserError(f"transformation failed: {_first_line(exc)}", what) from None
        finally:
            ex.set_result_as_raw_value(False)
        return [] if value is None else [value.item_at(i).string_value for i in range(value.size)]


def site_assets(transforms_dir: Path | None = None) -> dict[str, bytes]:
    """The site's stylesheet and script (transforms/assets), keyed by their path in the site."""
    folder = (transforms_dir or data_dir("transforms")) / "assets"
    return {f"assets/{asset.name}": asset.read_bytes() for asset in sorted(folder.iterdir()) if asset.is_file()}


def check_slugs(slugs: Iterable[tuple[str, Path]]) -> None:
    """Each document's slug names its files: it must be usable as a file name, not a page of the
    site, and unique."""
    seen: dict[str, Path] = {}
    for slug, path in slugs:
        if not SAFE_SLUG.match(slug):
            raise UserError(f"document slug '{slug}' cannot name a file", path,
                            hint="a slug (idno type='slug', else the file name) may not contain '/' or '\\', "
                                 "start with '.' or hold control characters")
        if slug in RESERVED_PAGES:
            raise UserError(f"document slug '{slug}' is the name of a page of the site", path,
                            hint="give the document another idno type='slug' or file name")
        if slug in seen:
            raise UserError(f"two documents have the slug '{slug}' (also {seen[slug]})", path,
                            hint="slugs (idno type='slug', else the file name) must be unique")
        seen[slug] = path


def _safe_tree(path: Path, what: str = "file") -> etree._ElementTree:
    """Parse with the project's safe parser; refuse entity declarations (billion laughs, external
    entities) with a message; an external DTD is simply never read."""
    from .validation import safe_parser

    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UserError(f"cannot read {what}: {exc.strerror or exc}", path) from None
    try:
        tree = etree.fromstring(raw, safe_parser(), base_url=str(path)).getroottree()
    except etree.XMLSyntaxError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        raise UserError(f"not well-formed XML: {exc.msg}", path, line, hint="fix the XML and run again") from None
    dtd = tree.docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise UserError("the DOCTYPE declares entities: refused (entities and DTDs are never processed)", path, 1,
                        hint="replace the entities with the characters they stand for")
    if any(True for _ in tree.getroot().iter(etree.Entity)):
        raise UserError("entity references cannot be resolved: DTDs are not loaded", path,
                        hint="use the characters themselves or numeric character references")
    return tree


def _first_line(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return text[:400]


def write_files(out: Path, files: dict[str, bytes]) -> list[Path]:
    """Write every output atomically (unchanged files are left alone), in a stable order."""
    from .build import write_atomic

    written = []
    for name in sorted(files):
        path = out / name
        try:
            if path.read_bytes() == files[name]:
                continue
        except OSError:
            pass
        write_atomic(path, files[name])
        written.append(path)
    return written


def register_files(registers_dir: Path | None) -> list[Path]:
    """The register files of a folder (sorted), or none when there is no such folder."""
    if registers_dir is None or not registers_dir.is_dir():
        return []
    return sorted(p for p in registers_dir.glob("*.xml") if p.is_file())


def edition_outputs(tei_files: Sequence[Path], registers: Sequence[Path] = (), *, site_title: str = "Reading edition",
                    progress: Callable[[str], None] = lambda _m: None, jobs: int = 1,
                    meanwhile: Meanwhile | None = None) -> dict[str, bytes]:
    """Every output of an edition, keyed by its path under OUT: html/…, text/…, bibliography/…
    (made a batch at a time by tei.outputs, then read back: for editions that fit in memory)."""
    import tempfile

    from .outputs import Settings, stage_edition

    with tempfile.TemporaryDirectory(prefix="tei-outputs-") as tmp:
        staging = Path(tmp)
        names = stage_edition(staging, tei_files, Settings(tuple(registers), site_title), jobs=jobs,
                              progress=progress, meanwhile=meanwhile)
        return {name: (staging / name).read_bytes() for name in names}


def transform_edition(out: Path, tei_files: Sequence[Path], registers: Sequence[Path] = (), *,
                      site_title: str = "Reading edition", progress: Callable[[str], None] = lambda _m: None,
                      jobs: int = 1, meanwhile: Meanwhile | None = None, workers: Runner | None = None) -> list[str]:
    """All outputs of a build: OUT/html/, OUT/text/, OUT/bibliography/ from TEI files; returns their names.

    Every output is made in a staging folder in OUT before any is moved into
    place, so a failing stylesheet leaves the previous outputs as they were.
    """
    from .outputs import STAGING, Settings, publish, stage_edition

    staging = out / STAGING
    shutil.rmtree(staging, ignore_errors=True)  # left by an interrupted run
    try:
        names = stage_edition(staging, tei_files, Settings(tuple(registers), site_title), jobs=jobs,
                              progress=progress, meanwhile=meanwhile, workers=workers)
        publish(staging, out, names)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return names


def transform_build(out: Path, sources_dir: Path, registers_dir: Path | None, site_title: str,
                    progress: Callable[[str], None] = lambda _m: None, use_cache: bool = True, jobs: int = 1,
                    meanwhile: Meanwhile | None = None, workers: Runner | None = None) -> dict[str, int]:
    """The transform step of ``tei build``: the edition's documents in OUT/tei (in the order of the sources).

    Skipped when its inputs (TEI files, registers, the consolidated
    bibliography, the stylesheets and assets, the toolkit's code, the title) are the same as
    at the last run
    and its outputs are still there (fingerprint and list of outputs in
    OUT/.tei-transforms.json). Outputs it wrote before and no longer makes are
    removed; files it did not write are never touched.
    """
    from .build import write_atomic
    from .cache import code_fingerprint
    from .metadata import discover

    tei_dir = out / "tei"
    # the edition's documents only (other files someone put in OUT/tei are not ours to read)
    files = [tei_dir / f"{m.slug}.xml" for m in discover(sources_dir) if (tei_dir / f"{m.slug}.xml").is_file()]
    registers = register_files(registers_dir)
    consolidated = out / "bibliography" / "edition-bibliography.xml"
    if consolidated.is_file():
        registers.append(consolidated)
    # the toolkit's code whole (not only this module and tei/outputs.py: a helper they call may change
    # a page) and the stylesheets and assets make the outputs
    digest = hashlib.sha256(site_title.encode() + b"\0" + code_fingerprint().encode())
    for path in [*files, *registers, *sorted(p for p in data_dir("transforms").rglob("*") if p.is_file())]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    stamp_path = out / STAMP_FILE
    before = _stamp(stamp_path)
    written = before.get("written") or []
    if use_cache and before.get("inputs") == digest.hexdigest() and written and all((out / n).is_file() for n in written):
        progress("transform (unchanged, skipped)")
        if meanwhile:
            from .workers import Runner

            with Runner(jobs) if workers is None else nullcontext(workers) as run:
                finish = meanwhile(run)
                if finish:
                    finish()
        return {}
    outputs = transform_edition(out, files, registers, site_title=site_title, progress=progress, jobs=jobs,
                                meanwhile=meanwhile, workers=workers)
    for name in sorted(set(written) - set(outputs)):
        if "/" in name and not name.startswith(("/", "..")):
            (out / name).unlink(missing_ok=True)
    stamp = {"inputs": digest.hexdigest(), "written": sorted(outputs)}
    write_atomic(stamp_path, (json.dumps(stamp, indent=1) + "\n").encode())
    return dict(Counter(name.split("/", 1)[0] for name in outputs))


def _stamp(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}
