#!/usr/bin/env python3
"""Benchmark every stage of the toolkit on the edition and on synthetic corpora.

    python scripts/bench.py                      # stages on ×1, full builds at ×1 and ×10
    python scripts/bench.py --sizes 1,10,100     # add the ×100 corpus (several minutes)
    python scripts/bench.py --sizes 1,10,100 --largest-parallel-only --json docs/bench.json
                                                 # the README's figures (×100 with --jobs 2 only)
    python scripts/bench.py --json bench.json    # also write the figures as JSON

A synthetic corpus of size ×N holds N copies of each source, each a distinct document
(its own slug and identifiers). Standard library and the project's own dependencies only.
Figures: wall and CPU seconds, peak memory (RSS: for the stages, this process so far;
for full builds, which run as their own ``tei build`` process, the largest resident set of
the build or any of its workers), documents and megabytes per second.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tei import converters  # noqa: E402
from tei.build import build, make_tagger, prepare_document, finish_document  # noqa: E402
from tei.cleaning import clean  # noqa: E402
from tei.ingest import read_source  # noqa: E402
from tei.metadata import discover, load_edition  # noqa: E402

SOURCES = ROOT / "sources"


def peak_rss_mb() -> float:
    """This process's peak so far (the full builds run as their own processes and report their own)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def measure(rows: list[dict], stage: str, corpus: str, documents: int, megabytes: float):
    wall, cpu = time.perf_counter(), time.process_time()
    children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    yield
    wall = time.perf_counter() - wall
    children_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = time.process_time() - cpu + (children_after.ru_utime - children_before.ru_utime
                                       + children_after.ru_stime - children_before.ru_stime)
    rows.append({
        "stage": stage, "corpus": corpus, "documents": documents, "megabytes": round(megabytes, 2),
        "wall_s": round(wall, 3), "cpu_s": round(cpu, 3), "peak_rss_mb": round(peak_rss_mb(), 1),
        "docs_per_s": round(documents / wall, 2) if wall else None,
        "mb_per_s": round(megabytes / wall, 2) if wall else None,
    })


def make_corpus(factor: int, target: Path) -> Path:
    """``factor`` copies of every source as distinct documents (own slug, own identifiers)."""
    texts = target / "texts"
    texts.mkdir(parents=True)
    shutil.copy(SOURCES / "edition.toml", target)
    for meta_path in sorted(SOURCES.glob("[0-9]*.toml")):
        meta = meta_path.read_text(encoding="utf-8")
        slug = next(line.split('"')[1] for line in meta.splitlines() if line.startswith("slug"))
        file = next(line.split('"')[1] for line in meta.splitlines() if line.startswith("file"))
        shutil.copy(SOURCES / file, texts / Path(file).name)
        for k in range(factor):
            copy = meta.replace(f'slug = "{slug}"', f'slug = "{slug}-{k:03d}"')
            (target / f"{meta_path.stem}-{k:03d}.toml").write_text(copy, encoding="utf-8")
    return target


def corpus_size(sources: Path) -> tuple[int, float]:
    metas = discover(sources)
    return len(metas), sum(m.file.stat().st_size for m in metas) / 2**20


