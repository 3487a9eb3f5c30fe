"""The edition's outputs (HTML site, plain text, bibliographies), made a batch of documents at a time.

A large edition cannot be held in one Saxon process: its register pages list
every mention in every text, and each text page may link into any other text.
So the work is split into tasks that each hold a bounded batch of documents:

1. ``stubs`` (per batch): each document's *stub* (html/stub.xsl: its header,
   counts, the ids links may reach), all the other tasks need of it (a batch's
   pages get each stub with only the anchors their own pointers can reach);
2. once every stub is known, per batch, ``pages``: the batch's text pages and,
   per document, its lists of mentions for the register pages; ``texts``: the
   batch's plain text and bibliography files; and once, ``site``: the home and
   bibliography pages, ``edition.*``, the register pages as skeletons with a
   slot per entry (and the frame that goes around the lists in a slot);
3. the register pages are assembled by filling each slot with the documents'
   lists in edition order, streamed from the staging folder.

Tasks run in ``jobs`` processes (or in this one when ``jobs`` is 1), each
holding one batch and the stubs, and write into a staging folder; nothing
reaches OUT until every task has succeeded. The result is byte-identical to
making the whole site in one transformation (``Transformer.html`` and
friends), whatever the batches and the number of processes.
"""

from __future__ import annotations

import html
import mmap
import os
import re
import shutil
from collections.abc import Callable, Iterable, Sequence
from contextlib import ExitStack, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote

from .errors import UserError
from .paths import size_or_zero
from .teixml import XML_ID, T
from .transform import BIBLIOGRAPHY_FORMATS, Document, Stub, Transformer, check_slugs, site_assets
from .workers import Meanwhile, Runner, balanced_batches, idle_priority

#: TEI bytes per batch: what one task holds at a time (a Saxon tree is several times its file)
BATCH_BYTES = 16 * 1024 * 1024
#: above this many TEI bytes, each task gets a fresh worker process. Saxon here is a GraalVM native
#: image whose heap grows toward a share of the machine's memory before it collects, whatever the task
#: still holds (measured at ×100: workers of 4.9 GB holding one 16 MB batch each); a process that ends
#: gives it all back. Below it, reusing workers is faster (no start-up and compilation per task).
RECYCLE_BYTES = 64 * 1024 * 1024
#: register pages made as skeletons (html/registers.xsl, $mention-slots)
REGISTER_PAGES = ("persons.html", "places.html", "organisations.html")
SLOT = re.compile(r'<tei-slot key="([^"]*)"></tei-slot>')
FRAGMENT = re.compile(rb'<tei-fragment doc="([^"]*)" key="([^"]*)">(.*?)</tei-fragment>', re.S)
EMPTY_SLOT = '<tei-slot key=""></tei-slot>'
STAGING = ".tei-staging"
SITE_FOLDER = ".site"  # in the staging folder: where each task's transformation writes its pages
WRITE_BUFFER = 1 << 20  # a register page is written in 1 MB pieces (they run to hundreds of MB at ×100)


@dataclass(frozen=True)
class Settings:
    """What every task needs besides its batch."""

    registers: tuple[Path, ...]
    site_title: str
    tei_href: str = "../tei/"
    text_href: str = "../text/"
    bibliography_href: str = "../bibliography/"

    def site(self) -> dict:
        return {"site_title": self.site_title, "tei_href": self.tei_href, "text_href": self.text_href,
                "bibliography_href": self.bibliography_href}


@dataclass
class Pages:
    """What a ``pages`` task made: its pages, the file of its documents' lists of mentions, and where in
    it each document's list of mentions of each entry is, as (slug, id, offset, length)."""

    names: list[str]
    fragments: Path | None = None
    spans: list[tuple[str, str, int, int]] = field(default_factory=list)


def plan_batches(files: Sequence[Path], jobs: int, max_bytes: int | None = None) -> list[list[Path]]:
    """Batches of about ``max_bytes`` (BATCH_BYTES) of TEI at most (see ``workers.balanced_batches``)."""
    return balanced_batches(list(files), [size_or_zero(path) for path in files], jobs, max_bytes or BATCH_BYTES)


