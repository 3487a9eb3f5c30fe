"""tei.outputs: the edition's outputs made a batch of documents at a time give the bytes of one transformation.

The oracle is ``Transformer`` with every document in memory (html, text, bibliography in one
transformation each); the batched pipeline must give the same files whatever the batches.
"""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html

import tei.outputs
import tei.workers
from tei.errors import UserError
from tei.outputs import plan_batches
from tei.transform import BIBLIOGRAPHY_FORMATS, Transformer, edition_outputs, register_files, transform_edition

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "tei-other"
OTHER = sorted(FIXTURES.glob("*.xml"))
REGISTERS = register_files(FIXTURES / "registers")
TITLE = "Test site"


def one_transformation(files: list[Path], registers: list[Path]) -> dict[str, bytes]:
    """Every output with the whole edition in one Saxon process, one transformation per output kind."""
    tr = Transformer()
    docs = tr.load_all(files)
    regs = tr.load_registers(registers)
    bib = tr.bibliography(docs, list(BIBLIOGRAPHY_FORMATS), regs, consolidated=True, site_title=TITLE)
    slugs = sorted({name.rsplit(".", 1)[0] for name in bib})
    site = tr.html(docs, regs, site_title=TITLE, tei_href="../tei/", text_href="../text/",
                   bibliography_href="../bibliography/", bibliography_slugs=slugs)
    return {**{f"html/{k}": v for k, v in site.items()}, **{f"text/{k}": v for k, v in tr.text(docs).items()},
            **{f"bibliography/{k}": v for k, v in bib.items()}}


def differences(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    return sorted(set(a) ^ set(b)) + sorted(k for k in set(a) & set(b) if a[k] != b[k])


@pytest.fixture
def one_document_per_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tei.outputs, "BATCH_BYTES", 1)


def test_batches_give_the_bytes_of_one_transformation(one_document_per_batch: None) -> None:
    """Each document in its own batch, the others as stubs: the same files, byte for byte (register pages
    assembled from each document's lists, the bibliography page's links back to the texts from stubs)."""
    expected = one_transformation(OTHER, REGISTERS)
    assert len(plan_batches(OTHER, 1)) == len(OTHER)
    got = edition_outputs(OTHER, REGISTERS, site_title=TITLE)
    assert differences(expected, got) == []
    assert {"html/persons.html", "html/bibliography.html", "bibliography/edition.bib"} <= set(got)
    assert b"mentions-doc" in got["html/persons.html"] and b"tei-slot" not in got["html/persons.html"]


def test_without_a_bibliography_register_the_site_reads_every_document(one_document_per_batch: None) -> None:
    registers = [r for r in REGISTERS if r.name != "bibliography.xml"]
    assert differences(one_transformation(OTHER, registers), edition_outputs(OTHER, registers, site_title=TITLE)) == []


def write_pair(folder: Path) -> list[Path]:
    """Two documents that point into each other: at a rendered paragraph, and at an id that renders nothing."""
    tei = '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>{title}</title></titleStmt>' \
          '<publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc></teiHeader>' \
          '<text><body>{body}</body></text></TEI>'
    a = folder / "alpha.xml"
    a.write_text(tei.format(title="Alpha", body='<p xml:id="a1">See <ref target="beta.xml#b2">the second</ref>, '
                            '<ref target="beta.xml#b-index">an index entry</ref> and <ref target="beta.xml">Beta</ref>.</p>'))
    b = folder / "beta.xml"
    b.write_text(tei.format(title="Beta", body='<p xml:id="b1">One<index xml:id="b-index"><term>x</term></index></p>'
                            '<p xml:id="b2">Two, back to <ref target="alpha.xml#a1">Alpha</ref>.</p>'))
    return [a, b]


