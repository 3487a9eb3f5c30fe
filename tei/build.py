"""The build: sources → cleaned text → TEI tree → checked file, for every document.

Each document is staged in OUT/.tei-converted as soon as it is converted (a
large corpus is never held in memory); the files move into OUT/tei only when
every document succeeded and passed the word check, so a failed or
interrupted build never leaves half-written output.
"""

from __future__ import annotations

import gc
import hashlib
import json
import multiprocessing
import os
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from lxml import etree

from . import converters
from .cleaning import CleanText, clean
from .consolidation import Citation, Summary, citations, consolidate_citations
from .consolidation import to_tei as consolidation_tei
from .converters.base import Conversion
from .decisions import Decision
from .entities import (Evaluation, Matcher, Registers, Tagger, TaggingResult, document_mentions, evaluate,
                       load_decisions, load_registers, prefix_defs)
from .paths import data_dir, size_or_zero
from .errors import UserError
from .header import build_header
from .ingest import read_source
from .metadata import DEFAULT_SOURCES, EditionMeta, SourceMeta, discover, load_edition, verify_checksum
from .outputs import early_workers, start_early
from .validation import install_schemas
from .teixml import assign_ids, check_unique_ids, el, to_bytes
from .cache import BuildCache
from .citations import helper_process
from .wordcheck import WordCheck, check
from .workers import Runner

#: where each document's TEI waits (in OUT) until every document is built and checked
STAGE = ".tei-converted"
#: how the build validates what it writes (``validation.worker_checkers`` arguments: schemas, engine, phase)
VALIDATION: tuple[tuple[str, ...], str, str | None] = ((), "lxml", None)
SCHEMA_PIS = (
    '<?xml-model href="../schemas/tei-edition.rng" type="application/xml" '
    'schematypens="http://relaxng.org/ns/structure/1.0"?>',
    '<?xml-model href="../schemas/tei-edition.sch" type="application/xml" '
    'schematypens="http://purl.oclc.org/dsdl/schematron"?>',
)


@dataclass
class DocumentResult:
    """What the build keeps of a document: its report, and its bytes or where they are (picklable, no
    tree). A build stages each document's bytes on disk as it is converted: a large corpus is not held."""

    meta: SourceMeta
    decisions: list[Decision]
    words: WordCheck
    entities: TaggingResult | None = None
    cached: bool = False
    data: bytes | None = None     # in memory (a conversion without an output folder)…
    path: Path | None = None      # …or staged or built on disk
    sha256: str = ""
    # what the edition-wide files need of it, found while its tree was at hand (None: read the file)
    citations: list[Citation] | None = None
    mentions: dict[str, str] | None = None

    @property
    def filename(self) -> str:
        return f"{self.meta.slug}.xml"

    @cached_property
    def tree(self) -> etree._Element:
        return self.parse()

    def parse(self) -> etree._Element:
        """A fresh tree of the document (not kept: the build reads a large corpus one document at a time)."""
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
        if self.data is not None:
            return etree.fromstring(self.data, parser)
        return etree.parse(str(self.path), parser).getroot()


@dataclass
class BuildReport:
    documents: list[DocumentResult] = field(default_factory=list)
    names: Evaluation | None = None   # tagging measured against the hand-annotated excerpts
    bibliography: Summary | None = None   # of the consolidated bibliography
    validation: dict | None = None    # the build's check of its own output

    def lines(self) -> list[str]:
        out = []
        for doc in self.documents:
            kinds = Counter(d.kind for d in doc.decisions)
            rules = Counter(d.rule for d in doc.decisions)
            out.append(f"{doc.filename}: " + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
                       + (" (" + ", ".join(f"{r} ×{n}" for r, n in sorted(rules.items())) + ")" if rules else ""))
            out.append(f"  {doc.words.summary()}")
            if doc.entities:
                k = doc.entities.kinds
                out.append(f"  names: {k['person']} person, {k['place']} place, {k['org']} organisation mention(s); "
                           f"{len(doc.entities.unresolved)} ambiguous left unmarked (see `tei entities report`)")
        if self.names:
            out.append(f"names against hand annotation (registers/evaluation): {self.names.summary()}")
        if self.bibliography:
            out.extend(self.bibliography.lines)
        if self.validation:
            out.append(f"validation: {self.validation['summary']}")
            out.extend(f"  {line}" for line in self.validation["errors"][:10])
            if len(self.validation["errors"]) > 10:
                out.append(f"  … {len(self.validation['errors']) - 10} more (tei validate OUT for all)")
        return out

    def as_json(self) -> dict:
        return {
            "names_evaluation": {
                "precision": round(self.names.precision, 4), "recall": round(self.names.recall, 4),
                "gold": self.names.gold, "found": self.names.true_positive, "marked": self.names.predicted,
            } if self.names else None,
            "validation": self.validation,
            "bibliography": self.bibliography.as_json() if self.bibliography else None,
            "documents": [
                {
                    "file": doc.filename,
                    "source": doc.meta.file.name,
                    "decisions": [
                        {"kind": d.kind, "rule": d.rule, "line": d.line, "description": d.description, "text": d.text}
                        for d in doc.decisions
                    ],
                    "words": {
                        "source": doc.words.source_words, "tei": doc.words.tei_words,
                        "moved_passages": doc.words.moved_passages, "removed_by_decision": doc.words.explained_words,
                        "lost": sum(doc.words.lost.values()), "added": sum(doc.words.added.values()),
                    },
                    "names": dict(sorted(doc.entities.kinds.items())) if doc.entities else {},
                    "ambiguous_unmarked": len(doc.entities.unresolved) if doc.entities else 0,
                }
                for doc in self.documents
            ]
        }


