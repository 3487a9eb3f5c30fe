"""Nothing lost: every word of the cleaned source reaches the TEI, in order.

The TEI side is the text of ``<text>`` plus the header quotations of source text
(``quote[@source='#source']``, e.g. digitisation notices). Words the converter
removed by a recorded decision are allowed to be missing. Passages that moved
(footnotes placed at their call sites) are matched as moves, not losses.
Superscript digits are note-call glyphs (encoded as ``note/@n``) and are not words.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field

from lxml import etree

from .decisions import REMOVED, Decision
from .teixml import T

#: a word: letters and digits, never "_", and split at superscript digits (a note call glued to a word)
WORD = re.compile(r"[^\W_⁰¹²³⁴⁵⁶⁷⁸⁹]+")


def tokens(text: str) -> list[str]:
    return WORD.findall(text)


def tei_tokens(root: etree._Element) -> list[str]:
    words: list[str] = []
    for quote in root.iterfind(f"{T}teiHeader//{T}quote[@source='#source']"):
        words += tokens("".join(quote.itertext()))
    text = root.find(f"{T}text")
    if text is not None:
        words += tokens("".join(_itertext_spaced(text)))
    return words


# Elements that always separate words, even inside mixed content (a footnote at its call site).
BOUNDARIES = {T + n for n in ("note", "p", "head", "item", "cell", "l", "lb", "pb", "cb", "figure", "lg", "div",
                              "list", "table", "row", "listBibl", "cit", "closer", "opener", "label")}


def _itertext_spaced(node: etree._Element):
    """Text with a break at block boundaries, so adjacent blocks never fuse into one word,
    while inline markup (a title glued to the next word, as printed) adds no break."""
    if node.text:
        yield node.text
    mixed = bool(node.text and node.text.strip()) or any(c.tail and c.tail.strip() for c in node)
    for child in node:
        if isinstance(child.tag, str):
            gap = " " if (child.tag in BOUNDARIES or not mixed) else ""
            yield gap
            yield from _itertext_spaced(child)
            yield gap
        if child.tail:
            yield child.tail


@dataclass
class WordCheck:
    source_words: int
    tei_words: int
    moved_passages: int
    explained_words: int
    lost: Counter = field(default_factory=Counter)
    added: Counter = field(default_factory=Counter)
    first_loss: str = ""
    first_addition: str = ""

    @property
    def ok(self) -> bool:
        return not self.lost and not self.added

    def summary(self) -> str:
        state = "ok" if self.ok else "FAILED"
        text = (f"words: {self.source_words} in source, {self.tei_words} in TEI, {self.moved_passages} passage(s) moved, "
                f"{self.explained_words} removed by recorded decisions, {sum(self.lost.values())} lost, "
                f"{sum(self.added.values())} added: {state}")
        if self.first_loss:
            text += f"; first loss near: {self.first_loss!r}"
        if self.first_addition:
            text += f"; first addition near: {self.first_addition!r}"
        return text


ANCHOR = 6  # words in the n-grams that re-anchor the alignment after a difference


def align(src: list[str], tei: list[str]) -> tuple[bytearray, bytearray, int]:
    """Walk the source through the TEI, re-anchoring on n-grams after each difference.

    Linear time (difflib is quadratic on the thesis). Returns which source and TEI
    words were matched, and how many times the walk had to jump backwards (a moved
    passage, such as a footnote placed at its call site).
    """
    # where each n-gram of the TEI starts, made in bulk (most occur once; only recurring ones need a pass)
    grams = list(zip(*(tei[k:] for k in range(ANCHOR))))
    index = dict(zip(reversed(grams), ([j] for j in range(len(grams) - 1, -1, -1))))
    if len(index) < len(grams):
        recurring = {gram for gram, n in Counter(grams).items() if n > 1}
        for gram in recurring:
            index[gram] = []
        for j, gram in enumerate(grams):
            if gram in recurring:
                index[gram].append(j)
    used_src = bytearray(len(src))
    used_tei = bytearray(len(tei))
    cursor = 0
    jumps = 0
    i = 0
    while i < len(src):
        run = _run(src, i, tei, cursor, used_tei)
        if run:
            used_src[i:i + run] = used_tei[cursor:cursor + run] = b"\x01" * run
            i += run
            cursor += run
            continue
        pick = None
        candidates = index.get(tuple(src[i:i + ANCHOR]), ())
        if candidates:
            k = bisect.bisect_left(candidates, cursor)
            n = len(candidates)
            for step in range(n):
                pos = candidates[(k + step) % n]
                if not used_tei[pos]:
                    pick = pos
                    break
        if pick is None:
            i += 1
            continue
        if pick < cursor:
            jumps += 1
        cursor = pick
    return used_src, used_tei, jumps


def _run(src: list[str], i: int, tei: list[str], j: int, used_tei: bytearray) -> int:
    """How many words from ``src[i]`` and ``tei[j]`` on are the same, one for one, the TEI's not yet
    used: found by comparing slices, doubling and halving their length (most of a text matches in
    long runs, and a word-by-word loop in Python was most of the check's time)."""
    limit = min(len(src) - i, len(tei) - j)
    run, step = 0, 1
    while step:
        k = min(step, limit - run)
        if k and src[i + run:i + run + k] == tei[j + run:j + run + k] and used_tei.find(1, j + run, j + run + k) < 0:
            run += k
            step = step * 2 if k == step else 0
        else:
            step //= 2
    return run


def check(clean_text: str, root: etree._Element, decisions: list[Decision]) -> WordCheck:
    src = tokens(clean_text)
    tei = tei_tokens(root)
    explained: Counter = Counter()
    for d in decisions:
        if d.kind == REMOVED and d.text:
            explained.update(tokens(d.text))
    used_src, used_tei, jumps = align(src, tei)
    deleted = Counter(w for w, used in zip(src, used_src) if not used)
    inserted = Counter(w for w, used in zip(tei, used_tei) if not used)
    moved_counter = deleted & inserted
    deleted -= moved_counter
    inserted -= moved_counter
    explained_used = deleted & explained
    lost = deleted - explained_used
    result = WordCheck(len(src), len(tei), jumps, sum(explained_used.values()), lost, inserted)
    if lost:
        result.first_loss = " ".join(_context(src, used_src, lost))
    if inserted:
        result.first_addition = " ".join(_context(tei, used_tei, inserted))
    return result


def _context(words: list[str], used: bytearray, wanted: Counter) -> list[str]:
    for i, word in enumerate(words):
        if not used[i] and word in wanted:
            return words[max(0, i - 5): i + 6]
    return []
