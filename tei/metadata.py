"""Source and edition metadata (``sources/*.toml``), checked on load.

The metadata says what the text itself says about its origin; the teiHeader is
built from it, never from guesses.
"""

from __future__ import annotations

import datetime
import hashlib
import re
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

#: what each field of a source's metadata holds (checked on load: a list where a text is expected, or
#: a text where a list is, would otherwise reach the teiHeader as something the editor never wrote)
_KINDS = {
    "slug": "slug", "file": "text", "sha256": "sha256", "converter": "text", "language": "language",
    "title": "text", "title_supplied": "yes/no", "authors": "texts", "translators": "texts",
    "publisher": "text", "text_type": "text", "rights": "text", "provenance": "text", "author_note": "text",
    "pub_place": "text", "date": "date", "date_text": "text", "date_note": "text", "degree": "text",
    "institution": "text", "idnos": "pairs", "languages": "language pairs",
}
#: per kind of field: what it must be, and an example line
_EXPECTED = {
    "slug": ("letters, digits, '-' and '_', from a letter or digit (it names the output files)", 'slug = "serge-year-one-preface"'),
    "sha256": ("the 64 hexadecimal digits of the text's SHA-256 (`sha256sum` prints them)", None),
    "language": ("a BCP 47 language tag", 'language = "en"'),
    "yes/no": ("true or false, without quotes", "title_supplied = true"),
    "texts": ("a list of names in quotes ([] for none)", 'authors = ["Victor Serge"]'),
    "date": ("a date YYYY, YYYY-MM or YYYY-MM-DD", 'date = "1938-09"'),
    "day": ("a date YYYY-MM-DD (the edition's own date: the package's file times come from it)",
            'date = "2026-11-22"'),
    "pairs": ("a list of [type, value] pairs", 'idnos = [["ProQuest", "10983769"]]'),
    "language pairs": ("a list of [language tag, name] pairs", 'languages = [["en", "English"]]'),
    "text": ("a text in quotes", None),
}
SLUG = re.compile(r"[^\W_][\w-]*\Z")
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*\Z")
W3C_DATE = re.compile(r"\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?\Z")
DAY = re.compile(r"\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])\Z")
SHA256 = re.compile(r"[0-9a-fA-F]{64}\Z")
TEXT = re.compile(r"[\s\S]*\S")  # something besides white space
_PATTERNS = {"slug": SLUG, "sha256": SHA256, "language": LANGUAGE_TAG, "date": W3C_DATE, "day": DAY, "text": TEXT}


def field_line(path: Path, key: str) -> int | None:
    """The line where a TOML file sets ``key`` (for messages that send the editor to it)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    pattern = re.compile(rf"\s*{re.escape(key)}\s*=")
    return next((n for n, line in enumerate(lines, 1) if pattern.match(line)), None)


def _fits(kind: str, value: object) -> bool:
    if kind == "yes/no":
        return isinstance(value, bool)
    if kind == "texts":
        return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)
    if kind in ("pairs", "language pairs"):
        return isinstance(value, list) and all(
            isinstance(v, list) and len(v) == 2 and all(isinstance(x, str) and x.strip() for x in v)
            and (kind == "pairs" or LANGUAGE_TAG.match(v[0])) for v in value)
    if not isinstance(value, str):
        return False
    return _PATTERNS[kind].match(value) is not None


def _check_fields(path: Path, data: dict, kinds: dict[str, str]) -> None:
    for key, kind in kinds.items():
        if key in data and not _fits(kind, data[key]):
            what, example = _EXPECTED[kind]
            raise UserError(f"field {key!r} must be {what}, not {data[key]!r}"[:300], path, field_line(path, key),
                            hint=(f"for example {example}; " if example else "") + f"correct it in {path.name}")


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
    if isinstance(data.get("date"), datetime.date):
        data["date"] = data["date"].isoformat()  # date = 2026-11-22 without quotes is a TOML date
    for key in EditionMeta.__dataclass_fields__:
        if key not in data:
            raise UserError(f"edition metadata lacks the field {key!r}", path)
    _check_fields(path, data, {key: "day" if key == "date" else "text" for key in EditionMeta.__dataclass_fields__})
    return EditionMeta(**{k: data[k] for k in EditionMeta.__dataclass_fields__})


def load_source(path: Path) -> SourceMeta:
    data = _load_toml(path)
    missing = [k for k in _REQUIRED if not data.get(k)]
    if missing:
        raise UserError(f"metadata lacks required field(s): {', '.join(missing)}", path)
    known = set(SourceMeta.__dataclass_fields__) - {"meta_path"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise UserError(f"unknown metadata field(s): {', '.join(unknown)}", path, field_line(path, unknown[0]),
                        hint=f"known fields: {', '.join(sorted(known))}")
    _check_fields(path, data, _KINDS)
    if data.get("degree") and not data.get("institution"):
        raise UserError("a degree needs the institution that awarded it", path, field_line(path, "degree"),
                        hint='add institution = "…" as the thesis gives it')
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
            raise UserError(f"slug {meta.slug!r} is already used by {seen[meta.slug].name}", meta.meta_path,
                            field_line(meta.meta_path, "slug"), hint="each source needs a slug of its own")
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
