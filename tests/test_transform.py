"""The XSLT 3.0 transforms (transforms/*.xsl through tei.transform): HTML site, plain text, bibliographies.

Run over TEI from "other projects" (tests/fixtures/tei-other: the Guidelines' constructs,
unknown elements, a small register) and over the real edition (built once per session).
"""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner
from lxml import etree, html

from tei.cli import cli
from tei.errors import UserError
from tei.transform import BIBLIOGRAPHY_FORMATS, Transformer, register_files, transform_edition, write_files

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "tei-other"
OTHER = sorted(FIXTURES.glob("*.xml"))
REGISTERS = register_files(FIXTURES / "registers")
TEI = "{http://www.tei-c.org/ns/1.0}"
WORD = re.compile(r"\w+")

# TEI elements that end a word (blocks, line and page breaks, notes moved elsewhere, alternatives shown side by side)
TEI_SEPARATING = {
    "div", "div1", "div2", "div3", "div4", "div5", "div6", "div7", "p", "ab", "head", "lg", "l", "list", "item", "label",
    "table", "row", "cell", "figure", "figDesc", "graphic", "floatingText", "text", "body", "front", "back", "group",
    "titlePage", "docTitle", "titlePart", "docAuthor", "docImprint", "docDate", "byline", "dateline", "opener", "closer",
    "salute", "signed", "trailer", "sp", "speaker", "stage", "castList", "castItem", "listBibl", "bibl", "biblStruct",
    "note", "lb", "pb", "cb", "milestone", "gap", "sic", "corr", "abbr", "expan", "orig", "reg", "lem", "rdg",
    "analytic", "monogr", "imprint", "ptr"}
# analytic markup with no running text (the stylesheets show none of it)
TEI_SILENT = {"index", "interp", "interpGrp", "linkGrp", "link", "spanGrp", "span", "fs", "certainty", "respons"}
# HTML elements that run on inside a word
HTML_INLINE = {"a", "span", "i", "b", "em", "strong", "cite", "q", "sup", "sub", "abbr", "small", "s", "u", "mark",
               "time", "code", "del", "ins", "dfn", "bdi"}


def tei_words(root: etree._Element) -> Counter:
    """The words of every <text> of a TEI document (element boundaries of blocks count as word breaks)."""
    parts: list[str] = []

    def walk(el: etree._Element, structured: bool = False) -> None:
        if not isinstance(el.tag, str):
            parts.append(" ")
            return
        local = etree.QName(el).localname
        if el.tag.startswith(TEI) and local in TEI_SILENT:
            parts.append(" " + (el.tail or ""))
            return
        structured = structured or local in ("biblStruct", "biblFull")  # element-only content: fields are separate
        sep = " " if structured or (el.tag.startswith(TEI) and local in TEI_SEPARATING and el.get("break") != "no") else ""
        parts.append(sep + (el.text or ""))
        for child in el:
            walk(child, structured)
        parts.append(sep + (el.tail or ""))

    for text in root.iter(f"{TEI}text"):
        if text.getparent() is not None and text.getparent().tag in (f"{TEI}TEI",):
            walk(text)
            parts.append(" ")
    return Counter(WORD.findall("".join(parts)))


def html_words(page: Path) -> Counter:
    """The words a reader sees on a page (script and style left out)."""
    doc = html.parse(str(page)).getroot()
    parts: list[str] = []

    def walk(el) -> None:
        if not isinstance(el.tag, str) or el.tag in ("script", "style", "head"):
            parts.append(" " + (el.tail or "" if isinstance(el.tag, str) else ""))
            return
        classes = set((el.get("class") or "").split())
        sep = "" if el.tag in HTML_INLINE and not classes & {"noteref", "alt", "pb", "gap", "milestone", "lb-hyphen"} else " "
        parts.append(sep + (el.text or ""))
        for child in el:
            walk(child)
        parts.append(sep + (el.tail or ""))

    walk(doc.find("body"))
    return Counter(WORD.findall("".join(parts)))


