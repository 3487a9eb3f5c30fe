from tests.conftest import ROOT
from tests.converters.helpers import convert_text, text, xp

SOURCE = (ROOT / "sources/texts/003_0e26dad2d2acc2af.txt").read_text(encoding="utf-8")


def convert():
    return convert_text("wsws_article", SOURCE, "003-wsws-children-left-opposition.toml")


def test_headline_caption_and_block_quotes() -> None:
    _, tree = convert()
    article = xp(tree, "//t:div[@type='article']")[0]
    assert text(xp(article, "t:head")[0]) == "WSWS publishes interviews with children of the Left Opposition"
    figures = xp(article, "t:figure")
    assert len(figures) == 1
    assert text(figures[0]).startswith("Members of the Left Opposition in 1927. Sitting (left to right)")
    quotes = xp(article, "t:quote[@type='block']")
    assert len(quotes) == 2
    assert text(quotes[0]).startswith("“In the struggle for power and income")


def test_three_endnotes_linked_both_ways() -> None:
    conversion, tree = convert()
    notes = xp(tree, "//t:back//t:note[@place='end']")
    calls = xp(tree, "//t:body//t:ref[@type='noteAnchor']")
    assert [n.get("n") for n in notes] == ["1", "2", "3"]
    assert [c.get("n") for c in calls] == ["1", "2", "3"]
    ids = {n.get("{http://www.w3.org/XML/1998/namespace}id"): n for n in notes}
    for call in calls:
        note = ids[call.get("target").lstrip("#")]
        assert note.get("target") == "#" + call.get("{http://www.w3.org/XML/1998/namespace}id")
    assert text(notes[0]).startswith("David North:")
    assert "[back]" not in text(tree)
    assert [d.rule for d in conversion.decisions] == ["endnote-number"] * 3
