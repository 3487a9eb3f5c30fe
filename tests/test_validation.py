"""tei validate and the project's schemas.

The invalid fixtures are small real mistakes an editor makes, each with a sidecar
``.expected`` naming the rule that must catch it and a fragment of the message.
Both RELAX NG engines run over the whole suite (Jing when Java is present).
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from tei import validation as v
from tei.cli import cli

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
INVALID = FIXTURES / "invalid"
VALID = FIXTURES / "valid"
TEI_NS = "http://www.tei-c.org/ns/1.0"
LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): error: (?P<msg>.+) \[(?P<rule>[^\]]+)\]$")
SUMMARY = re.compile(r"^\d+ files?, \d+ valid, \d+ invalid, \d+ errors? \(engine: [^)]+\)$")

needs_java = pytest.mark.skipif(not v.java_available(), reason="Jing needs Java (java on PATH)")


def _make_schema():
    spec = importlib.util.spec_from_file_location("make_schema", ROOT / "scripts" / "make_schema.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _expected(path: Path) -> dict[str, str]:
    out = {}
    for line in path.with_suffix(".expected").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        key, _, value = line.partition(":")
        out[key.strip()] = value.strip()
    return out


INVALID_FILES = sorted(INVALID.glob("*.xml"))
VALID_FILES = sorted(VALID.glob("*.xml")) + sorted((VALID / "registers").glob("*.xml"))
OTHER_EDITIONS = sorted((VALID / "tei_all").glob("*.xml"))


def _run(paths: list[Path], specs=(), engine="auto") -> v.Report:
    return v.validate_paths(paths, specs, engine)


@pytest.fixture(scope="module")
def suite_reports() -> dict[str, dict[str, list[v.Problem]]]:
    """Every fixture through the default schemas, once per engine (one Jing run for all files)."""
    engines = ["lxml"] + (["jing"] if v.java_available() else [])
    out = {}
    for engine in engines:
        report = _run(INVALID_FILES + VALID_FILES, engine=engine)
        out[engine] = {d.path.name if d.path.parent != VALID / "registers" else "registers/" + d.path.name:
                       d.problems for d in report.documents}
    return out


@pytest.mark.parametrize("recycle", [False, True], ids=["workers", "fresh-process-per-task"])
def test_workers_give_the_report_one_process_gives(recycle: bool) -> None:
    """In a pool the files are checked in balanced groups (larger ones when every task takes a fresh
    process); the report still lists them in the order given."""
    from tei.workers import Runner

    files = INVALID_FILES[:6] + VALID_FILES[:4]
    serial = v.validate_paths(files, engine="lxml")
    with Runner(2, recycle=recycle) as run:
        collect = v.start_validation(files, engine="lxml", run=run)
        parallel = collect()
    assert [d.path for d in parallel.documents] == [d.path for d in serial.documents] == files
    assert parallel.lines() == serial.lines() and not parallel.valid


def test_a_worker_compiles_the_grammar_before_its_first_file(monkeypatch: pytest.MonkeyPatch) -> None:
    """A build's workers get their checkers while they warm up (tei.outputs.warm_up): the RELAX NG
    schema is compiled then, not in the first validation task, which runs when every core is busy."""
    monkeypatch.setattr(v, "_WORKER_CHECKERS", {})
    checkers = v.worker_checkers((), "lxml", None)
    monkeypatch.setattr(v.etree, "RelaxNG", lambda *_a, **_k: pytest.fail("the grammar was compiled in a check"))
    docs = [v.read_document(path, path.name) for path in (VALID / "minimal-edition.xml", INVALID_FILES[0])]
    report = v.validate_documents(docs, checkers)
    assert docs[0].problems == [] and docs[1].problems and not report.valid
    assert v.worker_checkers((), "lxml", None) is checkers  # once per process


# --------------------------------------------------------------------------- the fixture suite

def test_the_suite_is_large_enough() -> None:
    assert len(INVALID_FILES) >= 40
    assert all(p.with_suffix(".expected").exists() for p in INVALID_FILES)
    rules = {_expected(p)["rule"] for p in INVALID_FILES}
    # every family of checks has fixtures
    assert {"xml", "xml-safety", "tei-edition.rng", "sch:id-unique", "sch:pointer-local", "sch:note-sequence",
            "sch:date-w3c", "sch:not-empty", "sch:name-ref", "sch:pointer-register"} <= rules


@pytest.mark.parametrize("path", INVALID_FILES, ids=lambda p: p.stem)
def test_invalid_fixture_is_caught_by_its_rule(path: Path, suite_reports) -> None:
    expected = _expected(path)
    for engine, problems in suite_reports.items():
        found = problems[path.name]
        assert found, f"{path.name} passed with {engine}"
        by_rule = [p for p in found if p.rule == expected["rule"]]
        assert by_rule, f"{engine}: no [{expected['rule']}] problem in {[str(p) for p in found]}"
        if "message" in expected:
            assert any(expected["message"] in p.message for p in by_rule), [p.message for p in by_rule]
        if engine == "jing" and "jing" in expected:
            assert any(expected["jing"] in p.message for p in by_rule), [p.message for p in by_rule]
        for p in found:
            assert p.line >= 1 and p.column >= 1


@pytest.mark.parametrize("path", VALID_FILES, ids=lambda p: p.stem)
def test_valid_fixture_passes(path: Path, suite_reports) -> None:
    key = path.name if path.parent == VALID else "registers/" + path.name
    for engine, problems in suite_reports.items():
        assert problems[key] == [], f"{engine}: {[str(p) for p in problems[key]]}"


def test_other_editions_valid_against_tei_all_not_against_ours() -> None:
    """TEI from other editions: valid TEI P5, but outside the project's customisation."""
    assert v.find_tei_all() is not None
    report = _run(OTHER_EDITIONS, ["tei_all"])
    assert report.valid, report.lines()
    ours = _run(OTHER_EDITIONS)
    assert all(d.problems for d in ours.documents)
    assert any("not allowed" in p.message for p in ours.problems)


