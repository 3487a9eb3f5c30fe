from hypothesis import given, settings
from hypothesis import strategies as st

from tei.decisions import REMOVED, Decision
from tei.teixml import el
from tei.wordcheck import ANCHOR, align, check, tokens


def tei(*body_children):
    return el("TEI", None, el("teiHeader", None), el("text", None, el("body", None, *body_children)))


def test_superscript_note_calls_are_not_words() -> None:
    assert tokens("leanings.”² This") == ["leanings", "This"]
    assert tokens("¹Unfortunately, it is") == ["Unfortunately", "it", "is"]
    assert tokens("word³⁴glued snake_case 1917") == ["word", "glued", "snake", "case", "1917"]


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


def _align_word_by_word(src: list[str], tei: list[str]) -> tuple[bytearray, bytearray, int]:
    """The alignment's rule stated plainly (one word at a time, every n-gram position listed): what the
    fast version (runs compared as slices, the n-gram index built in bulk) must agree with."""
    index: dict[tuple[str, ...], list[int]] = {}
    for j in range(len(tei) - ANCHOR + 1):
        index.setdefault(tuple(tei[j:j + ANCHOR]), []).append(j)
    used_src, used_tei = bytearray(len(src)), bytearray(len(tei))
    cursor = jumps = i = 0
    while i < len(src):
        if cursor < len(tei) and not used_tei[cursor] and src[i] == tei[cursor]:
            used_src[i] = used_tei[cursor] = 1
            i += 1
            cursor += 1
            continue
        candidates = index.get(tuple(src[i:i + ANCHOR]), [])
        later = [p for p in candidates if p >= cursor and not used_tei[p]]
        earlier = [p for p in candidates if p < cursor and not used_tei[p]]
        pick = (later or earlier or [None])[0]
        if pick is None:
            i += 1
            continue
        jumps += pick < cursor
        cursor = pick
    return used_src, used_tei, jumps


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from("abcd"), max_size=60), st.data())
def test_alignment_agrees_with_the_word_by_word_rule(src: list[str], data) -> None:
    tei = list(src)
    for _ in range(data.draw(st.integers(0, 6))):
        kind = data.draw(st.sampled_from(["delete", "insert", "move"]))
        if kind == "insert" or not tei:
            tei.insert(data.draw(st.integers(0, len(tei))), data.draw(st.sampled_from("abcde")))
        elif kind == "delete":
            del tei[data.draw(st.integers(0, len(tei) - 1))]
        else:  # a passage moved elsewhere (a footnote placed at its call)
            a = data.draw(st.integers(0, len(tei) - 1))
            b = data.draw(st.integers(a, len(tei)))
            passage = tei[a:b]
            del tei[a:b]
            at = data.draw(st.integers(0, len(tei)))
            tei[at:at] = passage
    assert align(src, tei) == _align_word_by_word(src, tei)


def test_alignment_of_a_long_text_with_a_moved_passage() -> None:
    words = [f"w{i % 97}" for i in range(5000)]
    tei = words[:1000] + words[3000:3200] + words[1000:3000] + words[3200:]
    used_src, used_tei, jumps = align(words, tei)
    assert all(used_src) and all(used_tei) and jumps >= 1
    assert (used_src, used_tei, jumps) == _align_word_by_word(words, tei)
