from pathlib import Path

import pytest

from tei.errors import UserError
from tei.ingest import read_source


def test_reads_utf8_and_normalises_line_endings(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("\ufeffLeon Trotsky\r\n\r\nVerjneuralsk\r\n".encode("utf-8"))
    src = read_source(path)
    assert src.text == "Leon Trotsky\n\nVerjneuralsk\n"
    assert src.had_crlf and src.had_bom


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty"),
        (b"  \n\n", "empty"),
        (b"text\x00\x01\x02binary", "binary"),
        ("Ce que tout r\u00e9volutionnaire".encode("cp1252"), "not valid UTF-8"),
    ],
)
def test_refuses_bad_sources_with_file_and_reason(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(UserError) as err:
        read_source(path)
    text = str(err.value)
    assert message in text and str(path) in text
    assert "\n" not in text


def test_non_utf8_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes(b"line one\nline two\nSerge \xe9crit\n")
    with pytest.raises(UserError) as err:
        read_source(path)
    assert err.value.line == 3
    assert "iconv" in str(err.value)


def test_missing_and_directory(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="not found"):
        read_source(tmp_path / "nope.txt")
    with pytest.raises(UserError, match="directory"):
        read_source(tmp_path)
