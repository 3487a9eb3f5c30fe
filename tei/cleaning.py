"""Cleaning: received text → cleaned text, with every change recorded.

Stages, in order: mojibake repair (ftfy), Unicode NFC, web boilerplate removal,
passages repeated by the web capture. Damaged text that exists only once is
repaired and kept; only *repeats* are dropped. Each change becomes a
:class:`~tei.decisions.Decision`.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

import ftfy

from .decisions import NOTED, REMOVED, REPAIRED, Decision

# ftfy by default straightens curly quotes; the sources' typography is kept as received.
_FTFY = ftfy.TextFixerConfig(uncurl_quotes=False, normalization="NFC", explain=False)

# Mojibake of UTF-8 read as Windows-1252 always shows a lead byte (Â–ß, â–ï) followed by a
# continuation byte (a Latin-1 or Windows-1252 symbol); a line without such a pair cannot need
# ftfy, which is the slowest part of cleaning.
SUSPECT = re.compile(r"[\u00c2-\u00df\u00e2-\u00ef][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e"
                     r"\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]")
MOJIBAKE = re.compile(r"â€|Ã[\x80-\xbf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ ¡-¿]|Ã")
BOILERPLATE_LINE = re.compile(r"^\s*\[(?P<label>[^\]]*)\]\((?:#[^)]*)?\)\s*$")
EMPTY_LINK = re.compile(r"\[(?P<label>[^\]]+)\]\((?:#[^)]*)?\)")
BACK_LINK = re.compile(r"\s*\[back\]")
WORD = re.compile(r"\w+")
# After "’" these complete a contraction or possessive; anything else after a
# word-internal "’" in damaged text was an em dash before the damage.
CONTRACTION_TAILS = {"s", "t", "d", "m", "ll", "re", "ve"}
DAMAGED_DASH = re.compile(r"(?<=[\w)])’(?=([A-Za-z]+))")
DAMAGED_OPENING_QUOTE = re.compile(r"(?<=\s)’(?=\w)")

# A capital A with ring/tilde/circumflex or diaeresis inside a Latin word is what is left of a
# two-byte UTF-8 letter whose second byte the capture lost: it cannot be repaired safely.
RESIDUAL_DAMAGE = re.compile(r"\b[A-Za-z]+[ÂÃÄÅ][a-z]+\b")
MIN_REPEAT_WORDS = 12
RECAPTURE_MATCH = 0.95


@dataclass(frozen=True)
class CleaningProfile:
    """Which source-specific damage a text has (declared by its converter)."""

    recaptured_passages: bool = False   # the capture restarts and repeats damaged copies
    damaged_dashes: bool = False        # mojibake turned dashes and opening quotes into "’"


@dataclass
class CleanText:
    text: str
    decisions: list[Decision] = field(default_factory=list)

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")


def _words(text: str) -> list[str]:
    return WORD.findall(text.lower())


def repair_encoding(lines: list[str], profile: CleaningProfile) -> tuple[list[str], set[int], list[Decision]]:
    """ftfy + NFC on each line; returns the lines, the indexes that were damaged, decisions."""
    out: list[str] = []
    damaged: set[int] = set()
    decisions: list[Decision] = []
    for i, line in enumerate(lines):
        if line.isascii():
            out.append(line)  # nothing to repair or normalise
            continue
        fixed = ftfy.fix_text(line, config=_FTFY) if SUSPECT.search(line) else line
        fixed = unicodedata.normalize("NFC", fixed)
        if fixed != unicodedata.normalize("NFC", line) and MOJIBAKE.search(line):
            damaged.add(i)
            count = len(MOJIBAKE.findall(line))
            if profile.damaged_dashes:
                fixed, dash_log = _repair_damaged_punctuation(fixed)
            else:
                dash_log = []
            decisions.append(Decision(
                REPAIRED, "mojibake",
                f"Mojibake (UTF-8 read as Windows-1252) repaired with ftfy: {count} sequence(s)"
                + (f"; {len(dash_log)} damaged dash(es) or opening quote(s) restored" if dash_log else ""),
                text="; ".join(dash_log),
                line=i + 1,
            ))
        for m in RESIDUAL_DAMAGE.finditer(fixed):
            decisions.append(Decision(
                NOTED, "unrepairable-character",
                "A damaged character that cannot be restored with certainty is left as received",
                m.group(0), i + 1))
        out.append(fixed)
    return out, damaged, decisions


def _repair_damaged_punctuation(text: str) -> tuple[str, list[str]]:
    log: list[str] = []

    def dash(m: re.Match[str]) -> str:
        if m.group(1).lower() in CONTRACTION_TAILS:
            return m.group(0)
        start = max(0, m.start() - 12)
        log.append(f"“{text[start:m.start()]}’{m.group(1)}” → em dash")
        return "—"

    text = DAMAGED_DASH.sub(dash, text)

    def opening(m: re.Match[str]) -> str:
        log.append(f"“{text[m.start():m.start() + 14]}…” → opening quotation mark ‘")
        return "‘"

    text = DAMAGED_OPENING_QUOTE.sub(opening, text)
    return text, log


def remove_boilerplate(lines: list[str]) -> tuple[list[str | None], list[Decision]]:
    """Drop lines that are only a link with no target; unwrap such links inside text."""
    out: list[str | None] = []
    decisions: list[Decision] = []
    for i, line in enumerate(lines):
        if BOILERPLATE_LINE.match(line):
            decisions.append(Decision(REMOVED, "boilerplate-link",
                                      "Web navigation link removed (not part of the text)", line.strip(), i + 1))
            out.append(None)
            continue
        new = BACK_LINK.sub("", line)
        if new != line:
            decisions.append(Decision(REMOVED, "back-link",
                                      "Endnote return link “[back]” removed (the encoding links notes both ways)",
                                      "[back]", i + 1))
        unwrapped = EMPTY_LINK.sub(lambda m: m.group("label"), new)
        if unwrapped != new:
            for m in EMPTY_LINK.finditer(new):
                decisions.append(Decision(REPAIRED, "empty-link",
                                          "Markdown link with an empty target unwrapped; its text is kept",
                                          f"{m.group(0)} → {m.group('label')}", i + 1))
        out.append(unwrapped)
    return out, decisions


def _coverage(earlier: list[str], later: list[str]) -> float:
    """Share of ``later``'s words found, in order, in ``earlier``."""
    if not later:
        return 0.0
    sm = difflib.SequenceMatcher(None, earlier, later, autojunk=False)
    return sum(b.size for b in sm.get_matching_blocks()) / len(later)


