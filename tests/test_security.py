"""Hostile XML against every command that reads XML: validate, transform, package, the registers.

Each attack is a real document. "Reading a file outside the input" is detected, not assumed:
the secret file is a named pipe, so any attempt to open it blocks and the command times out;
network attempts go to a listening socket on 127.0.0.1 that must see no connection.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

TIMEOUT = 120
MINIMAL = """<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>
<publicationStmt><p>P</p></publicationStmt><sourceDesc><p>S</p></sourceDesc></fileDesc></teiHeader>
<text><body><p>{body}</p></body></text></TEI>"""


def attacks(secret: Path, port: int) -> dict[str, str]:
    lol = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    return {
        "billion-laughs": f"<!DOCTYPE TEI [{lol}]>\n" + MINIMAL.format(body="&lol9;"),
        "quadratic-blowup": f'<!DOCTYPE TEI [<!ENTITY a "{"x" * 50000}">]>\n'
                            + MINIMAL.format(body="&a;" * 5000),
        "external-entity-file": f'<!DOCTYPE TEI [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
                                + MINIMAL.format(body="&xxe;"),
        "external-entity-network": f'<!DOCTYPE TEI [<!ENTITY xxe SYSTEM "http://127.0.0.1:{port}/x">]>\n'
                                   + MINIMAL.format(body="&xxe;"),
        "external-dtd": f'<!DOCTYPE TEI SYSTEM "http://127.0.0.1:{port}/evil.dtd">\n'
                        + MINIMAL.format(body="text"),
        "xinclude": MINIMAL.format(body=f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" '
                                        f'href="{secret}" parse="text"/>'),
        "pointer-outside": MINIMAL.replace(
            "</fileDesc>", '</fileDesc><encodingDesc><listPrefixDef><prefixDef ident="pers" '
            f'matchPattern="(.+)" replacementPattern="{secret}#$1"><p>x</p></prefixDef></listPrefixDef>'
            "</encodingDesc>").format(body='<persName ref="pers:x">X</persName> and '
                                           f'<ref target="{secret}">a link</ref>'),
    }


@pytest.fixture()
def hostile(tmp_path: Path):
    secret = tmp_path / "outside" / "secret"
    secret.parent.mkdir()
    os.mkfifo(secret)  # opening it for reading blocks: a read attempt shows as a timeout
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    listener.setblocking(False)
    port = listener.getsockname()[1]
    files = {}
    for name, text in attacks(secret, port).items():
        folder = tmp_path / "input" / name
        folder.mkdir(parents=True)
        files[name] = folder / f"{name}.xml"
        files[name].write_text(text, encoding="utf-8")
    yield files, listener, tmp_path
    listener.close()


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "tei.cli", *args], capture_output=True, text=True,
                          timeout=TIMEOUT, cwd=cwd, env=env)


def no_connection(listener: socket.socket) -> bool:
    try:
        listener.accept()
    except BlockingIOError:
        return True
    return False


ATTACKS = ["billion-laughs", "quadratic-blowup", "external-entity-file", "external-entity-network",
           "external-dtd", "xinclude", "pointer-outside"]


def _check(proc: subprocess.CompletedProcess, listener: socket.socket, out: Path | None = None) -> None:
    assert "Traceback" not in proc.stderr, proc.stderr[-2000:]
    assert no_connection(listener), "the command opened a network connection"
    if out is not None and out.exists():
        total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
        assert total < 20_000_000, "entity expansion reached the output"
        for path in out.rglob("*"):
            if path.is_file() and path.suffix in (".html", ".txt", ".xml", ".bib", ".json", ".ris"):
                assert "lollollol" not in path.read_text(encoding="utf-8", errors="replace")


@pytest.mark.parametrize("attack", ATTACKS)
def test_validate_refuses_or_neutralises(hostile, attack: str) -> None:
    files, listener, tmp = hostile
    proc = run("validate", str(files[attack]), cwd=tmp)
    _check(proc, listener)
    if attack not in ("pointer-outside", "external-dtd"):  # those two are neutralised: nothing is fetched
        assert proc.returncode == 1, proc.stdout + proc.stderr
        assert any(word in proc.stdout for word in ("refused", "not loaded", "xi:include", "DOCTYPE", "entity"))


@pytest.mark.parametrize("attack", ATTACKS)
def test_transform_refuses_or_neutralises(hostile, attack: str) -> None:
    files, listener, tmp = hostile
    out = tmp / "out"
    for target in ("html", "text", "bibliography"):
        proc = run("transform", "--to", target, "--no-registers", str(files[attack]), "--out", str(out / target),
                   cwd=tmp)
        _check(proc, listener, out)
        assert proc.returncode in (0, 1, 2)
        if proc.returncode:
            lines = [line for line in proc.stderr.splitlines() if line.strip()]
            assert lines and "error" in lines[-1]


@pytest.mark.parametrize("attack", ATTACKS)
def test_package_refuses_hostile_tei(hostile, attack: str, built_edition: Path) -> None:
    files, listener, tmp = hostile
    edition = tmp / "edition"
    shutil.copytree(built_edition, edition)
    shutil.copy(files[attack], edition / "tei" / files[attack].name)
    proc = run("package", "--edition", str(edition), "--out", str(tmp / "bag"), "-q", cwd=tmp)
    _check(proc, listener)
    if attack == "external-dtd":
        return  # neutralised: the DTD is never fetched, the document is valid TEI and may be packaged
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert not (tmp / "bag").exists()


@pytest.mark.parametrize("attack", ATTACKS)
def test_registers_refuse_hostile_xml(hostile, attack: str) -> None:
    files, listener, tmp = hostile
    registers = tmp / "registers"
    registers.mkdir()
    text = files[attack].read_text(encoding="utf-8").replace(
        "<text><body>", '<text><body><listPerson><person xml:id="x"><persName>Serge</persName></person>'
                        "</listPerson>")
    (registers / "persons.xml").write_text(text, encoding="utf-8")
    out = tmp / "out"
    proc = run("build", "--only", "verkhneuralsk-notebooks", "--registers", str(registers), "--out", str(out),
               "-q", cwd=ROOT)
    _check(proc, listener, out)
    if attack not in ("pointer-outside", "xinclude", "external-dtd"):
        assert proc.returncode == 1 and "persons.xml" in proc.stderr, proc.stderr


@pytest.mark.parametrize("slug", ["../../escaped", "sub/page", ".hidden", "a\\b"])
def test_a_slug_cannot_write_outside_the_output_folder(tmp_path: Path, slug: str) -> None:
    """A document's slug names its output files: a hostile one is refused before anything is written."""
    tei = MINIMAL.replace("<p>P</p></publicationStmt>", f"<idno type='slug'>{slug}</idno></publicationStmt>")
    source = tmp_path / "in" / "doc.xml"
    source.parent.mkdir()
    source.write_text(tei.format(body="Words."), encoding="utf-8")
    out = tmp_path / "deep" / "er" / "out"
    for target in ("html", "text"):
        proc = run("transform", "--to", target, "--no-registers", str(source), "--out", str(out), cwd=tmp_path)
        assert proc.returncode == 1, proc.stderr
        assert "cannot name a file" in proc.stderr and "Traceback" not in proc.stderr
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p != source]
    assert written == []
