"""Source 004, Weissman's thesis: footnotes at their calls, page-break rejoins, headings, the whole text.

Excerpts (tests/fixtures/weissman/) are copied line for line from the source;
the expectations below were read off the source text, not off the output.
"""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

import pytest
from lxml import etree

from tei.cleaning import clean
from tei.converters import weissman_thesis as thesis
from tei.converters.base import blocks
from tei.decisions import NOTED, REMOVED
from tei.teixml import assign_ids
from tests.conftest import FIXTURES, ROOT
from tests.converters.helpers import convert_text, text, xp

SOURCE_PATH = ROOT / "sources/texts/004_29ff760426a99548.txt"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"


def excerpt(name: str, chapter: int | None = None) -> tuple[thesis.Body, etree._Element]:
    """Convert a body excerpt as the converter converts the body; returns the body and a <body> holding it."""
    raw = (FIXTURES / "weissman" / name).read_text(encoding="utf-8")
    body = thesis.convert_body(blocks(clean(raw, thesis.PROFILE)), chapter=chapter)
    root = thesis.el("text", None, thesis.el("body", None, body.divs))
    assign_ids(root)
    return body, root


def note(root: etree._Element, note_id: str) -> etree._Element:
    found = xp(root, f"//t:note[@xml:id='{note_id}']")
    assert len(found) == 1, f"{note_id}: {len(found)} notes"
    return found[0]


def text_before(node: etree._Element) -> str:
    """The text of the note's paragraph up to the note (other notes left out)."""
    para = node.getparent()
    out = [para.text or ""]
    for child in para:
        if child is node:
            break
        if etree.QName(child).localname != "note":
            out.append("".join(child.itertext()))
        out.append(child.tail or "")
    return " ".join("".join(out).split())


def without_notes(node: etree._Element) -> str:
    copy = etree.fromstring(etree.tostring(node))
    for n in copy.iter("{*}note"):
        n.getparent().remove(n) if n.tail is None else _drop_keep_tail(n)
    return " ".join("".join(copy.itertext()).split())


