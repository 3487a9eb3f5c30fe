"""The ``tei`` command. Errors the user can fix are one line on stderr, exit 1."""

from __future__ import annotations

import os
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
@click.option("--registers", "registers", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder with persons.xml, places.xml, organisations.xml and decisions.toml "
                   "(default: the bundled registers/).")
@click.option("--only", multiple=True, metavar="SLUG", help="Build only this document (repeatable).")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=lambda: min(os.cpu_count() or 1, 8),
              show_default="the number of cores, at most 8",
              help="Processes for the per-document stages and the transforms (1: everything in this process).")
@click.option("--force", is_flag=True, help="Rebuild every document even if nothing it depends on changed.")
@click.option("--quiet", "-q", is_flag=True, help="Print only errors and the final line.")
def build_cmd(out: Path, sources: Path | None, registers: Path | None, only: tuple[str, ...], jobs: int,
              force: bool, quiet: bool) -> None:
    """Build the whole edition from the source texts.

    Each source is read, cleaned (mojibake repair, boilerplate and repeated
    passages removed, every change recorded), converted to TEI P5, checked
    (unique ids; every word of the source reaches the TEI) and written to
    OUT/tei/. A per-document report of removals, repairs and the word check is
    printed and saved as OUT/build-report.json. If any document fails, nothing
    is written. Documents whose inputs (text, metadata, registers, the
    toolkit's code) are unchanged since the last build into OUT are reused.
    """
    from .build import build
    from .metadata import DEFAULT_SOURCES
    from .workers import stop_on_sigterm

    started = time.perf_counter()
    stop_on_sigterm()  # a killed build stops its workers and removes its staging folders

    def progress(msg: str) -> None:
        if not quiet:
            click.echo(f"[{time.perf_counter() - started:6.2f}s] {msg}", err=True)

    try:
        report = build(out, sources or DEFAULT_SOURCES, only, progress, jobs=jobs, use_cache=not force,
                       registers_dir=registers)
    except UserError as exc:
        _fail(exc)
    except KeyboardInterrupt:
        click.echo(f"{out}: build interrupted; every file written is complete (run the build again to finish)",
                   err=True)
        sys.exit(130)
    if not quiet:
        for line in report.lines():
            click.echo(line)
    click.echo(f"built {len(report.documents)} document(s) into {out} in {time.perf_counter() - started:.2f}s")


@cli.group("entities")
def entities_group() -> None:
    """Persons, places and organisations: the registers and their markup."""


@entities_group.command("report")
@click.option("--sources", "sources", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Sources folder (default: the bundled sources/).")
@click.option("--registers", "registers", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Registers folder (default: the bundled registers/).")
@click.option("--min-count", default=2, show_default=True, help="Report unregistered strings seen this often.")
def entities_report(sources: Path | None, registers: Path | None, min_count: int) -> None:
    """List what the editor must settle: ambiguous names the context could not resolve (settle them in
    registers/decisions.toml) and name-like strings no register entry knows (add them to a register).
    Exit 0 when nothing is open, 1 otherwise."""
    from .build import convert_documents, make_tagger
    from .entities import load_ignored, unregistered_candidates
    from .metadata import DEFAULT_SOURCES, discover, load_edition

    try:
        sources = sources or DEFAULT_SOURCES
        edition = load_edition(sources)
        regs, tagger = make_tagger(registers)
        if tagger is None:
            raise UserError("no registers found", registers or "registers/",
                            hint="registers/persons.xml, places.xml or organisations.xml")
        open_items = 0
        ignored = load_ignored(registers / "decisions.toml" if registers else None)
        for doc in convert_documents(discover(sources), edition, tagger):
            meta = doc.meta
            text_el = doc.tree.find("{http://www.tei-c.org/ns/1.0}text")
            for u in doc.entities.unresolved:
                open_items += 1
                click.echo(f"{meta.slug}#{u.block}: ambiguous: {u.form!r} could be {', '.join(u.candidates)} "
                           f"— context: {u.context[:90]!r}")
            for form in sorted(set(doc.entities.unwrapped) - ignored):
                open_items += 1
                click.echo(f"{meta.slug}: unregistered (marked by the converter): {form!r}")
            for form, count in sorted(unregistered_candidates(text_el, regs, min_count, ignored).items()):
                open_items += 1
                click.echo(f"{meta.slug}: unregistered: {form!r} ×{count}")
        click.echo(f"{open_items} open item(s)")
    except UserError as exc:
        _fail(exc)
    sys.exit(1 if open_items else 0)


@cli.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--schema", "schemas", multiple=True, metavar="SCHEMA",
              help="tei_all, or a .rng/.rnc/.xsd/.sch file (repeatable). Default: the project's "
                   "schemas/tei-edition.rng and schemas/tei-edition.sch.")
@click.option("--engine", type=click.Choice(["auto", "jing", "lxml"]), default="auto", show_default=True,
              help="RELAX NG engine: Jing (needs Java) or lxml; auto picks Jing when Java is present.")
@click.option("--phase", default=None, help="Schematron phase (default: the schema's defaultPhase or all).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def validate_cmd(paths: tuple[Path, ...], schemas: tuple[str, ...], engine: str, phase: str | None,
                 fmt: str) -> None:
    """Validate TEI files and folders (recursively *.xml).

    Prints one line per problem, file:line:column: error: what [rule], sorted,
    then a summary. Exit 0 when every file is valid, 1 when any is invalid,
    2 on a usage error or unreadable input.
    """
    from .validation import validate_paths

    try:
        report = validate_paths(list(paths), schemas, engine, phase)
    except UserError as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)
    if fmt == "json":
        click.echo(report.to_json())
    else:
        for line in report.lines():
            click.echo(line)
    sys.exit(0 if report.valid else 1)


