"""The reading edition in a real browser (Chromium through Playwright): notes, popups, registers, layout.

Screenshots go to build/test-artifacts/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest

WIDTHS = {"phone": 375, "desktop": 1280}


def open_page(browser, url: str, width: int = 1280, **kwargs):
    context = browser.new_context(viewport={"width": width, "height": 900}, **kwargs)
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("file:", "http://127.0.0.1", "data:")) else None)
    page.goto(url)
    page.outside_requests = outside
    return page


def hash_of(page) -> str:
    return page.evaluate("decodeURIComponent(location.hash.slice(1))")


def test_note_call_to_note_and_back(browser, other_site: Path, artifacts: Path) -> None:
    page = open_page(browser, (other_site / "letter-notes.html").as_uri())
    call = page.locator("a.noteref").first
    call_id = call.get_attribute("id")
    note_id = call.get_attribute("href")[1:]
    call.click()
    assert hash_of(page) == note_id
    note = page.locator(f"[id='{note_id}']")
    assert note.is_visible() and note.evaluate("e => e.getBoundingClientRect().top >= 0 && e.getBoundingClientRect().top < innerHeight")
    assert "London" in note.inner_text()
    page.screenshot(path=str(artifacts / "note-target.png"))
    note.locator("a.fn-label").click()
    assert hash_of(page) == call_id
    assert page.locator(f"[id='{call_id}']").evaluate("e => e.getBoundingClientRect().top >= 0 && e.getBoundingClientRect().top < innerHeight")
    assert page.outside_requests == []
    page.context.close()


def test_note_popup_on_hover_and_focus(browser, other_site: Path, artifacts: Path) -> None:
    page = open_page(browser, (other_site / "letter-notes.html").as_uri())
    call = page.locator("a.noteref").nth(1)
    call.hover()
    popup = page.locator(".note-popup")
    popup.wait_for(state="visible", timeout=3000)
    assert "Thomas Paine" in popup.inner_text()
    assert call.get_attribute("aria-describedby") == popup.get_attribute("id")
    page.screenshot(path=str(artifacts / "note-popup.png"))
    page.keyboard.press("Escape")
    assert page.locator(".note-popup").count() == 0
    page.locator("a.noteref").first.focus()
    page.locator(".note-popup").wait_for(state="visible", timeout=3000)
    assert "London" in page.locator(".note-popup").inner_text()
    page.context.close()


def test_notes_work_without_javascript(browser, other_site: Path) -> None:
    page = open_page(browser, (other_site / "letter-notes.html").as_uri(), java_script_enabled=False)
    call = page.locator("a.noteref").first
    call.click()
    assert hash_of(page) == call.get_attribute("href")[1:]
    assert page.locator(".note-popup").count() == 0
    assert page.locator("nav.toc a").first.is_visible()
    page.context.close()


def test_name_opens_its_register_entry_and_mention_leads_back(browser, other_site: Path, artifacts: Path) -> None:
    page = open_page(browser, (other_site / "letter-notes.html").as_uri())
    name = page.locator("a.name[href='persons.html#paine']")
    name_id = name.get_attribute("id")
    name.click()
    assert page.url.split("#")[0].endswith("/persons.html") and hash_of(page) == "paine"
    entry = page.locator("#paine")
    assert entry.is_visible() and "Thomas Paine" in entry.inner_text()
    page.screenshot(path=str(artifacts / "register-entry.png"))
    entry.locator(f"a[href='letter-notes.html#{name_id}']").click()
    assert page.url.split("#")[0].endswith("/letter-notes.html") and hash_of(page) == name_id
    page.context.close()


@pytest.mark.e2e
def test_edition_name_to_register_and_note_round_trip(browser, built_edition: Path, artifacts: Path) -> None:
    site = built_edition / "html"
    page = open_page(browser, (site / "trotsky-biography.html").as_uri())
    name = page.locator("a.name").first
    target = name.get_attribute("href")
    name.click()
    page.wait_for_load_state()
    entry = page.locator(f"[id='{target.split('#')[1]}']")
    entry.wait_for(state="visible")
    assert page.url.endswith(target) and entry.evaluate("e => e.getBoundingClientRect().top < innerHeight")
    page.close()
    page = open_page(browser, (site / "wsws-children-left-opposition.html").as_uri())
    calls = page.locator("a.noteref")
    if calls.count():
        calls.first.click()
        note = page.locator(f"[id='{hash_of(page)}']")
        note.wait_for(state="visible")
        assert note.is_visible()
        note.locator("a[role='doc-backlink']").first.click()
        assert hash_of(page) == calls.first.get_attribute("id")
    page.context.close()


def check_layout(page, label: str, artifacts: Path, width: int) -> None:
    """No horizontal scrolling; running text at 16 px or more, secondary text (notes, captions, facts) at 13 px or more."""
    metrics = page.evaluate("""() => {
        const size = e => parseFloat(getComputedStyle(e).fontSize);
        const shown = [...document.querySelectorAll('main p, main li, main dd')].filter(e => e.offsetParent);
        const secondary = '.notes, .note-entry, .about, figcaption, .facts, .doc-facts, .downloads, .cit-source, '
                        + '.mentions-block, .entry-names, .entry-detail, .entry-type, .toc, .bib-places, .alt, .letters';
        const running = shown.filter(e => !e.closest(secondary));
        return {
            scroll: document.documentElement.scrollWidth,
            inner: window.innerWidth,
            running: Math.min(...running.map(size).concat([99])),
            secondary: Math.min(...shown.map(size).concat([99])),
        };
    }""")
    assert metrics["scroll"] <= metrics["inner"], f"{label} at {width}px overflows: {metrics}"
    assert metrics["running"] >= 16 and metrics["secondary"] >= 13, f"{label} at {width}px: font too small {metrics}"
    page.screenshot(path=str(artifacts / f"{label}-{width}.png"))


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_layout_of_other_site(browser, other_site: Path, artifacts: Path, width: int) -> None:
    for name in ("index", "letter-notes", "editorial", "verse-drama", "persons", "bibliography"):
        page = open_page(browser, (other_site / f"{name}.html").as_uri(), width)
        check_layout(page, f"other-{name}", artifacts, width)
        page.context.close()


@pytest.mark.e2e
@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_layout_of_the_edition_over_http(browser, built_edition: Path, artifacts: Path, serve, width: int) -> None:
    base = serve(built_edition / "html")
    names = ["index"] + sorted(p.stem for p in (built_edition / "html").glob("*.html") if p.stem != "index")
    for name in names:
        page = open_page(browser, f"{base}{name}.html", width)
        failed: list[str] = []
        page.on("requestfailed", lambda r: failed.append(r.url))
        page.reload()
        check_layout(page, f"edition-{name}", artifacts, width)
        assert failed == [] and page.outside_requests == [], name
        page.context.close()


def test_print_stylesheet_hides_navigation(browser, other_site: Path, artifacts: Path) -> None:
    page = open_page(browser, (other_site / "letter-notes.html").as_uri())
    page.emulate_media(media="print")
    assert page.locator(".site-header").evaluate("e => getComputedStyle(e).display") == "none"
    assert page.locator("nav.toc").evaluate("e => getComputedStyle(e).display") == "none"
    assert page.locator("section.notes").first.is_visible()
    page.pdf(path=str(artifacts / "letter-notes-print.pdf")) if hasattr(page, "pdf") else None
    page.context.close()


def test_keyboard_focus_is_visible_and_skip_link_works(browser, other_site: Path) -> None:
    page = open_page(browser, (other_site / "letter-notes.html").as_uri())
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    assert skip.evaluate("e => e === document.activeElement")
    assert skip.evaluate("e => e.getBoundingClientRect().width > 1")  # shown when focused
    outline = skip.evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert hash_of(page) == "~main"
    page.context.close()