def missing(expected: Counter, got: Counter) -> dict[str, int]:
    return {w: n - got[w] for w, n in expected.items() if got[w] < n}


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def transformer() -> Transformer:
    return Transformer()


@pytest.fixture(scope="module")
def other_site(tmp_path_factory: pytest.TempPathFactory, transformer: Transformer) -> Path:
    """All outputs for the other projects' TEI, with their small register."""
    out = tmp_path_factory.mktemp("other")
    docs = transformer.load_all(OTHER)
    regs = transformer.load_registers(REGISTERS)
    write_files(out / "text", transformer.text(docs))
    bib = transformer.bibliography(docs, list(BIBLIOGRAPHY_FORMATS), regs, consolidated=True, site_title="Test site")
    write_files(out / "bibliography", bib)
    write_files(out / "html", transformer.html(docs, regs, site_title="Test site", text_href="../text/",
                                               bibliography_href="../bibliography/",
                                               bibliography_slugs=sorted({n.rsplit(".", 1)[0] for n in bib})))
    for f in OTHER:  # so that ../tei/ links could be followed too
        (out / "tei").mkdir(exist_ok=True)
        (out / "tei" / f.name).write_bytes(f.read_bytes())
    return out


def slug_of(path: Path) -> str:
    root = etree.parse(str(path)).getroot()
    idno = root.find(f"{TEI}teiHeader/{TEI}fileDesc/{TEI}publicationStmt/{TEI}idno[@type='slug']")
    return idno.text.strip() if idno is not None else path.stem


# --------------------------------------------------------------------------- nothing lost


@pytest.mark.parametrize("source", OTHER, ids=lambda p: p.stem)
def test_every_word_of_other_tei_reaches_html_and_text(source: Path, other_site: Path) -> None:
    expected = tei_words(etree.parse(str(source)).getroot())
    assert sum(expected.values()) > 20
    slug = slug_of(source)
    assert missing(expected, html_words(other_site / "html" / f"{slug}.html")) == {}
    text = (other_site / "text" / f"{slug}.txt").read_text(encoding="utf-8")
    assert missing(expected, Counter(WORD.findall(text))) == {}


@pytest.mark.e2e
def test_every_word_of_the_edition_reaches_html_and_text(built_edition: Path) -> None:
    for tei in sorted((built_edition / "tei").glob("*.xml")):
        expected = tei_words(etree.parse(str(tei)).getroot())
        assert missing(expected, html_words(built_edition / "html" / f"{tei.stem}.html")) == {}, tei.name
        text = (built_edition / "text" / f"{tei.stem}.txt").read_text(encoding="utf-8")
        assert missing(expected, Counter(WORD.findall(text))) == {}, tei.name


def test_word_check_notices_a_dropped_word(other_site: Path) -> None:
    """The check itself can fail: a page without one sentence misses words."""
    source = FIXTURES / "editorial.xml"
    expected = tei_words(etree.parse(str(source)).getroot())
    page = other_site / "html" / "editorial.html"
    broken = page.read_text(encoding="utf-8").replace("nested unknown words", "")
    tmp = page.with_name("broken.html.tmp")
    tmp.write_text(broken, encoding="utf-8")
    try:
        assert set(missing(expected, html_words(tmp))) >= {"nested", "unknown"}
    finally:
        tmp.unlink()


# --------------------------------------------------------------------------- links