@dataclass
class Prepared:
    """A document converted but not yet tagged: tagging needs evidence from every document."""

    meta: SourceMeta
    cleaned: CleanText
    conversion: Conversion
    decisions: list[Decision]


def prepare_document(meta: SourceMeta) -> Prepared:
    source = read_source(meta.file)
    verify_checksum(meta, meta.file.read_bytes())
    module = converters.get(meta.converter, str(meta.meta_path))
    cleaned = clean(source.text, module.PROFILE)
    conversion: Conversion = module.convert(cleaned, meta)
    decisions = sorted(cleaned.decisions + conversion.decisions, key=lambda d: (d.line or 0, d.rule))
    assign_ids(conversion.text)
    return Prepared(meta, cleaned, conversion, decisions)


def finish_document(prepared: Prepared, edition: EditionMeta, tagger: Tagger | None = None,
                    stage: Path | None = None) -> DocumentResult:
    """Names, header, checks and bytes for a prepared document; with ``stage``, the bytes are written
    there (under the document's file name) instead of kept."""
    meta, conversion, decisions = prepared.meta, prepared.conversion, prepared.decisions
    entities = tagger.tag(conversion.text, meta.slug) if tagger else None
    if entities:
        entities.mentions.clear()  # the file keeps them (each name's @ref): MentionLists reads them back
    header = build_header(meta, edition, conversion, decisions, [prefix_defs()] if tagger else [])
    root = el("TEI", {"xml:lang": meta.language}, header, conversion.text)
    dupes = check_unique_ids(root)
    if dupes:
        raise UserError(f"converter produced duplicate xml:id(s): {', '.join(sorted(set(dupes))[:5])}", meta.file)
    words = check(prepared.cleaned.text, root, conversion.decisions)
    data = to_bytes(root, SCHEMA_PIS)  # indents the tree in place: it is now the file's tree
    result = DocumentResult(meta, decisions, words, entities, sha256=hashlib.sha256(data).hexdigest())
    result.citations = citations(result.filename, root)
    result.mentions = MentionLists.of_document(result.filename, root) if tagger else {}
    if stage is None:
        result.data = data
    else:
        result.path = stage / result.filename
        write_atomic(result.path, data)
    return result


def learn_evidence(metas: list[SourceMeta], tagger: Tagger | None, cache: BuildCache | None = None,
                   jobs: int = 1, run: Runner | None = None) -> dict[str, dict[str, int]]:
    """Counts of unambiguous name mentions per document, from the received texts (cheap: no
    cleaning), so that every document's tagging can use the whole edition's evidence. Every text is
    read and checked against its metadata here, before anything is converted. ``run``: the
    conversion's workers, when they already exist (see ``convert_documents``). Returns every
    document's counts, by slug (what the tagger learned)."""
    todo: list[tuple[SourceMeta, str | None]] = []
    counted: dict[str, dict[str, int]] = {}
    for meta in metas:
        try:
            key, counts = cache.evidence(meta) if cache and tagger else (None, None)
        except OSError:
            key, counts = None, None  # unreadable: read_source will say what is wrong
        if counts is None:
            todo.append((meta, key))
            continue
        _check_source(meta)  # still read and checked: a text must not go bad unnoticed
        tagger.remember(counts, meta.slug)
        counted[meta.slug] = dict(counts)
    # fork: the workers share the compiled matcher with this process
    with nullcontext(run) if run else Runner(min(jobs, len(todo)), method="fork", initializer=_init_worker,
                                             initargs=(None, tagger, None)) as pool:
        results = pool.start([(_read_evidence, (meta,)) for meta, _ in todo])
        if run is None:
            for meta, _ in todo:
                # while the workers count: the converters of the texts whose evidence is counted (new or
                # changed texts, which will be converted), imported once here for the conversion's forked
                # workers (the thesis's took 0.1 s in its worker)
                converters.get(meta.converter, str(meta.meta_path))
        for (meta, key), counts in zip(todo, results()):
            counted[meta.slug] = dict(counts)
            if tagger:
                tagger.remember(counts, meta.slug)
            if cache and tagger:
                cache.new_evidence[meta.slug] = {"key": key, "counts": dict(tagger.per_document[meta.slug])}
    return counted


