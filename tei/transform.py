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
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from .errors import UserError
from .paths import data_dir

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
            raise UserError("no such file", path, hint="give the path of a TEI XML file")
        root = _safe_tree(path).getroot()
        if root.tag not in (f"{{{TEI_NS}}}TEI", f"{{{TEI_NS}}}teiCorpus"):
            raise UserError(f"not a TEI P5 document (root element {root.tag})", path, root.sourceline,
                            hint=f"the root must be TEI or teiCorpus in the namespace {TEI_NS}")
        node = self._stripped(self._parse(root, path, keep=False), path)
        slug = str(self.call("html.xsl", "slug", node))
        return Document(path, slug, node)

    def load_all(self, paths: Iterable[Path]) -> list[Document]:
        docs = [self.load(p) for p in paths]
        seen: dict[str, Path] = {}
        for doc in docs:
            if not SAFE_SLUG.match(doc.slug):
                raise UserError(f"document slug '{doc.slug}' cannot name a file", doc.path,
                                hint="a slug (idno type='slug', else the file name) may not contain '/' or '\\', "
                                     "start with '.' or hold control characters")
            if doc.slug in RESERVED_PAGES:
                raise UserError(f"document slug '{doc.slug}' is the name of a page of the site", doc.path,
                                hint="give the document another idno type='slug' or file name")
            if doc.slug in seen:
                raise UserError(f"two documents have the slug '{doc.slug}' (also {seen[doc.slug]})", doc.path,
                                hint="slugs (idno type='slug', else the file name) must be unique")
            seen[doc.slug] = doc.path
        return docs

    def load_registers(self, registers: Iterable[Path]) -> list[object]:
        """Register files (TEI with listPerson/listPlace/listOrg/listBibl), parsed; bad ones are errors."""
        return [self._parse(_safe_tree(Path(path), "register").getroot(), Path(path)) for path in registers]

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
        ex = self.executable("html.xsl")
        self._set(ex, {
            "site-pages": self._strings(list(pages)),
            "documents": self._sequence([d.node for d in docs]),
            "registers": self._sequence(list(registers)),
            "site-title": site_title, "tei-href": tei_href, "text-href": text_href,
            "bibliography-href": bibliography_href, "bibliography-slugs": self._strings(list(bibliography_slugs)),
        })
        files: dict[str, bytes] = {}
        # one transformation for the whole site: its indexes and global variables are built once
        site = self._strings_of(ex, "the HTML site", "site", {})
        for name, page in zip(site[::2], site[1::2]):
            files[name] = page.encode()
        for asset in sorted((self.transforms_dir / "assets").iterdir()) if "index" in pages else ():
            if asset.is_file():
                files[f"assets/{asset.name}"] = asset.read_bytes()
        return files

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
                     consolidated: bool = False, site_title: str = "Bibliography") -> dict[str, bytes]:
        """Each document's works cited in each format; with ``consolidated``, ``edition.*`` for all of them."""
        unknown = [f for f in formats if f not in BIBLIOGRAPHY_FORMATS]
        if unknown:
            raise UserError(f"unknown bibliography format {', '.join(unknown)}",
                            hint="formats: " + ", ".join(BIBLIOGRAPHY_FORMATS))
        ex = self.executable("bibliography.xsl")
        files: dict[str, bytes] = {}
        citing = [d for d in docs if self.cites_works(d)]
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


#: how ``edition_outputs`` splits the work between processes: (output, HTML parts), heaviest first
PARTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("html", ("registers",)), ("html", ("documents", "index", "bibliography")), ("bibliography", ()), ("text", ()))


def edition_outputs(tei_files: Sequence[Path], registers: Sequence[Path] = (), *, site_title: str = "Reading edition",
                    progress: Callable[[str], None] = lambda _m: None,
                    transformer: Transformer | None = None, jobs: int = 1,
                    meanwhile: Callable[[], None] | None = None) -> dict[str, bytes]:
    """Every output of an edition, keyed by its path under OUT: html/…, text/…, bibliography/…

    With ``jobs`` > 1 the parts in PARTS run in that many processes (each
    compiles the stylesheets it needs once and reads the documents once);
    ``meanwhile`` runs in this process while they work (the build validates then); the workers
    make their own Transformer, so ``transformer`` serves ``jobs`` = 1 only.
    """
    if jobs > 1:
        return _parallel_outputs(list(tei_files), list(registers), site_title, progress, jobs, meanwhile)
    if meanwhile:
        meanwhile()
    tr = transformer or Transformer()
    docs = tr.load_all(tei_files)
    regs = tr.load_registers(registers)
    files: dict[str, bytes] = {}
    for output, pages in (("bibliography", ()), ("text", ()), ("html", SITE_PARTS)):
        progress(f"transform {output}")
        files.update(_part(tr, docs, regs, output, pages, site_title))
    return files


