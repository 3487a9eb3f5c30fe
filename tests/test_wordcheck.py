from tei.decisions import REMOVED, Decision
from tei.teixml import el
from tei.wordcheck import check, tokens


def tei(*body_children):
    return el("TEI", None, el("teiHeader", None), el("text", None, el("body", None, *body_children)))


def test_superscript_note_calls_are_not_words() -> None:
    assert tokens("leanings.”² This") == ["leanings", "This"]
    assert tokens("¹Unfortunately, it is") == ["Unfortunately", "it", "is"]


def test_identical_text_passes() -> None:
    result = check("Serge was born in Brussels.", tei(el("p", None, "Serge was born in Brussels.")), [])
    assert result.ok and result.source_words == result.tei_words == 5


def test_lost_word_is_reported_with_context() -> None:
    result = check("Serge was born in Brussels in 1890.", tei(el("p", None, "Serge was born in 1890.")), [])
    assert not result.ok
    assert result.lost == {"Brussels": 1, "in": 1} or sum(result.lost.values()) == 2
    assert "Brussels" in result.first_loss


def test_added_word_is_reported() -> None:
    result = check("Serge was born.", tei(el("p", None, "Victor Serge was born.")), [])
    assert result.added == {"Victor": 1}


def test_moved_footnote_is_not_a_loss() -> None:
    source = ("Serge defined the state as bureaucratic totalitarian.² This assignation\n"
              "²While the totalitarian school of analysis is well known\n"
              "was different from others.")
    note = el("note", {"n": "2"}, "While the totalitarian school of analysis is well known")
    root = tei(el("p", None, "Serge defined the state as bureaucratic totalitarian.", note,
                  " This assignation was different from others."))
    result = check(source, root, [])
    assert result.ok, result.summary()


def test_recorded_removal_explains_missing_words() -> None:
    source = "A note begins\n(continued...)\nand ends here."
    root = tei(el("p", None, "A note begins and ends here."))
    assert not check(source, root, []).ok
    decision = Decision(REMOVED, "continued-marker", "marker removed", "(continued...)", 2)
    result = check(source, root, [decision])
    assert result.ok and result.explained_words == 1


def test_header_quotes_of_the_source_count() -> None:
    root = el("TEI", None,
              el("teiHeader", None, el("quote", {"source": "#source"}, "ProQuest Number: 10983769")),
              el("text", None, el("body", None, el("p", None, "Abstract"))))
    assert check("ProQuest Number: 10983769\nAbstract", root, []).ok