# --------------------------------------------------------------------------- Jing and lxml agree

# Files where libxml2's RELAX NG is known to judge differently from Jing (Jing wins). Empty today:
# every fixture agrees. libxml2 differs, for example, on ID/IDREF compatibility checks and reports
# fewer errors (it stops at the first failure in an element), which is why only valid/invalid is compared.
KNOWN_DISAGREEMENTS: dict[str, str] = {}


@needs_java
@pytest.mark.parametrize("schema", ["edition", "tei_all"])
def test_jing_and_lxml_agree_on_every_fixture(schema: str, built_edition: Path) -> None:
    files = INVALID_FILES + VALID_FILES + OTHER_EDITIONS + sorted((built_edition / "tei").glob("*.xml"))
    files = [f for f in files if f.stem not in KNOWN_DISAGREEMENTS]
    rng = v.PROJECT_RNG if schema == "edition" else v.find_tei_all()
    verdicts = {}
    for engine in ("jing", "lxml"):
        docs = [v.read_document(f) for f in files]
        v.RelaxNG(rng, engine).check(docs)
        verdicts[engine] = {d.path.name: not any(p.rule not in ("xml", "xml-safety") and p for p in d.problems)
                            for d in docs if d.checkable}
    differ = sorted(n for n in verdicts["jing"] if verdicts["jing"][n] != verdicts["lxml"][n])
    assert not differ, f"Jing and lxml disagree on {differ}"
    assert len(verdicts["jing"]) >= 50


@needs_java
def test_jing_runs_once_for_all_files(monkeypatch) -> None:
    calls = []
    real = subprocess.Popen

    def spy(cmd, *args, **kwargs):
        calls.append(cmd)
        return real(cmd, *args, **kwargs)

    monkeypatch.setattr(v.subprocess, "Popen", spy)
    report = _run(INVALID_FILES[:10] + VALID_FILES, engine="jing")
    assert len(calls) == 1
    assert report.engines[0] == "jing"


