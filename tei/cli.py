"""The ``tei`` command. Errors the user can fix are one line on stderr, exit 1."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from . import __version__
from .errors import UserError


def _fail(exc: UserError) -> None:
    click.echo(str(exc), err=True)
    sys.exit(1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tei")
def cli() -> None:
    """Build, validate, transform and package TEI P5 digital editions."""


@cli.command("build")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=Path("build/edition"),
              show_default=True, help="Folder for the edition; TEI files go to OUT/tei/<slug>.xml.")
@click.option("--sources", "sources", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder with edition.toml, one <name>.toml per source and the texts they name "
                   "(default: the bundled sources/).")
@click.option("--only", multiple=True, metavar="SLUG", help="Build only this document (repeatable).")
@click.option("--quiet", "-q", is_flag=True, help="Print only errors and the final line.")
def build_cmd(out: Path, sources: Path | None, only: tuple[str, ...], quiet: bool) -> None:
    """Build the whole edition from the source texts.

    Each source is read, cleaned (mojibake repair, boilerplate and repeated
    passages removed, every change recorded), converted to TEI P5, checked
    (unique ids; every word of the source reaches the TEI) and written to
    OUT/tei/. A per-document report of removals, repairs and the word check is
    printed and saved as OUT/build-report.json. If any document fails, nothing
    is written.
    """
    from .build import build
    from .metadata import DEFAULT_SOURCES

    started = time.perf_counter()

    def progress(msg: str) -> None:
        if not quiet:
            click.echo(f"[{time.perf_counter() - started:6.2f}s] {msg}", err=True)

    try:
        report = build(out, sources or DEFAULT_SOURCES, only, progress)
    except UserError as exc:
        _fail(exc)
    if not quiet:
        for line in report.lines():
            click.echo(line)
    click.echo(f"built {len(report.documents)} document(s) into {out} in {time.perf_counter() - started:.2f}s")


def main() -> None:
    try:
        cli(standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("interrupted; outputs already in place were left untouched", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
