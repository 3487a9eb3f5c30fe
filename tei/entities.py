"""Entities: persons, places and organisations marked in the text from the registers.

The registers (``registers/persons.xml``, ``places.xml``, ``organisations.xml``)
list every variant of every name. One matcher is compiled from all variants: a
dictionary from token sequences to register entries, matched longest-first over
each text node (linear in the text, however many names there are).

A form shared by several entries (``Sedov``: Lev or Sergei) is resolved by
context: an editor's decision (``registers/decisions.toml``) first, then the
nearest unambiguous mention of one of the candidates earlier in the same
division or in the same paragraph. What context cannot decide is left untagged
and reported (``tei entities report``), never guessed.

Pointers use prefixes declared in the header (``pers:trotsky-leon`` →
``../registers/persons.xml#trotsky-leon``).
"""

from __future__ import annotations

import re
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .errors import UserError
from .paths import data_dir
from .teixml import T, XML_ID, el

KINDS = {
    # kind: (register file, list element, entry element, name element, pointer prefix)
    "person": ("persons.xml", "listPerson", "person", "persName", "pers"),
    "place": ("places.xml", "listPlace", "place", "placeName", "place"),
    "org": ("organisations.xml", "listOrg", "org", "orgName", "org"),
}
NAME_ELEMENTS = {T + spec[3] for spec in KINDS.values()}
SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
# Words, superscript note calls ("Sobolevicius⁵⁵" is a name and a call) and single punctuation marks.
TOKEN = re.compile(rf"(?:(?![{SUPERSCRIPT_DIGITS}])[^\W_])+|[{SUPERSCRIPT_DIGITS}]+|[^\w\s]")
# Elements whose text is never searched for names.
SKIP = {T + n for n in ("teiHeader", "ref", "ptr", "idno", "date", "num", "measure", "gap")} | NAME_ELEMENTS
BLOCKS = {T + n for n in ("p", "head", "item", "note", "bibl", "quote", "cit", "l", "cell", "label", "closer",
                          "titlePart", "docAuthor", "byline", "docImprint", "figure", "signed", "dateline")}
CONTEXT_WORDS = 2500  # how far back, in words, an earlier mention may settle an ambiguous form


@dataclass(frozen=True)
class Entry:
    id: str
    kind: str
    preferred: str
    forms: tuple[str, ...]
    flagged: frozenset[str] = frozenset()   # forms the register marks subtype="ambiguous"

    @property
    def pointer(self) -> str:
        return f"{KINDS[self.kind][4]}:{self.id}"


@dataclass
class Registers:
    entries: dict[str, Entry] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.entries)


def load_registers(folder: Path | None = None) -> Registers:
    """Read whichever register files exist; a malformed file is a clear error."""
    folder = folder or data_dir("registers")
    registers = Registers()
    for kind, (filename, _list, entry_name, name_el, _prefix) in KINDS.items():
        path = folder / filename
        if not path.is_file():
            continue
        from .validation import safe_parser

        try:
            # From bytes: the safe parser's resolver refuses every external resource, the file included.
            tree = etree.fromstring(path.read_bytes(), safe_parser(), base_url=str(path)).getroottree()
        except etree.XMLSyntaxError as exc:
            raise UserError(f"register is not well-formed XML: {exc.msg}", path, exc.lineno) from None
        except OSError as exc:
            raise UserError(f"cannot read register: {exc}", path) from None
        if tree.docinfo.doctype:
            # Other readers (Saxon in the transforms) would process a DTD: refuse it here, once.
            raise UserError("register has a DOCTYPE declaration: refused (DTDs and entities are never processed)",
                            path, hint="registers are plain TEI: remove the DOCTYPE and write characters directly")
        registers.files[kind] = path
        for node in tree.iter(T + entry_name):
            ident = node.get(XML_ID)
            if not ident:
                raise UserError(f"a {entry_name} without xml:id", path, node.sourceline)
            if ident in registers.entries:
                raise UserError(f"xml:id {ident!r} is used twice in the registers", path, node.sourceline)
            names = [" ".join("".join(n.itertext()).split()) for n in node.findall(T + name_el)]
            names = [n for n in names if n]
            preferred = next((" ".join("".join(n.itertext()).split()) for n in node.findall(T + name_el)
                              if n.get("type") == "preferred"), names[0] if names else ident)
            flagged = frozenset(" ".join("".join(n.itertext()).split()) for n in node.findall(T + name_el)
                                if n.get("subtype") == "ambiguous")
            registers.entries[ident] = Entry(ident, kind, preferred, tuple(dict.fromkeys(names)), flagged)
    return registers