# --------------------------------------------------------------------------- the schemas themselves

def test_schema_admits_everything_the_edition_uses(built_edition: Path) -> None:
    """Fails when a converter starts using an element/attribute the schema lacks."""
    ms = _make_schema()
    files = ms.edition_files(built_edition)
    used = ms.collect_usage(files)
    admitted = ms.rng_content(v.PROJECT_RNG)
    missing = sorted(f"<{e}>" for e in used if e not in admitted)
    missing += sorted(f"<{e} @{a}>" for e in used if e in admitted for a in used[e] - admitted[e])
    assert not missing, ("the edition uses what schemas/tei-edition.rng does not admit: " + ", ".join(missing)
                         + " -- run scripts/make_schema.py")


def test_committed_schema_is_what_the_script_derives() -> None:
    """schemas/tei-edition.rng is exactly the derivation from tei_all and the allow-lists."""
    ms = _make_schema()
    tei_all = v.find_tei_all()
    allowed = ms.read_allow_list(ms.MARGIN, ms.USED)
    text = v.PROJECT_RNG.read_text(encoding="utf-8")
    signature = re.search(r"allow-list signature: (\w+)", text).group(1)
    assert signature == ms.schema_signature(allowed, tei_all), "run scripts/make_schema.py"
    tree, unusable, _ = ms.derive(tei_all, allowed)
    assert not unusable
    derived = {e.get("name") for e in tree.iter("{%s}element" % ms.RNG_NS)}
    committed = etree.parse(str(v.PROJECT_RNG))
    assert derived == {e.get("name") for e in committed.iter("{%s}element" % ms.RNG_NS)}
    # same grammar, up to the header comment
    for t in (tree.getroot(), committed.getroot()):
        for c in list(t):
            if not isinstance(c.tag, str):
                t.remove(c)
    assert len(committed.getroot()) == len(tree.getroot())


def test_odd_and_schema_list_the_same_elements() -> None:
    ms = _make_schema()
    odd = etree.parse(str(ROOT / "schemas" / "tei-edition.odd"))
    included = set()
    for ref in odd.iter("{%s}moduleRef" % TEI_NS):
        included.update(ref.get("include", "").split())
    assert included == set(ms.rng_content(v.PROJECT_RNG)), "run scripts/make_schema.py"
    # each attribute the ODD deletes is one the RNG does not allow
    admitted = ms.rng_content(v.PROJECT_RNG)
    for spec in odd.iter("{%s}elementSpec" % TEI_NS):
        for att in spec.iter("{%s}attDef" % TEI_NS):
            assert att.get("mode") == "delete"
            assert att.get("ident") not in admitted[spec.get("ident")]


def test_the_odd_documents_the_conventions() -> None:
    text = (ROOT / "schemas" / "tei-edition.odd").read_text(encoding="utf-8")
    for phrase in ('place="foot"', 'type="noteAnchor"', "Quotation marks are retained", "pers:trotsky-leon",
                   "prefixDef", "structured <gi>bibl</gi>", "(continued...)", "revisionDesc"):
        assert phrase in text, phrase


def test_every_document_valid_against_ours_is_valid_against_tei_all(built_edition: Path) -> None:
    """The restriction claim, checked on every document the suite has that our schema accepts."""
    files = VALID_FILES + sorted((built_edition / "tei").glob("*.xml"))
    ours = v.RelaxNG(v.PROJECT_RNG, "lxml")
    docs = [v.read_document(f) for f in files]
    ours.check(docs)
    accepted = [v.read_document(d.path) for d in docs if not d.problems]
    assert len(accepted) >= len(VALID_FILES)
    tei_all = v.RelaxNG(v.find_tei_all(), "jing" if v.java_available() else "lxml")
    tei_all.check(accepted)
    assert [str(p) for d in accepted for p in d.problems] == []