def crawl(site: Path, root: Path) -> tuple[int, list[str]]:
    """Every href/src of every page under ``site`` resolves to a file under ``root``, every #fragment to an id."""
    ids: dict[Path, set[str]] = {}
    problems: list[str] = []
    checked = 0

    def ids_of(page: Path) -> set[str]:
        if page not in ids:
            doc = html.parse(str(page)).getroot()
            found = [e.get("id") for e in doc.iter() if isinstance(e.tag, str) and e.get("id") is not None]
            dupes = [k for k, n in Counter(found).items() if n > 1]
            if dupes:
                problems.append(f"{page.name}: duplicate ids {dupes[:5]}")
            ids[page] = set(found)
        return ids[page]

    for page in sorted(site.rglob("*.html")):
        doc = html.parse(str(page)).getroot()
        for el in doc.iter():
            if not isinstance(el.tag, str):
                continue
            for attr in ("href", "src"):
                url = el.get(attr)
                if url is None:
                    continue
                parts = urlsplit(url)
                if parts.scheme in ("http", "https", "mailto"):
                    if el.tag in ("script", "img", "iframe", "source", "video", "audio") or (
                            el.tag == "link" and el.get("rel") == "stylesheet"):
                        problems.append(f"{page.name}: loads a network resource {url}")
                    continue
                checked += 1
                target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
                if not target.is_file() or root.resolve() not in target.parents:
                    problems.append(f"{page.name}: {url} -> no such file")
                    continue
                if parts.fragment and unquote(parts.fragment) not in ids_of(target):
                    problems.append(f"{page.name}: {url} -> no element with that id")
        ids_of(page)
    return checked, problems


def test_no_broken_links_in_the_other_site(other_site: Path) -> None:
    checked, problems = crawl(other_site / "html", other_site)
    assert problems == []
    assert checked > 100


@pytest.mark.e2e
def test_no_broken_links_in_the_edition(built_edition: Path) -> None:
    checked, problems = crawl(built_edition / "html", built_edition)
    assert problems[:20] == []
    assert checked > 1000