def _part(tr: Transformer, docs: list[Document], regs: list[object], output: str, pages: Sequence[str],
          site_title: str) -> dict[str, bytes]:
    """One output (or part of the HTML site), keyed by its path under OUT."""
    if output == "bibliography":
        files = tr.bibliography(docs, list(BIBLIOGRAPHY_FORMATS), regs, consolidated=True, site_title=site_title)
    elif output == "text":
        files = tr.text(docs)
    else:
        # the files the bibliography output has (its html links to them): every citing document's, and the edition's
        slugs = sorted([d.slug for d in docs if tr.cites_works(d)] + ["edition"])
        files = tr.html(docs, regs, site_title=site_title, tei_href="../tei/", text_href="../text/",
                        bibliography_href="../bibliography/", bibliography_slugs=slugs, pages=pages)
    return {f"{output}/{name}": data for name, data in files.items()}


_LOADED: dict[tuple, tuple[Transformer, list[Document], list[object]]] = {}


def _part_in_worker(tei_files: list[Path], registers: list[Path], output: str, pages: tuple[str, ...],
                    site_title: str) -> dict[str, bytes]:
    # a worker given several parts reads the documents and compiles the stylesheets once
    key = (tuple(tei_files), tuple(registers))
    if key not in _LOADED:
        _LOADED.clear()
        tr = Transformer()
        _LOADED[key] = (tr, tr.load_all(tei_files), tr.load_registers(registers))
    tr, docs, regs = _LOADED[key]
    return _part(tr, docs, regs, output, pages, site_title)


def _parallel_outputs(tei_files: list[Path], registers: list[Path], site_title: str,
                      progress: Callable[[str], None], jobs: int,
                      meanwhile: Callable[[], None] | None) -> dict[str, bytes]:
    import concurrent.futures
    import multiprocessing

    # spawn, not fork: Saxon (a GraalVM isolate with its own threads) may already run in this process
    context = multiprocessing.get_context("spawn")
    files: dict[str, bytes] = {}
    with concurrent.futures.ProcessPoolExecutor(min(jobs, len(PARTS)), mp_context=context) as pool:
        futures = [pool.submit(_part_in_worker, tei_files, registers, output, pages, site_title)
                   for output, pages in PARTS]
        progress(f"transform html, text and bibliography ({min(jobs, len(PARTS))} processes)")
        if meanwhile:
            meanwhile()
        for future in futures:
            files.update(future.result())  # a UserError in a worker is raised here, with its message
    return dict(sorted(files.items()))


def transform_edition(out: Path, tei_files: Sequence[Path], registers: Sequence[Path] = (), *,
                      site_title: str = "Reading edition", progress: Callable[[str], None] = lambda _m: None,
                      transformer: Transformer | None = None) -> dict[str, int]:
    """All outputs of a build: OUT/html/, OUT/text/, OUT/bibliography/ from TEI files.

    Every output is computed before any is written, so a failing stylesheet
    leaves the previous outputs in place. Returns the number of files per folder.
    """
    files = edition_outputs(tei_files, registers, site_title=site_title, progress=progress, transformer=transformer)
    write_files(out, files)
    return dict(Counter(name.split("/", 1)[0] for name in files))


def transform_build(out: Path, sources_dir: Path, registers_dir: Path | None, site_title: str,
                    progress: Callable[[str], None] = lambda _m: None, use_cache: bool = True, jobs: int = 1,
                    meanwhile: Callable[[], None] | None = None) -> dict[str, int]:
    """The transform step of ``tei build``: the edition's documents in OUT/tei (in the order of the sources).

    Skipped when its inputs (TEI files, registers, the consolidated
    bibliography, the stylesheets, the title) are the same as at the last run
    and its outputs are still there (fingerprint and list of outputs in
    OUT/.tei-transforms.json). Outputs it wrote before and no longer makes are
    removed; files it did not write are never touched.
    """
    from .build import write_atomic
    from .metadata import discover

    tei_dir = out / "tei"
    # the edition's documents only (other files someone put in OUT/tei are not ours to read)
    files = [tei_dir / f"{m.slug}.xml" for m in discover(sources_dir) if (tei_dir / f"{m.slug}.xml").is_file()]
    registers = register_files(registers_dir)
    consolidated = out / "bibliography" / "edition-bibliography.xml"
    if consolidated.is_file():
        registers.append(consolidated)
    digest = hashlib.sha256(site_title.encode())
    for path in [*files, *registers, *sorted(p for p in data_dir("transforms").rglob("*") if p.is_file())]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    stamp_path = out / STAMP_FILE
    before = _stamp(stamp_path)
    written = before.get("written") or []
    if use_cache and before.get("inputs") == digest.hexdigest() and written and all((out / n).is_file() for n in written):
        progress("transform (unchanged, skipped)")
        if meanwhile:
            meanwhile()
        return {}
    outputs = edition_outputs(files, registers, site_title=site_title, progress=progress, jobs=jobs, meanwhile=meanwhile)
    write_files(out, outputs)
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
