"""Property-based tests: random and mutated source texts through cleaning and conversion.

Whatever the input, the result is either a clear UserError or a well-formed TEI document
with unique ids in which every word of the (cleaned) input is present or removed by a
recorded decision.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from tei import converters
from tei.build import Prepared, finish_document
from tei.cleaning import clean
from tei.errors import UserError
from tei.metadata import DEFAULT_SOURCES, discover, load_edition
from tei.teixml import assign_ids

METAS = {m.slug: m for m in discover(DEFAULT_SOURCES)}
EDITION = load_edition(DEFAULT_SOURCES)
LINES = {slug: m.file.read_text(encoding="utf-8").split("\n") for slug, m in METAS.items()}
WINDOW = 400  # lines of the (long) thesis per example, to keep examples fast


def run(slug: str, text: str):
    meta = METAS[slug]
    module = converters.get(meta.converter)
    cleaned = clean(text, module.PROFILE)
    conversion = module.convert(cleaned, meta)
    decisions = cleaned.decisions + conversion.decisions
    assign_ids(conversion.text)
    return finish_document(Prepared(meta, cleaned, conversion, decisions), EDITION)


def check_result(slug: str, text: str) -> None:
    try:
        result = run(slug, text)
    except UserError:
        return
    assert result.words.ok, result.words.summary()
    etree.fromstring(result.data.split(b"\n", 3)[3])  # well-formed after the declaration and PIs


@st.composite
def mutated_source(draw, slug: str) -> str:
    lines = LINES[slug]
    if len(lines) > WINDOW:
        start = draw(st.integers(0, len(lines) - WINDOW))
        lines = lines[start:start + WINDOW]
    lines = list(lines)
    for _ in range(draw(st.integers(0, 6))):
        op = draw(st.sampled_from(["delete", "duplicate", "insert", "swap", "truncate"]))
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "insert":
            lines.insert(i, draw(st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=80)))
        elif op == "swap" and i + 1 < len(lines):
            lines[i], lines[i + 1] = lines[i + 1], lines[i]
        elif op == "truncate":
            lines[i] = lines[i][: draw(st.integers(0, max(0, len(lines[i]))))]
    return "\n".join(lines)


PROPERTY = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("slug", sorted(METAS))
def test_mutated_sources_convert_or_fail_clearly(slug: str) -> None:
    @PROPERTY
    @given(mutated_source(slug))
    def inner(text: str) -> None:
        check_result(slug, text)

    inner()


@pytest.mark.parametrize("slug", sorted(METAS))
@PROPERTY
@given(text=st.text(st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\n"), max_size=600))
def test_unstructured_text_converts_or_fails_clearly(slug: str, text: str) -> None:
    check_result(slug, text)