def _check_source(meta: SourceMeta) -> str:
    """The received text, once it is known to be readable and to match its metadata's checksum."""
    source = read_source(meta.file)
    verify_checksum(meta, meta.file.read_bytes())
    return source.text


def _read_evidence(meta: SourceMeta) -> Counter:
    """A worker's task: the text checked, and its name evidence if there are registers."""
    text = _check_source(meta)
    tagger = _WORKER.get("tagger")
    return tagger.evidence(text) if tagger else Counter()


def convert_documents(metas: list[SourceMeta], edition: EditionMeta, tagger: Tagger | None,
                      progress: Callable[[str], None] = lambda _msg: None, jobs: int = 1,
                      cache: BuildCache | None = None, stage: Path | None = None,
                      meanwhile: Callable[[], None] | None = None) -> list[DocumentResult]:
    """Every document through every stage before writing; unchanged ones come from the cache. With
    ``stage``, each document's bytes are written there as it is done (see ``finish_document``).
    ``meanwhile`` is called, if there is anything to convert, once a worker is free: when only the
    longest document is left (at once in one process, or with fewer documents than processes)."""
    progress(f"read {len(metas)} text(s), count the name evidence")
    first = _convert_first(metas, tagger, cache, jobs, stage)
    early: Runner | None = None
    if first is not None:
        # the longest text is most of the conversion (the thesis at ×1): its worker reads, cleans and
        # converts it while the others count the edition's name evidence, which its tagging waits for
        ready = multiprocessing.get_context("fork").Event()
        shared = stage / EVIDENCE_FILE
        early = Runner(min(jobs, max(2, len(metas))), method="fork", initializer=_init_worker,
                       initargs=(edition, tagger, stage, (ready, shared)))
    with early or nullcontext():
        started = early.start([(_work_alone, (first,))]) if early else None
        counted = learn_evidence(metas, tagger, cache, jobs, run=early)
        if early:
            write_atomic(shared, json.dumps(counted, sort_keys=True).encode())
            ready.set()
        results: dict[str, DocumentResult] = {}
        todo = []
        for meta in metas:
            hit = cache.lookup(meta, tagger) if cache else None
            if hit:
                progress(f"cached   {meta.slug}")
                results[meta.slug] = hit
            elif meta is not first:
                todo.append(meta)
        todo.sort(key=lambda m: -m.file.stat().st_size)  # the longest first: the workers finish together
        todo = [first, *todo] if first else todo
        processes = early.processes if early else min(jobs, len(todo))
        progress(f"convert {len(todo)} document(s) in {max(processes, 1)} process(es)")
        # fork: the workers share the compiled matcher with this process (no Saxon runs here yet)
        with nullcontext(early) if early else Runner(processes, method="fork", initializer=_init_worker,
                                                     initargs=(edition, tagger, stage)) as run:
            # the conversion's workers are forked before ``meanwhile`` starts other processes
            longest = started or run.start([(_work, (m,)) for m in todo[:1]])
            others = run.start([(_work, (m,)) for m in todo[1:]])
            free_at_once = len(todo) < max(processes, 2)  # this process converts, or a worker has nothing to do
            if todo and meanwhile and free_at_once:
                meanwhile()
            others_done = others()
            if todo and meanwhile and not free_at_once:
                meanwhile()  # only the longest is still being converted: a worker is free
            for meta, result in zip(todo, longest() + others_done):
                progress(f"built    {meta.slug}")
                results[meta.slug] = result
    return [results[m.slug] for m in metas]


#: in the stage folder: the edition's name evidence, for workers forked before it was counted
EVIDENCE_FILE = ".evidence.json"