def bench_stages(rows: list[dict]) -> Path:
    """Each per-document stage separately, on the five sources."""
    metas = discover(SOURCES)
    edition = load_edition(SOURCES)
    n, mb = corpus_size(SOURCES)
    texts = {m.slug: read_source(m.file).text for m in metas}
    modules = {m.slug: converters.get(m.converter) for m in metas}
    with measure(rows, "cleaning", "x1", n, mb):
        cleaned = {m.slug: clean(texts[m.slug], modules[m.slug].PROFILE) for m in metas}
    with measure(rows, "conversion", "x1", n, mb):
        conversions = {m.slug: modules[m.slug].convert(cleaned[m.slug], m) for m in metas}
    del conversions
    with measure(rows, "bibliography (thesis entries)", "x1", 1, 0.0):
        from tei.converters import thesis_bibliography
        from tei.converters.base import blocks

        thesis = next(m for m in metas if m.converter == "weissman_thesis")
        parts = blocks(cleaned[thesis.slug])
        start = next(i for i, b in enumerate(parts) if b.text.strip() == "BIBLIOGRAPHY")
        thesis_bibliography.convert_bibliography(parts[start:])
    _registers, tagger = make_tagger()
    prepared = [prepare_document(m) for m in metas]
    if tagger:
        for m in metas:
            tagger.learn(texts[m.slug], m.slug)
        with measure(rows, "entity markup", "x1", n, mb):
            for item in prepared:
                tagger.tag(item.conversion.text, item.meta.slug)
    prepared = [prepare_document(m) for m in metas]
    with measure(rows, "header, word check, serialisation", "x1", n, mb):
        results = [finish_document(item, edition, None) for item in prepared]
    out = Path(tempfile.mkdtemp(prefix="tei-bench-"))
    build(out, SOURCES, use_cache=False)
    try:
        from tei.validation import validate_paths

        files = sorted((out / "tei").glob("*.xml"))
        with measure(rows, "validation (project RNG + Schematron, incl. compile)", "x1", n, mb):
            validate_paths(files)
    except ImportError:
        pass
    from tei.transform import BIBLIOGRAPHY_FORMATS, Transformer, register_files

    transformer = Transformer()
    with measure(rows, "transform: read documents and registers (incl. compile)", "x1", n, mb):
        docs = transformer.load_all([out / "tei" / f"{m.slug}.xml" for m in metas])
        registers = transformer.load_registers(register_files(ROOT / "registers")
                                               + [out / "bibliography" / "edition-bibliography.xml"])
    with measure(rows, "transform: bibliography (5 formats)", "x1", n, mb):
        transformer.bibliography(docs, list(BIBLIOGRAPHY_FORMATS), registers, consolidated=True)
    with measure(rows, "transform: text", "x1", n, mb):
        transformer.text(docs)
    with measure(rows, "transform: html (text pages, home, bibliography)", "x1", n, mb):
        transformer.html(docs, registers, pages=("documents", "index", "bibliography"))
    with measure(rows, "transform: html (register pages)", "x1", n, mb):
        transformer.html(docs, registers, pages=("registers",))
    del docs, registers, transformer
    try:
        from tei.packaging import package

        with measure(rows, "packaging (zip)", "x1", n, mb):
            package(out.parent / f"{out.name}-bag.zip", edition_dir=out, zip_output=True, force=True)
    except (ImportError, TypeError):
        pass
    del results
    return out


#: the build's progress lines that open each phase (tei/build.py, tei/outputs.py), in order
PHASES = [
    ("read ", "phase: read texts, name evidence"),
    ("convert ", "phase: convert (clean, convert, names, header, word check)"),
    ("consolidate the bibliography", "phase: consolidated bibliography, register mentions"),
    ("transform ", "phase: transform stubs, plain text alongside (or the skip when unchanged)"),
    ("make the text pages", "phase: transform pages, text, bibliographies; validation"),
    ("assemble the register pages", "phase: assemble register pages, write"),
]
PROGRESS = re.compile(r"^\[\s*([\d.]+)s\] (.*)$")
FINAL = re.compile(r" in ([\d.]+)s$")


def phases(stderr: str, stdout: str) -> list[tuple[str, float]]:
    """(phase, seconds) from a build's progress lines: each phase lasts until the next one opens."""
    opened: list[tuple[float, str]] = []
    for line in stderr.splitlines():
        m = PROGRESS.match(line)
        if not m:
            continue
        for marker, name in PHASES:
            if m.group(2).startswith(marker) and name not in (n for _, n in opened):
                opened.append((float(m.group(1)), name))
    end = FINAL.search(stdout.strip().splitlines()[-1]) if stdout.strip() else None
    if not opened or not end:
        return []
    bounds = [t for t, _ in opened] + [float(end.group(1))]
    return [(name, round(bounds[i + 1] - t, 2)) for i, (t, name) in enumerate(opened)]


