"""Source and edition metadata (``sources/*.toml``), checked on load.

The metadata says what the text itself says about its origin; the teiHeader is
built from it, never from guesses.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import UserError
from .paths import data_dir

DEFAULT_SOURCES = data_dir("sources")


@dataclass(frozen=True)
class EditionMeta:
    title: str
    publisher: str
    pub_place: str
    date: str
    licence: str
    licence_url: str
    licence_note: str
    encoder: str
    encoder_role: str
    software: str


@dataclass(frozen=True)
class SourceMeta:
    slug: str
    file: Path
    sha256: str | None
    converter: str
    language: str
    title: str
    title_supplied: bool
    authors: list[str]
    translators: list[str]
    publisher: str
    text_type: str
    rights: str
    provenance: str
    meta_path: Path
    author_note: str | None = None
    pub_place: str | None = None
    date: str | None = None
    date_text: str | None = None
    date_note: str | None = None
    degree: str | None = None
    institution: str | None = None
    idnos: list[tuple[str, str]] = field(default_factory=list)
    languages: list[tuple[str, str]] = field(default_factory=list)


_REQUIRED = ("slug", "file", "converter", "language", "title", "publisher", "text_type", "rights", "provenance")


def _load_toml(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        raise UserError(f"metadata is not valid TOML: {exc}", path, line) from None
    except OSError as exc:
        raise UserError(f"cannot read metadata: {exc.strerror}", path) from None


def load_edition(sources_dir: Path = DEFAULT_SOURCES) -> EditionMeta:
    path = sources_dir / "edition.toml"
    if not path.is_file():
        raise UserError("edition metadata not found", path, hint="every sources/ folder needs an edition.toml")
    data = _load_toml(path)
    try:
        return EditionMeta(**{k: str(data[k]) for k in EditionMeta.__dataclass_fields__})
    except KeyError as exc:
        raise UserError(f"edition metadata lacks the field {exc.args[0]!r}", path) from None


def load_source(path: Path) -> SourceMeta:
    data = _load_toml(path)
    missing = [k for k in _REQUIRED if not data.get(k)]
    if missing:
        raise UserError(f"metadata lacks required field(s): {', '.join(missing)}", path)
    known = set(SourceMeta.__dataclass_fields__) - {"meta_path"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise UserError(f"unknown metadata field(s): {', '.join(unknown)}", path,
                        hint=f"known fields: {', '.join(sorted(known))}")
    values = dict(data)
    values["file"] = (path.parent / data["file"]).resolve()
    values.setdefault("sha256", None)
    values.setdefault("title_supplied", False)
    values.setdefault("authors", [])
    values.setdefault("translators", [])
    values["idnos"] = [tuple(x) for x in data.get("idnos", [])]
    values["languages"] = [tuple(x) for x in data.get("languages", [])] or [(data["language"], data["language"])]
    return SourceMeta(meta_path=path, **values)


def discover(sources_dir: Path = DEFAULT_SOURCES) -> list[SourceMeta]:
    """All source metadata files, in file-name order, with unique slugs."""
    if not sources_dir.is_dir():
        raise UserError("sources folder not found", sources_dir)
    metas = [load_source(p) for p in sorted(sources_dir.glob("*.toml")) if p.name != "edition.toml"]
    if not metas:
        raise UserError("no source metadata (*.toml) found", sources_dir)
    seen: dict[str, Path] = {}
    for meta in metas:
        if meta.slug in seen:
            raise UserError(f"slug {meta.slug!r} is already used by {seen[meta.slug].name}", meta.meta_path)
        seen[meta.slug] = meta.meta_path
    return metas


def verify_checksum(meta: SourceMeta, data: bytes) -> None:
    """Refuse a source whose bytes differ from the checksum its metadata records."""
    if meta.sha256 and hashlib.sha256(data).hexdigest() != meta.sha256:
        raise UserError(
            "source text does not match the sha256 in its metadata",
            meta.file,
            hint=f"if the change is intended, update sha256 in {meta.meta_path.name}",
        )
