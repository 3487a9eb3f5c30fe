"""Broken and unusual input across the commands: each gets a clear one-line error or correct
handling, the right exit code, no traceback and no half-written output."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from tests.conftest import ROOT

MINIMAL = ("<TEI xmlns=\"http://www.tei-c.org/ns/1.0\"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>"
           "<publicationStmt><p>P</p></publicationStmt><sourceDesc><p>S</p></sourceDesc></fileDesc></teiHeader>"
           "<text><body>{body}</body></text></TEI>")


def tei(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "tei.cli", *args], capture_output=True, text=True, timeout=300,
                          cwd=cwd, env=env)


def one_line_error(proc: subprocess.CompletedProcess) -> str:
    assert "Traceback" not in proc.stderr + proc.stdout
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert lines, proc.stdout
    return lines[-1]


def test_deeply_nested_tei_is_refused_clearly(tmp_path: Path) -> None:
    depth = 100_000
    path = tmp_path / "deep.xml"
    path.write_text(MINIMAL.format(body="<div>" * depth + "<p>x</p>" + "</div>" * depth), encoding="utf-8")
    validate = tei("validate", str(path))
    assert validate.returncode == 1 and "Traceback" not in validate.stderr
    assert "not well-formed" in validate.stdout or "depth" in validate.stdout.lower()
    out = tmp_path / "out"
    transform = tei("transform", "--to", "text", str(path), "--out", str(out))
    assert transform.returncode in (1, 2)
    assert "error" in one_line_error(transform)
    assert not any(out.rglob("*.txt"))


def test_path_with_spaces_and_non_ascii_letters(tmp_path: Path) -> None:
    folder = tmp_path / "Édition Serge – copie"
    shutil.copytree(ROOT / "sources", folder / "sources")
    out = folder / "sortie à part"
    proc = tei("build", "--sources", str(folder / "sources"), "--only", "verkhneuralsk-notebooks",
               "--out", str(out), "-q")
    assert proc.returncode == 0, proc.stderr
    built = out / "tei" / "verkhneuralsk-notebooks.xml"
    assert etree.parse(str(built)).getroot().tag.endswith("TEI")
    assert tei("validate", str(built)).returncode == 0
    html = tei("transform", "--to", "html", "--no-registers", str(built), "--out", str(out / "site à part"))
    assert html.returncode == 0, html.stderr
    assert (out / "site à part" / "index.html").is_file()


@pytest.mark.parametrize("encoding", ["utf-16", "cp1252", "latin-1"])
def test_source_in_another_encoding(tmp_path: Path, encoding: str) -> None:
    """UTF-16 with a byte-order mark is read; Windows-1252 and Latin-1 are a clear error."""
    sources = tmp_path / "sources"
    shutil.copytree(ROOT / "sources", sources)
    text = sources / "texts" / "000_faa50b6bb2641567.txt"
    raw = text.read_text(encoding="utf-8").replace("’", "'").replace("“", '"').replace("”", '"').replace("–", "-")
    text.write_bytes(raw.encode(encoding))
    meta = sources / "000-verkhneuralsk-notebooks.toml"
    meta.write_text("\n".join(line for line in meta.read_text(encoding="utf-8").splitlines()
                              if not line.startswith("sha256")), encoding="utf-8")
    out = tmp_path / "out"
    proc = tei("build", "--sources", str(sources), "--only", "verkhneuralsk-notebooks", "--out", str(out), "-q")
    if encoding == "utf-16":
        assert proc.returncode == 0, proc.stderr
        root = etree.parse(str(out / "tei" / "verkhneuralsk-notebooks.xml")).getroot()
        built = " ".join("".join(root.find("{http://www.tei-c.org/ns/1.0}text").itertext()).split())
        assert "Notebooks of the Verjneuralsk Trotskyists" in built and "Aleksei Gúsev" in built
        return
    assert proc.returncode == 1
    line = one_line_error(proc)
    assert "not valid UTF-8" in line and "000_faa50b6bb2641567.txt" in line and "iconv" in line
    assert not out.exists()


def test_tei_file_in_utf16_with_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "utf16.xml"
    path.write_bytes(('<?xml version="1.0" encoding="UTF-16"?>' + MINIMAL.format(body="<p>Serge</p>"))
                     .encode("utf-16"))
    assert tei("validate", str(path)).returncode == 0
    out = tmp_path / "out"
    proc = tei("transform", "--to", "text", str(path), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "Serge" in next(out.glob("*.txt")).read_text(encoding="utf-8")


def test_directory_where_a_file_is_expected(tmp_path: Path) -> None:
    (tmp_path / "folder.xml").mkdir()
    proc = tei("transform", "--to", "text", str(tmp_path / "folder.xml"), "--out", str(tmp_path / "o"))
    assert proc.returncode in (1, 2) and "error" in one_line_error(proc)


# --- random TEI through the transforms ----------------------------------------------------------

WORDS = st.text(st.characters(whitelist_categories=("Lu", "Ll", "Nd")), min_size=1, max_size=10)
INLINE = ["hi", "persName", "placeName", "title", "foreign", "emph", "q", "unknownThing"]
BLOCK = ["p", "ab", "quote", "note", "head", "lg", "list", "madeUpBlock"]


@st.composite
def tei_body(draw) -> tuple[str, list[str]]:
    words: list[str] = []

    def phrase(depth: int) -> str:
        parts = []
        for _ in range(draw(st.integers(1, 4))):
            if depth < 3 and draw(st.booleans()):
                name = draw(st.sampled_from(INLINE))
                parts.append(f"<{name}>{phrase(depth + 1)}</{name}>")
            else:
                word = draw(WORDS)
                words.append(word)
                parts.append(f" {word} ")
        return "".join(parts)

    blocks = []
    for _ in range(draw(st.integers(1, 5))):
        name = draw(st.sampled_from(BLOCK))
        if name == "lg":
            blocks.append(f"<lg><l>{phrase(0)}</l></lg>")
        elif name == "list":
            blocks.append(f"<list><item>{phrase(0)}</item></list>")
        elif name in ("note", "quote"):
            blocks.append(f"<p>{phrase(0)}<{name}>{phrase(1)}</{name}></p>")
        else:
            blocks.append(f"<{name}>{phrase(0)}</{name}>")
    return f"<div>{''.join(blocks)}</div>", words


@pytest.fixture(scope="module")
def transformer():
    from tei.transform import Transformer

    return Transformer()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(tei_body())
def test_random_tei_through_the_transforms_loses_no_text(transformer, tmp_path_factory, body) -> None:
    markup, words = body
    path = tmp_path_factory.mktemp("random") / "random.xml"
    path.write_text(MINIMAL.format(body=markup), encoding="utf-8")
    docs = transformer.load_all([path])
    as_bytes = lambda v: v if isinstance(v, bytes) else v.encode()  # noqa: E731
    pages = {name: as_bytes(data) for name, data in transformer.html(docs, []).items() if name.endswith(".html")}
    html_text = " ".join("".join(etree.HTML(data).itertext()) for data in pages.values())
    text = " ".join(as_bytes(data).decode("utf-8") for data in transformer.text(docs).values())
    for word in words:
        assert word in html_text, word
        assert word in text, word
