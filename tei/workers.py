"""Worker processes for the stages that run Saxon (transforms, validation).

One pool serves a build's transforms and its validation, so the two never
compete for the cores and the build process itself never starts Saxon (whose
GraalVM heap grows toward a share of the machine's memory before it collects,
and is only given back when its process ends).
"""

from __future__ import annotations

import heapq
import itertools
import os
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import CancelledError, Future
from contextlib import contextmanager
from types import TracebackType


class Runner:
    """Runs tasks in a pool of ``jobs`` processes, or in this process when ``jobs`` is 1.

    Tasks wait in the Runner, not in the pool, and a free worker takes the waiting task of the
    lowest ``priority`` (then the first queued): so work queued later can still go first (the
    transforms queue their independent tasks early, so that no worker idles while others make
    what the rest depends on, and put the long ones first, so that no long task ends the run).

    ``recycle``: a fresh process for every task (for large editions, where a worker's heap would
    otherwise keep what its biggest task needed). Use as a context manager: leaving it, normally or
    by an exception (SIGTERM included, see ``stop_on_sigterm``), ends every worker at once."""

    def __init__(self, jobs: int, recycle: bool = False, method: str = "spawn",
                 initializer: Callable | None = None, initargs: tuple = ()) -> None:
        self.processes = max(1, jobs)
        self.recycle = recycle
        self._pool = None
        self._waiting: list[tuple] = []  # heap of (priority, order, fn, args, future)
        self._order = itertools.count()
        self._busy = 0
        self._lock = threading.Lock()
        if jobs <= 1 and initializer is not None:
            initializer(*initargs)  # the tasks run here: they see what a worker would
        if jobs > 1:
            import concurrent.futures
            import multiprocessing

            # spawn by default: Saxon (a GraalVM isolate with its own threads) may already run in this
            # process, and a forked copy of it would not work
            self._pool = concurrent.futures.ProcessPoolExecutor(
                jobs, mp_context=multiprocessing.get_context(method), initializer=_start_worker,
                initargs=(initializer, initargs),
                max_tasks_per_child=1 if recycle else None)

    @property
    def parallel(self) -> bool:
        return self._pool is not None

    def warm(self) -> None:
        """Start every worker now (each runs the initializer), without waiting: so that their start-up
        overlaps what this process does until their first task."""
        if self._pool is not None:
            self.start([(_nothing, ())] * self.processes)

    def map(self, fn: Callable, args: list[tuple]) -> list:
        return self.start([(fn, a) for a in args])()

    def start(self, tasks: list[tuple[Callable, tuple]], priority: object = 0) -> Callable[[], list]:
        """Queue the tasks; the returned function waits for their results (a worker's UserError is raised
        there). ``priority``: one value, or one per task (lower goes first; any comparable values)."""
        if self._pool is None:
            return lambda: [fn(*a) for fn, a in tasks]
        priorities = priority if isinstance(priority, list) else [priority] * len(tasks)
        futures = [self._queue(fn, a, p) for (fn, a), p in zip(tasks, priorities)]
        self._dispatch()
        return lambda: [f.result() for f in futures]

    def each(self, fn: Callable, args: list[tuple]) -> Iterator:
        """The results in the order of ``args``, each as soon as it and those before it are done."""
        if self._pool is None:
            yield from (fn(*a) for a in args)
            return
        futures = [self._queue(fn, a, 0) for a in args]
        self._dispatch()
        for future in futures:
            yield future.result()

    def _queue(self, fn: Callable, args: tuple, priority: object) -> Future:
        future: Future = Future()
        rank = priority if isinstance(priority, tuple) else (priority,)  # 0 and (0,) compare alike
        with self._lock:
            heapq.heappush(self._waiting, (rank, next(self._order), fn, args, future))
        return future

    def _dispatch(self) -> None:
        """Give waiting tasks to the pool while a worker is free (called again as each task ends, from the
        pool's result thread)."""
        while True:
            with self._lock:
                if self._pool is None or self._busy >= self.processes or not self._waiting:
                    return
                _, _, fn, args, future = heapq.heappop(self._waiting)
                self._busy += 1
                pool = self._pool
            try:
                if future.set_running_or_notify_cancel():  # False: cancelled while it waited
                    pool.submit(fn, *args).add_done_callback(lambda done, future=future: self._finished(done, future))
                    continue
            except BaseException as exc:  # the pool is shut down or broken
                future.set_exception(exc)
            with self._lock:
                self._busy -= 1

    def _finished(self, done: Future, future: Future) -> None:
        with self._lock:
            self._busy -= 1
        if done.cancelled():
            future.set_exception(CancelledError())
        elif done.exception() is not None:
            future.set_exception(done.exception())
        else:
            future.set_result(done.result())
        self._dispatch()

    def close(self, terminate: bool = False) -> None:
        """Shut the pool down; with ``terminate``, without waiting for the running tasks."""
        if self._pool is None:
            return
        with self._lock:
            waiting, self._waiting = self._waiting, []
        for *_, future in waiting:
            future.cancel()
        if terminate:
            # concurrent.futures has no public way to stop a running task: end its process
            for process in list((getattr(self._pool, "_processes", None) or {}).values()):
                process.terminate()
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._pool = None

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close(terminate=kind is not None)