#: the order in which waiting tasks reach a free worker (``Runner`` priorities, lowest first): the stubs,
#: which every page waits for; then the pages and the site, the longest first; then what waits for
#: nothing (plain text and bibliographies), queued at the start so that no worker idles while the
#: last stubs are made; and last, what the caller queues behind them (``meanwhile``: the build's
#: validation), in small tasks, so that the run ends on short ones.
STUBS, PAGES, TEXTS, AFTER_TRANSFORMS = (0,), (1,), (2,), (3,)


def stage_edition(staging: Path, tei_files: Sequence[Path], settings: Settings, *, jobs: int = 1,
                  progress: Callable[[str], None] = lambda _m: None,
                  meanwhile: Meanwhile | None = None, workers: Runner | None = None) -> list[str]:
    """Every output of the edition written under ``staging`` (html/…, text/…, bibliography/…); returns
    their names. ``meanwhile`` is given the workers once the first transform tasks are queued, to queue
    its own (priority ``AFTER_TRANSFORMS``: they run after every transform task); the function it
    returns, if any, is called when the outputs are made (the build collects its validation there).
    ``workers``: started by the caller (see ``early_workers``), used when they suit the edition, and
    left running."""
    files = list(tei_files)
    batches = plan_batches(files, jobs)
    sizes = [sum(size_or_zero(p) for p in batch) for batch in batches]
    recycle = sum(sizes) > RECYCLE_BYTES
    if workers is None or workers.recycle != recycle or workers.processes != max(1, jobs):
        workers = None  # not the workers this edition needs: its own, ended with the stage
    with nullcontext(workers) if workers else Runner(jobs, recycle=recycle) as run:
        progress(f"transform {len(files)} document(s) in {len(batches)} batch(es), {run.processes} process(es)")
        # with a fresh process per task, a batch's plain text and bibliographies are made by its pages
        # task, from the documents it holds: a texts task of its own would start a process, compile
        # and load the batch again (about 2.5 s a batch at ×100). Otherwise they are tasks of their
        # own, queued first, which fill the workers while the registers are split here and then
        # one of them while the stubs are made (×1).
        texts_made = run.start([] if recycle else [(_texts_task, (b, settings, staging)) for b in batches],
                               [(*TEXTS, -size) for size in sizes])
        splits, bib_ids = split_registers(settings.registers, staging / ".extracts")
        stubs_made = run.start([(_stubs_task, (b, bib_ids)) for b in batches], STUBS)
        finish = meanwhile(run) if meanwhile else None
        stubs: dict[Path, Stub] = {}
        pointers: dict[Path, set[str]] = {}
        links: dict[Path, set[tuple[str, str]]] = {}
        for part in stubs_made():
            for path, (stub, refs, reach) in part.items():
                stubs[path], pointers[path], links[path] = stub, refs, reach
        check_slugs([(stubs[p].slug, p) for p in files])
        progress("make the text pages, the mentions lists and the site")
        # the site reads the registers whole (a consolidated bibliography grows with the edition), and
        # every stub whole (the bibliography page links back to any place that cites a work)
        tasks: list[tuple[Callable, tuple]] = [(_site_task, (files, {p: s.text() for p, s in stubs.items()},
                                                             settings, staging))]
        priorities = [(*PAGES, -sum(size_or_zero(p) for p in settings.registers))]
        for n, batch in enumerate(batches):
            registers = _extracts(settings.registers, splits, batch, n, pointers, staging)
            tasks.append((_pages_task, (batch, n, files, stubs_for(batch, stubs, links), registers, settings, staging,
                                        recycle)))
            priorities.append((*PAGES, -sizes[n]))
        results = run.start(tasks, priorities)
        (names, skeletons), *made = results()
        pages: list[Pages] = made
        names += [name for done in pages for name in done.names] + [n for texts in texts_made() for n in texts]
        if finish:
            # the caller's tasks too, before the assembly (a few seconds at ×100): then the build's phases
            # follow one another, and scripts/bench.py times each
            finish()
        progress("assemble the register pages")
        names += _assemble(staging, skeletons, pages, [stubs[p].slug for p in files])
        names += [_write(staging, f"html/{name}", data) for name, data in site_assets().items()]
    shutil.rmtree(staging / SITE_FOLDER, ignore_errors=True)
    shutil.rmtree(staging / ".extracts", ignore_errors=True)
    return sorted(names)


