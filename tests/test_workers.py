"""tei.workers: the pool the Saxon stages share, and what happens when a build is stopped."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tei.workers import Runner, balanced_batches

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


def _started_after(wait: float) -> float:
    start = time.monotonic()
    time.sleep(wait)
    return start


def test_a_free_worker_takes_the_waiting_task_of_lowest_priority() -> None:
    """Tasks queued later with a lower priority go before those already waiting: the transforms queue
    work that waits for nothing early, and what the pages need still goes first once it is queued."""
    with Runner(2) as run:
        busy = run.start([(_started_after, (1.5,)), (_started_after, (0.5,))])  # both workers taken
        late = run.start([(_started_after, (0.3,))] * 2, priority=2)
        first = run.start([(_started_after, (0.3,))], priority=[1])
        busy()
        (soon,), (a, b) = first(), late()
    assert soon < a and soon < b  # queued last, started first


def test_numbers_and_tuples_as_priorities_wait_in_one_queue() -> None:
    with Runner(2) as run:
        busy = run.start([(_started_after, (1.0,)), (_started_after, (0.4,))])  # one worker frees first
        later = run.start([(_started_after, (0.2,))], priority=(2, -5))
        sooner = run.start([(_started_after, (0.2,))], priority=1)
        busy()
        (a,), (b,) = later(), sooner()
    assert b < a


def test_one_priority_keeps_the_order_of_the_queue() -> None:
    with Runner(2) as run:
        wait = run.start([(_started_after, (0.2,)) for _ in range(6)], priority=3)
        starts = wait()
    assert starts[0] <= starts[2] <= starts[4] and starts[1] <= starts[3] <= starts[5]


def _note_start(folder: str) -> None:
    Path(folder, str(os.getpid())).write_text("started")


def test_warm_starts_every_worker_before_any_task(tmp_path: Path) -> None:
    with Runner(2, initializer=_note_start, initargs=(str(tmp_path),)) as run:
        run.warm()
        deadline = time.monotonic() + 60
        while len(list(tmp_path.iterdir())) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(list(tmp_path.iterdir())) == 2  # both ran their initializer, no task given
        assert {pid for _, pid in run.map(_square, [(n,) for n in range(4)])} <= {int(p.name) for p in tmp_path.iterdir()}


def test_warm_does_nothing_in_one_process() -> None:
    with Runner(1) as run:
        run.warm()
        assert not run.parallel


def test_balanced_batches_hold_every_item_once_in_order() -> None:
    items = list("abcdefgh")
    sizes = [50, 1, 1, 1, 30, 1, 1, 20]
    batches = balanced_batches(items, sizes, jobs=2, max_bytes=1000)
    assert len(batches) == 4  # two per process: the last tasks are short ones
    assert sorted(x for b in batches for x in b) == items
    assert all(b == sorted(b) for b in batches)  # each keeps the items' order
    assert ["a"] in batches  # the largest alone: nothing waits on a batch longer than it must be
    assert balanced_batches(items, sizes, jobs=1, max_bytes=1000) == [items]
    assert len(balanced_batches(items, sizes, jobs=1, max_bytes=40)) == 3  # 106 bytes, 40 at most
    assert balanced_batches([], [], jobs=2, max_bytes=10) == []


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


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_worker_stopped_before_it_starts_ends_without_a_traceback() -> None:
    """An error right after a fork pool starts stops its workers, some perhaps still holding the
    parent's SIGTERM handler (``_start_worker`` not yet run): they end as SIGTERM ends a process, and
    print nothing (they once printed a KeyboardInterrupt traceback under the build's error)."""
    code = (
        "import os, signal, sys, time\n"
        "from tei.workers import stop_on_sigterm\n"
        "stop_on_sigterm()\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    time.sleep(10)\n"
        "    os._exit(0)\n"
        "time.sleep(0.3)\n"
        "os.kill(pid, signal.SIGTERM)\n"
        "_, status = os.waitpid(pid, 0)\n"
        "print(os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGTERM)\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "True"
    assert "Traceback" not in result.stderr and "KeyboardInterrupt" not in result.stderr