def tokens(text: str) -> list[re.Match[str]]:
    return list(TOKEN.finditer(text))


class Matcher:
    """All variants of all entries, compiled once into a token-sequence dictionary."""

    def __init__(self, registers: Registers) -> None:
        self.registers = registers
        self.table: dict[tuple[str, ...], list[str]] = defaultdict(list)
        self.inverted: set[tuple[str, ...]] = set()  # derived "Surname, Forenames" forms
        for entry in registers.entries.values():
            for form in entry.forms:
                key = tuple(m.group() for m in tokens(form))
                if key and entry.id not in self.table[key]:
                    self.table[key].append(entry.id)
        # Bibliographies invert names ("Wald, Alan M."): derive that form from every full name,
        # unless it would collide with a form another entry already has.
        for entry in registers.entries.values():
            if entry.kind != "person":
                continue
            for form in entry.forms:
                inverted = inverted_form(form)
                if inverted:
                    key = tuple(m.group() for m in tokens(inverted))
                    if not self.table.get(key):
                        self.table[key].append(entry.id)
                        self.inverted.add(key)
        # Entries that share a form with another: edition-wide evidence matters only for them.
        self.shared_ids = frozenset(i for ids in self.table.values() if len(ids) > 1 for i in ids)
        # for each first word, the lengths of the forms that start with it, longest first
        lengths: dict[str, set[int]] = defaultdict(set)
        for key in self.table:
            lengths[key[0]].add(len(key))
        self.lengths = {word: sorted(ns, reverse=True) for word, ns in lengths.items()}

    def find(self, text: str) -> list[tuple[int, int, list[str]]]:
        """Longest matches in ``text``: (start, end, candidate ids)."""
        toks = tokens(text)
        words = [t.group() for t in toks]
        out = []
        i = 0
        while i < len(toks):
            candidates = self.lengths.get(words[i])
            if candidates is None:
                i += 1
                continue
            # A match must start and end on word boundaries (not inside "Trotskyists").
            for n in candidates:
                if n > len(toks) - i:
                    continue
                key = tuple(words[i:i + n])
                ids = self.table.get(key)
                if ids and key in self.inverted and i + n < len(words) and words[i + n][:1].isupper():
                    continue  # "Sosnovsky, Leon Papermeister": a list, not an inverted name
                if ids and _whole_word(text, toks[i].start(), toks[i + n - 1].end()):
                    out.append((toks[i].start(), toks[i + n - 1].end(), ids))
                    i += n
                    break
            else:
                i += 1
        return out


def inverted_form(name: str) -> str | None:
    """"Alan M. Wald" → "Wald, Alan M."; None for one-word names or names already inverted."""
    words = name.split()
    if len(words) < 2 or "," in name or not words[-1][:1].isupper() or words[-1].endswith("."):
        return None
    return f"{words[-1]}, {' '.join(words[:-1])}"


def _whole_word(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not (_word_char(before) or _word_char(after))


def _word_char(char: str) -> bool:
    return char.isalnum() and char not in SUPERSCRIPT_DIGITS


# --- editor's decisions --------------------------------------------------------------

@dataclass(frozen=True)
class EditorDecision:
    document: str
    form: str
    context: str     # a snippet of the paragraph around the mention
    ref: str         # entry id, or "none" to leave the form untagged


def load_ignored(path: Path | None = None) -> frozenset[str]:
    """Strings the editor has judged not to be entities (``ignore = [...]`` in decisions.toml)."""
    path = path or data_dir("registers") / "decisions.toml"
    if not path.is_file():
        return frozenset()
    try:
        return frozenset(tomllib.loads(path.read_text(encoding="utf-8")).get("ignore", []))
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"decision file is not valid TOML: {exc}", path) from None


