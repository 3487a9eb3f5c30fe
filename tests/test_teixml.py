from lxml import etree

from tei.teixml import XML_ID, assign_ids, check_unique_ids, el, to_bytes


def test_mixed_content_is_never_reindented() -> None:
    p = el("p", None, el("persName", None, "Trotsky"), " wrote ", el("title", None, "My Life"), ".")
    root = el("TEI", None, el("text", None, el("body", None, el("div", None, p))))
    data = to_bytes(root)
    assert b"<p><persName>Trotsky</persName> wrote <title>My Life</title>.</p>" in data
    # structural content is indented for readability
    assert b"\n    <body>" in data


def test_serialisation_is_deterministic_and_declares_models() -> None:
    make = lambda: el("TEI", None, el("text", None, el("body", None, el("p", None, "x"))))  # noqa: E731
    pi = '<?xml-model href="x.rng"?>'
    assert to_bytes(make(), [pi]) == to_bytes(make(), [pi])
    assert to_bytes(make(), [pi]).startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<?xml-model')


def test_ids_follow_the_tree_and_are_unique() -> None:
    text = el("text", None, el("body", None,
              el("div", {"xml:id": "ch1"}, el("p", None, "a"), el("div", None, el("p", None, "b"), el("p", None, "c"))),
              el("div", {"xml:id": "ch2"}, el("p", None, "d"))))
    assign_ids(text)
    ids = [n.get(XML_ID) for n in text.iter() if n.get(XML_ID)]
    assert "ch1.p1" in ids and "ch1.d1" in ids and "ch1.d1.p2" in ids and "ch2.p1" in ids
    assert not check_unique_ids(text)


def test_ids_of_one_chapter_do_not_depend_on_another() -> None:
    def build(extra_paragraphs: int):
        text = el("text", None, el("body", None,
                  el("div", {"xml:id": "ch1"}, [el("p", None, str(i)) for i in range(extra_paragraphs)]),
                  el("div", {"xml:id": "ch2"}, el("p", None, "x"))))
        assign_ids(text)
        return text.find(".//{*}div[@{http://www.w3.org/XML/1998/namespace}id='ch2']/{*}p").get(XML_ID)
    assert build(1) == build(5) == "ch2.p1"


def test_duplicate_ids_detected() -> None:
    root = el("TEI", None, el("p", {"xml:id": "a"}), el("p", {"xml:id": "a"}))
    assert check_unique_ids(root) == ["a"]
    assert isinstance(root, etree._Element)
