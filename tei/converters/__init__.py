"""Per-source converters, looked up by the ``converter`` name in a source's metadata."""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

from ..errors import UserError

CONVERTERS = {
    "idz_notebooks": "idz_notebooks",
    "serge_preface": "serge_preface",
    "trotsky_biography": "trotsky_biography",
    "wsws_article": "wsws_article",
    "weissman_thesis": "weissman_thesis",
}


def get(name: str, meta_path: str | None = None) -> ModuleType:
    if name not in CONVERTERS:
        from ..metadata import field_line

        line = field_line(Path(meta_path), "converter") if meta_path else None
        raise UserError(f"unknown converter {name!r}", meta_path, line,
                        hint=f"known converters: {', '.join(sorted(CONVERTERS))}")
    return importlib.import_module(f"{__name__}.{CONVERTERS[name]}")
