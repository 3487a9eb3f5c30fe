"""Incremental builds: each kind of input change rebuilds what depends on it, and nothing is
reused that should not be."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

import tei.cache
from tei.build import build
from tests.conftest import ROOT

ONLY = ("verkhneuralsk-notebooks", "wsws-children-left-opposition")


@pytest.fixture()
def project(tmp_path: Path) -> tuple[Path, Path, Path]:
    sources = tmp_path / "sources"
    shutil.copytree(ROOT / "sources", sources)
    registers = tmp_path / "registers"
    registers.mkdir()
    for name in ("persons.xml", "places.xml", "organisations.xml"):
        if (ROOT / "registers" / name).is_file():
            shutil.copy(ROOT / "registers" / name, registers)
    return sources, registers, tmp_path / "out"


def run(project) -> dict[str, bool]:
    sources, registers, out = project
    report = build(out, sources, ONLY, registers_dir=registers)
    return {d.meta.slug: d.cached for d in report.documents}


def test_unchanged_inputs_reuse_every_document(project) -> None:
    assert run(project) == {s: False for s in ONLY}
    assert run(project) == {s: True for s in ONLY}


def test_changed_text_rebuilds_its_document(project) -> None:
    sources, _, out = project
    run(project)
    text = sources / "texts" / "003_0e26dad2d2acc2af.txt"
    text.write_text(text.read_text(encoding="utf-8").replace("gigantic leap", "giant leap"), encoding="utf-8")
    meta = sources / "003-wsws-children-left-opposition.toml"
    digest = hashlib.sha256(text.read_bytes()).hexdigest()
    meta.write_text("\n".join(f'sha256 = "{digest}"' if line.startswith("sha256") else line
                              for line in meta.read_text(encoding="utf-8").splitlines()), encoding="utf-8")
    assert run(project)["wsws-children-left-opposition"] is False
    assert "giant leap" in (out / "tei" / "wsws-children-left-opposition.xml").read_text(encoding="utf-8")


def test_changed_metadata_rebuilds_only_its_document(project) -> None:
    sources, _, out = project
    run(project)
    meta = sources / "000-verkhneuralsk-notebooks.toml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("an introduction", "an introduction by IdZ"),
                    encoding="utf-8")
    assert run(project) == {"verkhneuralsk-notebooks": False, "wsws-children-left-opposition": True}
    assert "an introduction by IdZ" in (out / "tei" / "verkhneuralsk-notebooks.xml").read_text(encoding="utf-8")


def test_changed_registers_edition_or_code_rebuild_everything(project, monkeypatch) -> None:
    sources, registers, _ = project
    run(project)
    (registers / "decisions.toml").write_text('ignore = ["Year Two"]\n', encoding="utf-8")
    assert run(project) == {s: False for s in ONLY}
    edition = sources / "edition.toml"
    edition.write_text(edition.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert run(project) == {s: False for s in ONLY}
    monkeypatch.setattr(tei.cache, "code_fingerprint", lambda: "a different toolkit")
    assert run(project) == {s: False for s in ONLY}


def test_damaged_or_deleted_output_is_rebuilt(project) -> None:
    _, _, out = project
    run(project)
    target = out / "tei" / "verkhneuralsk-notebooks.xml"
    good = target.read_bytes()
    target.write_bytes(good.replace(b"Verjneuralsk", b"Verkhneuralsk"))
    (out / "tei" / "wsws-children-left-opposition.xml").unlink()
    assert run(project) == {s: False for s in ONLY}
    assert target.read_bytes() == good


EDITION_FILES = ("bibliography/edition-bibliography.xml", "registers/persons.xml")


def test_unchanged_edition_files_are_not_made_again(project) -> None:
    """Every document reused: the consolidated bibliography and the registers' mentions stand without
    the documents being read again, and the report says what the first build said of them."""
    sources, registers, out = project
    first = build(out, sources, ONLY, registers_dir=registers)
    before = {name: (out / name).read_bytes() for name in EDITION_FILES}
    said: list[str] = []
    second = build(out, sources, ONLY, registers_dir=registers, progress=said.append)
    assert not any(line.startswith("consolidate the bibliography") for line in said)
    assert second.bibliography == first.bibliography and second.bibliography.works > 0
    assert {name: (out / name).read_bytes() for name in EDITION_FILES} == before


def test_edition_files_are_made_again_when_damaged_or_the_documents_differ(project) -> None:
    sources, registers, out = project
    run(project)
    bibliography = out / EDITION_FILES[0]
    good = bibliography.read_bytes()
    bibliography.write_bytes(good.replace(b"</listBibl>", b"<bibl>added by hand</bibl></listBibl>"))
    said: list[str] = []
    build(out, sources, ONLY, registers_dir=registers, progress=said.append)
    assert "consolidate the bibliography, list the register mentions" in said and bibliography.read_bytes() == good
    # the last build made them from other documents (as if one had been removed from the edition since)
    manifest = json.loads((out / tei.cache.CACHE_FILE).read_text(encoding="utf-8"))
    manifest["edition"]["documents"] = manifest["edition"]["documents"][:1]
    (out / tei.cache.CACHE_FILE).write_text(json.dumps(manifest), encoding="utf-8")
    said.clear()
    report = build(out, sources, ONLY, registers_dir=registers, progress=said.append)
    assert all(doc.cached for doc in report.documents)
    assert "consolidate the bibliography, list the register mentions" in said


def test_each_kind_of_input_remakes_what_reads_it(tmp_path: Path) -> None:
    """The real command in a project of its own (TEI_EDITION_HOME): a rebuild with nothing changed
    skips the transforms and keeps the validation's verdict; a changed stylesheet, site asset or
    Schematron is seen in the next build's outputs, though no document changed."""
    import os
    import subprocess
    import sys

    project = tmp_path / "project"
    for folder in ("sources", "registers", "transforms", "schemas"):
        shutil.copytree(ROOT / folder, project / folder)
    out = tmp_path / "out"
    only = [arg for slug in ONLY for arg in ("--only", slug)]

    def rebuild() -> str:
        done = subprocess.run([sys.executable, "-m", "tei.cli", "build", "--out", str(out), "--jobs", "1", *only],
                              cwd=project, env={**os.environ, "TEI_EDITION_HOME": str(project)},
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-2000:]
        return done.stdout + done.stderr

    def edit(path: Path, old: str, new: str) -> None:
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new), encoding="utf-8")

    def report() -> dict:
        return json.loads((out / "build-report.json").read_text(encoding="utf-8"))["validation"]

    text_file = out / "text" / "wsws-children-left-opposition.txt"
    rebuild()
    first_text, first_validation = text_file.read_bytes(), report()
    assert first_validation["valid"] and "World Socialist Web Site" in first_text.decode()
    said = rebuild()
    assert "transform (unchanged, skipped)" in said and "validate TEI" not in said

    edit(project / "transforms" / "text.xsl", "string-join($facts, ' · ')", "string-join($facts, ' | ')")
    said = rebuild()
    assert "transform (unchanged, skipped)" not in said and "cached   wsws-children-left-opposition" in said
    assert text_file.read_bytes() == first_text.replace(" · ".encode(), b" | ", 1)

    with (project / "transforms" / "assets" / "edition.css").open("a", encoding="utf-8") as css:
        css.write("\n/* an editor's rule */\n")
    rebuild()
    assert (out / "html" / "assets" / "edition.css").read_text(encoding="utf-8").endswith("/* an editor's rule */\n")

    schematron = project / "schemas" / "tei-edition.sch"
    plain = schematron.read_text(encoding="utf-8")
    edit(schematron, '<pattern id="identifiers">', '<pattern id="house-rule"><rule context="tei:TEI">'
         '<assert test="false()">a house rule every document breaks</assert></rule></pattern>\n  '
         '<pattern id="identifiers">')
    said = rebuild()
    assert "validate TEI" in said and not report()["valid"]
    assert any("a house rule every document breaks" in error for error in report()["errors"])
    assert (out / "schemas" / "tei-edition.sch").read_text(encoding="utf-8") == schematron.read_text(encoding="utf-8")
    schematron.write_text(plain, encoding="utf-8")
    rebuild()
    assert report() == first_validation