def load_decisions(path: Path | None = None) -> list[EditorDecision]:
    path = path or data_dir("registers") / "decisions.toml"
    if not path.is_file():
        return []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise UserError(f"decision file is not valid TOML: {exc}", path) from None
    out = []
    for i, item in enumerate(data.get("decision", []), 1):
        missing = [k for k in ("document", "form", "context", "ref") if k not in item]
        if missing:
            raise UserError(f"decision {i} lacks {', '.join(missing)}", path)
        out.append(EditorDecision(item["document"], item["form"], item["context"], item["ref"]))
    return out


# --- tagging ---------------------------------------------------------------------------

@dataclass
class Mention:
    entry: str
    form: str
    div: str          # xml:id of the nearest division
    block: str        # xml:id of the nearest block (paragraph, note, head…)


@dataclass
class Unresolved:
    form: str
    candidates: list[str]
    div: str
    block: str
    context: str


@dataclass
class TaggingResult:
    mentions: list[Mention] = field(default_factory=list)
    unresolved: list[Unresolved] = field(default_factory=list)
    kinds: Counter = field(default_factory=Counter)
    unwrapped: list[str] = field(default_factory=list)   # converter-marked names no register knows


def _nearest_id(node: etree._Element, names: set[str]) -> str:
    while node is not None:
        if node.tag in names and node.get(XML_ID):
            return node.get(XML_ID)
        node = node.getparent()
    return ""


DIVS = {T + n for n in ("div", "front", "body", "back", "text")}


def document_mentions(root: etree._Element) -> Iterator[tuple[str, str, str]]:
    """(entry id, division id, block id) of every marked name in a built document's text, in document
    order: what ``Tagger.tag`` found, read back from the file (each name's @ref), so that a build need
    not keep a large corpus's mentions in memory."""
    text = root.find(T + "text")
    for node in (text.iter(*NAME_ELEMENTS) if text is not None else ()):
        ref = node.get("ref", "")
        if ":" in ref:
            div = _nearest_id(node, DIVS)
            yield ref.partition(":")[2], div, _nearest_id(node, BLOCKS) or div


def _slots(root: etree._Element):
    """Text slots in document order: (element, 'text') and (child, 'tail'), skipping excluded elements."""
    def walk(node):
        if node.tag in SKIP:
            return
        if node.text:
            yield node, "text"
        for child in node:
            if isinstance(child.tag, str):
                yield from walk(child)
            if child.tail:
                yield child, "tail"
    yield from walk(root)


DOMINANCE = 5  # edition-wide, a candidate named unambiguously this many times more than the others wins