#: the TEI of a source is about twice its text (2.0 for the five bundled sources); with this margin, an
#: edition whose texts are under RECYCLE_BYTES / TEI_GROWTH will not need a fresh process per task
TEI_GROWTH = 4
#: the stylesheets the tasks run (compiled by each worker as it starts: see ``warm_up``)
STYLESHEETS = ("html.xsl", "strip.xsl", "text.xsl", "bibliography.xsl")


def early_workers(jobs: int, text_sizes: Sequence[int], validation: tuple | None = None) -> Runner | None:
    """Workers for the transforms, made before the TEI exists, when the conversion will leave a core
    idle: its longest text takes longer than an even share of the rest (the thesis at ×1: 3.4 s while
    the four other texts take 1 s). Started (``Runner.warm``) once only the longest text is still being
    converted, they compile the stylesheets and ``validation``'s checkers (``validation.worker_checkers``
    arguments) on that core, one after the other. None for one process, when every core converts to
    the end, or for an edition that may need a fresh process per task (see RECYCLE_BYTES)."""
    total = sum(text_sizes)
    if jobs <= 1 or not total or max(text_sizes) * jobs <= total or total * TEI_GROWTH > RECYCLE_BYTES:
        return None
    import multiprocessing

    # one worker compiles at a time: they start while the longest text is still converted, and a core
    # given to the conversion's one remaining worker stays its own (two compiling at once slowed the
    # thesis by 0.2–0.3 s at ×1)
    turn = multiprocessing.get_context("spawn").Lock()
    return Runner(jobs, initializer=warm_up, initargs=(validation, turn))


def start_early(workers: Runner) -> None:
    """Start the early workers (``Runner.warm``) at the idle priority of ``warm_up``: they inherit it, so
    that their interpreters' start and imports leave the cores to the conversion too, not only their
    compiling (this process is back at its own priority at once)."""
    with idle_priority():
        workers.warm()


def warm_up(validation: tuple | None = None, turn: object = None) -> None:
    """A worker's start: every stylesheet compiled, and the validation's checkers, before its first
    task; with ``turn`` (a lock the workers share), one worker after the other, and only on a core the
    conversion leaves idle (see ``workers.idle_priority``)."""
    with turn or nullcontext(), (idle_priority() if turn is not None else nullcontext()):
        tr = _transformer()
        for name in STYLESHEETS:
            tr.executable(name)
        if validation is not None:
            from .validation import worker_checkers

            worker_checkers(*validation)


# ---------------------------------------------------------------------- tasks

_TRANSFORMER: list[Transformer] = []


def _transformer() -> Transformer:
    """This process's Transformer: stylesheets compiled once, documents released after each task."""
    if not _TRANSFORMER:
        _TRANSFORMER.append(Transformer())
    return _TRANSFORMER[0]


def _stubs_task(batch: list[Path], bibliography_ids: list[str]) -> dict[Path, tuple[Stub, set[str], set[tuple[str, str]]]]:
    """path → (stub, the bibliography ids its attributes may point at, the (document name, id) its
    pointers may lead to in other documents) for each document of the batch."""
    tr = _transformer()
    known = set(bibliography_ids)
    done = {}
    try:
        for path in batch:
            doc = tr.load(path)  # first: a file that is missing or not XML gets load's message
            tokens = pointer_tokens(path)
            # only the ids the document may name: all of them made a 55,000-entry map per document at ×100
            named = tokens & known
            done[path] = (tr.stub(doc, sorted(named)), named, document_links(tokens))
        return done
    finally:
        tr.release()


