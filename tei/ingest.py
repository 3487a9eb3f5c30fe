"""Reading source texts: the one place where bytes become text.

Refuses what cannot be a source text (missing, empty, binary, not UTF-8) with a
message naming the file and, where it helps, the line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .errors import UserError

BOM = "\ufeff"
MAX_SOURCE_BYTES = 64 * 1024 * 1024  # far above any real edition text; a bigger file is almost surely a mistake


@dataclass(frozen=True)
class SourceText:
    path: Path
    text: str
    had_crlf: bool = False
    had_bom: bool = False


def read_source(path: Path) -> SourceText:
    """Read a UTF-8 source text, normalising line endings to LF."""
    if not path.exists():
        raise UserError("source file not found", path, hint="check the 'file' entry of its metadata")
    if path.is_dir():
        raise UserError("expected a text file, found a directory", path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UserError(f"cannot read file: {exc.strerror}", path) from None
    if size > MAX_SOURCE_BYTES:
        raise UserError(f"source text too large ({size / 2**20:.0f} MiB; the limit is "
                        f"{MAX_SOURCE_BYTES // 2**20} MiB)", path, hint="split it into several sources")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"cannot read file: {exc.strerror}", path) from None
    if not data.strip():
        raise UserError("source file is empty", path, hint="supply the text or remove it from sources/")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        # UTF-16 with a byte-order mark is unambiguous: read it rather than refuse it.
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise UserError(f"UTF-16 text with invalid bytes at offset {exc.start}", path,
                            hint="convert the file to UTF-8") from None
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        return SourceText(path=path, text=text, had_crlf="\r" in data.decode("utf-16"), had_bom=True)
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise UserError("binary file, not a text (contains NUL bytes)", path, line,
                        hint="sources must be plain UTF-8 text")
    had_bom = data.startswith(b"\xef\xbb\xbf")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UserError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            path,
            line,
            hint="convert the file to UTF-8, e.g. iconv -f WINDOWS-1252 -t UTF-8",
        ) from None
    if had_bom:
        text = text[1:]
    had_crlf = "\r" in text
    if had_crlf:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return SourceText(path=path, text=text, had_crlf=had_crlf, had_bom=had_bom)
