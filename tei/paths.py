"""Where the edition's data lives (sources, registers, schemas, transforms).

Looked up once, in order: ``$TEI_EDITION_HOME``; the current directory if it is a
project checkout; the checkout the package runs from (editable install); the copy
installed with the package under ``<prefix>/share/tei-edition``. A folder the
project lacks comes from the next place that has it.
"""

from __future__ import annotations

import os
import sys
from functools import cache
from pathlib import Path

MARKER = Path("sources") / "edition.toml"


def _candidates() -> list[Path]:
    out = []
    if os.environ.get("TEI_EDITION_HOME"):
        out.append(Path(os.environ["TEI_EDITION_HOME"]))
    out += [Path.cwd(), Path(__file__).resolve().parent.parent, Path(sys.prefix) / "share" / "tei-edition"]
    return out


@cache
def project_root() -> Path:
    for candidate in _candidates():
        if (candidate / MARKER).is_file():
            return candidate.resolve()
    return Path(__file__).resolve().parent.parent


def data_dir(name: str) -> Path:
    """``sources``, ``registers``, ``schemas`` or ``transforms`` of the project; a project folder that
    lacks one (an editor's folder with only sources/) gets the toolkit's own."""
    root = project_root()
    if (root / name).exists():
        return root / name
    for candidate in _candidates()[1:]:
        if (candidate / name).is_dir():
            return candidate.resolve() / name
    return root / name


def size_or_zero(path: Path) -> int:
    """A file's size for planning work (batches, pools); 0 when it cannot be read: the stage that
    reads it says what is wrong, with the file and what to do."""
    try:
        return path.stat().st_size
    except OSError:
        return 0
