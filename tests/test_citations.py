"""Citations in notes (tei/citations.py): recognised, marked as bibl, short forms and Ibid. linked.

The accuracy tests compare the converted thesis with a hand annotation of its footnotes
(tests/fixtures/citations/thesis_footnotes.json, see the README there): for each citation the
expected text, fields and -- for short forms, Ibid. and op. cit. -- the full entry it abbreviates,
written from reading the notes, not from the converter's output.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pytest
from lxml import etree

from tei import citations
from tei.citations import FULL, IBID, OPCIT, SHORT, Known, find_citations
from tei.converters import weissman_thesis as thesis
from tei.teixml import T, XML_ID
from tests.conftest import ROOT
from tests.converters.helpers import convert_text, text, xp

FIXTURE = Path(__file__).parent / "fixtures" / "citations" / "thesis_footnotes.json"
# annotated after the recogniser was written and not used to tune it
HELD_OUT = Path(__file__).parent / "fixtures" / "citations" / "thesis_footnotes_heldout.json"
FIELDS = ("author", "title", "date", "publisher", "pubPlace")
FIELD_THRESHOLD = 0.93
RESOLUTION_THRESHOLD = 0.9


def _norm(value: str) -> str:
    return " ".join(value.split())


@lru_cache(maxsize=1)
def _thesis() -> tuple[etree._Element, float]:
    source = (ROOT / "sources/texts/004_29ff760426a99548.txt").read_text(encoding="utf-8")
    start = time.perf_counter()
    _, tree = convert_text("weissman_thesis", source, "004-weissman-serge-thesis.toml")
    return tree, time.perf_counter() - start


def _notes(tree: etree._Element) -> dict[str, etree._Element]:
    return {n.get(XML_ID): n for n in tree.iter(T + "note") if n.get("place") == "foot"}


def _fixture(path: Path = FIXTURE) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["notes"]


def _fields(bibl: etree._Element) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {f: [] for f in FIELDS}
    for child in bibl:
        name = etree.QName(child).localname
        value = _norm("".join(child.itertext()))
        if name in out and value:
            out[name].append(value)
    return out


def _match(expected: dict, bibls: list[etree._Element], note_text: str) -> etree._Element | None:
    """The predicted bibl for an expected citation: same text, else the one overlapping it most
    (at least half of it)."""
    want = _norm(expected["text"])
    for b in bibls:
        if _norm(text(b)) == want:
            return b
    a = _norm(note_text).find(want)
    best, best_overlap = None, 0
    for b in bibls:
        got = _norm(text(b))
        x = _norm(note_text).find(got)
        if a < 0 or x < 0:
            continue
        overlap = min(a + len(want), x + len(got)) - max(a, x)
        if overlap > best_overlap:
            best, best_overlap = b, overlap
    return best if best_overlap * 2 >= len(want) else None


def _target_id(target: str | None, matched: dict[tuple[str, int], etree._Element | None]) -> str | None:
    """``ch1.n3#1`` (the first annotated citation of note ch1.n3) → the id of the bibl found for it."""
    if target is None or "#" not in target:
        return target
    note, k = target.split("#")
    found = matched.get((note, int(k)))
    return found.get(XML_ID) if found is not None else f"<not found: {target}>"


def _evaluate(path: Path = FIXTURE) -> dict:
    tree, _ = _thesis()
    notes = _notes(tree)
    matched: dict[tuple[str, int], etree._Element | None] = {}
    rows = []
    for entry in _fixture(path):
        note = notes[entry["note"]]
        bibls = [b for b in note.iter(T + "bibl")]
        for k, cit in enumerate(entry["citations"], start=1):
            got = _match(cit, bibls, "".join(note.itertext()))
            matched[(entry["note"], k)] = got
            rows.append((entry["note"], cit, got))
    field_right = Counter()
    exact_spans = 0
    resolution_right = 0
    references = 0
    misses = []
    for note_id, cit, got in rows:
        fields = _fields(got) if got is not None else None
        if got is not None and _norm(text(got)) == _norm(cit["text"]):
            exact_spans += 1
        for f in FIELDS:
            if fields is not None and fields[f] == [_norm(v) for v in cit[f]]:
                field_right[f] += 1
            else:
                misses.append(f"{note_id} {f}: {cit['text'][:50]!r} expected {cit[f]}, "
                              f"got {fields[f] if fields else 'no bibl'}")
        if cit["kind"] != FULL:
            references += 1
            want = _target_id(cit["target"], matched)
            have = got.get("corresp", "")[1:] or None if got is not None else "<no bibl>"
            if want == have:
                resolution_right += 1
            else:
                misses.append(f"{note_id} target: {cit['text'][:50]!r} expected {want}, got {have}")
    n = len(rows)
    return {
        "citations": n,
        "spans": exact_spans / n,
        "fields": {f: field_right[f] / n for f in FIELDS},
        "field_accuracy": sum(field_right.values()) / (n * len(FIELDS)),
        "references": references,
        "resolution": resolution_right / references,
        "misses": misses,
    }