def test_odd_is_valid_tei() -> None:
    doc = v.read_document(ROOT / "schemas" / "tei-edition.odd")
    v.RelaxNG(v.find_tei_all(), "jing" if v.java_available() else "lxml").check([doc])
    assert doc.problems == []


def test_xsd_accepts_valid_and_rejects_invalid() -> None:
    report = _run(VALID_FILES + [INVALID / "unknown-element.xml", INVALID / "missing-title.xml"],
                  [str(ROOT / "schemas" / "tei-edition.xsd")])
    verdict = {d.path.name: not d.problems for d in report.documents}
    assert all(verdict[f.name] for f in VALID_FILES), report.lines()
    assert not verdict["unknown-element.xml"] and not verdict["missing-title.xml"]
    assert report.engines == ["xmlschema"]


# --------------------------------------------------------------------------- the built edition

def test_built_edition_is_valid_against_the_xsd(built_edition: Path) -> None:
    report = _run([built_edition / "tei"], [str(ROOT / "schemas" / "tei-edition.xsd")])
    assert report.valid, report.lines()[:10]


def test_built_files_point_at_the_schemas(built_edition: Path) -> None:
    for path in sorted((built_edition / "tei").glob("*.xml")):
        head = path.read_bytes()[:600].decode("utf-8")
        hrefs = re.findall(r'<\?xml-model href="([^"]+)"', head)
        assert len(hrefs) == 2, path.name
        for href in hrefs:
            target = (path.parent / href).resolve()
            assert target.is_file(), f"{path.name}: {href} does not resolve"
            assert target.read_bytes() == (ROOT / "schemas" / target.name).read_bytes()


@pytest.fixture(scope="module")
def edition_report(built_edition: Path) -> v.Report:
    return _run([built_edition / "tei", built_edition / "registers", built_edition / "bibliography"],
                engine="lxml")


def test_built_edition_is_valid(edition_report: v.Report) -> None:
    assert [str(p) for p in edition_report.problems[:20]] == []
    assert len(edition_report.documents) >= 9


def test_schema_has_no_ambiguous_repetitions() -> None:
    """tei_all's ``(A+, B*)+`` (listBibl, listPerson, …) makes libxml2 cubic in the list's length
    (1,200 bibliography entries took 1.3 s); the derived schema states the same language as ``A, (A|B)*``."""
    rng = etree.parse(str(v.PROJECT_RNG))
    ns = {"r": "http://relaxng.org/ns/structure/1.0"}
    ambiguous = rng.xpath("//r:oneOrMore[count(*) = 1]/r:group[count(*) = 2][*[1][self::r:oneOrMore]]"
                          "[*[2][self::r:zeroOrMore]]/ancestor::r:define[1]/@name", namespaces=ns)
    assert ambiguous == []


@pytest.mark.parametrize("children,valid", [
    ("<person xml:id='p1'/><person xml:id='p2'/><person xml:id='p3'/>", True),
    ("<person xml:id='p1'/><relation name='x' active='#p1' passive='#p2'/><person xml:id='p2'/>", True),
    ("<head>People</head>", False),
    ("<relation name='x' active='#p1' passive='#p2'/>", False),
])
def test_rewritten_lists_admit_what_tei_all_admits(children: str, valid: bool) -> None:
    """The rewrite keeps the language: one entry first, then entries and relations in any order."""
    doc = etree.fromstring(_minimal_with_body(f"<listPerson>{children}</listPerson>"))
    ours = v.RelaxNG(v.PROJECT_RNG, "lxml")._compiled()
    assert ours.validate(doc) is valid, ours.error_log
    tei_all = v.find_tei_all()
    if tei_all is not None:
        reference = etree.RelaxNG(etree.parse(str(tei_all)))
        assert reference.validate(doc) is valid