class Tagger:
    def __init__(self, matcher: Matcher, decisions: list[EditorDecision] | None = None) -> None:
        self.matcher = matcher
        self.decisions = decisions or []
        # the editor's rulings by (document, form): looked up for every mention, so not scanned
        self._rulings: dict[tuple[str, str], list[EditorDecision]] = defaultdict(list)
        for d in self.decisions:
            self._rulings[d.document, d.form].append(d)
        self.per_document: dict[str, Counter] = defaultdict(Counter)
        self.edition: Counter = Counter()

    def remember(self, counts: dict[str, int], document: str) -> None:
        """Evidence counted in an earlier run (see ``learn``)."""
        self.per_document[document].update(counts)
        self.edition.update(counts)

    def learn(self, text: str, document: str) -> None:
        """Count unambiguous mentions in a document's text: the evidence for resolving shared forms."""
        self.remember(self.evidence(text), document)

    def evidence(self, text: str) -> Counter:
        """The unambiguous mentions of each entry in a text (what ``learn`` counts), learning nothing."""
        return Counter(ids[0] for _start, _end, ids in self.matcher.find(text) if len(ids) == 1)

    def tag(self, text_el: etree._Element, document: str) -> TaggingResult:
        """Mark every registered name in ``text_el`` (a TEI ``<text>``) in place."""
        result = TaggingResult()
        recent: dict[str, int] = {}     # entry id -> word position of its last unambiguous mention
        position = 0
        self._link_existing(text_el, document, result)  # before the slots: it may unwrap elements
        slots = list(_slots(text_el))
        pending: list[tuple[etree._Element, str, list]] = []
        for node, slot in slots:
            value = node.text if slot == "text" else node.tail
            container = node if slot == "text" else node.getparent()
            matches = self.matcher.find(value)
            if not matches:
                position += len(value.split())
                continue
            block = _nearest_id(container, BLOCKS) or _nearest_id(container, DIVS)
            div = _nearest_id(container, DIVS)
            paragraph_text = ""
            chosen = []
            for start, end, ids in matches:
                form = value[start:end]
                word_pos = position + len(value[:start].split())
                if not paragraph_text and (len(ids) > 1 or self._has_decision(document, form)):
                    paragraph_text = " ".join("".join(_block_of(container).itertext()).split())
                ref = self._resolve(form, ids, recent, word_pos, paragraph_text, document, (value, start, end))
                if ref is None:
                    result.unresolved.append(Unresolved(form, ids, div, block, paragraph_text[:160]))
                    continue
                if ref == "none":
                    continue
                recent[ref] = word_pos
                entry = self.matcher.registers.entries[ref]
                result.mentions.append(Mention(ref, form, div, block))
                result.kinds[entry.kind] += 1
                chosen.append((start, end, entry))
            position += len(value.split())
            if chosen:
                pending.append((node, slot, chosen))
        for node, slot, chosen in pending:
            _insert(node, slot, chosen)
        return result

    def _link_existing(self, text_el: etree._Element, document: str, result: TaggingResult) -> None:
        """Names a converter already marked (e.g. authors in a bibliography) get their @ref here."""
        element_kind = {T + spec[3]: kind for kind, spec in KINDS.items()}
        for node in list(text_el.iter(*NAME_ELEMENTS)):
            if node.get("ref"):
                continue
            form = " ".join("".join(node.itertext()).split())
            kind = element_kind[node.tag]
            ids = [i for i in self.matcher.table.get(tuple(m.group() for m in tokens(form)), [])
                   if self.matcher.registers.entries[i].kind == kind]
            if not ids:
                # It names no single registered entity ("Mexico and Los Angeles"): unwrap it, so the
                # registered names inside are marked one by one and the rest is reported.
                _unwrap(node)
                result.unwrapped.append(form)
                continue
            block_el = _block_of(node)
            paragraph = " ".join("".join(block_el.itertext()).split())
            ref = self._resolve(form, ids, {}, 0, paragraph, document)
            div = _nearest_id(node, DIVS)
            block = _nearest_id(node, BLOCKS) or div
            if ref is None or ref == "none":
                # No @ref can be given: unwrap, so no name stands in the text without its pointer
                # (the pass over the text then reports it, or applies the "none" ruling).
                _unwrap(node)
            else:
                node.set("ref", self.matcher.registers.entries[ref].pointer)
                result.mentions.append(Mention(ref, form, div, block))
                result.kinds[kind] += 1

    def _has_decision(self, document: str, form: str) -> bool:
        return (document, form) in self._rulings

    def _resolve(self, form: str, ids: list[str], recent: dict[str, int], pos: int,
                 paragraph: str, document: str, local: tuple[str, int, int] | None = None) -> str | None:
        """``local``: the text slot and the mention's offsets in it, so that a decision whose
        context surrounds this very mention wins over one that merely occurs in the paragraph."""
        candidates = [d for d in self._rulings.get((document, form), ()) if d.context in paragraph]
        if local and len(candidates) > 1:
            value, start, end = local
            for d in candidates:
                at = value.find(d.context)
                while at != -1:
                    if at <= start and end <= at + len(d.context):
                        return d.ref
                    at = value.find(d.context, at + 1)
        if candidates:
            return candidates[0].ref
        if len(ids) == 1 and form not in self.matcher.registers.entries[ids[0]].flagged:
            return ids[0]
        # The nearest earlier unambiguous mention of a candidate, within reach, decides.
        seen = [(recent[i], i) for i in ids if i in recent and pos - recent[i] <= CONTEXT_WORDS]
        if seen:
            return max(seen)[1]
        # A candidate named in full in the same paragraph (after this mention) decides.
        in_paragraph = [i for i in ids if any(
            f in paragraph and len(f) > len(form) for f in self.matcher.registers.entries[i].forms)]
        if len(in_paragraph) == 1:
            return in_paragraph[0]
        # Exactly one candidate is named unambiguously elsewhere in this document.
        in_document = [i for i in ids if self.per_document[document][i]]
        if len(in_document) == 1:
            return in_document[0]
        # Across the edition one candidate is named far more often than all the others together.
        if len(ids) == 1:
            return None  # a form the register flags as ambiguous needs evidence in its own document
        ranked = sorted(ids, key=lambda i: -self.edition[i])
        top, others = self.edition[ranked[0]], sum(self.edition[i] for i in ranked[1:])
        if top >= 3 and top >= DOMINANCE * max(others, 1) and len(in_document) == 0:
            return ranked[0]
        return None