def test_crawler_notices_a_broken_fragment(other_site: Path, tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text('<!DOCTYPE html><html><body><a href="#nowhere">x</a><a href="missing.html">y</a></body></html>')
    _, problems = crawl(tmp_path, tmp_path)
    assert len(problems) == 2


# --------------------------------------------------------------------------- HTML structure


def pages(site: Path) -> list[Path]:
    return sorted((site / "html").glob("*.html"))


def test_pages_are_semantic_and_accessible(other_site: Path) -> None:
    for page in pages(other_site):
        doc = html.parse(str(page)).getroot()
        assert doc.get("lang"), page.name
        levels = [int(h.tag[1]) for h in doc.iter("h1", "h2", "h3", "h4", "h5", "h6")]
        assert levels and levels.count(1) == 1, page.name
        for before, after in zip(levels, levels[1:]):
            assert after <= before + 1, f"{page.name}: heading h{before} followed by h{after}"
        assert doc.find(".//header") is not None and doc.find(".//footer") is not None
        main = doc.find(".//main")
        skip = doc.find(".//a[@class='skip-link']")
        assert main is not None and skip is not None and skip.get("href") == "#" + main.get("id")
        assert doc.find(".//nav") is not None
        assert doc.find(".//meta[@name='viewport']") is not None


def test_document_page_head_has_teiheader_metadata(other_site: Path) -> None:
    doc = html.parse(str(other_site / "html" / "letter-notes.html")).getroot()
    meta = {m.get("name"): m.get("content") for m in doc.iter("meta") if m.get("name")}
    assert doc.findtext(".//title").startswith("A letter with notes, citations and a bibliography")
    assert meta["DC.title"] == "A letter with notes, citations and a bibliography"
    assert meta["DC.creator"] == meta["author"] == "Mary Wollstonecraft"
    assert meta["DC.date"] == "1796"
    assert meta["DC.language"] == "en"
    assert meta["DC.publisher"] == "Test project & friends"


def test_notes_link_both_ways_and_number_per_chapter(other_site: Path) -> None:
    doc = html.parse(str(other_site / "html" / "letter-notes.html")).getroot()
    calls = doc.findall(".//a[@class='noteref']")
    assert len(calls) == 4  # two in chapter 1, one in chapter 2, one for the note attached to an anchor
    for call in calls:
        note = doc.get_element_by_id(call.get("href")[1:])
        back = [a.get("href") for a in note.iter("a") if a.get("role") == "doc-backlink"]
        assert "#" + call.get("id") in back
    labels = [c.text_content().strip() for c in calls]
    assert [c.get("aria-label") for c in calls] == [f"Note {n}" for n in labels]
    assert labels == ["1", "2", "a", "1"]  # numbers restart in chapter 2, as in the source
    assert doc.get_element_by_id("ch2").find(".//section[@class='notes']") is not None
    # a ref to a note in a notes division links to it, and the note links back to the ref
    ref = doc.find(".//a[@href='#en1']")
    assert ref is not None
    backs = [a.get("href") for a in doc.get_element_by_id("en1").iter("a")]
    assert "#" + ref.get("id") in backs


def test_names_link_to_register_entries_which_list_mentions(other_site: Path) -> None:
    doc = html.parse(str(other_site / "html" / "letter-notes.html")).getroot()
    link = doc.find(".//a[@href='persons.html#paine']")
    assert link is not None and link.text_content() == "Thomas Paine"
    assert doc.find(".//a[@href='persons.html#nobody']") is None  # no such entry: no link, words kept
    persons = html.parse(str(other_site / "html" / "persons.html")).getroot()
    entry = persons.get_element_by_id("paine")
    assert "letter-notes.html#" + link.get("id") in [a.get("href") for a in entry.iter("a")]
    assert "1737–1809" in entry.text_content()
    zola = persons.get_element_by_id("nobody-mentioned")
    assert "Not mentioned" in zola.text_content()
    order = [e.get("id") for e in persons.iter("article")]
    assert order.index("paine") < order.index("wollstonecraft")  # filed under surnames
    places = html.parse(str(other_site / "html" / "places.html")).getroot()
    letters = [h.text_content() for h in places.iter("h2")]
    assert letters == ["A", "E", "L"]  # Århus under A


def test_bibliographic_references_link_to_the_consolidated_bibliography_and_back(other_site: Path) -> None:
    doc = html.parse(str(other_site / "html" / "letter-notes.html")).getroot()
    bibl = doc.find(".//a[@href='bibliography.html#work-vindication']")
    ref = doc.find(".//a[@href='bibliography.html#work-common-sense']")
    assert bibl is not None and ref is not None
    bib = html.parse(str(other_site / "html" / "bibliography.html")).getroot()
    entry = bib.get_element_by_id("work-common-sense")
    assert "Paine, Thomas. Common Sense. Philadelphia: R. Bell, 1776." in entry.text_content()
    assert f"letter-notes.html#{ref.get('id')}" in [a.get("href") for a in entry.iter("a")]


def test_no_network_resources_and_assets_are_local(other_site: Path) -> None:
    for page in pages(other_site):
        text = page.read_text(encoding="utf-8")
        assert 'src="http' not in text and "@import" not in text
    css = (other_site / "html" / "assets" / "edition.css").read_text()
    assert "@media print" in css and "url(" not in css


# --------------------------------------------------------------------------- plain text


def test_text_output_layout(other_site: Path) -> None:
    text = (other_site / "text" / "letter-notes.txt").read_text(encoding="utf-8")
    assert text.endswith("\n") and "\n\n\n" not in text
    blocks = text.split("\n\n")
    assert "Letter the first\n----------------" in blocks
    chapter1, chapter2 = text.split("Letter the second")
    # calls in the text and numbered endnotes after each chapter
    assert "vessel[1] not intended" in chapter1 and "spirits[2] that" in chapter1
    notes1 = chapter1.split("Notes\n~~~~~\n\n")[1]
    assert notes1.startswith("[1] The ship was bound for London at first.\n\n[2] See also Thomas Paine")
    assert "situated[1] and" in chapter2 and "[1] Numbering restarts in this chapter." in chapter2
    assert "    “The wind was fair, and the captain cheerful.”" in blocks  # block quotation indented
    verse = (other_site / "text" / "verse-drama.txt").read_text(encoding="utf-8")
    assert "Shall I compare thee to a summer's day?\nThou art more lovely" in verse
    editorial = (other_site / "text" / "editorial.txt").read_text(encoding="utf-8")
    assert "the [sic: teh]" in editorial and "Town | 1801 | 1851" in editorial
    assert "1. First step" in editorial and "   - nested alpha" in editorial


# --------------------------------------------------------------------------- bibliographies


def test_bibtex_parses_with_types_names_and_escapes(other_site: Path) -> None:
    bibtexparser = pytest.importorskip("bibtexparser")
    from bibtexparser.middlewares import LatexDecodingMiddleware

    raw = (other_site / "bibliography" / "letter-notes.bib").read_text(encoding="utf-8")
    lib = bibtexparser.parse_string(raw)
    assert lib.failed_blocks == []
    by_title = {e.fields_dict["title"].value: e for e in lib.entries if "title" in e.fields_dict}
    keys = [e.key for e in lib.entries]
    assert len(keys) == len(set(keys)) == 6
    article = by_title[r"On 50\% of \{Everything\} \& More"]
    assert article.entry_type == "article"
    assert article.fields_dict["author"].value == "Godwin, William and van der Berg, Jane"
    assert article.fields_dict["journal"].value == "The Analytical Review"
    assert article.fields_dict["pages"].value == "101--118"
    types = {e.entry_type for e in lib.entries}
    assert {"book", "article", "incollection", "phdthesis", "misc"} <= types
    web = next(e for e in lib.entries if e.fields_dict.get("url"))
    assert web.fields_dict["author"].value == "{World Socialist Web Site}"
    decoded = bibtexparser.parse_string(raw, append_middleware=[LatexDecodingMiddleware()])
    titles = [e.fields_dict["title"].value for e in decoded.entries if "title" in e.fields_dict]
    assert "On 50% of {Everything} & More" in titles or "On 50% of Everything & More" in titles


def test_csl_json_loads_and_citeproc_renders_it(other_site: Path) -> None:
    items = json.loads((other_site / "bibliography" / "letter-notes.json").read_text(encoding="utf-8"))
    assert [i["type"] for i in items].count("article-journal") == 1
    article = next(i for i in items if i["type"] == "article-journal")
    assert article["author"] == [{"family": "Godwin", "given": "William"}, {"family": "van der Berg", "given": "Jane"}]
    assert article["issued"] == {"date-parts": [[1791]]} and article["page"] == "101–118"
    citeproc = pytest.importorskip("citeproc")
    from citeproc.source.json import CiteProcJSON

    source = CiteProcJSON(items)
    style = citeproc.CitationStylesStyle("harvard-cite-them-right", validate=False)
    bib = citeproc.CitationStylesBibliography(style, source, citeproc.formatter.plain)
    for item in items:
        bib.register(citeproc.Citation([citeproc.CitationItem(item["id"])]))
    rendered = [str(entry) for entry in bib.bibliography()]
    assert len(rendered) == len(items)
    assert any("Analytical Review" in r for r in rendered)


def test_ris_records(other_site: Path) -> None:
    raw = (other_site / "bibliography" / "letter-notes.ris").read_bytes().decode("utf-8")
    records = [r for r in raw.split("ER  - ") if r.strip()]
    assert len(records) == 6
    for line in raw.replace("\r\n", "\n").split("\n"):
        assert line == "" or re.match(r"^[A-Z][A-Z0-9]  - ", line), line
    assert "\r\n" in raw
    article = next(r for r in records if "TY  - JOUR" in r)
    assert "AU  - Godwin, William\r\nAU  - van der Berg, Jane" in article
    assert "SP  - 101\r\nEP  - 118" in article and "T2  - The Analytical Review" in article


def test_chicago_html_and_text(other_site: Path) -> None:
    text = (other_site / "bibliography" / "letter-notes.txt").read_text(encoding="utf-8")
    # Chicago notes-bibliography, bibliography form (17th ed.), one paragraph per entry, alphabetical
    assert "Godwin, William, and Jane van der Berg. “On 50% of {Everything} & More.” The Analytical Review 12, no. 3 (1791): 101–118." in text
    assert "Tomalin, Claire. “The Swedish Journey.” In Essays on Travel, edited by Richard Holmes, 20–35. Harmondsworth: Penguin, 1987." in text
    entries = [b for b in text.split("\n\n")[1:] if b.strip()]
    assert entries[0].startswith("Anonymous") and entries[-1].startswith("World Socialist")
    page = html.parse(str(other_site / "bibliography" / "letter-notes.html")).getroot()
    italic = [i.text_content() for i in page.iter("i")]
    assert "The Analytical Review" in italic and "A Vindication of the Rights of Woman: With Strictures on Political & Moral Subjects" in italic


# --------------------------------------------------------------------------- determinism, compilation, errors


def test_stylesheets_are_compiled_once_per_run() -> None:
    tr = Transformer()
    docs = tr.load_all(OTHER)
    tr.html(docs, tr.load_registers(REGISTERS))
    tr.text(docs)
    tr.bibliography(docs, ["bibtex", "ris"])
    tr.html(docs)
    assert tr.compilations == 4  # html, text, bibliography, and strip (documents as the stylesheets see them)


def test_outputs_are_byte_identical_across_runs(tmp_path: Path) -> None:
    outs = []
    for run in ("a", "b"):
        tr = Transformer()
        docs = tr.load_all(OTHER)
        regs = tr.load_registers(REGISTERS)
        files = {**{f"html/{k}": v for k, v in tr.html(docs, regs).items()},
                 **{f"text/{k}": v for k, v in tr.text(docs).items()},
                 **{f"bib/{k}": v for k, v in tr.bibliography(docs, list(BIBLIOGRAPHY_FORMATS), regs,
                                                             consolidated=True).items()}}
        outs.append(files)
    assert outs[0].keys() == outs[1].keys() and len(outs[0]) > 20
    assert [k for k in outs[0] if outs[0][k] != outs[1][k]] == []


@pytest.mark.e2e
def test_edition_outputs_are_byte_identical_across_runs(built_edition: Path, tmp_path: Path) -> None:
    files = sorted((built_edition / "tei").glob("*.xml"))
    regs = register_files(Path(__file__).resolve().parent.parent / "registers")
    transform_edition(tmp_path, files, regs, site_title="x")
    first = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    second_dir = tmp_path / "again"
    transform_edition(second_dir, files, regs, site_title="x")
    second = {p.relative_to(second_dir): p.read_bytes() for p in second_dir.rglob("*") if p.is_file()}
    first = {k: v for k, v in first.items() if k.parts[0] != "again"}
    assert first.keys() == second.keys()
    assert [str(k) for k in first if first[k] != second[k]] == []


def test_edition_build_writes_all_outputs(built_edition: Path) -> None:
    slugs = {p.stem for p in (built_edition / "tei").glob("*.xml")}
    assert {p.stem for p in (built_edition / "text").glob("*.txt")} == slugs
    assert {f"{s}.html" for s in slugs} | {"index.html"} <= {p.name for p in (built_edition / "html").glob("*.html")}
    assert (built_edition / "bibliography" / "edition.bib").is_file()


def test_non_tei_and_malformed_input_are_user_errors(tmp_path: Path) -> None:
    tr = Transformer()
    bad = tmp_path / "bad.xml"
    bad.write_text("<root>\n<unclosed>\n</root>")
    with pytest.raises(UserError) as info:
        tr.load(bad)
    assert info.value.line == 3
    other = tmp_path / "other.xml"
    other.write_text('<html xmlns="http://www.w3.org/1999/xhtml"/>')
    with pytest.raises(UserError, match="not a TEI P5 document"):
        tr.load(other)
    twice = [FIXTURES / "editorial.xml", FIXTURES / "editorial.xml"]
    with pytest.raises(UserError, match="two documents have the slug"):
        tr.load_all(twice)


def test_cli_transform(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["transform", "--to", "bibliography", "--format", "bibtex", "--format", "ris",
                                 str(FIXTURES / "letter-notes.xml"), "--out", str(tmp_path / "b"), "--no-registers"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == ["letter-notes.bib", "letter-notes.ris"]
    result = runner.invoke(cli, ["transform", "--to", "text", str(tmp_path / "missing.xml"), "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert "error: no such file" in result.output and "Traceback" not in result.output
    result = runner.invoke(cli, ["transform", "--to", "text", str(tmp_path / "b"), "--out", str(tmp_path / "t")])
    assert result.exit_code == 1 and not (tmp_path / "t").exists()
    assert "error: a folder, not a file" in result.output and "Traceback" not in result.output


def test_site_without_registers(tmp_path: Path) -> None:
    """No register files: no register pages, no links from names, still no broken link."""
    tr = Transformer()
    files = tr.html(tr.load_all(OTHER), [])
    write_files(tmp_path, files)
    assert not {"persons.html", "places.html", "organisations.html"} & set(files)
    page = html.parse(str(tmp_path / "letter-notes.html")).getroot()
    assert page.find(".//a[@class='name pers-name register-persons']") is None
    assert "Thomas Paine" in page.text_content()
    assert crawl(tmp_path, tmp_path)[1] == []


def nesting_problems(page: Path) -> list[str]:
    """Markup a browser would silently restructure: a link inside a link, a block inside a paragraph."""
    from html.parser import HTMLParser

    void = {"br", "meta", "link", "img", "hr", "input", "wbr"}
    blocks = {"div", "p", "ul", "ol", "dl", "blockquote", "section", "figure", "table", "aside", "pre", "details"}
    problems: list[str] = []

    class Parser(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.stack: list[str] = []

        def handle_starttag(self, tag: str, attrs: list) -> None:
            if tag in void:
                return
            if tag == "a" and "a" in self.stack:
                problems.append(f"{page.name}: a inside a")
            if tag in blocks and "p" in self.stack:
                problems.append(f"{page.name}: {tag} inside p")
            self.stack.append(tag)

        def handle_endtag(self, tag: str) -> None:
            if tag in self.stack:
                while self.stack.pop() != tag:
                    pass

    Parser().feed(page.read_text(encoding="utf-8"))
    return problems


def test_html_nesting_is_what_browsers_keep(other_site: Path, tmp_path: Path) -> None:
    assert [p for page in pages(other_site) for p in nesting_problems(page)] == []
    bad = tmp_path / "bad.html"
    bad.write_text("<p>a <a href='#x'>b <a href='#y'>c</a></a><div>d</div></p>")
    assert len(nesting_problems(bad)) == 2


@pytest.mark.e2e
def test_edition_html_nesting_is_what_browsers_keep(built_edition: Path) -> None:
    assert [p for page in pages(built_edition) for p in nesting_problems(page)][:10] == []


@pytest.mark.e2e
def test_build_step_skips_unchanged_removes_only_its_own_stale_outputs(built_edition: Path, tmp_path: Path) -> None:
    import shutil

    from tei.metadata import DEFAULT_SOURCES
    from tei.transform import transform_build

    out = tmp_path / "out"
    shutil.copytree(built_edition / "tei", out / "tei")
    (out / "html").mkdir()
    (out / "html" / "mine.html").write_text("not made by tei")
    regs = Path(__file__).resolve().parent.parent / "registers"
    assert transform_build(out, DEFAULT_SOURCES, regs, "T")["html"] > 5
    assert transform_build(out, DEFAULT_SOURCES, regs, "T") == {}  # nothing changed: skipped
    with pytest.MonkeyPatch.context() as patch:  # any module of the toolkit may shape a page
        patch.setattr("tei.cache.code_fingerprint", lambda: "another toolkit")
        assert transform_build(out, DEFAULT_SOURCES, regs, "T")["html"] > 5
    gone = sorted((out / "tei").glob("*.xml"))[0]
    gone.unlink()
    transform_build(out, DEFAULT_SOURCES, regs, "T")
    assert not (out / "html" / f"{gone.stem}.html").exists() and not (out / "text" / f"{gone.stem}.txt").exists()
    assert (out / "html" / "mine.html").read_text() == "not made by tei"
    assert crawl(out / "html", out)[1] == []


def test_parallel_transforms_make_the_same_files_as_one_process() -> None:
    """--jobs splits the site between processes (register pages apart from the rest): same bytes, same files."""
    from tei.transform import edition_outputs

    serial = edition_outputs(OTHER, REGISTERS, site_title="Test site", jobs=1)
    ran: list[str] = []
    parallel = edition_outputs(OTHER, REGISTERS, site_title="Test site", jobs=2, meanwhile=lambda run: ran.append("x"))
    assert ran == ["x"]
    assert sorted(serial) == sorted(parallel)
    assert {k for k in serial if k.startswith("html/")} >= {"html/index.html", "html/persons.html", "html/assets/edition.css"}
    assert [k for k in serial if serial[k] != parallel[k]] == []


def test_a_failing_part_in_a_worker_is_a_clear_error(tmp_path: Path) -> None:
    from tei.transform import edition_outputs

    broken = tmp_path / "broken.xml"
    broken.write_text("<TEI xmlns='http://www.tei-c.org/ns/1.0'><teiHeader>", encoding="utf-8")
    with pytest.raises(UserError, match="not well-formed"):
        edition_outputs([*OTHER, broken], REGISTERS, jobs=2)


@pytest.mark.e2e
def test_register_mentions_show_at_most_eight_words_either_side(built_edition: Path) -> None:
    """Key word in context on the real edition: short, from the mention's own block (a figure caption is
    its own block: its words are not run together with the figure's heading)."""
    persons = html.parse(str(built_edition / "html" / "persons.html")).getroot()
    spans = list(persons.find_class("kwic"))
    assert len(spans) > 10000
    for span in spans:
        mark = span.find("mark")
        # words as XML counts them: a no-break space joins two (f:norm keeps it)
        before = re.split(r"[ \t\n\r]+", (span.text or "").replace("…", "").strip())
        after = re.split(r"[ \t\n\r]+", (mark.tail or "").replace("…", "").strip())
        assert len(before) <= 8 and len(after) <= 8, span.text_content()
    caption = persons.find(".//a[@href='trotsky-biography.html#sec-the-civil-war.fig2~figDesc1~persName2']")
    assert " ".join(caption.find_class("kwic")[0].text_content().split()) == "Leon Trotsky by Clare Sheridan"


def test_key_word_in_context_takes_eight_words_either_side_whatever_their_length(
        transformer: Transformer, tmp_path: Path) -> None:
    """Eight words either side of a mention, "…" where the block goes on: whether nine words fit in the
    100 characters nearest the mention (most do: those characters decide) or not (long words: the 300
    characters are read), and in a short block with no ellipsis at all."""
    numbered = " ".join(f"b{i:02d}" for i in range(1, 31)), " ".join(f"a{i:02d}" for i in range(1, 31))
    long_before = " ".join(f"beforeword{i}xxxxxxx" for i in range(1, 10))  # 9 words of 18 letters
    long_after = " ".join(f"afterword{i}xxxxxxxx" for i in range(1, 10))
    name = '<persName ref="registers/persons.xml#paine">Thomas Paine</persName>'
    doc = tmp_path / "kwic.xml"
    doc.write_text(f"""<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc>
      <titleStmt><title>Context</title></titleStmt><publicationStmt><p>Test.</p></publicationStmt>
      <sourceDesc><p>Made up.</p></sourceDesc></fileDesc></teiHeader><text><body>
      <p xml:id="p1">{numbered[0]} {name} {numbered[1]}</p>
      <p xml:id="p2">{long_before} {name} {long_after}</p>
      <p xml:id="p3">Said {name} today.</p></body></text></TEI>""", encoding="utf-8")
    (tmp_path / "registers").mkdir()
    registers = [shutil.copy(path, tmp_path / "registers" / path.name) for path in REGISTERS]
    files = transformer.html(transformer.load_all([doc]), transformer.load_registers(registers), pages=("registers",))
    page = html.fromstring(files["persons.html"].decode())
    contexts = [" ".join(span.text_content().split()) for span in page.get_element_by_id("paine").find_class("kwic")]
    assert contexts == [
        "…b23 b24 b25 b26 b27 b28 b29 b30 Thomas Paine a01 a02 a03 a04 a05 a06 a07 a08…",
        "…" + " ".join(long_before.split()[1:]) + " Thomas Paine " + " ".join(long_after.split()[:8]) + "…",
        "Said Thomas Paine today.",
    ]