def _convert_first(metas: list[SourceMeta], tagger: Tagger | None, cache: BuildCache | None, jobs: int,
                   stage: Path | None) -> SourceMeta | None:
    """The text to start converting before the name evidence is counted: the longest, when it takes more
    than an even share of the processes (every core would otherwise convert to the end, and counting
    the evidence on fewer of them would be slower) and is sure to be converted (the cache has nothing
    for it); else None."""
    if jobs < 2 or stage is None or tagger is None or not metas:
        return None
    sizes = [size_or_zero(m.file) for m in metas]
    longest = max(range(len(metas)), key=lambda i: (sizes[i], -i))
    if sizes[longest] * jobs <= sum(sizes) or (cache and metas[longest].slug in cache.entries):
        return None
    return metas[longest]


_WORKER: dict = {}


#: a document's conversion collects garbage less often: it makes hundreds of thousands of small
#: objects (tokens, matches, tree proxies), few of them in cycles, and the default threshold (700)
#: had a collection walk them over and over (the thesis: 2.43 → 2.32 s)
GC_THRESHOLD = (50_000, 20, 20)


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """GC_THRESHOLD while a document is converted, the caller's own threshold again afterwards (with
    ``--jobs 1``, or a library caller, the conversion runs in the caller's process)."""
    before = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _init_worker(edition: EditionMeta, tagger: Tagger | None, stage: Path | None,
                 evidence: tuple[object, Path] | None = None) -> None:
    _WORKER.update(edition=edition, tagger=tagger, stage=stage, evidence=evidence)


def _work(meta: SourceMeta) -> DocumentResult:
    with _fewer_collections():
        prepared = prepare_document(meta)
        _await_evidence()
        return finish_document(prepared, _WORKER["edition"], _WORKER["tagger"], _WORKER["stage"])


def _work_alone(meta: SourceMeta) -> DocumentResult:
    """``_work`` for the long text that is converted while the other workers soon have nothing to do
    (``_convert_first``): its notes' citations may be found in two processes (the thesis: 0.9 s of
    its conversion; see ``citations.helper_process``)."""
    with helper_process():
        return _work(meta)


def _await_evidence() -> None:
    """In a worker forked before the name evidence was counted: the evidence, once the build process
    has it (learned once per worker), before anything is tagged."""
    pending = _WORKER.pop("evidence", None)
    if pending is None:
        return
    ready, shared = pending
    ready.wait()
    for slug, counts in json.loads(Path(shared).read_text(encoding="utf-8")).items():
        _WORKER["tagger"].remember(counts, slug)


def convert_document(meta: SourceMeta, edition: EditionMeta, tagger: Tagger | None = None) -> DocumentResult:
    """One source through every in-memory stage (tagging with evidence from this document only)."""
    prepared = prepare_document(meta)
    if tagger:
        tagger.learn(prepared.cleaned.text, meta.slug)
    return finish_document(prepared, edition, tagger)


class MentionLists:
    """Per register entry, pointers to the places in the built documents that mention it, each place
    once, in edition then document order. Kept as serialised ``ptr`` elements, one string per entry and
    document: a large edition mentions its entries millions of times."""

    def __init__(self) -> None:
        self.chunks: dict[str, list[str]] = {}

    def extend(self, document: dict[str, str]) -> None:
        """Add one document's pointers (``of_document``); documents in edition order."""
        for entry, chunk in document.items():
            self.chunks.setdefault(entry, []).append(chunk)

    @staticmethod
    def of_document(filename: str, root: etree._Element) -> dict[str, str]:
        """Entry id → the document's pointers to it, one per block, "\n"-separated."""
        places: dict[str, dict[tuple[str, str], None]] = {}
        for entry, div, block in document_mentions(root):
            places.setdefault(entry, {})[(div, block)] = None
        return {entry: "\n".join(
            f'<ptr target="{_attribute(f"../tei/{filename}#{block}")}" n="{_attribute(f"{filename[:-4]} {div}")}"/>'
            for div, block in found) for entry, found in places.items()}