def _unwrap(node: etree._Element) -> None:
    """Replace an element by its content, keeping every character in place."""
    parent = node.getparent()
    index = parent.index(node)
    previous = node.getprevious()
    lead = node.text or ""
    if previous is not None:
        previous.tail = (previous.tail or "") + lead
    else:
        parent.text = (parent.text or "") + lead
    children = list(node)
    tail = node.tail or ""
    parent.remove(node)
    for k, child in enumerate(children):
        parent.insert(index + k, child)
    if children:
        children[-1].tail = (children[-1].tail or "") + tail
    elif previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail


def _block_of(node: etree._Element) -> etree._Element:
    probe = node
    while probe is not None:
        if probe.tag in BLOCKS:
            return probe
        probe = probe.getparent()
    return node


def _insert(node: etree._Element, slot: str, chosen: list[tuple[int, int, Entry]]) -> None:
    value = node.text if slot == "text" else node.tail
    pieces = []
    pos = 0
    for start, end, entry in chosen:
        pieces.append((value[pos:start], entry, value[start:end]))
        pos = end
    rest = value[pos:]
    lead = pieces[0][0]
    made = []
    for i, (_before, entry, form) in enumerate(pieces):
        name = KINDS[entry.kind][3]
        element = el(name, {"ref": entry.pointer}, form)
        tail = pieces[i + 1][0] if i + 1 < len(pieces) else rest
        element.tail = tail or None
        made.append(element)
    if slot == "text":
        node.text = lead or None
        for k, element in enumerate(made):
            node.insert(k, element)
    else:
        node.tail = lead or None
        parent = node.getparent()
        index = parent.index(node)
        for k, element in enumerate(made, 1):
            parent.insert(index + k, element)


def prefix_defs() -> etree._Element:
    """``listPrefixDef`` for the header: how ``pers:``, ``place:`` and ``org:`` pointers resolve."""
    return el("listPrefixDef", None, [
        el("prefixDef", {"ident": prefix, "matchPattern": "([a-z0-9][a-z0-9._-]*)",
                         "replacementPattern": f"../registers/{filename}#$1"},
           el("p", None, f"Pointers {prefix}:ID point at the {entry} with that xml:id in the register {filename}."))
        for filename, _l, entry, _n, prefix in KINDS.values()])


# --- the editor's report ---------------------------------------------------------------

CAPITALISED_RUN = re.compile(r"\b(?:[A-Z][a-zà-ÿ'’-]+(?:\s+(?:de|von|van|der|la|le|du|y)\s+|\s+)){1,4}[A-Z][a-zà-ÿ'’-]+\b"
                             r"|\b[A-Z][a-zà-ÿ]{2,}\b")


# Adjectives, movements and demonyms are not entities ("Stalinist", "Trotskyists", "Bolsheviks", "French").
_NOT_A_NAME = re.compile(r"(?:ists?|isms?|ians?|ish|ese|ics?|ites?|eans?|viks?|ness|ized?|ised?|ern|an)$")