def _extracts(registers: Sequence[Path], splits: list[SplitRegister | None], batch: list[Path], number: int,
              pointers: dict[Path, set[str]], staging: Path) -> list[tuple[Path, Path]]:
    """The registers a batch's pages task reads, as (file to read, register it stands for)."""
    named = set().union(*(pointers[p] for p in batch))
    return [(split.extract(batch, named, staging / ".extracts" / f"{number:05d}-{i}.xml") if split else path, path)
            for i, (split, path) in enumerate(zip(splits, registers))]


BIB_TAGS = (f"{T}bibl", f"{T}biblStruct", f"{T}biblFull")
LIST_BIBL = f"{T}listBibl"
ENTRY_MARK = "x-tei-edition-entry"  # processing instruction standing for a set-apart entry in a skeleton
ENTRY_MARKS = re.compile(r"<\?x-tei-edition-entry (\d+)\?>")
# processing instructions around each citedIn pointer of a stored entry, the first naming (%-quoted) the
# documents it points into: an extract keeps the pointer only if they include one of its batch's
CITED_MARK, CITED_END = "x-tei-edition-cited", "x-tei-edition-cited-end"
CITED_MARKS = re.compile(rb"<\?x-tei-edition-cited ([^?]*)\?>(.*?)<\?x-tei-edition-cited-end \?>", re.S)
ATTRIBUTE_VALUE = re.compile(rb"""=\s*(?:"([^"]*)"|'([^']*)')""")


@dataclass
class SplitRegister:
    """A register holding bibliography entries, taken apart so that each ``pages`` task gets an extract
    of it: the entries its documents can reach. A consolidated bibliography grows with the edition
    (38 MB at ×100), and every task loading all of it made the transforms quadratic in its size. So
    does each work's citedIn note (a pointer per place that cites it: 100 copies of each at ×100), and
    an extract keeps only the pointers into its batch's documents, all that their pages read of it.

    ``skeleton`` is the register with each bibliography entry (a listBibl's bibl, biblStruct or
    biblFull, nested entries inside it) replaced by a mark; ``store`` holds the entries one after
    another, at ``spans``; per entry, ``ids`` (its own and its nested entries') and ``cited_in`` (the
    documents its citedIn notes point at, as html/bibliography.xsl's f:file-fragment names them)."""

    path: Path
    skeleton: str
    store: Path
    spans: list[tuple[int, int]] = field(default_factory=list)
    ids: list[tuple[str, ...]] = field(default_factory=list)
    cited_in: list[frozenset[str]] = field(default_factory=list)

    def extract(self, documents: Iterable[Path], pointers: set[str], target: Path) -> Path:
        """The register as the pages of ``documents`` see it, written to ``target``: the entries that cite
        them or that their ``pointers`` name, and the first entry (the bibliography page exists)."""
        names = {_file_name(path.name) for path in documents}

        def cited_here(mark: re.Match) -> bytes:
            return mark.group(2) if not names.isdisjoint(unquote(n) for n in mark.group(1).decode().split()) else b""

        pieces = ENTRY_MARKS.split(self.skeleton)
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(self.store, "rb") as store, open(target, "wb") as out:
            for i, piece in enumerate(pieces):
                if i % 2 == 0:
                    out.write(piece.encode())
                    continue
                n = int(piece)
                if n == 0 or not self.cited_in[n].isdisjoint(names) or not pointers.isdisjoint(self.ids[n]):
                    offset, length = self.spans[n]
                    store.seek(offset)
                    out.write(CITED_MARKS.sub(cited_here, store.read(length)))
        return target


def _file_name(name: str) -> str:
    """A document as a citedIn pointer names it: its file name without ".xml", %-escapes undone."""
    return _without_xml(unquote(name))


def _without_xml(name: str) -> str:
    """A file name as the stylesheets name a document (replace(..., '\\.xml$', ''))."""
    return name[:-4] if name.endswith(".xml") else name