def test_links_between_documents_in_different_batches(tmp_path: Path, one_document_per_batch: None) -> None:
    files = write_pair(tmp_path)
    got = edition_outputs(files, [], site_title=TITLE)
    assert differences(one_transformation(files, []), got) == []
    page = html.fromstring(got["html/alpha.html"])
    hrefs = {a.text_content(): a.get("href") for a in page.iter("a")}
    assert hrefs["the second"] == "beta.html#b2" and hrefs["Beta"] == "beta.html"
    assert "an index entry" not in hrefs  # its target renders no anchor: words without a link
    assert html.fromstring(got["html/beta.html"]).xpath("//a[.='Alpha']/@href") == ["alpha.html#a1"]


def test_processes_and_batches_do_not_change_a_byte() -> None:
    serial = edition_outputs(OTHER, REGISTERS, site_title=TITLE, jobs=1)
    ran: list[str] = []
    parallel = edition_outputs(OTHER, REGISTERS, site_title=TITLE, jobs=2, meanwhile=lambda run: ran.append("x"))
    assert ran == ["x"] and differences(serial, parallel) == []


def test_fresh_worker_per_task_for_a_large_edition(monkeypatch: pytest.MonkeyPatch) -> None:
    """Above RECYCLE_BYTES each task runs in a new process (Saxon's heap is given back): same bytes."""
    serial = edition_outputs(OTHER, REGISTERS, site_title=TITLE, jobs=1)
    monkeypatch.setattr(tei.outputs, "RECYCLE_BYTES", 1)
    pids: list[int] = []
    real = tei.outputs.Runner.start

    def start(runner, tasks, priority=0):  # the tasks report their process
        wait = real(runner, [(_pid_of, (fn, args)) for fn, args in tasks], priority)
        return lambda: [result for pid, result in wait() if not pids.append(pid)]

    monkeypatch.setattr(tei.outputs.Runner, "start", start)
    recycled = edition_outputs(OTHER, REGISTERS, site_title=TITLE, jobs=2)
    assert differences(serial, recycled) == []
    assert len(pids) == len(set(pids)) > 4  # no process ran two tasks


def _pid_of(fn, args):
    import os

    return os.getpid(), fn(*args)


def test_a_failure_leaves_the_outputs_as_they_were(tmp_path: Path) -> None:
    out = tmp_path / "out"
    transform_edition(out, OTHER, REGISTERS, site_title=TITLE)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    broken = tmp_path / "broken.xml"
    broken.write_text("<TEI xmlns='http://www.tei-c.org/ns/1.0'><teiHeader>", encoding="utf-8")
    for jobs in (1, 2):
        with pytest.raises(UserError, match="not well-formed"):
            transform_edition(out, [*OTHER, broken], REGISTERS, site_title="Another title", jobs=jobs)
        assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before  # no staging left, nothing changed


def test_a_broken_register_is_a_clear_error(tmp_path: Path) -> None:
    broken = tmp_path / "bibliography.xml"
    broken.write_text("<TEI xmlns='http://www.tei-c.org/ns/1.0'>\n<listBibl>\n</TEI>", encoding="utf-8")
    with pytest.raises(UserError, match="not well-formed") as info:
        edition_outputs(OTHER, [*REGISTERS, broken])
    assert info.value.line == 3


def test_two_documents_with_one_slug_in_different_batches(tmp_path: Path, one_document_per_batch: None) -> None:
    copy = tmp_path / "copy" / OTHER[0].name
    copy.parent.mkdir()
    copy.write_bytes(OTHER[0].read_bytes())
    with pytest.raises(UserError, match="two documents have the slug"):
        edition_outputs([*OTHER, copy], REGISTERS)


@settings(max_examples=200, deadline=None)
@given(sizes=st.lists(st.integers(1, 5000), min_size=1, max_size=30), jobs=st.integers(1, 4),
       limit=st.integers(1, 20000))