def run_build(rows: list[dict], stage: str, corpus: str, sources: Path, out: Path, jobs: int) -> None:
    """``tei build`` in its own process: wall and CPU time (with its workers), and its peak memory (the
    largest resident set of the build and of any of its worker processes, from wait4); then the wall
    time of each of its phases, from its progress lines."""
    n, mb = corpus_size(sources)
    argv = [sys.executable, "-c", "from tei.cli import main; main()", "build",
            "--sources", str(sources), "--out", str(out), "--jobs", str(jobs)]
    wall = time.perf_counter()
    with tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as out_log:
        proc = subprocess.Popen(argv, cwd=ROOT, stdout=out_log, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - wall
        err.seek(0), out_log.seek(0)
        stderr, stdout = err.read().decode(errors="replace"), out_log.read().decode(errors="replace")
    if status != 0:
        sys.exit(f"bench: the build failed: {stderr[-2000:]}")
    rows.append({
        "stage": stage, "corpus": corpus, "documents": n, "megabytes": round(mb, 2),
        "wall_s": round(wall, 3), "cpu_s": round(usage.ru_utime + usage.ru_stime, 3),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "docs_per_s": round(n / wall, 2), "mb_per_s": round(mb / wall, 2),
    })
    for name, seconds in phases(stderr, stdout):
        rows.append({"stage": f"  {name}", "corpus": corpus, "documents": n, "megabytes": round(mb, 2),
                     "wall_s": seconds, "cpu_s": None, "peak_rss_mb": None,
                     "docs_per_s": round(n / seconds, 2) if seconds else None,
                     "mb_per_s": round(mb / seconds, 2) if seconds else None, "jobs": jobs, "phase_of": stage})
    if stage:
        print(f"  {stage} ({corpus}): {wall:.1f}s", file=sys.stderr)


def scaling(rows: list[dict]) -> str:
    """Each phase of the largest corpus's --jobs builds against the ×1 build: the time ratio, and
    what it is per document (1.0 = linear; the issue allows 1.1)."""
    phase_rows = [r for r in rows if r.get("phase_of", "").startswith("full build")]
    base = {(r["stage"], r["jobs"]): r for r in phase_rows if r["corpus"] == "x1"}
    after = {(r["stage"], r["jobs"]): r for r in phase_rows if r["corpus"] == "x1-after"}
    lines = []
    for r in phase_rows:
        b = base.get((r["stage"], r["jobs"]))
        if r["corpus"] in ("x1", "x1-after") or not b or not b["wall_s"]:
            continue
        factor = int(r["corpus"][1:])
        ratio = r["wall_s"] / b["wall_s"]
        line = (f"{r['corpus']:>5} --jobs {r['jobs']} {r['stage'].strip():<62} {ratio:8.1f}x  "
                f"({ratio / factor:.2f} per document)")
        a = after.get((r["stage"], r["jobs"]))
        if a and a["wall_s"] and factor == max(int(x["corpus"][1:]) for x in phase_rows if x["corpus"][1:].isdigit()):
            line += f"; against x1 after it: {r['wall_s'] / a['wall_s']:.1f}x"
        lines.append(line)
    return "\n".join(lines)


def bench_builds(rows: list[dict], sizes: list[int], jobs: list[int], largest_parallel_only: bool = False) -> None:
    for factor in sizes:
        with tempfile.TemporaryDirectory(prefix=f"tei-corpus-x{factor}-") as tmp:
            sources = make_corpus(factor, Path(tmp) / "sources")
            runs = jobs[-1:] if largest_parallel_only and factor == max(sizes) else jobs
            for j in runs:  # each into an empty folder: a full build, which records its cache
                out = Path(tmp) / f"out-j{j}"
                run_build(rows, f"full build, --jobs {j}", f"x{factor}", sources, out, j)
            run_build(rows, "rebuild, nothing changed", f"x{factor}", sources, out, runs[-1])
            shutil.rmtree(Path(tmp) / "sources", ignore_errors=True)
    if 1 in sizes and max(sizes) > 1:
        # ×1 again, after the largest: the machine's speed drifts within the hour (see the README), and
        # the ratios are then given against both ×1 builds, so that a drift shows instead of hiding
        with tempfile.TemporaryDirectory(prefix="tei-corpus-x1-") as tmp:
            run_build(rows, f"full build, --jobs {jobs[-1]}", "x1-after", make_corpus(1, Path(tmp) / "sources"),
                      Path(tmp) / "out", jobs[-1])


def table(rows: list[dict]) -> str:
    head = ["stage", "corpus", "documents", "megabytes", "wall_s", "cpu_s", "peak_rss_mb", "docs_per_s", "mb_per_s"]
    widths = [max(len(h), *(len(str(r[h])) for r in rows)) for h in head]
    lines = ["  ".join(h.ljust(w) for h, w in zip(head, widths))]
    lines.append("  ".join("-" * w for w in widths))
    for r in rows:
        lines.append("  ".join(("" if r[h] is None else str(r[h])).ljust(w) for h, w in zip(head, widths)))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1,10", help="corpus sizes for full builds (default 1,10)")
    parser.add_argument("--jobs", default="1,2", help="--jobs values for full builds (default 1,2)")
    parser.add_argument("--largest-parallel-only", action="store_true",
                        help="build the largest corpus with the last --jobs value only (a --jobs 1 build of "
                             "×100 takes about twice as long as --jobs 2)")
    parser.add_argument("--json", type=Path, help="write the figures as JSON to this file")
    args = parser.parse_args()
    rows: list[dict] = []
    # full builds first: a child's peak RSS counts what it inherited at fork, so fork while this process is small
    bench_builds(rows, [int(s) for s in args.sizes.split(",")], [int(j) for j in args.jobs.split(",")],
                 args.largest_parallel_only)
    out = bench_stages(rows)
    shutil.rmtree(out, ignore_errors=True)
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(table(rows))
    if any(r.get("phase_of") for r in rows):
        print("\nphases against x1 (time ratio):")
        print(scaling(rows))
    if args.json:
        args.json.write_text(json.dumps({"cores": os.cpu_count(), "rows": rows}, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
