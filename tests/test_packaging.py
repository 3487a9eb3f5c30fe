"""`tei package` / `tei verify`: a BagIt 1.0 deposit an archive can ingest and check.

Most tests package a small edition built from one real source (fixtures/packaging/sources: the
edition metadata, source 000 and its metadata, as in sources/); one packages the real built edition.
"""

from __future__ import annotations

import hashlib
import shutil
import tomllib
import zipfile
from pathlib import Path

import bagit
import pytest
from click.testing import CliRunner
from lxml import etree

import tei
from tei.cli import cli
from tei.errors import UserError
from tei.packaging import check_tei, load_archival_schema, package, verify

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "packaging"
SOURCES = FIXTURE / "sources"
ARCHIVAL = Path(__file__).resolve().parent.parent / "schemas" / "archival"
NS = {"mets": "http://www.loc.gov/METS/", "xlink": "http://www.w3.org/1999/xlink",
      "t": "http://www.tei-c.org/ns/1.0", "dc": "http://purl.org/dc/elements/1.1/",
      "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/"}
SLUG = "verkhneuralsk-notebooks"


@pytest.fixture(scope="module")
def small_edition(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built edition of one document, with an HTML and a text output beside the TEI."""
    from tei.build import build

    out = tmp_path_factory.mktemp("small") / "edition"
    build(out, SOURCES)
    (out / "html").mkdir(exist_ok=True)  # tei build writes html/ and text/ too
    (out / "html" / f"{SLUG}.html").write_text("<!DOCTYPE html><html><body><p>reading text</p></body></html>\n")
    (out / "text").mkdir(exist_ok=True)
    (out / "text" / f"{SLUG}.txt").write_text("reading text\n")
    return out


@pytest.fixture(scope="module")
def bag(small_edition: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bag") / "deposit"
    package(out, edition_dir=small_edition, sources_dir=SOURCES)
    return out


def tags(path: Path) -> dict[str, str]:
    return dict(line.split(": ", 1) for line in path.read_text(encoding="utf-8").splitlines())


def sha(path: Path, alg: str = "sha256") -> str:
    return hashlib.new(alg, path.read_bytes()).hexdigest()


def copy_bag(bag: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy"
    shutil.copytree(bag, target)
    return target


# --------------------------------------------------------------------------- the bag itself


def test_the_bagit_library_validates_the_bag_as_bagit_1_0(bag: Path) -> None:
    loaded = bagit.Bag(str(bag))
    assert loaded.validate(processes=1)
    assert loaded.version_info == (1, 0)
    assert (bag / "bagit.txt").read_bytes() == b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
    assert sorted(loaded.algorithms) == ["sha256", "sha512"]


def test_both_manifests_list_every_payload_file_with_its_checksum(bag: Path) -> None:
    payload = sorted(p.relative_to(bag).as_posix() for p in (bag / "data").rglob("*") if p.is_file())
    for alg in ("sha256", "sha512"):
        lines = (bag / f"manifest-{alg}.txt").read_text().splitlines()
        entries = {name: digest for digest, name in (line.split(None, 1) for line in lines)}
        assert sorted(entries) == payload
        for name in payload:
            assert entries[name] == sha(bag / name, alg), name


def test_tag_manifests_cover_every_tag_file_sorted(bag: Path) -> None:
    expected = ["bag-info.txt", "bagit.txt", "dc.xml", "manifest-sha256.txt", "manifest-sha512.txt", "mets.xml"]
    for alg in ("sha256", "sha512"):
        lines = (bag / f"tagmanifest-{alg}.txt").read_text().splitlines()
        names = [line.split(None, 1)[1] for line in lines]
        assert names == expected
        for line in lines:
            digest, name = line.split(None, 1)
            assert digest == sha(bag / name, alg)


def test_payload_holds_tei_registers_schemas_sources_outputs_and_readme(bag: Path, small_edition: Path) -> None:
    data = bag / "data"
    assert (data / "tei" / f"{SLUG}.xml").is_file()
    assert sorted(p.name for p in (data / "registers").glob("*.xml")) == \
        sorted(p.name for p in (small_edition / "registers").glob("*.xml"))
    assert (data / "schemas" / "archival" / "mets.xsd").read_bytes() == (ARCHIVAL / "mets.xsd").read_bytes()
    assert (data / "schemas" / "tei-edition.rng").is_file()
    text = "texts/000_faa50b6bb2641567.txt"
    assert (data / "sources" / text).read_bytes() == (SOURCES / text).read_bytes()
    assert (data / "sources" / "edition.toml").is_file()
    assert (data / "html" / f"{SLUG}.html").read_bytes() == (small_edition / "html" / f"{SLUG}.html").read_bytes()
    assert (data / "text" / f"{SLUG}.txt").is_file()
    assert not any(p.name.startswith(".") for p in data.rglob("*")), "hidden files (caches, temporaries) stay out"
    readme = (data / "README.txt").read_text()
    assert tei.__version__ in readme
    for folder in ("tei/", "registers/", "schemas/", "sources/", "html/", "text/"):
        assert f"  {folder}" in readme, folder
    assert "bagit" in readme and "mets.xml" in readme and "dc.xml" in readme


def test_tei_in_the_bag_points_at_the_schemas_in_the_bag_and_is_otherwise_unchanged(bag: Path,
                                                                                    small_edition: Path) -> None:
    packed = (bag / "data" / "tei" / f"{SLUG}.xml").read_bytes()
    built = (small_edition / "tei" / f"{SLUG}.xml").read_bytes()
    hrefs = [pi.get("href") for pi in etree.fromstring(packed).getroottree().getroot().itersiblings(preceding=True)
             if isinstance(pi, etree._ProcessingInstruction) and pi.target == "xml-model"]
    assert hrefs and all(h.startswith("../schemas/") for h in hrefs)
    for href in hrefs:
        assert (bag / "data" / "tei" / href).resolve().is_file(), href
    body = packed[packed.index(b"<TEI"):]
    assert body == built[built.index(b"<TEI"):]


def test_bag_info_comes_from_the_tei_headers(bag: Path) -> None:
    info = tags(bag / "bag-info.txt")
    header = etree.parse(str(bag / "data" / "tei" / f"{SLUG}.xml"))
    publisher = header.findtext(".//t:publicationStmt/t:publisher", namespaces=NS)
    title = header.findtext(".//t:titleStmt/t:title[@type='main']", namespaces=NS)
    edition = tomllib.loads((SOURCES / "edition.toml").read_text())
    assert info["Source-Organization"] == publisher
    assert title in info["External-Description"]
    assert info["Bagging-Date"] == edition["date"]
    assert edition["date"] in info["External-Identifier"]
    assert info["Bag-Group-Identifier"] and info["External-Identifier"].startswith(info["Bag-Group-Identifier"])
    assert info["Bag-Software-Agent"].startswith(f"tei-edition {tei.__version__}")
    files = [p for p in (bag / "data").rglob("*") if p.is_file()]
    assert info["Payload-Oxum"] == f"{sum(p.stat().st_size for p in files)}.{len(files)}"
    assert info["Validation-Status"].startswith("valid: 1 TEI file(s)")


# --------------------------------------------------------------------------- catalogue metadata


@pytest.fixture(scope="module")
def mets_schema():
    return load_archival_schema(ARCHIVAL / "mets.xsd")


@pytest.fixture(scope="module")
def dc_schema():
    return load_archival_schema(ARCHIVAL / "dc-records.xsd")


def test_mets_and_dc_are_valid_against_the_official_schemas_offline(bag: Path, mets_schema, dc_schema) -> None:
    mets_schema.validate(str(bag / "mets.xml"))
    dc_schema.validate(str(bag / "dc.xml"))


def test_the_schema_check_is_not_vacuous(bag: Path, mets_schema, dc_schema, tmp_path: Path) -> None:
    mets = etree.parse(str(bag / "mets.xml"))
    mets.find(".//mets:file", NS).set("CHECKSUMTYPE", "SHA-999")
    assert not mets_schema.is_valid(mets)
    dc = etree.parse(str(bag / "dc.xml"))
    etree.SubElement(dc.find(".//oai_dc:dc", NS), "{%s}subtitle" % NS["dc"]).text = "not a DC element"
    assert not dc_schema.is_valid(dc)


def test_mets_lists_every_payload_file_with_checksum_size_and_mime_type(bag: Path) -> None:
    mets = etree.parse(str(bag / "mets.xml"))
    files = {f.find("mets:FLocat", NS).get("{%s}href" % NS["xlink"]): f for f in mets.iterfind(".//mets:file", NS)}
    payload = sorted(p.relative_to(bag).as_posix() for p in (bag / "data").rglob("*") if p.is_file())
    assert sorted(files) == payload
    for name, node in files.items():
        assert node.get("CHECKSUMTYPE") == "SHA-256"
        assert node.get("CHECKSUM") == sha(bag / name), name
        assert int(node.get("SIZE")) == (bag / name).stat().st_size
    mime = {name: node.get("MIMETYPE") for name, node in files.items()}
    assert mime[f"data/tei/{SLUG}.xml"] == "application/tei+xml"
    assert mime[f"data/html/{SLUG}.html"] == "text/html"
    assert mime[f"data/text/{SLUG}.txt"] == "text/plain"
    assert mime["data/schemas/archival/mets.xsd"] == "application/xml"


def test_mets_links_each_tei_file_to_its_outputs_and_source(bag: Path) -> None:
    mets = etree.parse(str(bag / "mets.xml"))
    href = {f.get("ID"): f.find("mets:FLocat", NS).get("{%s}href" % NS["xlink"])
            for f in mets.iterfind(".//mets:file", NS)}
    docs = mets.findall(".//mets:structMap[@TYPE='logical']//mets:div[@TYPE='document']", NS)
    assert len(docs) == 1
    linked = [href[fptr.get("FILEID")] for fptr in docs[0].iterfind("mets:fptr", NS)]
    assert linked[0] == f"data/tei/{SLUG}.xml"
    assert {f"data/html/{SLUG}.html", f"data/text/{SLUG}.txt",
            "data/sources/texts/000_faa50b6bb2641567.txt"} <= set(linked)
    registers = mets.find(".//mets:structMap[@TYPE='logical']//mets:div[@TYPE='registers']", NS)
    assert sorted(href[f.get("FILEID")] for f in registers.iterfind("mets:fptr", NS)) == \
        sorted(f"data/{p.relative_to(bag / 'data').as_posix()}" for p in (bag / "data" / "registers").glob("*.xml"))
    physical = mets.findall(".//mets:structMap[@TYPE='physical']//mets:fptr", NS)
    assert sorted(href[f.get("FILEID")] for f in physical) == sorted(href.values())


def test_dc_has_one_record_for_the_edition_and_one_per_document(bag: Path) -> None:
    dc = etree.parse(str(bag / "dc.xml"))
    records = dc.getroot().findall("record")
    assert [r.get("type") for r in records] == ["edition", "document"]
    header = etree.parse(str(bag / "data" / "tei" / f"{SLUG}.xml"))
    doc = records[1]
    assert doc.get("about") == f"data/tei/{SLUG}.xml"
    assert doc.findtext(".//dc:title", namespaces=NS) == \
        header.findtext(".//t:titleStmt/t:title[@type='main']", namespaces=NS)
    assert doc.findtext(".//dc:language", namespaces=NS) == \
        header.find(".//t:langUsage/t:language", NS).get("ident")
    edition = tomllib.loads((SOURCES / "edition.toml").read_text())
    assert records[0].findtext(".//dc:title", namespaces=NS) == edition["title"]
    assert not records[1].findall(".//dc:creator", NS), "source 000 names no author: none is invented"


# --------------------------------------------------------------------------- verify and tampering


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_verify_accepts_the_bag_with_a_summary(bag: Path) -> None:
    result = run("verify", str(bag))
    assert result.exit_code == 0, result.output
    assert "valid BagIt 1.0 bag" in result.output
    assert run("package", "--verify", str(bag)).exit_code == 0


def test_a_modified_file_is_named(bag: Path, tmp_path: Path) -> None:
    copy = copy_bag(bag, tmp_path)
    target = copy / "data" / "tei" / f"{SLUG}.xml"
    target.write_bytes(target.read_bytes().replace(b"Verkhneuralsk", b"Verkhneuralsq", 1))
    result = run("verify", str(copy))
    assert result.exit_code == 1
    assert f"data/tei/{SLUG}.xml: modified" in result.output
    assert not bagit.Bag(str(copy)).is_valid()


def test_a_deleted_file_is_named(bag: Path, tmp_path: Path) -> None:
    copy = copy_bag(bag, tmp_path)
    (copy / "data" / "sources" / "edition.toml").unlink()
    result = run("verify", str(copy))
    assert result.exit_code == 1
    assert "data/sources/edition.toml: missing" in result.output
    assert "Payload-Oxum" in result.output


def test_an_added_file_is_named(bag: Path, tmp_path: Path) -> None:
    copy = copy_bag(bag, tmp_path)
    (copy / "data" / "tei" / "intruder.xml").write_text("<x/>")
    result = run("verify", str(copy))
    assert result.exit_code == 1
    assert "data/tei/intruder.xml: unexpected" in result.output


def test_a_tampered_tag_file_is_named(bag: Path, tmp_path: Path) -> None:
    copy = copy_bag(bag, tmp_path)
    mets = copy / "mets.xml"
    mets.write_bytes(mets.read_bytes().replace(b"TEI edition", b"TEI editio", 1))
    result = run("verify", str(copy))
    assert result.exit_code == 1
    assert "mets.xml: modified" in result.output


def test_an_added_tag_file_is_named(bag: Path, tmp_path: Path) -> None:
    copy = copy_bag(bag, tmp_path)
    (copy / "notes.txt").write_text("added beside data/\n")
    result = run("verify", str(copy))
    assert result.exit_code == 1
    assert "notes.txt: unexpected (not in the tag manifest)" in result.output


def test_one_line_per_problem(bag: Path, tmp_path: Path) -> None:
    copy = copy_bag(bag, tmp_path)
    (copy / "data" / "text" / f"{SLUG}.txt").write_text("changed\n")
    (copy / "data" / "html" / f"{SLUG}.html").unlink()
    (copy / "data" / "extra.txt").write_text("extra\n")
    result = run("verify", str(copy))
    lines = [line for line in result.output.splitlines() if line.startswith(str(copy) + ": data/")]
    assert len(lines) == 3, result.output


# --------------------------------------------------------------------------- zip and determinism


def test_two_zips_are_byte_identical_and_verify(small_edition: Path, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    package(tmp_path / "a" / "deposit.zip", edition_dir=small_edition, sources_dir=SOURCES, zip_output=True)
    package(tmp_path / "b" / "deposit.zip", edition_dir=small_edition, sources_dir=SOURCES, zip_output=True)
    first = (tmp_path / "a" / "deposit.zip").read_bytes()
    assert first == (tmp_path / "b" / "deposit.zip").read_bytes()
    package(tmp_path / "a" / "deposit.zip", edition_dir=small_edition, sources_dir=SOURCES, zip_output=True)
    assert (tmp_path / "a" / "deposit.zip").read_bytes() == first, "a re-run over its own zip gives the same bytes"
    assert run("verify", str(tmp_path / "a" / "deposit.zip")).exit_code == 0


def test_zip_entries_have_fixed_times_modes_and_relative_names(small_edition: Path, tmp_path: Path) -> None:
    package(tmp_path / "deposit.zip", edition_dir=small_edition, sources_dir=SOURCES, zip_output=True)
    edition = tomllib.loads((SOURCES / "edition.toml").read_text())
    y, m, d = map(int, edition["date"].split("-"))
    with zipfile.ZipFile(tmp_path / "deposit.zip") as zf:
        infos = zf.infolist()
        names = [i.filename for i in infos]
        assert names == sorted(names)
        assert all(n.startswith("deposit/") and ".." not in n for n in names)
        assert "deposit/bagit.txt" in names and f"deposit/data/tei/{SLUG}.xml" in names
        for info in infos:
            assert info.date_time == (y, m, d, 0, 0, 0)
            assert info.extra == b""
            assert (info.external_attr >> 16) & 0o777 == (0o755 if info.is_dir() else 0o644)


def test_source_date_epoch_sets_the_bagging_date(small_edition: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")     # 2023-11-14 22:13:20 UTC
    package(tmp_path / "d.zip", edition_dir=small_edition, sources_dir=SOURCES, zip_output=True)
    with zipfile.ZipFile(tmp_path / "d.zip") as zf:
        assert zf.infolist()[0].date_time == (2023, 11, 14, 22, 13, 20)
        info = zf.read("d/bag-info.txt").decode()
    assert "Bagging-Date: 2023-11-14" in info


def test_a_tampered_zip_is_caught(small_edition: Path, tmp_path: Path) -> None:
    package(tmp_path / "p.zip", edition_dir=small_edition, sources_dir=SOURCES, zip_output=True)
    with zipfile.ZipFile(tmp_path / "p.zip") as src, zipfile.ZipFile(tmp_path / "t.zip", "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == f"p/data/text/{SLUG}.txt":
                data = b"tampered\n"
            dst.writestr(info, data)
    result = run("verify", str(tmp_path / "t.zip"))
    assert result.exit_code == 1
    assert f"data/text/{SLUG}.txt: modified" in result.output


# --------------------------------------------------------------------------- refusing and bad input


def test_invalid_tei_is_refused_and_force_records_it(small_edition: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(small_edition, broken)
    tei_file = broken / "tei" / f"{SLUG}.xml"
    data = tei_file.read_bytes()
    at = data.index(b">", data.index(b"<body")) + 1
    tei_file.write_bytes(data[:at] + b"<bogusElement/>" + data[at:])
    with pytest.raises(UserError, match="validation error"):
        package(tmp_path / "refused", edition_dir=broken, sources_dir=SOURCES)
    assert not (tmp_path / "refused").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["broken"], "no staging folder left behind"
    result = package(tmp_path / "forced", edition_dir=broken, sources_dir=SOURCES, force=True)
    assert result.problems
    info = tags(tmp_path / "forced" / "bag-info.txt")
    assert info["Validation-Status"].startswith(f"forced despite {len(result.problems)} error(s)")
    assert bagit.Bag(str(tmp_path / "forced")).is_valid()


def test_not_well_formed_tei_is_refused_in_one_line(small_edition: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(small_edition, broken)
    (broken / "tei" / f"{SLUG}.xml").write_text("<TEI><unclosed></TEI>")
    result = run("package", "-q", "--out", str(tmp_path / "out"), "--edition", str(broken))
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "error:" in result.output and "Traceback" not in result.output


def test_never_overwrites_what_it_did_not_make(small_edition: Path, tmp_path: Path) -> None:
    mine = tmp_path / "someone-elses"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me\n")
    with pytest.raises(UserError, match="not a package made by"):
        package(mine, edition_dir=small_edition, sources_dir=SOURCES)
    assert (mine / "notes.txt").read_text() == "keep me\n"
    (tmp_path / "file.zip").write_bytes(b"not a zip")
    with pytest.raises(UserError, match="not a package made by"):
        package(tmp_path / "file.zip", edition_dir=small_edition, sources_dir=SOURCES, zip_output=True)
    assert (tmp_path / "file.zip").read_bytes() == b"not a zip"


def test_replaces_its_own_earlier_package(small_edition: Path, tmp_path: Path) -> None:
    out = tmp_path / "deposit"
    package(out, edition_dir=small_edition, sources_dir=SOURCES)
    (out / "data" / "stray.txt").write_text("left by a tamperer\n")
    package(out, edition_dir=small_edition, sources_dir=SOURCES)
    assert not (out / "data" / "stray.txt").exists()
    assert verify(out).ok
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deposit"]


@pytest.mark.parametrize("args, message", [
    (["package", "--out", "{tmp}/x", "--edition", "{tmp}/missing"], "edition folder not found"),
    (["package", "--out", "{tmp}/x", "--edition", "{tmp}"], "no TEI files"),
    (["package", "--out", "{tmp}/no/such/dir/x"], "folder for the package does not exist"),
    (["package"], "no --out given"),
    (["verify", "{tmp}/nothing-here"], "no such package"),
])
def test_bad_input_is_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    result = run(*[a.format(tmp=tmp_path) for a in args])
    assert result.exit_code == 1
    assert message in result.output and result.output.count("\n") == 1, result.output


def test_verify_rejects_a_folder_that_is_not_a_bag(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("x")
    result = run("verify", str(tmp_path))
    assert result.exit_code == 1
    assert "bagit.txt: missing" in result.output


def test_package_builds_when_no_edition_is_given(tmp_path: Path) -> None:
    result = package(tmp_path / "built", sources_dir=SOURCES)
    assert result.payload_files > 10
    assert (tmp_path / "built" / "data" / "tei" / f"{SLUG}.xml").is_file()
    assert verify(tmp_path / "built").ok


# --------------------------------------------------------------------------- the real edition


@pytest.mark.e2e
def test_the_real_edition_packages_and_verifies(built_edition: Path, tmp_path: Path, mets_schema) -> None:
    tei_files = sorted((built_edition / "tei").glob("*.xml"))
    invalid = bool(check_tei(tei_files).problems)     # the TEI's validity is tested elsewhere; here: packaging
    out = tmp_path / "edition.zip"
    result = package(out, edition_dir=built_edition, zip_output=True, force=invalid)
    report = verify(out)
    assert report.ok, report.problems
    with zipfile.ZipFile(out) as zf:
        zf.extractall(tmp_path / "x")
    bag = tmp_path / "x" / "edition"
    assert bagit.Bag(str(bag)).validate(processes=1)
    assert tags(bag / "bag-info.txt")["Validation-Status"].startswith("forced" if invalid else "valid")
    assert sorted(p.name for p in (bag / "data" / "tei").glob("*.xml")) == [p.name for p in tei_files]
    mets = etree.parse(str(bag / "mets.xml"))
    mets_schema.validate(mets)
    docs = mets.findall(".//mets:structMap[@TYPE='logical']//mets:div[@TYPE='document']", NS)
    assert len(docs) == len(tei_files)
    assert result.payload_files == sum(1 for p in (bag / "data").rglob("*") if p.is_file())