# --- the hand annotation ---------------------------------------------------------------------

def test_fixture_covers_all_chapters_and_kinds() -> None:
    entries = _fixture()
    kinds = Counter(c["kind"] for e in entries for c in e["citations"])
    assert sum(kinds.values()) >= 60
    assert kinds[SHORT] >= 15 and kinds[IBID] >= 10 and kinds[OPCIT] >= 3
    sequences = {e["note"].rsplit(".n", 1)[0] for e in entries}
    assert {"ch1", "ch2", "ch3", "ch4", "ch4.p2", "ch5", "ch5.p2"} <= sequences
    for e in entries:
        for c in e["citations"]:
            assert c["text"] in e["text"], (e["note"], c["text"])


@pytest.mark.parametrize("path", [FIXTURE, HELD_OUT], ids=["annotated", "held-out"])
def test_fixture_notes_are_the_converted_notes(path: Path) -> None:
    tree, _ = _thesis()
    notes = _notes(tree)
    for e in _fixture(path):
        assert _norm("".join(notes[e["note"]].itertext())) == _norm(e["text"]), e["note"]


@pytest.mark.parametrize("path", [FIXTURE, HELD_OUT], ids=["annotated", "held-out"])
def test_field_and_resolution_accuracy_against_the_hand_annotation(path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    result = _evaluate(path)
    with capsys.disabled():
        print(f"\ncitations in notes against the hand annotation, {path.stem} ({result['citations']} citations, "
              f"{result['references']} short forms/Ibid./op. cit.): spans exact {result['spans']:.3f}; fields "
              + ", ".join(f"{f} {v:.3f}" for f, v in result["fields"].items())
              + f", overall {result['field_accuracy']:.3f}; resolution {result['resolution']:.3f}")
    assert result["field_accuracy"] >= FIELD_THRESHOLD, "\n".join(result["misses"])
    assert result["resolution"] >= RESOLUTION_THRESHOLD, "\n".join(result["misses"])


# --- the whole thesis --------------------------------------------------------------------------

def test_whole_thesis_citations(capsys: pytest.CaptureFixture[str]) -> None:
    tree, seconds = _thesis()
    notes = list(_notes(tree).values())
    bibls = [b for n in notes for b in n.iter(T + "bibl")]
    ids = {n.get(XML_ID): n for n in tree.iter() if isinstance(n.tag, str) and n.get(XML_ID)}
    references = [b for b in bibls if b.get("corresp") or not (b.find(T + "publisher") is not None
                                                                 or b.find(T + "pubPlace") is not None
                                                                 or b.find(T + "date") is not None)]
    linked = [b for b in bibls if b.get("corresp")]
    with capsys.disabled():
        print(f"\nthesis: {len(bibls)} bibl in {len(notes)} footnotes, {len(linked)} linked with @corresp; "
              f"conversion {seconds:.2f}s")
    assert len(bibls) >= 1000
    assert len(linked) >= 650
    # every @corresp resolves, to a full citation (not to another short form) or a bibliography entry
    for b in linked:
        target = ids.get(b.get("corresp")[1:])
        assert target is not None and etree.QName(target).localname == "bibl", b.get("corresp")
        assert target.get("corresp") is None
    assert citations.dangling(tree) == []
    # short forms and Ibid.: most are linked
    shorts = [b for b in bibls if not b.get(XML_ID, "").startswith("x") and b.get("corresp") is None
              and b.find(T + "title") is None and b.find(T + "date") is None]
    assert len(linked) / (len(linked) + len(shorts)) >= 0.85
    # bibl ids are the note's id and a number
    for n in notes:
        for k, b in enumerate(n.iter(T + "bibl"), start=1):
            assert b.get(XML_ID).startswith(n.get(XML_ID) + ".b")


def test_marking_keeps_every_character_in_order() -> None:
    from tei.cleaning import clean
    from tei.converters.base import blocks
    source = (ROOT / "sources/texts/004_29ff760426a99548.txt").read_text(encoding="utf-8")
    parts = blocks(clean(source, thesis.PROFILE))
    body = thesis.convert_body(parts[next(i for i, b in enumerate(parts) if b.text.strip() == "Introduction"):
                                     next(i for i, b in enumerate(parts) if b.text.strip() == "BIBLIOGRAPHY")])
    root = thesis.el("text", None, thesis.el("body", None, body.divs))
    before = {n.get(XML_ID): "".join(n.itertext()) for n in root.iter(T + "note")}
    marked = thesis.mark_citations(root)
    after = {n.get(XML_ID): "".join(n.itertext()) for n in root.iter(T + "note") if n.get("place") == "foot"}
    assert after == before
    assert marked.report.citations >= 1000


def test_unresolved_short_forms_are_reported_not_guessed() -> None:
    tree, _ = _thesis()
    note = _notes(tree)["ch1.n82"]          # "FTLS, p. 15.": a typing slip the text nowhere defines
    (bibl,) = note.iter(T + "bibl")
    assert bibl.get("corresp") is None
    conversion, _ = convert_text("weissman_thesis", (ROOT / "sources/texts/004_29ff760426a99548.txt")
                                 .read_text(encoding="utf-8"), "004-weissman-serge-thesis.toml")
    (decision,) = [d for d in conversion.decisions if d.rule == "citation-unresolved"]
    assert "ch1.n82: FTLS, p. 15" in decision.text


# --- the recogniser on small texts ---------------------------------------------------------------

KNOWN = Known(["serge", "greeman", "carr", "deutscher", "rosmer"])


def _found(text_: str) -> list[tuple[str, str]]:
    return [(c.kind, c.text) for c in find_citations(text_, KNOWN)]


def test_citation_and_the_prose_after_it() -> None:
    note = ("Victor Serge, From Lenin To Stalin, Monad Press, New York, 1973, p. 13. "
            "First French edition published in 1937.")
    (c,) = find_citations(note, KNOWN)
    assert c.text == "Victor Serge, From Lenin To Stalin, Monad Press, New York, 1973, p. 13"
    values = {f.name: c.text[f.start:f.end] for f in c.parsed.fields}
    assert values == {"author": "Victor Serge", "title": "From Lenin To Stalin", "publisher": "Monad Press",
                      "pubPlace": "New York", "date": "1973", "biblScope": "p. 13"}


def test_short_forms_ibid_and_op_cit() -> None:
    assert _found("Serge, Memoirs, p. 71.") == [(SHORT, "Serge, Memoirs, p. 71")]
    assert _found("Memoirs p. 147.") == [(SHORT, "Memoirs p. 147")]
    assert _found("Ibid., p. 69.") == [(IBID, "Ibid., p. 69")]
    assert _found("Greeman, *ibid.*, p. 158.") == [(IBID, "Greeman, *ibid.*, p. 158")]
    assert _found("Richard Greeman, op. cit., p. 154.") == [(OPCIT, "Richard Greeman, op. cit., p. 154")]
    assert _found("Carr, Interregnum, p. 218.") == [(SHORT, "Carr, Interregnum, p. 218")]


def test_several_citations_in_one_note_and_prose_around_them() -> None:
    assert _found("Serge, From Lenin to Stalin, pp. 33-34, \"Trente Ans Apres ...,\" pp. 12-13, and Memoirs, "
                  "pp. 108-9.") == [(SHORT, "Serge, From Lenin to Stalin, pp. 33-34"),
                                    (SHORT, "\"Trente Ans Apres ...,\" pp. 12-13"), (SHORT, "Memoirs, pp. 108-9")]
    assert _found("See E.H. Carr, The Bolshevik Revolution, Vol. 3, pp.407-8, and Serge, Memoirs, p.163-4.") == [
        (SHORT, "E.H. Carr, The Bolshevik Revolution, Vol. 3, pp.407-8"), (SHORT, "Serge, Memoirs, p.163-4")]
    # inside a sentence, a short form counts only when its work is known
    known = Known(["serge"], [("memoirs", "revolutionary")])
    assert [c.text for c in find_citations("A slightly different version is found in the Memoirs, p. 66.",
                                           known)] == ["Memoirs, p. 66"]
    assert find_citations("In the second volume Pascal described Serge's study group in Precigne, p. 107.",
                          known) == []


def test_letters_and_interviews_are_sources_without_title() -> None:
    for note, author, date in [("LDT to VS, June 3, 1936.", "LDT", "June 3, 1936"),
                               ("Serge to Trotsky, in Russian, April 29, 1936.", "Serge", "April 29, 1936"),
                               ("George Orwell to Dwight MacDonal, London 4.4.45.", "George Orwell", "4.4.45")]:
        (c,) = find_citations(note, KNOWN)
        assert c.type == "letter" and c.kind == FULL
        assert [(f.name, c.text[f.start:f.end]) for f in c.parsed.fields] == [("author", author), ("date", date)]
    (c,) = find_citations("Private conversation, Mexico City, May 1987.", KNOWN)
    assert c.type == "interview" and [c.text[f.start:f.end] for f in c.parsed.fields] == ["May 1987"]


def test_prose_is_not_a_citation() -> None:
    assert _found("Serge was writing Year One in the years 1928-1930.") == []
    assert _found("See chapter 1 *infra*, p. 73.") == []
    assert _found("In fact, by 1929 the Opposition was scattered.") == []


def test_resolver_prefers_recent_full_citations_and_defined_abbreviations() -> None:
    r = citations.Resolver([citations.Work("bibl-1", frozenset({"serge"}), (("memoirs", "revolutionary"),),
                                           frozenset({"MOAR"}), False)])
    full, = find_citations("Victor Serge, From Lenin To Stalin, Monad Press, New York, 1973, p. 13.", KNOWN)
    r.add_full(citations.work_of(full, "n1.b1"))
    assert r.resolve(full, "n1.b1").target == "n1.b1"
    defined, = find_citations("Serge, From Lenin to Stalin, (FLTS) p. 15.", KNOWN)
    assert defined.alias == "FLTS" and r.resolve(defined, None).target == "n1.b1"
    for t, want in [("FLTS, p. 30.", "n1.b1"), ("Ibid., p. 31.", "n1.b1"), ("Memoirs, p. 67.", "bibl-1"),
                    ("Serge, ibid.", "bibl-1"), ("FTLS, p. 15.", None), ("Ibid.", None)]:
        c, = find_citations(t, KNOWN)
        assert r.resolve(c, None).target == want, t


# --- 003: the WSWS endnotes ----------------------------------------------------------------------

def test_wsws_endnotes_each_work_a_bibl() -> None:
    source = (ROOT / "sources/texts/003_0e26dad2d2acc2af.txt").read_text(encoding="utf-8")
    _, tree = convert_text("wsws_article", source, "003-wsws-children-left-opposition.toml")
    notes = xp(tree, "//t:back//t:note[@place='end']")
    first = xp(notes[0], "t:bibl")
    assert len(first) == 1
    assert [text(t) for t in xp(first[0], "t:title[@level='a']")] == [
        "“After the Demise of the USSR: The Struggle for Marxism and the Tasks of the Fourth International,”"]
    assert [text(t) for t in xp(first[0], "t:title[@level='j']")] == ["Fourth International"]
    assert [(s.get("unit"), text(s)) for s in xp(first[0], "t:biblScope")] == [
        ("volume", "Vol. 19"), ("issue", "No. 1"), ("page", "p. 68")]
    assert text(xp(first[0], "t:author")[0]) == "David North"
    for note, page in ((notes[1], "p. 186"), (notes[2], "p. 345")):
        periodical, translation = xp(note, "t:bibl")
        assert text(xp(periodical, "t:title[@level='j']")[0]).startswith("“Biulleten")
        assert xp(periodical, "t:title[@level='a']")
        assert translation.get("type") == "translation"
        assert text(translation).startswith("Vadim Z. Rogovin: Stalin’s Terror of 1937-1938.")
        assert text(xp(translation, "t:title")[0]) == "Stalin’s Terror of 1937-1938. Political Genocide in the USSR"
        assert text(xp(translation, "t:publisher")[0]) == "Mehring Books"
        assert xp(translation, "t:date/@when") == ["2009"]
        assert text(xp(translation, "t:biblScope[@unit='page']")[0]) == page
    assert text(xp(notes[1], "t:bibl/t:author")[0]) == "L. D. Trotsky"
    # every character of the endnote is still there, in order
    assert text(notes[1]).startswith("“Biulleten’ oppozitsii,” 1938, No. 66-67, p. 21 (L. D. Trotsky:")


# --- the second half of the notes found in a helper process -----------------------------------------

# real footnotes of the thesis: two by other authors (chapter 4, note 144; chapter 3, note 83), then
# chapter 1's notes 1 and 23, the second a short form only because the first cited a work by Serge in
# full ("Serge" is then a known surname)
FISCHER = "Louis Fischer, Men and Politics: An Autobiography, Jonathan Cape, London, 1941. pp. 479-482."
MOTYLYOVA = ("Tamara Motylyova, \"Romain Rolland: I am defending the USSR, not Stalin,\" Moscow News weekly No. 13, "
             "1988, March 22, 1988, p. 16.")
SERGE_FULL = ("Victor Serge, From Lenin To Stalin, Monad Press, New York, 1973, p. 13. First French edition "
              "published in 1937.")
SERGE_SHORT = "Serge, \"La Pensee anarchiste,\" p.12."


def _marked_notes(texts: list[str], helper: bool, monkeypatch) -> tuple[bytes, citations.CitationReport, list]:
    notes = [etree.Element(T + "note", {XML_ID: f"n{k + 1}", "place": "foot"}) for k in range(len(texts))]
    for note, value in zip(notes, texts):
        note.text = value
    helpers: list = []
    real = citations._read_ahead

    def read_ahead(*args):
        helpers.append(real(*args))
        return helpers[-1]
    monkeypatch.setattr(citations, "_read_ahead", read_ahead)
    monkeypatch.setattr(citations, "AHEAD_MIN_NOTES", 2)
    if helper:
        with citations.helper_process():
            report = citations.mark_notes(notes)
    else:
        report = citations.mark_notes(notes)
    return b"".join(etree.tostring(n) for n in notes), report, helpers


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="no fork on this system")
def test_notes_found_ahead_in_a_helper_process_are_marked_as_in_one_process(monkeypatch):
    texts = [FISCHER, MOTYLYOVA, SERGE_FULL, SERGE_SHORT]   # the helper reads the last two
    alone, report, helpers = _marked_notes(texts, False, monkeypatch)
    assert helpers == []                                    # off unless the build turns it on
    assert report.by_kind[SHORT] == 1
    shared, shared_report, helpers = _marked_notes(texts, True, monkeypatch)
    assert shared == alone and shared_report == report
    assert len(helpers) == 1 and (helpers[0].taken, helpers[0].refound) == (2, 0)


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="no fork on this system")
def test_a_note_found_ahead_that_depends_on_an_earlier_note_is_found_again(monkeypatch):
    texts = [SERGE_FULL, SERGE_SHORT]                      # the helper reads the short form without knowing Serge
    alone, report, _ = _marked_notes(texts, False, monkeypatch)
    assert report.by_kind == {FULL: 1, SHORT: 1, IBID: 0, OPCIT: 0}
    shared, shared_report, helpers = _marked_notes(texts, True, monkeypatch)
    assert shared == alone and shared_report == report
    assert (helpers[0].taken, helpers[0].refound) == (0, 1)