#: work a caller queues behind a stage's tasks in its workers (``tei.outputs.stage_edition``); the
#: function returned, if any, collects it once the stage's own tasks are done
Meanwhile = Callable[[Runner], "Callable[[], None] | None"]


def balanced_batches(items: Sequence, sizes: Sequence[int], jobs: int, max_bytes: int) -> list[list]:
    """``items`` in batches of about ``max_bytes`` at most (a larger item is a batch of its own), at least
    two per process when there are items enough (so that the last tasks are short ones), balanced
    largest first; each batch keeps the items' order."""
    if not items:
        return []
    count = min(len(items), max(-(-sum(sizes) // max_bytes), 2 * jobs if jobs > 1 else 1))
    batches: list[list[int]] = [[] for _ in range(count)]
    loads = [0] * count
    for i in sorted(range(len(items)), key=lambda i: (-sizes[i], i)):
        k = min(range(count), key=lambda k: (loads[k], k))
        batches[k].append(i)
        loads[k] += sizes[i]
    return [[items[i] for i in sorted(batch)] for batch in batches]


def _nothing() -> None:
    pass


def _start_worker(initializer: Callable | None, initargs: tuple) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a forked worker must not inherit stop_on_sigterm's handler
    if initializer is not None:
        initializer(*initargs)


def stop_on_sigterm() -> None:
    """Make SIGTERM end the process like Ctrl-C (KeyboardInterrupt): the ``finally`` blocks run, so
    workers are stopped and staging folders removed, instead of the process vanishing and its
    workers finishing their tasks unattended."""
    owner = os.getpid()

    def interrupt(signum: int, _frame) -> None:
        if os.getpid() != owner:
            # a forked worker stopped before ``_start_worker`` gave it the default handler back (an error
            # right after a pool starts): it ends as SIGTERM ends it, without a traceback of its own
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, interrupt)


@contextmanager
def idle_priority() -> Iterator[None]:
    """Run at Linux's SCHED_IDLE (only when no other process wants the core), then back at the normal
    policy: for work that may wait, beside work that may not (the transform workers that start and
    compile while the longest text is converted: ``outputs.start_early``, ``outputs.warm_up``; clean ×1
    builds 8.57 → 8.26 s, five interleaved pairs). Only where the process may go back
    (``may_restore_priority``): one left at idle priority would crawl on a busy machine. Processes
    started meanwhile inherit the policy."""
    if not may_restore_priority():
        yield
        return
    os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    try:
        yield
    finally:
        try:
            os.sched_setscheduler(0, os.SCHED_OTHER, os.sched_param(0))
        except OSError:  # not expected (checked before): the worker is slower, its results the same
            pass


#: Linux's capability number of CAP_SYS_NICE
CAP_SYS_NICE = 23


def may_restore_priority() -> bool:
    """May this process leave SCHED_IDLE for the normal policy again? Linux allows it with CAP_SYS_NICE
    or an RLIMIT_NICE that permits the process's nice value (sched(7))."""
    if not hasattr(os, "SCHED_IDLE"):
        return False
    try:
        import resource

        soft, _ = resource.getrlimit(resource.RLIMIT_NICE)
        if soft == resource.RLIM_INFINITY or soft >= 20 - os.getpriority(os.PRIO_PROCESS, 0):
            return True
        with open("/proc/self/status", encoding="ascii") as status:
            effective = next(line for line in status if line.startswith("CapEff:")).split()[1]
        return bool(int(effective, 16) >> CAP_SYS_NICE & 1)
    except (OSError, StopIteration, ValueError, IndexError, AttributeError):
        return False
