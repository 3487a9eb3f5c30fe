"""Editorial decisions: every removal, relocation and repair the pipeline makes.

Decisions are collected by the cleaning stage and the converters, written into the
teiHeader (``revisionDesc/change``), printed in the build report, and used by the
word check to tell recorded removals from losses.
"""

from __future__ import annotations

from dataclasses import dataclass

# kinds
REMOVED = "removed"      # text dropped from the edition (boilerplate, duplicates, artefacts)
REPAIRED = "repaired"    # text changed (mojibake, damaged punctuation)
MOVED = "moved"          # text relocated (e.g. digitisation notices into the teiHeader)
NOTED = "noted"          # damage seen and deliberately left as received


@dataclass(frozen=True)
class Decision:
    kind: str
    rule: str            # short machine-readable rule name, e.g. "boilerplate-link"
    description: str     # what was done and why, for the reader of the header
    text: str = ""       # the removed text, or "before → after" for repairs
    line: int | None = None  # line in the received source text, where known

    @property
    def removes_words(self) -> bool:
        return self.kind in (REMOVED, MOVED)
