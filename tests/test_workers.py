"""tei.workers: the pool the Saxon stages share, and what happens when a build is stopped."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tei.workers import Runner

ROOT = Path(__file__).resolve().parent.parent


def _square(n: int) -> tuple[int, int]:
    return n * n, os.getpid()


def _fail(n: int) -> int:
    raise ValueError(f"task {n} failed")


@pytest.mark.parametrize("jobs", [1, 2])
def test_results_come_in_the_order_of_the_tasks(jobs: int) -> None:
    with Runner(jobs) as run:
        assert [r for r, _ in run.each(_square, [(n,) for n in range(7)])] == [n * n for n in range(7)]
        wait = run.start([(_square, (3,)), (_square, (4,))])
        assert [r for r, _ in wait()] == [9, 16]


def test_one_job_runs_in_this_process_and_two_in_others() -> None:
    with Runner(1) as run:
        assert {pid for _, pid in run.map(_square, [(n,) for n in range(4)])} == {os.getpid()}
    with Runner(2) as run:
        assert os.getpid() not in {pid for _, pid in run.map(_square, [(n,) for n in range(4)])}


def test_a_failing_task_raises_in_the_caller_and_the_workers_end() -> None:
    run = Runner(2)
    with pytest.raises(ValueError, match="task 1 failed"):
        with run:
            run.map(_fail, [(1,), (2,)])
    assert not run.parallel  # closed


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_text(errors="replace")
    except OSError:
        return ""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs /proc to find the worker processes")
def test_sigterm_stops_the_build_and_its_workers(tmp_path: Path) -> None:
    """A build told to stop (SIGTERM, as a service manager or CI does) ends its workers at once, leaves
    no staging folder, and says so in one line without a traceback."""
    out = tmp_path / "out"
    build = subprocess.Popen([sys.executable, "-c", "from tei.cli import main; main()", "build", "--force",
                              "--jobs", "2", "--out", str(out)], cwd=ROOT, stderr=subprocess.PIPE, text=True)
    workers: set[int] = set()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # wait for the transform workers (spawned Pythons)
        workers = {p for p in _children(build.pid) if "spawn_main" in _cmdline(p)}
        if len(workers) >= 2:
            break
        time.sleep(0.05)
    assert workers, "the build never started its transform workers"
    build.send_signal(signal.SIGTERM)
    _, stderr = build.communicate(timeout=60)
    assert build.returncode == 130
    assert "Traceback" not in stderr and "build interrupted" in stderr
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(p) for p in workers)
    assert not (out / ".tei-staging").exists() and not (out / ".tei-converted").exists()