def split_registers(registers: Iterable[Path], folder: Path) -> tuple[list[SplitRegister | None], list[str]]:
    """Each register taken apart (None when it has no bibliography entry: it is used whole), and the ids
    of every bibliography entry (common.xsl's f:register-bib-entries), in one streaming pass each."""
    from lxml import etree

    splits: list[SplitRegister | None] = []
    ids: set[str] = set()
    folder.mkdir(parents=True, exist_ok=True)
    for number, path in enumerate(registers):
        split = SplitRegister(path, "", folder / f"register-{number}.entries")
        try:
            with open(split.store, "wb") as store:
                context = etree.iterparse(str(path), events=("end",), tag=BIB_TAGS, resolve_entities=False,
                                          no_network=True, huge_tree=True, remove_comments=False)
                for _, el in context:
                    parent = el.getparent()
                    if parent is None or parent.tag != LIST_BIBL or any(a.tag in BIB_TAGS for a in el.iterancestors()):
                        continue  # not an entry, or one inside another entry (it goes with that one)
                    own = tuple(e.get(XML_ID) for e in el.iter(BIB_TAGS)
                                if e.get(XML_ID) and getattr(e.getparent(), "tag", None) == LIST_BIBL)
                    ids.update(own)
                    cited_in: set[str] = set()
                    for ptr in [p for note in el.iter(f"{T}note") if note.get("type") == "citedIn"
                                for p in note.iter(f"{T}ptr")]:
                        files = {_file_name(target.split("#", 1)[0].rsplit("/", 1)[-1])
                                 for target in (ptr.get("target") or "").split()}
                        cited_in |= files
                        named = " ".join(quote(f, safe="") for f in sorted(files))
                        ptr.addprevious(etree.ProcessingInstruction(CITED_MARK, named))
                        ptr.addnext(etree.ProcessingInstruction(CITED_END))
                    data = etree.tostring(el, encoding="utf-8", with_tail=False)
                    split.spans.append((store.tell(), len(data)))
                    store.write(data)
                    split.ids.append(own)
                    split.cited_in.append(frozenset(cited_in))
                    mark = etree.ProcessingInstruction(ENTRY_MARK, str(len(split.spans) - 1))
                    mark.tail = el.tail
                    parent.replace(el, mark)  # the entry leaves the tree: it stays as small as the skeleton
                root = context.root
        except etree.XMLSyntaxError as exc:
            raise UserError(f"register is not well-formed XML: {exc.msg}", path, exc.position[0],
                            hint="fix the XML and run again") from None
        except OSError as exc:
            raise UserError(f"cannot read register: {exc.strerror or exc}", path) from None
        dtd = root.getroottree().docinfo.internalDTD
        if dtd is not None and any(True for _ in dtd.iterentities()):
            raise UserError("the DOCTYPE declares entities: refused (entities and DTDs are never processed)", path, 1,
                            hint="replace the entities with the characters they stand for")
        if split.spans:
            split.skeleton = etree.tostring(root, encoding="unicode")
            splits.append(split)
        else:
            split.store.unlink()
            splits.append(None)
    return splits, sorted(ids)


def pointer_tokens(path: Path) -> set[str]:
    """Every id an attribute of the file could point at (common.xsl's f:pointer-ids, generously: a token,
    what follows its "#", what follows its prefix), and every token itself, as written and with its
    character references read: a superset, read from the bytes without parsing."""
    tokens: set[str] = set()
    for match in ATTRIBUTE_VALUE.finditer(path.read_bytes()):
        value = (match.group(1) or match.group(2) or b"").decode("utf-8", "replace")
        for token in {*value.split(), *(html.unescape(value).split() if "&" in value else ())}:
            tokens.add(token)
            if "#" in token:
                tokens.add(token.split("#", 1)[1])
            if ":" in token:
                tokens.add(token.split(":", 1)[1])
    return tokens


def document_links(tokens: Iterable[str]) -> set[tuple[str, str]]:
    """(document name, id) for each pointer token that names a file and an element in it, as
    html/links.xsl's f:href reads it: "../tei/other.xml#p3" → ("other", "p3"), the name being what
    f:document-for-file looks up (a file name without ".xml", or a slug)."""
    links = set()
    for token in tokens:
        file, hash_, fragment = token.partition("#")
        if file and hash_ and fragment:
            links.add((_without_xml(file.rsplit("/", 1)[-1]), fragment))
    return links


