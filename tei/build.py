"""The build: sources → cleaned text → TEI tree → checked file, for every document.

Documents are converted in memory first; files are written only when every
document succeeded, each through a temporary file renamed into place, so a
failed or interrupted build never leaves half-written output.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from . import converters
from .cleaning import CleanText, clean
from .converters.base import Conversion
from .decisions import Decision
from .errors import UserError
from .header import build_header
from .ingest import read_source
from .metadata import DEFAULT_SOURCES, EditionMeta, SourceMeta, discover, load_edition, verify_checksum
from .teixml import assign_ids, check_unique_ids, el, to_bytes
from .wordcheck import WordCheck, check

SCHEMA_PIS = (
    '<?xml-model href="../../../schemas/tei-edition.rng" type="application/xml" '
    'schematypens="http://relaxng.org/ns/structure/1.0"?>',
    '<?xml-model href="../../../schemas/tei-edition.sch" type="application/xml" '
    'schematypens="http://purl.oclc.org/dsdl/schematron"?>',
)


@dataclass
class DocumentResult:
    meta: SourceMeta
    tree: etree._Element
    data: bytes
    decisions: list[Decision]
    words: WordCheck
    clean: CleanText

    @property
    def filename(self) -> str:
        return f"{self.meta.slug}.xml"


@dataclass
class BuildReport:
    documents: list[DocumentResult] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = []
        for doc in self.documents:
            kinds = Counter(d.kind for d in doc.decisions)
            rules = Counter(d.rule for d in doc.decisions)
            out.append(f"{doc.filename}: " + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
                       + (" (" + ", ".join(f"{r} ×{n}" for r, n in sorted(rules.items())) + ")" if rules else ""))
            out.append(f"  {doc.words.summary()}")
        return out

    def as_json(self) -> dict:
        return {
            "documents": [
                {
                    "file": doc.filename,
                    "source": doc.meta.file.name,
                    "decisions": [
                        {"kind": d.kind, "rule": d.rule, "line": d.line, "description": d.description, "text": d.text}
                        for d in doc.decisions
                    ],
                    "words": {
                        "source": doc.words.source_words, "tei": doc.words.tei_words,
                        "moved_passages": doc.words.moved_passages, "removed_by_decision": doc.words.explained_words,
                        "lost": sum(doc.words.lost.values()), "added": sum(doc.words.added.values()),
                    },
                }
                for doc in self.documents
            ]
        }


def convert_document(meta: SourceMeta, edition: EditionMeta) -> DocumentResult:
    """One source through every in-memory stage."""
    source = read_source(meta.file)
    verify_checksum(meta, meta.file.read_bytes())
    module = converters.get(meta.converter, str(meta.meta_path))
    cleaned = clean(source.text, module.PROFILE)
    conversion: Conversion = module.convert(cleaned, meta)
    decisions = sorted(cleaned.decisions + conversion.decisions, key=lambda d: (d.line or 0, d.rule))
    assign_ids(conversion.text)
    root = el("TEI", {"xml:lang": meta.language},
              build_header(meta, edition, conversion, decisions), conversion.text)
    dupes = check_unique_ids(root)
    if dupes:
        raise UserError(f"converter produced duplicate xml:id(s): {', '.join(sorted(set(dupes))[:5])}", meta.file)
    words = check(cleaned.text, root, conversion.decisions)
    data = to_bytes(root, SCHEMA_PIS)
    return DocumentResult(meta, root, data, decisions, words, cleaned)


_UMASK = os.umask(0)
os.umask(_UMASK)


def write_atomic(path: Path, data: bytes) -> None:
    """Write through a temporary file in the same folder, then rename over the target."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def build(out: Path, sources_dir: Path = DEFAULT_SOURCES, only: tuple[str, ...] = (),
          progress: Callable[[str], None] = lambda _msg: None, strict_words: bool = True) -> BuildReport:
    edition = load_edition(sources_dir)
    metas = discover(sources_dir)
    if only:
        unknown = sorted(set(only) - {m.slug for m in metas})
        if unknown:
            raise UserError(f"no source with slug {', '.join(unknown)}", sources_dir,
                            hint="slugs: " + ", ".join(m.slug for m in metas))
        metas = [m for m in metas if m.slug in only]
    report = BuildReport()
    for meta in metas:
        progress(f"convert  {meta.slug}")
        report.documents.append(convert_document(meta, edition))
    failed = [d for d in report.documents if not d.words.ok]
    if failed and strict_words:
        first = failed[0]
        raise UserError(f"word check failed: {first.words.summary()}", first.meta.file,
                        hint="a converter lost or invented text; nothing was written")
    for doc in report.documents:
        progress(f"write    tei/{doc.filename}")
        write_atomic(out / "tei" / doc.filename, doc.data)
    write_atomic(out / "build-report.json",
                 (json.dumps(report.as_json(), ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode())
    return report
