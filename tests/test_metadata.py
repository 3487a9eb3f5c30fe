"""Source and edition metadata: every field checked on load, an error naming the file and the line."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tei.cli import cli
from tei.metadata import discover, field_line, load_edition
from tests.conftest import ROOT

META = "000-verkhneuralsk-notebooks.toml"


def _edited(tmp_path: Path, name: str, field: str, line: str | None) -> tuple[Path, Path]:
    """A copy of the bundled sources whose file ``name`` sets ``field`` by ``line`` (added if absent)."""
    src = tmp_path / "sources"
    shutil.copytree(ROOT / "sources", src)
    path = src / name
    lines = path.read_text(encoding="utf-8").splitlines()
    at = next((n for n, text in enumerate(lines) if re.match(rf"{field}\s*=", text)), None)
    if at is None:
        lines.append(line)
    else:
        lines[at] = line
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return src, path


def test_the_bundled_metadata_loads() -> None:
    metas = discover(ROOT / "sources")
    assert [m.slug for m in metas][0] == "verkhneuralsk-notebooks" and len(metas) == 5
    thesis = metas[-1]
    assert thesis.date == "1991-03" and thesis.idnos == [("ProQuest", "10983769")]
    assert load_edition(ROOT / "sources").date == "2026-11-22"


@pytest.mark.parametrize("field, line, fragment", [
    ("slug", "slug = 5", "field 'slug' must be letters, digits"),
    ("slug", 'slug = "my notes/part 1"', "field 'slug'"),
    ("title", 'title = ["The Notebooks"]', "field 'title' must be a text in quotes"),
    ("authors", 'authors = "Ante Ciliga"', "field 'authors' must be a list of names"),
    ("language", 'language = "English"', "field 'language' must be a BCP 47 language tag"),
    ("languages", 'languages = [["en"]]', "field 'languages'"),
    ("title_supplied", 'title_supplied = "yes"', "must be true or false"),
    ("sha256", 'sha256 = "e073457b"', "field 'sha256'"),
    ("date", 'date = "September 1938"', "field 'date' must be a date YYYY"),
    ("provenance", 'provenance = "   "', "field 'provenance' must be a text"),
    ("converter", 'converter = "idz"', "unknown converter 'idz'"),
    ("autor", 'autor = ["Ante Ciliga"]', "unknown metadata field(s): autor"),
    ("degree", 'degree = "Doctor of Philosophy"', "a degree needs the institution"),
])
def test_a_wrong_field_is_one_line_with_file_and_line(tmp_path: Path, field: str, line: str, fragment: str) -> None:
    src, path = _edited(tmp_path, META, field, line)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", "--sources", str(src), "--out", str(out), "-q"])
    assert result.exit_code == 1, result.output
    lines = [text for text in result.output.splitlines() if text.strip()]
    assert len(lines) == 1 and "Traceback" not in result.output
    assert lines[0].startswith(f"{path}:{field_line(path, field)}: error: ") and fragment in lines[0], lines[0]
    assert field_line(path, field) == path.read_text(encoding="utf-8").splitlines().index(line) + 1
    assert not out.exists()


def test_edition_date_as_text_or_toml_date(tmp_path: Path) -> None:
    src, path = _edited(tmp_path, "edition.toml", "date", "date = 2026-11-22")
    assert load_edition(src).date == "2026-11-22"  # a TOML date, unquoted
    for n, wrong in enumerate(('"22 November 2026"', '"2026-11"')):  # the package's file times need a day
        src, path = _edited(tmp_path / str(n), "edition.toml", "date", f"date = {wrong}")
        result = CliRunner().invoke(cli, ["build", "--sources", str(src), "--out", str(tmp_path / "o"), "-q"])
        assert result.exit_code == 1 and f"{path}:{field_line(path, 'date')}: error: field 'date'" in result.output


def test_the_field_reference_lists_every_field() -> None:
    """sources/README.md is what an editor adding a source reads: it names every field the loader knows."""
    from tei.metadata import EditionMeta, SourceMeta

    documented = set(re.findall(r"`(\w+)`", (ROOT / "sources" / "README.md").read_text(encoding="utf-8")))
    assert set(SourceMeta.__dataclass_fields__) - {"meta_path"} <= documented
    assert set(EditionMeta.__dataclass_fields__) <= documented