def _minimal_with_body(content: str) -> bytes:
    return (
        "<TEI xmlns='http://www.tei-c.org/ns/1.0'><teiHeader><fileDesc><titleStmt><title>t</title></titleStmt>"
        "<publicationStmt><p>p</p></publicationStmt><sourceDesc><p>s</p></sourceDesc></fileDesc></teiHeader>"
        f"<text><body><div>{content}</div></body></text></TEI>"
    ).encode()


# --------------------------------------------------------------------------- safe parsing

def test_doctype_with_external_dtd_is_never_loaded(tmp_path: Path) -> None:
    (tmp_path / "evil.dtd").write_text("<!ENTITY % broken SYSTEM 'http://127.0.0.1:9/x'> not a DTD", encoding="utf-8")
    text = (VALID / "minimal-edition.xml").read_text(encoding="utf-8").replace(
        "<TEI ", '<!DOCTYPE TEI SYSTEM "evil.dtd">\n<TEI ', 1)
    (tmp_path / "doc.xml").write_text(text, encoding="utf-8")
    for engine in ["lxml"] + (["jing"] if v.java_available() else []):
        report = _run([tmp_path / "doc.xml"], engine=engine)
        assert report.valid, (engine, report.lines())


def test_entity_expansion_is_refused_not_performed() -> None:
    report = _run([INVALID / "doctype-entities.xml", INVALID / "external-entity.xml"])
    text = "\n".join(report.lines())
    assert "root:" not in text and "lollollol" not in text
    assert all(p.rule == "xml-safety" for p in report.problems)


def test_huge_text_node_is_refused(tmp_path: Path) -> None:
    big = "<TEI xmlns='http://www.tei-c.org/ns/1.0'><text><body><p>" + "x" * (11 * 1024 * 1024) + "</p></body></text></TEI>"
    (tmp_path / "big.xml").write_text(big, encoding="utf-8")
    report = _run([tmp_path / "big.xml"], engine="lxml")
    assert [p.rule for p in report.problems] == ["xml"]


# --------------------------------------------------------------------------- the command

def _invoke(*args: str):
    return CliRunner().invoke(cli, ["validate", *args], catch_exceptions=False)


def test_cli_valid_exits_0_with_summary() -> None:
    result = _invoke(str(VALID / "minimal-edition.xml"), str(VALID / "registers"))
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and SUMMARY.match(lines[0])
    assert lines[0].startswith("3 files, 3 valid, 0 invalid, 0 errors")


def test_cli_invalid_exits_1_one_sorted_line_per_problem() -> None:
    result = _invoke(str(INVALID))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert SUMMARY.match(lines[-1])
    problems = [LINE.match(line) for line in lines[:-1]]
    assert all(problems), [line for line, m in zip(lines, problems) if not m][:3]
    keys = [(m["file"], int(m["line"]), int(m["col"])) for m in problems]
    assert keys == sorted(keys)
    assert {Path(m["file"]).name for m in problems} == {p.name for p in INVALID_FILES}
    n = len(INVALID_FILES)
    assert lines[-1].startswith(f"{n} files, 0 valid, {n} invalid, {len(problems)} errors")


def test_cli_json_has_the_same_content() -> None:
    text = _invoke(str(INVALID / "note-gap.xml"), str(INVALID / "empty-p.xml"))
    data = json.loads(_invoke("--format", "json", str(INVALID / "note-gap.xml"), str(INVALID / "empty-p.xml")).output)
    assert data["summary"] == {"files": 2, "valid": 0, "invalid": 2, "errors": len(data["errors"])}
    assert [f"{e['file']}:{e['line']}:{e['column']}: error: {e['message']} [{e['rule']}]" for e in data["errors"]] \
        == text.output.strip().splitlines()[:-1]


def test_cli_not_well_formed_gives_position_not_traceback() -> None:
    result = _invoke(str(INVALID / "not-well-formed-mismatch.xml"))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    m = LINE.match(result.output.splitlines()[0])
    assert m and m["rule"] == "xml" and (int(m["line"]), int(m["col"])) == (29, 351)