def registers_with_mentions(registers: Registers, mentions: MentionLists) -> dict[str, bytes]:
    """Each register file as edited, plus, per entry, where the built documents mention it.

    The tree gets one placeholder ``ptr`` per mentioned entry, and the pointers replace it in the
    serialised text (same bytes as a tree with every ``ptr``, without a million elements in memory)."""
    from .entities import KINDS
    from .teixml import T, XML_ID

    out = {}
    for kind, path in registers.files.items():
        tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=True))
        slots: dict[str, list[str]] = {}
        for node in tree.iter(T + KINDS[kind][2]):
            chunks = mentions.chunks.get(node.get(XML_ID))
            if chunks:
                slot = f"~mentions{len(slots)}"
                slots[slot] = chunks
                node.append(el("note", {"type": "mentions"}, el("listRef", None, el("ptr", {"target": slot}))))
        data = to_bytes(tree.getroot()).decode("utf-8")
        # each chunk's pointers are separated by "\n" (never in a serialised ptr): the indentation replaces it
        out[kind] = _MENTION_SLOT.sub(lambda m: m.group(1) + "\n".join(slots[m.group(2)]).replace("\n", m.group(1)),
                                      data).encode("utf-8")
    return out


_MENTION_SLOT = re.compile(r'((?:\n *)?)<ptr target="(~mentions\d+)"/>')  # with the indentation, if any


def _attribute(value: str) -> str:
    """An attribute value escaped as lxml writes it."""
    return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
            .replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;"))


_UMASK = os.umask(0)
os.umask(_UMASK)


def remove_stale_temporaries(out: Path) -> None:
    """Temporary files of an interrupted earlier build (ours by their name pattern) are removed."""
    if out.is_dir():
        for tmp in out.rglob(".*.tmp"):
            if tmp.is_file() and tmp.name.count(".") >= 3:
                tmp.unlink(missing_ok=True)