@cli.command("package")
@click.option("--out", "out", type=click.Path(path_type=Path), default=None,
              help="Where to write the bag: a folder, or with --zip a .zip file.")
@click.option("--zip", "zip_output", is_flag=True, help="Write one reproducible .zip instead of a folder.")
@click.option("--edition", "edition", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Reuse this built edition (the OUT of `tei build`) instead of building now.")
@click.option("--sources", "sources", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Sources folder (default: the bundled sources/).")
@click.option("--force", is_flag=True, help="Package even if the TEI does not validate (recorded in bag-info.txt).")
@click.option("--verify", "verify_path", type=click.Path(path_type=Path), default=None,
              help="Do not package: verify this bag (folder or .zip), like `tei verify`.")
@click.option("--quiet", "-q", is_flag=True, help="Print only errors and the final line.")
def package_cmd(out: Path | None, zip_output: bool, edition: Path | None, sources: Path | None, force: bool,
                verify_path: Path | None, quiet: bool) -> None:
    """Write a deposit package an archive can ingest: a BagIt 1.0 bag.

    Builds the edition (or reuses --edition), validates the TEI first (refuses
    invalid TEI unless --force), and writes a bag with SHA-256 and SHA-512
    manifests, bag-info.txt from the teiHeaders, mets.xml and dc.xml for the
    catalogue, and data/ holding the TEI, registers, schemas, source texts and
    every output of the build. The same inputs give a byte-identical package.
    """
    if verify_path is not None:
        _verify(verify_path)
    if out is None:
        _fail(UserError("no --out given", hint="tei package --out DEPOSIT [--zip]"))
    from .packaging import package

    started = time.perf_counter()

    def progress(msg: str) -> None:
        if not quiet:
            click.echo(f"[{time.perf_counter() - started:6.2f}s] {msg}", err=True)

    try:
        result = package(out, edition_dir=edition, sources_dir=sources, zip_output=zip_output, force=force,
                         progress=progress)
    except UserError as exc:
        _fail(exc)
    if result.problems:
        click.echo(f"warning: packaged despite {len(result.problems)} validation error(s) (--force)", err=True)
    click.echo(f"packaged {result.payload_files} payload file(s), {result.payload_bytes} bytes, into {result.path} "
               f"({'zip, ' if result.zipped else ''}{result.bag_bytes} bytes) in {time.perf_counter() - started:.2f}s")


def _verify(path: Path) -> None:
    from .packaging import verify

    try:
        report = verify(path)
    except UserError as exc:
        _fail(exc)
    for line in report.problems:
        click.echo(f"{path}: {line}")
    if report.problems:
        click.echo(f"{path}: not valid: {len(report.problems)} problem(s)", err=True)
        sys.exit(1)
    click.echo(report.summary())
    sys.exit(0)


@cli.command("verify")
@click.argument("path", type=click.Path(path_type=Path))
def verify_cmd(path: Path) -> None:
    """Check a deposit package (bag folder or .zip): complete, checksums right, Payload-Oxum right.

    Prints one line per problem, naming the file (missing, modified, unexpected),
    and exits 1; exits 0 with a summary when the bag is valid.
    """
    _verify(path)


@cli.command("transform")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--to", "to", type=click.Choice(["html", "text", "bibliography"]), required=True,
              help="html: the reading edition (a site); text: one .txt per document; bibliography: works cited.")
@click.option("--format", "formats", multiple=True, type=click.Choice(["html", "text", "bibtex", "csl-json", "ris"]),
              help="Bibliography format (repeatable; default: all five).")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Output folder.")
@click.option("--registers", "registers", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder of register files (persons.xml, places.xml, ...; default: the bundled registers/).")
@click.option("--no-registers", is_flag=True, help="Use no registers (names are not linked).")
@click.option("--title", "title", default=None, help="Site title (default: the edition's title).")
def transform_cmd(files: tuple[Path, ...], to: str, formats: tuple[str, ...], out: Path, registers: Path | None,
                  no_registers: bool, title: str | None) -> None:
    """Transform TEI P5 files with the XSLT 3.0 stylesheets in transforms/ (any TEI P5, not only this edition's)."""
    from .paths import data_dir
    from .transform import BIBLIOGRAPHY_FORMATS, Transformer, register_files, write_files

    started = time.perf_counter()
    try:
        if title is None:
            try:
                from .metadata import DEFAULT_SOURCES, load_edition
                title = load_edition(DEFAULT_SOURCES).title
            except (UserError, OSError):
                title = "Reading edition"
        tr = Transformer()
        docs = tr.load_all(files)
        regs = [] if no_registers else tr.load_registers(register_files(registers or data_dir("registers")))
        if to == "html":
            outputs = tr.html(docs, regs, site_title=title)
        elif to == "text":
            outputs = tr.text(docs)
        else:
            outputs = tr.bibliography(docs, list(formats) or list(BIBLIOGRAPHY_FORMATS), regs, site_title=title)
        write_files(out, outputs)
    except UserError as exc:
        _fail(exc)
    click.echo(f"wrote {len(outputs)} file(s) into {out} in {time.perf_counter() - started:.2f}s")


def main() -> None:
    """Entry point: user errors are one line (exit 1); a bug is one line too, unless TEI_DEBUG is set."""
    try:
        cli(standalone_mode=True)
    except KeyboardInterrupt:
        click.echo("interrupted; outputs already in place were left untouched", err=True)
        sys.exit(130)
    except UserError as exc:
        _fail(exc)
    except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
        if os.environ.get("TEI_DEBUG"):
            raise
        click.echo(f"internal error: {type(exc).__name__}: {exc} "
                   "(this is a bug in tei; set TEI_DEBUG=1 to see the traceback)", err=True)
        sys.exit(3)


if __name__ == "__main__":
    main()