def test_cli_usage_errors_exit_2(tmp_path: Path) -> None:
    assert _invoke(str(tmp_path / "missing.xml")).exit_code == 2
    assert _invoke(str(tmp_path)).exit_code == 2  # a folder without XML
    assert _invoke("--schema", str(tmp_path / "nope.rng"), str(VALID / "minimal-edition.xml")).exit_code == 2
    (tmp_path / "x.txt").write_text("x")
    assert _invoke("--schema", str(tmp_path / "x.txt"), str(VALID / "minimal-edition.xml")).exit_code == 2


def test_cli_unreadable_file_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "locked.xml"
    target.write_text("<TEI/>")
    real = Path.read_bytes

    def denied(self: Path) -> bytes:
        # Permissions do not stop root (CI runs as root): refuse this one file the way the OS would.
        if self == target:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", denied)
    result = _invoke(str(target))
    assert result.exit_code == 2 and "Permission denied" in result.output


def test_cli_schema_choices() -> None:
    assert _invoke("--schema", "tei_all", str(OTHER_EDITIONS[0])).exit_code == 0
    assert _invoke("--schema", str(ROOT / "schemas" / "tei-edition.sch"), str(INVALID / "unknown-element.xml")).exit_code == 0
    result = _invoke("--schema", str(ROOT / "schemas" / "tei-edition.rng"), "--engine", "lxml", str(INVALID / "empty-p.xml"))
    assert result.exit_code == 0 and "(engine: lxml)" in result.output