def test_batch_plan(tmp_path_factory: pytest.TempPathFactory, sizes: list[int], jobs: int, limit: int) -> None:
    folder = tmp_path_factory.mktemp("plan")
    files = []
    for i, n in enumerate(sizes):
        files.append(folder / f"d{i:02d}.xml")
        files[-1].write_bytes(b"x" * n)
    batches = plan_batches(files, jobs, limit)
    assert sorted(p for b in batches for p in b) == sorted(files)  # every document once
    assert all(b == sorted(b) for b in batches)  # the edition's order within a batch
    assert len(batches) == min(len(files), max(-(-sum(sizes) // limit), 2 * jobs if jobs > 1 else 1))
    # balanced largest first: no batch holds more than the limit and one document
    assert max(sum(p.stat().st_size for p in b) for b in batches) <= limit + max(sizes)


BIBLIOGRAPHY = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>Works</title></titleStmt>
<publicationStmt><p/></publicationStmt><sourceDesc><p/></sourceDesc></fileDesc></teiHeader>
<text><body><listBibl><head>Works cited</head>
<bibl xml:id="w0"><title>First</title><note type="citedIn"><listRef><ptr target="../tei/c.xml#b1"/></listRef></note></bibl>
<bibl xml:id="w1"><title>Second</title><note type="citedIn"><listRef><ptr target="../tei/a.xml#b1"/></listRef></note></bibl>
<biblStruct xml:id="w2"><monogr><title>Third</title></monogr>
  <relatedItem><listBibl><bibl xml:id="w3"><title>Inside the third</title></bibl></listBibl></relatedItem>
  <note type="citedIn"><listRef><ptr target="../tei/my%20b.xml#b7"/></listRef></note></biblStruct>
<bibl xml:id="w4"><title>Fourth</title></bibl>
</listBibl></body></text></TEI>
"""


def extract_ids(path: Path) -> list[str]:
    from lxml import etree

    tree = etree.parse(str(path))
    assert tree.findtext(".//{http://www.tei-c.org/ns/1.0}title") == "Works"  # the register around the entries stays
    return tree.xpath("//t:listBibl/*[@xml:id]/@xml:id", namespaces={"t": "http://www.tei-c.org/ns/1.0"})


def test_each_batch_reads_the_works_its_documents_reach(tmp_path: Path) -> None:
    """A batch's extract of a bibliography register: the works citing its documents (citedIn) or named by
    their pointers, nested entries with theirs, and the first work (so the bibliography page exists)."""
    register = tmp_path / "bibliography.xml"
    register.write_text(BIBLIOGRAPHY, encoding="utf-8")
    persons = next(r for r in REGISTERS if r.name == "persons.xml")
    splits, ids = tei.outputs.split_registers([persons, register], tmp_path / "split")
    assert ids == ["w0", "w1", "w2", "w3", "w4"]
    assert splits[0] is None and splits[1] is not None  # a register without works is read whole
    split = splits[1]
    cases = [([Path("a.xml")], set(), ["w0", "w1"]),
             ([Path("my b.xml")], set(), ["w0", "w2", "w3"]),
             ([Path("c.xml")], {"w3"}, ["w0", "w2", "w3"]),
             ([Path("d.xml")], {"w4", "nothing"}, ["w0", "w4"]),
             ([Path("a.xml"), Path("d.xml")], set(), ["w0", "w1"])]
    for n, (batch, pointers, expected) in enumerate(cases):
        assert extract_ids(split.extract(batch, pointers, tmp_path / f"{n}.xml")) == expected, batch


def test_extracts_keep_the_cited_in_pointers_into_their_batch(tmp_path: Path) -> None:
    """A work cited by many documents points back to each; a batch's extract keeps only the pointers into
    its own documents (a consolidated bibliography's citedIn notes grow with the edition)."""
    register = tmp_path / "bibliography.xml"
    register.write_text(BIBLIOGRAPHY.replace(
        '<ptr target="../tei/c.xml#b1"/>',
        '<ptr target="../tei/c.xml#b1"/> <ptr target="../tei/a.xml#b9"/>\n<ptr target="../tei/my%20b.xml#b2 ../tei/c.xml#b3"/>'),
        encoding="utf-8")
    split = tei.outputs.split_registers([register], tmp_path / "split")[0][0]
    ns = {"t": "http://www.tei-c.org/ns/1.0"}

    def cited(batch: list[str]) -> dict[str, list[str]]:
        from lxml import etree

        tree = etree.parse(str(split.extract([Path(b) for b in batch], set(), tmp_path / "x.xml")))
        assert not any(isinstance(n, etree._ProcessingInstruction) for n in tree.iter())  # no mark is left
        return {w.get("{http://www.w3.org/XML/1998/namespace}id"): w.xpath("t:note[@type='citedIn']//t:ptr/@target", namespaces=ns)
                for w in tree.xpath("//t:listBibl/*[@xml:id]", namespaces=ns)}

    assert cited(["a.xml"]) == {"w0": ["../tei/a.xml#b9"], "w1": ["../tei/a.xml#b1"]}
    assert cited(["c.xml"]) == {"w0": ["../tei/c.xml#b1", "../tei/my%20b.xml#b2 ../tei/c.xml#b3"]}
    assert cited(["my b.xml", "d.xml"])["w0"] == ["../tei/my%20b.xml#b2 ../tei/c.xml#b3"]
    assert cited(["d.xml"]) == {"w0": []}  # the first work, always there, with no pointer into the batch


def test_pointer_tokens_cover_every_form_of_pointer(tmp_path: Path) -> None:
    doc = tmp_path / "d.xml"
    doc.write_text("""<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>
        <bibl corresp="#w1 bib:w2"/><ref target='edition.xml#w3'>x</ref><ptr target="w4"/></p></body></text></TEI>""")
    assert {"w1", "w2", "w3", "w4"} <= tei.outputs.pointer_tokens(doc)


def test_links_between_documents_survive_the_batches(tmp_path: Path, one_document_per_batch: None,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A document's pages get the other documents' stubs with only the anchors its pointers can reach,
    and link to them as one transformation does (by file name, by path, by slug, by a character reference)."""
    editorial = (FIXTURES / "editorial.xml").read_text(encoding="utf-8")
    links = ('<p>See <ref target="letter-notes.xml#ch2.s1">the letter</ref>, <ref target="../tei/letter-notes.xml#tn1">its'
             ' note</ref>, <ref target="letter-notes#fig1">the figure</ref>, <ptr target="letter-notes.xml&#x23;a1"/>'
             ' and <ref target="letter-notes.xml#nowhere">nothing</ref>.</p>')
    first_p = editorial.index("<p>", editorial.index("<body>"))
    (tmp_path / "editorial.xml").write_text(editorial[:first_p] + links + editorial[first_p:], encoding="utf-8")
    files = [tmp_path / "editorial.xml", *(p for p in OTHER if p.name != "editorial.xml")]
    for p in files[1:]:
        (tmp_path / p.name).write_bytes(p.read_bytes())
    files = [tmp_path / p.name for p in files]
    given: list[dict[Path, str]] = []
    real = tei.outputs.stubs_for
    monkeypatch.setattr(tei.outputs, "stubs_for", lambda *a: given.append(real(*a)) or given[-1])
    got = edition_outputs(files, REGISTERS, site_title=TITLE)
    assert differences(one_transformation(files, REGISTERS), got) == []
    page = got["html/editorial.html"].decode()
    for target in ("letter-notes.html#ch2.s1", "letter-notes.html#tn1", "letter-notes.html#fig1", "letter-notes.html#a1"):
        assert f'href="{target}"' in page
    assert "#nowhere" not in page
    # the editorial's batch read the letter's anchors its pointers name, and no others; other batches none
    letter = tmp_path / "letter-notes.xml"
    anchors = [re.findall(r'<anchor xml:id="([^"]*)"/>', stubs[letter]) for stubs in given if letter in stubs]
    assert sorted(map(sorted, anchors)) == [[]] * (len(files) - 2) + [["a1", "ch2.s1", "fig1", "tn1"]]


def test_the_real_edition_in_batches_is_one_transformation(built_edition: Path, one_document_per_batch: None,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The real consolidated bibliography (works pointing back with citedIn): each document's pages read
    an extract of it, and the site is the one transformation's, byte for byte."""
    from tei.metadata import discover
    from tei.paths import data_dir

    files = [built_edition / "tei" / f"{m.slug}.xml" for m in discover(data_dir("sources"))]
    consolidated = built_edition / "bibliography" / "edition-bibliography.xml"
    registers = [*register_files(data_dir("registers")), consolidated]
    sizes: list[int] = []
    real = tei.outputs.SplitRegister.extract
    monkeypatch.setattr(tei.outputs.SplitRegister, "extract",
                        lambda self, *a: sizes.append((path := real(self, *a)).stat().st_size) or path)
    got = edition_outputs(files, registers, site_title=TITLE)
    assert differences(one_transformation(files, registers), got) == []
    assert len(sizes) == len(files) and min(sizes) < consolidated.stat().st_size / 4  # extracts, not copies


def test_early_workers_only_where_the_conversion_leaves_a_core_idle() -> None:
    """The five sources: the thesis converts alone for most of the time, so the transform workers start
    then. Ten copies of each keep both cores converting to the end: no early workers (they would only
    compete). One process, or an edition that may need a fresh process per task: none either."""
    five = [411_000, 12_000, 190_000, 27_000, 1_082_000]  # about the bundled texts, in bytes
    workers = tei.outputs.early_workers(2, five)
    assert workers is not None and workers.processes == 2 and not workers.recycle
    workers.close()
    assert tei.outputs.early_workers(2, five * 10) is None
    assert tei.outputs.early_workers(1, five) is None
    assert tei.outputs.early_workers(2, [tei.outputs.RECYCLE_BYTES, 1]) is None
    assert tei.outputs.early_workers(2, []) is None


def test_early_workers_compile_at_idle_priority_and_return_to_normal(monkeypatch) -> None:
    """While the early workers compile, they run at SCHED_IDLE, and at the normal policy again after; a
    process that could not go back (no CAP_SYS_NICE, RLIMIT_NICE too low) is never lowered."""
    if not hasattr(os, "SCHED_IDLE"):
        pytest.skip("no SCHED_IDLE: not Linux")
    before = os.sched_getscheduler(0)
    seen = []
    monkeypatch.setattr(tei.outputs, "_transformer", lambda: seen.append(os.sched_getscheduler(0)) or Transformer())
    tei.outputs.warm_up(None, turn=threading.Lock())
    expected = os.SCHED_IDLE if tei.workers.may_restore_priority() else before
    assert seen == [expected] and os.sched_getscheduler(0) == before
    monkeypatch.setattr(tei.workers, "may_restore_priority", lambda: False)
    seen.clear()
    tei.outputs.warm_up(None, turn=threading.Lock())
    assert seen == [before] and os.sched_getscheduler(0) == before
    seen.clear()
    tei.outputs.warm_up(None)                     # a worker started for the stage itself: no change
    assert seen == [before]


def test_early_workers_started_at_idle_priority_run_their_tasks_at_the_normal_one() -> None:
    """start_early spawns the workers at idle priority (they inherit it), this process keeps its own,
    and the workers are back at the normal policy once warmed up, before any task."""
    if not hasattr(os, "SCHED_IDLE"):
        pytest.skip("no SCHED_IDLE: not Linux")
    before = os.sched_getscheduler(0)
    workers = tei.outputs.early_workers(2, [411_000, 12_000, 190_000, 27_000, 1_082_000])
    try:
        tei.outputs.start_early(workers)
        assert os.sched_getscheduler(0) == before
        assert workers.map(os.sched_getscheduler, [(0,), (0,)]) == [os.SCHED_OTHER, os.SCHED_OTHER]
    finally:
        workers.close()