def remove_repeats(lines: list[str | None], damaged: set[int], profile: CleaningProfile) -> list[Decision]:
    """Blank out paragraphs the capture repeated; keep the first copy. Mutates ``lines``."""
    decisions: list[Decision] = []
    seen: dict[tuple[str, ...], int] = {}
    earlier: list[tuple[int, list[str]]] = []
    for i, line in enumerate(lines):
        if line is None or not line.strip():
            continue
        words = _words(line)
        key = tuple(words)
        if len(words) >= MIN_REPEAT_WORDS and key in seen:
            decisions.append(Decision(
                REMOVED, "repeated-paragraph",
                f"Paragraph repeated verbatim by the web capture (first copy at line {seen[key] + 1}) removed",
                line, i + 1))
            lines[i] = None
            continue
        if profile.recaptured_passages and len(words) >= 5 and (i in damaged or line[:1].islower()):
            best = max(((j, _coverage(w, words)) for j, w in earlier), key=lambda x: x[1], default=(None, 0.0))
            if best[0] is not None and best[1] >= RECAPTURE_MATCH:
                decisions.append(Decision(
                    REMOVED, "recaptured-passage",
                    f"Damaged second copy of the paragraph at line {best[0] + 1} "
                    f"({best[1]:.0%} of its words repeat it) removed; the clean first copy is kept",
                    line, i + 1))
                lines[i] = None
                continue
        seen.setdefault(key, i)
        earlier.append((i, words))
    return decisions


def clean(text: str, profile: CleaningProfile = CleaningProfile()) -> CleanText:
    """The cleaning stage: received text in, cleaned text and its decisions out."""
    lines = text.split("\n")
    lines = [line.rstrip() for line in lines]
    repaired, damaged, decisions = repair_encoding(lines, profile)
    kept, boiler = remove_boilerplate(repaired)
    decisions += boiler
    decisions += remove_repeats(kept, damaged, profile)
    # A repair of a line that was then removed as a repeat is not worth reporting.
    removed_lines = {d.line for d in decisions if d.kind == REMOVED and d.rule.startswith("re")}
    decisions = [d for d in decisions if not (d.kind == REPAIRED and d.line in removed_lines)]
    # A removed line leaves an empty line so that line numbers stay those of the source.
    out = [line if line is not None else "" for line in kept]
    decisions.sort(key=lambda d: (d.line or 0, d.rule))
    return CleanText("\n".join(out), decisions)