def test_cli_folder_recurses(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    shutil.copy(VALID / "minimal-edition.xml", tmp_path / "a" / "b" / "one.xml")
    shutil.copy(INVALID / "empty-head.xml", tmp_path / "a" / "two.xml")
    (tmp_path / "a" / "notes.txt").write_text("ignored")
    result = _invoke(str(tmp_path))
    assert result.exit_code == 1
    assert result.output.strip().splitlines()[-1].startswith("2 files, 1 valid, 1 invalid, 1 error ")


# --------------------------------------------------------------------------- the Schematron compiler

SCH_HEAD = '<schema xmlns="http://purl.oclc.org/dsdl/schematron" queryBinding="xslt2"><ns prefix="t" uri="http://www.tei-c.org/ns/1.0"/>'


def _sch(tmp_path: Path, body: str, **attrs) -> Path:
    head = SCH_HEAD if not attrs else SCH_HEAD.replace("queryBinding", " ".join(f'{k}="{v_}"' for k, v_ in attrs.items()) + " queryBinding")
    path = tmp_path / "rules.sch"
    path.write_text(head + body + "</schema>", encoding="utf-8")
    return path


def test_schematron_first_matching_rule_wins_and_reports_fire(tmp_path: Path) -> None:
    sch = _sch(tmp_path, """
      <pattern id="p1">
        <rule context="t:p[@xml:id = 'introduction.p1']"><report id="first" test="true()">first rule</report></rule>
        <rule context="t:p"><report id="second" test="true()">second rule for <name/> <value-of select="@xml:id"/></report></rule>
      </pattern>""")
    report = _run([VALID / "minimal-edition.xml"], [str(sch)])
    assert [(p.rule, p.message) for p in report.problems] == [
        ("sch:first", "first rule"), ("sch:second", "second rule for p introduction.p2")]
    assert [p.line for p in report.problems] == [29, 30]


def test_schematron_abstract_patterns_rules_lets_and_phases(tmp_path: Path) -> None:
    sch = _sch(tmp_path, """
      <let name="limit" value="3"/>
      <phase id="short"><active pattern="counted"/></phase>
      <pattern id="base" abstract="true">
        <rule context="$el"><assert id="len" test="string-length(normalize-space(.)) le $max">too long: <name/></assert></rule>
      </pattern>
      <pattern id="counted" is-a="base"><param name="el" value="t:head"/><param name="max" value="$limit"/></pattern>
      <pattern id="other">
        <rule abstract="true" id="needs-id"><assert id="has-id" test="@xml:id">no id</assert></rule>
        <rule context="t:div"><extends rule="needs-id"/></rule>
        <rule context="t:note"><let name="n" value="number(@n)"/><report id="big" test="$n gt 1" diagnostics="d1">big note</report></rule>
      </pattern>
      <diagnostics><diagnostic id="d1">n=<value-of select="$n"/></diagnostic></diagnostics>""", defaultPhase="short")
    report = _run([VALID / "minimal-edition.xml"], [str(sch)])
    assert [(p.rule, p.message) for p in report.problems] == [("sch:len", "too long: head")]
    all_report = v.validate_documents([v.read_document(VALID / "minimal-edition.xml")], [v.Schematron(sch, "#ALL")])
    assert sorted(p.message for p in all_report.problems) == ["big note (n=2)", "too long: head"]


def test_schematron_dynamic_error_is_reported_not_raised(tmp_path: Path) -> None:
    sch = _sch(tmp_path, '<pattern id="boom"><rule context="t:p"><assert test="error()">x</assert></rule></pattern>')
    report = _run([VALID / "minimal-edition.xml"], [str(sch)])
    assert len(report.problems) == 1 and "pattern boom failed" in report.problems[0].message


def test_schematron_cannot_reach_the_network(tmp_path: Path) -> None:
    sch = _sch(tmp_path, '<pattern><rule context="/"><assert id="net" test="not(doc-available(\'http://127.0.0.1:9/x.xml\'))">fetched</assert></rule></pattern>')
    assert _run([VALID / "minimal-edition.xml"], [str(sch)]).valid


def test_bad_schematron_is_a_usage_error(tmp_path: Path) -> None:
    bad = _sch(tmp_path, '<pattern><rule context="t:p["><assert test="1">x</assert></rule></pattern>')
    assert _invoke("--schema", str(bad), str(VALID / "minimal-edition.xml")).exit_code == 2
    (tmp_path / "old.sch").write_text('<schema xmlns="http://www.ascc.net/xml/schematron"/>')
    assert _invoke("--schema", str(tmp_path / "old.sch"), str(VALID / "minimal-edition.xml")).exit_code == 2


def test_install_schemas_copies_what_the_pis_name(tmp_path: Path) -> None:
    written = v.install_schemas(tmp_path)
    names = {p.name for p in written}
    assert {"tei-edition.rng", "tei-edition.sch"} <= names
    before = (tmp_path / "schemas" / "tei-edition.rng").stat().st_mtime_ns
    v.install_schemas(tmp_path)
    assert (tmp_path / "schemas" / "tei-edition.rng").stat().st_mtime_ns == before


def test_a_large_corpus_is_checked_in_batches_with_the_same_result(monkeypatch, built_edition: Path) -> None:
    """Files are read and checked a few megabytes at a time, then released; the report is the same."""
    files = [built_edition / "tei", built_edition / "registers"]
    whole = v.validate_paths(files, engine="lxml")
    read: list[int] = []
    real_read = v.read_document
    monkeypatch.setattr(v, "BATCH_BYTES", 1)  # one file per batch
    monkeypatch.setattr(v, "read_document", lambda p, d: read.append(len(read)) or real_read(p, d))
    batched = v.validate_paths(files, engine="lxml")
    assert len(read) == len(batched.documents) == len(whole.documents) == 8
    assert batched.lines() == whole.lines()
    assert all(d.tree is None and d.raw == b"" for d in batched.documents)  # released


def test_batches_report_problems_of_every_batch(monkeypatch) -> None:
    good = FIXTURES / "valid"
    bad = sorted((FIXTURES / "invalid").glob("*.xml"))[:3]
    monkeypatch.setattr(v, "BATCH_BYTES", 1)
    report = v.validate_paths([*sorted(good.glob("*.xml"))[:2], *bad], engine="lxml")
    assert [bool(d.problems) for d in report.documents] == [False, False, True, True, True]
