"""What every converter shares: blocks of the cleaned text and the result type.

A converter is a module with ``PROFILE`` (its :class:`CleaningProfile`) and
``convert(clean, meta) -> Conversion``. It turns blocks into TEI elements; the
pipeline adds the header, ids and checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from ..cleaning import CleanText
from ..decisions import Decision
from ..errors import UserError
import re
from collections.abc import Callable

from ..inline import Span, build, quote_spans
from ..teixml import Child, el


@dataclass
class Block:
    """A run of non-blank lines; ``line`` is the 1-based source line of the first."""

    line: int
    lines: list[str]

    @property
    def text(self) -> str:
        return " ".join(part.strip() for part in self.lines)


def blocks(clean: CleanText) -> list[Block]:
    out: list[Block] = []
    current: Block | None = None
    for number, line in enumerate(clean.lines, start=1):
        if line.strip():
            if current is None:
                current = Block(number, [])
                out.append(current)
            current.lines.append(line)
        else:
            current = None
    return out


def require_blocks(clean: CleanText, path: object = None) -> list[Block]:
    """The blocks of a text that must have at least one (cleaning may have removed everything)."""
    found = blocks(clean)
    if not found:
        raise UserError("no text is left after cleaning (only boilerplate or repeats)", path,
                        hint="check that the file is the right source text")
    return found


@dataclass
class HeaderNotice:
    """Source text that belongs in the teiHeader, quoted verbatim (e.g. a digitisation notice)."""

    where: str          # "availability" or "sourceDesc"
    text: str
    line: int


@dataclass
class Conversion:
    text: etree._Element                      # the <text> element
    decisions: list[Decision] = field(default_factory=list)
    notices: list[HeaderNotice] = field(default_factory=list)
    principles: dict[str, str] = field(default_factory=dict)  # editorialDecl part -> paragraph


def paragraph(text: str, name: str = "p", attrs: dict[str, str] | None = None) -> etree._Element:
    """A paragraph with its quotations marked."""
    return el(name, attrs, *build(text, quote_spans(text)))


def phrase(text: str) -> list[Child]:
    return build(text, quote_spans(text))


@dataclass(frozen=True)
class Pattern:
    """A declarative recogniser: a regex whose named groups become elements.

    ``wrap`` is the element around the whole match (e.g. ``bibl``); ``groups`` maps a
    group name to an element name and attributes; an attribute value may be a
    callable taking the group's text (e.g. to normalise a date into ``@when``).
    """

    regex: re.Pattern[str]
    wrap: tuple[str, dict] | None
    groups: dict[str, tuple[str, dict]]

    def spans(self, text: str) -> list[Span]:
        out: list[Span] = []
        for m in self.regex.finditer(text):
            if self.wrap:
                name, attrs = self.wrap
                out.append(Span(m.start(), m.end(), lambda n=name, a=attrs: el(n, a)))
            for group, (name, attrs) in self.groups.items():
                if m.group(group) is None:
                    continue
                value = m.group(group)
                resolved = {k: (v(value) if isinstance(v, Callable) else v) for k, v in attrs.items()}
                out.append(Span(m.start(group), m.end(group), lambda n=name, a=resolved: el(n, a)))
        return out
