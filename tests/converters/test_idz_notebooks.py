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