def link_names(path: Path, slug: str) -> set[str]:
    """The names by which a pointer reaches a document (``document_links``): its slug, and its file
    name without ".xml" as a URI writes it (f:documents-by-name reads the base URI) and as it is."""
    return {slug, _without_xml(path.resolve().as_uri().rsplit("/", 1)[-1]), _without_xml(path.name)}


def stubs_for(batch: Sequence[Path], stubs: dict[Path, Stub],
              links: dict[Path, set[tuple[str, str]]]) -> dict[Path, str]:
    """The stubs of the documents outside the batch as its pages need them: each with the anchors the
    batch's pointers can reach in it, and none else (at ×100, 26 MB of stubs a task became 6 MB)."""
    reach: dict[str, set[str]] = {}
    for path in batch:
        for name, target in links[path]:
            reach.setdefault(name, set()).add(target)
    inside = set(batch)
    return {path: stub.text(set().union(*(reach.get(name, ()) for name in link_names(path, stub.slug))))
            for path, stub in stubs.items() if path not in inside}


def _documents(tr: Transformer, files: list[Path], stubs: dict[Path, str], full: Iterable[Path]) -> list[Document]:
    """The edition in its order: the ``full`` documents loaded, the others as stubs (XML)."""
    full = set(full)
    return [tr.load(p) if p in full else tr.load_stub(p, stubs[p]) for p in files]


def _pages_task(batch: list[Path], number: int, files: list[Path], stubs: dict[Path, str],
                registers: list[tuple[Path, Path]], settings: Settings, staging: Path,
                texts: bool = False) -> Pages:
    """The batch's text pages, and its documents' lists of mentions; ``registers``: (file to read, the
    register it stands for), a bibliography register being read from the batch's extract of it;
    ``texts``: the batch's ``_texts`` too."""
    tr = _transformer()
    try:
        docs = _documents(tr, files, stubs, batch)
        regs = tr.load_registers([read for read, _ in registers], [register for _, register in registers])
        # a page links to its own works cited; the edition's are always made (tei.outputs' site task)
        in_batch = set(batch)
        citing = [d.slug for d in docs if d.path in in_batch and tr.cites_works(d)]
        done = Pages([])
        folder = staging / SITE_FOLDER / f"{number:05d}"
        for name in tr.site(docs, regs, folder, bibliography_slugs=sorted(citing + ["edition"]),
                            pages=("documents", "mentions"), **settings.site()):
            if name == "~mentions":
                done.fragments = folder / name
                for match in FRAGMENT.finditer(done.fragments.read_bytes()):
                    done.spans.append((html.unescape(match.group(1).decode()), html.unescape(match.group(2).decode()),
                                       match.start(3), match.end(3) - match.start(3)))
            else:
                done.names.append(_move(folder, staging, name))
        if texts:
            done.names += _texts(tr, [d for d in docs if d.path in in_batch], settings, staging)
        return done
    finally:
        tr.release()


def _texts_task(batch: list[Path], settings: Settings, staging: Path) -> list[str]:
    """Plain text and works cited of each document of the batch (they need no other document)."""
    tr = _transformer()
    try:
        return _texts(tr, [tr.load(p) for p in batch], settings, staging)
    finally:
        tr.release()


def _texts(tr: Transformer, docs: list[Document], settings: Settings, staging: Path) -> list[str]:
    names = [_write(staging, f"text/{name}", data) for name, data in tr.text(docs).items()]
    # a document's own bibliography needs no register (bibliography.xsl reads them for edition.* only)
    names += [_write(staging, f"bibliography/{name}", data) for name, data in
              tr.bibliography(docs, list(BIBLIOGRAPHY_FORMATS), site_title=settings.site_title).items()]
    return names