def _drop_keep_tail(node: etree._Element) -> None:
    parent, tail = node.getparent(), node.tail
    prev = node.getprevious()
    if prev is not None:
        prev.tail = (prev.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(node)


# --- excerpts ---------------------------------------------------------------------------


def test_introduction_notes_sit_at_their_calls_and_page_breaks_are_closed_up() -> None:
    body, root = excerpt("intro_notes_page_break.txt")
    intro = xp(root, "//t:div[@type='introduction']")[0]
    assert intro.get(XML_ID) == "intro"
    assert text(xp(intro, "t:head")[0]) == "Introduction"
    n1, n2, n3 = (note(root, f"intro.n{n}") for n in (1, 2, 3))
    assert n1.get("place") == "foot" and n1.get("n") == "1"
    assert text(n1) == "Unfortunately, it is almost impossible to find Ural in Moscow or Leningrad."
    assert text_before(n1).endswith("the literary journal Ural recently serialized The Case of Comrade Tulayev.")
    assert text_before(n2).endswith("\"bureaucratic totalitarian with collectivist leanings.\"")
    assert text(n2).startswith("While the totalitarian school of analysis is well known")
    assert text_before(n3).endswith("has been greatly inflated.")
    # "…a novelist's eye for penetrating" ¹-note "detail, posing…": one paragraph across the page break.
    paras = [without_notes(p) for p in xp(intro, "t:p")]
    joined = [p for p in paras if "a novelist's eye for penetrating detail, posing essential questions" in p]
    assert len(joined) == 1
    assert joined[0].endswith("although he often left them unresolved.")
    assert sum("which would emerge from decomposing capitalism and enfeebled Stalinism." in p for p in paras) == 1
    assert sum("an insufficiently rigorous political economy mars his analysis." in p for p in paras) == 1
    # No paragraph ends in mid-sentence, none starts in lower case, no superscript is left as text.
    for p in paras:
        assert re.search(r"[.!?:\"']$", p), p[-60:]
        assert not p[:1].islower(), p[:60]
    assert not re.search(f"[{SUPERSCRIPTS}]", "".join(intro.itertext()))
    assert body.report.notes == 3 and body.report.calls_without_note == 0 and body.report.notes_without_call == 0


def test_note_continued_over_a_page_is_one_note_and_the_markers_are_recorded() -> None:
    body, root = excerpt("ch1_continued_note_86.txt", chapter=1)
    n86 = note(root, "ch1.n86")
    content = text(n86)
    assert content.startswith("FLTS, p. 30. This conception of forms of the market")
    assert "In a workers state, where there is genuine workers control, a surviving market does not threaten" in content
    assert content.endswith("is precisely what is missing from these debates today.")
    assert "continued" not in content
    assert text_before(n86).endswith("in which the capitalists would retain some place.\"")
    # The paragraph the notes interrupted ("This economic" … "gradualism was called") is one paragraph.
    para = without_notes(n86.getparent())
    assert "This economic gradualism was called \"state capitalism\" by Lenin" in para
    markers = [d for d in body.decisions if d.rule == "continued-marker"]
    assert [(d.kind, d.text, d.line) for d in markers] == [(REMOVED, "(continued...)", 14),
                                                           (REMOVED, "(...continued)", 20)]
    # Notes 84-89 of chapter one, each once, in the chapter's sequence.
    assert sorted(int(n.get("n")) for n in xp(root, "//t:note")) == [84, 85, 86, 87, 88, 89]
    assert body.report.joined_parts == 1


def test_notes_with_several_paragraphs_and_a_note_over_three_pages() -> None:
    body, root = excerpt("ch5_multi_paragraph_notes.txt", chapter=5)
    n21 = note(root, "ch5.n21")
    parts21 = [text(p) for p in xp(n21, "t:p")]
    assert len(parts21) == 3
    assert parts21[1].startswith("The Militant also carried an account of the meeting")
    assert parts21[2].startswith("Jeannine Kibalchich was also at this meeting")
    n22 = note(root, "ch5.n22")
    parts22 = [text(p) for p in xp(n22, "t:p")]
    assert [p[:30] for p in parts22] == ["The story is worth telling bec", "An American campaign to protec",
                                         "The affair was by no means fin", "At this point, the name of the",
                                         "Dwight MacDonald continued to "]
    assert "to the effect that 'the American Press' was denouncing" in parts22[0]   # first + second page
    assert "account of the slander campaign (Feb. 1942)." in parts22[4]            # second + third page
    # The main text the three pages of notes interrupted is one paragraph, with notes 22 and 23 in it.
    para = n22.getparent()
    assert "boycotted. They were called Nazi agents, sinarquistas (Mexican fascists), Trotskyites" in without_notes(para)
    assert note(root, "ch5.n23").getparent() is para
    assert body.report.joined_parts == 2 and body.report.multi_paragraph == 2
    assert body.report.calls_without_note == 0 and body.report.notes_without_call == 0


def test_section_two_restarts_the_numbering_and_gets_its_own_part() -> None:
    body, root = excerpt("ch4_section_two_restart.txt", chapter=4)
    n155 = note(root, "ch4.n155")
    assert text(n155).startswith("Literal translation: I sympathize with all who go against the current")
    part = xp(root, "//t:div[@type='part']")[0]
    assert (part.get(XML_ID), part.get("n")) == ("ch4.p2", "II")
    heads = xp(part, "t:head")
    assert without_notes(heads[0]) == "Chapter Four: Section II ORENBURG 1933-1936"
    assert heads[1].get("type") == "sub" and text(heads[1]).startswith("INTERROGATION AND DEPORTATION")
    n1 = note(root, "ch4.p2.n1")             # the call is in the part's heading
    assert n1.getparent() is heads[0]
    section = xp(part, "t:div[@type='section']")[0]
    assert (section.get(XML_ID), section.get("n")) == ("ch4.s12", "4.12")
    assert text(xp(section, "t:head")[0]) == "II. 4.12 Crimes of Existence"
    assert [n.get("n") for n in xp(section, ".//t:note")] == ["2", "3", "4", "5"]
    # Part I's last paragraph ("… The" ¹⁵⁵ "need for institutional guarantees …") is one paragraph.
    last = xp(root, "//t:div[@xml:id='ch4']/t:p")[-1]
    assert "is a rich expression of socialist goals. The need for institutional guarantees" in without_notes(last)


def test_note_number_printed_as_plain_digits_is_paired_with_its_call() -> None:
    body, root = excerpt("ch3_plain_digit_note_139.txt", chapter=3)
    n139 = note(root, "ch3.n139")
    assert text(n139) == ('Mao Tse-Tung, "Analysis of Classes in Chinese Society" (March 1926) and "Internal '
                          'Information on an Investigation of the Peasant Movement of Hunan," (March 1927).')
    assert text_before(n139).endswith("Referring to two works of Mao")
    assert [(d.kind, d.rule, d.text) for d in body.decisions] == [(REMOVED, "note-number", "139")]
    # The quotation the note's page interrupted ("…by three and that of" / "the peasants…") is one quotation.
    quoted = [text(q) for q in xp(root, "//t:quote") if "represented by three and that of the peasants" in text(q)]
    assert len(quoted) == 1 and quoted[0].endswith('the countryside a seven."')


def test_note_without_call_goes_where_the_authors_numbering_puts_it() -> None:
    """Note 4 of chapter 5 has no call: it stands just before note 5, as the numbering orders it."""
    body, root = excerpt("ch5_note_without_call.txt", chapter=5)
    n4 = note(root, "ch5.n4")
    assert text(n4).startswith("Victor Serge to Podoliak [pseudonym for Hryhory Kostiuk] June 22, 1947.")
    assert n4.getnext() is note(root, "ch5.n5")
    numbers = [int(n.get("n")) for n in xp(root, "//t:note")]
    assert numbers == sorted(numbers)
    noted = [d for d in body.decisions if d.rule == "note-without-call"]
    assert [(d.kind, d.line) for d in noted] == [(NOTED, 17)]
    assert body.report.notes_without_call == 1 and body.report.calls_without_note == 0
    # Note 3's call is on "rejected Serge³"; the page's main text goes on in lower case.
    assert text_before(note(root, "ch5.n3")).endswith("also rejected Serge")
    assert any("right-Menshevik paper that frequently carried Serge's byline." in without_notes(p)
               for p in xp(root, "//t:p"))


# --- the whole source ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def whole():
    source = SOURCE_PATH.read_text(encoding="utf-8")
    start = time.perf_counter()
    conversion, tree = convert_text("weissman_thesis", source, "004-weissman-serge-thesis.toml")
    seconds = time.perf_counter() - start
    return source, conversion, tree, seconds


def test_whole_thesis_notes_are_all_paired(whole) -> None:
    source, conversion, tree, _ = whole
    lines = source.split("\n")
    note_lines = sum(1 for line in lines if line and line[0] in SUPERSCRIPTS)
    resumed = sum(1 for line in lines if re.match(f"^[{SUPERSCRIPTS}]+ ?\\(\\.\\.\\.continued\\)$", line))
    plain_number = 1                        # "139" (chapter three) lost its superscript in the OCR
    notes = xp(tree, "//t:body//t:note[@place='foot']")
    assert len(notes) == note_lines - resumed + plain_number == 1216
    ids = [n.get(XML_ID) for n in notes]
    assert len(set(ids)) == len(ids)
    per_sequence = {}
    for n in notes:
        per_sequence.setdefault(n.get(XML_ID).rsplit(".n", 1)[0], []).append(int(n.get("n")))
    assert {k: (min(v), max(v), len(v)) for k, v in per_sequence.items()} == {
        "intro": (1, 5, 5), "ch1": (1, 204, 204), "ch2": (1, 132, 132), "ch3": (1, 172, 172),
        "ch4": (1, 155, 155), "ch4.p2": (1, 109, 109), "ch5": (1, 259, 259), "ch5.p2": (1, 180, 180)}
    # No superscript call is left in the body text (outside note/@n): every call found its note.
    body_text = "".join(t for t in xp(tree, "//t:body//text()"))
    assert not re.search(f"[{SUPERSCRIPTS}]", body_text)
    rules = [d.rule for d in conversion.decisions]
    assert rules.count("continued-marker") == 2 * resumed == 78
    assert rules.count("note-without-call") == 1          # chapter five's note 4: the source has no call
    assert "note-call-without-note" not in rules
    all_notes = " ".join(text(n) for n in notes)
    assert "(continued...)" not in all_notes and "(...continued)" not in all_notes


def test_whole_thesis_note_report() -> None:
    """The pairing report: every note placed, at its call where the source has one."""
    parts = blocks(clean(SOURCE_PATH.read_text(encoding="utf-8"), thesis.PROFILE))
    first = next(i for i, b in enumerate(parts) if b.text == "Introduction")
    last = next(i for i, b in enumerate(parts) if b.text == "BIBLIOGRAPHY")
    report = thesis.convert_body(parts[first:last]).report
    print(f"\nWeissman thesis notes: {report}")
    assert report.notes == 1216
    assert report.placed_at_call == 1215
    assert report.calls_without_note == 0
    assert report.notes_without_call == 1          # ch5 note 4: the source has no call for it
    assert report.joined_parts == 39
    assert report.multi_paragraph >= 10


def test_whole_thesis_structure_matches_the_contents(whole) -> None:
    _, conversion, tree, _ = whole
    chapters = xp(tree, "//t:body/t:div[@type='chapter']")
    assert [c.get(XML_ID) for c in chapters] == ["ch1", "ch2", "ch3", "ch4", "ch5"]
    assert text(xp(chapters[4], "t:head")[0]) == "V. Another Exile and Two More: the Final Years"
    assert xp(tree, "//t:body/t:div[1]/@xml:id") == ["intro"]
    assert [p.get(XML_ID) for p in xp(tree, "//t:body//t:div[@type='part']")] == ["ch4.p1", "ch4.p2", "ch5.p2"]
    sections = xp(tree, "//t:body//t:div[@type='section']")
    numbered = [e for e in xp(tree, "//t:div[@type='contents']//t:item") if re.match(r"\d+\.\d+", text(e))]
    assert len(sections) == len(numbered) == 78
    assert len({s.get(XML_ID) for s in sections}) == 78
    assert [s.get("n") for s in sections].count("4.18") == 2          # printed twice, kept as printed
    assert [s.get(XML_ID) for s in sections if s.get("n") == "4.18"] == ["ch4.s18", "ch4.s18b"]
    subsections = [text(xp(d, "t:head")[0]) for d in xp(tree, "//t:body//t:div[@type='subsection']")]
    assert subsections == ["Industry: workers control or blanket nationalization?",
                           "Brest-Litovsk, Left Communists, and Socialist Democracy", "Finland", "Kronstadt",
                           "Emergent Totalitarianism",
                           "Serge on Soviet cultural trends and the role of literature in revolution"]
    # Every contents entry points at an existing div, and entries with the same words as a heading
    # point at it even where the numbering differs (the contents' 2.9 is the text's 2.8).
    ids = set(xp(tree, "//@xml:id"))
    refs = {text(r): r.get("target")[1:] for r in xp(tree, "//t:div[@type='contents']//t:ref")}
    assert set(refs.values()) <= ids
    assert len(refs) == len(xp(tree, "//t:div[@type='contents']//t:item"))
    assert refs["2.9 Watching And Waiting In Vienna: 1923-1925"] == "ch2.s8"
    assert refs["4.19 The Hunt for the Missing Manuscripts"] == "ch4.s18b"
    assert refs["4.21 Appendix"] == "ch4.s20"
    assert refs["CHAPTER FOUR: STALINIZATION"] == "ch4"
    assert refs["Kronstadt"] == "ch1.s9.ss1"
    assert refs["BIBLIOGRAPHY"] == "bibliography"
    assert not xp(tree, "//t:div[@type='contents']//t:head[position() > 1]")


def test_whole_thesis_front_matter_and_notices(whole) -> None:
    _, conversion, tree, _ = whole
    page = xp(tree, "//t:front/t:titlePage")[0]
    assert text(xp(page, "t:docTitle/t:titlePart")[0]).endswith("Caught In the Orbit of Soviet Political History")
    assert text(xp(page, "t:docAuthor")[0]) == "Susan Claudia Weissman"
    assert text(xp(page, "t:byline")[0]).startswith("Submitted for the Degree of Doctor of Philosophy, at the")
    assert text(xp(page, "t:docDate")[0]) == "March 1991"
    assert text(xp(page, "t:docImprint")[0]) == "Copyright © Susan C. Weissman, 1991"
    assert [d.get("type") for d in xp(tree, "//t:front/t:div")] == ["acknowledgements", "contents", "abstract"]
    assert text(xp(tree, "//t:div[@type='acknowledgements']/t:p")[-1]).startswith("This thesis is dedicated")
    abstract = [text(p) for p in xp(tree, "//t:div[@type='abstract']/t:p")]
    assert any("rank-and-file militant of the Leningrad Left Opposition, though on intimate terms" in p
               for p in abstract)
    body = "".join(xp(tree, "//t:text//text()"))
    notices = {n.text: n.where for n in conversion.notices}
    for gone in ("Theses Digitisation", "ProQuest", "INFORMATION TO ALL USERS", "Enlighten", "theses.gla.ac.uk"):
        assert gone not in body
        assert any(gone in t for t in notices)
    assert notices["Copyright and moral rights for this work are retained by the author"] == "availability"
    assert notices["This is a digitised version of the original print thesis."] == "sourceDesc"
    assert notices["<https://theses.gla.ac.uk/>"] == "sourceDesc"
    assert set(conversion.principles) == {"segmentation", "notes", "bibliography"}


def test_whole_thesis_appendix_and_bibliography(whole) -> None:
    _, _, tree, _ = whole
    appendix = xp(tree, "//t:div[@xml:id='ch4.s20']")[0]
    assert (appendix.get("type"), appendix.get("subtype"), appendix.get("n")) == ("section", "appendix", "4.20")
    letter = xp(appendix, "t:div[@type='letter']")[0]
    assert text(xp(letter, "t:opener/t:dateline")[0]) == "26 June 1988"
    assert text(xp(letter, "t:opener/t:salute")[0]) == "Dear Georg V. Myasnikov,"
    assert text(xp(letter, "t:closer/t:signed")[0]) == "Suzi Weissman"
    assert xp(appendix, "t:div[@type='document']/@xml:lang") == ["ru"]
    assert xp(tree, "//t:back/t:div[@type='bibliography']/@xml:id") == ["bibliography"]


def test_whole_thesis_paragraphs_do_not_end_at_page_breaks(whole) -> None:
    _, _, tree, _ = whole
    paras = [without_notes(p) for p in xp(tree, "//t:body//t:p[not(ancestor::t:note)]")]
    # A paragraph broken off at a page break ends on a bare word and its continuation starts in lower case.
    broken = [(a[-40:], b[:40]) for a, b in zip(paras, paras[1:])
              if re.search(r"[^\W\d_]$", a) and b[:1].islower()]
    assert broken == []
    starts_lower = [p[:50] for p in paras if p[:1].islower()]
    assert len(starts_lower) <= 1, starts_lower        # "inally, …": the OCR lost the F


def test_whole_thesis_word_check_validity_and_speed(whole, tmp_path: Path, tei_all: Path) -> None:
    _, _, _, seconds = whole
    from tei.build import build

    report = build(tmp_path, only=("weissman-serge-thesis",))
    words = report.documents[0].words
    assert words.ok, words.summary()
    result = subprocess.run(["pyjing", str(tei_all), str(tmp_path / "tei" / "weissman-serge-thesis.xml")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[:2000]
    # The body (notes, rejoins, headings) converts in well under a second; the bibliography is another module.
    parts = blocks(clean(SOURCE_PATH.read_text(encoding="utf-8"), thesis.PROFILE))
    first = next(i for i, b in enumerate(parts) if b.text == "Introduction")
    last = next(i for i, b in enumerate(parts) if b.text == "BIBLIOGRAPHY")
    start = time.perf_counter()
    thesis.convert_body(parts[first:last])
    assert time.perf_counter() - start < 1.0