def write_atomic(path: Path, data: bytes) -> None:
    """Write through a temporary file in the same folder, then rename over the target."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def make_tagger(registers_dir: Path | None = None) -> tuple[Registers, Tagger | None]:
    """The registers and their compiled matcher, built once per run (no tagger without registers)."""
    registers = load_registers(registers_dir)
    if not registers.entries:
        return registers, None
    decisions = load_decisions(registers_dir / "decisions.toml" if registers_dir else None)
    return registers, Tagger(Matcher(registers), decisions)


def build(out: Path, sources_dir: Path = DEFAULT_SOURCES, only: tuple[str, ...] = (),
          progress: Callable[[str], None] = lambda _msg: None, strict_words: bool = True,
          registers_dir: Path | None = None, jobs: int = 1, use_cache: bool = True) -> BuildReport:
    edition = load_edition(sources_dir)
    registers, tagger = make_tagger(registers_dir)
    metas = discover(sources_dir)
    if only:
        unknown = sorted(set(only) - {m.slug for m in metas})
        if unknown:
            raise UserError(f"no source with slug {', '.join(unknown)}", sources_dir,
                            hint="slugs: " + ", ".join(m.slug for m in metas))
        metas = [m for m in metas if m.slug in only]
    cache = BuildCache(out, sources_dir, registers_dir or data_dir("registers")) if use_cache else None
    remove_stale_temporaries(out)
    # the transforms' workers start (and compile their stylesheets) while the documents are converted
    workers = early_workers(jobs, [size_or_zero(m.file) for m in metas], VALIDATION)
    gold = (registers_dir or data_dir("registers")) / "evaluation"
    has_gold = bool(tagger) and gold.is_dir() and any(gold.glob("*.xml"))
    evaluated: list[Evaluation] = []

    def evaluate_names() -> None:
        progress("evaluate names against registers/evaluation")
        evaluated.append(evaluate(gold, tagger))

    def meanwhile() -> None:
        """While the workers convert the longest text, this process would only wait: it starts the
        transforms' workers and evaluates the names (the workers' taggers are their own, so the result
        is the one it would be afterwards)."""
        start_early(workers)
        if has_gold:
            evaluate_names()

    with workers or nullcontext():
        stage, created = out / STAGE, not out.exists()
        try:
            shutil.rmtree(stage, ignore_errors=True)
            report = BuildReport(convert_documents(metas, edition, tagger, progress, jobs, cache, stage,
                                                   meanwhile=meanwhile if workers else None))
            if has_gold:
                if not evaluated:
                    evaluate_names()
                report.names = evaluated[0]
            failed = [d for d in report.documents if not d.words.ok]
            if failed and strict_words:
                first = failed[0]
                raise UserError(f"word check failed: {first.words.summary()}", first.meta.file,
                                hint="a converter lost or invented text; nothing was written")
            for doc in report.documents:
                if not doc.cached:
                    progress(f"write    tei/{doc.filename}")
                    (out / "tei").mkdir(parents=True, exist_ok=True)
                    os.replace(doc.path, out / "tei" / doc.filename)
                    doc.path = out / "tei" / doc.filename
        finally:
            shutil.rmtree(stage, ignore_errors=True)
            if created and out.is_dir() and not any(out.iterdir()):
                out.rmdir()  # a failed first build leaves no output folder
        changed = any(not doc.cached for doc in report.documents)
        install_schemas(out)  # OUT/schemas/: where the xml-model PIs of OUT/tei/*.xml point
        written = [out / "tei" / doc.filename for doc in report.documents]
        edition_files = [out / "bibliography" / "edition-bibliography.xml"]
        if tagger:
            edition_files += [out / "registers" / path.name for path in registers.files.values()]
        # every document reused, the same documents, the files as the last build left them: they stand as they are
        kept = cache.edition(report.documents, edition_files) if cache and not changed else None
        if kept:
            report.bibliography = kept
        else:
            changed |= _edition_files(report, edition, registers, tagger, out, progress)
        written += edition_files
        if cache and not kept:
            cache.remember_edition(report.documents, edition_files, report.bibliography)
        from .transform import transform_build  # XSLT 3.0 outputs: OUT/html/, OUT/text/, OUT/bibliography/

        def validate(run: Runner) -> Callable[[], None]:  # in the transforms' workers, behind their tasks
            collect = _validate(written, out, changed, progress, run)

            def done() -> None:
                report.validation = collect()
            return done

        transform_build(out, sources_dir, registers_dir or data_dir("registers"), edition.title, progress, use_cache,
                        jobs=jobs, meanwhile=validate, workers=workers)
        write_if_changed(out / "build-report.json",
                         (json.dumps(report.as_json(), ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode())
        if cache:
            cache.save(report.documents, tagger)
        return report


def _edition_files(report: BuildReport, edition: EditionMeta, registers: Registers, tagger: Tagger | None,
                   out: Path, progress: Callable[[str], None]) -> bool:
    """The consolidated bibliography and the registers with their mentions, from every document's citations
    and mentions (a document reused from the cache is read for them); the report gets the bibliography's
    summary. True when a file changed."""
    progress("consolidate the bibliography, list the register mentions")
    mentions = MentionLists()
    changed = False

    def read_documents() -> Iterator[list[Citation]]:
        for doc in report.documents:
            if doc.citations is None or doc.mentions is None:
                root = doc.parse()
                doc.citations = citations(doc.filename, root)
                doc.mentions = MentionLists.of_document(doc.filename, root)
            mentions.extend(doc.mentions)
            yield doc.citations
            doc.citations = doc.mentions = None  # held once, by the consolidation and the mention lists

    consolidation = consolidate_citations(read_documents())
    report.bibliography = consolidation.summary()
    if write_if_changed(out / "bibliography" / "edition-bibliography.xml",
                        consolidation_tei(consolidation, edition.title, edition.publisher, edition.date)):
        progress("write    bibliography/edition-bibliography.xml")
        changed = True
    del consolidation  # the works and their citations: the build goes on without them
    if tagger:
        for kind, data in registers_with_mentions(registers, mentions).items():
            if write_if_changed(out / "registers" / registers.files[kind].name, data):
                progress(f"write    registers/{registers.files[kind].name} (with mentions)")
                changed = True
    return changed


def _validate(files: list[Path], out: Path, changed: bool, progress: Callable[[str], None],
              run: Runner) -> Callable[[], dict]:
    """The build checks its own TEI against the project schema and Schematron (in the workers, so
    that this process never holds a Saxon heap); when no document, edition file or schema changed, the
    previous result stands.
    The tasks are queued now; the function returned gives the result."""
    from .outputs import AFTER_TRANSFORMS
    from .validation import schemas_fingerprint, start_validation

    previous = out / "build-report.json"
    schemas = schemas_fingerprint()
    if not changed and previous.is_file():
        try:
            old = json.loads(previous.read_text(encoding="utf-8")).get("validation")
            if isinstance(old, dict) and old.get("schemas") == schemas:
                return lambda: old
        except ValueError:
            pass

    progress("validate TEI, registers and bibliography (project RELAX NG + Schematron)")
    specs, engine, phase = VALIDATION
    collect = start_validation(files, specs, engine, phase, run=run, priority=AFTER_TRANSFORMS)

    def result() -> dict:
        report = collect()
        return {"summary": report.summary(), "valid": report.valid, "errors": [str(p) for p in report.problems],
                "schemas": schemas}
    return result


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write only when the bytes differ, so an unchanged output keeps its file (and its time)."""
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    write_atomic(path, data)
    return True