def _site_task(files: list[Path], stubs: dict[Path, str], settings: Settings,
               staging: Path) -> tuple[list[str], dict[str, str]]:
    """Home page, bibliography page, edition.*; the register skeletons and frame (returned: the parent
    fills them)."""
    tr = _transformer()
    try:
        regs = tr.load_registers(settings.registers)
        # without a bibliography register, the bibliography page and edition.* list each document's own
        # entries: then (only then) this task needs every document in full
        full = [] if tr.has_bibliography_register(regs) else files
        docs = _documents(tr, files, stubs, full)
        names = [_write(staging, f"bibliography/{name}", data) for name, data in
                 tr.bibliography(docs, list(BIBLIOGRAPHY_FORMATS), regs, consolidated=True,
                                 site_title=settings.site_title, per_document=False).items()]
        skeletons: dict[str, str] = {}
        folder = staging / SITE_FOLDER / "site"
        for name in tr.site(docs, regs, folder, bibliography_slugs=["edition"], mention_slots=True,
                            pages=("index", "registers", "bibliography"), **settings.site()):
            if name in REGISTER_PAGES or name.startswith("~"):
                skeletons[name] = (folder / name).read_text(encoding="utf-8")
            else:
                names.append(_move(folder, staging, name))
        return names, skeletons
    finally:
        tr.release()


def _move(folder: Path, staging: Path, page: str) -> str:
    """A page the site wrote into ``folder`` moved to ``staging/html/``; its name there."""
    (staging / "html").mkdir(parents=True, exist_ok=True)
    os.replace(folder / page, staging / "html" / page)
    return f"html/{page}"


def _write(staging: Path, name: str, data: bytes) -> str:
    path = staging / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return name


def _assemble(staging: Path, skeletons: dict[str, str], pages: list[Pages], order: list[str]) -> list[str]:
    """Each register page: its skeleton with every slot filled by the frame around the documents' lists,
    in edition order, copied from the fragment files as the page is written (never all in memory).
    The fragment files are mapped, not read a list at a time: at ×100, 180,000 lists from 530 MB of
    fragments took 3.3–3.7 s with a seek and a read per list when the files were no longer cached,
    1.2 s mapped (1.3 s and 1.1 s cached)."""
    if not any(name in skeletons for name in REGISTER_PAGES):
        return []
    frame_open, frame_close = skeletons["~mentions-frame"].split(EMPTY_SLOT)
    none = skeletons["~mentions-none"].encode()
    position = {slug: i for i, slug in enumerate(order)}
    spans: dict[str, list[tuple[int, int, int, int]]] = {}
    for n, done in enumerate(pages):
        for slug, entry, offset, length in done.spans:
            spans.setdefault(entry, []).append((position[slug], n, offset, length))
    with ExitStack() as stack:
        views = [_mapped(stack, done.fragments) if done.fragments else b"" for done in pages]
        names = []
        for name in REGISTER_PAGES:
            if name not in skeletons:
                continue
            path = staging / "html" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "wb", buffering=WRITE_BUFFER) as out:
                for i, piece in enumerate(SLOT.split(skeletons[name])):
                    if i % 2 == 0:
                        out.write(piece.encode())
                        continue
                    lists = sorted(spans.get(html.unescape(piece), ()))
                    if not lists:
                        out.write(none)
                        continue
                    out.write(frame_open.encode())
                    for _, n, offset, length in lists:
                        out.write(views[n][offset:offset + length])
                    out.write(frame_close.encode())
            names.append(f"html/{name}")
        return names


def _mapped(stack: ExitStack, path: Path) -> mmap.mmap | bytes:
    """A file mapped for reading (closed with ``stack``); an empty file, which cannot be mapped, as b""."""
    fh = stack.enter_context(open(path, "rb"))
    if os.fstat(fh.fileno()).st_size == 0:
        return b""
    return stack.enter_context(mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ))


# ---------------------------------------------------------------------- running

def publish(staging: Path, out: Path, names: Iterable[str]) -> list[Path]:
    """Move staged outputs into OUT (an unchanged file keeps its bytes and time); returns those changed."""
    changed = []
    for name in sorted(names):
        source, target = staging / name, out / name
        try:
            if target.read_bytes() == source.read_bytes():
                continue
        except OSError:
            pass
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)
        changed.append(target)
    return changed
