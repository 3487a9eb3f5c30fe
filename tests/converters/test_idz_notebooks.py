from tests.conftest import ROOT
from tests.converters.helpers import convert_text, text, xp

SOURCE = (ROOT / "sources/texts/000_faa50b6bb2641567.txt").read_text(encoding="utf-8")


def test_introduction_and_the_two_published_texts() -> None:
    _, tree = convert_text("idz_notebooks", SOURCE, "000-verkhneuralsk-notebooks.toml")
    assert len(xp(tree, "//t:div[@type='introduction']/t:p")) == 2
    items = xp(tree, "//t:list/t:item")
    assert len(items) == 2
    first, second = items
    assert text(xp(first, "t:bibl/t:author")[0]) == "Aleksei Gusev"
    assert text(xp(first, "t:bibl/t:title")[0]) == "Trotskyists in the USSR. Prologue to the Verjneuralsk Notebooks"
    assert text(xp(first, "t:p")[0]).startswith("Introduction to the notebooks, written by the historian")
    assert not xp(second, "t:bibl/t:author")
    assert text(xp(second, "t:bibl/t:title")[0]) == "Verjneuralsk Notebooks: The Fascist Coup in Germany (1933)"


def test_the_works_named_in_the_introduction_are_references() -> None:
    _, tree = convert_text("idz_notebooks", SOURCE, "000-verkhneuralsk-notebooks.toml")
    bibls = xp(tree, "//t:div[@type='introduction']/t:p//t:bibl")
    assert len(bibls) == 2
    novel, collection = bibls
    assert text(xp(novel, "t:title")[0]) == "Midnight of the century"
    assert xp(novel, "t:date/@when") == ["1939"]
    assert text(xp(novel, "t:author")[0]) == "Victor Serge"
    assert text(xp(collection, "t:title[@level='m']")[0]).startswith("Notebooks from the Verkhne-Ural political")
    assert text(xp(collection, "t:pubPlace")[0]) == "Moscow"
    assert text(xp(collection, "t:publisher")[0]) == "Ed. Trovant"
    assert xp(collection, "t:date/@when") == ["2022"]
    # quotation marks around the gloss stay text; no quote element inside a reference
    assert not xp(collection, ".//t:quote")