def unregistered_candidates(text_el: etree._Element, registers: Registers, min_count: int = 2,
                            ignored: frozenset[str] = frozenset()) -> Counter:
    """Name-like strings the registers do not know: capitalised words not at a sentence start,
    that never occur in lower case in the document (so "Party" or "Revolution" are left out)."""
    pieces = [node.text if slot == "text" else node.tail for node, slot in _slots(text_el)]
    lower_words = {w for piece in pieces for w in re.findall(r"\b[a-z][a-z'’-]+\b", piece)}
    known = {w for e in registers.entries.values() for f in e.forms for w in f.split()}
    counts: Counter = Counter()
    for body, m in ((piece, m) for piece in pieces for m in CAPITALISED_RUN.finditer(piece)):
        candidate = m.group()
        start = m.start()
        before = body[max(0, start - 2):start]
        if not candidate.count(" ") and (before.endswith((". ", "\n", "“", '"')) or start == 0):
            continue  # a capitalised word at a sentence start says nothing
        words = candidate.split()
        if all(w.lower() in lower_words or w in known or w in _COMMON or _NOT_A_NAME.search(w) for w in words):
            continue
        if candidate in ignored:
            continue
        counts[candidate] += 1
    return Counter({k: v for k, v in counts.items() if v >= min_count})


_COMMON = set("""The A An In On At Of And But For With From By As To It He She They We I His Her Their Our This That These
Those There Here When While After Before Since Until Although However Thus Yet Also Only Even Not No Its One Two Three
January February March April May June July August September October November December Monday Tuesday Wednesday Thursday
Friday Saturday Sunday Mr Mrs Dr Vol No Ibid Ed Eds See Cf Chapter Section Part Introduction Abstract Notes
Bibliography Appendix Comrade General Soviet Soviets Russian Russians""".split())


# --- evaluation against hand annotation --------------------------------------------------

@dataclass
class Evaluation:
    true_positive: int = 0
    predicted: int = 0
    gold: int = 0
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.true_positive / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positive / self.gold if self.gold else 1.0

    def summary(self) -> str:
        return (f"precision {self.precision:.3f}, recall {self.recall:.3f} "
                f"({self.true_positive} of {self.gold} hand-annotated mentions found, {self.predicted} marked)")


def _spans(p: etree._Element, repair=lambda text: text) -> tuple[str, set[tuple[int, int, str]]]:
    """Plain text of a paragraph and its name spans (start, end, ref); ``repair`` is applied
    to each text piece (the gold keeps the received text, mojibake included)."""
    parts: list[str] = []
    spans: set[tuple[int, int, str]] = set()

    def walk(node):
        start = sum(len(x) for x in parts)
        if node.text:
            parts.append(repair(node.text))
        for child in node:
            if isinstance(child.tag, str):
                walk(child)
            if child.tail:
                parts.append(repair(child.tail))
        if node.tag in NAME_ELEMENTS and node.get("ref"):
            spans.add((start, sum(len(x) for x in parts), node.get("ref")))

    walk(p)
    return "".join(parts), spans


def _repair(text: str) -> str:
    """The cleaning stage's encoding repair, and nothing else (offsets must not move)."""
    from .cleaning import CleaningProfile, repair_encoding

    return "\n".join(repair_encoding(text.split("\n"), CleaningProfile(damaged_dashes=True))[0])


def evaluate(gold_dir: Path, tagger: Tagger) -> Evaluation:
    """Tag the plain text of every hand-annotated excerpt and compare spans and pointers exactly."""
    result = Evaluation()
    for path in sorted(gold_dir.glob("*.xml")):
        tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
        document = path.stem
        for p in tree.iter(T + "p"):
            if p.getparent() is None or p.getparent().get("type") != "excerpt":
                continue
            plain, gold = _spans(p, _repair)
            probe = el("p", {"xml:id": "excerpt"}, plain)
            Tagger.tag(tagger, el("text", None, el("body", None, el("div", {"xml:id": "d"}, probe))), document)
            _, predicted = _spans(probe)
            result.gold += len(gold)
            result.predicted += len(predicted)
            result.true_positive += len(gold & predicted)
            where = f"{path.name}:{p.sourceline}"
            result.misses += [f"{where}: {plain[s:e]!r} → {ref}" for s, e, ref in sorted(gold - predicted)]
            result.false_alarms += [f"{where}: {plain[s:e]!r} → {ref}" for s, e, ref in sorted(predicted - gold)]
    return result
