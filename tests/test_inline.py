from lxml import etree

from tei.inline import Span, build, quote_spans
from tei.teixml import el


def render(children) -> str:
    return etree.tostring(el("p", None, *children), encoding=str).split(">", 1)[1].rsplit("</p", 1)[0]


def test_long_quotation_is_quote_short_is_q_and_marks_stay_inside() -> None:
    text = 'Lenin was \'hard\' and he said "we firmly resolved not to hide" and "soft".'
    out = render(build(text, quote_spans(text)))
    assert '<quote>"we firmly resolved not to hide"</quote>' in out
    assert '<q>"soft"</q>' in out


def test_unpaired_straight_quotes_are_left_alone() -> None:
    text = 'Trotsky published its "financial manifesto, which proclaimed'
    assert build(text, quote_spans(text)) == [text]


def test_curly_quotes() -> None:
    text = "the theory of “socialism in one country” gave expression"
    assert "<q>“socialism in one country”</q>" in render(build(text, quote_spans(text)))


def test_replacing_span_and_nesting() -> None:
    text = "“the terror.”² Next"
    spans = quote_spans(text) + [Span(13, 14, lambda: el("note", {"n": "2"}, "body"), replace=True)]
    out = render(build(text, spans))
    assert out == '<q>“the terror.”</q><note n="2">body</note> Next'


def test_crossing_spans_are_dropped_not_garbled() -> None:
    text = "abcdefgh"
    spans = [Span(0, 4, lambda: el("hi")), Span(2, 6, lambda: el("emph"))]
    out = render(build(text, spans))
    assert out == "<hi>abcd</hi>efgh"
