from tests.conftest import ROOT
from tests.converters.helpers import convert_text, text, xp

SOURCE = (ROOT / "sources/texts/001_e21166df0cc561a9.txt").read_text(encoding="utf-8")


def convert():
    return convert_text("serge_preface", SOURCE, "001-serge-year-one-preface.toml")


def test_post_with_the_milanovic_quotation_as_cit() -> None:
    _, tree = convert()
    cit = xp(tree, "//t:div[@type='blogPost']/t:cit")
    assert len(cit) == 1
    assert text(xp(cit[0], "t:bibl/t:author")[0]) == "Branko Milanovic"
    assert text(xp(cit[0], "t:bibl/t:title")[0]) == "The book of the dead"
    assert text(xp(cit[0], "t:quote")[0]).startswith("“Born to Russian anti-Czarist emigrants")
    # markdown emphasis (*Notebooks*) became title elements; no asterisk is left in the text
    assert set(xp(tree, "//t:title[@level='m']/text()")) == {"Notebooks"}
    assert "*" not in text(tree)


def test_preface_div_head_paragraphs_and_closer() -> None:
    _, tree = convert()
    preface = xp(tree, "//t:div[@type='preface']")[0]
    assert text(xp(preface, "t:head")[0]) == "Preface to the 1938 Edition:"
    paragraphs = xp(preface, "t:p")
    # 6 clean paragraphs + the rest that exists only in damaged (now repaired) form; no repeats
    firsts = [text(p)[:40] for p in paragraphs]
    assert len(firsts) == len(set(firsts))
    assert text(paragraphs[-1]).startswith("One would really have to despair of man")
    closer = xp(preface, "t:closer")[0]
    assert text(xp(closer, "t:signed")[0]) == "Victor Serge"
    assert xp(closer, "t:dateline/t:date/@when") == ["1938-09"]
    assert "Richard Greeman" in text(closer)


def test_note_calls_are_anchors_without_invented_bodies() -> None:
    conversion, tree = convert()
    anchors = xp(tree, "//t:ref[@type='noteAnchor']")
    assert [a.get("n") for a in anchors] == ["1", "2", "3"]
    assert not xp(tree, "//t:note")
    assert "not in the received text" in conversion.principles["notes"]
