"""The consolidated bibliography: conservative merging on real references."""

from __future__ import annotations

from pathlib import Path

import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from tei.consolidation import citations, consolidate, fold, surname, to_tei
from tei.teixml import el

NS = {"t": "http://www.tei-c.org/ns/1.0"}


def doc(*bibls) -> etree._Element:
    return el("TEI", None, el("text", None, el("body", None, el("div", None, *bibls))))


def bibl(ident: str, author: str, title: str, when: str | None, level: str = "m", *extra) -> etree._Element:
    return el("bibl", {"xml:id": ident}, el("author", None, author), ", ",
              el("title", {"level": level}, title), " (", el("date", {"when": when}, when or "n.d."), ")", *extra)


def test_normalisation() -> None:
    assert fold("Mémoires d'un révolutionnaire,") == "memoires d un revolutionnaire"
    assert fold("The Case of Comrade Tulayev") == "case of comrade tulayev"
    assert surname("Sheridan, Clare") == surname("Clare Sheridan") == "sheridan"
    assert fold("Die Straße, Éditions") == fold("die STRASSE editions") == "strasse editions"


@given(st.text(alphabet=st.sampled_from("aZ '-,.éÉßŒœçñ\u0301\u00a0ﬁ²")))
def test_folding_skips_no_character_the_full_normalisation_would_change(text: str) -> None:
    # fold passes ASCII text straight to the case and punctuation steps: any text must fold as the
    # plain definition (decompose, drop combining marks, casefold, punctuation to spaces) folds it
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).casefold()
    plain = " ".join(re.sub(r"[^\w\s]", " ", plain).split())
    assert fold(text) == re.sub(r"^(?:the|a|an|le|la|les|l|el|los|las|der|die|das|il|lo)\s+", "", plain)


def test_same_work_in_two_documents_is_one_entry_citing_both() -> None:
    a = doc(bibl("b37", "Clare Sheridan", "Russian Portraits", "1921"))
    b = doc(bibl("IV-C-150", "Sheridan, Clare", "Russian Portraits", "1921"))
    result = consolidate([("trotsky-biography.xml", a), ("weissman-serge-thesis.xml", b)])
    assert len(result.works) == 1 and len(result.merges) == 1
    assert [c.id for c in result.works[0].citations] == ["b37", "IV-C-150"]


def test_summary_of_a_work_cited_everywhere_stays_one_short_line() -> None:
    docs = [(f"copy-{n:03d}.xml", doc(bibl("b1", "Victor Serge", "Year One", "1930"))) for n in range(100)]
    result = consolidate(docs)
    line = result.report_lines()[1]
    assert line.startswith("  merged: Victor Serge — Year One (1930): copy-000.xml#b1, copy-001.xml#b1")
    assert "copy-004.xml" not in line and line.endswith("and 96 more (build-report.json lists them all)")
    assert len(result.merges[0].citations) == 100  # the report itself keeps every place


def test_different_dates_or_titles_are_not_merged() -> None:
    a = doc(bibl("x1", "Victor Serge", "Memoirs of a Revolutionary", "1945"),
            bibl("x2", "Victor Serge", "Memoirs of a Revolutionary", "1963"),
            bibl("x3", "Victor Serge", "Year One of the Russian Revolution", "1963"),
            bibl("x4", "Victor Serge", "Memoirs of a Revolutionary", None))
    result = consolidate([("d.xml", a)])
    assert len(result.works) == 4 and not result.merges


def test_articles_in_different_issues_are_different_works() -> None:
    issue = lambda n: [el("title", {"level": "j"}, "Clarte"), el("biblScope", {"unit": "issue"}, f"No. {n}")]
    a = doc(bibl("c1", "R. Albert", "Notes d'Allemagne", "1923", "a", *issue(38)),
            bibl("c2", "R. Albert", "Notes d'Allemagne", "1923", "a", *issue(39)),
            bibl("c3", "R. Albert", "Notes d'Allemagne", "1923", "a", *issue(39)))
    result = consolidate([("d.xml", a)])
    assert len(result.works) == 2
    assert [c.id for c in result.merges[0].citations] == ["c2", "c3"]


def test_supplied_author_is_followed() -> None:
    head = el("head", None, "Works by ", el("name", {"xml:id": "au"}, "Victor Serge"))
    entry = el("bibl", {"xml:id": "I-A-11"}, el("author", {"copyOf": "#au"}),
               el("title", {"level": "m"}, "L'An I de la revolution russe"), ", ", el("date", {"when": "1930"}, "1930"))
    found = citations("t.xml", doc(head, entry))
    assert found[0].author == "Victor Serge"


def test_tei_output_points_back_to_every_citation(tmp_path: Path) -> None:
    a = doc(bibl("b27", "Walter Duranty", "I Write As I Please", "1935"),
            bibl("b42", "Walter Duranty", "I Write As I Please", "1935"))
    data = to_tei(consolidate([("trotsky-biography.xml", a)]), "Edition", "Publisher", "2026-11-22")
    root = etree.fromstring(data)
    works = root.xpath("//t:listBibl/t:bibl", namespaces=NS)
    assert len(works) == 1
    assert root.xpath("//t:ptr/@target", namespaces=NS) == ["../tei/trotsky-biography.xml#b27",
                                                             "../tei/trotsky-biography.xml#b42"]


def test_built_edition_has_a_valid_consolidated_bibliography(built_edition: Path, tei_all: Path) -> None:
    import shutil
    import subprocess

    path = built_edition / "bibliography" / "edition-bibliography.xml"
    root = etree.parse(str(path)).getroot()
    assert len(root.xpath("//t:listBibl/t:bibl", namespaces=NS)) > 500
    pyjing = shutil.which("pyjing")
    if pyjing:
        proc = subprocess.run([pyjing, str(tei_all), str(path)], capture_output=True, text=True)
        assert proc.returncode == 0, proc.stdout[:2000]
