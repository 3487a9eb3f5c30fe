"""Incremental builds: a document is rebuilt only when something it depends on changed.

A document's key is a hash of everything its TEI depends on: the toolkit's code,
the edition metadata, its own metadata and text, the registers (with the editor's
decisions), and the name evidence the tagger uses for it (its own counts, and
the edition-wide counts of entries that share a form). The key and the output's
hash are kept in ``OUT/.tei-cache.json``; a document is reused only when both
match, so a hand-edited or damaged output is rebuilt too.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from .consolidation import Summary
from .decisions import Decision
from .entities import TaggingResult, Unresolved
from .wordcheck import WordCheck

if TYPE_CHECKING:
    from .build import DocumentResult
    from .entities import Tagger
    from .metadata import SourceMeta

CACHE_FILE = ".tei-cache.json"
FORMAT = 3  # 2: no mention lists (the built files hold them); 3: the edition-wide files' state
PACKAGE = Path(__file__).resolve().parent


def hash_files(paths: list[Path], root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(path.relative_to(root)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def code_fingerprint() -> str:
    return hash_files([p for p in PACKAGE.rglob("*.py")], PACKAGE)


def registers_fingerprint(folder: Path) -> str:
    if not folder.is_dir():
        return "none"
    return hash_files([p for p in folder.iterdir() if p.is_file() and p.suffix in (".xml", ".toml")], folder)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class BuildCache:
    def __init__(self, out: Path, sources_dir: Path, registers_dir: Path) -> None:
        self.out = out
        self.path = out / CACHE_FILE
        self.keys: dict[str, str] = {}
        self.new_evidence: dict[str, dict] = {}
        self.common = hashlib.sha256(
            (code_fingerprint() + registers_fingerprint(registers_dir)).encode()
            + (sources_dir / "edition.toml").read_bytes()).hexdigest()
        self.edition_state: dict | None = None
        try:
            manifest = json.loads(self.path.read_text(encoding="utf-8"))
            if manifest.get("format") == FORMAT:
                self.entries, self.edition_state = manifest["documents"], manifest.get("edition")
            else:
                self.entries = {}
        except (OSError, ValueError, KeyError):
            self.entries = {}
        self._saved_edition = self.edition_state

    def evidence(self, meta: SourceMeta) -> tuple[str, dict[str, int] | None]:
        """(key, cached counts or None): a text's name evidence depends on the text, registers and code."""
        key = hashlib.sha256((self.common + sha256(meta.file.read_bytes())).encode()).hexdigest()
        entry = self.entries.get(meta.slug, {}).get("evidence")
        if entry and entry.get("key") == key:
            return key, entry["counts"]
        return key, None

    def key(self, meta: SourceMeta, tagger: Tagger | None) -> str:
        digest = hashlib.sha256(self.common.encode())
        digest.update(meta.meta_path.read_bytes())
        digest.update(meta.file.read_bytes())
        if tagger:
            shared = tagger.matcher.shared_ids
            evidence = {
                "own": sorted(tagger.per_document[meta.slug].items()),
                "edition": sorted((i, n) for i, n in tagger.edition.items() if i in shared),
            }
            digest.update(json.dumps(evidence).encode())
        return digest.hexdigest()

    def lookup(self, meta: SourceMeta, tagger: Tagger | None) -> DocumentResult | None:
        key = self.keys[meta.slug] = self.key(meta, tagger)
        entry = self.entries.get(meta.slug)
        if not entry or entry.get("key") != key:
            return None
        try:
            data = (self.out / "tei" / f"{meta.slug}.xml").read_bytes()
        except OSError:
            return None
        if sha256(data) != entry.get("sha256"):
            return None
        return _restore(meta, self.out / "tei" / f"{meta.slug}.xml", entry["sha256"], entry["summary"])

    def edition(self, documents: list[DocumentResult], files: list[Path]) -> Summary | None:
        """The last build's bibliography summary, if it built these documents in this order and left
        ``files`` (the edition-wide files made from them) as they are now; else None."""
        state = self.edition_state
        if not state or state.get("documents") != [doc.filename for doc in documents]:
            return None
        if sorted(state.get("files", {})) != sorted(_relative(path, self.out) for path in files):
            return None
        for path in files:
            try:
                if sha256(path.read_bytes()) != state["files"][_relative(path, self.out)]:
                    return None
            except OSError:
                return None
        try:
            return Summary.from_json(state["bibliography"])
        except (KeyError, TypeError):
            return None

    def remember_edition(self, documents: list[DocumentResult], files: list[Path], summary: Summary | None) -> None:
        """What ``edition`` checks next time (saved with the documents)."""
        if summary is None:
            self.edition_state = None
            return
        self.edition_state = {
            "documents": [doc.filename for doc in documents],
            "files": {_relative(path, self.out): sha256(path.read_bytes()) for path in files if path.is_file()},
            "bibliography": {**summary.as_json(), "lines": list(summary.lines)},
        }

    def save(self, documents: list[DocumentResult], tagger: Tagger | None) -> None:
        from .build import write_if_changed

        if all(doc.cached for doc in documents) and not self.new_evidence and self.edition_state == self._saved_edition:
            return  # nothing new to remember
        for doc in documents:
            if doc.cached:
                continue
            key = self.keys.get(doc.meta.slug) or self.key(doc.meta, tagger)
            evidence = self.entries.get(doc.meta.slug, {}).get("evidence")
            self.entries[doc.meta.slug] = {"key": key, "sha256": doc.sha256, "summary": _summary(doc),
                                           "evidence": evidence}
        for slug, evidence in self.new_evidence.items():
            self.entries.setdefault(slug, {})["evidence"] = evidence
        data = json.dumps({"format": FORMAT, "documents": self.entries, "edition": self.edition_state},
                          sort_keys=True, ensure_ascii=False)
        write_if_changed(self.path, (data + "\n").encode("utf-8"))


def _relative(path: Path, out: Path) -> str:
    return path.relative_to(out).as_posix()


def _summary(doc: DocumentResult) -> dict:
    words = doc.words
    return {
        "decisions": [asdict(d) for d in doc.decisions],
        "words": {"source": words.source_words, "tei": words.tei_words, "moved": words.moved_passages,
                  "explained": words.explained_words},
        "entities": None if doc.entities is None else {
            "unresolved": [asdict(u) for u in doc.entities.unresolved],
            "kinds": dict(doc.entities.kinds),
            "unwrapped": doc.entities.unwrapped,
        },
    }


def _restore(meta: SourceMeta, path: Path, digest: str, summary: dict) -> DocumentResult:
    from .build import DocumentResult

    w = summary["words"]
    words = WordCheck(w["source"], w["tei"], w["moved"], w["explained"])
    entities = None
    if summary["entities"] is not None:
        e = summary["entities"]
        entities = TaggingResult([], [Unresolved(**u) for u in e["unresolved"]],
                                 Counter(e["kinds"]), list(e.get("unwrapped", [])))
    return DocumentResult(meta, [Decision(**d) for d in summary["decisions"]], words, entities, cached=True,
                          path=path, sha256=digest)
