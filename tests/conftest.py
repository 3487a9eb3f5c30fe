"""Shared fixtures: the real edition is built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TEI_ALL = ROOT.parent / "shared" / "schemas" / "tei_all.rng"


@pytest.fixture(scope="session")
def built_edition(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """OUT folder of a full ``tei build`` of the bundled sources (built once)."""
    from tei.build import build

    out = tmp_path_factory.mktemp("edition")
    build(out)
    return out


@pytest.fixture(scope="session")
def tei_all() -> Path:
    if not TEI_ALL.is_file():
        pytest.skip(f"TEI Consortium tei_all.rng not present at {TEI_ALL} (it lives outside the repository)")
    return TEI_ALL
