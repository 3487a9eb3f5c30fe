"""Cleaning on real excerpts of the damaged captures."""

from pathlib import Path

from tei.cleaning import CleaningProfile, clean
from tei.decisions import NOTED, REMOVED, REPAIRED

FIX = Path(__file__).parent / "fixtures" / "cleaning"
SERGE = CleaningProfile(recaptured_passages=True, damaged_dashes=True)


def read(name: str) -> str:
    return (FIX / name).read_text(encoding="utf-8")


def test_recaptured_stretch_dropped_and_unique_damaged_text_repaired() -> None:
    raw = read("serge_recapture.txt")
    assert "â€" in raw
    result = clean(raw, SERGE)
    assert "â€" not in result.text and "Ã" not in result.text
    # The damaged second copies are gone: each clean paragraph occurs once.
    assert result.text.count("Let us consider for a moment the roads") == 1
    assert result.text.count("It was my hope to continue this study") == 1
    assert result.text.count("owning one is punishable") == 1
    # The paragraph that exists only in damaged form is repaired and kept, dash restored.
    assert "then of the system—an actively revolutionary international policy" in result.text
    assert "Lenin’s collaborators" in result.text
    removed = [d for d in result.decisions if d.kind == REMOVED]
    assert {d.rule for d in removed} == {"recaptured-passage", "repeated-paragraph"}
    # Every removal carries the removed text, so the header can quote it.
    assert all(d.text and d.line for d in removed)
    assert any("bafoenish" in d.text for d in removed)


def test_verbatim_repeat_removed_but_near_duplicates_kept() -> None:
    result = clean(read("trotsky_repeat.txt"))
    text = result.text
    assert text.count("Leon Trotsky was the main figure to argue for an insurrection") == 1
    # Similar but not identical paragraphs (different words) are not repeats.
    assert "Later that month Lenin informed the Bolshevik Central Committee" in text
    assert "On 12th September 1917, Ivar Smilga took a message" in text
    assert [d.rule for d in result.decisions] == ["repeated-paragraph"]


def test_boilerplate_links_removed_and_empty_links_unwrapped() -> None:
    result = clean(read("serge_boilerplate.txt"))
    assert "[Subscribe now](#)" not in result.text
    assert "Branko Milanovic: The book of the dead: “Born" in result.text
    rules = sorted(d.rule for d in result.decisions)
    assert rules == ["boilerplate-link", "empty-link"]


def test_back_links_removed() -> None:
    result = clean("1. David North, p. 68.[back]\n")
    assert result.text == "1. David North, p. 68.\n"
    assert result.decisions[0].rule == "back-link"


def test_unrepairable_character_is_noted_not_guessed() -> None:
    result = clean(read("serge_residual.txt"), SERGE)
    assert "FayÅulla" in result.text
    assert any(d.kind == NOTED and d.text == "FayÅulla" for d in result.decisions)


def test_contractions_survive_dash_repair() -> None:
    raw = "their job wonâ€™t be easy, the regimeâ€™s evolution, the Committeeâ€™a Georgian\n"
    result = clean(raw, SERGE)
    assert result.text == "their job won’t be easy, the regime’s evolution, the Committee—a Georgian\n"
    assert any(d.kind == REPAIRED for d in result.decisions)


def test_clean_text_is_nfc() -> None:
    result = clean("Abbe\u0301 Sieye\u0300s\n")
    assert result.text == "Abbé Sieyès\n"
